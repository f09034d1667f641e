"""The diagnostic's invitation, result and recommended modules on « Mes parcours »."""


def diagnostic_for_home(user) -> dict:
    return {}
