"""Back office: 巡查频次达标 (inspection coverage) under /admin/inspection-coverage/, with its menu entry."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSet

from portal.admin_menu import PermissionMenuItem

from ..views.coverage import PERMISSION, CoverageView


class CoverageViewSet(ViewSet):
    name = "inspection_coverage"
    url_prefix = "inspection-coverage"
    icon = "table"
    menu_label = _("巡查频次达标")
    add_to_admin_menu = False

    def get_urlpatterns(self):
        return [path("", CoverageView.as_view(), name="index")]


coverage_viewset = CoverageViewSet()


def coverage_menu_item() -> PermissionMenuItem:
    return PermissionMenuItem(PERMISSION, _("巡查频次达标"), reverse("inspection_coverage:index"), icon_name="table",
                              name="inspection-coverage", order=160)
