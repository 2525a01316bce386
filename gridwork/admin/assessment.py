"""Back office: the townships' annual assessment (考核). The ranking of a year with its scheme, the city's forms
(scheme, compute, 定稿), each township's score card with links to the records behind every figure, and the
printable report. All staff with the view permission see the ranking; a township opens only its own card."""

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.pdf import pdf_response, render_pdf

from ..models import TownshipScore
from ..services.assessment import (
    AssessmentError,
    ranking,
    scheme_finalise,
    scheme_get,
    scheme_open,
    scheme_rows,
    scheme_set,
    score_card,
    scores_compute,
)
from ..services.assessment_figures import CATALOGUE
from ..services.scope import GridworkPermissionDenied, county_choice, is_city, townships_for
from .base import GridworkPage, year_choices, year_from

VIEW = "gridwork.view_assessmentscheme"
MANAGE = "gridwork.manage_assessment"


def _index_url(year: int, county=None) -> str:
    return reverse("gridwork:assessment") + f"?year={year}" + (f"&county={county.pk}" if county else "")


def _crumbs(year: int, county=None):
    return [{"url": _index_url(year, county), "label": _("乡镇考核")}]


def _can_manage(user, county) -> bool:
    return county is not None and is_city(user) and user.has_perm(MANAGE)


def _counties(request):
    """(the counties the user sees, the one whose assessment the page shows: ?county=, else the site's, else
    the user's first)."""
    counties, county = county_choice(request.user, request.GET.get("county") or request.POST.get("county"))
    if county is None:
        raise PermissionDenied
    return counties, county


def _county(request):
    return _counties(request)[1]


class AssessmentIndexView(GridworkPage):
    """乡镇考核: the year's scheme, the ranking, and (for the city) the actions."""

    template_name = "gridwork/assessment/index.html"
    title = gettext_lazy("乡镇考核")
    icon = "pick"
    permission = VIEW

    def get(self, request):
        year = year_from(request)
        own = set(townships_for(request.user).values_list("pk", flat=True))
        if not own:
            raise PermissionDenied
        counties, county = _counties(request)
        manage = _can_manage(request.user, county)
        scheme = (scheme_open(year=year, user=request.user, county=county) if manage
                  else scheme_get(year=year, county=county))
        scores = ranking(scheme) if scheme else []
        stale = bool(scores) and scores[0].scheme_snapshot != scheme_rows(scheme)
        codes = [f["code"] for f in scores[0].figures] if scores else []
        rows = [{"score": s, "own": s.township_id in own,
                 "points": [f["points"] for f in s.figures]} for s in scores]
        return self.page(request, {
            "year": year, "years": year_choices(year), "scheme": scheme, "rows": rows, "stale": stale,
            "county": county, "counties": counties if len(counties) > 1 else [],
            "columns": [CATALOGUE[c].label if c in CATALOGUE else c for c in codes],
            "indicators": [{"label": CATALOGUE[i.code].label, "weight": i.weight, "target": i.target,
                            "numerator": CATALOGUE[i.code].numerator, "denominator": CATALOGUE[i.code].denominator}
                           for i in scheme.indicators.all()] if scheme else [],
            "computed_at": scores[0].computed_at if scores else None,
            "computed_on": scores[0].computed_on if scores else None,
            "can_manage": manage, "can_finalise": manage and scheme is not None and year < timezone.localdate().year,
        })


class SchemeEditView(GridworkPage):
    """制定考核方案: every indicator of the catalogue with its weight and target; blank weight leaves it out."""

    template_name = "gridwork/assessment/scheme.html"
    title = gettext_lazy("制定考核方案")
    icon = "edit"
    permission = MANAGE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_city(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, scheme, values, errors=None, message="", status=200):
        rows = [{"code": code, "label": ind.label, "numerator": ind.numerator, "denominator": ind.denominator,
                 "weight": values.get(code, ("", ""))[0], "target": values.get(code, ("", ""))[1],
                 "error": (errors or {}).get(code, "")} for code, ind in CATALOGUE.items()]
        return self.page(self.request, {"year": scheme.year, "scheme": scheme, "rows": rows, "message": message,
                                        "page_title": _("制定%(name)s%(year)d年考核方案") % {
                                            "name": scheme.county.name, "year": scheme.year}},
                         status=status, crumbs=_crumbs(scheme.year, scheme.county))

    def get(self, request):
        scheme = scheme_open(year=year_from(request), user=request.user, county=_county(request))
        if scheme.is_final:
            messages.error(request, _("%(year)d年的考核已定稿，考核方案不能再修改。") % {"year": scheme.year})
            return redirect(_index_url(scheme.year, scheme.county))
        return self.render(scheme, {i.code: (i.weight, i.target) for i in scheme.indicators.all()})

    def post(self, request):
        scheme = scheme_open(year=year_from(request), user=request.user, county=_county(request))
        values = {code: (request.POST.get(f"weight-{code}", ""), request.POST.get(f"target-{code}", ""))
                  for code in CATALOGUE}
        try:
            scheme_set(scheme=scheme, user=request.user, rows=[(c, w, t) for c, (w, t) in values.items()])
        except AssessmentError as exc:
            return self.render(scheme, values, exc.errors, exc.messages[0], status=400)
        messages.success(request, _("%(year)d年考核方案已保存；请重新计算得分。") % {"year": scheme.year})
        return redirect(_index_url(scheme.year, scheme.county))


def _act(request, action, done: str):
    if not request.user.is_authenticated or not request.user.has_perm(MANAGE):
        raise PermissionDenied
    year, county = year_from(request), _county(request)
    scheme = scheme_get(year=year, county=county)
    if scheme is None:
        messages.error(request, _("%(year)d年还没有考核方案，请先制定考核方案。") % {"year": year})
        return redirect(_index_url(year, county))
    try:
        action(scheme=scheme, user=request.user)
    except GridworkPermissionDenied:
        raise
    except AssessmentError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, done % {"year": year})
    return redirect(_index_url(year, county))


@require_POST
def compute_view(request):
    return _act(request, scores_compute, _("%(year)d年各乡镇考核得分已计算。"))


@require_POST
def finalise_view(request):
    return _act(request, scheme_finalise, _("%(year)d年考核已定稿，方案和得分不再变化。"))


def _score_for(request, year: int, township_id: int) -> TownshipScore:
    score = get_object_or_404(TownshipScore.objects.select_related("township", "scheme__county"),
                              scheme__year=year, township_id=township_id)
    if not townships_for(request.user).filter(pk=township_id).exists():
        raise PermissionDenied
    return score


class CardView(GridworkPage):
    """A township's score card: each indicator's numerator, denominator and points, linked to its records."""

    template_name = "gridwork/assessment/card.html"
    icon = "pick"
    permission = VIEW

    def get(self, request, year: int, township: int):
        score = _score_for(request, year, township)
        return self.page(request, {
            "year": year, "score": score, "lines": score_card(score),
            "page_title": _("%(name)s%(year)d年考核得分") % {"name": score.township.name, "year": year},
        }, crumbs=_crumbs(year, score.scheme.county))


def _stylesheet() -> str:
    """Inlined, as the other print documents do: hashed static names do not resolve to files in production."""
    path = finders.find("css/print-assessment.css")
    return open(path, encoding="utf-8").read() if path else ""


def report_context(scheme, scores) -> dict:
    return {"stylesheet": _stylesheet(), "scheme": scheme, "year": scheme.year, "scores": scores,
            "place": scheme.county.name,
            "cards": [{"score": s, "lines": score_card(s)} for s in scores],
            "snapshot": [dict(i, label=CATALOGUE[i["code"]].label) if i["code"] in CATALOGUE else i
                         for i in (scores[0].scheme_snapshot if scores else [])],
            "printed_on": timezone.localdate()}


def report_pdf(request):
    """考核报告 (PDF): the ranking and every township's card. A township gets the ranking and its own card."""
    if not request.user.is_authenticated or not request.user.has_perm(VIEW):
        raise PermissionDenied
    year = year_from(request)
    scheme = scheme_get(year=year, county=_county(request))
    if scheme is None:
        raise Http404(_("%(year)d年还没有考核方案。") % {"year": year})
    own = set(townships_for(request.user).values_list("pk", flat=True))
    if not own:
        raise PermissionDenied
    scores = ranking(scheme)
    context = report_context(scheme, scores)
    context["cards"] = [c for c in context["cards"] if c["score"].township_id in own]
    return pdf_response(render_pdf("print/assessment_report.html", context), f"assessment-{year}.pdf")
