"""Back office hooks: the complaints screens and their menu, the home panel, the admin stylesheet."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from .admin.coverage import coverage_menu_item, coverage_viewset
from .admin.home import ComplaintsHomePanel
from .admin.triage import complaints_menu_item, triage_viewset


@hooks.register("register_admin_viewset")
def register_triage():
    return triage_viewset


@hooks.register("register_admin_menu_item")
def register_complaints_menu():
    return complaints_menu_item()


@hooks.register("register_admin_viewset")
def register_coverage():
    return coverage_viewset


@hooks.register("register_admin_menu_item")
def register_coverage_menu():
    return coverage_menu_item()


@hooks.register("construct_homepage_panels")
def add_complaints_panel(request, panels):
    if request.user.has_perm("complaints.view_complaint"):
        panels.append(ComplaintsHomePanel(request.user))


@hooks.register("insert_global_admin_css")
def staff_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/staff-admin.css"))


# Wagtail's own help items open English pages on wagtail.org; the people here are township and village
# staff working in Chinese, often on closed networks, so the menu keeps only what works offline.
OUTSIDE_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("construct_help_menu")
def drop_outside_help_items(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith(OUTSIDE_HELP_ITEMS)]
