"""What the trainer assigned, shown on « Mes parcours » (owned by the coaching screens)."""

from django.utils import timezone

from tremplin.catalog.selectors import catalog
from tremplin.coaching.selectors import assignment_targets_of_learner
from tremplin.progress.selectors import completed_module_ids


def assignments_for_home(user, *, done: set[int] | None = None, curriculum=None) -> dict:
    """Unfinished assignments, soonest due first: a module links to the module, a track to the track.

    One query of ids and dates; titles and slugs come from the release's catalogue in memory (a withdrawn module or
    track is not in it, and is not shown). ``done``: ids of the modules the learner completed, ``curriculum``: the
    catalogue, when the home page has already read them."""
    if not user.is_authenticated:
        return {}
    targets = assignment_targets_of_learner(learner=user)
    if not targets:
        return {}
    if done is None:
        done = completed_module_ids(learner=user)
    cat = curriculum or catalog()
    tracks = {t.pk: t for t in cat.tracks}
    today = timezone.localdate()
    items, seen = [], set()
    for module_id, track_id, due_date, _created in targets:
        key = ("module", module_id) if module_id else ("track", track_id)
        content = cat.active_by_pk.get(module_id) if module_id else tracks.get(track_id)
        if key in seen or content is None or (module_id and module_id in done):
            continue
        seen.add(key)
        items.append({"title": content.title, "is_track": not module_id, "slug": content.slug, "due_date": due_date,
                      "late": bool(due_date and due_date < today)})
    return {"assigned": items}
