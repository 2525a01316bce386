"""A plain back-office page in Wagtail's frame, for screens that are not a viewset's."""

from django.template.response import TemplateResponse
from django.views import View


class AdminPage(View):
    """Subclasses set `template_name` (extending wagtailadmin/generic/base.html), `title` and `icon`."""

    template_name = ""
    title = ""
    icon = "doc-full"

    def page(self, request, context: dict, status: int = 200):
        return TemplateResponse(request, self.template_name, {
            "page_title": self.title, "header_title": self.title, "header_icon": self.icon, **context},
            status=status)
