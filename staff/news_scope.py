"""Each county's news is its own staff's, on a portal serving several counties (docs/staff.md, "News editing").

Decisions:
- The staff groups are shared by every county and hold their news permissions on every county site's news
  index (staff/news.py). Which of these a user may use follows their roles, as everything else in the back
  office does: a page permission within a site counts for a user only when their roles reach the place the
  site serves — a role on that grid or above it, or, on a county's site, below it (its townships draft).
  So a county's editors write and publish its news and cannot open another county's, and nobody's group
  has to change when a county joins.
- The rule is Wagtail's page permission policy (registered for every page model from StaffConfig.ready):
  the editor, the explorer, listings, reports and choosers all ask it.
- A portal of one site keeps every grant as it is (an account with no person linked edits news there, as
  before); on a portal of several sites, an account with no role reaches no site.
- The approval task 市级审核 is a CountyApprovalTask (staff/models.py): its group members approve only the
  drafts of the sites they reach, and Wagtail's mail about a submitted draft goes to those members only.
"""

from django.db.models import Q
from wagtail.admin.mail import GroupApprovalTaskStateSubmissionEmailNotifier
from wagtail.models import Page, Site
from wagtail.permission_policies.pages import PagePermissionPolicy

from disclosure.models import ABOVE_COUNTY, Grid, RoleAssignment
from disclosure.sites import site_grid

CACHE_ATTRIBUTE = "_news_sites_outside"
WAGTAIL_NOTIFIER_UID = "group_approval_task_submitted_email_notification"


def _reaches_grid(role_path: str, grid: Grid) -> bool:
    return grid.path.startswith(role_path) or (grid.level not in ABOVE_COUNTY and role_path.startswith(grid.path))


def sites_outside(user) -> tuple[str, ...]:
    """The root page paths of the sites whose place the user's roles do not reach: none for superusers and
    on a portal of one site. Remembered on the user object for the request, as Wagtail's permissions are."""
    if not (user and user.is_authenticated and user.is_active) or user.is_superuser:
        return ()
    cached = getattr(user, CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    sites = list(Site.objects.values_list("pk", "root_page__path"))
    outside: tuple[str, ...] = ()
    if len(sites) > 1:
        roles = list(RoleAssignment.objects.current().filter(person__user=user).values_list("grid__path", flat=True))
        outside = tuple(root for site_id, root in sites
                        if (grid := site_grid(site_id)) is not None
                        and not any(_reaches_grid(role, grid) for role in roles))
    setattr(user, CACHE_ATTRIBUTE, outside)
    return outside


def reaches(user, obj) -> bool:
    """Whether the user's roles reach the site a page lies in (anything but a page: yes)."""
    if not isinstance(obj, Page):
        return True
    return not any(obj.path.startswith(root) for root in sites_outside(user))


class CountyPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permissions, less a user's group permissions within the sites their roles do not reach."""

    def get_all_permissions_for_user(self, user):
        permissions = super().get_all_permissions_for_user(user)
        outside = sites_outside(user)
        if not outside:
            return permissions
        condition = Q()
        for root in outside:
            condition |= Q(page__path__startswith=root)
        return permissions.exclude(condition)


class CountyTaskSubmissionNotifier(GroupApprovalTaskStateSubmissionEmailNotifier):
    """Wagtail's mail to a group approval task's approvers; for a CountyApprovalTask only to those who may
    approve this draft."""

    def get_recipient_users(self, task_state, **kwargs):
        from .models import CountyApprovalTask

        recipients = super().get_recipient_users(task_state, **kwargs)
        task = task_state.task.specific
        if not isinstance(task, CountyApprovalTask):
            return recipients
        obj = task_state.workflow_state.content_object
        return {user for user in recipients if task.may_moderate(obj, user)}


def news_scope_install() -> None:
    """Register the policy for every page model and put the notifier in the place of Wagtail's (same dispatch
    id: whichever app is made ready first, this one stays)."""
    from wagtail.models import AbstractPage, TaskState
    from wagtail.permissions import register_permission_policy
    from wagtail.signals import task_submitted

    register_permission_policy(AbstractPage, CountyPagePermissionPolicy())
    task_submitted.disconnect(sender=TaskState, dispatch_uid=WAGTAIL_NOTIFIER_UID)
    task_submitted.connect(CountyTaskSubmissionNotifier(), sender=TaskState, dispatch_uid=WAGTAIL_NOTIFIER_UID,
                           weak=False)
