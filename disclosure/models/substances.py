"""The banned and restricted substances list (国家禁用、限用农药（兽药）名录).

The list changes by ministry announcement (公告). A later announcement may ban outright what an earlier
one only restricted (e.g. 公告第736号: 氧乐果、克百威、灭多威、涕灭威 from 2026-06-01), so a restricted entry
can be *superseded* by a full ban of the same substance once that ban is in force. The entries are kept
as staff entered them; whether one is in force or superseded is worked out for a given day.
"""

import datetime
import re
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from wagtail.models import RevisionMixin

MAX_QUERY = 50  # characters of a search; longer input is cut, with a notice


class SubstanceCategory(models.TextChoices):
    PESTICIDE = "pesticide", _("农药")
    VETERINARY_DRUG = "veterinary_drug", _("兽药")
    FEED_ADDITIVE = "feed_additive", _("饲料添加剂")
    OTHER = "other", _("其他化合物")


class SubstanceStatus(models.TextChoices):
    BANNED = "banned", _("禁用")
    RESTRICTED = "restricted", _("限用")


@dataclass(frozen=True)
class SubstanceGroup:
    """A section of the public list: the headings the ministry's own lists use."""

    key: str
    title: str
    short: str  # for the jump links on a phone
    intro: str
    members: frozenset  # (category, status) pairs


SUBSTANCE_GROUPS = (
    SubstanceGroup("pesticide-banned", _("禁止（停止）使用的农药"), _("禁用农药"),
                   _("以下农药禁止（停止）生产、销售和使用。"),
                   frozenset({("pesticide", "banned")})),
    SubstanceGroup("pesticide-restricted", _("在部分范围禁止使用的农药"), _("限用农药"),
                   _("以下农药禁止在所列作物和用途上使用，其他用途须按登记的范围和方法使用。"),
                   frozenset({("pesticide", "restricted")})),
    SubstanceGroup("food-animal-banned", _("食品动物中禁止使用的药品及其他化合物"), _("食品动物禁用"),
                   _("以下药品及化合物禁止在食品动物中使用（含其盐、酯及制剂）。"),
                   frozenset({("veterinary_drug", "banned"), ("other", "banned")})),
    SubstanceGroup("food-animal-stopped", _("在食品动物中停止使用的兽药"), _("食品动物停用"),
                   _("以下兽药停止在食品动物中经营和使用；用于非食品动物的产品除外。"),
                   frozenset({("veterinary_drug", "restricted"), ("other", "restricted")})),
    SubstanceGroup("feed-additive", _("停止使用的药物饲料添加剂"), _("饲料添加剂"),
                   _("饲料生产企业停止生产含以下添加剂的商品饲料。"),
                   frozenset({("feed_additive", "banned"), ("feed_additive", "restricted")})),
)
GROUP_BY_KEY = {group.key: group for group in SUBSTANCE_GROUPS}
_GROUP_OF = {pair: group for group in SUBSTANCE_GROUPS for pair in group.members}

_ANNOUNCEMENT = re.compile(r"(农业农村部|农业部)公告第?\s*(\d+)\s*号")
# The issuers that announcements_cited() returns, marked so the English page can name them in English.
ISSUER_NAMES = (gettext_noop("农业农村部"), gettext_noop("农业部"))
_URL = re.compile(r"^https?://\S+$")


def announcements_cited(texts) -> dict[str, list[int]]:
    """The announcements (公告) that legal-basis texts cite, by issuer, numbers in order: {"农业部": [199, …]}."""
    cited: dict[str, set[int]] = {}
    for text in texts:
        for issuer, number in _ANNOUNCEMENT.findall(text or ""):
            cited.setdefault(issuer, set()).add(int(number))
    return {issuer: sorted(numbers) for issuer, numbers in sorted(cited.items(), key=lambda item: item[0] != "农业部")}


def _full_bans():
    return Substance.objects.filter(name_zh=models.OuterRef("name_zh"), category=models.OuterRef("category"),
                                    status=SubstanceStatus.BANNED)


class SubstanceQuerySet(models.QuerySet):
    def in_force(self, on=None):
        """Entries whose effective date has come (or that carry none)."""
        on = on or timezone.localdate()
        return self.filter(models.Q(effective_date__isnull=True) | models.Q(effective_date__lte=on))

    def current(self, on=None):
        """Entries in force on a day, less restrictions superseded by a full ban of the same substance in force."""
        on = on or timezone.localdate()
        superseding = _full_bans().filter(models.Q(effective_date__isnull=True) | models.Q(effective_date__lte=on))
        return self.in_force(on).exclude(models.Q(status=SubstanceStatus.RESTRICTED) & models.Exists(superseding))

    def with_full_ban(self):
        """Annotate full_ban_id / full_ban_on: the full ban of the same substance, if any (for restricted entries)."""
        bans = _full_bans().order_by(models.F("effective_date").asc(nulls_first=True), "id")
        return self.annotate(full_ban_id=models.Subquery(bans.values("id")[:1]),
                             full_ban_on=models.Subquery(bans.values("effective_date")[:1]))

    def matching(self, query: str):
        """Chinese or English name, scope or legal basis containing the query (substring match)."""
        query = (query or "").strip()[:MAX_QUERY]
        if not query:
            return self
        return self.filter(models.Q(name_zh__icontains=query) | models.Q(name_en__icontains=query)
                           | models.Q(restricted_scope__icontains=query) | models.Q(legal_basis__icontains=query))

    def in_group(self, key: str):
        """Entries of one section of the public list (see SUBSTANCE_GROUPS)."""
        group = GROUP_BY_KEY[key]
        condition = models.Q(pk__in=[])
        for category, status in group.members:
            condition |= models.Q(category=category, status=status)
        return self.filter(condition)

    def public_order(self):
        """The order of the published list: as loaded from the ministry's lists, then by name."""
        return self.order_by("sort_order", "name_zh", "id")


class Substance(RevisionMixin, models.Model):
    """An entry of the banned and restricted list (国家禁用、限用农药（兽药）名录)."""

    name_zh = models.CharField(_("中文名称"), max_length=100)
    name_en = models.CharField(_("英文通用名"), max_length=120, blank=True)
    category = models.CharField(_("类别"), max_length=20, choices=SubstanceCategory.choices)
    status = models.CharField(_("管理类别"), max_length=12, choices=SubstanceStatus.choices)
    restricted_scope = models.TextField(_("限用范围"), blank=True)
    legal_basis = models.TextField(_("依据"), blank=True)
    restricted_scope_en = models.TextField(_("限用范围（英文）"), blank=True)
    legal_basis_en = models.TextField(_("依据（英文）"), blank=True)
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    source = models.TextField(_("资料来源"), blank=True)
    staff_note = models.TextField(_("内部备注"), blank=True)
    sort_order = models.PositiveIntegerField(_("顺序"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = SubstanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("禁限用物质")
        verbose_name_plural = _("禁限用农药兽药名录")
        ordering = ["category", "status", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["name_zh", "category", "status"],
                                               name="substance_unique_entry")]

    def __str__(self):
        return f"{self.name_zh}（{self.get_status_display()}）"

    def get_absolute_url(self) -> str:
        return f"/substances/#s-{self.pk}"

    @property
    def group(self) -> SubstanceGroup | None:
        return _GROUP_OF.get((self.category, self.status))

    @property
    def source_links(self) -> list[str]:
        """The web addresses among the sources (the field also holds free-text notes, which stay internal)."""
        parts = (part.strip() for part in re.split(r"\s+\|\s+|\n", self.source or ""))
        return [part for part in parts if _URL.match(part)]

    def is_in_force(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.effective_date is None or self.effective_date <= on

    def is_superseded(self, on: datetime.date | None = None) -> bool:
        """A restriction that a full ban of the same substance, in force on `on`, has replaced (needs with_full_ban())."""
        if self.status != SubstanceStatus.RESTRICTED or not getattr(self, "full_ban_id", None):
            return False
        on = on or timezone.localdate()
        return self.full_ban_on is None or self.full_ban_on <= on

    def full_ban_pending(self, on: datetime.date | None = None) -> bool:
        """A restriction that a full ban of the same substance will replace on a later date (needs with_full_ban())."""
        if self.status != SubstanceStatus.RESTRICTED or not getattr(self, "full_ban_id", None):
            return False
        on = on or timezone.localdate()
        return self.full_ban_on is not None and self.full_ban_on > on
