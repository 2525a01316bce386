"""API keys for other systems (a 12345 hotline, a mobile app) that submit complaints through Open311."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311ClientQuerySet(models.QuerySet):
    def active(self):
        """Clients whose key has not been revoked."""
        return self.filter(active=True)


class Open311Client(models.Model):
    """A system allowed to POST service requests (Open311 GeoReport v2), identified by its API key.

    Only a hash of the key is stored; the key itself is shown once, when it is issued.
    """

    name = models.CharField(_("调用方名称"), max_length=100, help_text=_("例如：12345政务服务便民热线。"))
    contact = models.CharField(_("联系人及电话"), max_length=200, blank=True)
    key_prefix = models.CharField(_("密钥前缀"), max_length=8, editable=False,
                                  help_text=_("用于辨认密钥，不能用于调用。"))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("有效"), default=True, help_text=_("取消勾选即吊销该密钥，立即生效。"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("签发人"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    objects = Open311ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("Open311 接口密钥")
        verbose_name_plural = _("Open311 接口密钥")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name}（{self.key_prefix}…）"
