"""News on a portal of several counties: each county's staff write, submit and publish news on their own
county's site only, and a county's drafts are approved by its own editors (staff/news.py, staff/news_scope.py)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import GroupApprovalTask, GroupPagePermission, Site, TaskState, Workflow, WorkflowState

from disclosure.models import Grid, Role
from portal.models import NewsIndexPage, NewsPage
from staff.models import CountyApprovalTask
from staff.news import NEWS_TASK_NAME, NEWS_WORKFLOW_NAME, news_roles_setup
from tests.disclosure.test_counties import FUKANG, PREFECTURE, counties  # noqa: F401  (the fixture)
from tests.staff.test_news_workflow import _add, _errors, _news_form

pytestmark = pytest.mark.django_db


def _index_of(hostname):
    return NewsIndexPage.objects.child_of(Site.objects.get(hostname=hostname).root_page).get()


@pytest.fixture
def news(staff_groups, news_index, counties):  # noqa: F811
    """The groups exist before 阜康市's site is added: serving a county sets up its news without staff_roles."""
    return {"changji": news_index, "fukang": _index_of(FUKANG)}


@pytest.fixture
def editors(make_staff, counties):  # noqa: F811
    return {"changji": make_staff("changji_editor", counties["changji"], Role.SUPERVISOR, "city_supervisor"),
            "fukang": make_staff("fukang_editor", counties["fukang"], Role.SUPERVISOR, "city_supervisor")}


@pytest.fixture
def ganhezi_user(make_staff, counties):  # noqa: F811
    return make_staff("ganhezi", Grid.objects.get(code="652302100"), Role.SUPERVISOR)


def _published(client, index, title):
    response = _add(client, index, title, **{"action-publish": "action-publish"})
    assert response.status_code == 302, _errors(response)
    return NewsPage.objects.get(title=title, locale__language_code="zh-hans")


def test_every_county_site_gets_the_news_roles_once(news):
    assert Site.objects.count() == 3
    prefecture_index = _index_of(PREFECTURE)
    granted = GroupPagePermission.objects.filter(group__name="city_supervisor", permission__codename="publish_page")
    assert set(granted.values_list("page_id", flat=True)) == {news["changji"].pk, news["fukang"].pk}
    assert not GroupPagePermission.objects.filter(page=prefecture_index).exists()  # the superusers' news
    before = GroupPagePermission.objects.count()
    news_roles_setup()
    news_roles_setup()
    assert GroupPagePermission.objects.count() == before
    workflow = Workflow.objects.get(name=NEWS_WORKFLOW_NAME)
    for index in (news["changji"], news["fukang"]):
        assert index.get_workflow() == workflow
    (task,) = [t.specific for t in workflow.tasks]
    assert isinstance(task, CountyApprovalTask) and task.name == NEWS_TASK_NAME


def test_a_county_editor_publishes_on_their_own_site_and_not_on_the_others(login, news, editors, client):
    login(editors["changji"])
    changji_news = _published(client, news["changji"], "昌吉市的新闻")

    login(editors["fukang"])
    explorer = client.get(reverse("wagtailadmin_explore", args=[news["fukang"].pk]))
    assert explorer.status_code == 200
    page = _published(client, news["fukang"], "阜康市发布的新闻")
    assert page.live and page.get_parent().pk == news["fukang"].pk
    assert "阜康市发布的新闻" in client.get(news["fukang"].full_url, HTTP_HOST=FUKANG).content.decode()

    add = reverse("wagtailadmin_pages:add", args=["portal", "newspage", news["changji"].pk])
    assert client.get(add).status_code in (302, 403)
    client.post(add, _news_form("阜康市写进昌吉市的新闻", **{"action-publish": "action-publish"}))
    assert not NewsPage.objects.filter(title="阜康市写进昌吉市的新闻").exists()
    edit = reverse("wagtailadmin_pages:edit", args=[changji_news.pk])
    assert client.get(edit).status_code in (302, 403)
    client.post(edit, _news_form("被阜康市改的标题", **{"action-publish": "action-publish"}))
    assert NewsPage.objects.get(pk=changji_news.pk).title == "昌吉市的新闻"
    unpublish = reverse("wagtailadmin_pages:unpublish", args=[changji_news.pk])
    client.post(unpublish)
    assert NewsPage.objects.get(pk=changji_news.pk).live
    assert client.get(reverse("wagtailadmin_explore", args=[news["changji"].pk])).status_code in (302, 403)

    login(editors["changji"])  # and the other way round
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code in (302, 403)


def test_a_townships_draft_is_approved_by_its_countys_editors(login, news, editors, ganhezi_user, client):
    login(ganhezi_user)
    refused = reverse("wagtailadmin_pages:add", args=["portal", "newspage", news["changji"].pk])
    assert client.get(refused).status_code in (302, 403)
    mail.outbox.clear()
    response = _add(client, news["fukang"], "甘河子镇新闻稿", **{"action-submit": "action-submit"})
    assert response.status_code == 302, _errors(response)
    page = NewsPage.objects.get(title="甘河子镇新闻稿", locale__language_code="zh-hans")
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    task_state = state.current_task_state
    assert state.workflow.name == NEWS_WORKFLOW_NAME and task_state.task.name == NEWS_TASK_NAME
    told = {address for message in mail.outbox for address in message.to}
    assert editors["fukang"].email in told and editors["changji"].email not in told

    # 昌吉市's editors neither see it waiting nor can open or approve it.
    assert not TaskState.objects.reviewable_by(editors["changji"]).exists()
    login(editors["changji"])
    assert "等待你的审查" not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code in (302, 403)
    approve = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    client.post(approve, {"comment": ""})
    assert not NewsPage.objects.get(pk=page.pk).live

    assert list(TaskState.objects.reviewable_by(editors["fukang"])) == [task_state]
    login(editors["fukang"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "等待你的审查" in home and "甘河子镇新闻稿" in home
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "市级审核" in edit and "批准" in edit
    assert client.post(approve, {"comment": ""}).status_code in (200, 302)
    assert NewsPage.objects.get(pk=page.pk).live
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_APPROVED


def test_the_task_made_before_counties_becomes_the_county_kind_in_place(staff_groups, news_index):
    editors = Group.objects.get(name="city_supervisor")
    plain = GroupApprovalTask.objects.create(name=NEWS_TASK_NAME, active=True)
    plain.groups.add(editors)
    workflow = Workflow.objects.create(name="新闻审核")
    workflow.workflow_tasks.create(task=plain, sort_order=0)
    migration = importlib.import_module("staff.migrations.0002_county_approval_task")
    migration.news_counties_setup(apps, None)  # an installation updated with `migrate` alone
    (task,) = [t.specific for t in Workflow.objects.get(pk=workflow.pk).tasks]
    assert isinstance(task, CountyApprovalTask) and task.pk == plain.pk
    assert list(task.groups.all()) == [editors]


def test_one_site_keeps_news_for_an_account_with_no_role(make_staff, news_index, staff_groups, grids):
    """A portal of one county: group grants hold as before, whatever the account's roles."""
    news_roles_setup()
    unlinked = make_staff("unlinked_city", None, group="city_supervisor")
    assert news_index.permissions_for_user(unlinked).can_publish_subpage()


def test_the_two_county_demo_leaves_fukang_city_publishing_its_own_news_only(grids, news_index, staff_groups,
                                                                             tmp_path, monkeypatch):
    from staff import demo, demo_region
    from tests.factories import ProducerFactory

    monkeypatch.setattr(demo, "CREDENTIALS_FILE", tmp_path / "demo_accounts.txt")
    monkeypatch.setattr(demo_region, "CREDENTIALS_FILE", tmp_path / "demo_accounts.txt")
    ProducerFactory(village=Grid.objects.get(code="652301101200"))  # 昌吉市's demo, as far as this test needs
    demo_region.load_region_demo(suffix="localhost", port=80)
    fukang_city = demo_region.get_user_model().objects.get(username="fukang_city")
    fukang_index = _index_of("fukang.localhost")
    fukang_news = NewsPage.objects.child_of(fukang_index).first()
    assert fukang_index.permissions_for_user(fukang_city).can_publish_subpage()
    assert fukang_news.permissions_for_user(fukang_city).can_publish()
    fukang_city = demo_region.get_user_model().objects.get(pk=fukang_city.pk)  # a new request
    assert not news_index.permissions_for_user(fukang_city).can_add_subpage()
    assert not news_index.permissions_for_user(fukang_city).can_edit()
