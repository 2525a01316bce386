"""The lifecycle of a complaint: one service per staff action.

Every service is keyword-only and runs in one transaction. It checks, in this order: the user's permission
for the action, that the complaint is unchanged since the caller read it (`expected_version`, the
`version` the caller showed), that the complaint is within the user's grids, and that its state allows
the action; then it saves, bumps `version`, and logs who, when, from, to and the notes. A refused action
raises ComplaintPermissionDenied, ComplaintChanged or TransitionNotAllowed with a message for the user.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.models import Grid
from portal.text import clean_text

from ..models import FINISHED_STATES, Action, Complaint, ComplaintEvent, State
from ..models.complaints import county_of
from ..models.events import PUBLIC_ACTIONS
from . import deadlines
from .errors import ComplaintChanged, ComplaintError, ComplaintPermissionDenied, TransitionNotAllowed
from .permissions import user_can, user_covers_grid
from .routing import township_of
from .transitions import ALLOWED_FROM, ALLOWED_WHILE_PAUSED, LEADS_TO

NOTE_MAX = 2000


def actor_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _note(value: str, label: str, *, required: bool = False) -> str:
    return clean_text(value, label=label, max_length=NOTE_MAX, required=required, multiline=True)


def _action_label(action: str) -> str:
    return str(Action(action).label)


def _check_permission(user, action: str) -> None:
    if user is None or not user.is_authenticated:
        raise ComplaintPermissionDenied(_("请先登录后台。"))
    if not user_can(user, action):
        raise ComplaintPermissionDenied(
            _("您没有“%(action)s”的权限。如需办理，请联系市级网格管理员。") % {"action": _action_label(action)})


def _changed_error(current: Complaint) -> ComplaintChanged:
    last = current.events.exclude(action__in=[Action.IDENTITY_VIEW, Action.IDENTITY_EXPORT]).order_by(
        "-at", "-id").first()
    if last is None:
        return ComplaintChanged(_("这件投诉举报已被其他人修改。请刷新页面，看过最新情况后再操作。"))
    return ComplaintChanged(
        _("这件投诉举报刚刚已由%(who)s于%(when)s执行了“%(action)s”，您看到的不是最新情况。请刷新页面，看过最新情况后再操作。")
        % {"who": last.actor_name or _("反映人"), "when": timezone.localtime(last.at).strftime("%H:%M"),
           "action": last.get_action_display()})


def _not_allowed(current: Complaint, action: str, user) -> TransitionNotAllowed:
    from .permissions import allowed_actions

    possible = [_action_label(a) for a in allowed_actions(current, user) if a != Action.NOTE]
    message = _("这件投诉举报当前为“%(state)s”，不能执行“%(action)s”。") % {
        "state": current.get_state_display(), "action": _action_label(action)}
    if current.is_paused and action not in ALLOWED_WHILE_PAUSED:
        message = _("样品正在检测，办理时限已暂停，不能执行“%(action)s”。请先登记“检测结果返回”。") % {
            "action": _action_label(action)}
    elif possible:
        message += _("现在可以：%(actions)s。") % {"actions": "、".join(possible)}
    return TransitionNotAllowed(message, code="transition")


def _lock(complaint: Complaint, expected_version: int) -> Complaint:
    current = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if current.version != expected_version:
        raise _changed_error(current)
    return current


def _log(complaint: Complaint, *, action: str, from_state: str, user=None, name: str | None = None,
         note_internal: str = "", note_public: str = "", data: dict | None = None,
         at: datetime.datetime | None = None) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=complaint, action=action, from_state=from_state, to_state=complaint.state, actor=user,
        actor_name=name if name is not None else actor_name(user), note_internal=note_internal,
        note_public=note_public if action in PUBLIC_ACTIONS else "", is_public=action in PUBLIC_ACTIONS,
        data=data or {}, at=at or timezone.now(),
    )


def _save(current: Complaint, expected_version: int, fields: list[str]) -> None:
    """Write the changed fields and the next version, only if nobody wrote in between (belt and braces:
    the row is already locked on PostgreSQL; on SQLite the version condition is what protects it)."""
    current.due_on = current.compute_due_on()
    values = {name: getattr(current, name) for name in fields}
    values["due_on"] = current.due_on
    now = timezone.now()
    updated = Complaint.objects.filter(pk=current.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=now, **values)
    if updated != 1:
        raise _changed_error(current)
    current.version = expected_version + 1
    current.updated_at = now


def _after_commit(complaint: Complaint, event: ComplaintEvent) -> None:
    from ..notifications import complaint_event_notify

    event_id = event.pk
    transaction.on_commit(lambda: complaint_event_notify(event_id=event_id))


def _sync(target: Complaint, source: Complaint) -> Complaint:
    """Make the caller's instance show the saved state."""
    for field in Complaint._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    return source


def _transition(*, complaint: Complaint, user, expected_version: int, action: str, apply,
                note_internal: str = "", note_public="", data: dict | None = None) -> Complaint:
    """The shared path of every staff action. `apply(current)` changes the locked instance and returns the
    names of the fields it changed (plus an optional dict merged into the log entry's data)."""
    _check_permission(user, action)
    with transaction.atomic():
        current = _lock(complaint, expected_version)
        if not user_covers_grid(user, current.grid_id):
            raise ComplaintPermissionDenied(
                _("这件投诉举报属于%(grid)s，不在您负责的网格范围内。") % {"grid": current.grid.full_name})
        if current.state not in ALLOWED_FROM[action] or (
                current.is_paused and action not in ALLOWED_WHILE_PAUSED):
            raise _not_allowed(current, action, user)
        from_state = current.state
        result = apply(current)
        fields, extra = (result if isinstance(result, tuple) else (result, {}))
        if fields:
            if "state" not in fields and LEADS_TO.get(action):
                current.state = LEADS_TO[action]
                fields = [*fields, "state"]
            _save(current, expected_version, fields)
        if callable(note_public):
            note_public = note_public(current)
        event = _log(current, action=action, from_state=from_state, user=user, note_internal=note_internal,
                     note_public=note_public, data={**(data or {}), **extra})
        _after_commit(current, event)
    return _sync(complaint, current)


# --- triage ---------------------------------------------------------------------------------------------

def complaint_accept(*, complaint: Complaint, user, expected_version: int, note_public: str = "",
                     note_internal: str = "") -> Complaint:
    """受理: accept a submitted complaint; the finishing clock starts today."""
    note_public = _note(note_public, _("公开说明"))
    note_internal = _note(note_internal, _("内部意见"))

    def apply(c):
        today = timezone.localdate()
        c.state = State.ACCEPTED
        c.accepted_at = timezone.now()
        c.clock_started_on = today
        c.paused_days = 0
        c.finish_due = deadlines.finish_due(today)
        return ["state", "accepted_at", "clock_started_on", "paused_days", "finish_due"], {
            "finish_due": c.finish_due.isoformat()}

    return _transition(complaint=complaint, user=user, expected_version=expected_version, action=Action.ACCEPT,
                       apply=apply, note_internal=note_internal, note_public=note_public)


def complaint_reject(*, complaint: Complaint, user, expected_version: int, reason: str,
                     note_internal: str = "") -> Complaint:
    """不予受理: refuse a submitted complaint, with a reason the reporter reads."""
    reason = _note(reason, _("不予受理的理由"), required=True)
    note_internal = _note(note_internal, _("内部意见"))

    def apply(c):
        c.state = State.NOT_ACCEPTED
        c.closed_at = timezone.now()
        return ["state", "closed_at"]

    return _transition(complaint=complaint, user=user, expected_version=expected_version, action=Action.REJECT,
                       apply=apply, note_internal=note_internal, note_public=reason)


def complaint_transfer(*, complaint: Complaint, user, expected_version: int, department: str,
                       note_public: str = "", note_internal: str = "") -> Complaint:
    """转办: the matter is another department's; the reporter is told which one (农产品质量安全法 art. 56)."""
    department = clean_text(department, label=_("转办部门"), max_length=100, required=True)
    note_public = _note(note_public, _("公开说明"))
    note_internal = _note(note_internal, _("内部意见"))
    public = _("您反映的问题不属于本部门职责，已转交%(dept)s办理。") % {"dept": department}
    if note_public:
        public = f"{public}{note_public}"

    def apply(c):
        c.state = State.TRANSFERRED
        c.transferred_to = department
        c.closed_at = timezone.now()
        return ["state", "transferred_to", "closed_at"]

    return _transition(complaint=complaint, user=user, expected_version=expected_version, action=Action.TRANSFER,
                       apply=apply, note_internal=note_internal, note_public=public,
                       data={"department": department})


def _root(original: Complaint) -> Complaint:
    seen = set()
    while original.duplicate_of_id and original.pk not in seen:
        seen.add(original.pk)
        original = original.duplicate_of
    return original


def complaint_mark_duplicate(*, complaint: Complaint, user, expected_version: int, original: Complaint,
                             note_public: str = "", note_internal: str = "") -> Complaint:
    """重复件: close as a duplicate of another complaint about the same matter; both are linked and the
    reporter is told that the matter is handled under the other one."""
    note_public = _note(note_public, _("公开说明"))
    note_internal = _note(note_internal, _("内部意见"))
    original = _root(original)
    if original.pk == complaint.pk:
        raise ComplaintError(_("不能把一件投诉举报标为它自己的重复件。"))
    if not user_covers_grid(user, original.grid_id):
        raise ComplaintPermissionDenied(_("原件不在您负责的网格范围内，不能合并。请联系市级网格。"))
    if original.state in (State.NOT_ACCEPTED, State.TRANSFERRED):
        raise ComplaintError(_("原件已“%(state)s”，不能作为合并办理的原件。") % {"state": original.get_state_display()})
    public = _("您反映的问题与另一件投诉举报相同，已合并办理，办理结果以原件为准。")
    if note_public:
        public = f"{public}{note_public}"

    def apply(c):
        c.state = State.CLOSED
        c.duplicate_of = original
        c.closed_at = timezone.now()
        c.paused_since = None
        return ["state", "duplicate_of", "closed_at", "paused_since"]

    with transaction.atomic():
        result = _transition(complaint=complaint, user=user, expected_version=expected_version,
                             action=Action.MARK_DUPLICATE, apply=apply, note_internal=note_internal,
                             note_public=public, data={"original": original.pk})
        _log(original, action=Action.DUPLICATE_LINKED, from_state=original.state, user=user,
             note_internal=_("关联重复件 %(code)s") % {"code": result.internal_number}, data={"duplicate": result.pk})
    return result


def complaint_reassign_grid(*, complaint: Complaint, user, expected_version: int, grid: Grid, reason: str,
                            note_public: str = "") -> Complaint:
    """改派网格: move a complaint to another grid (wrongly routed, or the matter lies elsewhere)."""
    reason = _note(reason, _("改派理由"), required=True)
    note_public = _note(note_public, _("公开说明"))
    if grid is None:
        raise ComplaintError(_("请选择改派到的网格。"))

    def apply(c):
        if grid.pk == c.grid_id:
            raise ComplaintError(_("这件投诉举报已经在%(grid)s，无需改派。") % {"grid": grid.full_name})
        extra = {"from_grid": c.grid_id, "to_grid": grid.pk}
        c.grid = grid
        c.township = township_of(grid)
        c.county = county_of(grid)
        fields = ["grid", "township", "county"]
        if c.assignee_id and not user_covers_grid(c.assignee, grid.pk):
            extra["unassigned"] = c.assignee_id
            c.assignee = None
            fields.append("assignee")
            if c.state == State.ASSIGNED:
                c.state = State.ACCEPTED
                fields.append("state")
        return fields, extra

    public = note_public or _("已转由%(grid)s网格办理。") % {"grid": grid.full_name}
    return _transition(complaint=complaint, user=user, expected_version=expected_version,
                       action=Action.REASSIGN_GRID, apply=apply, note_internal=reason, note_public=public)


# --- handling -------------------------------------------------------------------------------------------

def complaint_assign(*, complaint: Complaint, user, expected_version: int, assignee, note_internal: str = "",
                     note_public: str = "") -> Complaint:
    """分派: give the complaint to a staff member who covers its grid (or hand it over to another)."""
    note_internal = _note(note_internal, _("内部意见"))
    note_public = _note(note_public, _("公开说明"))
    user_model = get_user_model()
    if not isinstance(assignee, user_model) or not assignee.is_active:
        raise ComplaintError(_("请选择一位有效的承办人。"))
    if not assignee.has_perm("complaints.handle_complaint"):
        raise ComplaintError(_("%(name)s没有办理投诉举报的权限，不能作为承办人。") % {"name": actor_name(assignee)})

    def apply(c):
        if not user_covers_grid(assignee, c.grid_id):
            raise ComplaintError(_("%(name)s不负责%(grid)s，不能承办这件投诉举报。请先改派网格，或选择该网格的人员。")
                                 % {"name": actor_name(assignee), "grid": c.grid.full_name})
        if c.assignee_id == assignee.pk and c.state not in (State.ACCEPTED, State.REOPENED):
            raise ComplaintError(_("这件投诉举报已经分派给%(name)s。") % {"name": actor_name(assignee)})
        previous = c.assignee_id
        c.assignee = assignee
        fields = ["assignee"]
        if c.state in (State.ACCEPTED, State.REOPENED):
            c.state = State.ASSIGNED
            fields.append("state")
        return fields, {"assignee": assignee.pk, "previous_assignee": previous}

    public = note_public or _("已分派给%(grid)s网格人员办理。") % {"grid": complaint.grid.full_name}
    return _transition(complaint=complaint, user=user, expected_version=expected_version, action=Action.ASSIGN,
                       apply=apply, note_internal=note_internal, note_public=public)


def complaint_start_investigation(*, complaint: Complaint, user, expected_version: int, note_internal: str = "",
                                  note_public: str = "") -> Complaint:
    """调查核实: the assignee starts looking into it (on site, with the producer, with samples)."""
    note_internal = _note(note_internal, _("内部意见"))
    note_public = _note(note_public, _("公开说明"))

    def apply(c):
        c.state = State.INVESTIGATING
        return ["state"]

    return _transition(complaint=complaint, user=user, expected_version=expected_version,
                       action=Action.START_INVESTIGATION, apply=apply, note_internal=note_internal,
                       note_public=note_public)


# --- reply and closing ----------------------------------------------------------------------------------

def complaint_draft_reply(*, complaint: Complaint, user, expected_version: int, reply: str,
                          note_internal: str = "") -> Complaint:
    """拟定答复: write (or rewrite) the reply to the reporter; the township approves it next."""
    reply = _note(reply, _("答复意见"), required=True)
    note_internal = _note(note_internal, _("内部意见"))

    def apply(c):
        c.reply_text = reply
        c.state = State.REPLY_DRAFTED
        c.reply_drafted_by = user
        return ["reply_text", "state", "reply_drafted_by"]

    return _transition(complaint=complaint, user=user, expected_version=expected_version,
                       action=Action.DRAFT_REPLY, apply=apply, note_internal=note_internal)


def complaint_return_reply(*, complaint: Complaint, user, expected_version: int, reason: str) -> Complaint:
    """退回答复: the approver sends the draft back; the complaint returns to the step it was drafted from."""
    reason = _note(reason, _("退回理由"), required=True)

    def apply(c):
        drafted = c.events.filter(action=Action.DRAFT_REPLY).exclude(from_state=State.REPLY_DRAFTED).order_by(
            "-at", "-id").first()
        c.state = drafted.from_state if drafted else State.INVESTIGATING
        return ["state"]

    return _transition(complaint=complaint, user=user, expected_version=expected_version,
                       action=Action.RETURN_REPLY, apply=apply, note_internal=reason)


def complaint_approve_reply(*, complaint: Complaint, user, expected_version: int, reply: str | None = None,
                            note_internal: str = "") -> Complaint:
    """审核答复: the township approves the reply (optionally with its own wording). Whoever drafted it may
    not approve it: another approver of that level does (separation of duties)."""
    if reply is not None:
        reply = _note(reply, _("答复意见"), required=True)
    note_internal = _note(note_internal, _("内部意见"))

    def apply(c):
        if c.reply_drafted_by_id is not None and c.reply_drafted_by_id == user.pk:
            raise ComplaintError(_("这份答复是您拟定的，需由另一位有审核权限的工作人员审核。拟定和审核不能是同一人。"))
        fields = ["state", "reply_approved_by", "reply_approved_at"]
        if reply is not None and reply != c.reply_text:
            c.reply_text = reply
            fields.append("reply_text")
        c.state = State.REPLY_APPROVED
        c.reply_approved_by = user
        c.reply_approved_at = timezone.now()
        return fields

    return _transition(complaint=complaint, user=user, expected_version=expected_version,
                       action=Action.APPROVE_REPLY, apply=apply, note_internal=note_internal)


def complaint_close(*, complaint: Complaint, user, expected_version: int, note_internal: str = "") -> Complaint:
    """办结: close with the approved reply, which the reporter reads on the timeline."""
    note_internal = _note(note_internal, _("内部意见"))

    def apply(c):
        c.state = State.CLOSED
        c.closed_at = timezone.now()
        c.closed_on_time = bool(c.finish_due and timezone.localdate() <= c.finish_due)
        return ["state", "closed_at", "closed_on_time"], {"on_time": c.closed_on_time}

    return _transition(complaint=complaint, user=user, expected_version=expected_version, action=Action.CLOSE,
                       apply=apply, note_internal=note_internal, note_public=lambda c: c.reply_text)


def complaint_reopen(*, complaint: Complaint, user, expected_version: int, reason: str,
                     note_public: str = "") -> Complaint:
    """重新办理 (by staff): reopen a closed complaint, e.g. when the reporter calls in dissatisfied."""
    reason = _note(reason, _("重新办理的理由"), required=True)
    note_public = _note(note_public, _("公开说明"))

    def apply(c):
        return _reopen_fields(c)

    public = note_public or _("已重新办理。")
    return _transition(complaint=complaint, user=user, expected_version=expected_version, action=Action.REOPEN,
                       apply=apply, note_internal=reason, note_public=public)


def _reopen_fields(c: Complaint):
    extra = {"previous_reply": c.reply_text, "previous_rating": c.rating}
    today = timezone.localdate()
    c.state = State.REOPENED
    c.reopen_count += 1
    c.closed_at = None
    c.closed_on_time = None
    c.duplicate_of = None
    c.reply_text = ""
    c.reply_approved_by = None
    c.reply_approved_at = None
    c.rating = None
    c.rating_comment = ""
    c.rated_at = None
    c.clock_started_on = today
    c.paused_days = 0
    c.paused_since = None
    c.finish_due = deadlines.finish_due(today)
    return ["state", "reopen_count", "closed_at", "closed_on_time", "duplicate_of", "reply_text",
            "reply_approved_by", "reply_approved_at", "rating", "rating_comment", "rated_at",
            "clock_started_on", "paused_days", "paused_since", "finish_due"], extra


def complaint_add_note(*, complaint: Complaint, user, expected_version: int, note: str) -> Complaint:
    """内部备注: a remark for colleagues; changes nothing else."""
    note = _note(note, _("备注"), required=True)
    return _transition(complaint=complaint, user=user, expected_version=expected_version, action=Action.NOTE,
                       apply=lambda c: [], note_internal=note)


__all__ = [name for name in globals() if name.startswith("complaint_")] + ["FINISHED_STATES"]
