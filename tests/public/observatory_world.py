"""Figures as the rollups leave them (``stats.PeriodFigure``), written directly: the observatory reads only those."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache

from tremplin.catalog.models import Module, Track
from tremplin.stats.models import PeriodFigure
from tremplin.stats.periods import ALL_START, today

from ..factories import DepartmentFactory, RegionFactory

THIS_YEAR = today().year
LAST_YEAR = THIS_YEAR - 1
DEPARTMENTS = {"51": "Marne", "52": "Haute-Marne", "10": "Aube", "08": "Ardennes"}


def departments() -> None:
    region = RegionFactory(code="44", name="Grand Est")
    for code, name in DEPARTMENTS.items():
        DepartmentFactory(code=code, name=name, region=region)


def modules() -> None:
    emploi = Track.objects.create(slug="emploi", title="Trouver un emploi", summary="", journey="emploi", order=1)
    internet = Track.objects.create(slug="internet", title="Premiers pas", summary="", journey="emploi", order=2)
    for slug, track, themes in (("cv", emploi, ["insertion_professionnelle", "bureautique"]),
                                ("mail", internet, ["email"])):
        Module.objects.create(slug=slug, track=track, title=slug, summary="", duration_minutes=10, themes=themes,
                              checked_on=dt.date(2026, 1, 1), content_version="1")


def put(year: int | str, code: str, metric: str, value: int, key: str = "", batch: list | None = None) -> None:
    """One figure of France (code "") or a department, for a year or « depuis le début » (year "all"); kept in
    ``batch`` for one bulk insert when given."""
    period, start = ("all", ALL_START) if year == "all" else ("year", dt.date(year, 1, 1))
    figure = PeriodFigure(period=period, start=start, level="department" if code else "national", code=code,
                          metric=metric, key=key, value=value)
    if batch is None:
        figure.save()
    else:
        batch.append(figure)


def put_area(year: int, code: str, batch: list | None = None, **metrics: int) -> None:
    for metric, value in metrics.items():
        put(year, code, metric, value, batch=batch)


def small_world() -> None:
    """Naive publication would leak here: Haute-Marne has 3 people and France is published, 4 people were new
    last year and the goal (since the beginning) is published, 4 modules of the « emploi » track in Aube…
    """
    cache.clear()
    departments()
    modules()
    # Last year: only 4 people, all in the Marne.
    put_area(LAST_YEAR, "", people_reached=4, people_new=4, active_structures=1)
    put_area(LAST_YEAR, "51", people_reached=4, people_new=4, active_structures=1)
    # This year.
    put_area(THIS_YEAR, "", people_reached=120, people_new=118, active_structures=14, active_trainers=25,
             workshop=40, attendance=300, accompaniment_total=90)
    put_area(THIS_YEAR, "51", people_reached=60, people_new=58, active_structures=6, active_trainers=12,
             workshop=20, attendance=150, accompaniment_total=50)
    put_area(THIS_YEAR, "52", people_reached=3, people_new=3, active_structures=1, active_trainers=1,
             workshop=2, attendance=6, accompaniment_total=4)
    put_area(THIS_YEAR, "10", people_reached=40, people_new=40, active_structures=4, active_trainers=7,
             workshop=10, attendance=80, accompaniment_total=21)
    put_area(THIS_YEAR, "08", people_reached=15, people_new=15, active_structures=3, active_trainers=5,
             workshop=8, attendance=64, accompaniment_total=15)
    # Modules completed, by module (the track and themes come from the catalogue; unknown modules: no track).
    for code, counts in {"": {"cv": 70, "mail": 25}, "51": {"cv": 40, "mail": 12}, "52": {"cv": 5, "mail": 0},
                         "10": {"cv": 4, "mail": 11}, "08": {"cv": 21, "mail": 2}}.items():
        for module, value in counts.items():
            if value:
                put(THIS_YEAR, code, "module_completed", value, key=module)
    for code, counts in {"": {"sante": 30, "email": 70}, "51": {"sante": 20, "email": 35},
                         "52": {"sante": 2, "email": 3}, "10": {"sante": 5, "email": 17}, "08": {"sante": 3,
                                                                                                 "email": 15}}.items():
        for theme, value in counts.items():
            put(THIS_YEAR, code, "accompaniment", value, key=theme)
    for competence, (twice, gained) in {"naviguer": (40, 33), "securite": (12, 4)}.items():
        put(THIS_YEAR, "", "impact_assessed_twice", twice, key=competence)
        put(THIS_YEAR, "", "impact_gained", gained, key=competence)
    put("all", "", "people_reached", 122)
