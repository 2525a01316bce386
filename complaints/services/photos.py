"""Complaint photos: checked and re-encoded by portal.photos with the complaints app's limits, and kept
privately until the form that uploaded them is submitted (StagedUpload).
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from portal import photos as _photos
from portal.photos import (
    ACCEPT_ATTRIBUTE,
    HEIF_FORMATS,
    PhotoRejected,
    ProcessedPhoto,
    formats_label,
    short_name,
)

from .. import conf
from ..models import StagedUpload

__all__ = ["ACCEPT_ATTRIBUTE", "HEIF_FORMATS", "PhotoRejected", "ProcessedPhoto", "formats_label", "photo_process",
           "staged_upload_create", "staged_uploads_purge"]


def photo_process(upload) -> ProcessedPhoto:
    """Check and re-encode one uploaded file with the complaints app's limits."""
    return _photos.photo_process(upload, max_bytes=conf.get("COMPLAINTS_MAX_PHOTO_BYTES"),
                                 max_pixels=conf.get("COMPLAINTS_MAX_PHOTO_PIXELS"),
                                 long_edge=conf.get("COMPLAINTS_PHOTO_LONG_EDGE"))


def staged_upload_create(*, upload) -> StagedUpload:
    """Check and re-encode an upload and keep it until its form is submitted (or it expires)."""
    photo = photo_process(upload)
    staged = StagedUpload(original_name=short_name(getattr(upload, "name", ""))[:200],
                          original_size=getattr(upload, "size", 0) or 0,
                          width=photo.width, height=photo.height, size=len(photo.image), sha256=photo.sha256)
    staged.image.save("photo.jpg", ContentFile(photo.image), save=False)
    staged.thumbnail.save("thumb.jpg", ContentFile(photo.thumbnail), save=False)
    staged.save()
    return staged


def staged_uploads_purge(*, older_than: datetime.timedelta | None = None) -> int:
    """Delete photos kept for forms that were never submitted, with their files. Returns how many."""
    hours = conf.get("COMPLAINTS_STAGED_PHOTO_HOURS")
    cutoff = timezone.now() - (older_than if older_than is not None else datetime.timedelta(hours=hours))
    count = 0
    for staged in StagedUpload.objects.filter(created_at__lt=cutoff):
        with transaction.atomic():
            deleted, _unused = StagedUpload.objects.filter(pk=staged.pk).delete()
        if deleted:
            staged.image.delete(save=False)
            staged.thumbnail.delete(save=False)
            count += 1
    return count
