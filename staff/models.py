"""The back office's one model: the approval task of a county's news (staff/news_scope.py)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask, Page


class CountyApprovalTask(GroupApprovalTask):
    """A group approval task whose group members approve only what lies within the sites their roles reach:
    a township's draft is approved by its own county's news editors, not another county's. Stored as a
    group approval task (a proxy: the same table, groups chosen in 设置 → 工作流 as before)."""

    class Meta:
        proxy = True
        verbose_name = _("本县（市）组审批任务")
        verbose_name_plural = _("本县（市）组审批任务")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.id:  # a new task is this kind, not a plain group approval task
            self.content_type = ContentType.objects.get_for_model(self, for_concrete_model=False)

    def may_moderate(self, obj, user) -> bool:
        """Whether the user approves this object here: in one of the task's groups, and their roles reach
        the site it lies in."""
        from .news_scope import reaches

        return user.is_superuser or (self._user_in_groups(user) and reaches(user, obj))

    def user_can_access_editor(self, obj, user):
        return self.may_moderate(obj, user)

    def locked_for_user(self, obj, user):
        return not self.may_moderate(obj, user)

    def user_can_lock(self, obj, user):
        return self._user_in_groups(user) and self.may_moderate(obj, user)

    def get_actions(self, obj, user):
        return super().get_actions(obj, user) if self.may_moderate(obj, user) else []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from .news_scope import sites_outside

        states = super().get_task_states_user_can_moderate(user, **kwargs)
        outside = sites_outside(user)
        if not outside or user.is_superuser:
            return states
        condition = Q()
        for root in outside:
            condition |= Q(path__startswith=root)
        pages = Page.objects.filter(condition).annotate(key=Cast("pk", output_field=CharField())).values("key")
        return states.exclude(workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
                              workflow_state__object_id__in=pages)

    @classmethod
    def get_description(cls):
        return _("所选用户组的成员审批，各自只审批本人岗位所在县（市）站点的内容")

