"""/media/ is served by the proxy in production; SERVE_MEDIA lets the application serve it for a trial
without one. Either way, private files (complaint photos) are never reachable under /media/."""

import importlib

import pytest
from django.urls import clear_url_caches


@pytest.fixture
def media_files(settings, tmp_path):
    public, private = tmp_path / "media", tmp_path / "private"
    (public / "images").mkdir(parents=True)
    private.mkdir()
    (public / "images" / "farm.jpg").write_bytes(b"\xff\xd8\xff\xe0 public photo")
    (private / "complaint.jpg").write_bytes(b"\xff\xd8\xff\xe0 private photo")
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = str(public), str(private)
    return public, private


def _reload_urls(settings, serve_media: bool):
    settings.DEBUG, settings.SERVE_MEDIA = False, serve_media
    clear_url_caches()
    importlib.reload(importlib.import_module("portal.urls"))


@pytest.fixture
def reload_urls(settings):
    yield lambda serve: _reload_urls(settings, serve)
    _reload_urls(settings, False)


@pytest.mark.django_db
def test_media_only_when_asked_and_never_the_private_files(client, media_files, reload_urls):
    reload_urls(False)
    assert client.get("/media/images/farm.jpg").status_code == 404

    reload_urls(True)
    response = client.get("/media/images/farm.jpg")
    assert response.status_code == 200 and b"public photo" in b"".join(response.streaming_content)
    client.raise_request_exception = False  # as a real server answers: 400 to a path that climbs out
    for path in ("/media/../private/complaint.jpg", "/media/%2e%2e/private/complaint.jpg"):
        refused = client.get(path)
        assert refused.status_code in (400, 404) and b"private photo" not in refused.content


def test_private_files_are_readable_by_the_portals_user_only(tmp_path, settings):
    """Reporters' photos: other accounts on the server cannot read them (nginx never serves them either)."""
    import stat

    from django.core.files.base import ContentFile

    from portal.storage import PrivateStorage

    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    storage = PrivateStorage()
    name = storage.save("complaints/2026/12/photo.jpg", ContentFile(b"\xff\xd8 a photo"))
    path = tmp_path / "private" / name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
