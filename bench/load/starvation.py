"""Can trainers starve learners? A learner's home under load, alone and while trainers open the follow-up grid.

Issue 15 (hot paths): « make sure no trainer page can starve learners … a learner's p99 unchanged while trainers
work ». On the scratch database of ``bench/bench_hot_paths.py`` (2,000 learners, 200,000 events, one structure):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tremplin_hot .venv/bin/python bench/load/starvation.py

starts the production server as the Procfile does (granian, ``config.settings.prod``), signs the busiest learner
and the structure's admin in (sessions made by Django, no password needed), then runs wrk on the learner home for
``--duration`` seconds at ``--connections``, first alone, then while ``--trainers`` connections ask for the grid
sorted « besoin d'aide d'abord » (its heaviest page) without pause. Prints both and the ratio of the p99s. Times
are printed, never asserted; the machine's load average is printed beside them.
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
from compare import Target, request, run_wrk  # noqa: E402

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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--trainers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8010)
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
    workers = str(os.cpu_count() * 2 + 1)
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "granian"), "--interface", "wsgi", "--host", "127.0.0.1",
                               "--port", str(args.port), "--workers", workers, "--blocking-threads", "1",
                               "--no-access-log", "--log-level", "warning", "config.wsgi:application"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL)  # its JSON request log
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_up(args.port, server)
        home = Target("Tremplin", "learner home", base, "/apprendre/", {"sessionid": learner_session})
        grid = Target("Tremplin", "grid, needs help first", base, "/espace-formateur/suivi/?tri=help",
                      {"sessionid": trainer_session})
        assert request(base, "GET", home.path, cookies=home.cookies)[0] == 200, "the learner is not signed in"
        assert request(base, "GET", grid.path, cookies=grid.cookies)[0] == 200, "the trainer is not signed in"
        with tempfile.TemporaryDirectory() as folder:
            run_wrk(home, args.connections, 5, Path(folder))  # warm-up: every worker builds its caches
            run_wrk(grid, args.trainers, 3, Path(folder))
            alone = run_wrk(home, args.connections, args.duration, Path(folder), server.pid)
            busy: dict = {}
            trainers = threading.Thread(target=lambda: busy.update(
                grid=run_wrk(grid, args.trainers, args.duration + 2, Path(folder))))
            trainers.start()
            time.sleep(1)
            together = run_wrk(home, args.connections, args.duration, Path(folder), server.pid)
            trainers.join()
        load = os.getloadavg()[0]
        print(f"\nLearner home at {args.connections} connections, {args.duration} s, granian × {workers}; "
              f"load average {load:.1f} on {os.cpu_count()} cores")
        print("| while | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|")
        print(f"| alone | {alone.rps:.1f} | {alone.p50:.0f} | {alone.p99:.0f} | {alone.errors} |")
        print(f"| {args.trainers} trainers open the grid without pause | {together.rps:.1f} | {together.p50:.0f} | "
              f"{together.p99:.0f} | {together.errors} |")
        g = busy["grid"]
        print(f"The grid meanwhile: {g.rps:.1f} req/s, p50 {g.p50:.0f} ms, p99 {g.p99:.0f} ms, {g.errors} errors. "
              f"Learner p99 with trainers / alone: {together.p99 / alone.p99:.2f}×")
    finally:
        server.terminate()
        server.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
