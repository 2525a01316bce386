from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .grids import Grid


@register_setting(icon="site")
class ServedGrid(BaseSiteSetting):
    """Which grid a site (a host name) serves: a county's site its county grid; a prefecture's or the region's
    site the grid above its counties, whose pages list the counties and their figures."""

    grid = models.ForeignKey(Grid, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("服务的网格"),
                             help_text=_("本站点公示哪个县（市）的网格、生产主体和投诉举报；地州、自治区的站点选择地州级或"
                                         "自治区级网格。留空则为整个网格树。"))

    class Meta:
        verbose_name = _("站点服务的地方")
        verbose_name_plural = _("站点服务的地方")
