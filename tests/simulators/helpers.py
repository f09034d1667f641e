"""Drive a simulator through its right path from its own definition (expected values, main buttons)."""

from tremplin.simulators import engine
from tremplin.simulators.schema import FieldDef, Screen, SimulatorFile


def right_value(f: FieldDef) -> str | list[str]:
    if f.kind == "checkbox":
        return "oui"
    if f.expect is None:
        return ""
    if isinstance(f.expect, list):
        return list(f.expect)
    if f.kind == "date":
        year, month, day = f.expect.split("-")
        return f"{day}/{month}/{year}"
    return f.expect


def right_post(screen: Screen) -> dict:
    data: dict = {"screen": screen.slug}
    for f in screen.fields:
        value = right_value(f) if f.same_as is None else right_value(_field(screen, f.same_as))
        if value != "" and not (f.kind == "checkbox" and value != "oui"):
            data[f.name] = value
    action = engine.main_action(screen)
    data["action"] = action.slug
    return data


def _field(screen: Screen, name: str) -> FieldDef:
    return next(f for f in screen.fields if f.name == name)


def right_path(sim: SimulatorFile) -> list[Screen]:
    """The screens met on the right path, end screen excluded."""
    path, screen = [], sim.screens[0]
    while not screen.end:
        path.append(screen)
        result = engine.submit(sim, screen, right_post(screen), right_post(screen)["action"])
        assert result.kind == "next", (sim.slug, screen.slug, result.errors, result.message)
        screen = engine.screen_by_slug(sim, result.next_screen)
        assert len(path) < 50, "boucle"
    return path
