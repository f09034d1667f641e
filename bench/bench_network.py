"""Server time of every /pilotage/ page and export and of the observatory, on a generated national network, and
the nightly rollup of one day's events (issue 11, point 7).

Run on the database made by ``generate_network`` (1,000,000 learners, 20,000,000 events, 5,000 structures):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tremplin_bench .venv/bin/python bench/bench_network.py [--explain]

Each page is asked through Django's test client by the national team's first member (signed in), once to warm
up then ``--rounds`` times; the median is printed in milliseconds, with its ratio to a baseline measured in the
same process (the public accessibility page: a template, no query), the number of queries and the time spent in
SQL (the rest is Python: templates, charts, WeasyPrint). Levels: national,
the region, department and structure with the most learners, and the territory with the most departments.
A PDF report is drawn by the documents worker, never in a request (``tremplin.lib.pdf.pdf_prepared``): its first
request (figures, HTML, the task queued on the database backend; the « on its way » page, 202) is timed once, then
the worker's drawing (printed apart: background time), then the served PDF as every other page.
Targets: each page ≤ 300 ms, the rollup of one day < 1 min. ``--explain`` prints EXPLAIN ANALYZE of the slowest
query of each page over its target. Figures go to docs/areas/scale.md; no test asserts on wall-clock time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()  # the test client's host, as in the tests (nothing else of the test runner)

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from tremplin.organisations.enums import NetworkRole  # noqa: E402
from tremplin.organisations.models import Enrolment, NetworkMembership, Territory  # noqa: E402

PAGE_BUDGET_MS = 300
ROLLUP_BUDGET_S = 60


class Queries:
    """Every statement a page runs, with its duration (to find the slow one)."""

    def __init__(self) -> None:
        self.seen: list[tuple[float, str, tuple]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seen.append((time.perf_counter() - started, sql, params))


def timed(client: Client, url: str, rounds: int) -> tuple[float, int, int, Queries]:
    response = client.get(url)  # warm-up (and the status)
    samples = []
    queries = Queries()
    for n in range(rounds):
        recorder = Queries()
        with connection.execute_wrapper(recorder):
            started = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            samples.append((time.perf_counter() - started) * 1000)
        if n == 0:
            queries = recorder
    return statistics.median(samples), response.status_code, len(queries.seen), queries


def pdf_first_ask(client: Client, url: str) -> tuple[float, int, int, Queries]:
    """The first request for a report nobody asked yet: figures, HTML, the task queued on the database backend (as
    in production); the page that says it is on its way (202)."""
    from django.core.cache import caches
    from django.test import override_settings

    caches["documents"].clear()
    recorder = Queries()
    with override_settings(DOCUMENTS_TASK_BACKEND="database"), connection.execute_wrapper(recorder):
        started = time.perf_counter()
        response = client.get(url)
        ms = (time.perf_counter() - started) * 1000
    return ms, response.status_code, len(recorder.seen), recorder


def pdf_worker_draws() -> float:
    """The documents worker's run over what was queued (WeasyPrint's drawing), in seconds."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("db_worker", "--backend", "database", "--queue-name", "documents", "--batch", "--no-startup-delay",
                 "--no-reload", verbosity=0)
    return time.perf_counter() - started


def explain(queries: Queries) -> None:
    if not queries.seen or connection.vendor != "postgresql":
        return
    selects = [q for q in queries.seen if q[1].lstrip().upper().startswith("SELECT")]
    if not selects:
        return
    seconds, sql, params = max(selects, key=lambda q: q[0])
    print(f"      slowest query {seconds * 1000:.0f} ms: {sql[:160]}…")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        for (line,) in cursor.fetchall()[:25]:
            print("        " + line)


def targets() -> list[tuple[str, str, list]]:
    """(level, url name, args) of the pages to time: the biggest area of each level."""
    by_department = (Enrolment.objects.values("organisation__commune__department")
                     .annotate(n=Count("learner", distinct=True)).order_by("-n").first())
    department = by_department["organisation__commune__department"]
    region = (Enrolment.objects.values("organisation__commune__department__region")
              .annotate(n=Count("id")).order_by("-n").first()["organisation__commune__department__region"])
    structure = (Enrolment.objects.values("organisation").annotate(n=Count("id")).order_by("-n")
                 .first()["organisation"])
    territory = Territory.objects.annotate(n=Count("departments")).order_by("-n", "name").first()
    found = [("national", "network:home", []), ("region", "network:region", [region]),
             ("department", "network:department", [department]),
             ("structure", "network:structure", [str(structure)])]
    if territory is not None:
        found.append((f"territory ({territory.get_kind_display()})", "network:territory", [str(territory.pk)]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query of slow pages")
    parser.add_argument("--skip-rollup", action="store_true")
    parser.add_argument("--rollup-only", action="store_true", help="only the rollup of one day (no page)")
    args = parser.parse_args()
    if args.rollup_only:
        rollup_bench()
        return

    admin = (NetworkMembership.objects.filter(role=NetworkRole.NETWORK_ADMIN, territory=None)
             .select_related("user").order_by("created_at").first())
    if admin is None:
        sys.exit("No network admin: run generate_network on this database first.")
    client = Client()
    client.force_login(admin.user)
    baseline, _status, _n, _q = timed(client, reverse("public:accessibility"), args.rounds)
    print(f"database: {connection.settings_dict['NAME']} ({connection.vendor}); "
          f"baseline (accessibility page) {baseline:.1f} ms")
    print(f"{'page':<58} {'ms':>8} {'ratio':>7} {'queries':>8} {'SQL ms':>7}  status")
    slow = []
    pages: list[tuple[str, str]] = []
    last_year = str(dt.date.today().year - 1)
    for level, name, url_args in targets():
        page = reverse(name, args=url_args)
        pages.append((f"{level}: dashboard (this year)", page))
        pages.append((f"{level}: dashboard (last year, month)", page + f"?periode=month&debut={last_year}-06"))
        pages.append((f"{level}: dashboard (since the beginning)", page + "?periode=all"))
        for fmt in ("csv", "xlsx", "pdf"):
            export = reverse(name + "_export", args=[*url_args, fmt])
            pages.append((f"{level}: export {fmt.upper()}", export))
            if fmt != "pdf" and level != "structure":
                pages.append((f"{level}: export {fmt.upper()} (detail)", export + "?tableau=detail"))
    department = targets()[2][2][0]
    pages += [("observatory: home", reverse("public:observatory")),
              ("observatory: data", reverse("public:observatory_data")),
              ("observatory: open data CSV", reverse("public:observatory_csv")),
              ("observatory: department", reverse("public:observatory_department", args=[department])),
              ("observatory: department CSV", reverse("public:observatory_department_csv", args=[department]))]
    anonymous = Client()
    for label, url in pages:
        who = anonymous if label.startswith("observatory") else client
        if "export PDF" in label:
            ms, status, n_queries, queries = pdf_first_ask(client, url)
            sql_ms = sum(q[0] for q in queries.seen) * 1000
            flag = "" if ms <= PAGE_BUDGET_MS else "  ← over 300 ms"
            print(f"{label + ' (first ask, 202)':<58} {ms:8.1f} {ms / baseline:7.1f} {n_queries:8d} {sql_ms:7.1f}  "
                  f"{status}{flag}")
            drawn = pdf_worker_draws()
            print(f"{'  … the worker draws it (background, not a request)':<58} {drawn * 1000:8.1f}")
            label += " (served, 200)"
        ms, status, n_queries, queries = timed(who, url, args.rounds)
        flag = "" if ms <= PAGE_BUDGET_MS else "  ← over 300 ms"
        sql_ms = sum(q[0] for q in queries.seen) * 1000
        print(f"{label:<58} {ms:8.1f} {ms / baseline:7.1f} {n_queries:8d} {sql_ms:7.1f}  {status}{flag}")
        if ms > PAGE_BUDGET_MS:
            slow.append((label, queries))
    if args.explain:
        for label, queries in slow:
            print(f"  {label}:")
            explain(queries)
    if not args.skip_rollup:
        rollup_bench()


def rollup_bench() -> None:
    """One day's rollup (yesterday), as the nightly task does it: wall clock, SQL time (the statements' own
    durations), this process's CPU, and the slowest statements."""
    from tremplin.stats import rollup

    day = dt.date.today() - dt.timedelta(days=1)
    recorder = Queries()
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(recorder):
        summary = rollup.days_rollup(days=[day])
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    sql = sum(q[0] for q in recorder.seen)
    flag = "" if seconds < ROLLUP_BUDGET_S else "  ← over 1 min"
    print(f"rollup of one day ({day}): {seconds:.1f} s, SQL {sql:.1f} s in {len(recorder.seen)} statements, "
          f"Python CPU {cpu:.1f} s ({summary.activity_rows} activity rows, {summary.tally_rows} counts, "
          f"{summary.periods} periods derived){flag}")
    for duration, statement, _params in sorted(recorder.seen, key=lambda q: -q[0])[:8]:
        print(f"  {duration:7.2f} s  {' '.join(statement.split())[:130]}")

if __name__ == "__main__":
    main()
