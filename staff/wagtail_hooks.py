"""Back office hooks: the complaints screens and their menu, the home panel, the admin stylesheet, the
second factor (in 账号设置 and on each user in the user list), the admin API limited to what a user may
choose."""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton

from portal.admin_menu import PermissionMenuItem

from .admin.api import restrict_admin_api
from .admin.coverage import coverage_menu_item, coverage_viewset
from .admin.home import ComplaintsHomePanel
from .admin.second_factor import lockouts_viewset, second_factor_viewset
from .admin.triage import complaints_menu_item, triage_viewset


# Runs after wagtail.images' and wagtail.documents' own hooks (order 0), so that these endpoints replace theirs.
@hooks.register("construct_admin_api", order=100)
def construct_admin_api(router):
    restrict_admin_api(router)


@hooks.register("register_admin_viewset")
def register_triage():
    return triage_viewset


@hooks.register("register_admin_viewset")
def register_second_factor():
    return second_factor_viewset


@hooks.register("register_admin_viewset")
def register_lockouts():
    return lockouts_viewset


@hooks.register("register_settings_menu_item")
def lockouts_menu_item():
    return PermissionMenuItem("axes.delete_accessattempt", _("登录锁定"), reverse("lockouts:index"),
                              icon_name="lock", name="lockouts", order=900)


@hooks.register("register_account_menu_item")
def second_factor_account_item(request):
    return {"url": reverse("second_factor:index"), "label": _("双重验证"),
            "help_text": _("登录时除密码外再输入手机验证器中的验证码；管理恢复码。")}


@hooks.register("register_user_listing_buttons")
def second_factor_reset_button(user, request_user):
    if request_user.has_perm("auth.change_user"):
        yield ListingButton(_("重置双重验证"), reverse("second_factor:reset", args=[user.pk]), priority=60)


@hooks.register("register_admin_menu_item")
def register_complaints_menu():
    return complaints_menu_item()


@hooks.register("register_admin_urls")
def register_search_url():
    from django.urls import path

    from .views.search import ScopedSearchView

    return [path("find/", ScopedSearchView.as_view(), name="staff_search")]


@hooks.register("register_admin_search_area")
def register_search_area():
    """Beside Wagtail's own search tabs: complaints, producers and people within the user's grids."""
    from wagtail.admin.search import SearchArea

    return SearchArea(_("投诉举报、生产主体和人员"), reverse("staff_search"), name="staff", icon_name="warning",
                      order=50)


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
