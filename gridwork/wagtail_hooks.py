"""Back office hooks of running the grid: its screens, their menu group and stylesheet, and the city's home
panels of vacant roles and of townships that have not reported their month."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from .admin.home import NotReportedPanel, UnstaffedGridsPanel
from .admin.menu import gridwork_menu_item, gridwork_viewset
from .services.scope import is_city


@hooks.register("register_admin_viewset")
def register_gridwork():
    return gridwork_viewset


@hooks.register("register_admin_menu_item")
def register_gridwork_menu():
    return gridwork_menu_item()


@hooks.register("insert_global_admin_css")
def gridwork_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/gridwork-admin.css"))


@hooks.register("construct_homepage_panels")
def add_unstaffed_panel(request, panels):
    if is_city(request.user) and request.user.has_perm("disclosure.view_roleassignment"):
        panels.append(UnstaffedGridsPanel())


@hooks.register("construct_homepage_panels")
def add_not_reported_panel(request, panels):
    if is_city(request.user) and request.user.has_perm("gridwork.review_monthlyreport"):
        panels.append(NotReportedPanel())
