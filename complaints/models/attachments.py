"""Photos attached to complaints, and photos kept between a failed submit and the next try.

Both live in private storage (settings.PRIVATE_MEDIA_ROOT), never under MEDIA_ROOT: the web server does
not serve them, only complaints.views.photo does, to staff who may see the complaint.
"""

import uuid

from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from portal.storage import PrivateStorage as BasePrivateStorage

from .complaints import Complaint
from .events import ComplaintEvent


@deconstructible
class PrivateStorage(BasePrivateStorage):
    """Complaint photos' storage (its own class, so that the complaint migrations keep their path)."""


private_storage = PrivateStorage()


def photo_path(instance, filename: str) -> str:
    # The name never carries the uploader's file name (which may hold a name or a place).
    return f"complaints/photos/{uuid.uuid4().hex}.jpg"


def thumbnail_path(instance, filename: str) -> str:
    return f"complaints/thumbs/{uuid.uuid4().hex}.jpg"


class PhotoFields(models.Model):
    image = models.FileField(_("照片"), storage=private_storage, upload_to=photo_path, max_length=200)
    thumbnail = models.FileField(_("缩略图"), storage=private_storage, upload_to=thumbnail_path, max_length=200)
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    size = models.PositiveIntegerField(_("字节数"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True


class Attachment(PhotoFields):
    """A photo of a complaint, re-encoded as JPEG without any metadata (no EXIF, no GPS)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos",
                                  verbose_name=_("投诉举报"))
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["complaint", "position", "id"]

    def __str__(self):
        return f"{self.complaint} #{self.position + 1}"


class StagedUpload(PhotoFields):
    """A checked, re-encoded photo waiting for its form to be submitted successfully.

    The form carries a signed list of these ids; complaint_submit() turns them into Attachments in the same
    transaction that creates the complaint. Leftovers are purged after COMPLAINTS_STAGED_PHOTO_HOURS.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    original_name = models.CharField(max_length=200, blank=True)
    original_size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("暂存照片")
        verbose_name_plural = _("暂存照片")

    def __str__(self):
        return str(self.id)


def action_photo_path(instance, filename: str) -> str:
    return f"complaints/action-photos/{uuid.uuid4().hex}.jpg"


def action_thumbnail_path(instance, filename: str) -> str:
    return f"complaints/action-thumbs/{uuid.uuid4().hex}.jpg"


class ActionPhoto(PhotoFields):
    """Evidence a staff member attached to an action (on-site, rectification, re-check): checked and
    re-encoded like the public's photos, shown to staff who may see the complaint, never to the public."""

    event = models.ForeignKey(ComplaintEvent, on_delete=models.CASCADE, related_name="photos",
                              verbose_name=_("办理记录"))
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理照片")
        verbose_name_plural = _("办理照片")
        ordering = ["event", "position", "id"]

    def __str__(self):
        return f"{self.event} #{self.position + 1}"
