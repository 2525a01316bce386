"""Staff badges (统一标识, the plan 四、(五)): issuing, reissuing and revoking the badges grid supervisors and
coordinators wear (drawing them: badge_render).

A badge vouches for one role assignment. It is valid while it is not revoked and the assignment is in force,
so a person who leaves the role needs nothing done to their badge: its page says from that day that it is no
longer valid, and names who holds the role now. Printing again reuses the valid badge of the assignment (the
same code, a second copy of the same card); a lost badge is reissued with a new code and the old one revoked.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.text import clean_text

from ..models import Badge, BadgeState, Grid, Person, Role, RoleAssignment
from ..models.badges import badge_code_new
from .signboards import PAGE_AVATAR, PRINT_AVATAR, hotline_number, public_phone, rendition_for

# The roles that wear the badge (the plan: 网格监管员、协管员); any current role may have one printed singly.
BADGE_ROLES = (Role.SUPERVISOR, Role.COORDINATOR)
REASON_MAX = 200


def _renditions_prepare(person: Person) -> None:
    """Make the photo's page and print renditions now, in the staff request, so that the public page reads
    them and never writes."""
    if person.photo_id is None:
        return
    for spec in (PAGE_AVATAR, PRINT_AVATAR):
        try:
            rendition_for(person.photo, spec)
        except (OSError, ValueError, NotImplementedError):
            return  # a missing image file prints as the empty photo frame


def _create(assignment: RoleAssignment, by) -> Badge:
    for _attempt in range(20):
        try:
            with transaction.atomic():
                return Badge.objects.create(assignment=assignment, code=badge_code_new(), issued_by=by)
        except IntegrityError:
            continue  # the code was taken: draw another
    raise RuntimeError("could not find a free badge code")


@transaction.atomic
def badge_issue(*, assignment: RoleAssignment, by, new_code: bool = False, reason: str = "") -> tuple[Badge, bool]:
    """The badge to print for a current assignment: its valid badge, or a new one if it has none or if
    `new_code` (a lost badge: the valid one is revoked with `reason`). Returns (badge, created)."""
    # One at a time per assignment, so that two prints at once do not make two valid badges.
    assignment = (RoleAssignment.objects.select_for_update(of=("self",))
                  .select_related("person", "person__photo").get(pk=assignment.pk))
    if not assignment.is_current:
        raise ValidationError(_("只能为现任人员打印工作证：该任职记录不在任职期内。"))
    reason = clean_text(reason, label=_("作废原因"), max_length=REASON_MAX)
    valid = list(Badge.objects.valid().filter(assignment=assignment))
    if valid and not new_code:
        _renditions_prepare(assignment.person)
        return valid[0], False
    now = timezone.now()
    for badge in valid:
        badge.revoked_at, badge.revoked_by = now, by
        badge.revoke_reason = reason or _("已补发新工作证")
        badge.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    _renditions_prepare(assignment.person)
    return _create(assignment, by), True


@transaction.atomic
def badge_revoke(*, badge: Badge, by, reason: str) -> Badge:
    """Revoke a badge (作废工作证): lost, stolen, misused. Its page says from now on that it is not valid."""
    reason = clean_text(reason, label=_("作废原因"), max_length=REASON_MAX, required=True)
    badge = Badge.objects.select_for_update().get(pk=badge.pk)
    if badge.revoked_at is not None:
        raise ValidationError(_("此工作证已于 %(date)s 作废。") % {
            "date": timezone.localtime(badge.revoked_at).strftime("%Y-%m-%d")})
    badge.revoked_at, badge.revoked_by, badge.revoke_reason = timezone.now(), by, reason
    badge.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return badge


def badge_assignments_for_township(township: Grid) -> list[RoleAssignment]:
    """The current supervisors of a township and coordinators of its villages, in the order of the grid map:
    the township first, then its villages."""
    assignments = (RoleAssignment.objects.current()
                   .filter(models.Q(grid=township) | models.Q(grid__parent=township), role__in=BADGE_ROLES)
                   .select_related("person", "grid", "grid__parent"))
    return sorted(assignments, key=lambda a: (a.grid_id != township.pk, a.grid.sort_order, a.grid.code,
                                              a.role, a.start_date, a.pk))


def badges_for_township(*, township: Grid, by) -> list[Badge]:
    """Issue (or reuse) the badge of every current supervisor and coordinator of a township and its
    villages, for one batch print."""
    return [badge_issue(assignment=a, by=by)[0] for a in badge_assignments_for_township(township)]


def badge_holders(badge: Badge, on: datetime.date | None = None) -> list[RoleAssignment]:
    """Who holds the badge's role on its grid today (for the page of a badge that is no longer valid)."""
    return list(RoleAssignment.objects.current(on=on)
                .filter(grid_id=badge.assignment.grid_id, role=badge.assignment.role)
                .select_related("person").order_by("start_date", "id"))


def badge_contact(person: Person, hotline: str) -> dict:
    """How a badge shows its holder's phone: their own if published, else the complaints hotline."""
    return {"phone": public_phone(person, hotline), "own_phone": person.phone_public}


__all__ = ["BADGE_ROLES", "BadgeState", "badge_assignments_for_township", "badge_contact", "badge_holders",
           "badge_issue", "badge_revoke", "badges_for_township", "hotline_number"]
