"""Can trainers starve learners? A learner's home under load, alone and while trainers open the follow-up grid.

Issue 15 (hot paths): « make sure no trainer page can starve learners … a learner's p99 unchanged while trainers
work ». On the scratch database of ``bench/bench_hot_paths.py`` (2,000 learners, 200,000 events, one structure):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tremplin_hot .venv/bin/python bench/load/starvation.py

signs the busiest learner and the structure's admin in (sessions made by Django, no password needed), then, for
each layout (``--pools``): starts the Procfile's processes (``config.settings.prod``) behind nginx with the shipped
routes (``deploy/nginx/tremplin-locations.conf``) — « one »: every page to the web process; « two »: trainer pages
to the staff process (niced, fewer workers) — and runs wrk on the learner home for ``--duration`` seconds at
``--connections``, first alone, then while ``--trainers`` connections ask for the grid sorted « besoin d'aide
d'abord » (its heaviest page) without pause. Prints both and the ratios. Times are printed, never asserted; the
machine's load average is printed beside them. Needs nginx (Debian's package) and wrk.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))
from bench_servers import wait_up  # noqa: E402
from compare import Result, Target, request, run_wrk  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
SESSIONS = """
from importlib import import_module
import sys
sys.path.insert(0, "bench")
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from bench_hot_paths import measured_learner, structure_and_trainer
organisation, trainer, _n = structure_and_trainer()
for user in (measured_learner(organisation), trainer):
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                  HASH_SESSION_KEY: user.get_session_auth_hash()})
    store.create()
    print(store.session_key)
"""


PROXY_CONF = """
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    upstream tremplin_learners {{ server 127.0.0.1:{web}; keepalive 16; }}
    upstream tremplin_staff {{ server 127.0.0.1:{staff}; keepalive 4; }}
    server {{
        listen 127.0.0.1:{port};
        include {root}/deploy/nginx/tremplin-locations.conf;
    }}
}}
"""


def procfile_command(name: str) -> str:
    """The Procfile's line for this process, as ``make prod`` (honcho) runs it."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith(f"{name}: "):
            return line.split(": ", 1)[1]
    raise SystemExit(f"no {name} process in the Procfile")


def paced_trainers(grid: Target, trainers: int, duration: int, pause: float) -> Result:
    """``trainers`` people each opening the grid, reading it for ``pause`` seconds, opening it again (wrk cannot
    pace its requests): what trainers at work do, where wrk's ``--trainers`` connections ask without pause."""
    times: list[float] = []
    errors = [0]
    stop = time.monotonic() + duration

    def one() -> None:
        while time.monotonic() < stop:
            began = time.monotonic()
            try:
                status = request(grid.base, "GET", grid.path, cookies=grid.cookies)[0]
            except OSError:
                status = 0
            times.append((time.monotonic() - began) * 1000)
            errors[0] += status != 200
            time.sleep(pause)

    threads = [threading.Thread(target=one) for _ in range(trainers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times.sort()
    at = lambda q: times[min(len(times) - 1, int(q * len(times)))] if times else 0.0  # noqa: E731
    return Result(rps=len(times) / duration, p50=at(0.5), p99=at(0.99), requests=len(times), errors=errors[0],
                  detail="paced")


def measure(args, env: dict, *, pools: str, learner_session: str, trainer_session: str, folder: Path) -> dict:
    """Start the Procfile's web process (and, with two pools, its staff process) behind nginx with the shipped
    routes (deploy/nginx/tremplin-locations.conf), then measure the learner home alone and beside the trainers."""
    web_port, staff_port = args.port + 1, args.port + 2
    servers = [subprocess.Popen(["bash", "-c", "exec " + procfile_command("web")], cwd=ROOT,
                                env={**env, "TREMPLIN_PORT": str(web_port)}, stdout=subprocess.DEVNULL,
                                stderr=(folder / f"web-{pools}.log").open("w"))]  # its JSON request log
    if pools == "two":
        servers.append(subprocess.Popen(["bash", "-c", "exec " + procfile_command("staff")], cwd=ROOT,
                                        env={**env, "TREMPLIN_STAFF_PORT": str(staff_port)},
                                        stdout=subprocess.DEVNULL, stderr=(folder / "staff.log").open("w")))
    conf = folder / f"nginx-{pools}.conf"
    conf.write_text(PROXY_CONF.format(folder=folder, web=web_port, staff=staff_port if pools == "two" else web_port,
                                      port=args.port, root=ROOT))
    proxy = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_up(web_port, servers[0])
        if pools == "two":
            wait_up(staff_port, servers[1])
        wait_up(args.port, proxy)
        home = Target("Tremplin", "learner home", base, "/apprendre/", {"sessionid": learner_session})
        grid = Target("Tremplin", "grid, needs help first", base, "/espace-formateur/suivi/?tri=help",
                      {"sessionid": trainer_session})
        assert request(base, "GET", home.path, cookies=home.cookies)[0] == 200, "the learner is not signed in"
        assert request(base, "GET", grid.path, cookies=grid.cookies)[0] == 200, "the trainer is not signed in"
        run_wrk(home, args.connections, 5, folder)  # warm-up: every worker builds its caches
        run_wrk(grid, args.trainers, 3, folder)
        alone = run_wrk(home, args.connections, args.duration, folder)
        busy: dict = {}
        if args.trainer_pause:
            trainers = threading.Thread(target=lambda: busy.update(
                grid=paced_trainers(grid, args.trainers, args.duration + 2, args.trainer_pause)))
        else:
            trainers = threading.Thread(target=lambda: busy.update(
                grid=run_wrk(grid, args.trainers, args.duration + 2, folder)))
        trainers.start()
        time.sleep(1)
        together = run_wrk(home, args.connections, args.duration, folder)
        trainers.join()
        return {"alone": alone, "together": together, "grid": busy["grid"], "load": os.getloadavg()[0]}
    finally:
        for process in (proxy, *servers):
            process.terminate()
        for process in (proxy, *servers):
            process.wait(30)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--trainers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8010)
    parser.add_argument("--trainer-pause", type=float, default=0.0,
                        help="seconds each trainer waits between two grids (0: wrk, without pause)")
    parser.add_argument("--pools", choices=("one", "two", "both"), default="both",
                        help="one: every page to the web process; two: trainer pages to the staff process")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        sys.exit("DATABASE_URL: the scratch database of bench/bench_hot_paths.py")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.prod",
           "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "starvation-bench-" + "x" * 40),
           "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "DJANGO_SECURE_SSL_REDIRECT": "false"}
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    printed = subprocess.run([PY, "manage.py", "shell", "-c", SESSIONS], cwd=ROOT, env=env, check=True,
                             capture_output=True, text=True).stdout.split()
    learner_session, trainer_session = printed[-2:]
    workers = env.get("WEB_CONCURRENCY", str(os.cpu_count() * 2 + 1))
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for pools in (("one", "two") if args.pools == "both" else (args.pools,)):
            results[pools] = measure(args, env, pools=pools, learner_session=learner_session,
                                     trainer_session=trainer_session, folder=Path(folder))
    print(f"\nLearner home at {args.connections} connections, {args.duration} s, behind nginx "
          f"(deploy/nginx/tremplin-locations.conf); web: granian × {workers}; staff (two pools): granian × "
          f"{env.get('STAFF_CONCURRENCY', '2')} at nice {env.get('STAFF_NICE', '10')}; {os.cpu_count()} cores")
    print("| pools | while | req/s | p50 ms | p99 ms | errors | load |\n|---|---|---|---|---|---|---|")
    for pools, r in results.items():
        label = {"one": "one (every page to web)", "two": "two (trainer pages to staff)"}[pools]
        busy_label = (f"{args.trainers} trainers open the grid every {args.trainer_pause:g} s" if args.trainer_pause
                      else f"{args.trainers} trainers open the grid without pause")
        for what, key in (("alone", "alone"), (busy_label, "together")):
            x = r[key]
            print(f"| {label} | {what} | {x.rps:.1f} | {x.p50:.0f} | {x.p99:.0f} | {x.errors} | {r['load']:.1f} |")
    for pools, r in results.items():
        g = r["grid"]
        print(f"{pools} pool(s): the grid meanwhile {g.rps:.1f} req/s, p50 {g.p50:.0f} ms, p99 {g.p99:.0f} ms, "
              f"{g.errors} errors; learner p99 with trainers / alone: {r['together'].p99 / r['alone'].p99:.2f}×, "
              f"req/s {r['together'].rps / r['alone'].rps:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
