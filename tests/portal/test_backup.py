"""Backups that restore: back up, wipe, restore, and every complaint, photo and sign is there again."""

import io
import tarfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from complaints.models import Attachment, Complaint
from complaints.services import staged_upload_create
from disclosure.models import Signboard
from disclosure.services.signboards import signboard_issue
from portal.backup import BackupError, backup_restore, backups_rotate
from tests.disclosure.test_producers_fixtures import producer_fixture, staffed_fixture  # noqa: F401
from tests.factories import complaint_submit_for_tests


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 140, 60)).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture(params=["data filter", "no data filter"])
def python_tarfile(request, monkeypatch):
    """Restore with tarfile's "data" filter (Python 3.11.4 on) and without it (Debian 12's 3.11.2)."""
    if request.param == "no data filter":
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    elif not hasattr(tarfile, "data_filter"):
        pytest.skip("this Python's tarfile has no data filter")
    return request.param


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_finds_everything_again(home, producer, tmp_path, python_tarfile):
    staged = staged_upload_create(upload=SimpleUploadedFile("p.jpg", _jpeg(), content_type="image/jpeg"))
    complaint = complaint_submit_for_tests(staged_ids=[str(staged.pk)], reporter_name="张三")
    sign, _ = signboard_issue(producer=producer)
    photo = Attachment.objects.get(complaint=complaint)
    photo_bytes = Path(photo.image.path).read_bytes()
    logo = Path(producer.photo.file.path) if getattr(producer, "photo", None) else None

    call_command("backup", dir=str(tmp_path), keep=3, stdout=io.StringIO())
    archive = next(tmp_path.glob("portal-*.tar.gz"))
    assert oct(archive.stat().st_mode)[-3:] == "600"

    # Wipe: the complaint and its photo file, the sign, a public image.
    Path(photo.image.path).unlink()
    Complaint.objects.all().delete()
    Signboard.objects.all().delete()
    if logo:
        logo.unlink()

    call_command("restore", str(archive), interactive=False, stdout=io.StringIO())

    restored = Complaint.objects.get(pk=complaint.pk)
    assert restored.tracking_code == complaint.tracking_code and restored.reporter_name == "张三"
    again = Attachment.objects.get(complaint=restored)
    assert Path(again.image.path).read_bytes() == photo_bytes
    assert Signboard.objects.filter(serial=sign.serial, producer=producer).exists()
    if logo:
        assert logo.exists()


def test_rotation_keeps_the_newest(tmp_path):
    for day in range(1, 6):
        (tmp_path / f"portal-2026010{day}-000000-000000.tar.gz").write_bytes(b"x")
    removed = backups_rotate(directory=tmp_path, keep=2)
    assert len(removed) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["portal-20260104-000000-000000.tar.gz",
                                                          "portal-20260105-000000-000000.tar.gz"]


def test_restore_refuses_a_missing_archive(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such archive"):
        call_command("restore", str(tmp_path / "nope.tar.gz"), interactive=False)


@pytest.mark.parametrize("member", ["../outside.txt", "/srv/absolute.txt", "link"])
def test_restore_refuses_members_outside_the_archive(tmp_path, monkeypatch, member):
    monkeypatch.delattr(tarfile, "data_filter", raising=False)
    archive = tmp_path / "portal-20270101-000000-000000.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo(member)
        if member == "link":
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
            tar.addfile(info)
        else:
            info.size = 1
            tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(BackupError, match="refusing archive member"):
        backup_restore(archive=archive)
