"""The diagnostic's invitation, result and recommended modules on « Mes parcours »."""

from tremplin.diagnostic.selectors import (
    completed_sessions_of,
    needs_human_help,
    open_session_of,
    previous_session,
    recommended_modules,
    results_of,
)


def diagnostic_for_home(user) -> dict:
    if not getattr(user, "is_learner", False):
        return {}
    latest = completed_sessions_of(learner=user).first()
    context = {"diagnostic_open": open_session_of(learner=user), "diagnostic_latest": latest,
               "diagnostic_modules": [], "diagnostic_needs_help": False}
    if latest is not None:
        results = results_of(latest, previous_session(latest))
        context["diagnostic_modules"] = recommended_modules(learner=user, results=results)
        context["diagnostic_needs_help"] = needs_human_help(results)
    return context
