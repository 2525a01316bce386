"""The site settings (the hotline in every footer) are part of every public page's ETag and cached HTML:
a new hotline number reaches phones and the shared cache at once, though no producer or grid changed."""

import pytest
from wagtail.models import Site

from portal.models import PortalSettings
from tests.disclosure.test_producers_fixtures import producer_fixture, staffed_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def _set_hotline(number: str):
    site_settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.hotline = number
    site_settings.save()


@pytest.mark.parametrize("path", ["/grid/", "/grid/sangong/changfeng/", "/personnel/", "/substances/",
                                  "/producers/", "PRODUCER"])
def test_a_new_hotline_reaches_pages_whose_own_data_did_not_change(client, staffed_grids, producer, path):
    path = f"/p/{producer.code}/" if path == "PRODUCER" else path
    _set_hotline("0994-5550011")
    first = client.get(path)
    assert first.status_code == 200 and "0994-5550011" in first.content.decode()
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    _set_hotline("0994-5550022")
    after = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and after["ETag"] != first["ETag"]
    html = after.content.decode()
    assert "0994-5550022" in html and "0994-5550011" not in html  # not the cached copy either
