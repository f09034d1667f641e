"""gunicorn or granian? The same Django app, the same worker count, on loopback against PostgreSQL (ADR 0016).

Prepare a scratch database once (the demo network: its learners have progress):

    createdb -h 127.0.0.1 -U postgres tremplin_prod_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tremplin_prod_bench .venv/bin/python manage.py migrate
    … load_geography, load_content, load_diagnostic, load_simulators, seed_demo (same DATABASE_URL)

then:

    .venv/bin/python bench/bench_servers.py [--database-url …] [--workers 2] [--connections 20,50] [--duration 10]

Each server is started with ``config.settings.prod`` (JSON request log included, sent to /dev/null), warmed up,
then loaded with wrk (``apt-get install wrk``; without it, Python threads with http.client) on a signed-in demo
learner's home and on a step page, and on /sante/ (one ``SELECT 1``: what is left is mostly the server's own cost).
Printed: requests per second, p50, p99, errors (non-2xx/3xx, socket errors,
timeouts), and the ratios granian / gunicorn. Nothing is asserted on times: the machine is shared.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def server_env(database_url: str) -> dict[str, str]:
    return {**os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGH",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "WARNING"}


def server_command(server: str, port: int, workers: int) -> list[str]:
    if server == "gunicorn":
        return [str(BIN / "gunicorn"), "config.wsgi:application", "--worker-class", "sync", "--workers", str(workers),
                "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    return [str(BIN / "granian"), "--interface", "wsgi", "config.wsgi:application", "--host", "127.0.0.1",
            "--port", str(port), "--workers", str(workers), "--blocking-threads", "1", "--no-log"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, cookie: str) -> tuple[int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)  # a shared machine can be very slow
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
        response = conn.getresponse()
        return response.status, len(response.read())
    finally:
        conn.close()


def wait_up(port: int, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped (exit {process.returncode})")
        try:
            if get(port, "/sante/", "")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer /sante/ in time")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def load_wrk(port: int, path: str, cookie: str, connections: int, duration: int) -> dict:
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency",
                          "-H", f"Cookie: {cookie}", "-H", "Accept-Encoding: gzip",
                          f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": _ms(latency["50"]), "p99": _ms(latency["99"]),
            "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0)}


def load_threads(port: int, path: str, cookie: str, connections: int, duration: int) -> dict:
    """Fallback without wrk: one keep-alive connection per thread, as many threads as connections."""
    times: list[float] = []
    errors = [0]
    stop = time.monotonic() + duration

    def run():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            times.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=run) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times.sort()
    quantiles = statistics.quantiles(times, n=100) if len(times) > 1 else [0.0] * 99
    return {"rps": len(times) / duration, "p50": quantiles[49], "p99": quantiles[98], "errors": errors[0]}


def signed_in_learner(database_url: str) -> tuple[str, str, str]:
    """A session cookie for the demo learner with the most events, and two of their pages: home and a step."""
    os.environ.update(server_env(database_url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from tremplin.accounts.models import User
    from tremplin.progress.models import ModuleProgress

    learner = (User.objects.filter(kind="learner", is_guest=False).annotate(n=Count("learning_events"))
               .order_by("-n", "pk").first())
    if learner is None:
        raise SystemExit("no learner in this database: run seed_demo on it first (see the docstring)")
    progress = ModuleProgress.objects.filter(learner=learner).select_related("module").first()
    client = Client()
    client.force_login(learner)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    step = reverse("learner:step", args=[progress.module.slug, 1])
    return cookie, reverse("learner:home"), step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/tremplin_prod_bench")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", default="20")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--servers", default="gunicorn,granian")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    cookie, home, step = signed_in_learner(args.database_url)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                   env=server_env(args.database_url), check=True)
    load = load_wrk if shutil.which("wrk") else load_threads
    print(f"load tool: {'wrk' if load is load_wrk else 'Python threads'}; {args.workers} workers; "
          f"{os.cpu_count()} cores; {args.duration} s per measure; pages: {home} {step}")
    servers = [s for s in args.servers.split(",") if (BIN / s).exists()]
    for missing in set(args.servers.split(",")) - set(servers):
        print(f"{missing} is not installed in this venv: skipped (pip install gunicorn==27.0.1 to compare)")
    results: dict[tuple[str, str, int], list[dict]] = {}
    for round_ in range(1, args.rounds + 1):  # servers alternate: a neighbour's load on the machine hits both
        for server in servers:
            port = free_port()
            process = subprocess.Popen(server_command(server, port, args.workers), cwd=ROOT,
                                       env=server_env(args.database_url), stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, start_new_session=True)
            try:
                wait_up(port, process)
                # /sante/ (one SELECT 1): mostly the server's own cost; then the two learner pages.
                for name, path in (("sante", "/sante/"), ("home", home), ("step", step)):
                    status, size = get(port, path, cookie)
                    if status != 200:
                        raise SystemExit(f"{server} {path}: {status} (the session was not accepted?)")
                    load(port, path, cookie, 4, 2)  # warm-up: templates, pools, the curriculum in memory
                    for connections in (int(c) for c in args.connections.split(",")):
                        r = load(port, path, cookie, connections, args.duration)
                        results.setdefault((server, name, connections), []).append(r)
                        print(f"round {round_} {server:<9} {name:<5} c={connections:<3} {r['rps']:7.1f} req/s"
                              f"  p50 {r['p50']:7.1f} ms  p99 {r['p99']:7.1f} ms  errors {r['errors']}"
                              f"  ({size} bytes gzip)", flush=True)
            finally:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)

    print(f"\nmedians of {args.rounds} rounds:")
    summary = {}
    for key, runs in results.items():
        summary[key] = {m: statistics.median(r[m] for r in runs) for m in ("rps", "p50", "p99")}
        summary[key]["errors"] = sum(r["errors"] for r in runs)
        s = summary[key]
        print(f"  {key[0]:<9} {key[1]:<5} c={key[2]:<3} {s['rps']:7.1f} req/s  p50 {s['p50']:7.1f} ms"
              f"  p99 {s['p99']:7.1f} ms  errors {s['errors']}")
    if len(servers) == 2:
        a, b = servers
        print(f"\nratios {b} / {a}:")
        for (server, name, connections), r in summary.items():
            if server == b and (a, name, connections) in summary:
                base = summary[a, name, connections]
                print(f"  {name:<5} c={connections:<3} req/s × {r['rps'] / base['rps']:.2f}"
                      f"   p50 × {r['p50'] / base['p50']:.2f}   p99 × {r['p99'] / base['p99']:.2f}")


if __name__ == "__main__":
    main()
