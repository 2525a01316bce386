"""Reads that shape complaints for a purpose: the public timeline, exports, the assignee picker.

Public shapes (public_summary, public_timeline) never contain the reporter's identity, the description, the
address in words or the producer: only what the reporter may show anyone who holds their code.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.models import Grid, GridLevel, RoleAssignment

from .models import FINISHED_STATES, Action, Complaint, ComplaintEvent, Rating, State
from .services.identity import can_view_identity
from .services.permissions import user_covers_grid
from .validation import looks_like_tracking_code, normalise_tracking_code

# How a state is named to the public (the internal review steps read as one).
PUBLIC_STATE_LABEL = {
    State.REPLY_DRAFTED: gettext_lazy("正在答复"),
    State.REPLY_APPROVED: gettext_lazy("正在答复"),
}


def public_state_label(state: str) -> str:
    return str(PUBLIC_STATE_LABEL.get(state) or State(state).label)


# What the public reads for a step, where the staff label is office language.
PUBLIC_ACTION_LABEL = {
    Action.SUBMIT: gettext_lazy("已收到"),
    Action.RECORD: gettext_lazy("已登记"),
    Action.REASSIGN_GRID: gettext_lazy("已转交其他网格办理"),
    Action.MARK_DUPLICATE: gettext_lazy("已与先前的同一反映合并办理"),
}


def public_action_label(action: str) -> str:
    """A step as the reporter and the public read it (plain words, no office jargon)."""
    return str(PUBLIC_ACTION_LABEL.get(action) or Action(action).label)


def public_timeline(complaint: Complaint) -> list[dict]:
    """The public steps, oldest first: date, what happened, the public note."""
    events = complaint.events.public().chronological()
    rows = []
    for event in events:
        label = public_action_label(event.action)
        rows.append({"at": event.at, "action": event.action, "label": label,
                     "state": public_state_label(event.to_state) if event.to_state else "",
                     "note": event.note_public, "data": {k: v for k, v in event.data.items()
                                                        if k in ("rectification_due", "finish_due")}})
    return rows


def public_summary(complaint: Complaint) -> dict:
    """The facts the tracking page and the Open311 API may show about a complaint."""
    grid = complaint.grid
    original = complaint.duplicate_of
    return {
        "code": complaint.display_code,
        "kind": complaint.get_kind_display(),
        "category": complaint.get_category_display(),
        "channel": complaint.get_channel_display(),
        "state": complaint.state,
        "state_label": public_state_label(complaint.state),
        "is_open": complaint.is_open,
        "submitted_at": complaint.submitted_at,
        "accept_due": complaint.accept_due if complaint.state == State.SUBMITTED else None,
        "finish_due": complaint.finish_due if complaint.state not in (State.SUBMITTED,) and complaint.is_open
        else None,
        "paused": complaint.is_paused,
        "closed_at": complaint.closed_at,
        "grid": f"{grid.full_name}" if grid else "",
        "place": complaint.place_label,
        "transferred_to": complaint.transferred_to,
        "reply": complaint.reply_text if complaint.state == State.CLOSED else "",
        "original_state": public_state_label(original.state) if original else "",
        "rating": complaint.get_rating_display() if complaint.rating else "",
    }


def complaint_assignable_users(complaint: Complaint):
    """Staff who may be assigned this complaint: active, allowed to handle complaints, covering its grid.

    Those holding a role on the complaint's own grid come first (then its township's, then the city's)."""
    grid = complaint.grid
    chain = [grid.pk]
    if grid.level == GridLevel.VILLAGE and grid.parent_id:
        chain.append(grid.parent_id)
    city = county_grid_id(grid)
    if city and city not in chain:
        chain.append(city)
    holders = (RoleAssignment.objects.current().filter(grid_id__in=chain, person__user__isnull=False)
               .values_list("person__user_id", "grid_id"))
    rank = {}
    for user_id, grid_id in holders:
        rank[user_id] = min(rank.get(user_id, 99), chain.index(grid_id))
    users = get_user_model().objects.filter(pk__in=rank, is_active=True)
    result = [u for u in users if u.has_perm("complaints.handle_complaint") and user_covers_grid(u, grid.pk)]
    return sorted(result, key=lambda u: (rank[u.pk], u.get_full_name() or u.get_username()))


def role_holders_with(grid_ids, permission: str) -> dict[int, list]:
    """{grid id: the active staff holding a current role on it who have `permission`}, in two queries (plus
    the permission checks), each list ordered by user id."""
    holders = list(RoleAssignment.objects.current().filter(grid_id__in=set(grid_ids), person__user__isnull=False)
                   .values_list("grid_id", "person__user_id"))
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in={uid for _g, uid in holders}, is_active=True)}
    by_grid: dict[int, list] = {}
    for grid_id, user_id in sorted(holders, key=lambda pair: pair[1]):
        user = users.get(user_id)
        if user is not None and user.has_perm(permission):
            by_grid.setdefault(grid_id, []).append(user)
    return by_grid


SATISFIED = 3  # 基本满意 and better count as satisfied


def complaint_counts(queryset, *, on: datetime.date, by: str = "township_id") -> dict:
    """The dashboard's figures of `queryset` per value of the column `by` (four grouped queries, whatever the
    size): {value: {"by_state": {state: n}, "overdue", "closed_counted" (closed through 办结 with an on-time
    flag), "closed_on_time", "rated", "satisfied" (rated 基本满意 or better)}}. The county summary rows keep
    these figures too, so a prefecture's dashboard shows the same counts as each county's. COUNT(*) or of
    the filtered column, not of ids: an index holding those columns then answers without reading the rows."""
    lines: dict = {}

    def line(key) -> dict:
        if key not in lines:
            lines[key] = {"by_state": dict.fromkeys(State.values, 0), "overdue": 0, "closed_counted": 0,
                          "closed_on_time": 0, "rated": 0, "satisfied": 0}
        return lines[key]

    for item in queryset.order_by().values(by, "state").annotate(n=Count("*")):
        line(item[by])["by_state"][item["state"]] += item["n"]
    for item in queryset.overdue(on=on).order_by().values(by).annotate(n=Count("*")):
        line(item[by])["overdue"] = item["n"]
    for item in (queryset.filter(state=State.CLOSED, closed_on_time__isnull=False).order_by().values(by)
                 .annotate(n=Count("*"), on_time=Count("closed_on_time", filter=Q(closed_on_time=True)))):
        line(item[by]).update(closed_counted=item["n"], closed_on_time=item["on_time"])
    for item in (queryset.filter(rating__isnull=False).order_by().values(by)
                 .annotate(n=Count("*"), satisfied=Count("rating", filter=Q(rating__gte=SATISFIED)))):
        line(item[by]).update(rated=item["n"], satisfied=item["satisfied"])
    return lines


def complaint_counts_total(lines: dict) -> dict:
    """complaint_counts' lines added up into one."""
    total = {"by_state": dict.fromkeys(State.values, 0), "overdue": 0, "closed_counted": 0, "closed_on_time": 0,
             "rated": 0, "satisfied": 0}
    for line in lines.values():
        for state, n in line["by_state"].items():
            total["by_state"][state] = total["by_state"].get(state, 0) + n
        for key in ("overdue", "closed_counted", "closed_on_time", "rated", "satisfied"):
            total[key] += line[key]
    return total


def county_grid_id(grid: Grid) -> int | None:
    """The id of the county grid a grid lies in (its 市级网格, who handles what townships cannot)."""
    return Grid.objects.county_ids([grid]).get(grid.pk)


def complaint_search(queryset, query: str | None):
    """Complaints matching what staff typed: the internal number; a tracking code a reporter reads out (a word
    that could be one, e.g. "DDVP", is also looked for in the text); otherwise the text."""
    query = (query or "").strip()
    if not query:
        return queryset
    numbered = queryset.numbered(query)
    if numbered.exists():
        return numbered
    text = (Q(description__icontains=query) | Q(producer__name__icontains=query)
            | Q(producer_text__icontains=query) | Q(address__icontains=query))
    if looks_like_tracking_code(query):
        text |= Q(tracking_code__contains=normalise_tracking_code(query))
    return queryset.filter(text)


def complaint_approvers(complaint: Complaint) -> list:
    """Who approves this complaint's drafted reply: active staff allowed to approve replies who hold a role
    on its township (or, with nobody there but the drafter, or no township, on the city grid) — never the
    drafter."""
    levels = list(dict.fromkeys(g for g in (complaint.township_id, county_grid_id(complaint.grid)) if g))
    holders = role_holders_with(levels, "complaints.approve_reply")
    for grid_id in levels:
        users = [u for u in holders.get(grid_id, [])
                 if u.pk != complaint.reply_drafted_by_id and user_covers_grid(u, complaint.grid_id)]
        if users:
            return users
    return []


# Column headings, in the language of whoever exports (translated when the export is made).
EXPORT_COLUMNS = [
    ("number", gettext_lazy("编号")),
    ("kind", gettext_lazy("类型")),
    ("category", gettext_lazy("问题类别")),
    ("channel", gettext_lazy("来源渠道")),
    ("state", gettext_lazy("状态")),
    ("township", gettext_lazy("乡镇")),
    ("grid", gettext_lazy("办理网格")),
    ("producer", gettext_lazy("生产主体")),
    ("place", gettext_lazy("发生地")),
    ("address", gettext_lazy("详细地点")),
    ("description", gettext_lazy("问题描述")),
    ("submitted_at", gettext_lazy("收到时间")),
    ("accept_due", gettext_lazy("受理期限")),
    ("finish_due", gettext_lazy("办结期限")),
    ("overdue", gettext_lazy("已超期")),
    ("paused", gettext_lazy("送检暂停")),
    ("assignee", gettext_lazy("承办人")),
    ("closed_at", gettext_lazy("办结时间")),
    ("closed_on_time", gettext_lazy("按期办结")),
    ("rating", gettext_lazy("满意度")),
]
IDENTITY_COLUMNS = [
    ("reporter_name", gettext_lazy("反映人姓名")),
    ("reporter_phone", gettext_lazy("反映人电话")),
    ("reporter_email", gettext_lazy("反映人邮箱")),
    ("anonymous", gettext_lazy("匿名")),
]


def _yes(value) -> str:
    if value is None:
        return ""
    return _("是") if value else _("否")


def _local(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def complaint_export_rows(*, queryset, user, on: datetime.date | None = None,
                          progress=None) -> tuple[list[str], list[list]]:
    """Header and rows for a CSV/XLSX export of `queryset` (restricted to what `user` may see).

    The reporter's identity is included only for a user with complaints.view_reporter_identity, and then
    every exported identity is logged as a view (操作: 导出反映人身份). `progress(done, total)`, if given, is
    called as the rows are read."""
    on = on or timezone.localdate()
    queryset = queryset.filter(pk__in=Complaint.objects.visible_to(user).values("pk")).for_list().select_related(
        "place_village", "place_village__parent", "place_township")
    with_identity = user.has_perm("complaints.view_reporter_identity")
    columns = EXPORT_COLUMNS + (IDENTITY_COLUMNS if with_identity else [])
    header = [str(label) for _key, label in columns]
    rows, logged = [], []
    total = queryset.count() if progress else 0
    for c in queryset:
        if progress and len(rows) % 100 == 0:
            progress(len(rows), total)
        row = [
            c.internal_number, c.get_kind_display(), c.get_category_display(), c.get_channel_display(),
            c.get_state_display(), c.township.name if c.township_id else "", c.grid.full_name,
            c.producer.name if c.producer_id else c.producer_text, c.place_label, c.address, c.description,
            _local(c.submitted_at), c.accept_due.isoformat() if c.accept_due else "",
            c.finish_due.isoformat() if c.finish_due else "", _yes(c.is_overdue(on)), _yes(c.is_paused),
            (c.assignee.get_full_name() or c.assignee.get_username()) if c.assignee_id else "",
            _local(c.closed_at), _yes(c.closed_on_time), c.get_rating_display() if c.rating else "",
        ]
        if with_identity:
            allowed = can_view_identity(user, c)
            row += [c.reporter_name if allowed else "", c.reporter_phone if allowed else "",
                    c.reporter_email if allowed else "", _yes(c.anonymous)]
            if allowed and c.has_identity:
                logged.append(ComplaintEvent(complaint=c, action=Action.IDENTITY_EXPORT, from_state=c.state,
                                             to_state=c.state, actor=user,
                                             actor_name=user.get_full_name() or user.get_username()))
        rows.append(row)
    ComplaintEvent.objects.bulk_create(logged)
    return header, rows


def complaint_photo_for(*, user, attachment_id: int, thumbnail: bool = False):
    """The file of a complaint photo if `user` may see its complaint, else None."""
    from .models import Attachment

    attachment = (Attachment.objects.filter(pk=attachment_id)
                  .filter(complaint__in=Complaint.objects.visible_to(user)).first())
    if attachment is None:
        return None
    return attachment.thumbnail if thumbnail else attachment.image


def action_photo_for(*, user, photo_id: int, thumbnail: bool = False):
    """The file of a staff action's photo if `user` may see its complaint, else None."""
    from .models import ActionPhoto

    photo = (ActionPhoto.objects.filter(pk=photo_id)
             .filter(event__complaint__in=Complaint.objects.visible_to(user)).first())
    if photo is None:
        return None
    return photo.thumbnail if thumbnail else photo.image


def awaiting_for_user(user):
    """The triage queue's default content for a user: waiting for acceptance in their grids, nearest
    deadline first."""
    return Complaint.objects.visible_to(user).awaiting_triage().by_deadline().for_list()


__all__ = [
    "EXPORT_COLUMNS", "IDENTITY_COLUMNS", "awaiting_for_user", "complaint_assignable_users",
    "complaint_export_rows", "complaint_period_counts", "complaint_photo_for", "public_state_label",
    "public_summary", "public_timeline",
]


def complaint_period_counts(*, start, end, township_ids) -> dict[int, dict[str, int]]:
    """Per township, complaints received (submitted_at) and finished (closed_at: 办结, 不予受理 or 转办)
    in [start, end), and of those closed through 办结 with an on-time flag, how many and how many on time
    (the dashboard's rule). One grouped query; townships with none are missing."""
    received = Q(submitted_at__gte=start, submitted_at__lt=end)
    finished = Q(closed_at__gte=start, closed_at__lt=end, state__in=FINISHED_STATES)
    counted = finished & Q(state=State.CLOSED, closed_on_time__isnull=False)
    rows = (Complaint.objects.filter(township_id__in=township_ids).filter(received | finished).order_by()
            .values("township_id").annotate(received=Count("id", filter=received),
                                            finished=Count("id", filter=finished),
                                            closed_counted=Count("id", filter=counted),
                                            on_time=Count("id", filter=counted & Q(closed_on_time=True))))
    return {row.pop("township_id"): row for row in rows}


def complaint_year_figures(*, year: int, township_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per township, one grouped query: complaints received in `year`, of them accepted and accepted by the
    acceptance deadline; finished through 办结 in the year with an on-time flag (closed_counted) and on time
    (as the staff dashboard counts them); rated in the year, and rated 基本满意 or better (satisfied)."""
    from django.db.models import Count, F, Q

    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
    received = Q(submitted_at__gte=start, submitted_at__lt=end)
    closed = Q(state=State.CLOSED, closed_on_time__isnull=False, closed_at__gte=start, closed_at__lt=end)
    rated = Q(rating__isnull=False, rated_at__gte=start, rated_at__lt=end)
    rows = (Complaint.objects.filter(township_id__in=township_ids).filter(received | closed | rated).order_by()
            .values("township_id")
            .annotate(received=Count("id", filter=received),
                      accepted=Count("id", filter=received & Q(accepted_at__isnull=False)),
                      accepted_on_time=Count("id", filter=received & Q(accepted_at__date__lte=F("accept_due"))),
                      closed_counted=Count("id", filter=closed),
                      closed_on_time=Count("id", filter=closed & Q(closed_on_time=True)),
                      rated=Count("id", filter=rated),
                      satisfied=Count("id", filter=rated & Q(rating__gte=Rating.ACCEPTABLE))))
    empty = dict.fromkeys(("received", "accepted", "accepted_on_time", "closed_counted", "closed_on_time", "rated",
                           "satisfied"), 0)
    figures = {pk: dict(empty) for pk in township_ids}
    for row in rows:
        figures[row.pop("township_id")] = row
    return figures
