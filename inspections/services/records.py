"""Inspection records, samples and tests (附件1 第六条、第七条), and what follows them (第八条).

An inspection is stored with its seven item results and photos in one transaction or not at all. A
record made offline carries a client key: sent twice, it is stored once and the second answer says so.
A failed item or test leads to a rectification order or a referral through casework (shared with
complaints). Whatever the public page shows moves the producer's ETag (producers_touch).
"""

import datetime
import decimal
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.services import CaseworkError, rectification_follow_up, rectification_order, referral_send
from disclosure.services.producers import producers_touch
from portal import photos as portal_photos
from portal.auth import display_name

from .. import conf
from ..models import (
    Inspection,
    InspectionItem,
    InspectionPhoto,
    Item,
    Kind,
    LabTest,
    Method,
    Outcome,
    PlannedVisit,
    RapidTest,
    Result,
    Sample,
    Verdict,
)
from .scope import COORDINATOR, TOWNSHIP, require_scope

TEXT_MAX = 2000


class InspectionError(ValidationError):
    """The record cannot be stored as given; `message_dict` (or the message) says what to correct."""


@dataclass
class Stored:
    """What a save returns: the object, whether it was new, and a message for the person (a conflict)."""

    obj: object
    created: bool = True
    messages: list[str] = field(default_factory=list)



def _text(value, label, *, max_length=TEXT_MAX, required=False) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise InspectionError({label: [_("请填写%(label)s。") % {"label": label}]})
    if len(value) > max_length:
        raise InspectionError({label: [_("%(label)s不能超过%(max)d个字（现在%(n)d个）。")
                                       % {"label": label, "max": max_length, "n": len(value)}]})
    return value


def _check_date(day, producer, label) -> datetime.date:
    if not isinstance(day, datetime.date):
        raise InspectionError({"inspected_on": [_("请填写%(label)s。") % {"label": label}]})
    if day > timezone.localdate():
        raise InspectionError({"inspected_on": [_("%(label)s不能晚于今天。") % {"label": label}]})
    started = timezone.localtime(producer.created_at).date() if producer.created_at else None
    if started and day < started - datetime.timedelta(days=366):
        raise InspectionError({"inspected_on": [
            _("%(label)s早于该主体纳入名录一年以上（%(since)s），请核对。") % {"label": label, "since": started}]})
    return day


def _items(results: dict) -> list[InspectionItem]:
    """{item: (result, note)} for all seven items; every item must have a result."""
    errors, items = {}, []
    for item in Item:
        value = results.get(item.value) or results.get(str(item.value))
        result, note = (value if isinstance(value, list | tuple) else (value, ""))
        if result not in Result.values:
            errors[f"item_{item.value}"] = [_("请为“%(item)s”选择符合、不符合或不适用。") % {"item": item.label}]
            continue
        note = (note or "").replace("\x00", "").strip()
        if len(note) > 500:
            errors[f"item_{item.value}"] = [_("说明不能超过500个字。")]
            continue
        if result == Result.FAIL and not note:
            errors[f"item_{item.value}"] = [_("“%(item)s”不符合时，请写明发现的问题。") % {"item": item.label}]
            continue
        items.append(InspectionItem(item=item.value, result=result, note=note))
    if errors:
        raise InspectionError(errors)
    return items


def _photos(uploads) -> list:
    uploads = list(uploads or [])
    limit = conf.get("INSPECTIONS_MAX_PHOTOS")
    if len(uploads) > limit:
        raise InspectionError({"photos": [_("每份巡查记录最多%(max)d张照片。") % {"max": limit}]})
    processed = []
    for entry in uploads:
        upload, item = (entry if isinstance(entry, tuple) else (entry, None))
        try:
            photo = portal_photos.photo_process(upload, max_bytes=conf.get("INSPECTIONS_MAX_PHOTO_BYTES"),
                                                max_pixels=conf.get("INSPECTIONS_MAX_PHOTO_PIXELS"),
                                                long_edge=conf.get("INSPECTIONS_PHOTO_LONG_EDGE"))
        except portal_photos.PhotoRejected as exc:
            raise InspectionError({"photos": exc.messages}) from None
        processed.append((photo, item))
    return processed


def _visit_conflicts(visit: PlannedVisit | None, user, expected_assignee: int | None, producer) -> tuple:
    """(visit to link or None, messages). A visit reassigned meanwhile is still completed by this record
    (the work was done) and the person is told; a visit already completed is left alone."""
    if visit is None:
        return None, []
    messages = []
    if visit.producer_id != producer.pk:
        raise InspectionError({"visit": [_("这次计划巡查不是该主体的，请重新选择。")]})
    if visit.inspection_id:
        return None, [_("这次计划巡查已由其他记录完成（%(when)s）；您的记录已作为一次单独的巡查保存。")
                      % {"when": visit.inspection.inspected_on}]
    if expected_assignee is not None and visit.assignee_id != expected_assignee:
        messages.append(_("离线期间这次巡查已改派给%(who)s；您的记录已保存并计入这次巡查，请告知对方。")
                        % {"who": display_name(visit.assignee) or _("（未安排）")})
    return visit, messages


def inspection_record(*, producer, user, inspected_on: datetime.date, results: dict, inspector_names: str = "",
                      representative: str = "", other_findings: str = "", photos=(), visit: PlannedVisit | None = None,
                      expected_assignee: int | None = None, producer_seen_at: datetime.datetime | None = None,
                      client_key: uuid.UUID | str | None = None, kind: str | None = None) -> Stored:
    """Store one inspection with its seven items and photos. Township staff inspect their producers;
    a village coordinator's record (a hazard, an assisting visit) waits for the township to confirm it."""
    if client_key:
        try:
            client_key = uuid.UUID(str(client_key))
        except ValueError:
            raise InspectionError({"client_key": [_("记录编号无效。")]}) from None
        existing = Inspection.objects.filter(client_key=client_key).first()
        if existing is not None:
            return Stored(existing, created=False, messages=[_("这份记录此前已经收到，没有重复保存。")])
    scope = require_scope(user, producer)
    inspected_on = _check_date(inspected_on, producer, _("巡查日期"))
    items = _items(results or {})
    inspector_names = _text(inspector_names or display_name(user), _("巡查人员"), max_length=200, required=True)
    representative = _text(representative, _("生产主体在场人员"), max_length=50)
    other_findings = _text(other_findings, _("其他发现"))
    processed = _photos(photos)
    kind = kind or (Kind.HAZARD if scope == COORDINATOR else Kind.ROUTINE)
    if kind not in Kind.values or (scope == COORDINATOR and kind != Kind.HAZARD):
        raise InspectionError({"kind": [_("协管员可以记录本村的隐患排查，日常巡查由乡镇办理。")]})
    messages = []
    if producer_seen_at and producer.updated_at and producer.updated_at > producer_seen_at:
        messages.append(_("离线期间该主体的信息有更新，请到主体页面核对名称、地址和负责人。"))
    try:
        with transaction.atomic():
            if visit is not None:
                # Lock the visit row only: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
                visit = PlannedVisit.objects.select_for_update(of=("self",)).select_related(
                    "inspection", "assignee").get(pk=visit.pk)
            visit, visit_messages = _visit_conflicts(visit, user, expected_assignee, producer)
            messages += visit_messages
            inspection = Inspection.objects.create(
                producer=producer, township_id=producer.village.parent_id, kind=kind, inspected_on=inspected_on,
                inspector_names=inspector_names, representative=representative, other_findings=other_findings,
                failed_items=sum(1 for i in items if i.result == Result.FAIL), confirmed=scope == TOWNSHIP,
                recorded_by=user, client_key=client_key or None, conflict_note="；".join(messages)[:300])
            if user is not None and user.is_authenticated:
                inspection.inspectors.add(user)
            for item in items:
                item.inspection = inspection
            InspectionItem.objects.bulk_create(items)
            for photo, item in processed:
                record = InspectionPhoto(inspection=inspection, item=item, width=photo.width,
                                         height=photo.height, sha256=photo.sha256)
                record.image.save("photo.jpg", ContentFile(photo.image), save=False)
                record.thumbnail.save("thumb.jpg", ContentFile(photo.thumbnail), save=False)
                record.save()
            if visit is not None:
                PlannedVisit.objects.filter(pk=visit.pk).update(inspection=inspection, version=visit.version + 1)
            producers_touch(producer_ids=[producer.pk])
    except IntegrityError:
        existing = Inspection.objects.filter(client_key=client_key).first() if client_key else None
        if existing is None:
            raise
        return Stored(existing, created=False, messages=[_("这份记录此前已经收到，没有重复保存。")])
    return Stored(inspection, created=True, messages=messages)


@transaction.atomic
def inspection_confirm(*, inspection: Inspection, user) -> Inspection:
    """The township confirms a coordinator's hazard record; from then on it counts and is public."""
    require_scope(user, inspection.producer, township_only=True)
    if inspection.confirmed:
        raise InspectionError(_("这份记录已经确认过了。"))
    Inspection.objects.filter(pk=inspection.pk).update(confirmed=True, confirmed_by=user, confirmed_at=timezone.now())
    inspection.confirmed, inspection.confirmed_by = True, user
    producers_touch(producer_ids=[inspection.producer_id])
    return inspection


def _sample_number(taken_at: datetime.datetime) -> str:
    """YP + date + a 4-digit count of that day's samples, e.g. YP20261012-0003."""
    day = timezone.localtime(taken_at).date()
    prefix = f"YP{day:%Y%m%d}-"
    count = Sample.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1:04d}"


def sample_take(*, producer, user, product: str, place: str = "", taken_at: datetime.datetime | None = None,
                quantity: str = "", inspection: Inspection | None = None,
                client_key: uuid.UUID | str | None = None) -> Stored:
    """抽样: a sample gets its own number (printed on its label)."""
    if client_key:
        existing = Sample.objects.filter(client_key=client_key).first()
        if existing is not None:
            return Stored(existing, created=False, messages=[_("这份抽样记录此前已经收到，没有重复保存。")])
    require_scope(user, producer, township_only=True)
    product = _text(product, _("样品名称"), max_length=50, required=True)
    place = _text(place or producer.address or producer.village.full_name, _("抽样地点"), max_length=100)
    quantity = _text(quantity, _("抽样数量"), max_length=30)
    taken_at = taken_at or timezone.now()
    if taken_at > timezone.now() + datetime.timedelta(minutes=5):
        raise InspectionError({"taken_at": [_("抽样时间不能晚于现在。")]})
    if inspection is not None and inspection.producer_id != producer.pk:
        raise InspectionError({"inspection": [_("这份巡查记录不是该主体的。")]})
    for _attempt in range(5):
        try:
            with transaction.atomic():
                sample = Sample.objects.create(
                    number=_sample_number(taken_at), producer=producer, township_id=producer.village.parent_id,
                    inspection=inspection, product=product, place=place, quantity=quantity, taken_at=taken_at,
                    taken_by=user, taken_by_name=display_name(user), client_key=client_key or None)
            return Stored(sample)
        except IntegrityError:
            if client_key and Sample.objects.filter(client_key=client_key).exists():
                return Stored(Sample.objects.get(client_key=client_key), created=False)
    raise InspectionError(_("样品编号分配冲突，请重试。"))


@transaction.atomic
def rapid_test_record(*, sample: Sample | None, user, method: str, target: str, result: str = "",
                      inhibition_rate=None, substance=None, tested_on: datetime.date | None = None) -> RapidTest:
    """速测. 酶抑制法 gives an inhibition rate: at or above INSPECTIONS_ENZYME_POSITIVE_RATE % it is positive,
    below it negative, whatever was ticked."""
    if sample is None:
        raise InspectionError({"sample": [_("快速检测结果必须对应一个样品，请先登记抽样。")]})
    require_scope(user, sample.producer, township_only=True)
    errors = {}
    if method not in Method.values:
        errors["method"] = [_("请选择检测方法。")]
    target = _text(target, _("检测项目"), max_length=60, required=True)
    tested_on = tested_on or timezone.localdate()
    if tested_on > timezone.localdate() or tested_on < timezone.localtime(sample.taken_at).date():
        errors["tested_on"] = [_("检测日期应在抽样日期和今天之间。")]
    if inhibition_rate not in (None, ""):
        try:
            inhibition_rate = decimal.Decimal(str(inhibition_rate))
        except decimal.InvalidOperation:
            inhibition_rate = decimal.Decimal(-1)
        if not decimal.Decimal(0) <= inhibition_rate <= decimal.Decimal(100):
            errors["inhibition_rate"] = [_("抑制率应在0到100之间。")]
    else:
        inhibition_rate = None
    if method == Method.ENZYME:
        if inhibition_rate is None and "inhibition_rate" not in errors:
            errors["inhibition_rate"] = [_("酶抑制法请填写抑制率（%）。")]
        elif inhibition_rate is not None and "inhibition_rate" not in errors:
            threshold = decimal.Decimal(conf.get("INSPECTIONS_ENZYME_POSITIVE_RATE"))
            result = Outcome.POSITIVE if inhibition_rate >= threshold else Outcome.NEGATIVE
    if result not in Outcome.values:
        errors["result"] = [_("请选择检测结果：阴性、阳性或可疑。")]
    if errors:
        raise InspectionError(errors)
    test = RapidTest.objects.create(sample=sample, method=method, target=target, result=result,
                                    inhibition_rate=inhibition_rate, substance=substance, tested_on=tested_on,
                                    tested_by=user, tested_by_name=display_name(user))
    producers_touch(producer_ids=[sample.producer_id])
    return test


@transaction.atomic
def lab_test_record(*, sample: Sample | None, user, lab: str, report_number: str, target: str, unit: str,
                    limit, value=None, reported_on: datetime.date, rapid_test: RapidTest | None = None,
                    substance=None) -> LabTest:
    """委托定量检测: the verdict is the measured value against the limit (none detected passes)."""
    if sample is None:
        raise InspectionError({"sample": [_("定量检测结果必须对应一个样品。")]})
    require_scope(user, sample.producer, township_only=True)
    errors = {}
    lab = _text(lab, _("检测机构"), max_length=100, required=True)
    report_number = _text(report_number, _("检测报告编号"), max_length=50, required=True)
    target = _text(target, _("检测项目"), max_length=60, required=True)
    unit = (unit or "").strip()
    if not unit:
        errors["unit"] = [_("请填写检测值的单位，例如 mg/kg。")]
    elif len(unit) > 20:
        errors["unit"] = [_("单位不能超过20个字符。")]

    def number(raw, name, label):
        if raw in (None, ""):
            return None
        try:
            parsed = decimal.Decimal(str(raw).strip())
        except decimal.InvalidOperation:
            errors[name] = [_("%(label)s应是数字。") % {"label": label}]
            return None
        if not parsed.is_finite() or parsed < 0 or parsed >= 10 ** 8:
            errors[name] = [_("%(label)s应是0或正数。") % {"label": label}]
            return None
        return parsed.quantize(decimal.Decimal("0.0001"))

    limit = number(limit, "limit", _("限量值"))
    if limit is None and "limit" not in errors:
        errors["limit"] = [_("请填写限量值（标准规定的最大残留限量）。")]
    value = number(value, "value", _("检测值"))
    if not isinstance(reported_on, datetime.date) or reported_on > timezone.localdate():
        errors["reported_on"] = [_("报告日期不能晚于今天。")]
    elif reported_on < timezone.localtime(sample.taken_at).date():
        errors["reported_on"] = [_("报告日期不能早于抽样日期。")]
    if rapid_test is not None and rapid_test.sample_id != sample.pk:
        errors["rapid_test"] = [_("这次快速检测不是该样品的。")]
    if errors:
        raise InspectionError(errors)
    verdict = Verdict.FAIL if value is not None and value > limit else Verdict.PASS
    try:
        with transaction.atomic():
            test = LabTest.objects.create(sample=sample, rapid_test=rapid_test, lab=lab, report_number=report_number,
                                          target=target, substance=substance, value=value, limit=limit, unit=unit,
                                          verdict=verdict, reported_on=reported_on, recorded_by=user)
    except IntegrityError:
        raise InspectionError({"report_number": [_("这份检测报告的这一项目已经登记过了。")]}) from None
    producers_touch(producer_ids=[sample.producer_id])
    return test


def rectification_from_inspection(*, inspection: Inspection, user, requirements: str, due: datetime.date,
                                  ordered_on: datetime.date | None = None):
    """责令限期整改 after failed items or tests (第八条), kept by casework like a complaint's. `ordered_on`
    (today by default) is the day the order was given, e.g. when it is entered later."""
    require_scope(user, inspection.producer, township_only=True)
    try:
        return rectification_order(producer=inspection.producer, source=inspection, requirements=requirements,
                                   due=due, user=user, ordered_on=ordered_on)
    except CaseworkError as exc:
        raise InspectionError({"due": exc.messages}) from None


def follow_up_inspection(*, rectification, inspection: Inspection, user, passed: bool, new_due=None,
                         escalate: bool = False):
    """A follow-up inspection closes the order (passed), gives a new deadline, or escalates it."""
    require_scope(user, inspection.producer, township_only=True)
    if rectification.producer_id != inspection.producer_id:
        raise InspectionError(_("复查的主体与整改通知不一致。"))
    findings = inspection.other_findings or _("复查：%(n)d项不符合。") % {"n": inspection.failed_items}
    try:
        return rectification_follow_up(rectification=rectification, passed=passed, findings=findings, user=user,
                                       new_due=new_due, checked_on=inspection.inspected_on, escalate=escalate)
    except CaseworkError as exc:
        raise InspectionError({"new_due": exc.messages}) from None


def refer(*, producer, user, agency: str, summary: str, source=None, rectification=None,
          sent_on: datetime.date | None = None):
    """涉嫌违法 → 通报县级农业农村部门（农业综合执法机构）, with what was sent and when (today by default)."""
    require_scope(user, producer, township_only=True)
    try:
        return referral_send(producer=producer, agency=agency, summary=summary, source=source, user=user,
                             rectification=rectification, sent_on=sent_on)
    except CaseworkError as exc:
        raise InspectionError({"agency": exc.messages}) from None
