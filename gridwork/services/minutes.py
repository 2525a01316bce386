"""会商纪要: a consultation meeting's minutes as an A4 PDF (WeasyPrint through portal.pdf) — the convening
grid, date, place and chair, who attended (grid people with their posts, outside experts), the problems
discussed with the records they concern, the minutes, the actions with owner and due date, and signatures."""

from django.contrib.staticfiles import finders
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from disclosure.models import Grid
from portal.pdf import render_pdf

from ..models import Meeting
from .meetings import grid_role_holders

STYLESHEET = "css/print-meetings.css"


def _stylesheet() -> str:
    """Inlined, as the other print stylesheets are: hashed static names do not resolve to files in production."""
    path = finders.find(STYLESHEET)
    return open(path, encoding="utf-8").read() if path else ""


def attendee_posts(meeting: Meeting, people) -> dict[int, str]:
    """Each attending person's post near the convening grid on the meeting day (or today): “grid role”."""
    grids = Grid.objects.filter(models.Q(pk=meeting.grid_id) | models.Q(parent=meeting.grid_id))
    posts: dict[int, str] = {}
    for a in (grid_role_holders(grids, meeting.held_on).filter(person__in=people)
              .select_related("grid", "grid__parent").order_by("grid__level", "grid__sort_order")):
        grid = a.grid.full_name if a.grid.level == "village" else a.grid.name
        posts.setdefault(a.person_id, _("%(grid)s%(role)s") % {"grid": grid, "role": a.get_role_display()})
    return posts


def minutes_context(meeting: Meeting) -> dict:
    attendees = list(meeting.attendees.select_related("person"))
    people = [a.person for a in attendees if not a.is_expert]
    posts = attendee_posts(meeting, people)
    return {
        "stylesheet": _stylesheet(), "meeting": meeting,
        "people": [{"name": p.name, "post": posts.get(p.pk) or p.position} for p in people],
        "experts": [a for a in attendees if a.is_expert],
        "problems": list(meeting.problems.select_related("complaint", "inspection", "inspection__producer",
                                                         "producer", "producer__village")),
        "actions": list(meeting.actions.select_related("owner").order_by("due", "id")),
        "printed_at": timezone.localtime(),
        "COLON": ": " if (get_language() or "").startswith("en") else "：",
    }


def minutes_pdf(meeting: Meeting) -> bytes:
    """The minutes of a meeting as PDF bytes."""
    return render_pdf("print/meeting_minutes.html", minutes_context(meeting))
