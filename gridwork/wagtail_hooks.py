"""Back office hooks of running the grid: its screens, their menu group and stylesheet."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from .admin.menu import gridwork_menu_item, gridwork_viewset


@hooks.register("register_admin_viewset")
def register_gridwork():
    return gridwork_viewset


@hooks.register("register_admin_menu_item")
def register_gridwork_menu():
    return gridwork_menu_item()


@hooks.register("insert_global_admin_css")
def gridwork_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/gridwork-admin.css"))
