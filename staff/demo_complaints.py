"""Demo complaints (投诉举报): every state of the lifecycle, some overdue, made through the real services
(the complaints issue); and for the back office, photos and twelve weeks of closed cases (the staff issue).

Moved out of staff/demo.py unchanged; staff.demo re-exports load_complaints and load_complaint_extras.
"""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from disclosure.models import Grid, Producer

from .demo_producers import _demo_font

if TYPE_CHECKING:
    from .demo import Demo

COMPLAINT_TEXTS = [
    ("report", "banned_pesticide", "早上路过{place}的蔬菜大棚，看到有人往韭菜上喷药，桶上写着“甲拌磷”，气味很冲。"),
    ("report", "vet_drug", "{place}有养殖户说羊刚打完针就要卖，好像没有等休药期。"),
    ("complaint", "residue", "在市场买的{place}产的芹菜，吃了以后嘴里发麻，担心农药残留超标。"),
    ("complaint", "certificate", "{place}的合作社卖菜没有合格证，问了说不用开。"),
    ("report", "input_shop", "{place}附近一家农资店私下卖“克百威”，说是老客户才卖。"),
    ("report", "illegal_additive", "{place}有人在葡萄上抹东西保鲜，不知道是什么药水。"),
    ("complaint", "other", "{place}的地头堆着很多空农药瓶，没有回收，下雨流进水渠。"),
    ("complaint", "residue", "孩子吃了在{place}摘的草莓后肚子疼，请帮忙查一下。"),
]
# (state, how many, days ago submitted). Ages past the deadlines make some overdue.
COMPLAINT_PLAN = [
    ("submitted", 3, 1), ("submitted", 2, 12), ("accepted", 2, 4), ("not_accepted", 1, 20),
    ("transferred", 1, 15), ("assigned", 2, 6), ("investigating", 2, 10), ("investigating", 1, 80),
    ("paused", 1, 30), ("rectifying", 2, 25), ("rectified", 1, 35), ("referred", 1, 40),
    ("reply_drafted", 1, 45), ("reply_approved", 1, 50), ("closed", 3, 70), ("closed", 1, 8), ("duplicate", 1, 9),
    ("reopened", 1, 90), ("offline", 2, 3),
]


def load_complaints(demo: Demo, today: datetime.date) -> int:
    """Demo complaints in every state of the lifecycle, through the real services, then backdated.
    No mail or SMS goes out while they are made."""
    from django.test import override_settings

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                           COMPLAINTS_SMS_BACKEND="complaints.sms.LocmemSmsBackend"):
        return _load_complaints(demo, today)


def _load_complaints(demo: Demo, today: datetime.date) -> int:
    from complaints.models import Complaint, ComplaintEvent
    from complaints.services import (
        complaint_accept,
        complaint_approve_reply,
        complaint_assign,
        complaint_check_rectification,
        complaint_close,
        complaint_draft_reply,
        complaint_lab_pause,
        complaint_mark_duplicate,
        complaint_order_rectification,
        complaint_permissions_grant,
        complaint_rate,
        complaint_record_offline,
        complaint_refer,
        complaint_reject,
        complaint_reopen,
        complaint_start_investigation,
        complaint_submit,
        complaint_transfer,
        deadlines,
    )

    complaint_permissions_grant()
    if Complaint.objects.exists():
        return 0
    user_model = get_user_model()
    boss = user_model.objects.filter(username="city_admin").first()
    township_user = user_model.objects.filter(username="township_sangong").first() or boss
    village_user = user_model.objects.filter(username="village_changfeng").first() or boss
    city_quality = user_model.objects.filter(username="city_quality").first() or boss
    sangong = Grid.objects.filter(code="652301101").first()
    villages = list(Grid.objects.villages().select_related("parent").order_by("code"))
    producers = list(Producer.objects.published().select_related("village").order_by("id"))
    sangong_villages = [v for v in villages if sangong and v.parent_id == sangong.pk]

    def act(service, c, user, **kwargs):
        return service(complaint=c, user=user, expected_version=c.version, **kwargs)

    created = 0
    later = today + datetime.timedelta(days=20)
    for state, count, age in COMPLAINT_PLAN:
        for _n in range(count):
            kind, category, text = COMPLAINT_TEXTS[created % len(COMPLAINT_TEXTS)]
            in_sangong = created % 2 == 0  # half in 三工镇, where the demo accounts work
            village = demo.rng.choice(sangong_villages if in_sangong and sangong_villages else villages)
            handler = township_user if in_sangong else boss
            worker = village_user if in_sangong and village.code == "652301101200" else handler
            producer = demo.rng.choice([p for p in producers if p.village_id == village.pk] or [None])
            anonymous = created % 5 == 4
            values = {"kind": kind, "category": category, "description": text.format(place=village.full_name),
                      "producer": producer, "place_village": village, "anonymous": anonymous}
            if not anonymous:
                values.update(reporter_name=demo.name(), reporter_phone=demo.phone(),
                              reporter_email=f"reporter{created + 1}@example.invalid" if created % 3 == 0 else "")
            if state == "offline":
                c = complaint_record_offline(user=handler, channel="phone" if created % 2 else "hotline_12345",
                                             external_ref=f"12345-2026-{created:05d}", **values)
            else:
                c = complaint_submit(**values)
            created += 1
            if state in ("submitted", "offline"):
                pass
            elif state == "not_accepted":
                act(complaint_reject, c, handler, reason="反映的问题不属于农产品质量安全监管范围，请向其他部门反映。")
            elif state == "transferred":
                act(complaint_transfer, c, handler, department="昌吉市市场监督管理局")
            elif state == "duplicate":
                original = Complaint.objects.visible_to(handler).exclude(pk=c.pk).exclude(
                    state__in=["not_accepted", "transferred"]).order_by("id").first()
                if original is not None:
                    act(complaint_mark_duplicate, c, handler, original=original)
            else:
                act(complaint_accept, c, handler)
                if state != "accepted":
                    act(complaint_assign, c, handler, assignee=worker)
                if state not in ("accepted", "assigned"):
                    act(complaint_start_investigation, c, worker, note_public="已到现场核实。")
                if state == "paused":
                    act(complaint_lab_pause, c, worker, samples="现场抽取韭菜样品2份送市检测中心。")
                if state in ("rectifying", "rectified") or (state in ("closed", "reopened") and created % 2 == 0):
                    act(complaint_order_rectification, c, worker, due=later,
                        requirements="停止使用，清理存货，建立用药记录。")
                    if state != "rectifying":
                        act(complaint_check_rectification, c, worker, passed=True, findings="复查已整改到位。")
                if state == "referred":
                    act(complaint_refer, c, handler, agency="昌吉市农业综合行政执法大队")
                if state in ("reply_drafted", "reply_approved", "closed", "reopened"):
                    act(complaint_draft_reply, c, worker, reply="经现场核查，反映情况属实，已责令整改并复查到位。感谢您的监督。")
                if state in ("reply_approved", "closed", "reopened"):
                    # Nobody approves their own draft: another approver of the level does.
                    approver = handler if worker != handler else (boss if handler != boss else city_quality)
                    act(complaint_approve_reply, c, approver)
                if state in ("closed", "reopened"):
                    act(complaint_close, c, handler)
                if state == "closed" and created % 2:
                    complaint_rate(complaint=c, rating=5 - created % 3, comment="")
                if state == "reopened":
                    act(complaint_reopen, c, handler, reason="反映人来电表示问题仍然存在。")
            _backdate(c, age, today, deadlines, Complaint, ComplaintEvent)
    return created


def _backdate(c, age: int, today: datetime.date, deadlines, complaint_model, event_model) -> None:
    """Move a demo complaint `age` days into the past, its log spread over those days, deadlines recomputed."""
    c.refresh_from_db()
    shift = datetime.timedelta(days=age)
    events = list(event_model.objects.filter(complaint=c).order_by("at", "id"))
    for i, event in enumerate(events):
        event.at = event.at - shift + datetime.timedelta(days=min(age - 1, i))
    event_model.objects.bulk_update(events, ["at"])
    c.submitted_at -= shift
    received = timezone.localtime(c.submitted_at).date()
    c.accept_due = deadlines.accept_due(received)
    accepted = next((e for e in events if e.action == "accept"), None)
    if accepted:
        c.accepted_at = accepted.at
        c.clock_started_on = timezone.localtime(accepted.at).date()
    reopened = next((e for e in reversed(events) if e.action == "reopen"), None)
    if reopened:
        c.clock_started_on = timezone.localtime(reopened.at).date()
    if c.clock_started_on:
        c.finish_due = deadlines.finish_due(c.clock_started_on, c.paused_days)
    if c.paused_since:
        paused = next((e for e in reversed(events) if e.action == "lab_pause"), None)
        c.paused_since = timezone.localtime(paused.at).date() if paused else c.paused_since - shift
    if c.rectification_due:
        c.rectification_due -= shift
    if c.closed_at:
        c.closed_at = events[-1].at if c.state in ("closed", "not_accepted", "transferred") else c.closed_at - shift
        c.closed_on_time = bool(c.finish_due and timezone.localtime(c.closed_at).date() <= c.finish_due)
    complaint_model.objects.filter(pk=c.pk).update(
        submitted_at=c.submitted_at, accept_due=c.accept_due, accepted_at=c.accepted_at,
        clock_started_on=c.clock_started_on, finish_due=c.finish_due, paused_since=c.paused_since,
        closed_at=c.closed_at, closed_on_time=c.closed_on_time, rectification_due=c.rectification_due,
        due_on=c.compute_due_on())


# --- back office (staff/): roles, photos on some complaints, twelve weeks of closed cases -----------------
HISTORY_MARK = "（演示历史数据）"
HISTORY_REPLY = "经现场核查，已督促生产主体规范用药并建立记录，复查合格。感谢您的监督。"


def _demo_complaint_photo(label: str, colour: tuple[int, int, int]):
    """A drawn photo stamped 示例图片, as the public form would store it (re-encoded, no metadata)."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image as PILImage
    from PIL import ImageDraw

    canvas = PILImage.new("RGB", (1200, 900), colour)
    draw = ImageDraw.Draw(canvas)
    for i in range(0, 1200, 90):
        draw.line([i, 520, i + 260, 900], fill=(70, 110, 50), width=14)
    draw.rectangle([0, 380, 1200, 500], fill="#333333")
    draw.text((600, 440), f"示例图片 · {label}", fill="#ffffff", font=_demo_font(64), anchor="mm")
    buffer = BytesIO()
    canvas.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile("demo.jpg", buffer.getvalue(), content_type="image/jpeg")


def load_complaint_photos() -> int:
    """Two drawn photos on a few demo complaints in 三工镇, so that the back office shows thumbnails."""
    from complaints.models import Attachment, Complaint, StagedUpload
    from complaints.services import staged_upload_create

    if Attachment.objects.exists():
        return 0
    added = 0
    targets = Complaint.objects.filter(township__code="652301101").order_by("id")[:3]
    for complaint in targets:
        for k, (label, colour) in enumerate([("大棚现场", (150, 190, 120)), ("农药包装", (200, 180, 140))]):
            staged = staged_upload_create(upload=_demo_complaint_photo(label, colour))
            Attachment.objects.create(complaint=complaint, position=k, image=staged.image.name,
                                      thumbnail=staged.thumbnail.name, width=staged.width, height=staged.height,
                                      size=staged.size, sha256=staged.sha256)
            StagedUpload.objects.filter(pk=staged.pk).delete()
            added += 1
    return added


def load_complaint_history(today: datetime.date) -> int:
    """Closed complaints over the last twelve weeks in several townships, most on time and a few late, so
    that the dashboard's trend and on-time rates have something to show. Made through the services, then
    moved back in time (events, deadlines, closing date)."""
    from complaints.models import Complaint, ComplaintEvent
    from complaints.services import (
        complaint_accept,
        complaint_approve_reply,
        complaint_assign,
        complaint_close,
        complaint_draft_reply,
        complaint_start_investigation,
        complaint_submit,
        deadlines,
    )

    if Complaint.objects.filter(description__endswith=HISTORY_MARK).exists():
        return 0
    user_model = get_user_model()
    boss = user_model.objects.filter(username="city_admin").first()
    if boss is None:
        return 0
    drafter = user_model.objects.filter(username="city_quality").first() or boss
    rng = random.Random(2026)
    villages = list(Grid.objects.villages().select_related("parent").order_by("code"))
    sangong = [v for v in villages if v.parent.code == "652301101"]
    made = 0
    for n in range(36):
        village = rng.choice(sangong if n % 3 == 0 and sangong else villages)
        kind, category, text = COMPLAINT_TEXTS[n % len(COMPLAINT_TEXTS)]
        submitted_days_ago = rng.randint(10, 84 + 30)
        late = n % 4 == 1 and submitted_days_ago > 75
        took = rng.randint(68, 74) if late else rng.randint(4, 40)
        took = min(took, submitted_days_ago - 1)
        c = complaint_submit(kind=kind, category=category, place_village=village, anonymous=True,
                             description=text.format(place=village.full_name) + HISTORY_MARK)

        for service, kwargs in ((complaint_accept, {}), (complaint_assign, {"assignee": boss}),
                                (complaint_start_investigation, {}), (complaint_draft_reply, {"reply": HISTORY_REPLY}),
                                (complaint_approve_reply, {}), (complaint_close, {})):
            user = drafter if service is complaint_draft_reply else boss  # drafting and approving apart
            service(complaint=c, user=user, expected_version=c.version, **kwargs)
        submitted = timezone.now() - datetime.timedelta(days=submitted_days_ago, hours=rng.randint(0, 8))
        closed = submitted + datetime.timedelta(days=took, hours=3)
        accepted = submitted + datetime.timedelta(days=1)
        start = timezone.localtime(accepted).date()
        finish_due = deadlines.finish_due(start)
        on_time = timezone.localtime(closed).date() <= finish_due
        events = list(ComplaintEvent.objects.filter(complaint=c).order_by("at", "id"))
        # submit, accept, then the steps spread evenly up to closing
        steps = len(events) - 2
        for i, event in enumerate(events):
            event.at = submitted if i == 0 else accepted + (closed - accepted) * (i - 1) / max(steps, 1)
            if "finish_due" in event.data:
                event.data["finish_due"] = finish_due.isoformat()
            if "on_time" in event.data:
                event.data["on_time"] = on_time
        ComplaintEvent.objects.bulk_update(events, ["at", "data"])
        Complaint.objects.filter(pk=c.pk).update(
            submitted_at=submitted, accept_due=deadlines.accept_due(timezone.localtime(submitted).date()),
            accepted_at=accepted, clock_started_on=start, finish_due=finish_due, closed_at=closed,
            closed_on_time=on_time, reply_approved_at=closed, due_on=None)
        made += 1
    return made


def load_complaint_extras(today: datetime.date) -> int:
    """What the back office's screens need on top of load_complaints: the roles' grid permissions, photos
    and a history of closed cases (each idempotent)."""
    from django.test import override_settings

    from .roles import staff_permissions_grant

    staff_permissions_grant()
    with (override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                            COMPLAINTS_SMS_BACKEND="complaints.sms.LocmemSmsBackend"), transaction.atomic()):
        return load_complaint_photos() + load_complaint_history(today)
