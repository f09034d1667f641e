from django.db.models import Count, Q, QuerySet

from .models import Module, Step, Track


def tracks_for_learners() -> QuerySet[Track]:
    return Track.objects.filter(is_active=True)


def module_ids_by_track() -> dict[int, list[int]]:
    """{track id: ids of its active modules} for every active track, in one query (the learner home)."""
    out: dict[int, list[int]] = {}
    for track_id, module_id in (Module.objects.filter(is_active=True, track__is_active=True)
                                .order_by("track_id", "position").values_list("track_id", "id")):
        out.setdefault(track_id, []).append(module_id)
    return out


def modules_of(*, track: Track) -> QuerySet[Module]:
    return track.modules.filter(is_active=True).order_by("position")


def module_active(*, slug: str) -> Module | None:
    return Module.objects.filter(slug=slug, is_active=True).select_related("track").first()


def steps_of(*, module: Module) -> list[Step]:
    return list(module.steps.filter(is_active=True).order_by("position"))


def modules_with_counts() -> QuerySet[Module]:
    return Module.objects.filter(is_active=True).annotate(
        n_steps=Count("steps", filter=Q(steps__is_active=True)))
