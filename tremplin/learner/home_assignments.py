"""What the trainer assigned, shown on « Mes parcours » (owned by the coaching screens)."""


def assignments_for_home(user) -> dict:
    return {}
