"""Working-day calendar (工作日历): weekends, public holidays and make-up working days (调休).

Deadlines that count working days use it. The weekly pattern comes from settings (PORTAL_WEEKEND_DAYS,
Saturday and Sunday by default, as Python weekday numbers); the exceptions come from the Holiday table,
which staff keep up to date as the State Council and the region publish each year's schedule (Xinjiang's
regional holidays such as 肉孜节 and 古尔邦节 are entered there too).

A calendar reads the Holiday rows of each year it touches, once, when first asked about that year. The
module-level functions build a fresh calendar per call, so every server process sees edits at once.
"""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings

logger = logging.getLogger(__name__)

DEFAULT_WEEKEND = (5, 6)  # Saturday, Sunday
_warned_years: set[int] = set()


def weekend_days() -> frozenset[int]:
    return frozenset(getattr(settings, "PORTAL_WEEKEND_DAYS", DEFAULT_WEEKEND))


class WorkCalendar:
    """Answers "is this a working day?" and counts working days.

    holidays: weekdays off; workdays: weekend days worked (调休). Without `loader` the calendar knows only
    what it is given (handy in tests); with a loader (year -> (holidays, workdays)) it fills itself lazily.
    """

    def __init__(self, holidays: Iterable[datetime.date] = (), workdays: Iterable[datetime.date] = (),
                 weekend: Iterable[int] | None = None, loader=None):
        self.holidays = set(holidays)
        self.workdays = set(workdays)
        self.weekend = frozenset(weekend) if weekend is not None else weekend_days()
        self.loader = loader
        self.loaded_years: set[int] = set()
        self.years_without_entries: set[int] = set()

    def _ensure(self, year: int) -> None:
        if self.loader is None or year in self.loaded_years:
            return
        holidays, workdays = self.loader(year)
        self.holidays.update(holidays)
        self.workdays.update(workdays)
        self.loaded_years.add(year)
        if not holidays and not workdays:
            self.years_without_entries.add(year)
            if year not in _warned_years:
                _warned_years.add(year)
                logger.warning("working-day calendar: no holidays entered for %s; counting weekends only", year)

    def is_working_day(self, day: datetime.date) -> bool:
        """A weekday that is not a holiday, or a weekend day worked in exchange (调休上班)."""
        self._ensure(day.year)
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() not in self.weekend

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """`day` itself if it is a working day, otherwise the first working day after it."""
        while not self.is_working_day(day):
            day += datetime.timedelta(days=1)
        return day

    def add_working_days(self, start: datetime.date, count: int) -> datetime.date:
        """The count-th working day after `start` (start itself is not counted; count 0 gives start)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = start
        remaining = count
        while remaining:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def add_calendar_days(self, start: datetime.date, count: int) -> datetime.date:
        """start + count days; a result on a rest day moves to the next working day.

        This is the usual Chinese rule for periods counted in days (期间届满的最后一日是法定休假日的，
        以法定休假日结束的次日为期间的最后一日).
        """
        return self.next_working_day(start + datetime.timedelta(days=count))

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """How many working days lie after `start` up to and including `end` (0 when end <= start)."""
        count = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def _load_year(year: int) -> tuple[set[datetime.date], set[datetime.date]]:
    from .models import Holiday, HolidayKind

    holidays, workdays = set(), set()
    for day, kind in Holiday.objects.filter(date__year=year).values_list("date", "kind"):
        (workdays if kind == HolidayKind.WORKDAY else holidays).add(day)
    return holidays, workdays


def calendar() -> WorkCalendar:
    """A calendar backed by the Holiday table, reading each year it needs once."""
    return WorkCalendar(loader=_load_year)


def is_working_day(day: datetime.date) -> bool:
    return calendar().is_working_day(day)


def next_working_day(day: datetime.date) -> datetime.date:
    return calendar().next_working_day(day)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    return calendar().add_working_days(start, count)


def add_calendar_days(start: datetime.date, count: int) -> datetime.date:
    return calendar().add_calendar_days(start, count)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    return calendar().working_days_between(start, end)


__all__ = [
    "WorkCalendar", "add_calendar_days", "add_working_days", "calendar", "is_working_day", "next_working_day",
    "weekend_days", "working_days_between",
]
