"""Back office: background jobs (后台任务). A job's page follows its progress and offers its file when done;
the list shows the user's recent jobs. Only the user who started a job (or a superuser) sees it at all:
anyone else gets 404, as for a job that does not exist."""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from ..models import BackgroundJob, JobStatus

LIST_LENGTH = 50


def _job(request, pk) -> BackgroundJob:
    return get_object_or_404(BackgroundJob.objects.of_user(request.user), pk=pk)


def job_state(job: BackgroundJob) -> dict:
    """What the page's script needs to redraw the progress bar (also its JSON answer)."""
    return {"status": job.status, "status_label": job.get_status_display(), "done": job.done, "total": job.total,
            "percent": job.percent, "finished": job.finished, "message": job.message_text,
            "download_url": reverse("jobs:download", args=[job.pk]) if job.result else ""}


class JobsPage(View):
    template_name = ""

    def page(self, request, title: str, context: dict):
        crumbs = [{"url": reverse("wagtailadmin_home"), "label": _("首页")},
                  {"url": reverse("jobs:index"), "label": _("后台任务")}]
        if title != _("后台任务"):
            crumbs.append({"url": "", "label": title})
        return TemplateResponse(request, self.template_name, {
            "page_title": title, "header_title": title, "header_icon": "cogs", "breadcrumbs_items": crumbs,
            **context})


class JobListView(JobsPage):
    """The user's recent jobs, newest first."""

    template_name = "portal/jobs/index.html"

    def get(self, request):
        jobs = BackgroundJob.objects.of_user(request.user).select_related("started_by")[:LIST_LENGTH]
        return self.page(request, _("后台任务"), {"jobs": jobs})


class JobDetailView(JobsPage):
    """One job: a progress bar while it runs (refreshed by static/js/job-progress.js, or by a meta refresh
    without JavaScript), then its download link or its failure message."""

    template_name = "portal/jobs/detail.html"

    def get(self, request, pk):
        job = _job(request, pk)
        return self.page(request, job.title, {"job": job, "state": job_state(job),
                                              "status_url": reverse("jobs:status", args=[job.pk]),
                                              "waiting": job.status == JobStatus.QUEUED})


def job_status(request, pk):
    """The job's progress as JSON, for the page's script; never cached."""
    response = JsonResponse(job_state(_job(request, pk)))
    response["Cache-Control"] = "no-store"
    return response


def job_download(request, pk):
    """The job's result file, as an attachment, to the user who started the job."""
    job = _job(request, pk)
    if job.status != JobStatus.DONE or not job.result:
        raise Http404
    try:
        handle = job.result.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=_content_type(job.result_name))
    response["Content-Disposition"] = content_disposition_header(True, job.result_name or job.result.name)
    response["Cache-Control"] = "private, no-store"
    return response


def _content_type(name: str) -> str:
    import mimetypes

    return mimetypes.guess_type(name)[0] or "application/octet-stream"


class JobsMenuItem(MenuItem):
    """后台任务 in the menu, for users who have started a job."""

    def is_shown(self, request):
        return BackgroundJob.objects.filter(started_by=request.user).exists()


class JobViewSet(ViewSet):
    name = "jobs"
    url_prefix = "jobs"
    icon = "cogs"

    def get_urlpatterns(self):
        return [
            path("", JobListView.as_view(), name="index"),
            path("<int:pk>/", JobDetailView.as_view(), name="detail"),
            path("<int:pk>/status/", job_status, name="status"),
            path("<int:pk>/download/", job_download, name="download"),
        ]


jobs_viewset = JobViewSet()


def jobs_menu_item():
    return JobsMenuItem(gettext_lazy("后台任务"), reverse("jobs:index"), name="jobs", icon_name="cogs", order=960)
