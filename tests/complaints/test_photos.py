"""Photos: real images only, re-encoded without metadata, stored privately, kept across a failed submit,
and fetched only by staff who may see the complaint."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from complaints.models import Attachment, Complaint, StagedUpload
from complaints.services import (
    PhotoRejected,
    complaint_submit,
    photo_process,
    staged_upload_create,
    staged_uploads_purge,
)
from tests.complaints.conftest import jpeg_bytes, upload

pytestmark = pytest.mark.django_db

GPS = {1: "N", 2: (44.0, 1.0, 30.0), 3: "E", 4: (87.0, 18.0, 0.0)}


def exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCamMaker"
    exif[0x0131] = "SecretSoftware"
    exif[0x8825] = GPS
    return exif.tobytes()


def test_gps_and_all_metadata_are_gone_from_what_is_stored(client, form_data):
    original = jpeg_bytes(size=(1200, 900), exif=exif_with_gps())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the upload does carry GPS
    response = client.post("/complaints/new/", {**form_data(), "photos": [upload("gps.jpg", original)]})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    for stored in (attachment.image, attachment.thumbnail):
        data = stored.open("rb").read()
        image = Image.open(io.BytesIO(data))
        assert image.format == "JPEG"
        assert not image.getexif()
        assert not image.getexif().get_ifd(0x8825)
        assert "exif" not in image.info and "icc_profile" not in image.info and "xmp" not in image.info
        assert b"SecretCamMaker" not in data and b"Exif" not in data and b"GPS" not in data


def test_stored_privately_and_named_by_chance(client, form_data):
    client.post("/complaints/new/", {**form_data(), "photos": [upload("张三家大棚.jpg")]})
    attachment = Attachment.objects.get()
    path = Path(attachment.image.path).resolve()
    assert str(path).startswith(str(Path(settings.PRIVATE_MEDIA_ROOT).resolve()))
    assert not str(path).startswith(str(Path(settings.MEDIA_ROOT).resolve()))
    assert "张三" not in path.name
    with pytest.raises(ValueError):
        attachment.image.url  # noqa: B018 - private files have no public URL


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_other_formats_become_jpeg(fmt):
    image = Image.new("RGBA", (300, 200), (200, 0, 0, 128))
    out = io.BytesIO()
    image.save(out, format=fmt)
    photo = photo_process(upload(f"x.{fmt.lower()}", out.getvalue()))
    result = Image.open(io.BytesIO(photo.image))
    assert result.format == "JPEG" and result.mode == "RGB" and result.size == (300, 200)


def test_heic_when_the_plugin_can_encode():
    pillow_heif = pytest.importorskip("pillow_heif")
    out = io.BytesIO()
    try:
        pillow_heif.from_pillow(Image.new("RGB", (64, 48), (10, 120, 10))).save(out, format="HEIF")
    except Exception as exc:  # no encoder in this libheif build
        pytest.skip(f"cannot encode HEIC here: {exc}")
    photo = photo_process(upload("IMG_0001.HEIC", out.getvalue(), "image/heic"))
    assert Image.open(io.BytesIO(photo.image)).format == "JPEG"


def test_orientation_is_applied_before_the_metadata_goes():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    photo = photo_process(upload("rotated.jpg", jpeg_bytes(size=(400, 200), exif=exif.tobytes())))
    assert (photo.width, photo.height) == (200, 400)


def test_large_photos_are_scaled_down(settings):
    settings.COMPLAINTS_PHOTO_LONG_EDGE = 1000
    photo = photo_process(upload("big.jpg", jpeg_bytes(size=(4000, 3000))))
    assert (photo.width, photo.height) == (1000, 750)


def test_pixel_limit_is_checked_before_decoding(settings):
    settings.COMPLAINTS_MAX_PHOTO_PIXELS = 10_000
    with pytest.raises(PhotoRejected, match="像素太多"):
        photo_process(upload("a.jpg", jpeg_bytes(size=(200, 200))))


def test_photos_are_kept_across_a_failed_submit_and_used_on_the_next(client, form_data):
    data = form_data(description="")
    response = client.post("/complaints/new/", {**data, "photos": [upload("one.jpg"), upload("two.jpg")]})
    content = response.content.decode()
    assert "已保存 2 张照片" in content
    assert StagedUpload.objects.count() == 2 and Complaint.objects.count() == 0
    token = response.context["form"].data["photos_token"]
    # The kept photos' thumbnails are shown to the person who chose them.
    thumb = response.context["kept_photos"][0]["thumb"]
    assert client.get(thumb)["Content-Type"] == "image/jpeg"
    # Second try: description filled in, one kept photo removed, one new photo added.
    remove = str(StagedUpload.objects.order_by("created_at").first().pk)
    response = client.post("/complaints/new/", {**data, "description": "补充了描述", "photos_token": token,
                                                "remove_photos": [remove], "photos": [upload("three.jpg")]})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.photos.count() == 2
    assert StagedUpload.objects.filter(pk=remove).exists()  # left for the purge, never attached
    assert not StagedUpload.objects.exclude(pk=remove).exists()


def test_kept_photos_count_towards_the_limit(client, form_data):
    data = form_data(description="")
    response = client.post("/complaints/new/", {**data, "photos": [upload(f"{i}.jpg") for i in range(4)]})
    token = response.context["form"].data["photos_token"]
    response = client.post("/complaints/new/", {**data, "photos_token": token,
                                                "photos": [upload("a.jpg"), upload("b.jpg")]})
    assert "已保存4张，这次又选择了2张" in response.content.decode()


def test_a_photos_token_cannot_be_moved_to_another_form(client, form_data):
    response = client.post("/complaints/new/", {**form_data(description=""), "photos": [upload()]})
    token = response.context["form"].data["photos_token"]
    response = client.post("/complaints/new/", {**form_data(), "photos_token": token})  # a fresh form token
    assert response.status_code == 302
    assert Complaint.objects.get().photos.count() == 0


def test_staged_leftovers_are_purged_with_their_files():
    staged = staged_upload_create(upload=upload())
    path = staged.image.path
    assert staged_uploads_purge(older_than=datetime.timedelta(hours=1)) == 0
    StagedUpload.objects.filter(pk=staged.pk).update(created_at=staged.created_at - datetime.timedelta(days=2))
    assert staged_uploads_purge() == 1
    assert not os.path.exists(path)


def test_complaint_and_attachments_are_saved_together_or_not_at_all(village, monkeypatch):
    staged = [staged_upload_create(upload=upload()) for _ in range(2)]
    from complaints.models import Attachment as AttachmentModel

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(AttachmentModel.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        complaint_submit(kind="report", category="other", description="x", place_village=village,
                         staged_ids=[s.pk for s in staged])
    assert Complaint.objects.count() == 0 and StagedUpload.objects.count() == 2


def test_photo_view_for_staff_only(client, submit, township_user, village_user, other_township_user,
                                   other_village_user, city_user):
    staged = staged_upload_create(upload=upload())
    complaint = submit(staged_ids=[staged.pk])
    pk = complaint.photos.get().pk
    url = f"/complaints/photos/{pk}/"
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    for user, expected in [(township_user, 200), (village_user, 200), (city_user, 200),
                           (other_township_user, 403), (other_village_user, 403)]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected, user.username
        if expected == 200:
            assert response["Content-Type"] == "image/jpeg" and "no-store" in response["Cache-Control"]
    client.force_login(township_user)
    assert client.get(f"/complaints/photos/{pk}/thumb/").status_code == 200
    assert client.get("/complaints/photos/999999/").status_code == 404
