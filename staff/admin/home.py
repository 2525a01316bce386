"""The summary panel on the Wagtail admin home: the user's queue in four numbers and a link to it."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from ..selectors import queue_summary


class ComplaintsHomePanel(Component):
    name = "complaints_summary"
    template_name = "staff/home_panel.html"
    order = 50  # above Wagtail's own panels

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        queue = reverse("triage:index")
        summary = queue_summary(user=self.user)
        return {
            "summary": summary, "approves": self.user.has_perm("complaints.approve_reply"),
            "links": {"awaiting": f"{queue}?state=submitted", "open": queue, "overdue": f"{queue}?overdue=yes",
                      "mine": f"{queue}?mine=yes", "to_approve": f"{queue}?state=reply_drafted", "queue": queue, "dashboard": reverse("triage:dashboard")},
        }
