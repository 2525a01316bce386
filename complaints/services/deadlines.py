"""Deadlines of a complaint on the working-day calendar (portal.workdays)."""

import datetime

from portal.workdays import WorkCalendar, calendar

from .. import conf


def accept_due(received_on: datetime.date, *, cal: WorkCalendar | None = None) -> datetime.date:
    """The last day to decide on acceptance: COMPLAINTS_ACCEPT_WORKING_DAYS working days after receipt."""
    return (cal or calendar()).add_working_days(received_on, conf.get("COMPLAINTS_ACCEPT_WORKING_DAYS"))


def finish_due(started_on: datetime.date, paused_days: int = 0, *,
               cal: WorkCalendar | None = None) -> datetime.date:
    """The last day to finish: COMPLAINTS_FINISH_DAYS (+ days paused for the laboratory) after the clock
    started (acceptance or reopening). Calendar days by default, a rest-day deadline moving to the next
    working day; working days when COMPLAINTS_FINISH_IN_WORKING_DAYS is set."""
    cal = cal or calendar()
    days = conf.get("COMPLAINTS_FINISH_DAYS") + paused_days
    if conf.get("COMPLAINTS_FINISH_IN_WORKING_DAYS"):
        return cal.add_working_days(started_on, days)
    return cal.add_calendar_days(started_on, days)


def paused_length(since: datetime.date, until: datetime.date, *, cal: WorkCalendar | None = None) -> int:
    """How long the clock stood still, in the unit the finishing deadline counts."""
    if until <= since:
        return 0
    if conf.get("COMPLAINTS_FINISH_IN_WORKING_DAYS"):
        return (cal or calendar()).working_days_between(since, until)
    return (until - since).days
