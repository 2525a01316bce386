"""Evidence photos on staff actions: a coordinator documents the visit; the photos are checked and
re-encoded like the public's, shown to staff who may see the complaint, never to the public."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from complaints.models import ActionPhoto, State
from complaints.services import complaint_accept, complaint_act, complaint_assign
from complaints.services.errors import ComplaintError

pytestmark = pytest.mark.django_db


def _jpeg(name="site.jpg", colour=(90, 140, 60)) -> SimpleUploadedFile:
    image = Image.new("RGB", (900, 600), colour)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make: must not survive
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def assigned(submit, township_user, village_user):
    complaint = submit()
    complaint_accept(complaint=complaint, user=township_user, expected_version=complaint.version)
    complaint_assign(complaint=complaint, user=township_user, expected_version=complaint.version,
                     assignee=village_user)
    complaint.refresh_from_db()
    return complaint


def _start(client, complaint, files):
    url = reverse("triage:act", args=[complaint.pk, "start_investigation"])
    return client.post(url, {"expected_version": complaint.version, "note_public": "已到现场。", "photos": files})


def test_a_coordinator_documents_the_visit_and_staff_see_the_photos(login, assigned, village_user,
                                                                    township_user):
    client = login(village_user)
    form = client.get(reverse("triage:detail", args=[assigned.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in form and "现场照片" in form
    response = _start(client, assigned, [_jpeg("a.jpg"), _jpeg("b.jpg", (200, 40, 40))])
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert assigned.state == State.INVESTIGATING
    photos = list(ActionPhoto.objects.filter(event__complaint=assigned).order_by("position"))
    assert len(photos) == 2
    stored = Image.open(photos[0].image.open("rb"))
    assert "exif" not in stored.info and stored.getexif().get(0x010F) is None
    page = login(township_user).get(reverse("triage:detail", args=[assigned.pk])).content.decode()
    for photo in photos:
        assert reverse("complaints:action_photo_thumbnail", args=[photo.pk]) in page
    served = login(township_user).get(reverse("complaints:action_photo", args=[photos[0].pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert "no-store" in served["Cache-Control"]


def test_the_photos_are_never_public(client, login, assigned, village_user, other_township_user):
    _start(login(village_user), assigned, [_jpeg()])
    photo = ActionPhoto.objects.get(event__complaint=assigned)
    url = reverse("complaints:action_photo", args=[photo.pk])
    assert login(other_township_user).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page
    # The reporter's tracking page shows the step, not the photos.
    client.post(reverse("complaints:track"), {"code": assigned.tracking_code})
    page = client.get(reverse("complaints:track")).content.decode()
    assert "已到现场" in page and "action-photos" not in page


def test_a_bad_photo_is_named_and_nothing_is_saved(login, assigned, village_user):
    bad = SimpleUploadedFile("现场.jpg", b"this is not a picture", content_type="image/jpeg")
    response = _start(login(village_user), assigned, [_jpeg(), bad])
    assert response.status_code == 400 and "现场.jpg" in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.state == State.ASSIGNED and not ActionPhoto.objects.exists()


def test_photos_only_where_field_work_is_documented(login, assigned, township_user):
    page = login(township_user).get(reverse("triage:detail", args=[assigned.pk])).content.decode()
    assert 'id="id_reassign_grid_photos"' not in page
    from complaints.services.photos import photo_process

    with pytest.raises(ComplaintError):
        complaint_act(action="reassign_grid", complaint=assigned, user=township_user,
                      expected_version=assigned.version, photos=[photo_process(_jpeg())],
                      grid=assigned.grid, reason="x")
