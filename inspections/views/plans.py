"""年度计划 screens: the user's townships' plans, generating one, a plan by month with its visits (filter by
month, village, assignee, done/open), a visit's page to move, reassign or cancel it, adding a visit, and
the plan's change history. The services decide; a stale page gets their 'changed' message (409)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views import View

from ..forms import apply_errors
from ..forms.plans import (
    PlanGenerateForm,
    VisitAddForm,
    VisitAssignForm,
    VisitFilterForm,
    VisitMoveForm,
    VisitRemoveForm,
)
from ..models import InspectionPlan, InspectionRules, PlannedVisit
from ..services.plans import (
    PlanChanged,
    plan_generate,
    township_inspectors,
    visit_add,
    visit_assign,
    visit_move,
    visit_remove,
)
from ..services.scope import InspectionPermissionDenied, township_ids_for
from .common import MANAGE_PLAN, VIEW_PLANS, AccessMixin, admin_page, scoped_plan, user_townships

VISIT_FORMS = {"move": (VisitMoveForm, visit_move), "assign": (VisitAssignForm, visit_assign),
               "remove": (VisitRemoveForm, visit_remove)}
PER_PAGE = 50


def _plans_title():
    return _t("年度巡查计划")


class PlanIndexView(AccessMixin, View):
    """The plans of the user's townships, newest year first, with progress; the form to generate one."""

    permission = VIEW_PLANS

    def page(self, request, form=None, status=200):
        ids = township_ids_for(request.user)
        plans = InspectionPlan.objects.select_related("township").annotate(
            total=Count("visits"), done=Count("visits__inspection"))
        if ids is not None:
            plans = plans.filter(township_id__in=ids)
        townships = list(user_townships(request.user))
        can_manage = request.user.has_perm(MANAGE_PLAN)
        if can_manage and form is None and townships:
            form = PlanGenerateForm(townships=townships)
        rules_url = None
        if request.user.has_perm("inspections.change_inspectionrules"):
            rules_url = reverse("wagtailsettings:edit", args=["inspections", "inspectionrules"])
        return admin_page(request, "inspections/admin/plan_index.html", _plans_title(), {
            "plans": plans, "form": form if can_manage else None, "rules": InspectionRules.load(),
            "rules_url": rules_url, "no_scope": not townships}, icon="calendar-alt",
            breadcrumbs=[("", _plans_title())], status=status)

    def get(self, request):
        return self.page(request)


class PlanGenerateView(AccessMixin, View):
    permission = MANAGE_PLAN
    http_method_names = ["post"]

    def post(self, request):
        form = PlanGenerateForm(request.POST, townships=list(user_townships(request.user)))
        if form.is_valid():
            try:
                plan = plan_generate(user=request.user, **form.service_kwargs())
            except InspectionPermissionDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _t("%(plan)s年度计划已生成或更新。") % {"plan": plan})
                return redirect("inspections:plan", pk=plan.pk)
        return PlanIndexView().page(request, form=form, status=400)


class PlanDetailView(AccessMixin, View):
    """A plan: visits per month (planned, done), the filtered list of visits, adding one, the history."""

    permission = VIEW_PLANS

    def page(self, request, plan, add_form=None, status=200):
        visits = plan.visits.all()
        by_month = {row["month"]: row for row in visits.values("month").annotate(total=Count("id"),
                                                                                  done=Count("inspection"))}
        today = timezone.localdate()
        months = [{"month": m, "total": by_month.get(m, {}).get("total", 0), "done": by_month.get(m, {}).get("done", 0),
                   "current": plan.year == today.year and m == today.month,
                   "behind": (plan.year, m) < (today.year, today.month)
                   and by_month.get(m, {}).get("done", 0) < by_month.get(m, {}).get("total", 0)}
                  for m in range(1, 13)]
        inspectors = township_inspectors(plan.township)
        assigned = {v.assignee_id for v in visits.only("assignee_id") if v.assignee_id}
        from django.contrib.auth import get_user_model

        people = {u.pk: u for u in inspectors}
        people.update({u.pk: u for u in get_user_model().objects.filter(pk__in=assigned - set(people))})
        filters = VisitFilterForm(request.GET or None, plan=plan, assignees=list(people.values()))
        listed = filters.filter(visits.select_related("producer", "producer__village", "assignee", "inspection"))
        paginator = Paginator(listed.order_by("month", "producer__village__sort_order", "producer__name", "id"),
                              PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("p"))
        params = request.GET.copy()
        params.pop("p", None)
        can_manage = request.user.has_perm(MANAGE_PLAN)
        title = _t("%(township)s %(year)d年巡查计划") % {"township": plan.township.name, "year": plan.year}
        return admin_page(request, "inspections/admin/plan_detail.html", title, {
            "plan": plan, "months": months, "total": sum(m["total"] for m in months),
            "done": sum(m["done"] for m in months), "filters": filters, "page_obj": page_obj,
            "query": params.urlencode(), "changes": plan.changes.all()[:50], "can_manage": can_manage,
            "add_form": add_form or (VisitAddForm(plan=plan) if can_manage else None),
            "can_record": request.user.has_perm("inspections.add_inspection"),
        }, icon="calendar-alt", breadcrumbs=[(reverse("inspections:plans"), _plans_title()), ("", title)],
            status=status)

    def get(self, request, pk):
        return self.page(request, scoped_plan(request.user, pk))


class VisitAddView(PlanDetailView):
    permission = MANAGE_PLAN
    http_method_names = ["post"]

    def post(self, request, pk):
        plan = scoped_plan(request.user, pk)
        form = VisitAddForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                visit_add(plan=plan, user=request.user, **form.service_kwargs())
            except InspectionPermissionDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _t("已增加一次巡查。"))
                return redirect("inspections:plan", pk=plan.pk)
        return self.page(request, plan, add_form=form, status=400)


def _scoped_visit(user, pk) -> PlannedVisit:
    visit = get_object_or_404(PlannedVisit.objects.select_related(
        "plan", "plan__township", "producer", "producer__village", "assignee", "inspection"), pk=pk)
    ids = township_ids_for(user)
    if ids is not None and visit.plan.township_id not in ids:
        raise Http404
    return visit


class VisitView(AccessMixin, View):
    """A visit's page: what it is, and the forms to move, reassign or cancel it."""

    permission = VIEW_PLANS

    def page(self, request, visit, failed=None, changed=False, status=200):
        forms = []
        if request.user.has_perm(MANAGE_PLAN) and not visit.inspection_id:
            for action, (form_class, _service) in VISIT_FORMS.items():
                form = failed if failed is not None and failed.action == action else form_class(visit=visit)
                form.action = action
                forms.append(form)
        plan = visit.plan
        plan_title = _t("%(township)s %(year)d年巡查计划") % {"township": plan.township.name, "year": plan.year}
        title = _t("计划巡查：%(producer)s %(month)d月") % {"producer": visit.producer.name, "month": visit.month}
        return admin_page(request, "inspections/admin/visit.html", title, {
            "visit": visit, "forms": forms, "changed": changed,
            "record_url": reverse("inspections:record") + f"?visit={visit.pk}",
            "can_record": request.user.has_perm("inspections.add_inspection"),
        }, icon="calendar-alt", status=status, breadcrumbs=[
            (reverse("inspections:plans"), _plans_title()), (reverse("inspections:plan", args=[plan.pk]), plan_title),
            ("", visit.producer.name)])

    def get(self, request, pk):
        return self.page(request, _scoped_visit(request.user, pk))


class VisitActionView(VisitView):
    permission = MANAGE_PLAN
    http_method_names = ["post"]

    def post(self, request, pk, action):
        visit = _scoped_visit(request.user, pk)
        if action not in VISIT_FORMS:
            raise Http404
        form_class, service = VISIT_FORMS[action]
        form = form_class(request.POST, visit=visit)
        form.action = action
        if not form.is_valid():
            return self.page(request, visit, failed=form, status=400)
        try:
            service(visit=visit, user=request.user, expected_version=form.cleaned_data["expected_version"],
                    **form.service_kwargs())
        except PlanChanged as exc:
            form.add_error(None, exc.messages)
            return self.page(request, _scoped_visit(request.user, pk), failed=form, changed=True, status=409)
        except InspectionPermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.page(request, visit, failed=form, status=403)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.page(request, visit, failed=form, status=400)
        messages.success(request, _t("已%(action)s：%(producer)s。") % {"action": form.label,
                                                                   "producer": visit.producer.name})
        return redirect("inspections:plan", pk=visit.plan_id)
