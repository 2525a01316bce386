from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin


class SubstanceCategory(models.TextChoices):
    PESTICIDE = "pesticide", _("农药")
    VETERINARY_DRUG = "veterinary_drug", _("兽药")
    FEED_ADDITIVE = "feed_additive", _("饲料添加剂")
    OTHER = "other", _("其他化合物")


class SubstanceStatus(models.TextChoices):
    BANNED = "banned", _("禁用")
    RESTRICTED = "restricted", _("限用")


class SubstanceQuerySet(models.QuerySet):
    def in_force(self, on=None):
        """Entries whose effective date has come (or that carry none)."""
        on = on or timezone.localdate()
        return self.filter(models.Q(effective_date__isnull=True) | models.Q(effective_date__lte=on))

    def matching(self, query: str):
        """Chinese or English name, scope or legal basis containing the query (substring match)."""
        query = (query or "").strip()
        if not query:
            return self
        return self.filter(models.Q(name_zh__icontains=query) | models.Q(name_en__icontains=query)
                           | models.Q(restricted_scope__icontains=query) | models.Q(legal_basis__icontains=query))


class Substance(RevisionMixin, models.Model):
    """An entry of the banned and restricted list (国家禁用、限用农药（兽药）名录)."""

    name_zh = models.CharField(_("中文名称"), max_length=100)
    name_en = models.CharField(_("英文通用名"), max_length=120, blank=True)
    category = models.CharField(_("类别"), max_length=20, choices=SubstanceCategory.choices)
    status = models.CharField(_("管理类别"), max_length=12, choices=SubstanceStatus.choices)
    restricted_scope = models.TextField(_("限用范围"), blank=True)
    legal_basis = models.TextField(_("依据"), blank=True)
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    source = models.TextField(_("资料来源"), blank=True)
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
