"""Station test quotas (速测任务数, the plan 四(四)): each township station rapid-tests at least the number of
samples the city allocates for the year, optionally per product group."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from disclosure.models import Grid, GridLevel


class ProductGroup(models.TextChoices):
    """Product groups a quota may be split into; a sample's group follows its product name (conf)."""

    VEGETABLE = "vegetable", _("蔬菜")
    FRUIT = "fruit", _("水果")
    LIVESTOCK = "livestock", _("畜禽产品")
    AQUATIC = "aquatic", _("水产品")
    GRAIN = "grain", _("粮油")
    OTHER = "other", _("其他")


class StationQuota(models.Model):
    """速测任务数: how many samples a township station must rapid-test in a year ("" group: all products)."""

    township = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="station_quotas",
                                 limit_choices_to={"level": GridLevel.TOWNSHIP}, verbose_name=_("乡镇"))
    year = models.PositiveSmallIntegerField(_("年度"))
    product_group = models.CharField(_("产品类别"), max_length=12, blank=True, choices=ProductGroup.choices,
                                     help_text=_("留空表示全部产品的总任务数。"))
    quota = models.PositiveIntegerField(_("任务数（份）"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("分配人"))
    set_at = models.DateTimeField(_("分配时间"), auto_now=True)

    class Meta:
        verbose_name = _("速测任务数")
        verbose_name_plural = _("速测任务数")
        ordering = ["-year", "township__sort_order", "product_group"]
        constraints = [models.UniqueConstraint(fields=["township", "year", "product_group"],
                                               name="one_quota_per_township_year_group")]
        permissions = [("set_quota", _("可以分配乡镇速测任务数"))]

    def __str__(self):
        group = self.get_product_group_display() if self.product_group else _("全部产品")
        return f"{self.township} {self.year} {group}: {self.quota}"
