"""Back office: the producer screens that are not plain model views — setting a credit grade, setting a
risk level (each with its history beside the other), a producer's signs, printing a township's signs,
importing the registry from a spreadsheet — as one viewset under /admin/producers/.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.viewsets.base import ViewSet

from portal.admin_menu import PermissionMenuItem
from portal.admin_views import AdminPage as BaseAdminPage
from portal.forms import form_errors_add
from portal.jobs import job_start
from portal.pdf import pdf_response
from portal.spreadsheets import upload_discard, upload_stash, upload_unstash

from ..jobs import (
    REGISTRY_BACKGROUND_ROWS,
    REGISTRY_KIND,
    REGISTRY_SALT,
    REGISTRY_UPLOADS,
    SIGNBOARDS_KIND,
    grid_signboards_job,
    registry_import_job,
)
from ..models import Grade, Grid, GridLevel, Producer, RiskLevel, Signboard
from ..services.grids import grid_choices_by_township, grids_for_user
from ..services.producers import (
    rating_set,
    risk_set,
    statement_publish,
    statement_shown,
    statement_withdraw,
)
from ..services.registry_import import (
    RegistryFileError,
    registry_import,
    registry_parse,
    registry_template_csv,
)
from ..services.signboard_render import signboards_pdf
from ..services.signboards import PAPERS, signboard_issue

PERM_GRADE = "disclosure.set_grade"
PERM_IMPORT = "disclosure.import_registry"
PERM_PRINT = "disclosure.print_signboards"
PERM_RISK = "disclosure.set_risk"


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _visible(user):
    return Producer.objects.visible_to(user)


def _scoped_producer(request, pk) -> Producer:
    """A producer the user may see, or 404 (the same answer as for one that does not exist)."""
    return get_object_or_404(_visible(request.user).select_related("village", "village__parent"), pk=pk)


# --- forms -----------------------------------------------------------------------------------------

class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=gettext_lazy("信用等级"), choices=Grade.choices)
    effective_date = forms.DateField(label=gettext_lazy("生效日期"), initial=timezone.localdate,
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    basis = forms.CharField(label=gettext_lazy("评级依据"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=gettext_lazy("例如：巡查、抽检结果及处理情况。会记入评级历史，并在公示页面上显示，请用群众看得懂的话写。"))
    next_review_date = forms.DateField(label=gettext_lazy("下次复核日期"), required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class StatementForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("生产主体的说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=gettext_lazy("生产主体对评级或检查结果的简短说明（300字以内），由乡镇工作人员代为录入，"
                                                  "与等级一起公开显示并注明日期。"))
    stated_on = forms.DateField(label=gettext_lazy("说明日期"), initial=timezone.localdate,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                error_messages={"required": gettext_lazy("请填写说明日期。"),
                                                "invalid": gettext_lazy("请按“年-月-日”填写日期。")})


class RiskForm(forms.Form):
    level = forms.ChoiceField(label=gettext_lazy("风险等级"), widget=forms.RadioSelect,
                              choices=[(RiskLevel.HIGH.value, RiskLevel.HIGH.label),
                                       (RiskLevel.MEDIUM.value, RiskLevel.MEDIUM.label),
                                       (RiskLevel.LOW.value, RiskLevel.LOW.label)],
                              error_messages={"required": gettext_lazy("请选择风险等级：高、中或低。"),
                                              "invalid_choice": gettext_lazy("请选择风险等级：高、中或低。")})
    effective_date = forms.DateField(label=gettext_lazy("评定日期"), initial=timezone.localdate,
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                     error_messages={"required": gettext_lazy("请填写评定日期。"),
                                                     "invalid": gettext_lazy("请按“年-月-日”填写日期。")})
    reason = forms.CharField(label=gettext_lazy("评定理由"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("例如：曾检出禁用药物；紧邻水源地。会记入风险评定历史。"))


class SignForm(forms.Form):
    paper = forms.ChoiceField(label=gettext_lazy("纸张"), choices=[(p, p) for p in PAPERS], initial="A3")


class GridPrintForm(forms.Form):
    """Which signs to print: a township's (supervisors, the city) or a village's (its coordinator too)."""

    grid = forms.ChoiceField(label=gettext_lazy("乡镇或村"), error_messages={
        "required": gettext_lazy("请选择要打印的乡镇或村。"),
        "invalid_choice": gettext_lazy("请选择要打印的乡镇或村。")})
    paper = forms.ChoiceField(label=gettext_lazy("纸张"), choices=[(p, p) for p in PAPERS], initial="A3")
    renumber = forms.BooleanField(
        label=gettext_lazy("全部登记为新公示牌"), required=False,
        help_text=gettext_lazy("不勾选时，信息未变的生产主体沿用原编号（重印同一块牌）；信息有变化的自动登记新编号。"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        grids = (grids_for_user(user).filter(level__in=[GridLevel.TOWNSHIP, GridLevel.VILLAGE]).select_related("parent")
                 .order_by("level", "sort_order", "code"))
        # Townships first so that each heads its group, then villages in their order.
        self.grids = {str(g.pk): g for g in sorted(grids, key=lambda g: g.level != GridLevel.TOWNSHIP)}
        self.fields["grid"].choices = [("", _("—— 请选择 ——"))] + grid_choices_by_township(
            self.grids, township_label=_("%(name)s（全镇）"))
        if len(self.grids) == 1:
            self.fields["grid"].initial = next(iter(self.grids))

    def clean_grid(self) -> Grid:
        return self.grids[self.cleaned_data["grid"]]


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("名录文件（.xlsx 或 .csv）"))


# --- setting a grade, issuing signs ---------------------------------------------------------------

class AdminPage(BaseAdminPage):
    icon = "doc-full"


class GradeView(AdminPage):
    """设置信用等级: one call to rating_set, with the producer's grade history below the form."""

    template_name = "disclosure/producers/admin_grade.html"
    title = gettext_lazy("设置信用等级")

    def dispatch(self, request, pk):
        _require(request.user, PERM_GRADE)
        self.producer = _scoped_producer(request, pk)
        return super().dispatch(request, pk)

    def context(self, form, statement_form=None):
        return {"producer": self.producer, "form": form,
                "statement_form": statement_form or StatementForm(prefix="statement"),
                "statement": statement_shown(self.producer),
                "statements": self.producer.statements.all()[:10],
                "history": self.producer.ratings.history().select_related("set_by"),
                "risks": self.producer.risk_assessments.all()[:5],
                "risk_url": reverse("producer_admin:risk", args=[self.producer.pk])
                if self.request.user.has_perm(PERM_RISK) else None,
                "edit_url": reverse("wagtailsnippets_disclosure_producer:edit", args=[self.producer.pk])}

    def get(self, request, pk):
        # The select shows the current grade (the one just saved), not the first choice.
        return self.page(request, self.context(GradeForm(initial={"grade": self.producer.grade})))

    def post(self, request, pk):
        if "statement-withdraw" in request.POST:
            statement_withdraw(producer=self.producer)
            messages.success(request, _("已撤下“%(name)s”的说明。") % {"name": self.producer.name})
            return redirect("producer_admin:grade", pk=self.producer.pk)
        if "statement-text" in request.POST:
            return self.post_statement(request)
        form = GradeForm(request.POST)
        if form.is_valid():
            try:
                rating_set(producer=self.producer, set_by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_add(form, exc)
            else:
                messages.success(request, _("已将“%(name)s”的信用等级设为 %(grade)s。") % {
                    "name": self.producer.name, "grade": self.producer.grade_display})
                return redirect("producer_admin:grade", pk=self.producer.pk)
        return self.page(request, self.context(form), status=400)

    def post_statement(self, request):
        form = StatementForm(request.POST, prefix="statement")
        if form.is_valid():
            try:
                statement_publish(producer=self.producer, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_add(form, exc)
            else:
                messages.success(request, _("“%(name)s”的说明已公开。") % {"name": self.producer.name})
                return redirect("producer_admin:grade", pk=self.producer.pk)
        grade_form = GradeForm(initial={"grade": self.producer.grade})
        return self.page(request, self.context(grade_form, statement_form=form), status=400)


class RiskView(AdminPage):
    """设置风险等级: one call to risk_set; the risk history beside the credit grade and its history."""

    template_name = "disclosure/producers/admin_risk.html"
    title = gettext_lazy("设置风险等级")

    def dispatch(self, request, pk):
        _require(request.user, PERM_RISK)
        self.producer = _scoped_producer(request, pk)
        return super().dispatch(request, pk)

    def context(self, form):
        return {"producer": self.producer, "form": form,
                "history": self.producer.risk_assessments.select_related("set_by"),
                "grades": self.producer.ratings.history()[:5],
                "grade_url": reverse("producer_admin:grade", args=[self.producer.pk])
                if self.request.user.has_perm(PERM_GRADE) else None,
                "edit_url": reverse("wagtailsnippets_disclosure_producer:edit", args=[self.producer.pk])}

    def get(self, request, pk):
        return self.page(request, self.context(RiskForm()))

    def post(self, request, pk):
        form = RiskForm(request.POST)
        if form.is_valid():
            try:
                risk_set(producer=self.producer, set_by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_add(form, exc)
            else:
                messages.success(request, _("已将“%(name)s”的风险等级设为%(level)s。") % {
                    "name": self.producer.name, "level": self.producer.get_risk_level_display()})
                return redirect("producer_admin:risk", pk=self.producer.pk)
        return self.page(request, self.context(form), status=400)


class SignsView(AdminPage):
    """A producer's registered signs; POST registers a new sign and returns its PDF."""

    template_name = "disclosure/producers/admin_signs.html"
    title = gettext_lazy("公示牌")

    def dispatch(self, request, pk):
        _require(request.user, PERM_PRINT)
        self.producer = _scoped_producer(request, pk)
        return super().dispatch(request, pk)

    def get(self, request, pk, form=None):
        return self.page(request, {
            "producer": self.producer, "form": form or SignForm(),
            "signs": Signboard.objects.of_producer(self.producer).select_related("created_by"),
            "edit_url": reverse("wagtailsnippets_disclosure_producer:edit", args=[self.producer.pk])})

    def post(self, request, pk):
        form = SignForm(request.POST)
        if not form.is_valid():
            return self.get(request, pk, form=form)
        if not self.producer.published:
            messages.error(request, _("该生产主体未公开，不能印制公示牌。请先在编辑页面勾选“公开”。"))
            return redirect("producer_admin:signs", pk=self.producer.pk)
        paper = form.cleaned_data["paper"]
        sign, _created = signboard_issue(producer=self.producer, paper=paper, by=request.user, force=True)
        pdf = signboards_pdf(signs=[sign], paper=paper)
        return pdf_response(pdf, f"signboard-{self.producer.code}-{sign.serial_display}-{paper}.pdf", inline=False)


class GridPrintView(AdminPage):
    """All signs of a township or a village in one PDF, drawn by the task worker."""

    template_name = "disclosure/producers/admin_print.html"
    title = gettext_lazy("批量打印公示牌")

    def dispatch(self, request):
        _require(request.user, PERM_PRINT)
        return super().dispatch(request)

    def get(self, request, form=None):
        return self.page(request, {"form": form or GridPrintForm(user=request.user)})

    def post(self, request):
        form = GridPrintForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.get(request, form=form)
        grid, paper = form.cleaned_data["grid"], form.cleaned_data["paper"]
        if not Producer.objects.published().in_grid(grid).exists():
            form.add_error("grid", _("%(name)s没有公开的生产主体。") % {"name": grid.name})
            return self.get(request, form=form)
        # Drawing dozens of signs takes tens of seconds: the task worker does it; the user follows it.
        job = job_start(task=grid_signboards_job, kind=SIGNBOARDS_KIND,
                        title=_("%(name)s公示牌（%(paper)s）") % {"name": grid.full_name, "paper": paper},
                        user=request.user, params={"grid": grid.pk, "paper": paper,
                                                   "renumber": form.cleaned_data["renumber"]})
        return redirect(job.get_absolute_url())


# --- importing the registry -------------------------------------------------------------------------

IMPORT_DIR = REGISTRY_UPLOADS
IMPORT_SALT = REGISTRY_SALT


class ImportView(AdminPage):
    """Upload → a preview of every row with its errors → confirm → everything is saved, or nothing."""

    template_name = "disclosure/producers/admin_import.html"
    title = gettext_lazy("导入生产主体名录")

    def dispatch(self, request):
        _require(request.user, PERM_IMPORT)
        return super().dispatch(request)

    def get(self, request):
        if request.GET.get("template"):
            response = HttpResponse(registry_template_csv(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="producer-registry-template.csv"'
            return response
        return self.page(request, {"form": ImportForm()})

    def post(self, request):
        if "token" in request.POST:
            return self.confirm(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            preview = registry_parse(content=content, filename=upload.name)
        except RegistryFileError as exc:
            form.add_error("file", str(exc))
            return self.page(request, {"form": form}, status=400)
        token = None
        if preview.ok:
            token = upload_stash(content=content, filename=upload.name, folder=IMPORT_DIR, salt=IMPORT_SALT,
                                 user=request.user)
        return self.page(request, {"form": ImportForm(), "preview": preview, "token": token,
                                   "filename": upload.name})

    def confirm(self, request):
        stashed = upload_unstash(token=request.POST["token"], folder=IMPORT_DIR, salt=IMPORT_SALT, user=request.user)
        if stashed is None:
            messages.error(request, _("导入确认已过期或无效，请重新上传文件。"))
            return redirect("producer_admin:import")
        content, data = stashed
        # Check again: the registry may have changed since the preview.
        preview = registry_parse(content=content, filename=data["f"])
        if preview.ok and len(preview.rows) > REGISTRY_BACKGROUND_ROWS:
            # Hundreds of rows take a while to save: the worker does it, the user follows it.
            job = job_start(task=registry_import_job, kind=REGISTRY_KIND, user=request.user,
                            title=_("导入生产主体名录（%(name)s，%(n)d 行）") % {"name": data.get("n", ""),
                                                                          "n": len(preview.rows)},
                            params={"token": request.POST["token"]})
            return redirect(job.get_absolute_url())
        try:
            counts = registry_import(preview=preview, by=request.user)
        except ValidationError:
            return self.page(request, {"form": ImportForm(), "preview": preview, "token": None,
                                       "filename": data.get("n", "")}, status=400)
        finally:
            if preview.ok:
                upload_discard(data=data, folder=IMPORT_DIR)
        messages.success(request, _("导入完成：新增 %(created)d 个，更新 %(updated)d 个生产主体。") % counts)
        return redirect("wagtailsnippets_disclosure_producer:list")


class ProducerToolsViewSet(ViewSet):
    """The producer screens that are not plain model views: grades, signs, printing, importing."""

    name = "producer_admin"
    url_prefix = "producers"
    icon = "upload"
    menu_label = gettext_lazy("导入名录")
    menu_order = 130

    def get_urlpatterns(self):
        return [
            path("import/", ImportView.as_view(), name="import"),
            path("print/", GridPrintView.as_view(), name="print"),
            path("<int:pk>/grade/", GradeView.as_view(), name="grade"),
            path("<int:pk>/risk/", RiskView.as_view(), name="risk"),
            path("<int:pk>/signs/", SignsView.as_view(), name="signs"),
        ]

    def get_menu_item(self, order=None):
        return PermissionMenuItem(PERM_IMPORT, self.menu_label, reverse("producer_admin:import"),
                                  icon_name="upload", order=order or 130, name="producer-import")


