"""What the trainer assigned, shown on « Mes parcours » (owned by the coaching screens)."""

from django.utils import timezone

from tremplin.coaching.selectors import assignments_of_learner
from tremplin.progress.selectors import completed_module_ids


def assignments_for_home(user, *, done: set[int] | None = None) -> dict:
    """Unfinished assignments, soonest due first: a module links to the module, a track to the track.

    ``done``: ids of the modules the learner completed, when the home page has already read them."""
    if not user.is_authenticated:
        return {}
    assignments = assignments_of_learner(learner=user)
    if not assignments:
        return {}
    if done is None:
        done = completed_module_ids(learner=user)
    today = timezone.localdate()
    items, seen = [], set()
    for a in assignments:
        key = ("module", a.module_id) if a.module_id else ("track", a.track_id)
        if key in seen or (a.module_id and a.module_id in done) or not (a.module or a.track).is_active:
            continue
        seen.add(key)
        items.append({"title": a.content_title, "is_track": a.track_id is not None,
                      "slug": (a.module or a.track).slug, "due_date": a.due_date,
                      "late": bool(a.due_date and a.due_date < today)})
    return {"assigned": items}
