"""The Chinese back office shows no English from Wagtail: strings its own zh_Hans catalogue lacks are supplied
by locale/zh_Hans, and the default workflow is named in Chinese."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, home):
    client.force_login(UserFactory(is_superuser=True))
    return client


def test_create_form_breadcrumb_and_error_button(admin_client):
    html = admin_client.get("/admin/snippets/disclosure/producer/add/").content.decode()
    assert "新建：生产主体" in html and "New: " not in html
    # Saved with errors: the message offers to go to the first one.
    html = admin_client.post("/admin/snippets/disclosure/producer/add/", {"name": ""}).content.decode()
    assert "转到第一个错误" in html and "Go to the first error" not in html


def test_autosave_indicator(admin_client, home):
    html = admin_client.get(f"/admin/pages/{home.pk}/edit/").content.decode()
    assert "Autosave is paused" not in html
    assert "自动保存已暂停" in html


def test_home_page_summary_counts_pages_in_chinese(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert " Pages" not in html and " Page " not in html
    assert "个页面" in html


def test_default_workflow_is_named_in_chinese(admin_client, home):
    from wagtail.models import Task, Workflow

    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()
    html = admin_client.get(f"/admin/pages/{home.pk}/edit/").content.decode()
    assert "Moderators approval" not in html
