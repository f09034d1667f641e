"""The scope of the request in trainer templates (the navigation differs for partner professionals)."""

from tremplin.organisations.access import scope_of_request


def scope(request) -> dict:
    if not request.path.startswith("/espace-formateur/") or not request.user.is_authenticated:
        return {"scope": None}
    return {"scope": scope_of_request(request)}
