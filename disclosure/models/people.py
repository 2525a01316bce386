import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin
from wagtail.search import index

from ..validators import (
    is_personal_phone,
    is_valid_phone,
    normalise_phone,
    validate_personal_phone,
    validate_phone,
)
from .grids import Grid, GridLevel


class Role(models.TextChoices):
    """The grid roles of the city's plan (四、(二)) and its roster table."""

    CITY_FIRST = "city_first", _("监管第一责任人")
    SUPERVISOR = "supervisor", _("网格监管员")
    TESTER = "tester", _("乡镇监管站检测员")
    COORDINATOR = "coordinator", _("村级协管员")
    OVERSEER = "overseer", _("督导员")


# Which grid level each role is held on.
ROLE_LEVELS = {
    Role.CITY_FIRST: {GridLevel.CITY},
    Role.SUPERVISOR: {GridLevel.CITY, GridLevel.TOWNSHIP},
    Role.TESTER: {GridLevel.TOWNSHIP},
    Role.COORDINATOR: {GridLevel.VILLAGE},
    Role.OVERSEER: {GridLevel.REGION, GridLevel.PREFECTURE},
}

ROLE_DUTY_NOTE = {
    Role.CITY_FIRST: _("市农业农村局分管负责同志，对全市农产品质量安全网格化管理负总责。"),
    Role.SUPERVISOR: _("组织网格化管理，管理生产主体名录，开展技术指导、培训宣传、日常巡查，受理投诉举报。"),
    Role.TESTER: _("开展农产品快速检测和现场抽样。"),
    Role.COORDINATOR: _("掌握本村生产主体情况，协助隐患排查、检测抽样、用药指导、信息报送。"),
    Role.OVERSEER: _("督导所辖各县（市）的网格化管理，查看各县（市）的工作情况和统计数据。"),
}


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The people a staff user may see: those holding (or having held) a role in the grids they cover,
        and people with no role yet (just registered, waiting for one); everyone for superusers."""
        if user is not None and user.is_superuser:
            return self.all()
        grids = Grid.objects.covered_by(user)
        return self.filter(models.Q(assignments__grid__in=grids) | models.Q(assignments__isnull=True)).distinct()


class Person(RevisionMixin, index.Indexed, models.Model):
    """A person in the grid system (网格人员): supervisor, tester or coordinator."""

    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=80, blank=True)
    position_en = models.CharField(_("英文职务"), max_length=120, blank=True,
                                   help_text=_("英文页面显示的职务，例如 Head of the Sangong Town Agricultural Station；"
                                               "留空则显示岗位名称。"))
    organisation = models.CharField(_("单位"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, validators=[validate_phone],
                             help_text=_("手机号或带区号的固定电话，如 0994-2345678。"))
    phone_alt = models.CharField(_("备用电话"), max_length=30, blank=True, validators=[validate_phone])
    phone_public = models.BooleanField(_("公开电话"), default=True,
                                       help_text=_("取消后，公示页面和海报显示投诉举报电话代替本人电话。"))
    photo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("照片"))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="grid_person", verbose_name=_("后台账号"),
                                help_text=_("关联后，此人在后台能看到和处理的范围由其当前岗位决定。"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    # id: the back office's person chooser searches within the people of the user's grids.
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("id")]

    class Meta:
        verbose_name = _("网格人员")
        verbose_name_plural = _("网格人员")
        ordering = ["name", "id"]

    def __str__(self):
        return f"{self.name}（{self.position}）" if self.position else self.name

    def clean(self):
        self.phone = normalise_phone(self.phone)
        self.phone_alt = normalise_phone(self.phone_alt)
        # The fields accept public hotlines (validate_phone, which reports malformed numbers); a person's
        # number must be their own, so a service number such as 12345 is refused here.
        errors = {}
        for name in ("phone", "phone_alt"):
            value = getattr(self, name)
            if is_valid_phone(value) and not is_personal_phone(value):
                try:
                    validate_personal_phone(value)
                except ValidationError as exc:
                    errors[name] = exc.error_list
        if errors:
            raise ValidationError(errors)

    def current_assignments(self):
        """The roles this person holds today, with their grids."""
        return self.assignments.current().select_related("grid", "grid__parent")

    @property
    def display_position(self) -> str:
        """The job title in the visitor's language: the English one on English pages (none rather than
        Chinese: the role says what the person does), the Chinese one otherwise."""
        if translation.get_language() == "en":
            return self.position_en
        return self.position

    def public_phone(self, hotline: str) -> str:
        """The number the public sees: the person's own, or the complaints hotline if it is not published."""
        return self.phone if self.phone_public else hotline


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """Assignments in force on a day (today by default): started, and not yet ended."""
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(models.Q(end_date__isnull=True) | models.Q(end_date__gt=on))

    def history(self):
        """Newest first: who held which role when, ended assignments included."""
        return self.order_by("-start_date", "-id")

    def ended(self, on: datetime.date | None = None):
        """Assignments no longer in force on a day (today by default)."""
        on = on or timezone.localdate()
        return self.filter(end_date__isnull=False, end_date__lte=on)


class RoleAssignment(models.Model):
    """A person holding a role on a grid from a start date until an end date (任职记录).

    Replacing someone ends their assignment and starts the successor's on the same day, so the public
    sees the new holder at once and the history keeps who held the role when.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assignments",
                               verbose_name=_("人员"))
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("网格"))
    role = models.CharField(_("岗位"), max_length=20, choices=Role.choices)
    start_date = models.DateField(_("任职日期"), default=timezone.localdate)
    end_date = models.DateField(_("离任日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("任职记录")
        verbose_name_plural = _("任职记录")
        ordering = ["grid__sort_order", "role", "-start_date"]
        indexes = [models.Index(fields=["grid", "role", "end_date"])]
        permissions = [("import_roster", _("可以导入人员名单"))]

    def __str__(self):
        return f"{self.grid} · {self.get_role_display()} · {self.person.name}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date > today)

    def clean(self):
        errors = {}
        if self.grid_id and self.role and self.grid.level not in ROLE_LEVELS[Role(self.role)]:
            errors["role"] = _("%(role)s不能设在%(level)s上。") % {
                "role": self.get_role_display(), "level": self.grid.get_level_display()}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("离任日期不能早于任职日期。")
        if errors:
            raise ValidationError(errors)
