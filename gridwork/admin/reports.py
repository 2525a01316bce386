"""Back office: monthly reports upward (信息报送). A township drafts, completes and submits its month's report;
the city sees every township's status in a month, who has not reported, and returns or accepts reports."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.pdf import pdf_response
from portal.spreadsheets import XLSX_TYPE

from ..models import MonthlyReport, ReportStatus
from ..services.month_figures import figure_rows
from ..services.report_files import month_xlsx, report_pdf, report_xlsx
from ..services.reports import (
    TEXT_MAX,
    report_accept,
    report_draft,
    report_due_on,
    report_figures,
    report_return,
    report_save,
    report_submit,
    reports_month,
    reports_visible_to,
    reports_year,
)
from ..services.scope import is_city, townships_for
from .base import GridworkPage, year_choices, year_from

PERMISSION = "gridwork.view_monthlyreport"


def _crumbs(report=None):
    url = reverse("gridwork:reports")
    if report is not None:
        url += f"?year={report.year}&month={report.month}"
    return [{"url": url, "label": _("月报")}]


class TextsForm(forms.Form):
    work_done = forms.CharField(label=gettext_lazy("工作开展情况"), max_length=TEXT_MAX, required=False,
                                widget=forms.Textarea(attrs={"rows": 6}),
                                help_text=gettext_lazy("本月网格巡查、检测、整改、投诉办理、培训等工作的开展情况。报送时必填。"))
    problems = forms.CharField(label=gettext_lazy("存在问题"), max_length=TEXT_MAX, required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))
    next_steps = forms.CharField(label=gettext_lazy("下步打算"), max_length=TEXT_MAX, required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}))


class ReviewForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("审核意见"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=gettext_lazy("退回时必填，写明需要补充或修改的内容。"))


def _month_from(request) -> tuple[int, int]:
    """?year=&month=, by default the latest month that has ended."""
    today = timezone.localdate()
    default = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    try:
        month = int(request.GET.get("month") or default[1])
    except (TypeError, ValueError):
        month = default[1]
    if not 1 <= month <= 12:
        month = default[1]
    return year_from(request, default=default[0]), month


class ReportsIndexView(GridworkPage):
    """月报: for the city, every township's report of a month and who has not reported; for a township, its
    months with their status."""

    template_name = "gridwork/reports/index.html"
    title = gettext_lazy("月报")
    icon = "doc-full"
    permission = PERMISSION

    def get(self, request):
        townships = townships_for(request.user)
        if not townships.exists():
            raise PermissionDenied
        if is_city(request.user):
            year, month = _month_from(request)
            rows = reports_month(year=year, month=month, townships=townships)
            return self.page(request, {
                "city": True, "year": year, "month": month, "years": year_choices(year), "months": range(1, 13),
                "rows": rows, "late": [r for r in rows if r.late], "due": report_due_on(year, month),
                "reported": sum(1 for r in rows if r.reported),
                "accepted": sum(1 for r in rows if r.report and r.report.status == ReportStatus.ACCEPTED),
                "keep": {"month": month}})
        year = year_from(request)
        returned = reports_visible_to(request.user).filter(status=ReportStatus.RETURNED).order_by("year", "month")
        return self.page(request, {
            "city": False, "year": year, "years": year_choices(year), "returned": returned,
            "townships": [{"township": t, "rows": reports_year(township=t, year=year)} for t in townships],
            "can_draft": request.user.has_perm("gridwork.submit_monthlyreport")})


class ReportDraftView(GridworkPage):
    """起草 (POST): create a township's report of a month, or refresh its figures, then open it."""

    permission = "gridwork.submit_monthlyreport"

    def post(self, request):
        township = get_object_or_404(townships_for(request.user), pk=request.POST.get("township"))
        try:
            report = report_draft(user=request.user, township=township, year=int(request.POST.get("year", 0)),
                                  month=int(request.POST.get("month", 0)))
        except (ValueError, ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc) or _("无法起草月报。")]))
            return redirect(reverse("gridwork:reports") + f"?year={request.POST.get('year', '')}")
        return redirect("gridwork:report", pk=report.pk)


def _errors(exc) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc)]


class ReportView(GridworkPage):
    """One report: its figures, the township's words, the buttons each user may press, and its history."""

    template_name = "gridwork/reports/report.html"
    icon = "doc-full"
    permission = PERMISSION

    def get_report(self, request, pk) -> MonthlyReport:
        return get_object_or_404(reports_visible_to(request.user), pk=pk)

    def context(self, request, report, texts_form=None, review_form=None, errors=()):
        user = request.user
        city = is_city(user)
        can_edit = report.is_editable and not city and user.has_perm("gridwork.submit_monthlyreport")
        can_review = (report.status == ReportStatus.SUBMITTED and city
                      and user.has_perm("gridwork.review_monthlyreport"))
        figures = report_figures(report)
        return {
            "report": report, "sections": figure_rows(figures),
            "live": report.is_editable, "events": list(report.events.all()), "errors": errors,
            "can_edit": can_edit, "can_review": can_review,
            "texts_form": texts_form or (TextsForm(initial={n: getattr(report, n) for n in TextsForm.base_fields})
                                         if can_edit else None),
            "review_form": review_form or (ReviewForm() if can_review else None),
            "due": report_due_on(report.year, report.month),
            "page_title": _("%(township)s %(period)s月报") % {"township": report.township.name,
                                                            "period": report.period_label}}

    def get(self, request, pk):
        report = self.get_report(request, pk)
        return self.page(request, self.context(request, report), crumbs=_crumbs(report))

    def post(self, request, pk):
        report = self.get_report(request, pk)
        action = request.POST.get("action")
        texts_form = review_form = None
        try:
            if action in ("save", "submit"):
                texts_form = TextsForm(request.POST)
                if not texts_form.is_valid():
                    raise ValidationError(_("请按提示修改后再保存。"))
                if action == "save":
                    report_save(user=request.user, report=report, texts=texts_form.cleaned_data)
                    messages.success(request, _("月报已保存，尚未报送。"))
                else:
                    report_submit(user=request.user, report=report, texts=texts_form.cleaned_data)
                    messages.success(request, _("月报已报送市级网格，数据已固定。"))
            elif action == "refresh":
                report_draft(user=request.user, township=report.township, year=report.year, month=report.month)
                messages.success(request, _("已按最新记录重新生成本月数据。"))
            elif action in ("return", "accept"):
                review_form = ReviewForm(request.POST)
                review_form.is_valid()
                comment = review_form.cleaned_data.get("comment", "")
                if action == "return":
                    report_return(user=request.user, report=report, comment=comment)
                    messages.success(request, _("月报已退回%(township)s。") % {"township": report.township.name})
                else:
                    report_accept(user=request.user, report=report, comment=comment)
                    messages.success(request, _("已采纳%(township)s的月报。") % {"township": report.township.name})
            else:
                raise ValidationError(_("未知的操作。"))
        except (ValidationError, PermissionDenied) as exc:
            report.refresh_from_db()
            return self.page(request, self.context(request, report, texts_form=texts_form, review_form=review_form,
                                                   errors=_errors(exc)), status=400, crumbs=_crumbs(report))
        return redirect("gridwork:report", pk=report.pk)


def _filename(report, ext) -> str:
    return f"monthly-report-{report.township.code}-{report.year}-{report.month:02d}.{ext}"


class ReportPdfView(ReportView):
    def get(self, request, pk):
        report = self.get_report(request, pk)
        return pdf_response(report_pdf(report), _filename(report, "pdf"))


class ReportXlsxView(ReportView):
    def get(self, request, pk):
        report = self.get_report(request, pk)
        response = HttpResponse(report_xlsx(report), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{_filename(report, "xlsx")}"'
        return response


class MonthXlsxView(GridworkPage):
    """The month of every township, one row each (the city's)."""

    permission = PERMISSION

    def get(self, request):
        if not is_city(request.user):
            raise PermissionDenied
        year, month = _month_from(request)
        rows = reports_month(year=year, month=month, townships=townships_for(request.user))
        response = HttpResponse(month_xlsx(year=year, month=month, rows=rows), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="monthly-reports-{year}-{month:02d}.xlsx"'
        return response


