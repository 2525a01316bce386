"""Retention of personal data (个人信息保存期限): reporters' identities and photos of complaints finished
more than COMPLAINTS_RETENTION_YEARS ago are erased; what happened (category, place, producer, states,
replies, dates) is kept for the statistics and the public timeline. Runs daily (docs/deploy.md)."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from .. import conf
from ..models import FINISHED_STATES, Attachment, Complaint

logger = logging.getLogger("complaints.retention")


def complaints_due_for_erasure(*, on: datetime.datetime | None = None):
    """Finished complaints, closed before the retention cut-off, whose personal data is still kept."""
    now = on or timezone.now()
    cutoff = now - datetime.timedelta(days=round(365.25 * conf.get("COMPLAINTS_RETENTION_YEARS")))
    return Complaint.objects.filter(state__in=FINISHED_STATES, closed_at__lt=cutoff,
                                    personal_data_erased_at__isnull=True)


def personal_data_erase(*, on: datetime.datetime | None = None) -> int:
    """Erase the reporter's name, phone, e-mail and the photos of every complaint past retention; log each
    one (by id only). Returns how many complaints were erased."""
    count = 0
    for complaint_id in complaints_due_for_erasure(on=on).values_list("pk", flat=True).iterator():
        files = []
        with transaction.atomic():
            complaint = Complaint.objects.select_for_update().get(pk=complaint_id)
            for photo in Attachment.objects.filter(complaint=complaint):
                files += [photo.image, photo.thumbnail]
                photo.delete()
            complaint.reporter_name = complaint.reporter_phone = complaint.reporter_email = ""
            complaint.personal_data_erased_at = timezone.now()
            complaint.save(update_fields=["reporter_name", "reporter_phone", "reporter_email",
                                          "personal_data_erased_at"])
        for file in files:  # after the commit: a failed transaction must not lose the photos
            if file:
                file.delete(save=False)
        logger.info("personal data of complaint %s erased (closed %s, %d photo file(s))",
                    complaint_id, complaint.closed_at.date(), len(files) // 2)
        count += 1
    return count
