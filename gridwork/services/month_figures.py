"""The figures of a township's month (信息报送), computed from the records, never typed.

`month_figures` answers for every township asked in a constant number of grouped queries (one each for
inspections, rapid tests, rectifications, referrals, complaints and training), whatever the data size.
Each figure is a whole number keyed as in FIGURES; a report freezes them as JSON when it is submitted.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Rectification, RectificationState, Referral
from complaints.selectors import complaint_period_counts
from inspections.models import Inspection, LabTest, Outcome, RapidTest, Sample

from ..models import Presence, TrainingSession

# (section, [(key, label)]) in the order a report prints them.
FIGURES = [
    (_("日常巡查"), [
        ("inspections", _("巡查次数")),
        ("producers_inspected", _("巡查生产主体数")),
        ("inspections_failed", _("发现不符合项的巡查")),
    ]),
    (_("快速检测"), [
        ("samples_tested", _("速测样品数")),
        ("rapid_tests", _("速测项次")),
        ("positives", _("阳性或可疑项次")),
        ("positives_followed", _("其中已跟进处置")),
    ]),
    (_("整改与移送"), [
        ("rectifications_ordered", _("下达整改通知")),
        ("rectifications_closed", _("整改到位")),
        ("referrals", _("移送执法")),
    ]),
    (_("投诉举报"), [
        ("complaints_received", _("收到投诉举报")),
        ("complaints_finished", _("办结（含不予受理、转办）")),
        ("complaints_closed", _("其中办结")),
        ("complaints_on_time", _("其中按期办结")),
    ]),
    (_("培训"), [
        ("training_sessions", _("举办培训场次")),
        ("training_attendees", _("参训人次")),
    ]),
]
FIGURE_KEYS = [key for _section, rows in FIGURES for key, _label in rows]


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """The first day of the month and the first day of the next."""
    start = datetime.date(year, month, 1)
    end = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def month_figures(*, year: int, month: int, township_ids) -> dict[int, dict[str, int]]:
    """Every figure of the month for each township id, zeros included. Six grouped queries (and one for the
    content types while Django's cache of them is cold)."""
    ids = list(township_ids)
    out = {tid: dict.fromkeys(FIGURE_KEYS, 0) for tid in ids}
    if not ids:
        return out
    start, end = month_bounds(year, month)

    # Confirmed inspections (a coordinator's hazard check counts once a supervisor has confirmed it).
    for row in (Inspection.objects.filter(confirmed=True, township_id__in=ids, inspected_on__gte=start,
                                          inspected_on__lt=end).order_by().values("township_id")
                .annotate(n=Count("id"), producers=Count("producer", distinct=True),
                          failed=Count("id", filter=Q(failed_items__gt=0)))):
        figures = out[row["township_id"]]
        figures.update(inspections=row["n"], producers_inspected=row["producers"], inspections_failed=row["failed"])

    # Rapid tests of the month, for the township the sample was taken in. A positive or suspect result is
    # followed up once the sample went to a laboratory, or a rectification or referral names the test, its
    # sample or the inspection the sample came from.
    sources = ContentType.objects.get_for_models(Inspection, Sample, RapidTest)

    def named(model, field, ref):
        return Exists(model.objects.filter(source_type=sources[field], source_id=OuterRef(ref)))

    followed = (Exists(LabTest.objects.filter(sample_id=OuterRef("sample_id")))
                | named(Rectification, RapidTest, "pk") | named(Rectification, Sample, "sample_id")
                | named(Rectification, Inspection, "sample__inspection_id")
                | named(Referral, RapidTest, "pk") | named(Referral, Sample, "sample_id")
                | named(Referral, Inspection, "sample__inspection_id"))
    positive = Q(result__in=[Outcome.POSITIVE, Outcome.SUSPECT])
    for row in (RapidTest.objects.filter(sample__township_id__in=ids, tested_on__gte=start, tested_on__lt=end)
                .order_by().values("sample__township_id")
                .annotate(n=Count("id"), samples=Count("sample", distinct=True), positive=Count("id", filter=positive),
                          followed=Count("id", filter=positive & Q(followed)))):
        out[row["sample__township_id"]].update(rapid_tests=row["n"], samples_tested=row["samples"],
                                               positives=row["positive"], positives_followed=row["followed"])

    # Rectifications of the township's producers ordered, and put right, in the month; referrals sent.
    ordered = Q(ordered_on__gte=start, ordered_on__lt=end)
    closed = Q(state=RectificationState.DONE, closed_on__gte=start, closed_on__lt=end)
    for row in (Rectification.objects.filter(producer__village__parent_id__in=ids).filter(ordered | closed)
                .order_by().values("producer__village__parent_id")
                .annotate(ordered=Count("id", filter=ordered), closed=Count("id", filter=closed))):
        out[row["producer__village__parent_id"]].update(rectifications_ordered=row["ordered"],
                                                        rectifications_closed=row["closed"])
    for row in (Referral.objects.filter(producer__village__parent_id__in=ids, sent_on__gte=start, sent_on__lt=end)
                .order_by().values("producer__village__parent_id").annotate(n=Count("id"))):
        out[row["producer__village__parent_id"]]["referrals"] = row["n"]

    for tid, row in complaint_period_counts(start=_aware(start), end=_aware(end), township_ids=ids).items():
        out[tid].update(complaints_received=row["received"], complaints_finished=row["finished"],
                        complaints_closed=row["closed_counted"], complaints_on_time=row["on_time"])

    # Sessions the township held in the month and who was present at them.
    for row in (TrainingSession.objects.filter(grid_id__in=ids, held_on__gte=start, held_on__lt=end)
                .order_by().values("grid_id")
                .annotate(n=Count("id", distinct=True),
                          present=Count("attendances", filter=Q(attendances__status=Presence.PRESENT)))):
        out[row["grid_id"]].update(training_sessions=row["n"], training_attendees=row["present"])
    return out


def figure_rows(figures: dict) -> list[dict]:
    """The figures as sections of (label, value) rows to print, the complaints' on-time share (in per cent)
    after their counts; a key missing from old figures shows as None."""
    sections = [{"section": section, "rows": [{"key": key, "label": label, "value": figures.get(key)}
                                              for key, label in rows]} for section, rows in FIGURES]
    share = on_time_share(figures)
    for section in sections:
        if any(row["key"] == "complaints_on_time" for row in section["rows"]):
            section["rows"].append({"key": "complaints_on_time_rate", "label": _("按期办结率"),
                                    "value": "—" if share is None else f"{round(share * 100)}%"})
    return sections


def on_time_share(figures: dict) -> float | None:
    """Complaints closed on time / closed with an on-time flag, or None when none were closed."""
    closed = figures.get("complaints_closed") or 0
    return (figures.get("complaints_on_time") or 0) / closed if closed else None
