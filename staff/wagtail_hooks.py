"""Back office hooks: the complaints screens and their menu, the home panel, the admin stylesheet."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from .admin.home import ComplaintsHomePanel
from .admin.triage import complaints_menu_item, triage_viewset


@hooks.register("register_admin_viewset")
def register_triage():
    return triage_viewset


@hooks.register("register_admin_menu_item")
def register_complaints_menu():
    return complaints_menu_item()


@hooks.register("construct_homepage_panels")
def add_complaints_panel(request, panels):
    if request.user.has_perm("complaints.view_complaint"):
        panels.append(ComplaintsHomePanel(request.user))


@hooks.register("insert_global_admin_css")
def staff_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/staff-admin.css"))
