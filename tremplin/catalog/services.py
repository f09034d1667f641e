"""Loading the curriculum files into the database.

All or nothing: the whole tree is validated first; if anything is wrong nothing is written.
Loading is idempotent (stable slugs, unchanged modules are skipped) and never deletes:
what disappeared from the files is marked inactive so learners' progress is kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import F

from . import markdown
from .content_files import ContentError, Curriculum, LoadedModule, read_curriculum
from .models import ContentRelease, Module, ModuleAsset, Step, Track
from .schema import ExplanationStep, Question, RecapStep


class ContentInvalid(Exception):
    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__(f"{len(errors)} erreur(s) dans le contenu")


@dataclass
class LoadReport:
    version: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)


def _step_rows(loaded: LoadedModule) -> list[dict]:
    rows = []
    items: list[ExplanationStep | RecapStep | Question] = [*loaded.data.steps, *loaded.data.quiz]
    for position, item in enumerate(items):
        if isinstance(item, Question):
            rows.append({
                "slug": item.slug, "position": position, "kind": item.kind, "title": item.prompt,
                "body_html": "", "image": "", "image_alt": "",
                "data": {"choices": [c.model_dump() for c in item.choices], "explanation": item.explanation},
            })
        else:
            rows.append({
                "slug": item.slug, "position": position, "kind": item.kind, "title": item.title,
                "body_html": markdown.render(item.body),
                "image": getattr(item, "image", None) or "", "image_alt": getattr(item, "image_alt", None) or "",
                "data": {},
            })
    return rows


def _upsert_module(loaded: LoadedModule, track: Track) -> tuple[Module, bool]:
    data = loaded.data
    defaults = {
        "track": track, "position": loaded.position, "title": data.title, "summary": data.summary,
        "duration_minutes": data.duration_minutes, "level": data.level,
        "themes": [str(t) for t in data.themes], "competences": data.competences,
        "objectives": data.objectives, "sources": [s.model_dump() for s in data.sources],
        "simulators": data.simulators, "checked_on": data.checked_on,
        "trainer_guide": data.trainer_guide.model_dump() if data.trainer_guide else None,
        "content_version": loaded.content_version, "is_active": True,
    }
    module, created = Module.objects.update_or_create(slug=data.slug, defaults=defaults)
    rows = _step_rows(loaded)
    keep = {r["slug"] for r in rows}
    # Free the positions first: a reordering must not trip over itself.
    Step.objects.filter(module=module).update(position=F("position") + 10_000)
    for row in rows:
        slug = row.pop("slug")
        Step.objects.update_or_create(module=module, slug=slug, defaults={**row, "is_active": True})
    Step.objects.filter(module=module).exclude(slug__in=keep).update(is_active=False)
    for svg in sorted(loaded.directory.glob("*.svg")):
        content = svg.read_text(encoding="utf-8")
        ModuleAsset.objects.update_or_create(
            module=module, name=svg.name,
            defaults={"content": content, "sha": hashlib.sha256(content.encode()).hexdigest()[:12]})
    return module, created


def curriculum_load(*, root: Path, curriculum: Curriculum | None = None) -> LoadReport:
    curriculum = curriculum or read_curriculum(root)
    if curriculum.errors:
        raise ContentInvalid(curriculum.errors)
    report = LoadReport(version=curriculum.version)
    with transaction.atomic():
        seen_tracks, seen_modules = set(), set()
        for loaded_track in curriculum.tracks:
            t = loaded_track.data
            track, _ = Track.objects.update_or_create(
                slug=t.slug, defaults={"title": t.title, "summary": t.summary, "journey": t.journey,
                                       "order": t.order, "is_active": True})
            seen_tracks.add(t.slug)
            for loaded in loaded_track.modules:
                seen_modules.add(loaded.data.slug)
                existing = Module.objects.filter(slug=loaded.data.slug).first()
                if (existing and existing.content_version == loaded.content_version and existing.is_active
                        and existing.track_id == track.id and existing.position == loaded.position):
                    report.unchanged.append(loaded.data.slug)
                    continue
                _module, created = _upsert_module(loaded, track)
                (report.created if created else report.updated).append(loaded.data.slug)
        gone = Module.objects.filter(is_active=True).exclude(slug__in=seen_modules)
        report.deactivated = list(gone.values_list("slug", flat=True))
        gone.update(is_active=False)
        Track.objects.exclude(slug__in=seen_tracks).update(is_active=False)
        ContentRelease.objects.create(version=curriculum.version, summary={
            "modules": len(seen_modules), "created": len(report.created), "updated": len(report.updated),
            "deactivated": report.deactivated})
    return report
