"""Uploaded files on S3-compatible object storage (a local endpoint: moto's server mode): public media get
addresses on the site's own host and are readable by anyone from the bucket; private files land in the
private bucket, which answers nobody without credentials, and reach staff only through the portal's views."""

import base64
import re
import urllib.error
import urllib.request

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from complaints.models import Attachment
from portal.pdf import file_uri
from portal.spreadsheets import upload_stash, upload_unstash
from tests.complaints.conftest import jpeg_bytes, upload
from tests.disclosure.test_producers_fixtures import make_image
from tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db


def anonymous_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def nothing_on_disk(s3) -> bool:
    return not any(path.is_file() for path in s3.disk.rglob("*"))


def test_a_producer_photo_is_public_on_the_sites_own_address(s3, village, client):
    producer = ProducerFactory(village=village, photo=make_image("基地照片", size=(800, 450)))
    html = client.get(f"/p/{producer.code}/").content.decode()
    (src,) = re.findall(r'class="producer-photo" src="([^"]+)"', html)
    assert src.startswith("/media/images/")  # same origin: the page's Content-Security-Policy allows no other
    # The front cache passes /media/<name> to <bucket>/media/<name>; anyone may read it there.
    status, body = anonymous_get(f"{s3.endpoint}/{s3.public}{src}")
    assert status == 200 and body[:2] == b"\xff\xd8"
    original = producer.photo.file.name
    assert anonymous_get(f"{s3.endpoint}/{s3.public}/media/{original}")[0] == 200
    assert nothing_on_disk(s3)


def test_a_complaint_photo_is_private_and_reaches_only_permitted_staff(s3, client, form_data, township_user,
                                                                        other_township_user):
    photo = jpeg_bytes(size=(640, 480))
    response = client.post("/complaints/new/", {**form_data(), "photos": [upload("大棚.jpg", photo)]})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    key = f"private/{attachment.image.name}"
    stored = s3.client.get_object(Bucket=s3.private, Key=key)["Body"].read()
    assert stored[:2] == b"\xff\xd8"
    assert not s3.client.list_objects_v2(Bucket=s3.public).get("KeyCount")  # nothing in the public bucket
    assert nothing_on_disk(s3)
    # The object storage refuses it to anyone without the portal's credentials, and it has no URL.
    grants = s3.client.get_object_acl(Bucket=s3.private, Key=key)["Grants"]
    assert all(grant["Grantee"].get("Type") == "CanonicalUser" for grant in grants)
    assert anonymous_get(f"{s3.endpoint}/{s3.private}/{key}")[0] == 403
    with pytest.raises(ValueError):
        attachment.image.url  # noqa: B018 - private files have no public URL
    # Through the portal: the township's supervisor gets the photo; the public and another township do not.
    url = f"/complaints/photos/{attachment.pk}/"
    public = Client().get(url)
    assert public.status_code == 302 and "/login/" in public["Location"]
    other = Client()
    other.force_login(other_township_user)
    assert other.get(url).status_code == 403
    staff = Client()
    staff.force_login(township_user)
    response = staff.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == stored


def test_signboard_prints_read_photos_from_object_storage(s3, db):
    """Object storage has no local path: the print renderers get the image's bytes as a data: URI."""
    image = make_image("主体照片", size=(400, 300))
    rendition = image.get_rendition("fill-120x90")
    uri = file_uri(rendition.file)
    assert uri.startswith("data:image/jpeg;base64,")
    stored = s3.client.get_object(Bucket=s3.public, Key=f"media/{rendition.file.name}")["Body"].read()
    assert base64.b64decode(uri.split(",", 1)[1]) == stored


def test_an_upload_waiting_for_confirmation_is_shared_by_every_server(s3, django_user_model):
    """The preview and the confirmation of an import may reach different application servers."""
    alice = django_user_model.objects.create_user("alice")
    token = upload_stash(content=b"name,code\n", filename="x.csv", folder="imports", salt="s", user=alice)
    (entry,) = s3.client.list_objects_v2(Bucket=s3.private, Prefix="private/imports/")["Contents"]
    assert nothing_on_disk(s3)
    content, data = upload_unstash(token=token, folder="imports", salt="s", user=alice)
    assert content == b"name,code\n" and data["n"] == "x.csv"
    s3.client.put_object(Bucket=s3.private, Key=entry["Key"], Body=b"name,code\nforged\n")
    with pytest.raises(PermissionDenied):
        upload_unstash(token=token, folder="imports", salt="s", user=alice)
