"""What every gridwork back-office page shares: Wagtail's frame, a permission, the year chosen."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View


class GridworkPage(View):
    """A plain back-office page in Wagtail's frame, shown to users holding `permission`."""

    template_name = ""
    title = ""
    icon = "table"
    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or (self.permission and not request.user.has_perm(self.permission)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def page(self, request, context: dict, status: int = 200, crumbs=()):
        title = context.pop("page_title", None) or self.title
        breadcrumbs = [{"url": reverse("wagtailadmin_home"), "label": _("首页")}, *crumbs,
                       {"url": "", "label": title}]
        return TemplateResponse(request, self.template_name, {
            "page_title": title, "header_title": title, "header_icon": self.icon,
            "breadcrumbs_items": breadcrumbs, **context}, status=status)


def year_from(request, *, default: int | None = None) -> int:
    """The year asked for in ?year=, this year when missing or not a plausible year."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or default or today.year)
    except (TypeError, ValueError):
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def year_choices(selected: int) -> list[int]:
    """The years offered in a year switcher: next year, this year and the four before, and the selected one."""
    this = timezone.localdate().year
    return sorted({*range(this - 4, this + 2), selected}, reverse=True)
