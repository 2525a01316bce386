"""Back office: station test quotas (速测任务). The city allocates every township's quota for a year on
one form; everyone with the view permission sees the progress of the townships they keep."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import ProductGroup
from ..services.quotas import ALL, QuotaError, quota_progress, quota_set, quota_values
from ..services.scope import GridworkPermissionDenied, is_city, townships_for
from .base import GridworkPage, year_choices, year_from

GROUP_COLUMNS = [(ALL, gettext_lazy("全年总数"))] + [(g.value, g.label) for g in ProductGroup]


def _field(township_id: int, group: str) -> str:
    return f"q-{township_id}-{group or 'all'}"


class QuotaProgressView(GridworkPage):
    """速测任务完成进度: per township and month, against the straight-line target."""

    template_name = "gridwork/quotas/progress.html"
    title = gettext_lazy("速测任务完成进度")
    icon = "table"
    permission = "gridwork.view_stationquota"

    def get(self, request):
        year = year_from(request)
        townships = townships_for(request.user)
        if not townships.exists():
            raise PermissionDenied
        rows = quota_progress(year=year, townships=townships)
        chosen = request.GET.get("township")
        detail = next((r for r in rows if str(r.township.pk) == chosen), rows[0] if len(rows) == 1 else None)
        months = list(range(1, 13))
        return self.page(request, {
            "year": year, "years": year_choices(year), "rows": rows, "detail": detail, "months": months,
            "behind": [r for r in rows if r.is_behind],
            "behind_names": "、".join(r.township.name for r in rows if r.is_behind), "can_edit": is_city(request.user)
            and request.user.has_perm("gridwork.set_quota"),
            "detail_months": list(zip(months, detail.monthly, detail.cumulative, detail.targets, strict=True))
            if detail else [],
        })


class QuotaEditView(GridworkPage):
    """分配速测任务数: every township's quota for a year, with optional product-group quotas, on one form."""

    template_name = "gridwork/quotas/edit.html"
    title = gettext_lazy("分配速测任务数")
    icon = "edit"
    permission = "gridwork.set_quota"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_city(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def context(self, year, values, errors=None):
        townships = list(townships_for(self.request.user))
        errors = errors or {}
        rows = [{"township": t, "cells": [{"name": _field(t.pk, g), "value": values.get((t.pk, g), ""),
                                             "error": errors.get((t.pk, g), ""), "label": label}
                                            for g, label in GROUP_COLUMNS]} for t in townships]
        return {"year": year, "years": year_choices(year), "rows": rows, "columns": [c[1] for c in GROUP_COLUMNS],
                "error_count": len(errors)}

    def crumbs(self, year):
        return [{"url": reverse("gridwork:quotas") + f"?year={year}", "label": _("速测任务完成进度")}]

    def get(self, request):
        year = year_from(request, default=None)
        return self.page(request, self.context(year, quota_values(year=year)), crumbs=self.crumbs(year))

    def post(self, request):
        year = year_from(request)
        values = {}
        for township in townships_for(request.user):
            for group, _label in GROUP_COLUMNS:
                name = _field(township.pk, group)
                if name in request.POST:
                    values[(township.pk, group)] = request.POST[name]
        try:
            counts = quota_set(year=year, values=values, user=request.user)
        except QuotaError as exc:
            messages.error(request, exc.messages[0])
            return self.page(request, self.context(year, values, exc.errors), status=400, crumbs=self.crumbs(year))
        except GridworkPermissionDenied:
            raise
        messages.success(request, _("%(year)d年速测任务数已保存：设定 %(set)d 项，取消 %(removed)d 项。") % {
            "year": year, **counts})
        return redirect(reverse("gridwork:quotas") + f"?year={year}")
