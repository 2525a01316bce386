"""The working-day calendar: weekends, holidays and make-up working days (调休) from the Holiday table."""

import datetime

import pytest

from portal import workdays
from portal.models import Holiday, HolidayKind
from portal.workdays import WorkCalendar

D = datetime.date


def test_weekends_and_weekdays_without_holidays():
    cal = WorkCalendar()
    assert cal.is_working_day(D(2027, 3, 5))          # Friday
    assert not cal.is_working_day(D(2027, 3, 6))      # Saturday
    assert cal.add_working_days(D(2027, 3, 5), 1) == D(2027, 3, 8)
    assert cal.add_working_days(D(2027, 3, 5), 0) == D(2027, 3, 5)
    assert cal.working_days_between(D(2027, 3, 5), D(2027, 3, 12)) == 5
    assert cal.working_days_between(D(2027, 3, 12), D(2027, 3, 5)) == 0


def test_holidays_and_make_up_days_given_directly():
    cal = WorkCalendar(holidays=[D(2027, 3, 8)], workdays=[D(2027, 3, 6)])
    assert not cal.is_working_day(D(2027, 3, 8))      # a Monday off
    assert cal.is_working_day(D(2027, 3, 6))          # a Saturday worked
    assert cal.add_working_days(D(2027, 3, 5), 2) == D(2027, 3, 9)
    assert cal.next_working_day(D(2027, 3, 7)) == D(2027, 3, 9)


def test_configurable_weekend(settings):
    settings.PORTAL_WEEKEND_DAYS = (4, 5)  # Friday and Saturday
    cal = WorkCalendar()
    assert not cal.is_working_day(D(2027, 3, 5))
    assert cal.is_working_day(D(2027, 3, 7))


@pytest.mark.django_db
def test_national_day_2026_from_the_seeded_table():
    # Seeded by portal's migration: 1–7 October off, Saturday 10 October worked.
    assert not workdays.is_working_day(D(2026, 10, 1))
    assert not workdays.is_working_day(D(2026, 10, 7))
    assert workdays.is_working_day(D(2026, 10, 10))
    # Seven working days after 30 September: 8, 9, 10 (Sat, worked), 12, 13, 14, 15 October.
    assert workdays.add_working_days(D(2026, 9, 30), 7) == D(2026, 10, 15)
    # A period of days ending on a holiday ends on the next working day.
    assert workdays.add_calendar_days(D(2026, 8, 2), 60) == D(2026, 10, 8)
    assert workdays.working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == 4


@pytest.mark.django_db
def test_staff_edits_take_effect_at_once():
    day = D(2027, 3, 8)
    assert workdays.is_working_day(day)
    Holiday.objects.create(date=day, kind=HolidayKind.HOLIDAY, name="测试假日")
    assert not workdays.is_working_day(day)


@pytest.mark.django_db
def test_a_year_without_entries_is_reported(caplog):
    cal = workdays.calendar()
    cal.is_working_day(D(2031, 1, 6))
    assert 2031 in cal.years_without_entries
    cal2 = workdays.calendar()
    cal2.is_working_day(D(2026, 1, 6))
    assert 2026 not in cal2.years_without_entries


def test_negative_count_is_refused():
    with pytest.raises(ValueError):
        WorkCalendar().add_working_days(D(2027, 1, 1), -1)


@pytest.mark.django_db
def test_holiday_snippet_listing(admin_client):
    Holiday.objects.create(date=D(2027, 1, 1), name="元旦")
    response = admin_client.get("/admin/snippets/portal/holiday/")
    assert response.status_code == 200
    assert "元旦" in response.content.decode()
