"""Back office hooks of the inspections app: the 日常巡查 screens and menu, their stylesheet."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from .admin import inspections_menu_item, inspections_viewset


@hooks.register("register_admin_viewset")
def register_inspections():
    return inspections_viewset


@hooks.register("register_admin_menu_item")
def register_inspections_menu():
    return inspections_menu_item()


@hooks.register("insert_global_admin_css")
def inspections_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/inspections-admin.css"))
