import datetime
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable, RevisionMixin

from ..validators import normalise_phone, validate_credit_code, validate_phone
from .grids import Grid, GridLevel

# Public codes: uppercase, no look-alike characters (0/O, 1/I/L, 2/Z, 5/S, 8/B), so a code read aloud
# or typed from a sign is unambiguous. They also fit QR alphanumeric mode.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 6

STALE_AFTER_DAYS = 365
KEY_GRADES = ("B", "C")  # credit grades that put a producer on the key supervision list  # the plan asks for the registry to be updated at least once a year


class ProducerKind(models.TextChoices):
    """Kinds of producer (生产主体) the plan names."""

    ENTERPRISE = "enterprise", _("生产企业")
    COOPERATIVE = "cooperative", _("农民合作社")
    FAMILY_FARM = "family_farm", _("家庭农场")
    LARGE_GROWER = "large_grower", _("规模种植养殖户")
    SMALLHOLDER = "smallholder", _("散户")
    INPUT_SHOP = "input_shop", _("农资经营店")
    STORAGE = "storage", _("初级产品储藏、保鲜经营主体")


# Kinds the plan wants 100% on the national or regional traceability platform (附件1 第四条).
TRACEABILITY_KINDS = (ProducerKind.ENTERPRISE, ProducerKind.COOPERATIVE, ProducerKind.FAMILY_FARM,
                      ProducerKind.LARGE_GROWER, ProducerKind.STORAGE)


class RiskLevel(models.TextChoices):
    """Quality-safety risk level (农产品质量安全风险等级), set by the township with a reason (附件1 第四条)."""

    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")
    UNASSESSED = "", _("未评估")


STANDARD_COMMITMENT = (
    "本单位郑重承诺：严格遵守《中华人民共和国农产品质量安全法》等法律法规，"
    "不使用国家禁用、限用的农药兽药及其他化合物，严格执行农药安全间隔期和兽药休药期规定，"
    "不非法添加有毒有害物质，如实记录农业投入品使用情况，落实食用农产品承诺达标合格证制度，"
    "对所生产农产品的质量安全负责，自觉接受政府监管和社会监督。"
)


class PublicCodeManager(models.Manager):
    def issue(self) -> str:
        """A fresh public code, recorded so that it is never issued again."""
        for _attempt in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:
                with transaction.atomic():
                    self.create(code=code)
            except IntegrityError:
                continue
            return code
        raise RuntimeError("could not find a free public code")


class PublicCode(models.Model):
    """Every public code ever issued, so that a code is never given to another producer."""

    code = models.CharField(max_length=12, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)

    objects = PublicCodeManager()

    class Meta:
        verbose_name = _("公示编码")
        verbose_name_plural = _("公示编码")

    def __str__(self):
        return self.code


class ProducerQuerySet(models.QuerySet):
    def published(self):
        """Producers shown to the public (their page, the directory, the signboard)."""
        return self.filter(published=True)

    def in_grid(self, grid: Grid):
        """Producers in a grid: a county's (or a prefecture's, the region's), a township's villages', or one
        village's."""
        if grid.parent_id is None:
            return self.all()
        if grid.level not in (GridLevel.TOWNSHIP, GridLevel.VILLAGE):
            return self.filter(village__path__startswith=grid.path)
        if grid.level == GridLevel.TOWNSHIP:
            return self.filter(village__parent=grid)
        return self.filter(village=grid)

    def served(self):
        """Producers of the place the request's site serves (every one on a portal serving one county)."""
        from ..sites import served_grid

        grid = served_grid()
        return self if grid is None else self.in_grid(grid)

    def key_supervision(self):
        """重点监管名录 (附件1 第四条): producers graded B (重点监控名单) or C (黑名单), or at high risk."""
        return self.filter(models.Q(grade__in=KEY_GRADES) | models.Q(risk_level=RiskLevel.HIGH))

    def stale(self, on: datetime.date | None = None):
        """Producers whose facts were last confirmed more than a year before `on` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(facts_confirmed_on__lt=on - datetime.timedelta(days=STALE_AFTER_DAYS))

    def for_public_display(self):
        """With the village, township and images that a public page or a signboard prints."""
        return self.select_related("village", "village__parent", "photo", "inspector_photo", "licence_image")

    def matching(self, query: str):
        """Name or products containing the query (a plain substring match, so Chinese substrings match)."""
        query = (query or "").strip()
        if not query:
            return self
        return self.filter(models.Q(name__icontains=query) | models.Q(products__icontains=query))

    def visible_to(self, user):
        """The producers a staff user may see and edit: those in the grids their current roles cover."""
        if user is not None and user.is_superuser:
            return self.all()
        return self.filter(village__in=Grid.objects.covered_by(user))


class Producer(RevisionMixin, ClusterableModel):
    """A producer (生产主体) on the registry (生产主体名录), with its public page and signboard."""

    code = models.CharField(_("公示编码"), max_length=12, unique=True, editable=False)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("单位类型"), max_length=20, choices=ProducerKind.choices)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True,
                                   help_text=_("18位；个人或散户没有可留空。"))
    legal_representative = models.CharField(_("法定代表人/负责人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True, validators=[validate_phone])
    address = models.CharField(_("地址"), max_length=200, blank=True)
    village = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="producers",
                                limit_choices_to={"level": GridLevel.VILLAGE}, verbose_name=_("所属村级网格"))
    products = models.CharField(_("主要产品"), max_length=200, blank=True)
    on_traceability_platform = models.BooleanField(_("已在国家追溯平台开展追溯"), default=False)
    traceability_code = models.CharField(_("追溯平台主体码"), max_length=40, blank=True)
    issues_certificates = models.BooleanField(_("已开具食用农产品承诺达标合格证"), default=False)
    self_commitment = models.BooleanField(_("进行自我承诺"), default=False)
    # 300 characters is what the signboard's commitment box holds above its footer (the sign's layout test).
    commitment_text = models.TextField(_("承诺书内容"), blank=True, default=STANDARD_COMMITMENT, max_length=300,
                                       help_text=_("印在公示牌上，最多300字。"))
    commitment_signed_on = models.DateField(_("承诺书签署日期"), null=True, blank=True)
    commitment_scan = models.FileField(
        _("承诺书签字扫描件"), upload_to="commitments/%Y/", blank=True,
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png"])],
        help_text=_("图片或PDF，不超过10MB。"))
    licence_image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("营业执照照片"))
    photo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("主体照片"))
    inspector_name = models.CharField(_("单位内检员姓名"), max_length=50, blank=True)
    inspector_phone = models.CharField(_("单位内检员电话"), max_length=30, blank=True, validators=[validate_phone])
    inspector_photo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("单位内检员照片"))
    published = models.BooleanField(_("公开"), default=True)
    facts_confirmed_on = models.DateField(_("信息核实日期"), default=timezone.localdate,
                                          help_text=_("最近一次核实本主体信息的日期；名录至少每年更新一次。"))
    # The current grade, kept by rating_set() so that lists and pages need no extra query.
    grade = models.CharField(_("信用等级"), max_length=10, default="unrated", editable=False)
    grade_since = models.DateField(_("评级日期"), null=True, blank=True, editable=False)
    # The current risk level, kept by risk_set() from the producer's RiskAssessment history.
    risk_level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices, default="", blank=True,
                                  editable=False)
    risk_since = models.DateField(_("风险评估日期"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProducerQuerySet.as_manager()

    class Meta:
        verbose_name = _("生产主体")
        verbose_name_plural = _("生产主体")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], condition=~models.Q(credit_code=""),
                                    name="producer_unique_credit_code",
                                    violation_error_message=_("统一社会信用代码已被另一个生产主体使用，请核对。")),
        ]
        indexes = [models.Index(fields=["grade"]), models.Index(fields=["kind"]), models.Index(fields=["risk_level"])]
        permissions = [
            ("set_grade", _("可以设置信用等级")),
            ("import_registry", _("可以导入生产主体名录")),
            ("print_signboards", _("可以登记和打印公示牌")),
            ("set_risk", _("可以评定风险等级")),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return f"/p/{self.code}/"

    def clean(self):
        errors = {}
        self.credit_code = (self.credit_code or "").strip().upper()
        if self.credit_code:
            try:
                validate_credit_code(self.credit_code)
            except ValidationError as exc:
                errors["credit_code"] = exc.messages
        if self.village_id and self.village.level != GridLevel.VILLAGE:
            errors["village"] = _("生产主体必须归属到村级网格。")
        self.phone = normalise_phone(self.phone)
        self.inspector_phone = normalise_phone(self.inspector_phone)
        if self.on_traceability_platform and not self.traceability_code.strip():
            errors["traceability_code"] = _("已在追溯平台开展追溯的，请填写追溯平台主体码。")
        if self.commitment_scan and self.commitment_scan.size > 10 * 1024 * 1024:
            errors["commitment_scan"] = _("承诺书扫描件不能超过10MB。")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = PublicCode.objects.issue()
        super().save(*args, **kwargs)

    @property
    def is_stale(self) -> bool:
        return self.facts_confirmed_on < timezone.localdate() - datetime.timedelta(days=STALE_AFTER_DAYS)

    @property
    def township(self):
        return self.village.parent if self.village_id else None

    @property
    def grade_display(self) -> str:
        """The current grade in words, e.g. "B 重点监控名单"."""
        from .ratings import grade_label

        return grade_label(self.grade)

    @property
    def grade_date_label(self):
        """What the date of the current grade is called, or None when there is no grade to date."""
        from .ratings import GRADE_DATE_LABEL

        return GRADE_DATE_LABEL.get(self.grade)

    @property
    def grade_date(self):
        """The date of the current grade, or None when there is none to date (未评级)."""
        return self.grade_since if self.grade_date_label else None

    grade_date.fget.short_description = _("评级日期")

    @property
    def is_key_supervision(self) -> bool:
        return self.grade in KEY_GRADES or self.risk_level == RiskLevel.HIGH

    @property
    def key_supervision_reasons(self) -> list[str]:
        """Why the producer is on the key supervision list, in words; empty when it is not."""
        reasons = []
        if self.grade in KEY_GRADES:
            reasons.append(_("信用等级为%(grade)s") % {"grade": self.grade_display})
        if self.risk_level == RiskLevel.HIGH:
            reasons.append(_("风险等级为高"))
        return [str(r) for r in reasons]

    @property
    def needs_traceability(self) -> bool:
        return self.kind in TRACEABILITY_KINDS


class ProducerPhoto(Orderable):
    """A further photo of a producer (基地、产品、设施) shown on its public page."""

    producer = ParentalKey(Producer, on_delete=models.CASCADE, related_name="gallery")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("照片"))
    caption = models.CharField(_("说明"), max_length=80, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("生产主体照片")
        verbose_name_plural = _("生产主体照片")

    def __str__(self):
        return self.caption or str(self.image)
