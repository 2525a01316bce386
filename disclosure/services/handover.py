"""Replacing a role's holder (更换人员) as one step: the successor takes the role, the departing holder's
open work moves to the successor (or back to the grid's queue), and the successor's staff account is
created or linked — so nothing stays assigned to an account that has just lost access.

Work lives in apps above this one, so they register what they hand over (`register_handover`): the
complaints app hands over open complaints assigned to the departing holder's account.
"""

import datetime
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import GridLevel, Person, RoleAssignment
from .grids import role_assign

TO_SUCCESSOR, TO_QUEUE = "successor", "queue"
# Initial passwords are read out or written down: no look-alikes (0/O/o, 1/l/I) and no punctuation.
PASSWORD_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"  # noqa: S105 — an alphabet


@dataclass(frozen=True)
class Handover:
    """A kind of open work a departing holder may leave: `count(user=, grid=)` how many, `move(from_user=,
    to_user=, grid=, by=)` hands them to `to_user` (None: back to the grid's queue) and returns how many."""

    key: str
    label: Callable[[], str]
    count: Callable[..., int]
    move: Callable[..., int]


_HANDOVERS: dict[str, Handover] = {}


def register_handover(handover: Handover) -> None:
    _HANDOVERS[handover.key] = handover


def open_work(*, assignment: RoleAssignment) -> list[tuple[Handover, int]]:
    """What the holder of `assignment` would leave behind: (kind, how many), only kinds with some."""
    user = assignment.person.user
    if user is None:
        return []
    counts = [(handover, handover.count(user=user, grid=assignment.grid)) for handover in _HANDOVERS.values()]
    return [(handover, n) for handover, n in counts if n]


def account_group_name(level: str) -> str:
    return settings.PORTAL_STAFF_GROUP_FOR_LEVEL[level]


def may_set_up_accounts(user, assignment: RoleAssignment) -> bool:
    """Whether `user` may create or link the successor's staff account here: the city (account managers)
    anywhere; a township's staff for the villages below them (their coordinators)."""
    if user.is_superuser or user.has_perm("auth.add_user"):
        return True
    return assignment.grid.level == GridLevel.VILLAGE and user.has_perm("disclosure.add_roleassignment")


def linkable_accounts(level: str):
    """Accounts a successor may be linked to: active, not superusers, linked to nobody, and in no group but
    the one of the role's level (so nobody gains another level's rights by being linked)."""
    group = account_group_name(level)
    return (get_user_model().objects.filter(is_active=True, is_superuser=False, grid_person__isnull=True)
            .exclude(groups__in=Group.objects.exclude(name=group)).order_by("username"))


@dataclass
class Replacement:
    assignment: RoleAssignment
    moved: dict[str, int]
    to_successor: bool = False  # the work went to the successor's account (else back to the queue)
    username: str = ""
    initial_password: str = ""  # shown once when an account was created


@transaction.atomic
def role_replace(*, assignment: RoleAssignment, successor: Person | None = None, new_person: dict | None = None,
                 start_date: datetime.date | None = None, note: str = "", by=None, hand_over: str = TO_SUCCESSOR,
                 link_user=None, new_username: str = "", new_email: str = "") -> Replacement:
    """更换人员 in one transaction: register the successor (an existing person, or `new_person`'s facts),
    give them the role from `start_date`, set up their account (link `link_user`, or create `new_username`)
    when `by` may, and hand the departing holder's open work to the successor's account — or back to the
    grid's queue when `hand_over` is TO_QUEUE, the successor has no account, or starts later."""
    start_date = start_date or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if link_user is not None or new_username:
        if not may_set_up_accounts(by, assignment):
            raise ValidationError(_("您不能为这个岗位开通账号，请市级管理员开通。"))
        if link_user is not None and new_username:
            errors.setdefault("new_username", []).append(_("请选择已有账号或填写新账号的用户名，二者只填一项。"))
        if link_user is not None and not linkable_accounts(assignment.grid.level).filter(pk=link_user.pk).exists():
            errors.setdefault("link_user", []).append(_("这个账号不能关联：它已关联其他人员，或属于其他级别。"))
        if new_username and get_user_model().objects.filter(username__iexact=new_username).exists():
            errors.setdefault("new_username", []).append(_("用户名“%(name)s”已被使用。") % {"name": new_username})
    if errors:
        raise ValidationError(errors)
    if successor is None:
        successor = Person(**(new_person or {}))
        successor.full_clean()
        successor.save()
        successor.save_revision(user=by, log_action="wagtail.create")
    result = Replacement(assignment=assignment, moved={})
    account = successor.user
    if link_user is not None or new_username:
        if successor.user_id:
            raise ValidationError({"link_user": [_("%(name)s已有账号，无需再开通。") % {"name": successor.name}]})
        if new_username:
            result.initial_password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(12))
            account = get_user_model().objects.create_user(username=new_username, email=new_email,
                                                           password=result.initial_password,
                                                           first_name=successor.name[:150])
        else:
            account = link_user
        account.groups.add(Group.objects.get(name=account_group_name(assignment.grid.level)))
        successor.user = account
        successor.save(update_fields=["user"])
        result.username = account.get_username()
    departing = assignment.person.user
    new_assignment = role_assign(person=successor, grid=assignment.grid, role=assignment.role,
                                 start_date=start_date, replace=True, note=note, by=by)
    result.assignment = new_assignment
    if departing is not None and departing != account:
        to_user = account if (hand_over == TO_SUCCESSOR and account is not None
                              and start_date <= timezone.localdate()) else None
        result.to_successor = to_user is not None
        for handover in _HANDOVERS.values():
            moved = handover.move(from_user=departing, to_user=to_user, grid=assignment.grid, by=by)
            if moved:
                result.moved[str(handover.label())] = moved
    return result
