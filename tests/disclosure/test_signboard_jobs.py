"""Printing a township's signboards runs in the background: the request only queues the job, the user
follows its progress on the job's page and downloads one PDF with a page per producer."""

import subprocess

import pytest
from django.core.management import call_command
from django.test import override_settings

from disclosure.jobs import SIGNBOARDS_KIND, grid_signboards_job
from disclosure.models import Signboard
from portal.jobs import job_start
from portal.models import BackgroundJob, JobStatus
from tests.disclosure.test_producers_admin import township_user
from tests.factories import ProducerFactory, UserFactory

pytestmark = pytest.mark.django_db
PRINT = "/admin/producers/print/"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()


@pytest.fixture
def township_producers(grids, township):
    villages = list(grids.filter(parent=township)[:2])
    # 11 signs: more than one rendering chunk (10), so the joined PDF is checked too.
    mine = [ProducerFactory(name=f"三工示例主体{n:02d}", village=villages[n % 2]) for n in range(11)]
    elsewhere = grids.filter(level="village").exclude(parent=township).first()
    ProducerFactory(name="外镇示例主体", village=elsewhere)
    ProducerFactory(name="未公开示例主体", village=villages[0], published=False)
    return mine


def test_print_lands_on_the_job_page_and_offers_one_pdf_with_every_producer(client, township, township_producers):
    user = township_user(township)
    client.force_login(user)
    form = client.get(PRINT).content.decode()
    assert 'data-action="w-progress#activate"' in form  # the button disables itself on submit

    response = client.post(PRINT, {"grid": township.pk, "paper": "A3"})
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/jobs/{job.pk}/"
    assert job.status == JobStatus.DONE and job.started_by == user
    assert job.done == job.total == len(township_producers)

    page = client.get(response["Location"]).content.decode()
    assert "三工镇公示牌（A3）" in page and f'href="/admin/jobs/{job.pk}/download/"' in page
    assert 'value="100"' in page and "http-equiv=\"refresh\"" not in page  # finished: no more refreshing

    download = client.get(f"/admin/jobs/{job.pk}/download/")
    assert download["Content-Type"] == "application/pdf" and "attachment" in download["Content-Disposition"]
    content = b"".join(download.streaming_content)
    text = pdf_text(content)
    for producer in township_producers:
        assert producer.name in text
    assert "外镇示例主体" not in text and "未公开示例主体" not in text
    assert text.count("\f") == len(township_producers)  # a page per sign
    assert Signboard.objects.filter(created_by=user).count() == len(township_producers)


# The worker closes connections caught inside a transaction, so it runs outside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_the_request_only_queues_and_the_worker_prints(client, township, township_producers):
    client.force_login(township_user(township))
    with override_settings(TASKS=DATABASE_TASKS):
        response = client.post(PRINT, {"grid": township.pk, "paper": "A4"})
        job = BackgroundJob.objects.get()
        assert job.status == JobStatus.QUEUED and not Signboard.objects.exists()
        page = client.get(response["Location"]).content.decode()
        # Without JavaScript the page refreshes itself and offers a link; with it, a script polls.
        assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
        assert f'href="/admin/jobs/{job.pk}/"' in page and "js/job-progress.js" in page
        assert client.get(f"/admin/jobs/{job.pk}/status/").json()["status"] == "queued"
        assert client.get(f"/admin/jobs/{job.pk}/download/").status_code == 404

        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    state = client.get(f"/admin/jobs/{job.pk}/status/").json()
    assert state["status"] == "done" and state["done"] == state["total"] == len(township_producers)
    assert state["percent"] == 100 and state["download_url"] == f"/admin/jobs/{job.pk}/download/"
    assert Signboard.objects.filter(paper="A4").count() == len(township_producers)


def test_a_township_without_published_producers_is_refused_at_once(client, township, grids):
    client.force_login(township_user(township))
    response = client.post(PRINT, {"grid": township.pk, "paper": "A3"})
    assert response.status_code == 200 and "三工镇没有公开的生产主体。" in response.content.decode()
    assert not BackgroundJob.objects.exists()


def test_a_failed_print_says_why(client, township, grids, monkeypatch):
    user = UserFactory(is_superuser=True)
    client.force_login(user)
    job = job_start(task=grid_signboards_job, kind=SIGNBOARDS_KIND, title="三工镇公示牌（A3）", user=user,
                    params={"grid": township.pk, "paper": "A3"})
    assert job.status == JobStatus.FAILED
    page = client.get(f"/admin/jobs/{job.pk}/").content.decode()
    assert "三工镇没有公开的生产主体。" in page and 'role="alert"' in page and "/download/" not in page

    ProducerFactory(name="三工示例主体", village=grids.filter(parent=township).first())

    def broken(**kwargs):
        raise OSError("font cache unreadable")

    monkeypatch.setattr("disclosure.jobs.signboards_pdf_write", broken)
    job = job_start(task=grid_signboards_job, kind=SIGNBOARDS_KIND, title="三工镇公示牌（A3）", user=user,
                    params={"grid": township.pk, "paper": "A3"})
    page = client.get(f"/admin/jobs/{job.pk}/").content.decode()
    assert job.status == JobStatus.FAILED and f"任务编号 {job.pk}" in page and "font cache" not in page
    client.cookies["lang"] = "en"
    assert "三工镇 has no public producers." in client.get(f"/admin/jobs/{job.pk - 1}/").content.decode()


def test_a_coordinator_prints_the_signs_of_their_village_only(client, grids, township, township_producers):
    from django.contrib.auth.models import Group

    from disclosure.models import Role
    from disclosure.services.grids import role_assign
    from staff.roles import staff_roles_setup
    from tests.factories import PersonFactory

    staff_roles_setup()
    village = township_producers[0].village
    user = UserFactory()
    user.groups.add(Group.objects.get(name="village_coordinator"))
    role_assign(person=PersonFactory(name="本村协管员", user=user), grid=village, role=Role.COORDINATOR)
    client.force_login(user)

    form = client.get(PRINT).content.decode()
    # Their village, chosen already; no township, no other village.
    assert f'<option value="{village.pk}" selected>{village.name}</option>' in form
    assert township.name + "（全镇）" not in form and township_producers[1].village.name not in form
    response = client.post(PRINT, {"grid": township.pk, "paper": "A3"})
    assert response.status_code == 200 and "请选择要打印的乡镇或村。" in response.content.decode()
    assert not BackgroundJob.objects.exists()

    response = client.post(PRINT, {"grid": village.pk, "paper": "A3"})
    job = BackgroundJob.objects.get()
    assert response["Location"] == job.get_absolute_url() and job.status == JobStatus.DONE
    ours = [p for p in township_producers if p.village_id == village.pk]
    assert job.total == len(ours) and Signboard.objects.filter(created_by=user).count() == len(ours)
    text = pdf_text(client.get(f"/admin/jobs/{job.pk}/download/").getvalue())
    assert all(p.name in text for p in ours) and township_producers[1].name not in text
