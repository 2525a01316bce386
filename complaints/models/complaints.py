"""The complaint or report itself (投诉举报), its states, and the querysets the back office reads."""

import datetime
import functools
import operator
import re

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disclosure.models import Grid, GridLevel

# Staff's internal number of a complaint: the year received and the record's id, e.g. 2026-00123.
INTERNAL_NUMBER = re.compile(r"(\d{4})\s*[-－—]\s*0*(\d{1,10})")

# Tracking codes (查询码): the producer codes' alphabet without look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B),
# so a code read aloud over the phone or copied from a receipt is unambiguous. 12 characters from 25
# give 25**12 ≈ 6 × 10**16 codes: with look-ups rate-limited, guessing one is hopeless.
TRACKING_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
TRACKING_LENGTH = 12
TRACKING_GROUP = 4


def format_tracking_code(code: str) -> str:
    """ABCDEFGHJKMN → ABCD-EFGH-JKMN, the form printed on receipts."""
    return "-".join(code[i : i + TRACKING_GROUP] for i in range(0, len(code), TRACKING_GROUP))


class Kind(models.TextChoices):
    """投诉 is a complaint about a product or producer; 举报 reports an illegal practice."""

    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")


KIND_HELP = {
    Kind.COMPLAINT: _("买到或发现有质量安全问题的农产品，或对某个生产主体有意见。"),
    Kind.REPORT: _("发现违法违规行为，例如使用禁用农药兽药、非法添加、销售禁用农资。"),
}


class Category(models.TextChoices):
    BANNED_PESTICIDE = "banned_pesticide", _("使用国家禁用、限用农药")
    VET_DRUG = "vet_drug", _("兽药滥用或不执行休药期")
    ILLEGAL_ADDITIVE = "illegal_additive", _("非法添加或违规使用保鲜剂、防腐剂")
    RESIDUE = "residue", _("农药兽药残留超标")
    CERTIFICATE = "certificate", _("未开具或伪造承诺达标合格证")
    INPUT_SHOP = "input_shop", _("农资店销售禁用、限用产品")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    """How a complaint reached us. Staff record the offline ones on the same lifecycle."""

    WEB = "web", _("网上提交")
    OPEN311 = "open311", _("系统接口")
    PHONE = "phone", _("电话")
    IN_PERSON = "in_person", _("来访")
    HOTLINE_12345 = "hotline_12345", _("12345热线转办")
    LETTER = "letter", _("来信或邮箱")


OFFLINE_CHANNELS = (Channel.PHONE, Channel.IN_PERSON, Channel.HOTLINE_12345, Channel.LETTER)


class State(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    TRANSFERRED = "transferred", _("已转其他部门")
    ASSIGNED = "assigned", _("已分派")
    INVESTIGATING = "investigating", _("调查核实中")
    RECTIFYING = "rectifying", _("限期整改中")
    RECTIFIED = "rectified", _("整改已复查")
    REFERRED = "referred", _("已移送执法")
    REPLY_DRAFTED = "reply_drafted", _("答复待审核")
    REPLY_APPROVED = "reply_approved", _("答复已审核")
    CLOSED = "closed", _("已办结")
    REOPENED = "reopened", _("重新办理")


# States in which nothing more happens (closing can be undone by reopening).
FINISHED_STATES = (State.CLOSED, State.NOT_ACCEPTED, State.TRANSFERRED)
# Accepted and not finished: the 60-day clock runs in these (unless paused for the laboratory).
IN_HAND_STATES = (
    State.ACCEPTED, State.ASSIGNED, State.INVESTIGATING, State.RECTIFYING, State.RECTIFIED, State.REFERRED,
    State.REPLY_DRAFTED, State.REPLY_APPROVED, State.REOPENED,
)
OPEN_STATES = (State.SUBMITTED, *IN_HAND_STATES)


class Rating(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    ACCEPTABLE = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


def county_of(grid: Grid) -> Grid | None:
    """The county (市级网格) a grid lies in: itself for a county, None above the counties."""
    return grid.ancestor(GridLevel.CITY)


def _scope_rows(user):
    """(id, level, parent id) of each grid a user covers, or None when they cover everything."""
    if user.is_superuser:
        return None
    rows = list(Grid.objects.covered_by(user).values_list("pk", "level", "parent_id"))
    if any(parent is None for _pk, _level, parent in rows):  # a role on the top of the tree
        return None
    return rows


def _scope(user):
    """A user's grids as (county ids, township ids, other grid ids), or None when they cover everything.

    A county in scope brings all its townships and villages, so its complaints are matched on their county
    column; a township in scope brings all its villages, so complaints are matched on their township column;
    grids outside a covered township (a coordinator's village) are matched on their grid."""
    rows = _scope_rows(user)
    if rows is None:
        return None
    counties = {pk for pk, level, _parent in rows if level == GridLevel.CITY}
    townships = {pk for pk, level, parent in rows if level == GridLevel.TOWNSHIP and parent not in counties}
    inside = counties | {pk for pk, level, _parent in rows if level == GridLevel.TOWNSHIP}
    others = {pk for pk, level, parent in rows
              if level not in (GridLevel.CITY, GridLevel.TOWNSHIP) and parent not in inside}
    return counties, townships, others


def _scope_ids(user):
    """Ids of the grids a user covers, or None when they cover everything."""
    rows = _scope_rows(user)
    return None if rows is None else {pk for pk, _level, _parent in rows}


class ComplaintQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The complaints a staff user may see: their grids' (village, township and its villages, or all)."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if not user.has_perm("complaints.view_complaint"):
            return self.none()
        scope = _scope(user)
        if scope is None:
            return self
        matches = [models.Q(**{f"{column}__in": ids}) for column, ids in zip(
            ("county_id", "township_id", "grid_id"), scope, strict=True) if ids]
        if not matches:
            return self.none()
        return self.filter(functools.reduce(operator.or_, matches))

    def counties_fill(self) -> int:
        """Give a county to the complaints saved without one (bulk_create and set-based SQL skip save()): their
        township's county, or their grid when it is a county grid. Two statements; returns how many."""
        missing = self.filter(county__isnull=True)
        done = missing.filter(township__isnull=False).update(
            county_id=models.Subquery(Grid.objects.filter(pk=models.OuterRef("township_id")).values("parent_id")[:1]))
        return done + missing.filter(township__isnull=True, grid__level=GridLevel.CITY).update(
            county_id=models.F("grid_id"))

    def in_state(self, *states):
        """Complaints in any of the given states."""
        return self.filter(state__in=states)

    def awaiting_triage(self):
        """Received and not yet decided on (待受理): the triage queue's default view."""
        return self.filter(state=State.SUBMITTED)

    def numbered(self, text: str):
        """The complaint with this internal number (e.g. 2026-00123, as staff see and cite it); none if the
        text is not such a number."""
        match = INTERNAL_NUMBER.fullmatch((text or "").strip())
        if not match:
            return self.none()
        year, pk = int(match.group(1)), int(match.group(2))
        return self.filter(pk=pk, submitted_at__year=year) if pk < 2**31 else self.none()

    def open(self):
        """Not finished: waiting for acceptance or being handled."""
        return self.filter(state__in=OPEN_STATES)

    def finished(self):
        """Closed, not accepted, or transferred to another department."""
        return self.filter(state__in=FINISHED_STATES)

    def paused(self):
        """Being handled with the clock stopped while samples are at the laboratory."""
        return self.filter(paused_since__isnull=False)

    def overdue(self, on: datetime.date | None = None):
        """Past a deadline on `on` (today by default): acceptance not decided in time, or handling not
        finished in time with the clock running. A paused complaint is never overdue for finishing."""
        on = on or timezone.localdate()
        return self.filter(due_on__lt=on, paused_since__isnull=True)

    def rectification_overdue(self, on: datetime.date | None = None):
        """Rectification ordered and its deadline passed without a re-check."""
        on = on or timezone.localdate()
        return self.filter(state=State.RECTIFYING, rectification_due__lt=on)

    def assigned_to(self, user):
        """"Mine": the complaints a user has been assigned."""
        return self.filter(assignee=user)

    def in_grid(self, grid: Grid):
        """Complaints routed to a grid or to any grid below it."""
        if grid.parent_id is None:
            return self.all()
        if grid.level == GridLevel.CITY:
            return self.filter(county=grid)
        if grid.level not in (GridLevel.TOWNSHIP, GridLevel.VILLAGE):
            return self.filter(grid__path__startswith=grid.path)
        if grid.level == GridLevel.TOWNSHIP:
            return self.filter(township=grid)
        return self.filter(grid=grid)

    def by_deadline(self):
        """Nearest deadline first (finished ones, which have none, last)."""
        return self.order_by(models.F("due_on").asc(nulls_last=True), "submitted_at", "id")

    def for_list(self):
        """What a list row shows without further queries."""
        return self.select_related("grid", "grid__parent", "township", "assignee", "producer")

    def counts_by_state(self) -> dict[str, int]:
        """{state: count} over this queryset, every state present (zero when none)."""
        counts = dict.fromkeys(State.values, 0)
        for row in self.order_by().values("state").annotate(n=models.Count("id")):
            counts[row["state"]] = row["n"]
        return counts


class Complaint(models.Model):
    """A complaint (投诉) or report (举报) about agricultural-product quality safety, and its handling.

    The reporter's identity (name, phone, e-mail) is confidential: read it through
    complaints.services.complaint_reporter_identity(), which checks the permission and logs the view.
    """

    tracking_code = models.CharField(_("查询码"), max_length=TRACKING_LENGTH, unique=True, editable=False)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    category = models.CharField(_("问题类别"), max_length=20, choices=Category.choices)
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    external_ref = models.CharField(_("外部编号"), max_length=50, blank=True,
                                    help_text=_("例如12345热线的工单号。"))
    description = models.TextField(_("问题描述"), max_length=2000)
    producer = models.ForeignKey("disclosure.Producer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="complaints", verbose_name=_("涉及生产主体"))
    producer_text = models.CharField(_("生产主体（群众填写）"), max_length=100, blank=True,
                                     help_text=_("群众填写但未能对应到名录的名称。"))
    place_township = models.ForeignKey(Grid, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("发生地乡镇"))
    place_village = models.ForeignKey(Grid, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("发生地村"))
    address = models.CharField(_("详细地点"), max_length=200, blank=True)
    # Routing: the grid responsible now, and its township (kept alongside for scope and statistics).
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="complaints",
                             verbose_name=_("办理网格"))
    township = models.ForeignKey(Grid, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("办理乡镇"))
    # The county (市级网格) of `grid`, kept with it (save(), 改派): a county's staff see their complaints by one
    # indexed column, however many there are. None for a complaint at a prefecture's or the region's grid.
    county = models.ForeignKey(Grid, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               editable=False, verbose_name=_("办理县（市）"))
    # The reporter (confidential).
    reporter_name = models.CharField(_("反映人姓名"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("反映人电话"), max_length=30, blank=True)
    reporter_email = models.EmailField(_("反映人邮箱"), blank=True)
    anonymous = models.BooleanField(_("匿名"), default=False)
    consent_at = models.DateTimeField(_("同意告知时间"), null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(
        _("个人信息清除时间"), null=True, blank=True, editable=False,
        help_text=_("办结满保存期限后，反映人身份和照片已清除；投诉举报的事实保留。"))
    # Lifecycle.
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.SUBMITTED)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False,
                                          help_text=_("每次办理操作加一，用于发现两人同时操作。"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="assigned_complaints", verbose_name=_("承办人"))
    submitted_at = models.DateTimeField(_("收到时间"), default=timezone.now)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # Deadlines, kept as dates so that queues filter and sort on them directly.
    accept_due = models.DateField(_("受理期限"))
    clock_started_on = models.DateField(_("办理起算日"), null=True, blank=True)
    finish_due = models.DateField(_("办结期限"), null=True, blank=True)
    # The deadline that matters now, kept by the services so that queues sort and filter on an index:
    # accept_due while waiting, finish_due while in hand, empty once finished.
    due_on = models.DateField(_("当前期限"), null=True, blank=True)
    paused_since = models.DateField(_("送检暂停计时起"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("累计暂停天数"), default=0)
    rectification_due = models.DateField(_("整改期限"), null=True, blank=True)
    transferred_to = models.CharField(_("转办部门"), max_length=100, blank=True)
    referred_to = models.CharField(_("移送机构"), max_length=100, blank=True)
    reply_text = models.TextField(_("答复意见"), blank=True, max_length=2000)
    # Who wrote the draft waiting for approval: they may not approve it themselves (separation of duties).
    reply_drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+",
                                         verbose_name=_("答复拟定人"))
    reply_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+",
                                          verbose_name=_("答复审核人"))
    reply_approved_at = models.DateTimeField(_("答复审核时间"), null=True, blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="duplicates", verbose_name=_("重复件的原件"))
    closed_on_time = models.BooleanField(_("按期办结"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    rating = models.PositiveSmallIntegerField(_("满意度评价"), null=True, blank=True, choices=Rating.choices)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    # Where it came from.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False,
                                      help_text="One per form shown: a repeated submit finds the first one.")
    open311_client = models.ForeignKey("complaints.Open311Client", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="complaints",
                                       verbose_name=_("接口调用方"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("登记人"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        ordering = ["-submitted_at", "-id"]
        permissions = [
            ("triage_complaint", "受理、不予受理、转办、合并重复件"),
            ("assign_complaint", "分派承办人"),
            ("handle_complaint", "调查核实、责令整改、复查、送检、拟定答复"),
            ("refer_complaint", "移送执法"),
            ("approve_reply", "审核答复"),
            ("close_complaint", "办结"),
            ("reopen_complaint", "重新办理已办结件"),
            ("reassign_complaint", "改派网格"),
            ("record_complaint", "登记电话、来访、来信和12345转办件"),
            ("view_reporter_identity", "查看反映人身份信息"),
            ("export_complaint", "导出投诉举报"),
        ]
        indexes = [
            models.Index(fields=["due_on"], name="complaint_due_on"),
            models.Index(fields=["state", "due_on"], name="complaint_state_due_on"),
            models.Index(fields=["township", "due_on"], name="complaint_township_due_on"),
            models.Index(fields=["grid", "due_on"], name="complaint_grid_due_on"),
            models.Index(fields=["township", "state"], name="complaint_township_state"),
            models.Index(fields=["assignee", "state"], name="complaint_assignee_state"),
            models.Index(fields=["submitted_at"], name="complaint_submitted_at"),
            # A county's dashboard counts from these alone (index-only on PostgreSQL, which keeps the included
            # columns; SQLite makes the index without them).
            models.Index(fields=["county", "township", "state"], include=["closed_on_time", "rating"],
                         name="complaint_county_twp_state"),
            models.Index(fields=["county", "due_on"], name="complaint_county_due_on"),
            models.Index(fields=["county", "submitted_at"], name="complaint_county_submitted"),
            models.Index(fields=["county", "closed_at"], name="complaint_county_closed_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                                   name="complaint_rating_1_to_5"),
            models.CheckConstraint(condition=~models.Q(duplicate_of=models.F("id")),
                                   name="complaint_not_duplicate_of_itself"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.display_code}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._counted_grid_id = instance.__dict__.get("grid_id")
        return instance

    def save(self, *args, **kwargs):
        """Keep `county` with `grid`: set when missing or when the grid changed since it was loaded."""
        grid_id = self.__dict__.get("grid_id")
        missing = self.__dict__.get("county_id", 0) is None
        if grid_id and (missing or grid_id != getattr(self, "_counted_grid_id", grid_id)):
            self.county = county_of(self.grid)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "county"}
        super().save(*args, **kwargs)
        self._counted_grid_id = self.__dict__.get("grid_id")

    @property
    def display_code(self) -> str:
        """The reporter's tracking code, formatted (the reporter's key: staff messages use internal_number)."""
        return format_tracking_code(self.tracking_code)

    @property
    def internal_number(self) -> str:
        """The number staff cite: the year received and the record's id, e.g. 2026-00123."""
        received = timezone.localtime(self.submitted_at) if self.submitted_at else timezone.now()
        return f"{received.year}-{self.pk:05d}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    def compute_due_on(self) -> datetime.date | None:
        """The deadline that matters in the current state (what `due_on` must hold)."""
        if self.state == State.SUBMITTED:
            return self.accept_due
        if self.state in IN_HAND_STATES:
            return self.finish_due
        return None

    @property
    def deadline(self) -> datetime.date | None:
        """The deadline that matters now: acceptance while waiting, finishing while in hand."""
        return self.compute_due_on()

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        if self.state == State.SUBMITTED:
            return self.accept_due < on
        if self.state in IN_HAND_STATES and not self.is_paused and self.finish_due:
            return self.finish_due < on
        return False

    @property
    def has_identity(self) -> bool:
        return bool(self.reporter_name or self.reporter_phone or self.reporter_email)

    @property
    def place_label(self) -> str:
        """Township and village names: the only part of the place that public pages show."""
        if self.place_village_id:
            return self.place_village.full_name
        if self.place_township_id:
            return self.place_township.name
        return ""
