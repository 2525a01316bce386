"""News editing (新闻编辑) for staff: who may write, submit and publish the portal's news, and the workflow
that routes a township's draft to the city.

Decisions (docs/staff.md):
- The city's news editors are the `city_supervisor` group: the 质量安全科 runs the portal, and every city
  account is created in that group, so no extra group has to be remembered when an account is added. They
  add, edit, publish, lock and unlock news under the news index, and upload and choose the images and
  documents of the 新闻 collection.
- Township supervisors draft news: Wagtail's *add* permission on the news index lets them create news and
  edit the drafts they own, never another township's news nor a published one, and never publish. They
  submit a draft to the workflow 新闻审核, whose one task 市级审核 is approved by the city's news editors;
  approval publishes it. They upload and choose images and documents in the 新闻 collection only (not the
  inspectors' photos or the training materials).
- Village coordinators get nothing here.
- On a portal of several counties the same groups hold these permissions on the news index of the default
  site and of every site serving a county (a prefecture's or the region's site gets none: its news is the
  superusers'), and the workflow is attached to each. Each user acts only on the sites their roles reach,
  and the task 市级审核 is a CountyApprovalTask approved by each county's own editors (staff/news_scope.py).

Everything is additive and idempotent: `news_roles_setup()` is called by `staff_roles_setup`, so
`manage.py staff_roles` gives it, and again whenever a site's served grid is set (a county's site added);
it does nothing when the news index does not exist yet.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from disclosure.models import GridLevel, ServedGrid

from .models import CountyApprovalTask

NEWS_EDITOR_GROUP = "city_supervisor"
NEWS_WORKFLOW_NAME = "新闻审核"
NEWS_TASK_NAME = "市级审核"
NEWS_COLLECTION_NAME = "新闻"

# group → page permission types on the news index and everything under it
NEWS_PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    NEWS_EDITOR_GROUP: ("add", "change", "publish", "lock", "unlock"),
    "township_supervisor": ("add",),
}

# group → app label → codenames, on the 新闻 collection
NEWS_COLLECTION_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    NEWS_EDITOR_GROUP: {
        "wagtailimages": ("add_image", "change_image", "choose_image"),
        "wagtaildocs": ("add_document", "change_document", "choose_document"),
    },
    "township_supervisor": {
        "wagtailimages": ("add_image", "choose_image"),
        "wagtaildocs": ("add_document", "choose_document"),
    },
}


def news_index_page() -> Page | None:
    from portal.services import news_index

    return news_index()


def news_indexes() -> list[Page]:
    """The news index of the default site, then those of the sites serving a county, in site order."""
    from portal.models import NewsIndexPage

    first = news_index_page()
    if first is None:
        return []
    found = [first]
    for setting in (ServedGrid.objects.filter(grid__level=GridLevel.CITY).select_related("site__root_page")
                    .order_by("site_id")):
        index = NewsIndexPage.objects.child_of(setting.site.root_page).filter(locale=first.locale).first()
        if index is not None and index.pk not in {page.pk for page in found}:
            found.append(index)
    return found


def news_collection_ensure() -> Collection:
    # Wagtail's migration makes the root collection; a flushed database (transactional tests) has none.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    found = root.get_children().filter(name=NEWS_COLLECTION_NAME).first()
    return found or root.add_child(name=NEWS_COLLECTION_NAME)


def news_permissions_grant(*, news_index: Page) -> None:
    """Page permissions on the news index and collection permissions on 新闻 (additive)."""
    page_model = Page._meta.model_name
    groups = {group.name: group for group in Group.objects.filter(name__in=NEWS_PAGE_PERMISSIONS)}
    if not groups:
        return
    collection = news_collection_ensure()
    for name, kinds in NEWS_PAGE_PERMISSIONS.items():
        group = groups.get(name)
        if group is None:
            continue
        for permission in Permission.objects.filter(content_type__app_label="wagtailcore",
                                                    codename__in=[f"{k}_{page_model}" for k in kinds]):
            GroupPagePermission.objects.get_or_create(group=group, page=news_index, permission=permission)
        for app_label, codenames in NEWS_COLLECTION_PERMISSIONS.get(name, {}).items():
            for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames):
                GroupCollectionPermission.objects.get_or_create(group=group, collection=collection,
                                                                permission=permission)


def news_workflow_ensure(*, news_index: Page) -> Workflow | None:
    """The workflow 新闻审核 (one task 市级审核 for the news editors) on the news index, created if missing.

    A workflow or task the city renamed or re-assigned in the admin is left as it is; only a missing one is
    created, and the news index is attached to it unless it already has a workflow of its own. The task
    市级审核 made before counties had their own editors (a plain group approval task) becomes a
    CountyApprovalTask in place: same row, groups and drafts in moderation.
    """
    editors = Group.objects.filter(name=NEWS_EDITOR_GROUP).first()
    if editors is None:
        return None
    workflow = Workflow.objects.filter(name=NEWS_WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=NEWS_WORKFLOW_NAME, active=True)
    county_task = ContentType.objects.get_for_model(CountyApprovalTask, for_concrete_model=False)
    if not workflow.workflow_tasks.exists():
        task = GroupApprovalTask.objects.filter(name=NEWS_TASK_NAME).first()
        if task is None:
            task = CountyApprovalTask.objects.create(name=NEWS_TASK_NAME, active=True)
            task.groups.add(editors)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    Task.objects.filter(workflow_tasks__workflow=workflow, name=NEWS_TASK_NAME,
                        content_type=ContentType.objects.get_for_model(GroupApprovalTask)).update(
        content_type=county_task)
    if not WorkflowPage.objects.filter(page=news_index).exists():
        WorkflowPage.objects.create(page=news_index, workflow=workflow)
    return workflow


@transaction.atomic
def news_roles_setup() -> Workflow | None:
    """Grant the news permissions and make sure the workflow exists, on the news index of the default site and
    of every site serving a county; nothing while there is no news index."""
    workflow = None
    for news_index in news_indexes():
        news_permissions_grant(news_index=news_index)
        workflow = news_workflow_ensure(news_index=news_index)
    return workflow


@receiver(post_save, sender=ServedGrid)
def _site_serves(instance, **kwargs):
    """A site now serving a county gets the news permissions and the workflow on its news index."""
    if instance.grid_id and instance.grid.level == GridLevel.CITY:
        news_roles_setup()
