"""A registry file of more than 200 rows is saved by the task worker after the preview is confirmed."""

import io

import pytest

from disclosure.models import Producer
from portal.models import BackgroundJob, JobStatus
from tests.disclosure.test_registry_import import as_csv, row
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
IMPORT = "/admin/producers/import/"


def preview_token(client, rows) -> str:
    upload = io.BytesIO(as_csv(rows))
    upload.name = "registry.csv"
    html = client.post(IMPORT, {"file": upload}).content.decode()
    return html.split('name="token" value="')[1].split('"')[0]


def test_a_large_registry_is_saved_in_the_background(client, grids, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    user = UserFactory(is_superuser=True)
    client.force_login(user)
    token = preview_token(client, [row(名称=f"批量导入示例合作社{n:03d}") for n in range(201)])
    response = client.post(IMPORT, {"token": token})
    job = BackgroundJob.objects.get()
    assert response["Location"] == f"/admin/jobs/{job.pk}/"
    assert job.status == JobStatus.DONE and job.done == job.total == 201 and job.started_by == user
    assert Producer.objects.filter(name__startswith="批量导入示例合作社").count() == 201
    page = client.get(response["Location"]).content.decode()
    assert "导入生产主体名录（registry.csv，201 行）" in page and "导入完成：新增 201 个，更新 0 个生产主体。" in page
    # The confirmation is spent with its file.
    assert "已过期或无效" in client.post(IMPORT, {"token": token}, follow=True).content.decode()


def test_nobody_confirms_another_users_registry_in_the_background(client, grids, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    client.force_login(UserFactory(is_superuser=True))
    token = preview_token(client, [row(名称=f"批量导入示例合作社{n:03d}") for n in range(201)])
    from disclosure.jobs import REGISTRY_KIND, registry_import_job
    from portal.jobs import job_start

    other = UserFactory(is_superuser=True)
    job = job_start(task=registry_import_job, kind=REGISTRY_KIND, title="导入", user=other, params={"token": token})
    assert job.status == JobStatus.FAILED  # another user's confirmation is refused
    client.force_login(other)
    assert "导入确认已过期或无效，请重新上传文件。" in client.get(f"/admin/jobs/{job.pk}/").content.decode()
    assert not Producer.objects.filter(name__startswith="批量导入示例合作社").exists()


def test_a_small_registry_is_still_saved_at_once(client, grids, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    client.force_login(UserFactory(is_superuser=True))
    token = preview_token(client, [row(名称="单条导入示例合作社")])
    response = client.post(IMPORT, {"token": token})
    assert response["Location"] == "/admin/snippets/disclosure/producer/"
    assert Producer.objects.filter(name="单条导入示例合作社").exists() and not BackgroundJob.objects.exists()
