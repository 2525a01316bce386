"""Reads for the back office's screens: the dashboard's figures and the home panel's summary.

Everything starts from `Complaint.objects.visible_to(user)`, so each user counts only their own grids.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from complaints.models import FINISHED_STATES, OPEN_STATES, Complaint, State
from complaints.selectors import complaint_counts
from disclosure.models import Grid
from gridwork.models import CountyFigures
from gridwork.services.scope import counties_kept


@dataclass
class TownshipRow:
    """One township's line on the dashboard (township None: complaints still at the city grid)."""

    township: Grid | None
    by_state: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    closed_counted: int = 0  # closed through 办结 with an on-time flag (duplicates and refusals are not)
    closed_on_time: int = 0
    rated: int = 0      # rated by the reporter
    satisfied: int = 0  # rated 基本满意 or better

    @property
    def total(self) -> int:
        return sum(self.by_state.values())

    @property
    def open(self) -> int:
        return sum(n for state, n in self.by_state.items() if state in OPEN_STATES)

    @property
    def awaiting(self) -> int:
        return self.by_state.get(State.SUBMITTED, 0)

    @property
    def in_hand(self) -> int:
        return self.open - self.awaiting

    @property
    def finished(self) -> int:
        """办结, 不予受理 and 转办: with 待受理 and 办理中 this makes up 合计."""
        return sum(n for state, n in self.by_state.items() if state in FINISHED_STATES)

    @property
    def satisfaction(self) -> float | None:
        """Share of the reporters' ratings that are 基本满意 or better; None when nobody rated."""
        return self.satisfied / self.rated if self.rated else None

    def add_counts(self, counts: dict) -> None:
        """Take complaint_counts' figures for this line (by state added; the others set)."""
        for state, n in counts.get("by_state", {}).items():
            if state in self.by_state:
                self.by_state[state] += n
        for name in ("overdue", "closed_counted", "closed_on_time", "rated", "satisfied"):
            setattr(self, name, counts.get(name, 0))

    @classmethod
    def sum_of(cls, rows: list["TownshipRow"]) -> "TownshipRow":
        """The 合计 line: every column the sum of the rows'."""
        total = cls(township=None, by_state=dict.fromkeys(State.values, 0))
        for row in rows:
            for state, n in row.by_state.items():
                total.by_state[state] += n
            for name in ("overdue", "closed_counted", "closed_on_time", "rated", "satisfied"):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        return total

    @property
    def on_time_rate(self) -> float | None:
        """Closed on or before the finishing deadline / closed; None when nothing was closed yet."""
        return self.closed_on_time / self.closed_counted if self.closed_counted else None


@dataclass
class WeekPoint:
    start: datetime.date  # the Monday
    received: int = 0
    closed: int = 0


@dataclass
class Dashboard:
    counts_by_state: dict[str, int]
    overdue: int
    townships: list[TownshipRow]
    weeks: list[WeekPoint]
    on: datetime.date
    total_row: TownshipRow | None = None
    start: datetime.date | None = None  # the period: complaints received from start to end (both included)
    end: datetime.date | None = None
    by_county: bool = False  # lines are counties, read from their summary rows (counties_dashboard)
    year: int | None = None
    as_of: datetime.datetime | None = None  # the oldest summary row's count
    uncounted: int = 0  # counties without a summary row for the year yet

    @property
    def total(self) -> int:
        return sum(self.counts_by_state.values())

    @property
    def open(self) -> int:
        return sum(self.counts_by_state[s] for s in OPEN_STATES)

    @property
    def finished(self) -> int:
        return sum(self.counts_by_state[s] for s in FINISHED_STATES)

    @property
    def closed_counted(self) -> int:
        return sum(row.closed_counted for row in self.townships)

    @property
    def on_time_rate(self) -> float | None:
        closed = self.closed_counted
        return sum(row.closed_on_time for row in self.townships) / closed if closed else None


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _week_of(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return _monday(value)


def weekly_trend(queryset, *, on: datetime.date, weeks: int = 12) -> list[WeekPoint]:
    """Complaints received and finished (closed_at: 办结, 不予受理 or 转办) per week, the last `weeks`
    weeks up to the week of `on`, oldest first; weeks without any are present with zeros."""
    first = _monday(on) - datetime.timedelta(weeks=weeks - 1)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    points = {first + datetime.timedelta(weeks=i): WeekPoint(first + datetime.timedelta(weeks=i))
              for i in range(weeks)}
    received = (queryset.filter(submitted_at__gte=start).annotate(week=TruncWeek("submitted_at"))
                .order_by().values("week").annotate(n=Count("*")))
    for row in received:
        point = points.get(_week_of(row["week"]))
        if point:
            point.received += row["n"]
    closed = (queryset.filter(closed_at__gte=start).annotate(week=TruncWeek("closed_at"))
              .order_by().values("week").annotate(n=Count("*")))
    for row in closed:
        point = points.get(_week_of(row["week"]))
        if point:
            point.closed += row["n"]
    return list(points.values())


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _townships_in_scope(user):
    """The townships whose line the user's dashboard shows, with or without complaints."""
    from disclosure.models import GridLevel
    from disclosure.services.grids import grids_for_user

    scope = grids_for_user(user)
    return (Grid.objects.filter(level=GridLevel.TOWNSHIP).filter(Q(pk__in=scope) | Q(children__in=scope))
            .distinct())


def complaint_dashboard(*, user, on: datetime.date | None = None, weeks: int = 12,
                        start: datetime.date | None = None, end: datetime.date | None = None) -> Dashboard:
    """The dashboard's figures over the complaints `user` may see, received from `start` to `end` (both
    optional): counts by state and township (every township in scope has its line), overdue, the on-time rate,
    the share satisfied, a 合计 line that sums the lines, and the weekly trend. Grouped queries whatever the
    data size."""
    on = on or timezone.localdate()
    everything = Complaint.objects.visible_to(user)
    visible = everything
    if start:
        visible = visible.filter(submitted_at__gte=_day_start(start))
    if end:
        visible = visible.filter(submitted_at__lt=_day_start(end + datetime.timedelta(days=1)))
    rows: dict[int | None, TownshipRow] = {}

    def row_for(township_id):
        if township_id not in rows:
            rows[township_id] = TownshipRow(township=None, by_state=dict.fromkeys(State.values, 0))
        return rows[township_id]

    townships = {g.pk: g for g in _townships_in_scope(user)}
    for township_id in townships:
        row_for(township_id)
    for township_id, counts in complaint_counts(visible, on=on).items():
        row_for(township_id).add_counts(counts)
    missing = [k for k in rows if k is not None and k not in townships]
    townships.update({g.pk: g for g in Grid.objects.filter(pk__in=missing)})
    for township_id, row in rows.items():
        row.township = townships.get(township_id)
    ordered = sorted(rows.values(), key=lambda r: (r.township is not None,
                                                   (r.township.sort_order, r.township.code) if r.township else ()))
    total = TownshipRow.sum_of(ordered)
    return Dashboard(counts_by_state=dict(total.by_state), overdue=total.overdue, townships=ordered,
                     weeks=weekly_trend(everything, on=on, weeks=weeks), on=on, total_row=total, start=start,
                     end=end)


def counties_dashboard(*, user, year: int) -> Dashboard | None:
    """For a user whose scope spans several counties (a prefecture's or the region's staff, superusers on a
    portal of several counties): a line per county with its complaints received in `year`, read from the
    counties' summary rows (gridwork CountyFigures, counted by the same rules as a county's own dashboard and
    kept current by background tasks) — two queries, never the millions of complaints below. None for a user
    who sees one county or none: their dashboard counts their complaints directly."""
    counties = list(counties_kept(user))
    if len(counties) < 2:
        return None
    stored = {row.county_id: row for row in CountyFigures.objects.filter(year=year, county__in=counties)}
    lines = []
    for county in counties:
        line = TownshipRow(township=county, by_state=dict.fromkeys(State.values, 0))
        line.add_counts(stored[county.pk].complaints if county.pk in stored else {})
        lines.append(line)
    total = TownshipRow.sum_of(lines)
    computed = [row.computed_at for row in stored.values()]
    return Dashboard(counts_by_state=dict(total.by_state), overdue=total.overdue, townships=lines, weeks=[],
                     on=timezone.localdate(), total_row=total, start=datetime.date(year, 1, 1),
                     end=datetime.date(year, 12, 31), by_county=True, year=year,
                     as_of=min(computed) if computed else None,
                     uncounted=sum(1 for county in counties if county.pk not in stored))


@dataclass
class QueueSummary:
    awaiting: int
    open: int
    overdue: int
    mine: int
    to_approve: int = 0


def queue_summary(*, user, on: datetime.date | None = None) -> QueueSummary:
    """The admin home's numbers: waiting for acceptance, open, overdue, open ones assigned to the user, and
    replies waiting for the user's approval (drafted by someone else) — one query."""
    on = on or timezone.localdate()
    # Every figure is of open complaints: counting only those lets an index skip the finished millions.
    result = Complaint.objects.visible_to(user).filter(state__in=OPEN_STATES).order_by().aggregate(
        awaiting=Count("id", filter=Q(state=State.SUBMITTED)),
        open=Count("id", filter=Q(state__in=OPEN_STATES)),
        overdue=Count("id", filter=Q(due_on__lt=on, paused_since__isnull=True)),
        mine=Count("id", filter=Q(assignee=user, state__in=OPEN_STATES)) if user.is_authenticated else Count(
            "id", filter=Q(pk__in=[])),
        to_approve=Count("id", filter=Q(state=State.REPLY_DRAFTED) & ~Q(reply_drafted_by=user))
        if user.has_perm("complaints.approve_reply") else Count("id", filter=Q(pk__in=[])),
    )
    return QueueSummary(**result)


# --- a complaint's log, shaped for the detail page ------------------------------------------------------

@dataclass
class TimelineEntry:
    """One line of a complaint's log as the back office shows it: who, when, what, from → to, notes."""

    at: datetime.datetime
    actor: str
    action: str
    label: str
    from_state: str
    to_state: str
    note_internal: str
    note_public: str
    is_public: bool
    facts: list[tuple[str, str, str]]  # (label, text, link)
    photos: list[int] = field(default_factory=list)  # ActionPhoto ids (staff only)

    @property
    def changed_state(self) -> bool:
        return bool(self.from_state and self.from_state != self.to_state)

    @property
    def from_label(self) -> str:
        return State(self.from_state).label if self.from_state else ""

    @property
    def to_label(self) -> str:
        return State(self.to_state).label if self.to_state else ""


def complaint_timeline(complaint: Complaint) -> tuple[list[TimelineEntry], list[TimelineEntry]]:
    """(the log without identity views, the identity views and exports), oldest first; the users, grids
    and complaints an entry refers to are named in three queries at most."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from complaints.models import Action, Channel

    events = list(complaint.events.chronological().prefetch_related("photos"))
    user_ids, grid_ids, complaint_ids = set(), set(), set()
    for e in events:
        d = e.data or {}
        user_ids.update(v for k in ("assignee", "previous_assignee", "unassigned") if isinstance(v := d.get(k), int))
        grid_ids.update(v for k in ("from_grid", "to_grid") if isinstance(v := d.get(k), int))
        complaint_ids.update(v for k in ("original", "duplicate") if isinstance(v := d.get(k), int))
    users = ({u.pk: u.get_full_name() or u.get_username()
              for u in get_user_model().objects.filter(pk__in=user_ids)} if user_ids else {})
    grids = ({g.pk: g.full_name for g in Grid.objects.filter(pk__in=grid_ids).select_related("parent")}
             if grid_ids else {})
    others = ({c.pk: c.internal_number for c in Complaint.objects.filter(pk__in=complaint_ids).only("submitted_at")}
              if complaint_ids else {})

    def facts(e) -> list[tuple[str, str, str]]:
        d, out = e.data or {}, []
        if "channel" in d and d["channel"] in Channel.values:
            out.append((_("来源"), str(Channel(d["channel"]).label), ""))
        if d.get("photos"):
            out.append((_("照片"), _("%(n)d张") % {"n": d["photos"]}, ""))
        if "assignee" in d:
            out.append((_("承办人"), users.get(d["assignee"], "—"), ""))
        if d.get("previous_assignee"):
            out.append((_("原承办人"), users.get(d["previous_assignee"], "—"), ""))
        if "from_grid" in d:
            out.append((_("改派"), f"{grids.get(d['from_grid'], '—')} → {grids.get(d.get('to_grid'), '—')}", ""))
        if d.get("unassigned"):
            out.append((_("取消分派"), _("%(name)s不负责新网格") % {"name": users.get(d["unassigned"], "—")}, ""))
        if "department" in d:
            out.append((_("转办部门"), d["department"], ""))
        if "agency" in d:
            out.append((_("移送机构"), d["agency"], ""))
        if "passed" in d:
            out.append((_("复查结果"), _("整改到位") if d["passed"] else _("未整改到位"), ""))
        if "rectification_due" in d:
            out.append((_("整改期限"), d["rectification_due"], ""))
        if "finish_due" in d:
            out.append((_("办结期限"), d["finish_due"], ""))
        if "paused" in d:
            out.append((_("暂停计时"), _("%(n)d天") % {"n": d["paused"]}, ""))
        if "on_time" in d:
            out.append((_("按期办结"), _("是") if d["on_time"] else _("否"), ""))
        for key, label in (("original", _("原件")), ("duplicate", _("重复件"))):
            if isinstance(d.get(key), int):
                out.append((label, others.get(d[key], "—"), reverse("triage:detail", args=[d[key]])))
        return out

    log, identity = [], []
    for e in events:
        entry = TimelineEntry(at=e.at, actor=e.actor_name or (_("反映人") if e.action in (
            Action.SUBMIT, Action.RATE) else "—"), action=e.action, label=e.get_action_display(),
            from_state=e.from_state, to_state=e.to_state, note_internal=e.note_internal,
            note_public=e.note_public if e.is_public else "", is_public=e.is_public, facts=facts(e),
            photos=[p.pk for p in e.photos.all()])
        (identity if e.action in (Action.IDENTITY_VIEW, Action.IDENTITY_EXPORT) else log).append(entry)
    return log, identity
