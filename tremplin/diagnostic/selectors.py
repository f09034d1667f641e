"""Reads of the diagnostic. Learner data is always reached through its learner; trainers go through
their ``scope`` (``organisations.access``), the same as every other trainer screen: another
organisation's learner, or a learner of the trainer's other organisation, is a 404."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from tremplin.accounts.models import User
from tremplin.catalog.cache import Catalog, ModuleEntry, catalog
from tremplin.organisations.access import Scope, parse_id
from tremplin.organisations.selectors import learners_of
from tremplin.progress.selectors import completed_module_ids

from . import engine
from .enums import LevelName, SessionStatus
from .models import Competence, DiagnosticItem, DiagnosticItemVersion, DiagnosticSession, FrameworkRelease

# Which module levels suit a learner at each diagnostic level (a Confirmé needs nothing more).
MODULE_LEVELS_FOR = {"debutant": {"debutant"}, "initie": {"debutant", "intermediaire"},
                     "autonome": {"intermediaire", "avance"}}
RECOMMENDED_MAX = 5


@dataclass(frozen=True)
class CompetenceResult:
    competence: str
    title: str
    level: str
    level_label: str
    rank: int  # 0 = Débutant … 3 = Confirmé
    can_do: list[str] = field(default_factory=list)
    to_learn: list[str] = field(default_factory=list)
    previous_level_label: str = ""
    change: int = 0  # levels gained since the previous diagnostic (negative: lost)
    has_previous: bool = False
    intro: str = ""  # for a beginner: an encouraging sentence instead of « what you can already do »


def _competences() -> list[Competence]:
    return list(Competence.objects.filter(is_active=True))


def results_of(session: DiagnosticSession, previous: DiagnosticSession | None = None) -> list[CompetenceResult]:
    out = []
    labels = dict(LevelName.choices)
    for c in _competences():
        r = session.results.get(c.slug)
        if r is None:
            continue
        rank = engine.level_index(r["level"])
        nxt = engine.LEVELS[rank + 1] if rank + 1 < len(engine.LEVELS) else None
        prev = previous.results.get(c.slug) if previous else None
        out.append(CompetenceResult(
            competence=c.slug, title=c.title, level=r["level"], level_label=str(labels[r["level"]]), rank=rank,
            can_do=c.levels.get(r["level"], {}).get("can_do", []) if rank > 0 else [],
            to_learn=c.levels.get(nxt, {}).get("can_do", []) if nxt else [],
            previous_level_label=str(labels[prev["level"]]) if prev else "",
            change=rank - engine.level_index(prev["level"]) if prev else 0, has_previous=prev is not None,
            intro=" ".join(c.levels.get("debutant", {}).get("can_do", [])) if rank == 0 else ""))
    return out


def completed_sessions_of(*, learner: User) -> QuerySet[DiagnosticSession]:
    return DiagnosticSession.objects.filter(learner=learner, status=SessionStatus.COMPLETED).order_by("-completed_at")


def open_session_of(*, learner: User) -> DiagnosticSession | None:
    return DiagnosticSession.objects.filter(learner=learner, status=SessionStatus.IN_PROGRESS).first()


def session_of(*, learner: User, session_id: uuid.UUID) -> DiagnosticSession | None:
    return DiagnosticSession.objects.filter(learner=learner, pk=session_id).first()


def previous_session(session: DiagnosticSession) -> DiagnosticSession | None:
    if session.completed_at is None:
        return None
    return completed_sessions_of(learner=session.learner).filter(completed_at__lt=session.completed_at).first()


def latest_results_for(*, learner: User) -> list[CompetenceResult]:
    """Per-competence levels of the learner's latest completed diagnostic ([] if none).

    The caller has already checked it may see this learner (a selector that took its scope).
    """
    latest = completed_sessions_of(learner=learner).first()
    if latest is None:
        return []
    return results_of(latest, previous_session(latest))


def needs_human_help(results: list[CompetenceResult]) -> bool:
    """Cannot go on alone: a beginner with the device itself, or a beginner almost everywhere."""
    by = {r.competence: r.rank for r in results}
    return by.get("utiliser-un-appareil", 1) == 0 or sum(1 for r in results if r.rank == 0) >= 4


def recommended_modules(*, learner: User, results: list[CompetenceResult], done: set[int] | None = None,
                        curriculum: Catalog | None = None) -> list[ModuleEntry]:
    """Modules that train the weakest competences at a level that fits, not yet completed.

    Weakest competence first (framework order breaks ties: the device before the rest), then
    round-robin: each weak competence in turn gets its most focused fitting module. The modules come from the
    content release's catalogue in memory; ``done`` (the ids of the modules the learner completed) when the
    caller has already read them; ``curriculum``: the catalogue the caller already holds.
    """
    weak = sorted((r for r in results if r.level in MODULE_LEVELS_FOR), key=lambda r: r.rank)
    if not weak:
        return []
    if done is None:
        done = completed_module_ids(learner=learner)
    modules = [m for m in (curriculum or catalog()).modules if m.pk not in done]
    queues = []
    for r in weak:
        fitting = [m for m in modules if r.competence in m.competences and m.level in MODULE_LEVELS_FOR[r.level]]
        # Focused modules first: the competence listed first, few other competences.
        fitting.sort(key=lambda m: (m.competences.index(r.competence), len(m.competences)))
        queues.append(fitting)
    chosen: list[ModuleEntry] = []
    while len(chosen) < RECOMMENDED_MAX and any(queues):
        for queue in queues:
            while queue and queue[0] in chosen:
                queue.pop(0)
            if queue and len(chosen) < RECOMMENDED_MAX:
                chosen.append(queue.pop(0))
    return chosen


@dataclass(frozen=True)
class HomeSessions:
    open: DiagnosticSession | None
    latest: DiagnosticSession | None  # the latest completed
    previous: DiagnosticSession | None  # the completed one before it


def home_sessions(*, learner: User) -> HomeSessions:
    """The learner's open diagnostic, latest completed one and the one before, in one query (the home page)."""
    rows = list(DiagnosticSession.objects.filter(
        learner=learner, status__in=[SessionStatus.COMPLETED, SessionStatus.IN_PROGRESS]).only(
        "id", "learner_id", "status", "results", "started_at", "completed_at"))  # newest started first
    dated = sorted(((s.completed_at, s) for s in rows if s.status == SessionStatus.COMPLETED and s.completed_at),
                   key=lambda pair: pair[0], reverse=True)
    latest = dated[0][1] if dated else None
    previous = next((s for at, s in dated[1:] if at < dated[0][0]), None)
    return HomeSessions(open=next((s for s in rows if s.status == SessionStatus.IN_PROGRESS), None),
                        latest=latest, previous=previous)


def bank_versions() -> dict[str, DiagnosticItemVersion]:
    items = DiagnosticItem.objects.filter(is_active=True, current__isnull=False).select_related(
        "current", "competence")
    versions: dict[str, DiagnosticItemVersion] = {}
    for it in items:
        if it.current is not None:
            it.current.item = it  # the version's item is this one: no query per version when it is read
            versions[it.slug] = it.current
    return versions


def next_version_for(session: DiagnosticSession) -> DiagnosticItemVersion | None:
    """The item the engine asks next (a pure function of the answers: reloads show the same item)."""
    from .services import _answers_for_engine

    versions = bank_versions()
    competences = [c.slug for c in _competences()]
    answered = _answers_for_engine(session)
    post = engine.posterior_from(competences, answered)
    bank = [engine.Item(slug, v.item.competence.slug, v.difficulty, v.discrimination) for slug, v in versions.items()]
    chosen = engine.next_item(post, bank, [it.key for it, _ok in answered])
    return versions[chosen.key] if chosen else None


def version_shown(*, slug: str, version: str) -> DiagnosticItemVersion | None:
    return DiagnosticItemVersion.objects.filter(item__slug=slug, version=version).select_related("item").first()


def framework_release() -> FrameworkRelease | None:
    return FrameworkRelease.objects.first()


def paper_form_versions() -> list[DiagnosticItemVersion]:
    release = framework_release()
    versions = bank_versions()
    return [versions[s] for s in (release.paper_form if release else []) if s in versions]


def diagnostics_of(*, scope: Scope, page: int | str | None = 1, per_page: int = 50):
    """One page of the scope's learners (a ``Page``), each with ``done``: their completed diagnostics, latest first."""
    from django.core.paginator import Paginator

    completed = DiagnosticSession.objects.filter(status=SessionStatus.COMPLETED).order_by("-completed_at")
    learners = learners_of(scope=scope).prefetch_related(Prefetch("diagnostics", queryset=completed,
                                                                   to_attr="done"))
    return Paginator(learners, per_page).get_page(page)


def sessions_of_learner(*, learner: User) -> list[DiagnosticSession]:
    """All of a learner's diagnostics, latest first (the caller reached the learner through a scope)."""
    return list(DiagnosticSession.objects.filter(learner=learner).order_by("-started_at"))


def session_for(*, scope: Scope, session_id: object) -> DiagnosticSession | None:
    """One diagnostic of one of the scope's learners."""
    pk = parse_id(session_id)
    if pk is None:
        return None
    return (DiagnosticSession.objects.filter(pk=pk, learner__in=learners_of(scope=scope).values("pk"))
            .select_related("learner").first())
