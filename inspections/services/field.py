"""The inspector's phone (巡查手机端): what it needs to work offline, and records it sends back.

`field_plan` is everything the phone keeps for a day without signal: the user's visits this month (with
each visit's id, assignee and version, so a reassignment made meanwhile is noticed) and the producers the
user may record for (with each one's updated_at, so a change made meanwhile is noticed). `field_sync`
turns one record sent by the phone (a JSON payload and its photo files) into `inspection_record`, whose
client key makes a record sent twice stored once.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from disclosure.models import Producer
from portal.auth import display_name

from ..models import Item, PlannedVisit, Result
from .plans import my_visits
from .records import InspectionError, Stored, inspection_record, sample_take
from .scope import COORDINATOR, TOWNSHIP, InspectionPermissionDenied, scope_for


def field_producers(user, *, township_only: bool = False) -> list[Producer]:
    """The producers the user may record an inspection (or a coordinator's hazard) for, by village;
    township_only: those the user may sample and test (township staff)."""
    producers = (Producer.objects.visible_to(user).select_related("village__parent")
                 .order_by("village__parent__sort_order", "village__sort_order", "name", "pk"))
    wanted = (TOWNSHIP,) if township_only else (TOWNSHIP, COORDINATOR)
    return [p for p in producers if scope_for(user, p) in wanted]


def _iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _producer_row(producer) -> dict:
    village = producer.village
    return {"id": producer.pk, "name": producer.name, "code": producer.code, "kind": producer.get_kind_display(),
            "village": village.name, "township": village.parent.name if village.parent_id else "",
            "address": producer.address, "updated_at": _iso(producer.updated_at)}


def field_plan(user, *, on: datetime.date | None = None) -> dict:
    """The phone's offline copy: this month's visits assigned to the user and the producers in scope."""
    on = on or timezone.localdate()
    visits = list(my_visits(user, on=on))
    producers = {p.pk: p for p in field_producers(user)}
    for visit in visits:  # a visit's producer is always shown, even if the user's roles changed since
        producers.setdefault(visit.producer_id, visit.producer)
    return {
        "user": {"id": user.pk, "name": display_name(user)},
        "today": on.isoformat(),
        "month": f"{on:%Y-%m}",
        "generated_at": _iso(timezone.now()),
        "visits": [{
            "id": v.pk, "producer": v.producer_id, "assignee": v.assignee_id, "version": v.version,
            "month": v.month, "reason": v.reason, "reason_label": v.get_reason_display(),
            "done": v.inspection_id is not None,
            "inspected_on": v.inspection.inspected_on.isoformat() if v.inspection_id else None,
        } for v in visits],
        "producers": [_producer_row(p) for p in producers.values()],
        "items": [{"value": item.value, "label": item.label} for item in Item],
        "results": [{"value": r.value, "label": r.label} for r in Result],
    }


@dataclass
class SyncAnswer:
    """What the phone is told: stored | duplicate | rejected, with messages, field errors and a status."""

    status: str
    http_status: int
    messages: list[str] = field(default_factory=list)
    errors: dict = field(default_factory=dict)
    inspection_id: int | None = None

    def as_json(self) -> dict:
        return {"status": self.status, "messages": self.messages, "errors": self.errors,
                "inspection": self.inspection_id}


def _rejected(http_status: int, errors: dict) -> SyncAnswer:
    messages = [str(m) for field_messages in errors.values() for m in field_messages]
    return SyncAnswer("rejected", http_status, messages=messages,
                      errors={k: [str(m) for m in v] for k, v in errors.items()})


def _error_dict(exc: InspectionError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _int_or_none(value, name: str, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        errors[name] = [_("记录格式不正确，请更新手机上的巡查页面后重试。")]
        return None
    return int(value)


def _parse(payload) -> tuple[dict, dict]:
    """The phone's JSON → inspection_record's arguments (without producer, visit and photos) and errors."""
    errors, values = {}, {}
    if not isinstance(payload, dict):
        return values, {"payload": [_("记录格式不正确，请更新手机上的巡查页面后重试。")]}
    values["client_key"] = str(payload.get("client_key") or "")
    if not values["client_key"]:
        errors["client_key"] = [_("记录缺少编号，请更新手机上的巡查页面后重试。")]
    try:
        values["inspected_on"] = datetime.date.fromisoformat(str(payload.get("inspected_on") or ""))
    except ValueError:
        values["inspected_on"] = None  # the service says "请填写巡查日期"
    raw = payload.get("results")
    results = {}
    if isinstance(raw, dict):
        for key, value in raw.items():
            if isinstance(value, dict):
                results[str(key)] = (value.get("result"), str(value.get("note") or ""))
            elif isinstance(value, str):
                results[str(key)] = (value, "")
    values["results"] = results
    for name in ("inspector_names", "representative", "other_findings"):
        value = payload.get(name, "")
        values[name] = value if isinstance(value, str) else ""
    seen = payload.get("producer_seen_at")
    values["producer_seen_at"] = parse_datetime(seen) if isinstance(seen, str) and seen else None
    values["expected_assignee"] = _int_or_none(payload.get("expected_assignee"), "expected_assignee", errors)
    return values, errors


def _sample_values(payload: dict) -> tuple[dict, dict]:
    """The phone's sample JSON → sample_take's arguments (without producer) and errors."""
    values, errors = {"client_key": str(payload.get("client_key") or "")}, {}
    try:
        uuid.UUID(values["client_key"])
    except ValueError:
        errors["client_key"] = [_("记录编号无效。")]
    for name in ("product", "place", "quantity"):
        value = payload.get(name, "")
        values[name] = value if isinstance(value, str) else ""
    raw = payload.get("taken_at")
    taken_at = parse_datetime(raw) if isinstance(raw, str) and raw else None
    if taken_at is None:
        errors["taken_at"] = [_("请填写抽样时间。")]
    elif timezone.is_naive(taken_at):
        taken_at = timezone.make_aware(taken_at)
    values["taken_at"] = taken_at
    return values, errors


def _sync_sample(user, producer, payload) -> SyncAnswer:
    values, errors = _sample_values(payload)
    if errors:
        return _rejected(400, errors)
    try:
        stored: Stored = sample_take(producer=producer, user=user, **values)
    except InspectionPermissionDenied as exc:
        return _rejected(403, {"producer": [exc.message]})
    except InspectionError as exc:
        return _rejected(400, _error_dict(exc))
    number = _("样品编号 %(number)s，请写在样品袋上。") % {"number": stored.obj.number}
    if not stored.created:
        return SyncAnswer("duplicate", 200, messages=[str(m) for m in stored.messages] + [number])
    return SyncAnswer("stored", 201, messages=[number])


def field_sync(*, user, payload, photos=()) -> SyncAnswer:
    """Store one record sent by the phone. 201 stored, 200 duplicate (sent before: counts as sent),
    400 the record needs correcting, 403 the producer is outside the user's grids, 409 the registry or plan
    changed so that the record cannot be placed (the phone keeps it and shows why)."""
    if isinstance(payload, dict) and payload.get("user") not in (None, "", user.pk, str(user.pk)):
        return _rejected(409, {"user": [_("这条记录是这部手机上另一个账号做的，请该账号登录后发送。")]})
    kind = payload.get("kind", "inspection") if isinstance(payload, dict) else None
    if kind == "sample":
        values, errors = {}, {}
    else:
        values, errors = _parse(payload)
    if errors:
        return _rejected(400, errors)
    producer_errors = {}
    producer_id = _int_or_none(payload.get("producer"), "producer", producer_errors)
    visit_id = _int_or_none(payload.get("visit"), "visit", producer_errors)
    if producer_errors or producer_id is None:
        return _rejected(400, producer_errors or {"producer": [_("请选择生产主体。")]})
    producer = Producer.objects.select_related("village__parent").filter(pk=producer_id).first()
    if producer is None:
        return _rejected(409, {"producer": [
            _("这个生产主体已不在名录中（可能已注销或合并）。记录保留在手机上，请与乡镇核对后处理。")]})
    if kind == "sample":
        return _sync_sample(user, producer, payload)
    visit, extra = None, []
    if visit_id is not None:
        visit = PlannedVisit.objects.filter(pk=visit_id).first()
        if visit is None:
            extra.append(_("这次计划巡查已从计划中移除；您的记录已作为一次单独的巡查保存。"))
    try:
        stored: Stored = inspection_record(producer=producer, user=user, visit=visit, photos=photos, **values)
    except InspectionPermissionDenied as exc:
        return _rejected(403, {"producer": [exc.message]})
    except InspectionError as exc:
        found = _error_dict(exc)
        return _rejected(409 if "visit" in found else 400, found)
    if not stored.created:
        return SyncAnswer("duplicate", 200, messages=[str(m) for m in stored.messages],
                          inspection_id=stored.obj.pk)
    return SyncAnswer("stored", 201, messages=[str(m) for m in stored.messages] + extra,
                      inspection_id=stored.obj.pk)
