"""Retention: reporters' identities and photos of complaints finished longer ago than the city's limit
are erased on schedule (logged), and the facts of the complaint stay."""

import datetime
import io
import logging
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from complaints.models import Attachment, Complaint
from complaints.services import complaint_reject, staged_upload_create
from complaints.services.retention import personal_data_erase
from tests.complaints.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(submit, township_user):
    """finish(years_ago, photos=1): a complaint refused (finished) that many years ago, with photos."""

    def make(years_ago: float, photos: int = 1):
        staged = [staged_upload_create(upload=SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg"))
                  for _ in range(photos)]
        complaint = submit(staged_ids=[str(s.pk) for s in staged])
        complaint = complaint_reject(complaint=complaint, user=township_user, expected_version=complaint.version,
                                     reason="不属于本部门职责。")
        Complaint.objects.filter(pk=complaint.pk).update(
            closed_at=timezone.now() - datetime.timedelta(days=round(365.25 * years_ago)))
        return Complaint.objects.get(pk=complaint.pk)

    return make


def test_identity_and_photos_past_retention_are_erased_and_the_facts_kept(finished, settings, caplog):
    settings.COMPLAINTS_RETENTION_YEARS = 3
    old = finished(4)
    files = [Path(p.image.path) for p in Attachment.objects.filter(complaint=old)]
    assert all(f.exists() for f in files)

    with caplog.at_level(logging.INFO, logger="complaints.retention"):
        assert personal_data_erase() == 1

    old.refresh_from_db()
    assert (old.reporter_name, old.reporter_phone, old.reporter_email) == ("", "", "")
    assert old.personal_data_erased_at is not None
    assert not Attachment.objects.filter(complaint=old).exists() and not any(f.exists() for f in files)
    # The facts stay: what, where, the state and the reply.
    assert old.description.startswith("看到有人在大棚里喷洒甲胺磷") and old.state == "not_accepted"
    assert old.place_village_id is not None and old.tracking_code
    assert f"complaint {old.pk} erased" in caplog.text.replace("personal data of ", "")
    assert "13912345678" not in caplog.text and "举报人示例" not in caplog.text


def test_recent_and_open_complaints_keep_their_data(finished, submit, settings):
    settings.COMPLAINTS_RETENTION_YEARS = 3
    recent = finished(2)
    still_open = submit()
    Complaint.objects.filter(pk=still_open.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=2000))
    assert personal_data_erase() == 0
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert recent.reporter_phone == "13912345678" and Attachment.objects.filter(complaint=recent).exists()
    assert still_open.reporter_phone == "13912345678"


def test_the_daily_jobs_run_the_erasure(finished, settings):
    settings.COMPLAINTS_RETENTION_YEARS = 1
    old = finished(2, photos=0)
    out = io.StringIO()
    call_command("daily_jobs", no_backup=True, stdout=out)  # the backup: tests/portal/test_backup.py
    old.refresh_from_db()
    assert old.reporter_name == "" and "erased: 1 complaint(s)" in out.getvalue()
