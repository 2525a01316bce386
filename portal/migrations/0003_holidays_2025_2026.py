"""National public holidays and make-up working days (调休) for 2025 and 2026.

From the State Council General Office's notices on the holiday arrangements of each year. Later years, and
Xinjiang's regional holidays (肉孜节、古尔邦节), are entered by staff in the admin (节假日与调休).
"""

import datetime

from django.db import migrations

NATIONAL = "国务院办公厅关于{year}年部分节假日安排的通知"


def _days(first: str, last: str):
    day = datetime.date.fromisoformat(first)
    end = datetime.date.fromisoformat(last)
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


HOLIDAYS = [
    # name, first day, last day
    ("元旦", "2025-01-01", "2025-01-01"),
    ("春节", "2025-01-28", "2025-02-04"),
    ("清明节", "2025-04-04", "2025-04-06"),
    ("劳动节", "2025-05-01", "2025-05-05"),
    ("端午节", "2025-05-31", "2025-06-02"),
    ("国庆节、中秋节", "2025-10-01", "2025-10-08"),
    ("元旦", "2026-01-01", "2026-01-03"),
    ("春节", "2026-02-15", "2026-02-23"),
    ("清明节", "2026-04-04", "2026-04-06"),
    ("劳动节", "2026-05-01", "2026-05-05"),
    ("端午节", "2026-06-19", "2026-06-21"),
    ("中秋节", "2026-09-25", "2026-09-27"),
    ("国庆节", "2026-10-01", "2026-10-07"),
]
WORKDAYS = [
    ("春节调休上班", "2025-01-26"), ("春节调休上班", "2025-02-08"), ("劳动节调休上班", "2025-04-27"),
    ("国庆节调休上班", "2025-09-28"), ("国庆节调休上班", "2025-10-11"),
    ("元旦调休上班", "2026-01-04"), ("春节调休上班", "2026-02-14"), ("春节调休上班", "2026-02-28"),
    ("劳动节调休上班", "2026-05-09"), ("国庆节调休上班", "2026-09-20"), ("国庆节调休上班", "2026-10-10"),
]


def load(apps, schema_editor):
    Holiday = apps.get_model("portal", "Holiday")
    for name, first, last in HOLIDAYS:
        for day in _days(first, last):
            Holiday.objects.get_or_create(date=day, defaults={
                "kind": "holiday", "name": name, "note": NATIONAL.format(year=day.year)})
    for name, day in WORKDAYS:
        date = datetime.date.fromisoformat(day)
        Holiday.objects.get_or_create(date=date, defaults={
            "kind": "workday", "name": name, "note": NATIONAL.format(year=date.year)})


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0002_holiday"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
