"""The curriculum's metadata (active tracks and modules, without their JSON columns but the competences) read once
per content release and served from memory, then from the shared cache, then from the database.

The curriculum only changes when ``load_content`` runs, and each load writes a ``ContentRelease``: the cache key
is the latest release's id, read by one tiny query per call, so a new load is seen by every process at once
(whether the cache is per process, locmem, or shared, Redis). An edit of a track, a module or a step outside
``load_content`` (the admin, a test) changes a generation token kept in the cache (signals connected in
``CatalogConfig.ready``); with a per-process cache, another process sees such an edit when its copy expires
(``TTL``). Entries are plain frozen dataclasses: nothing here can run a query when a template reads it.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache

from .models import ContentRelease, Module, ModuleAsset, Step, Track

TTL = 600  # seconds a copy is trusted without a release change (bounds an admin edit seen by another process)
GENERATION_KEY = "catalog:generation"


@dataclass(frozen=True)
class TrackEntry:
    pk: int
    slug: str
    title: str
    summary: str
    journey: str
    order: int

    def __str__(self) -> str:
        return self.title


@dataclass(frozen=True)
class ModuleEntry:
    pk: int
    slug: str
    track: TrackEntry
    position: int
    title: str
    summary: str
    duration_minutes: int
    level: str
    competences: tuple[str, ...]
    content_version: str

    @property
    def track_id(self) -> int:
        return self.track.pk

    def __str__(self) -> str:
        return self.title


@dataclass(frozen=True)
class Catalog:
    """Active tracks (in their order) and the active modules of each (by position)."""

    tracks: tuple[TrackEntry, ...]
    modules_by_track: dict[int, tuple[ModuleEntry, ...]]
    # Every active module by id, an inactive track's too (a module page stays open when its track is withdrawn).
    active_by_pk: dict[int, ModuleEntry]
    # Active modules of active tracks, in the curriculum's order (track order, then position).
    modules: tuple[ModuleEntry, ...] = field(init=False)
    track_by_slug: dict[str, TrackEntry] = field(init=False)
    module_by_slug: dict[str, ModuleEntry] = field(init=False)  # every active module
    key: str = ""  # the cache key it was read under (release and generation)

    def __post_init__(self) -> None:
        ordered = tuple(m for t in self.tracks for m in self.modules_by_track.get(t.pk, ()))
        object.__setattr__(self, "modules", ordered)
        object.__setattr__(self, "track_by_slug", {t.slug: t for t in self.tracks})
        object.__setattr__(self, "module_by_slug", {m.slug: m for m in self.active_by_pk.values()})


def _build() -> Catalog:
    """Two queries: every track (a few dozen rows), every active module without its JSON but the competences."""
    tracks: dict[int, TrackEntry] = {}
    active: list[TrackEntry] = []
    for t in Track.objects.order_by("order", "slug").only("id", "slug", "title", "summary", "journey", "order",
                                                          "is_active"):
        tracks[t.pk] = TrackEntry(pk=t.pk, slug=t.slug, title=t.title, summary=t.summary, journey=t.journey,
                                  order=t.order)
        if t.is_active:
            active.append(tracks[t.pk])
    by_track: dict[int, list[ModuleEntry]] = {}
    by_pk: dict[int, ModuleEntry] = {}
    for pk, slug, track_id, position, title, summary, minutes, level, competences, version in (
            Module.objects.filter(is_active=True).order_by("track_id", "position").values_list(
                "pk", "slug", "track_id", "position", "title", "summary", "duration_minutes", "level", "competences",
                "content_version")):
        track = tracks.get(track_id)
        if track is None:  # a track created between the two reads
            continue
        by_pk[pk] = entry = ModuleEntry(pk=pk, slug=slug, track=track, position=position, title=title,
                                        summary=summary, duration_minutes=minutes, level=level,
                                        competences=tuple(competences or ()), content_version=version)
        by_track.setdefault(track.pk, []).append(entry)
    active_ids = {t.pk for t in active}
    return Catalog(tracks=tuple(active), active_by_pk=by_pk,
                   modules_by_track={k: tuple(v) for k, v in by_track.items() if k in active_ids})


_local = threading.local()  # (key, expires at, Catalog): this process's copy, no unpickling per request


def _generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        token = cache.get(GENERATION_KEY) or "none"
    return token


def current_release() -> int | None:
    """Id of the latest content release (None before the first ``load_content``)."""
    return ContentRelease.objects.order_by("-pk").values_list("pk", flat=True).first()


def catalog() -> Catalog:
    """The curriculum of the current release: one small query and one cache read when this process has it."""
    key = f"catalog:{current_release()}:{_generation()}"
    held = getattr(_local, "held", None)
    now = time.monotonic()
    if held is not None and held[0] == key and held[1] > now:
        return held[2]
    found = cache.get(key)
    if found is None:
        found = _build()
        cache.set(key, found, TTL)
    object.__setattr__(found, "key", key)
    _local.held = (key, now + TTL, found)
    _local.steps = {}
    return found


@dataclass(frozen=True)
class StepPack:
    """A module's active steps (model instances, every column loaded: nothing left to query) and its
    illustrations' versions {name: sha}, for the step page's GET."""

    steps: tuple[Step, ...]
    asset_shas: dict[str, str]


def step_pack(cat: Catalog, module: ModuleEntry) -> StepPack:
    """The module's steps of the catalogue's release: this process's copy, else the cache's, else two queries."""
    held = getattr(_local, "steps", None)
    if held is None:
        held = _local.steps = {}
    key = f"{cat.key}:steps:{module.pk}"
    pack = held.get(key)
    if pack is None:
        pack = cache.get(key)
        if pack is None:
            pack = StepPack(
                steps=tuple(Step.objects.filter(module_id=module.pk, is_active=True).order_by("position")),
                asset_shas=dict(ModuleAsset.objects.filter(module_id=module.pk).values_list("name", "sha")))
            cache.set(key, pack, TTL)
        held[key] = pack
    return pack


def invalidate(**_kwargs) -> None:
    """A track, module or step changed outside a content load: every process rebuilds its copy."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    _local.held = None
    _local.steps = {}
