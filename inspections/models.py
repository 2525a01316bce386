"""Daily inspections (附件1 第五条–第七条): the yearly plan, inspection records, samples and tests.

The frequency rules are a site setting the city keeps (InspectionRules). A township's plan holds one
PlannedVisit per visit due; an Inspection records a visit (or an unplanned one) with the seven items of
第六条; Samples taken on the spot get rapid tests (速测) and, when positive or suspect, a commissioned
quantitative test (LabTest). Rectification and referral are casework's, shared with complaints.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from disclosure.models import Grid, GridLevel, Producer, Substance
from portal.storage import PrivateStorage


@register_setting(icon="list-ul")
class InspectionRules(BaseGenericSetting):
    """巡查频次规则 (附件1 第五条), kept by the city. Every township's plan is generated from these."""

    main_per_year = models.PositiveSmallIntegerField(
        _("企业、合作社、家庭农场、储藏保鲜主体每年至少巡查次数"), default=2,
        validators=[MinValueValidator(1), MaxValueValidator(24)])
    scale_per_year = models.PositiveSmallIntegerField(
        _("规模种植养殖户每年至少巡查次数"), default=1, validators=[MinValueValidator(1), MaxValueValidator(24)])
    key_per_year = models.PositiveSmallIntegerField(
        _("重点监管名录主体每年巡查次数"), default=4, validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("信用等级为B、C类或风险等级为高的主体。"))
    input_shop_per_year = models.PositiveSmallIntegerField(
        _("农资经营店每年巡查次数"), default=1, validators=[MaxValueValidator(24)])
    small_share_default = models.PositiveSmallIntegerField(
        _("散户重点抽查比例（%），乡镇未选时使用"), default=20,
        validators=[MinValueValidator(0), MaxValueValidator(100)])
    peak_extra_visits = models.PositiveSmallIntegerField(
        _("高峰期增加巡查次数"), default=1, validators=[MaxValueValidator(12)],
        help_text=_("乡镇选定用药高峰期、集中上市期的月份后，每个需巡查的主体在这些月份增加的次数。"))

    class Meta:
        verbose_name = _("巡查频次规则")


class Visit(models.TextChoices):
    """Why a visit is on the plan."""

    REQUIRED = "required", _("规定频次")
    KEY = "key", _("重点监管")
    PEAK = "peak", _("高峰期加密")
    SPOT = "spot", _("散户抽查")
    EXTRA = "extra", _("乡镇增加")


class InspectionPlan(models.Model):
    """年度日常巡查计划: one per township and year."""

    township = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="inspection_plans",
                                 limit_choices_to={"level": GridLevel.TOWNSHIP}, verbose_name=_("乡镇"))
    year = models.PositiveSmallIntegerField(_("年度"))
    small_share = models.PositiveSmallIntegerField(_("散户抽查比例（%）"), default=20,
                                                   validators=[MaxValueValidator(100)])
    peak_months = models.CharField(_("高峰期月份"), max_length=40, blank=True,
                                   help_text=_("用药高峰期、集中上市期，例如 6,7,9。"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("年度巡查计划")
        verbose_name_plural = _("年度巡查计划")
        constraints = [models.UniqueConstraint(fields=["township", "year"], name="one_plan_per_township_year")]
        ordering = ["-year", "township__sort_order"]
        permissions = [("manage_plan", _("可以生成和调整巡查计划"))]

    def __str__(self):
        return f"{self.township} {self.year}"

    @property
    def peak_month_list(self) -> list[int]:
        return sorted({int(m) for m in self.peak_months.split(",") if m.strip().isdigit() and 1 <= int(m) <= 12})


class PlannedVisitQuerySet(models.QuerySet):
    def for_month(self, year: int, month: int):
        return self.filter(plan__year=year, month=month)

    def open(self):
        return self.filter(inspection__isnull=True)


class PlannedVisit(models.Model):
    """One visit on a plan: which producer, in which month, by whom. `version` guards offline edits."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="visits")
    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="planned_visits",
                                 verbose_name=_("生产主体"))
    month = models.PositiveSmallIntegerField(_("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    reason = models.CharField(_("原因"), max_length=10, choices=Visit.choices, default=Visit.REQUIRED)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="planned_visits", verbose_name=_("负责人"))
    inspection = models.OneToOneField("Inspection", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="planned_visit", verbose_name=_("巡查记录"))
    version = models.PositiveIntegerField(default=1)

    objects = PlannedVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("计划巡查")
        verbose_name_plural = _("计划巡查")
        ordering = ["month", "producer__name", "id"]
        indexes = [models.Index(fields=["plan", "month"]), models.Index(fields=["assignee", "month"])]

    def __str__(self):
        return f"{self.producer} · {self.month}"


class PlanChange(models.Model):
    """Every change to a plan (generation, moving, assigning, adding, removing a visit), kept."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    user_name = models.CharField(max_length=80, blank=True)
    description = models.TextField(max_length=1000)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.plan} · {self.at:%Y-%m-%d %H:%M}"


class Item(models.IntegerChoices):
    """The seven items of a daily inspection (附件1 第六条)."""

    RECORDS = 1, _("生产记录制度落实情况")
    INPUT_PURCHASE = 2, _("农业投入品购买管理情况")
    DRUG_USE = 3, _("农药兽药使用情况（超范围、超剂量使用，安全间隔期、休药期，禁限用药物、非法添加）")
    ADDITIVES = 4, _("保鲜剂、防腐剂、添加剂等使用情况")
    WASTE = 5, _("农业投入品废弃物处置情况")
    CERTIFICATES = 6, _("食用农产品达标合格证和追溯凭证开具、使用情况")
    OTHER = 7, _("其他需要巡查的情况")


class Result(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")
    NA = "na", _("不适用")


class Kind(models.TextChoices):
    ROUTINE = "routine", _("日常巡查")
    FOLLOW_UP = "follow_up", _("整改复查")
    HAZARD = "hazard", _("隐患排查（协管员）")


class InspectionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed=True)

    def awaiting_confirmation(self):
        return self.filter(confirmed=False)

    def visible_to(self, user):
        return self.filter(producer__in=Producer.objects.visible_to(user))

    def in_year(self, year: int):
        return self.filter(inspected_on__year=year)


class Inspection(models.Model):
    """巡查记录: one visit to one producer with the seven items, who was there and what was found."""

    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="inspections",
                                 verbose_name=_("生产主体"))
    # The producer's township when inspected, kept so coverage counts per township in one indexed query.
    township = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.ROUTINE)
    inspected_on = models.DateField(_("巡查日期"))
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="inspections",
                                        verbose_name=_("巡查人员"))
    inspector_names = models.CharField(_("巡查人员"), max_length=200)
    representative = models.CharField(_("生产主体在场人员"), max_length=50, blank=True)
    other_findings = models.TextField(_("其他发现"), max_length=2000, blank=True)
    failed_items = models.PositiveSmallIntegerField(_("不符合项数"), default=0, editable=False)
    confirmed = models.BooleanField(_("已确认"), default=True,
                                    help_text=_("协管员记录的隐患排查，由乡镇监管员确认后计入。"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("确认人"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    # Set by the phone that made the record offline: the same record sent twice is stored once.
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    conflict_note = models.CharField(_("同步提示"), max_length=300, blank=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡查记录")
        verbose_name_plural = _("巡查记录")
        ordering = ["-inspected_on", "-id"]
        indexes = [models.Index(fields=["producer", "-inspected_on"]),
                   models.Index(fields=["township", "inspected_on"]),
                   # Coverage counts each producer's confirmed inspections of a year: an index-only scan on
                   # PostgreSQL (township included), where a million rows took seconds without it.
                   models.Index(fields=["producer", "inspected_on"], include=["township"],
                                condition=models.Q(confirmed=True), name="inspection_confirmed_cov")]
        permissions = [("confirm_inspection", _("可以确认协管员的隐患排查记录"))]

    def __str__(self):
        return f"{self.producer} · {self.inspected_on}"


class InspectionItem(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="items")
    item = models.PositiveSmallIntegerField(_("巡查内容"), choices=Item.choices)
    result = models.CharField(_("结果"), max_length=4, choices=Result.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        ordering = ["item"]
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="one_result_per_item")]

    def __str__(self):
        return f"{self.get_item_display()} · {self.get_result_display()}"


def _photo_path(instance, filename):
    return f"inspections/photos/{uuid.uuid4().hex}.jpg"


def _thumb_path(instance, filename):
    return f"inspections/thumbs/{uuid.uuid4().hex}.jpg"


class InspectionPhoto(models.Model):
    """A photo taken during an inspection, re-encoded without metadata and kept privately."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    item = models.PositiveSmallIntegerField(_("巡查内容"), choices=Item.choices, null=True, blank=True)
    image = models.FileField(storage=PrivateStorage(), upload_to=_photo_path, max_length=200)
    thumbnail = models.FileField(storage=PrivateStorage(), upload_to=_thumb_path, max_length=200)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.inspection_id} · {self.pk}"


class Sample(models.Model):
    """抽样 (附件1 第七条): a sample with its own number, printed on its label."""

    number = models.CharField(_("样品编号"), max_length=20, unique=True, editable=False)
    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="samples",
                                 verbose_name=_("生产主体"))
    township = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="samples", verbose_name=_("巡查记录"))
    product = models.CharField(_("样品名称"), max_length=50)
    place = models.CharField(_("抽样地点"), max_length=100)
    quantity = models.CharField(_("抽样数量"), max_length=30, blank=True)
    taken_at = models.DateTimeField(_("抽样时间"))
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("抽样人"))
    taken_by_name = models.CharField(_("抽样人"), max_length=80)
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("样品")
        verbose_name_plural = _("样品")
        ordering = ["-taken_at", "-id"]
        indexes = [models.Index(fields=["township", "taken_at"])]

    def __str__(self):
        return f"{self.number} {self.product}"


class Method(models.TextChoices):
    ENZYME = "enzyme", _("酶抑制法（有机磷和氨基甲酸酯类农药）")
    GOLD = "gold", _("胶体金免疫层析法（兽药等）")
    OTHER = "other", _("其他快速检测方法")


class Outcome(models.TextChoices):
    NEGATIVE = "negative", _("阴性")
    POSITIVE = "positive", _("阳性")
    SUSPECT = "suspect", _("可疑")


class RapidTest(models.Model):
    """速测 at the township station (附件1 第七条)."""

    sample = models.ForeignKey(Sample, on_delete=models.PROTECT, related_name="rapid_tests",
                               verbose_name=_("样品"))
    method = models.CharField(_("检测方法"), max_length=10, choices=Method.choices)
    target = models.CharField(_("检测项目"), max_length=60, help_text=_("药物或类别，例如 有机磷和氨基甲酸酯类农药。"))
    substance = models.ForeignKey(Substance, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("禁限用药物"))
    result = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    inhibition_rate = models.DecimalField(_("抑制率（%）"), max_digits=5, decimal_places=1, null=True, blank=True)
    tested_on = models.DateField(_("检测日期"))
    tested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("检测人"))
    tested_by_name = models.CharField(_("检测人"), max_length=80)

    class Meta:
        verbose_name = _("快速检测")
        verbose_name_plural = _("快速检测")
        ordering = ["-tested_on", "-id"]
        # Months and years of tests are counted by date (quotas, monthly reports, assessment, results).
        indexes = [models.Index(fields=["tested_on"], name="rapidtest_tested_on")]

    def __str__(self):
        return f"{self.sample.number} · {self.target} · {self.get_result_display()}"

    @property
    def needs_lab(self) -> bool:
        return self.result in (Outcome.POSITIVE, Outcome.SUSPECT)


class Verdict(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class LabTest(models.Model):
    """委托定量检测: a laboratory's measured value against the limit, confirming a rapid test."""

    sample = models.ForeignKey(Sample, on_delete=models.PROTECT, related_name="lab_tests", verbose_name=_("样品"))
    rapid_test = models.ForeignKey(RapidTest, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="lab_tests", verbose_name=_("对应快速检测"))
    lab = models.CharField(_("检测机构"), max_length=100)
    report_number = models.CharField(_("检测报告编号"), max_length=50)
    target = models.CharField(_("检测项目"), max_length=60)
    substance = models.ForeignKey(Substance, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("禁限用药物"))
    value = models.DecimalField(_("检测值"), max_digits=12, decimal_places=4, null=True, blank=True,
                                help_text=_("未检出时留空。"))
    limit = models.DecimalField(_("限量值"), max_digits=12, decimal_places=4)
    unit = models.CharField(_("单位"), max_length=20, help_text=_("例如 mg/kg。"))
    verdict = models.CharField(_("结论"), max_length=4, choices=Verdict.choices, editable=False)
    reported_on = models.DateField(_("报告日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("定量检测")
        verbose_name_plural = _("定量检测")
        ordering = ["-reported_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["lab", "report_number", "target"],
                                               name="one_result_per_report_target")]

    def __str__(self):
        return f"{self.report_number} · {self.target} · {self.get_verdict_display()}"
