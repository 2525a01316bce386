"""The triage action forms, one per lifecycle action, and the order the detail page offers them in."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from complaints import conf
from complaints.forms import MultipleFileField, MultipleFileInput
from complaints.models import Action, Complaint, State
from complaints.selectors import complaint_assignable_users
from complaints.services import MAX_ACTION_PHOTOS, PHOTO_ACTIONS
from complaints.services.photos import ACCEPT_ATTRIBUTE, PhotoRejected, formats_label, photo_process
from complaints.validation import validate_tracking_code
from disclosure.models import Grid
from disclosure.services.grids import grid_choices_by_township
from portal.places import place_name

from .fields import (
    TextField,
    _date_field,
    note_internal_field,
    note_public_field,
)


class ActionForm(forms.Form):
    """Base of the action forms. Subclasses list their fields and say how they map to the service."""

    action: str = ""
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1,
                                          error_messages={"required": _("页面已过期，请刷新后再操作。"),
                                                          "invalid": _("页面已过期，请刷新后再操作。")})

    def __init__(self, *args, complaint: Complaint, user, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.action}_%s")
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("expected_version", complaint.version)
        super().__init__(*args, **kwargs)
        self.complaint, self.user = complaint, user
        if self.action in PHOTO_ACTIONS:
            self.fields["photos"] = MultipleFileField(
                label=_("现场照片（仅工作人员可见，可不附）"), required=False,
                widget=MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
                help_text=format_lazy(_("最多 {n} 张，{formats}，每张不超过 {mb} MB。照片会去掉拍摄信息后保存。"),
                                      n=MAX_ACTION_PHOTOS, formats=formats_label(),
                                      mb=conf.get("COMPLAINTS_MAX_PHOTO_BYTES") // (1024 * 1024)))

    def clean_photos(self):
        """Each photo checked and re-encoded now, so a bad one is named before anything is saved."""
        uploads = self.cleaned_data.get("photos") or []
        if len(uploads) > MAX_ACTION_PHOTOS:
            raise ValidationError(_t("最多附 %(n)d 张照片，您选了 %(m)d 张。") % {"n": MAX_ACTION_PHOTOS, "m": len(uploads)})
        processed = []
        for upload in uploads:
            try:
                processed.append(photo_process(upload))
            except PhotoRejected as exc:
                raise ValidationError(exc.messages) from exc
        return processed

    @property
    def photos(self) -> list:
        return self.cleaned_data.get("photos") or [] if hasattr(self, "cleaned_data") else []

    def service_kwargs(self) -> dict:
        """The service's keyword arguments besides complaint, user and expected_version."""
        return {name: value for name, value in self.cleaned_data.items() if name not in ("expected_version", "photos")}

    @property
    def label(self) -> str:
        return str(Action(self.action).label)


class AcceptForm(ActionForm):
    action = Action.ACCEPT
    note_public = note_public_field()
    note_internal = note_internal_field()


class RejectForm(ActionForm):
    action = Action.REJECT
    reason = TextField(label=_("不予受理的理由（反映人可见）"), required=True, rows=3)
    note_internal = note_internal_field()


class TransferForm(ActionForm):
    action = Action.TRANSFER
    department = TextField(label=_("转办部门"), required=True, multiline=False, max_chars=100,
                           help_text=_("例如：市场监督管理局。反映人会看到转给了哪个部门。"))
    note_public = note_public_field()
    note_internal = note_internal_field()


class MarkDuplicateForm(ActionForm):
    action = Action.MARK_DUPLICATE
    original = forms.ChoiceField(label=_("原件（同一生产主体或同一网格的近期投诉举报）"), required=False,
                                 error_messages={"invalid_choice": _("请从列表中选择原件。")})
    original_code = TextField(label=_("或输入原件的编号（或反映人告知的查询码）"), required=False, multiline=False, max_chars=20,
                              help_text=_("例如 ACDE-FGHJ-KMNP。"))
    note_public = note_public_field()
    note_internal = note_internal_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        c = self.complaint
        near = Q(grid_id=c.grid_id) | (Q(producer_id=c.producer_id) if c.producer_id else Q(pk__in=[]))
        self.candidates = list(
            Complaint.objects.visible_to(self.user).filter(near).exclude(pk=c.pk)
            .exclude(state__in=[State.NOT_ACCEPTED, State.TRANSFERRED])
            .select_related("producer").order_by("-submitted_at")[:30])
        self.fields["original"].choices = [("", _t("—— 请选择 ——"))] + [
            (str(o.pk), f"{o.internal_number} · {timezone.localtime(o.submitted_at):%m-%d} · {o.get_state_display()}"
                        f" · {o.producer.name if o.producer_id else o.get_category_display()}")
            for o in self.candidates]

    def clean(self):
        cleaned = super().clean()
        chosen, code = cleaned.get("original"), cleaned.get("original_code")
        if chosen and code:
            raise ValidationError(_t("请从列表中选择原件，或输入原件的编号，二者只填一项。"))
        if not chosen and not code:
            raise ValidationError(_t("请选择原件，或输入原件的编号。"))
        visible = Complaint.objects.visible_to(self.user).exclude(pk=self.complaint.pk)
        if chosen:
            original = visible.filter(pk=chosen).first()
        else:
            original = visible.numbered(code).first()
            if original is None:
                try:
                    normalised = validate_tracking_code(code)
                except ValidationError:
                    self.add_error("original_code", _t("“%(code)s”不是投诉举报的编号（如 2026-00123）或查询码。")
                                   % {"code": code})
                    return cleaned
                original = visible.filter(tracking_code=normalised).first()
            if original is None:
                self.add_error("original_code", _t("没有在您负责的网格中找到编号或查询码为“%(code)s”的投诉举报。")
                               % {"code": code})
                return cleaned
        if original is None:
            self.add_error("original", _t("请从列表中选择原件。"))
        cleaned["original_obj"] = original
        return cleaned

    def service_kwargs(self):
        data = self.cleaned_data
        return {"original": data["original_obj"], "note_public": data["note_public"],
                "note_internal": data["note_internal"]}


class ReassignGridForm(ActionForm):
    action = Action.REASSIGN_GRID
    grid = forms.ChoiceField(label=_("改派到网格"), error_messages={"required": _("请选择改派到的网格。"),
                                                                  "invalid_choice": _("请从列表中选择网格。")})
    reason = TextField(label=_("改派理由（仅工作人员可见）"), required=True)
    note_public = note_public_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grids = Grid.objects.exclude(pk=self.complaint.grid_id).select_related("parent").in_tree_order()
        self.grids = {str(g.pk): g for g in grids}
        self.fields["grid"].choices = [("", _t("—— 请选择 ——"))] + grid_choices_by_township(self.grids)

    def service_kwargs(self):
        data = self.cleaned_data
        return {"grid": self.grids[data["grid"]], "reason": data["reason"], "note_public": data["note_public"]}


class AssignForm(ActionForm):
    action = Action.ASSIGN
    assignee = forms.ChoiceField(label=_("承办人"), error_messages={"required": _("请选择承办人。"),
                                                                   "invalid_choice": _("请从列表中选择承办人。")})
    note_internal = note_internal_field()
    note_public = note_public_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(u.pk): u for u in complaint_assignable_users(self.complaint)}
        choices = [("", _t("—— 请选择 ——"))]
        for pk, u in self.people.items():
            person = getattr(u, "grid_person", None)
            name = u.get_full_name() or u.get_username()
            label = f"{person.name}（{name}）" if person else name
            if u.pk == self.complaint.assignee_id:
                label += _t("（当前承办人）")
            choices.append((pk, label))
        self.fields["assignee"].choices = choices
        if len(self.people) == 0:
            self.fields["assignee"].help_text = _t("这件投诉举报所在网格没有可以承办的人员。请先在“网格与人员”中"
                                                   "为该网格登记人员并关联后台账号，或改派网格。")

    def service_kwargs(self):
        data = self.cleaned_data
        return {"assignee": self.people[data["assignee"]], "note_internal": data["note_internal"],
                "note_public": data["note_public"]}


class StartInvestigationForm(ActionForm):
    action = Action.START_INVESTIGATION
    note_public = TextField(label=_("公开说明（反映人可见，可不填）"),
                            help_text=_("例如：已到现场核实。"))
    note_internal = note_internal_field()


def _future(value: datetime.date | None, message: str) -> None:
    if value is not None and value <= timezone.localdate():
        raise ValidationError(message)


class OrderRectificationForm(ActionForm):
    action = Action.ORDER_RECTIFICATION
    due = _date_field(_("整改期限"))
    requirements = TextField(label=_("整改要求（仅工作人员可见）"), required=True, rows=3)
    note_public = TextField(label=_("公开说明（可不填，默认告知整改期限）"))

    def clean_due(self):
        due = self.cleaned_data.get("due")
        _future(due, _t("整改期限必须是今天以后的日期。"))
        return due


class CheckRectificationForm(ActionForm):
    action = Action.CHECK_RECTIFICATION
    passed = forms.TypedChoiceField(
        label=_("复查结果"), widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("yes", _("整改到位")), ("no", _("未整改到位，继续整改"))],
        error_messages={"required": _("请选择复查结果。")})
    findings = TextField(label=_("复查情况（仅工作人员可见）"), required=True, rows=3)
    new_due = _date_field(_("新的整改期限（未整改到位时填写）"), required=False)
    note_public = note_public_field()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("passed") is False:
            if not cleaned.get("new_due"):
                self.add_error("new_due", _t("复查未通过时，请给出新的整改期限（今天以后），或改为移送执法。"))
            else:
                try:
                    _future(cleaned["new_due"], _t("新的整改期限必须是今天以后的日期。"))
                except ValidationError as exc:
                    self.add_error("new_due", exc)
        return cleaned

    def service_kwargs(self):
        data = self.cleaned_data
        return {"passed": data["passed"], "findings": data["findings"],
                "new_due": data["new_due"] if not data["passed"] else None, "note_public": data["note_public"]}


class ReferForm(ActionForm):
    action = Action.REFER
    agency = TextField(label=_("移送机构"), required=True, multiline=False, max_chars=100,
                       initial=lambda: _("%(place)s农业综合行政执法大队") % {"place": place_name()})
    note_internal = note_internal_field()
    note_public = note_public_field()


class LabPauseForm(ActionForm):
    action = Action.LAB_PAUSE
    samples = TextField(label=_("送检样品（仅工作人员可见）"), required=True,
                        help_text=_("例如：现场抽取韭菜样品2份送市检测中心。送检期间办理时限暂停计算。"))
    note_public = note_public_field()


class LabResumeForm(ActionForm):
    action = Action.LAB_RESUME
    result = TextField(label=_("检测结果（仅工作人员可见）"), required=True)
    note_public = note_public_field()


class DraftReplyForm(ActionForm):
    action = Action.DRAFT_REPLY
    reply = TextField(label=_("答复意见（审核通过并办结后反映人可见）"), required=True, rows=5)
    note_internal = note_internal_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].initial = self.complaint.reply_text


class ReturnReplyForm(ActionForm):
    action = Action.RETURN_REPLY
    reason = TextField(label=_("退回理由（仅工作人员可见）"), required=True)


class ApproveReplyForm(ActionForm):
    action = Action.APPROVE_REPLY
    reply = TextField(label=_("答复意见（可修改措辞）"), required=True, rows=5)
    note_internal = note_internal_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].initial = self.complaint.reply_text

    def service_kwargs(self):
        data = self.cleaned_data
        changed = data["reply"] != (self.complaint.reply_text or "").strip()
        return {"reply": data["reply"] if changed else None, "note_internal": data["note_internal"]}


class CloseForm(ActionForm):
    action = Action.CLOSE
    note_internal = note_internal_field()


class ReopenForm(ActionForm):
    action = Action.REOPEN
    reason = TextField(label=_("重新办理的理由（仅工作人员可见）"), required=True)
    note_public = note_public_field()


class NoteForm(ActionForm):
    action = Action.NOTE
    note = TextField(label=_("备注内容（仅工作人员可见）"), required=True)


ACTION_FORMS: dict[str, type[ActionForm]] = {form.action: form for form in (
    AcceptForm, RejectForm, TransferForm, MarkDuplicateForm, ReassignGridForm, AssignForm,
    StartInvestigationForm, OrderRectificationForm, CheckRectificationForm, ReferForm, LabPauseForm,
    LabResumeForm, DraftReplyForm, ReturnReplyForm, ApproveReplyForm, CloseForm, ReopenForm, NoteForm)}

# The order in which actions are offered: the way forward first, then refusals, routing and notes.
ACTION_ORDER = [
    Action.ACCEPT, Action.ASSIGN, Action.START_INVESTIGATION, Action.LAB_RESUME, Action.CHECK_RECTIFICATION,
    Action.DRAFT_REPLY, Action.APPROVE_REPLY, Action.CLOSE, Action.ORDER_RECTIFICATION, Action.LAB_PAUSE,
    Action.REFER, Action.RETURN_REPLY, Action.REOPEN, Action.REJECT, Action.TRANSFER, Action.MARK_DUPLICATE,
    Action.REASSIGN_GRID, Action.NOTE,
]
# Actions that end or redirect the matter: drawn as secondary buttons.
SECONDARY_ACTIONS = {Action.REJECT, Action.TRANSFER, Action.MARK_DUPLICATE, Action.REASSIGN_GRID,
                     Action.RETURN_REPLY, Action.NOTE, Action.LAB_PAUSE}
