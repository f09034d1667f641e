from django.db.models import Count, Q, QuerySet

from .cache import Catalog, ModuleEntry, StepPack, TrackEntry, catalog, step_pack
from .models import Module, Step, Track

__all__ = ["Catalog", "ModuleEntry", "StepPack", "TrackEntry", "catalog", "step_pack"]


def tracks_for_learners() -> QuerySet[Track]:
    return Track.objects.filter(is_active=True)


def module_ids_by_track() -> dict[int, list[int]]:
    """{track id: ids of its active modules} for every active track (from the release's catalogue in memory)."""
    return {track_id: [m.pk for m in modules] for track_id, modules in catalog().modules_by_track.items()}


def track_for_learners(*, slug: str) -> TrackEntry | None:
    """An active track, from the release's catalogue in memory."""
    return catalog().track_by_slug.get(slug)


def modules_of_track(*, track_id: int) -> tuple[ModuleEntry, ...]:
    """The active modules of an active track by position, from the release's catalogue in memory."""
    return catalog().modules_by_track.get(track_id, ())


def modules_of(*, track: Track) -> QuerySet[Module]:
    return track.modules.filter(is_active=True).order_by("position")


def module_active(*, slug: str) -> Module | None:
    return Module.objects.filter(slug=slug, is_active=True).select_related("track").first()


def steps_of(*, module: Module) -> list[Step]:
    return list(module.steps.filter(is_active=True).order_by("position"))


def modules_with_counts() -> QuerySet[Module]:
    return Module.objects.filter(is_active=True).annotate(
        n_steps=Count("steps", filter=Q(steps__is_active=True)))
