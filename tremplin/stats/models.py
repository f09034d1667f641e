"""Rollups of statistics (ADR 12): daily base rows recomputable from the source tables, and the tiny
per-period figures that pages read.

Geography is copied into the rows (department and region codes as strings) so a read never joins
organisations; ``person`` is a bare UUID (no foreign key) so erasing a person keeps the counts.
"""

from django.db import models

from tremplin.organisations.models import Organisation, Territory


class ActivityDay(models.Model):
    """One learner active on one day, once per structure that follows them (organisation null: autonomous,
    counted nationally only). The day is the event's day in Europe/Paris."""

    day = models.DateField()
    person = models.UUIDField()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, related_name="+")
    department = models.CharField(max_length=3, null=True)  # noqa: DJ001 (null = not attached)
    region = models.CharField(max_length=3, null=True)  # noqa: DJ001 (null = not attached)
    events = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["day", "person"], name="activity_day_person"),
            models.Index(fields=["person", "day"], name="activity_person_day"),
            models.Index(fields=["organisation", "day"], name="activity_org_day"),
            models.Index(fields=["department", "day"], name="activity_dep_day"),
            models.Index(fields=["region", "day"], name="activity_reg_day"),
        ]


class TrainerDay(models.Model):
    """A staff member who recorded a workshop attendance or an accompaniment record on that day, for a structure."""

    day = models.DateField()
    person = models.UUIDField()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    department = models.CharField(max_length=3)
    region = models.CharField(max_length=3)

    class Meta:
        indexes = [models.Index(fields=["day", "organisation"], name="trainer_day_org")]


class Tally(models.Model):
    """Additive counts of one day. Each count is stored once per level so no level double counts a learner
    followed by several structures: ``organisation`` set = that structure; organisation null and department set
    = that department; only region set = that region; only ``territory`` set = that territory (a learner followed
    in two departments of one hub counts once there); all null = national (autonomous learners included).
    """

    day = models.DateField()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, related_name="+")
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, null=True, related_name="+")
    department = models.CharField(max_length=3, null=True)  # noqa: DJ001 (null = not attached)
    region = models.CharField(max_length=3, null=True)  # noqa: DJ001 (null = not attached)
    metric = models.CharField(max_length=40)
    key = models.CharField(max_length=200, default="")
    value = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["day", "metric"], name="tally_day_metric"),
            models.Index(fields=["organisation", "day"], name="tally_org_day"),
        ]


class FirstActivity(models.Model):
    """The first day a person was active in an area, since the beginning (``kind`` "all") or within a year
    (``kind`` "year", ``start`` its 1 January): one row per person × area × kind, kept from ``ActivityDay`` for
    the people touched by each rollup. People reached over a year or since the beginning, and new people over
    any period, are then counts of rows instead of distinct counts over every active day."""

    person = models.UUIDField()
    kind = models.CharField(max_length=8)  # all | year
    start = models.DateField()
    level = models.CharField(max_length=12)  # national | region | department | territory | organisation
    code = models.CharField(max_length=36, default="")  # as PeriodFigure.code
    day = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "start", "level", "code"], name="first_period_area"),
            models.Index(fields=["kind", "day", "level", "code"], name="first_day_area"),
            models.Index(fields=["person"], name="first_person"),
        ]


class PeriodFigure(models.Model):
    """A figure of one area over one period (month, quarter, year or all): what pages read."""

    period = models.CharField(max_length=8)  # month | quarter | year | all
    start = models.DateField()
    level = models.CharField(max_length=12)  # national | region | department | territory | organisation
    code = models.CharField(max_length=36, default="")  # "" for national; INSEE code; str(uuid)
    metric = models.CharField(max_length=40)
    key = models.CharField(max_length=200, default="")
    value = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "start", "level", "code", "metric", "key"],
                                               name="one_figure_per_area_period_metric")]


class RollupWatermark(models.Model):
    """Events stored up to ``stored_until`` are in the rollups (one row per task name)."""

    name = models.CharField(max_length=40, primary_key=True)
    stored_until = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
