"""Demo staff badges (工作证): the supervisor and coordinators of the demo accounts' township hold badges, one
coordinator's was lost and reissued (the old code revoked), and the coordinator replaced in the demo history
kept the badge of the role he left, so /b/<code>/ shows a valid badge, a revoked one and one of an ended
assignment."""

import datetime

from django.db import transaction
from django.utils import timezone

from disclosure.models import Badge, Grid, Role, RoleAssignment
from disclosure.models.badges import badge_code_new
from disclosure.services.badges import badge_assignments_for_township, badge_issue, badges_for_township

DEMO_TOWNSHIP = "652301101"  # the township of the demo accounts (staff/demo.py)


@transaction.atomic
def load_badges() -> int:
    """Issue the demo badges once (nothing when any badge exists)."""
    if Badge.objects.exists():
        return 0
    township = Grid.objects.townships().filter(code=DEMO_TOWNSHIP).first() or Grid.objects.townships().first()
    if township is None:
        return 0
    supervisor = (RoleAssignment.objects.current().filter(grid=township, role=Role.SUPERVISOR)
                  .select_related("person__user").first())
    by = supervisor.person.user if supervisor else None
    badges = badges_for_township(township=township, by=by)
    coordinators = [a for a in badge_assignments_for_township(township) if a.role == Role.COORDINATOR]
    if len(coordinators) > 1:
        badge_issue(assignment=coordinators[1], by=by, new_code=True, reason="工作证遗失，已补发新证")
    # The coordinator replaced in the demo history had a badge while in the role: issued then, directly,
    # since the service issues badges for current roles only.
    ended = RoleAssignment.objects.filter(role=Role.COORDINATOR, end_date__isnull=False).order_by("end_date").first()
    if ended is not None:
        issued = timezone.make_aware(datetime.datetime.combine(ended.start_date, datetime.time(10)))
        Badge.objects.create(assignment=ended, code=badge_code_new(), issued_at=issued, issued_by=by)
    return Badge.objects.count() if badges else 0


def demo_badge_codes() -> dict[str, str]:
    """One code of each kind the demo has, to try /b/<code>/: valid, revoked, of an ended assignment."""
    today = timezone.localdate()
    codes = {}
    for badge in Badge.objects.select_related("assignment").order_by("issued_at", "id"):
        codes.setdefault(str(badge.state(today)), badge.code)
    return codes
