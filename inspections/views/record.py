"""登记巡查记录 on a desktop (/admin/inspections/record/): one inspection through inspection_record, from a
planned visit (?visit=) or for any producer in the user's grids (?producer=). Errors stand beside their
fields, everything typed is kept (photos must be chosen again), nothing is saved until all is right."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.views import View

from ..forms import apply_errors
from ..forms.records import InspectionForm, visible_producers
from ..models import PlannedVisit
from ..services.records import inspection_record
from ..services.scope import COORDINATOR, TOWNSHIP, InspectionPermissionDenied, township_ids_for
from .common import ADD_INSPECTION, AccessMixin, admin_page


def _visit(user, raw):
    """A planned visit of one of the user's townships, or None."""
    if not str(raw or "").isdigit():
        return None
    ids = township_ids_for(user)
    visits = PlannedVisit.objects.select_related("producer", "producer__village", "plan")
    if ids is not None:
        visits = visits.filter(plan__township_id__in=ids)
    return visits.filter(pk=int(raw)).first()


class RecordInspectionView(AccessMixin, View):
    permission = ADD_INSPECTION

    def form(self, request, data=None, files=None):
        producers = list(visible_producers(request.user))
        source = data if data is not None else request.GET
        visit = _visit(request.user, source.get("visit"))
        townships = township_ids_for(request.user)
        scope = TOWNSHIP if townships is None or townships else COORDINATOR
        initial = {}
        if visit is None and str(request.GET.get("producer", "")).isdigit():
            initial["producer"] = request.GET["producer"]
        if request.GET.get("kind") == "follow_up":
            initial["kind"] = "follow_up"
        return InspectionForm(data, files, user=request.user, producers=producers, scope=scope, visit=visit,
                              initial=initial)

    def page(self, request, form, status=200):
        title = _t("登记巡查记录")
        return admin_page(request, "inspections/admin/record.html", title, {"form": form, "visit": form.visit_obj},
                          icon="plus", breadcrumbs=[(reverse("inspections:index"), _t("巡查记录")), ("", title)],
                          status=status)

    def get(self, request):
        return self.page(request, self.form(request))

    def post(self, request):
        form = self.form(request, request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, form, status=400)
        kwargs = form.service_kwargs()
        visit = form.visit_obj if form.visit_obj and form.cleaned_data.get("visit") == form.visit_obj.pk else None
        try:
            stored = inspection_record(user=request.user, visit=visit,
                                       expected_assignee=visit.assignee_id if visit else None, **kwargs)
        except InspectionPermissionDenied as exc:
            form.add_error("producer", str(exc))
            return self.page(request, form, status=403)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.page(request, form, status=400)
        if stored.created:
            messages.success(request, _t("巡查记录已保存。"))
        for text in stored.messages:
            messages.warning(request, text)
        return redirect("inspections:detail", pk=stored.obj.pk)
