"""Server time of the hot paths (issue 15, point 6): a learner's home, step and track pages, and a trainer's
follow-up grid and its CSV, in a structure of 2,000 learners and 200,000 events.

Run on a scratch PostgreSQL database filled by ``generate_network`` (one structure):

    createdb -h 127.0.0.1 -U postgres tremplin_hot
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/tremplin_hot
    .venv/bin/python manage.py migrate && …load_geography, load_content, load_diagnostic, load_simulators
    .venv/bin/python manage.py generate_network --learners 2000 --events 200000 --structures 1
    .venv/bin/python bench/bench_hot_paths.py [--rounds 20]

The generator makes no groups nor assignments: the first run adds, through the coaching services, a group
« Banc d'essai » holding every learner of the structure with two tracks assigned to it (the grid's columns) and one
module assigned to each tenth learner directly; later runs reuse them. Each page is asked through Django's test
client, once to warm up then ``--rounds`` times; printed: median and p95 in milliseconds, the ratio of the median to
a baseline measured in the same process (the public accessibility page: a template, no query), the queries per
request, the time spent in SQL and the size of the body, and the median CPU time of this process (Python: the view,
the templates, reading the rows; the database's own work is not in it): on a loaded machine the wall-clock times
swell with the load, the CPU time much less. Target: the grid ≤ 300 ms. No assertion on time: the
machine is shared; the figures and ``uptime`` go to docs/areas/hot-paths.md.
"""

from __future__ import annotations

import argparse
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

from tremplin.accounts.models import User  # noqa: E402
from tremplin.catalog.models import Module, Track  # noqa: E402
from tremplin.coaching.models import Assignment, Group  # noqa: E402
from tremplin.coaching.services import assignment_create, group_create  # noqa: E402
from tremplin.diagnostic.enums import SessionStatus  # noqa: E402
from tremplin.organisations.enums import MembershipRole  # noqa: E402
from tremplin.organisations.models import Enrolment, Membership  # noqa: E402
from tremplin.progress.models import ModuleProgress  # noqa: E402

GRID_BUDGET_MS = 300
BENCH_GROUP = "Banc d'essai"


class Queries:
    def __init__(self) -> None:
        self.seen: list[float] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seen.append(time.perf_counter() - started)


def timed(client: Client, url: str, rounds: int) -> dict:
    response = client.get(url)  # warm-up (and the status)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    samples, cpu, sql, n_queries, size = [], [], [], 0, 0
    for _ in range(rounds):
        recorder = Queries()
        with connection.execute_wrapper(recorder):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            body = b"".join(response.streaming_content) if hasattr(response, "streaming_content") \
                else response.content
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        sql.append(sum(recorder.seen) * 1000)
        n_queries, size = len(recorder.seen), len(body)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return {"median": statistics.median(samples), "p95": p95, "cpu": statistics.median(cpu), "queries": n_queries,
            "sql": statistics.median(sql), "bytes": size, "status": response.status_code}


def structure_and_trainer():
    """The structure with the most learners and its first admin (the generator's « formateur.1 »)."""
    top = Enrolment.objects.values("organisation").annotate(n=Count("id")).order_by("-n").first()
    if top is None:
        sys.exit("No structure: run generate_network on this database first.")
    membership = (Membership.objects.filter(organisation_id=top["organisation"], role=MembershipRole.ADMIN)
                  .select_related("organisation", "user").order_by("created_at").first())
    return membership.organisation, membership.user, top["n"]


def ensure_assignments(organisation, trainer) -> Group:
    group = Group.objects.filter(organisation=organisation, name=BENCH_GROUP).first()
    if group is not None:
        return group
    learners = list(User.objects.filter(enrolments__organisation=organisation).distinct())
    group = group_create(organisation=organisation, name=BENCH_GROUP, members=learners, created_by=trainer)
    for track in Track.objects.filter(is_active=True).order_by("order")[:2]:
        assignment_create(organisation=organisation, created_by=trainer, track=track, group=group)
    extra = Module.objects.filter(is_active=True).order_by("-track__order", "position").first()
    for learner in learners[::10]:
        assignment_create(organisation=organisation, created_by=trainer, module=extra, learner=learner)
    return group


def measured_learner(organisation) -> User:
    """An enrolled learner with a completed diagnostic and the most modules started (the busiest home)."""
    with_diagnostic = User.objects.filter(enrolments__organisation=organisation,
                                          diagnostics__status=SessionStatus.COMPLETED).values("pk")
    top = (ModuleProgress.objects.filter(learner__in=with_diagnostic).values("learner")
           .annotate(n=Count("id")).order_by("-n").first())
    return User.objects.get(pk=top["learner"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--only", default="", help="time only the pages whose label contains this text")
    args = parser.parse_args()

    organisation, trainer, n_enrolled = structure_and_trainer()
    group = ensure_assignments(organisation, trainer)
    learner = measured_learner(organisation)
    progress = ModuleProgress.objects.filter(learner=learner).select_related("module", "module__track") \
        .order_by("-last_activity_at").first()
    module = progress.module
    n_assignments = Assignment.objects.filter(organisation=organisation).count()

    anonymous = Client()
    baseline = timed(anonymous, reverse("public:accessibility"), args.rounds)["median"]
    learner_client, trainer_client = Client(), Client()
    learner_client.force_login(learner)
    trainer_client.force_login(trainer)
    grid = reverse("trainer:followup_grid")
    pages = [
        ("learner: home", learner_client, reverse("learner:home")),
        ("learner: step 1", learner_client, reverse("learner:step", args=[module.slug, 1])),
        ("learner: track page", learner_client, reverse("learner:track", args=[module.track.slug])),
        ("learner: module page", learner_client, reverse("learner:module", args=[module.slug])),
        ("trainer: grid page 1", trainer_client, grid),
        ("trainer: grid page 1, group", trainer_client, f"{grid}?groupe={group.pk}"),
        ("trainer: grid page 20", trainer_client, f"{grid}?page=20"),
        ("trainer: grid, needs help first", trainer_client, f"{grid}?tri=help"),
        ("trainer: grid, status filter", trainer_client, f"{grid}?statut=needs_help"),
        ("trainer: grid, not started filter", trainer_client, f"{grid}?statut=not_started"),
        ("trainer: grid, needing help by need", trainer_client, f"{grid}?statut=needs_help&tri=help&page=3"),
        ("trainer: grid CSV (everyone)", trainer_client, reverse("trainer:followup_export")),
    ]
    # The trainer's other pages, to find any list that grows with the structure (not the hot paths themselves).
    pages += [(f"other: {name}", trainer_client, reverse(f"trainer:{name}")) for name in (
        "home", "learners", "group_list", "group_create", "workshop_list", "assignment_list", "assignment_create",
        "record_list", "diagnostic_overview", "duplicates", "cards", "organisation", "referral_list")]
    print(f"database: {connection.settings_dict['NAME']} ({connection.vendor}); structure « {organisation.name} »: "
          f"{n_enrolled:,} enrolled, {ModuleProgress.objects.count():,} module progress rows, "
          f"{n_assignments:,} assignments; baseline (accessibility page) {baseline:.1f} ms; "
          f"{args.rounds} rounds")
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)")
    print(f"{'page':<36} {'median':>8} {'p95':>8} {'ratio':>7} {'CPU ms':>7} {'queries':>8} {'SQL ms':>7} {'KB':>8}"
          "  status")
    for label, client, url in pages:
        if args.only not in label:
            continue
        r = timed(client, url, args.rounds)
        on_screen = label.startswith("trainer: grid") and "CSV" not in label
        flag = "  ← over 300 ms" if on_screen and r["median"] > GRID_BUDGET_MS else ""
        print(f"{label:<36} {r['median']:8.1f} {r['p95']:8.1f} {r['median'] / baseline:7.1f} {r['cpu']:7.1f} {r['queries']:8d} "
              f"{r['sql']:7.1f} {r['bytes'] / 1024:8.1f}  {r['status']}{flag}")


if __name__ == "__main__":
    main()
