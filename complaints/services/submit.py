"""Receiving complaints: from the public form, from Open311 clients, and recorded by staff (phone, visit…)."""

import datetime
import secrets
import uuid
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.models import Grid, GridLevel, Producer
from portal.text import clean_text

from .. import conf
from ..models import (
    OFFLINE_CHANNELS,
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    Action,
    Attachment,
    Category,
    Channel,
    Complaint,
    Kind,
    StagedUpload,
)
from ..validation import clean_email, clean_phone
from . import deadlines
from .errors import ComplaintPermissionDenied
from .lifecycle import _after_commit, _log, actor_name
from .permissions import user_can, user_covers_grid
from .routing import route, township_of


class DuplicateSubmission(Exception):
    """The same form was submitted again; `complaint` is the one the first submit created."""

    def __init__(self, complaint: Complaint):
        super().__init__(complaint.tracking_code)
        self.complaint = complaint


def tracking_code_new() -> str:
    """A fresh random tracking code (uniqueness is enforced when the complaint is saved)."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def _validate(*, kind, category, description, producer, producer_text, place_township, place_village, address,
              reporter_name, reporter_phone, reporter_email, anonymous, staged_ids) -> dict:
    errors: dict[str, list] = {}

    def check(field, func):
        try:
            return func()
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)
            return None

    if kind not in Kind.values:
        errors["kind"] = [_("请选择“投诉”或“举报”。")]
    if category not in Category.values:
        errors["category"] = [_("请选择问题类别。")]
    values = {
        "description": check("description", lambda: clean_text(
            description, label=_("问题描述"), max_length=2000, required=True, multiline=True)),
        "producer_text": check("producer", lambda: clean_text(producer_text, label=_("生产主体"), max_length=100)),
        "address": check("address", lambda: clean_text(address, label=_("详细地点"), max_length=200)),
        "reporter_name": check("reporter_name", lambda: clean_text(reporter_name, label=_("姓名"), max_length=50)),
        "reporter_phone": check("reporter_phone", lambda: clean_phone(reporter_phone)),
        "reporter_email": check("reporter_email", lambda: clean_email(reporter_email)),
    }
    if producer is not None and not isinstance(producer, Producer):
        errors["producer"] = [_("生产主体无效。")]
    if place_township is not None and place_township.level != GridLevel.TOWNSHIP:
        errors["place_township"] = [_("请选择乡镇。")]
    if place_village is not None:
        if place_village.level != GridLevel.VILLAGE:
            errors["place_village"] = [_("请选择村。")]
        elif place_township is not None and place_village.parent_id != place_township.pk:
            errors["place_village"] = [_("%(village)s不属于%(township)s，请重新选择乡镇或村。") % {
                "village": place_village.name, "township": place_township.name}]
    if anonymous and any(values.get(k) for k in ("reporter_name", "reporter_phone", "reporter_email")):
        errors["anonymous"] = [_("选择匿名时不保存姓名和联系方式。请清空姓名、电话和邮箱，或取消“匿名反映”。")]
    if len(staged_ids) > conf.get("COMPLAINTS_MAX_PHOTOS"):
        errors["photos"] = [_("最多上传%(n)d张照片。") % {"n": conf.get("COMPLAINTS_MAX_PHOTOS")}]
    if errors:
        raise ValidationError(errors)
    return values


def _create(*, kind: str, category: str, description: str, producer: Producer | None, producer_text: str,
            place_township: Grid | None, place_village: Grid | None, address: str, reporter_name: str,
            reporter_phone: str, reporter_email: str, anonymous: bool, consent: bool,
            staged_ids: Sequence, submission_key: uuid.UUID | None, channel: str, open311_client,
            external_ref: str, received_at: datetime.datetime | None, recorded_by, note_internal: str,
            grid: Grid | None = None) -> Complaint:
    values = _validate(kind=kind, category=category, description=description, producer=producer,
                       producer_text=producer_text, place_township=place_township, place_village=place_village,
                       address=address, reporter_name=reporter_name, reporter_phone=reporter_phone,
                       reporter_email=reporter_email, anonymous=anonymous, staged_ids=staged_ids)
    if place_village is not None and place_township is None:
        place_township = place_village.parent
    if grid is None:
        grid = route(producer=producer, village=place_village, township=place_township)
    received_at = received_at or timezone.now()
    if submission_key is not None:
        existing = Complaint.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            raise DuplicateSubmission(existing)
    with transaction.atomic():
        staged = list(StagedUpload.objects.select_for_update().filter(pk__in=list(staged_ids)))
        if len(staged) != len(set(staged_ids)):
            raise ValidationError({"photos": [_("您之前选择的照片已过期或已提交过，请重新选择照片。")]})
        order = {str(pk): i for i, pk in enumerate(staged_ids)}
        staged.sort(key=lambda s: order.get(str(s.pk), 0))
        complaint = Complaint(
            kind=kind, category=category, channel=channel, external_ref=external_ref[:50],
            description=values["description"], producer=producer,
            producer_text="" if producer else values["producer_text"], place_township=place_township,
            place_village=place_village, address=values["address"], grid=grid, township=township_of(grid),
            reporter_name="" if anonymous else values["reporter_name"],
            reporter_phone="" if anonymous else values["reporter_phone"],
            reporter_email="" if anonymous else values["reporter_email"], anonymous=anonymous,
            consent_at=timezone.now() if consent else None, submitted_at=received_at,
            accept_due=(accept_due := deadlines.accept_due(timezone.localtime(received_at).date())),
            due_on=accept_due,
            submission_key=submission_key, open311_client=open311_client, recorded_by=recorded_by,
        )
        for _attempt in range(10):
            complaint.tracking_code = tracking_code_new()
            try:
                with transaction.atomic():
                    complaint.save(force_insert=True)
                break
            except IntegrityError:
                complaint.pk = None
                if submission_key is not None:
                    existing = Complaint.objects.filter(submission_key=submission_key).first()
                    if existing is not None:
                        raise DuplicateSubmission(existing) from None
                if not Complaint.objects.filter(tracking_code=complaint.tracking_code).exists():
                    raise
        else:  # pragma: no cover - 10 collisions in a space of 6e16 codes
            raise RuntimeError("could not find a free tracking code")
        Attachment.objects.bulk_create([
            Attachment(complaint=complaint, position=i, image=s.image.name, thumbnail=s.thumbnail.name,
                       width=s.width, height=s.height, size=s.size, sha256=s.sha256)
            for i, s in enumerate(staged)
        ])
        StagedUpload.objects.filter(pk__in=[s.pk for s in staged]).delete()
        action = Action.RECORD if channel in OFFLINE_CHANNELS else Action.SUBMIT
        event = _log(complaint, action=action, from_state="", user=recorded_by, note_internal=note_internal,
                     name=actor_name(recorded_by) if recorded_by else "",
                     data={"channel": channel, "photos": len(staged)}, at=received_at)
        _after_commit(complaint, event)
    return complaint


def complaint_submit(*, kind: str, category: str, description: str, producer: Producer | None = None,
                     producer_text: str = "", place_township: Grid | None = None,
                     place_village: Grid | None = None, address: str = "", reporter_name: str = "",
                     reporter_phone: str = "", reporter_email: str = "", anonymous: bool = False,
                     consent: bool = True, staged_ids: Sequence = (), submission_key: uuid.UUID | None = None,
                     channel: str = Channel.WEB, open311_client=None, external_ref: str = "") -> Complaint:
    """A complaint from the public (web form or an Open311 client): validated, routed, given its tracking
    code and deadlines, and saved with its photos in one transaction.

    Raises ValidationError (a dict by field) for bad input, DuplicateSubmission when `submission_key`
    was used before (the form was sent twice).
    """
    if channel not in (Channel.WEB, Channel.OPEN311):
        raise ValidationError(_("网上和接口以外的渠道请由工作人员登记。"))
    return _create(kind=kind, category=category, description=description, producer=producer,
                   producer_text=producer_text, place_township=place_township, place_village=place_village,
                   address=address, reporter_name=reporter_name, reporter_phone=reporter_phone,
                   reporter_email=reporter_email, anonymous=anonymous, consent=consent, staged_ids=staged_ids,
                   submission_key=submission_key, channel=channel, open311_client=open311_client,
                   external_ref=external_ref, received_at=None, recorded_by=None, note_internal="")


def complaint_record_offline(*, user, channel: str, kind: str, category: str, description: str,
                             received_at: datetime.datetime | None = None, grid: Grid | None = None,
                             producer: Producer | None = None, producer_text: str = "",
                             place_township: Grid | None = None, place_village: Grid | None = None,
                             address: str = "", reporter_name: str = "", reporter_phone: str = "",
                             reporter_email: str = "", anonymous: bool = False, external_ref: str = "",
                             note_internal: str = "", staged_ids: Sequence = ()) -> Complaint:
    """登记: staff record a complaint received by phone, in person, by letter or from the 12345 hotline.

    It enters the same lifecycle (state 待受理) with its channel; deadlines count from `received_at`. The
    grid is routed as for the public form unless given; either way it must be within the user's grids.
    """
    if user is None or not user.is_authenticated or not user_can(user, Action.RECORD):
        raise ComplaintPermissionDenied(_("您没有登记投诉举报的权限。"))
    if channel not in OFFLINE_CHANNELS:
        raise ValidationError({"channel": [_("请选择来源渠道：电话、来访、来信或12345热线转办。")]})
    if received_at is not None and received_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"received_at": [_("收到时间不能晚于现在。")]})
    target = grid or route(producer=producer, village=place_village, township=place_township)
    if not user_covers_grid(user, target.pk):
        raise ComplaintPermissionDenied(
            _("%(grid)s不在您负责的网格范围内。请选择您负责的网格，或请上级网格登记。") % {"grid": target.full_name})
    external_ref = clean_text(external_ref, label=_("外部编号"), max_length=50)
    note_internal = clean_text(note_internal, label=_("内部意见"), max_length=2000, multiline=True)
    return _create(kind=kind, category=category, description=description, producer=producer,
                   producer_text=producer_text, place_township=place_township, place_village=place_village,
                   address=address, reporter_name=reporter_name, reporter_phone=reporter_phone,
                   reporter_email=reporter_email, anonymous=anonymous, consent=False, staged_ids=staged_ids,
                   submission_key=None, channel=channel, open311_client=None, external_ref=external_ref,
                   received_at=received_at, recorded_by=user, note_internal=note_internal, grid=target)
