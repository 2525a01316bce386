"""The log of everything that happens to a complaint (办理记录): transitions, notes, identity views."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .complaints import Complaint, State


class Action(models.TextChoices):
    SUBMIT = "submit", _("提交")
    RECORD = "record", _("登记")
    ACCEPT = "accept", _("受理")
    REJECT = "reject", _("不予受理")
    TRANSFER = "transfer", _("转其他部门")
    ASSIGN = "assign", _("分派")
    START_INVESTIGATION = "start_investigation", _("开始调查核实")
    ORDER_RECTIFICATION = "order_rectification", _("责令限期整改")
    CHECK_RECTIFICATION = "check_rectification", _("整改复查")
    REFER = "refer", _("移送执法")
    DRAFT_REPLY = "draft_reply", _("拟定答复")
    RETURN_REPLY = "return_reply", _("退回答复")
    APPROVE_REPLY = "approve_reply", _("审核通过答复")
    CLOSE = "close", _("办结")
    REOPEN = "reopen", _("重新办理")
    MARK_DUPLICATE = "mark_duplicate", _("作为重复件办结")
    DUPLICATE_LINKED = "duplicate_linked", _("关联重复件")
    REASSIGN_GRID = "reassign_grid", _("改派网格")
    LAB_PAUSE = "lab_pause", _("送检（暂停计时）")
    LAB_RESUME = "lab_resume", _("检测结果返回（恢复计时）")
    RATE = "rate", _("反映人评价")
    IDENTITY_VIEW = "identity_view", _("查看反映人身份")
    IDENTITY_EXPORT = "identity_export", _("导出反映人身份")
    NOTE = "note", _("内部备注")


# What the public timeline shows: the steps a reporter cares about. Internal review steps (drafting and
# approving the reply), identity views and links between duplicates stay inside.
PUBLIC_ACTIONS = frozenset({
    Action.SUBMIT, Action.RECORD, Action.ACCEPT, Action.REJECT, Action.TRANSFER, Action.ASSIGN,
    Action.START_INVESTIGATION, Action.ORDER_RECTIFICATION, Action.CHECK_RECTIFICATION, Action.REFER,
    Action.CLOSE, Action.REOPEN, Action.MARK_DUPLICATE, Action.REASSIGN_GRID, Action.LAB_PAUSE,
    Action.LAB_RESUME, Action.RATE,
})


class ComplaintEventQuerySet(models.QuerySet):
    def public(self):
        """Entries the public timeline may show (their public note only)."""
        return self.filter(is_public=True)

    def transitions(self):
        """Entries that changed the state."""
        return self.exclude(from_state=models.F("to_state"))

    def identity_views(self):
        """Every time someone saw or exported a reporter's identity."""
        return self.filter(action__in=[Action.IDENTITY_VIEW, Action.IDENTITY_EXPORT])

    def chronological(self):
        return self.order_by("at", "id")


class ComplaintEvent(models.Model):
    """One entry of a complaint's log: who did what when, from which state to which, with notes.

    note_internal is for staff only; note_public is shown on the public timeline when is_public is set.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events",
                                  verbose_name=_("投诉举报"))
    action = models.CharField(_("操作"), max_length=30, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=State.choices, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("操作人"))
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True,
                                  help_text=_("操作时的姓名，账号删除后仍可查。"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note_internal = models.TextField(_("内部意见"), blank=True)
    note_public = models.TextField(_("公开说明"), blank=True)
    is_public = models.BooleanField(_("公开"), default=False)
    data = models.JSONField(_("详情"), default=dict, blank=True)

    objects = ComplaintEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["complaint", "at"], name="complaint_event_complaint_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"
