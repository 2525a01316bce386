"""Background jobs (portal/jobs.py): progress, a result file for its owner only, failures explained."""

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import gettext_noop

from portal.jobs import JobFailed, JobOutput, background_job, job_start, jobs_prune
from portal.models import BackgroundJob, JobStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@background_job
def counting_job(job, progress):
    total = job.params["n"]
    for done in range(1, total + 1):
        progress(done, total)
    return JobOutput(filename="numbers.csv", content=("\n".join(map(str, range(total)))).encode())


@background_job
def refusing_job(job, progress):
    raise JobFailed(gettext_noop("第 %(row)d 行的手机号码“%(phone)s”不是11位数字。"), row=7, phone="12345")


@background_job
def crashing_job(job, progress):
    progress(3, 10)
    raise ZeroDivisionError("secret internals")


def staff():
    from django.contrib.auth.models import Permission

    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_a_job_runs_to_the_end_and_only_its_owner_downloads_the_result(client):
    owner, other = staff(), staff()
    job = job_start(task=counting_job, kind="test.count", title="数数", user=owner, params={"n": 250})
    assert job.status == JobStatus.DONE and job.done == job.total == 250 and job.percent == 100
    assert job.task_id and job.started_at <= job.finished_at

    client.force_login(owner)
    page = client.get(f"/admin/jobs/{job.pk}/").content.decode()
    assert "数数" in page and "已完成" in page and "250 / 250" in page and "numbers.csv" in page
    download = client.get(f"/admin/jobs/{job.pk}/download/")
    assert b"".join(download.streaming_content).startswith(b"0\n1\n2\n")
    assert "numbers.csv" in download["Content-Disposition"] and download["Content-Type"] == "text/csv"
    assert "数数" in client.get("/admin/jobs/").content.decode()

    client.force_login(other)
    for url in (f"/admin/jobs/{job.pk}/", f"/admin/jobs/{job.pk}/status/", f"/admin/jobs/{job.pk}/download/"):
        assert client.get(url).status_code == 404, url
    assert "数数" not in client.get("/admin/jobs/").content.decode()

    client.force_login(UserFactory(is_superuser=True))
    assert client.get(f"/admin/jobs/{job.pk}/download/").status_code == 200


def test_a_refused_job_says_why_in_the_readers_language(client):
    owner = staff()
    job = job_start(task=refusing_job, kind="test.refuse", title="导入名录", user=owner)
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    client.force_login(owner)
    state = client.get(f"/admin/jobs/{job.pk}/status/").json()
    assert state["finished"] and state["status_label"] == "失败"
    assert state["message"] == "第 7 行的手机号码“12345”不是11位数字。" and state["download_url"] == ""
    assert "第 7 行的手机号码“12345”不是11位数字。" in client.get(f"/admin/jobs/{job.pk}/").content.decode()


def test_an_unexpected_error_is_logged_and_the_user_gets_the_job_number(client, caplog):
    owner = staff()
    job = job_start(task=crashing_job, kind="test.crash", title="出错的任务", user=owner)
    assert job.status == JobStatus.FAILED and (job.done, job.total) == (3, 10)
    client.force_login(owner)
    page = client.get(f"/admin/jobs/{job.pk}/").content.decode()
    assert f"任务编号 {job.pk}" in page and "secret internals" not in page
    assert "ZeroDivisionError" in caplog.text


def test_a_queued_job_page_works_without_javascript(client):
    owner = staff()
    job = BackgroundJob.objects.create(kind="test.count", title="排队的任务", started_by=owner, total=40, done=10)
    client.force_login(owner)
    page = client.get(f"/admin/jobs/{job.pk}/").content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert '<progress class="job-progress" data-job-progress max="100" value="25"' in page
    assert f'<a href="/admin/jobs/{job.pk}/" data-job-reload>' in page and "10 / 40" in page
    assert "后台进程" in page  # the user is told a job that never starts is the worker's fault
    main = page.split('id="main"', 1)[1]
    assert "<script>" not in main  # the progress script is a static file (CSP)


def test_the_menu_lists_background_jobs_once_the_user_has_one(client):
    owner = staff()
    client.force_login(owner)
    assert "/admin/jobs/" not in client.get("/admin/").content.decode()
    job_start(task=counting_job, kind="test.count", title="数数", user=owner, params={"n": 1})
    assert "/admin/jobs/" in client.get("/admin/").content.decode()


def test_old_jobs_and_their_files_are_pruned():
    owner = staff()
    old = job_start(task=counting_job, kind="test.count", title="旧任务", user=owner, params={"n": 3})
    new = job_start(task=counting_job, kind="test.count", title="新任务", user=owner, params={"n": 3})
    BackgroundJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=15))
    path = old.result.path
    assert jobs_prune(days=14) == 1
    assert list(BackgroundJob.objects.all()) == [new]
    import os

    assert not os.path.exists(path) and os.path.exists(new.result.path)


# The worker closes connections caught inside a transaction, so it runs outside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_wagtails_own_tasks_run_in_the_database_worker(news_index):
    """In development and production Wagtail's index updates go through the same queue and worker."""
    from django.core.management import call_command
    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult
    from wagtail.search.backends import get_search_backend

    from portal.models import NewsPage
    from tests.factories import NewsPageFactory

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}):
        page = NewsPageFactory(parent=news_index, title="网格员培训示例动态")
        page.save_revision().publish()
        assert page not in list(get_search_backend().search("网格员培训示例动态", NewsPage))
        queued = set(DBTaskResult.objects.values_list("task_path", flat=True))
        assert "modelsearch.tasks.insert_or_update_object_task" in queued
        assert "wagtail.tasks.update_reference_index_task" in queued
        call_command("db_worker", "--queue-name", "*", "--batch", "--no-startup-delay", "--no-reload",
                     verbosity=0)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    found = get_search_backend().search("网格员培训示例动态", NewsPage)
    assert page in list(found)


def test_a_job_whose_worker_stopped_says_so(client):
    owner = staff()
    job = BackgroundJob.objects.create(kind="test.count", title="中断的任务", started_by=owner, status=JobStatus.RUNNING,
                                       total=40, done=12)
    client.force_login(owner)
    assert "很久没有进展" not in client.get(f"/admin/jobs/{job.pk}/").content.decode()
    BackgroundJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=11))
    assert "很久没有进展" in client.get(f"/admin/jobs/{job.pk}/").content.decode()
