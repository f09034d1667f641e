"""The diagnostic's invitation, result and recommended modules on « Mes parcours »."""

from tremplin.diagnostic.selectors import home_sessions, needs_human_help, recommended_modules, results_of


def diagnostic_for_home(user, *, done: set[int] | None = None, curriculum=None) -> dict:
    """``done``: ids of the modules the learner completed, ``curriculum``: the release's catalogue, when the home
    page has already read them."""
    if not getattr(user, "is_learner", False):
        return {}
    sessions = home_sessions(learner=user)
    latest = sessions.latest
    context = {"diagnostic_open": sessions.open, "diagnostic_latest": latest,
               "diagnostic_modules": [], "diagnostic_needs_help": False}
    if latest is not None:
        results = results_of(latest, sessions.previous)
        context["diagnostic_modules"] = recommended_modules(learner=user, results=results, done=done,
                                                              curriculum=curriculum)
        context["diagnostic_needs_help"] = needs_human_help(results)
    return context
