"""Admin screens of the portal layer: the working-day calendar's holidays (节假日与调休), background jobs."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin.jobs import jobs_menu_item, jobs_viewset
from .models import Holiday


class HolidayViewSet(SnippetViewSet):
    model = Holiday
    icon = "date"
    menu_label = _("节假日与调休")
    menu_order = 900
    add_to_settings_menu = True
    list_display = ["date", "name", "kind", "note"]
    list_filter = ["kind"]
    search_fields = ["name", "note"]
    ordering = ["-date"]


register_snippet(HolidayViewSet)


@hooks.register("register_admin_viewset")
def register_jobs():
    return jobs_viewset


@hooks.register("register_admin_menu_item")
def register_jobs_menu():
    return jobs_menu_item()
