"""News editing: the city writes and publishes news; a township drafts news, submits it to 新闻审核 and the
city approves it (staff/news.py, set up by staff_roles_setup)."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Page, TaskState, Workflow, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from portal.models import NewsPage
from staff.news import NEWS_TASK_NAME, NEWS_WORKFLOW_NAME, news_roles_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def news_roles(news_index, staff_groups):
    """The news permissions and workflow, once the news index exists (staff_roles_setup gives them)."""
    return news_roles_setup()


def _news_form(title, **extra):
    data = nested_form_data({
        "title": title, "slug": f"news-{abs(hash(title)) % 10**8}", "date": "2026-05-01", "kind": "dynamics", "tags": "", "intro": "摘要",
        "cover": "",
        "body": streamfield([("paragraph", rich_text(f"<p>{title}的正文。</p>"))]),
    })
    data.update(extra)
    return data


def _add(client, news_index, title, **action):
    url = reverse("wagtailadmin_pages:add", args=["portal", "newspage", news_index.pk])
    return client.post(url, _news_form(title, **action))


def _errors(response) -> str:
    import re

    html = response.content.decode()
    return " | ".join(re.findall(r'class="[^"]*error-message[^"]*"[^>]*>(.*?)</', html, re.S)) or html[-3000:]


def _public_news(client, news_index) -> str:
    return client.get(news_index.url).content.decode()


def test_staff_roles_setup_gives_the_workflow_once(news_index, staff_groups, news_roles):
    news_roles_setup()
    news_roles_setup()
    workflow = Workflow.objects.get(name=NEWS_WORKFLOW_NAME)
    assert Workflow.objects.filter(name=NEWS_WORKFLOW_NAME).count() == 1
    assert Page.objects.get(pk=news_index.pk).get_workflow() == workflow
    (task,) = [t.specific for t in workflow.tasks]
    assert task.name == NEWS_TASK_NAME
    assert list(task.groups.values_list("name", flat=True)) == ["city_supervisor"]


def test_city_opens_the_news_and_publishes(login, city_user, news_index, news_roles, client):
    login(city_user)
    explorer = client.get(reverse("wagtailadmin_explore", args=[news_index.pk]))
    assert explorer.status_code == 200
    assert "新闻" in explorer.content.decode()
    response = _add(client, news_index, "市级发布的新闻", **{"action-publish": "action-publish"})
    assert response.status_code == 302, _errors(response)
    page = NewsPage.objects.get(title="市级发布的新闻", locale__language_code="zh-hans")
    assert page.live and page.owner == city_user
    assert "市级发布的新闻" in _public_news(client, news_index)
    listing = client.get(reverse("wagtailadmin_explore", args=[news_index.pk])).content.decode()
    assert "已发布" in listing and "在用" not in listing


def test_township_drafts_submits_and_city_approves(login, township_user, city_user, news_index, news_roles,
                                                   client):
    login(township_user)
    assert client.get(reverse("wagtailadmin_explore", args=[news_index.pk])).status_code == 200
    # Publishing is not offered to a township: asking for it saves nothing live.
    _add(client, news_index, "乡镇想直接发布", **{"action-publish": "action-publish"})
    assert not NewsPage.objects.filter(title="乡镇想直接发布", live=True).exists()

    mail.outbox.clear()
    response = _add(client, news_index, "三工镇新闻稿", **{"action-submit": "action-submit"})
    assert response.status_code == 302, _errors(response)
    page = NewsPage.objects.get(title="三工镇新闻稿", locale__language_code="zh-hans")
    assert not page.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and state.workflow.name == NEWS_WORKFLOW_NAME
    # The city's news editors are told, the township cannot approve its own draft.
    assert city_user.email in {address for message in mail.outbox for address in message.to}
    task_state = state.current_task_state
    assert task_state.task.name == NEWS_TASK_NAME
    approve = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    client.post(approve, {"comment": ""})
    assert not NewsPage.objects.get(pk=page.pk).live
    assert "三工镇新闻稿" not in _public_news(client, news_index)

    login(city_user)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "市级审核" in edit and "批准" in edit
    response = client.post(approve, {"comment": ""})
    assert response.status_code in (200, 302)
    assert NewsPage.objects.get(pk=page.pk).live
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_APPROVED
    client.logout()
    assert "三工镇新闻稿" in _public_news(client, news_index)


def test_township_cannot_edit_another_townships_or_published_news(login, township_user, other_township_user,
                                                                  city_user, news_index, news_roles, client):
    login(other_township_user)
    _add(client, news_index, "别的乡镇的草稿", **{"action-submit": "action-submit"})
    other_draft = NewsPage.objects.get(title="别的乡镇的草稿", locale__language_code="zh-hans")
    login(city_user)
    _add(client, news_index, "已发布的市级新闻", **{"action-publish": "action-publish"})
    published = NewsPage.objects.get(title="已发布的市级新闻", locale__language_code="zh-hans")

    login(township_user)
    for page in (other_draft, published):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code in (302, 403), page.title
        response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]),
                               _news_form("被改的标题", **{"action-publish": "action-publish"}))
        assert NewsPage.objects.get(pk=page.pk).title == page.title


def test_village_coordinator_gets_no_news(login, village_user, news_index, news_roles, client):
    login(village_user)
    response = client.get(reverse("wagtailadmin_explore", args=[news_index.pk]))
    assert response.status_code in (302, 403)


def test_moderation_screens_are_chinese(login, township_user, city_user, news_index, news_roles, client):
    login(township_user)
    add = client.get(reverse("wagtailadmin_pages:add", args=["portal", "newspage", news_index.pk])).content.decode()
    assert "提交给新闻审核" in add
    _add(client, news_index, "待审核的新闻", **{"action-submit": "action-submit"})
    page = NewsPage.objects.get(title="待审核的新闻", locale__language_code="zh-hans")
    login(city_user)
    assert "等待你的审查" in client.get(reverse("wagtailadmin_home")).content.decode()
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    # Our catalogue (locale/zh_Hans) mends Wagtail's word-for-word "批准 和发布" and "带评论批准".
    for label in ("请求修改", "批准并发布", "附意见批准并发布"):
        assert label in edit, label
    for english in ("Request changes", "Approve", "and Publish", "with comment"):
        assert english not in edit, english
    state = WorkflowState.objects.get(object_id=str(page.pk))
    reject = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", state.current_task_state.pk])
    client.post(reject, {"comment": "请补充培训人数。"})
    login(township_user)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "我提交审核的内容" in home and "已请求修改：" in home
    assert "Your pages and snippets in a workflow" not in home


def test_migration_sets_up_an_installation_that_has_groups_and_news(staff_groups, news_index):
    """An installation updated with `migrate` alone gets the news roles; a fresh database is left alone."""
    import importlib

    from django.apps import apps
    from wagtail.models import GroupPagePermission

    migration = importlib.import_module("staff.migrations.0001_news_workflow")
    assert not Workflow.objects.filter(name=NEWS_WORKFLOW_NAME).exists()
    migration.news_workflow_setup(apps, None)
    assert Page.objects.get(pk=news_index.pk).get_workflow().name == NEWS_WORKFLOW_NAME
    assert GroupPagePermission.objects.filter(group__name="city_supervisor", page=news_index,
                                              permission__codename="publish_page").exists()


def test_demo_draft_waits_for_the_city(make_staff, township, city_user, news_index, news_roles):
    from disclosure.models import Role
    from staff.demo_news import DRAFT_SLUG, load_news

    make_staff("township_sangong", township, Role.SUPERVISOR)
    assert load_news() == 1 and load_news() == 0
    page = NewsPage.objects.get(slug=DRAFT_SLUG)
    assert not page.live and page.owner.username == "township_sangong"
    waiting = TaskState.objects.reviewable_by(city_user)
    assert [state.revision.object_id for state in waiting] == [str(page.pk)]
