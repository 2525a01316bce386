"""Back office: the roster import (导入人员名单) screen and its menu entry, and the public roster link."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.viewsets.base import ViewSet

from portal.admin_menu import PermissionMenuItem
from portal.jobs import job_start
from portal.spreadsheets import upload_discard, upload_stash, upload_unstash

from ... import jobs
from ...services.roster import (
    XLSX_TYPE,
    RosterFileError,
    roster_csv,
    roster_import,
    roster_parse,
    roster_rows,
    roster_template_hint,
    roster_xlsx,
)
from ...services.signboards import hotline_number
from .common import PERM_IMPORT, AdminPage, _assignments_url

IMPORT_DIR = jobs.ROSTER_UPLOADS
IMPORT_SALT = jobs.ROSTER_SALT


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("人员名单文件（.xlsx 或 .csv）"))
    start_date = forms.DateField(label=gettext_lazy("变更生效日期"), initial=timezone.localdate,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text=gettext_lazy("文件中更换的人员自这一天起任职，原任人员这一天离任。"))


class RosterImportView(AdminPage):
    """Upload → a preview of every row with its changes and errors → confirm → all rows saved, or none."""

    template_name = "disclosure/grids/admin_import.html"
    title = gettext_lazy("导入人员名单")
    icon = "upload"

    def dispatch(self, request):
        if not request.user.has_perm(PERM_IMPORT):
            raise PermissionDenied
        return super().dispatch(request)

    def get(self, request):
        fmt = request.GET.get("export")
        if fmt in ("csv", "xlsx"):
            # Staff export: every phone as on file (the public roster shows the hotline for unpublished ones).
            rows = roster_rows(public=False)
            stamp = timezone.localdate().strftime("%Y%m%d")
            if fmt == "csv":
                response = HttpResponse(roster_csv(rows), content_type="text/csv; charset=utf-8")
            else:
                response = HttpResponse(roster_xlsx(rows), content_type=XLSX_TYPE)
            response["Content-Disposition"] = f'attachment; filename="personnel-staff-{stamp}.{fmt}"'
            return response
        return self.page(request, {"form": RosterUploadForm(), "hint": roster_template_hint()})

    def post(self, request):
        if "token" in request.POST:
            return self.confirm(request)
        form = RosterUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, {"form": form, "hint": roster_template_hint()}, status=400)
        upload, start_date = form.cleaned_data["file"], form.cleaned_data["start_date"]
        content = upload.read()
        try:
            preview = roster_parse(content=content, filename=upload.name, start_date=start_date,
                                   hotline=hotline_number())
        except RosterFileError as exc:
            form.add_error("file", str(exc))
            return self.page(request, {"form": form, "hint": roster_template_hint()}, status=400)
        token = None
        if preview.ok:
            token = upload_stash(content=content, filename=upload.name, folder=IMPORT_DIR, salt=IMPORT_SALT,
                                 user=request.user, extra={"d": start_date.isoformat()})
        return self.page(request, {"form": RosterUploadForm(initial={"start_date": start_date}),
                                   "hint": roster_template_hint(), "preview": preview, "token": token,
                                   "filename": upload.name}, status=200 if preview.ok else 400)

    def confirm(self, request):
        import datetime

        stashed = upload_unstash(token=request.POST["token"], folder=IMPORT_DIR, salt=IMPORT_SALT, user=request.user)
        if stashed is None:
            messages.error(request, _("导入确认已过期或无效，请重新上传文件。"))
            return redirect("grid_roster:import")
        content, data = stashed
        # Check again: people and roles may have changed since the preview.
        preview = roster_parse(content=content, filename=data["f"], start_date=datetime.date.fromisoformat(data["d"]),
                               hotline=hotline_number())
        if preview.ok and len(preview.rows) > jobs.ROSTER_BACKGROUND_ROWS:
            # Hundreds of rows take a while to check and save: the worker does it, the user follows it.
            job = job_start(task=jobs.roster_import_job, kind=jobs.ROSTER_KIND, user=request.user,
                            title=_("导入人员名单（%(name)s，%(n)d 行）") % {"name": data.get("n", ""),
                                                                      "n": len(preview.rows)},
                            params={"token": request.POST["token"]})
            return redirect(job.get_absolute_url())
        try:
            counts = roster_import(preview=preview, by=request.user)
        except ValidationError:
            return self.page(request, {"form": RosterUploadForm(), "hint": roster_template_hint(),
                                       "preview": preview, "token": None, "filename": data.get("n", "")},
                             status=400)
        upload_discard(data=data, folder=IMPORT_DIR)
        messages.success(request, _("人员名单已导入：更换 %(replaced)d 人，新增 %(added)d 人，离任 %(ended)d 人，"
                                    "更新信息 %(updated)d 人，备注 %(notes)d 条。") % counts)
        return redirect(_assignments_url(status="all"))


class RosterToolsViewSet(ViewSet):
    name = "grid_roster"
    url_prefix = "grid-roster"
    icon = "upload"
    menu_label = gettext_lazy("导入人员名单")

    def get_urlpatterns(self):
        return [path("import/", RosterImportView.as_view(), name="import")]

    def get_menu_item(self, order=None):
        return PermissionMenuItem(PERM_IMPORT, self.menu_label, reverse("grid_roster:import"), icon_name="upload",
                                  order=order or 400, name="grid-roster-import")


class PublicRosterLink(ViewSet):
    """A menu entry that opens the public roster (/personnel/) in the site."""

    name = "grid-public-roster"
    menu_label = gettext_lazy("人员名单（公开页）")
    icon = "link-external"

    def get_urlpatterns(self):
        return []

    def get_menu_item(self, order=None):
        return PermissionMenuItem("disclosure.view_grid", self.menu_label, "/personnel/", icon_name=self.icon,
                                  order=order or 500, name=self.name)
