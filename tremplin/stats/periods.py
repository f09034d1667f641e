"""Periods of the statistics: month, quarter, year, and « depuis le début » (all)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

KINDS = ("month", "quarter", "year", "all")
ALL_START = dt.date(2000, 1, 1)
ALL_END = dt.date(2100, 1, 1)
MONTHS = (gettext_noop("janvier"), gettext_noop("février"), gettext_noop("mars"), gettext_noop("avril"),
          gettext_noop("mai"), gettext_noop("juin"), gettext_noop("juillet"), gettext_noop("août"),
          gettext_noop("septembre"), gettext_noop("octobre"), gettext_noop("novembre"), gettext_noop("décembre"))


def _floor(kind: str, day: dt.date) -> dt.date:
    if kind == "month":
        return day.replace(day=1)
    if kind == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if kind == "year":
        return dt.date(day.year, 1, 1)
    return ALL_START


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """[start, end) of one kind; ``start`` is always the first day of the period."""

    kind: str
    start: dt.date

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(self.kind)
        object.__setattr__(self, "start", _floor(self.kind, self.start))

    @classmethod
    def containing(cls, kind: str, day: dt.date) -> Period:
        return cls(kind, _floor(kind, day))

    @property
    def end(self) -> dt.date:
        """The first day after the period."""
        if self.kind == "all":
            return ALL_END
        return _add_months(self.start, {"month": 1, "quarter": 3, "year": 12}[self.kind])

    def previous(self) -> Period | None:
        """The period just before (None for « depuis le début »)."""
        if self.kind == "all":
            return None
        return Period(self.kind, _add_months(self.start, -{"month": 1, "quarter": 3, "year": 12}[self.kind]))

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{_(MONTHS[self.start.month - 1])} {self.start.year}"
        if self.kind == "quarter":
            quarter = (self.start.month - 1) // 3 + 1
            ordinal = _("1er") if quarter == 1 else _("%(n)se") % {"n": quarter}
            return _("%(ordinal)s trimestre %(year)s") % {"ordinal": ordinal, "year": self.start.year}
        if self.kind == "year":
            return str(self.start.year)
        return _("Depuis le début")

    @property
    def param(self) -> str:
        """The ``start`` as a query-string value (read back by ``period_parse``)."""
        return self.start.isoformat()


def today() -> dt.date:
    return timezone.localdate()


def period_parse(kind: str | None, start: str | None) -> Period:
    """A period from query-string values; never raises: an unknown kind is a year, a bad or missing start is
    the current period of that kind. ``start`` may be YYYY, YYYY-MM or YYYY-MM-DD (any day inside the period)."""
    kind = kind if kind in KINDS else "year"
    day = None
    text = (start or "").strip()[:10]
    for fmt, size in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        if len(text) == size:
            try:
                day = dt.datetime.strptime(text, fmt).date()
            except ValueError:
                day = None
            break
    if day is None or not (ALL_START <= day < ALL_END):
        day = today()
    return Period.containing(kind, day)


def periods_containing(days: set[dt.date] | list[dt.date]) -> set[Period]:
    """Every month, quarter and year holding one of ``days``, and « depuis le début »."""
    periods = {Period("all", ALL_START)}
    for day in days:
        for kind in ("month", "quarter", "year"):
            periods.add(Period.containing(kind, day))
    return periods
