"""Background jobs: long work (a township's signboards, a large import) run by the task worker instead of
in the request, with progress, a result file for the user who started it, and a clear failure message.

A higher app writes the work as a function and turns it into a task with `background_job`:

    @background_job
    def signboards_job(job, progress):
        ...                                   # progress(done, total) as it goes
        return JobOutput(filename="x.pdf", content=pdf)  # or raise JobFailed(gettext_noop("…"), name=…)

and starts it from a view with `job_start(task=signboards_job, kind=…, title=…, user=…, params={…})`,
then sends the user to `job.get_absolute_url()` (/admin/jobs/<id>/), where a progress bar follows it.
The tasks go to Django's task framework (django-tasks): in development and production the database
backend and its worker (`manage.py db_worker`), in tests the immediate backend.
"""

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from .models import BackgroundJob, JobStatus

logger = logging.getLogger(__name__)

# Progress is written at most this often (and always at the end), so a fast job does not write per item.
PROGRESS_EVERY_SECONDS = 0.5
FAILED_UNEXPECTEDLY = gettext_noop("处理时出现意外错误，未能完成。请稍后重试；如仍失败，请联系系统管理员（任务编号 %(id)s）。")


class JobFailed(Exception):
    """A failure the user can act on. `message` is a Chinese msgid marked with gettext_noop; `params` fill
    its %(name)s placeholders. It is shown, translated, on the job's page."""

    def __init__(self, message: str, **params):
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


@dataclass
class JobOutput:
    """What a finished job hands back: a file to download (optional: its bytes, or a temporary file at
    `path`, moved into the result and removed, for large results) and a message (a msgid)."""

    filename: str = ""
    content: bytes = b""
    path: Path | None = None
    message: str = ""
    params: dict | None = None


class Progress:
    """progress(done, total): records how far a job got, at most every PROGRESS_EVERY_SECONDS."""

    def __init__(self, job: BackgroundJob):
        self.job = job
        self.written = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.written < PROGRESS_EVERY_SECONDS:
            return
        self.written = now
        self.job.done, self.job.total = done, total
        BackgroundJob.objects.filter(pk=self.job.pk).update(done=done, total=total, updated_at=timezone.now())


def _fail(job: BackgroundJob, message: str, params: dict) -> None:
    BackgroundJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message=message,
                                                   message_params=params, finished_at=timezone.now())


def _finish(job: BackgroundJob, output: JobOutput | None) -> None:
    output = output or JobOutput()
    job.refresh_from_db(fields=["done", "total"])
    if output.path is not None:
        try:
            with output.path.open("rb") as handle:
                job.result.save(output.filename or f"job-{job.pk}", File(handle), save=False)
        finally:
            output.path.unlink(missing_ok=True)
        job.result_name = output.filename
    elif output.content:
        job.result.save(output.filename or f"job-{job.pk}", ContentFile(output.content), save=False)
        job.result_name = output.filename
    job.status = JobStatus.DONE
    job.done = max(job.done, job.total)
    job.message, job.message_params = output.message, output.params or {}
    job.finished_at = timezone.now()
    job.save(update_fields=["result", "result_name", "status", "done", "message", "message_params",
                            "finished_at"])


def background_job(func: Callable[..., JobOutput | None]):
    """Turn `func(job, progress)` into a django-tasks task that takes the job's id and records its course:
    running, progress, then done with its file, or failed with a message (JobFailed's, or a general one
    for anything unexpected, which is logged with its traceback)."""

    @functools.wraps(func)
    def run(job_id: int) -> str:
        job = BackgroundJob.objects.select_related("started_by").filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return "skipped"  # deleted, or already run (a task queued twice)
        job.status, job.started_at = JobStatus.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
        try:
            output = func(job=job, progress=Progress(job))
        except JobFailed as exc:
            _fail(job, exc.message, exc.params)
            return JobStatus.FAILED
        except Exception:
            logger.exception("background job %s (%s) failed", job.pk, job.kind)
            _fail(job, FAILED_UNEXPECTEDLY, {"id": job.pk})
            return JobStatus.FAILED
        _finish(job, output)
        return JobStatus.DONE

    return task()(run)


def job_start(*, task, kind: str, title: str, user, params: dict | None = None) -> BackgroundJob:
    """Record a job and queue its task; returns the job (already finished when tasks run immediately)."""
    job = BackgroundJob.objects.create(kind=kind, title=title[:200], started_by=user, params=params or {})
    # The database backend stores the task in the same database (and transaction) as the job's row, so
    # the worker never sees a task without its job.
    try:
        result = task.enqueue(job.pk)
    except Exception:
        logger.exception("could not queue background job %s (%s)", job.pk, job.kind)
        _fail(job, FAILED_UNEXPECTEDLY, {"id": job.pk})
        return job
    BackgroundJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


@transaction.atomic
def jobs_prune(*, days: int) -> int:
    """Delete finished jobs started more than `days` days ago, with their files; returns how many."""
    stale = list(BackgroundJob.objects.stale(days=days))
    for job in stale:
        if job.result:
            job.result.delete(save=False)
    BackgroundJob.objects.filter(pk__in=[job.pk for job in stale]).delete()
    return len(stale)


def tasks_prune(*, days: int) -> None:
    """Delete the task queue's finished entries older than `days` days (when the queue is the database)."""
    from django.core.management import call_command
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(task_backends["default"], DatabaseBackend):
        call_command("prune_db_task_results", "--queue-name", "*", "--min-age-days", str(days), verbosity=0)
