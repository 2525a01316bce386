"""The citizen-facing pages in Uyghur (ug: Arabic script, right to left): the producer page, the complaint
form, the receipt and tracking page, the substances list and the badge check; the PDFs in a font that has
the Uyghur letters."""

import re
import subprocess

import pytest

from tests.portal.test_translations import HAN_RUN, _data_strings, _runs, english_site, visible_text  # noqa: F401

pytestmark = pytest.mark.django_db

ARABIC = re.compile(r"[\u0600-\u06ff]")


def _ug(client):
    client.cookies["lang"] = "ug"
    return client


@pytest.fixture
def uyghur_site(english_site):  # noqa: F811 (the fixture imported above)
    """The same site as the English checks, read by someone who chose Uyghur; with a complaint submitted
    (its receipt in the session) and a staff badge issued."""
    from complaints.models import Category, Kind
    from complaints.services import complaint_submit
    from complaints.views import RECEIPT_SESSION
    from disclosure.models import Role, RoleAssignment
    from disclosure.services.badges import badge_issue

    client = _ug(english_site["client"])
    complaint = complaint_submit(kind=Kind.REPORT, category=Category.BANNED_PESTICIDE,
                                 description="看到有人在大棚里喷洒甲胺磷。", place_village=english_site["village"],
                                 reporter_name="举报人示例", reporter_phone="13912345678")
    session = client.session
    session[RECEIPT_SESSION] = {"code": complaint.tracking_code, "repeat": False}
    session.save()
    assignment = RoleAssignment.objects.get(role=Role.COORDINATOR, grid=english_site["village"])
    badge, _created = badge_issue(assignment=assignment, by=None)
    return {**english_site, "client": client, "complaint": complaint, "badge": badge}


def uyghur_pages(site) -> list[str]:
    return [f"/p/{site['producer'].code}/", "/complaints/new/", "/complaints/receipt/", "/complaints/track/",
            "/substances/", f"/b/{site['badge'].code}/"]


def _chinese_data(site) -> set[str]:
    """What may stay Chinese: data (names, places, the list's entries) and the search examples the Uyghur
    messages quote on purpose (甲胺磷 is searched in Chinese)."""
    import polib
    from django.utils import translation

    with translation.override("zh-hans"):
        data = _data_strings() + [site["complaint"].description]
    catalogue = polib.pofile("locale/ug/LC_MESSAGES/django.po")
    return _runs(data) | _runs(e.msgstr for e in catalogue if e.msgstr)


def test_the_citizen_pages_read_right_to_left_in_uyghur(uyghur_site):
    client = uyghur_site["client"]
    data_runs = _chinese_data(uyghur_site)
    for path in uyghur_pages(uyghur_site):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert '<html lang="ug" dir="rtl">' in html, path
        text = visible_text(html)
        assert len(ARABIC.findall(text)) > 100, path  # the page speaks Uyghur…
        leftovers = sorted(_runs([text]) - data_runs)
        assert not leftovers, f"{path}: Chinese interface text in Uyghur: {leftovers[:10]}"  # …and only data stays Chinese


def test_tracking_a_case_in_uyghur(uyghur_site):
    client = uyghur_site["client"]
    client.post("/complaints/track/", {"code": uyghur_site["complaint"].display_code})
    html = client.get("/complaints/track/").content.decode()
    assert '<html lang="ug" dir="rtl">' in html and uyghur_site["complaint"].display_code in html
    text = visible_text(html)
    assert "تاپشۇرۇۋېلىندى" in text  # the first step of the timeline, "received"
    assert not sorted(_runs([text]) - _chinese_data(uyghur_site))


def test_the_switcher_offers_uyghur_named_in_its_own_script(client, home):
    html = client.get("/").content.decode()
    assert 'href="/lang/ug/?next=/" lang="ug" hreflang="ug" dir="rtl">ئۇيغۇرچە</a>' in html
    response = client.get("/lang/ug/?next=/")
    assert response.cookies["lang"].value == "ug"


def test_the_substances_poster_prints_uyghur_in_an_arabic_script_font(client, home):
    from disclosure.services.substances import substances_load

    substances_load()
    pdf = _ug(client).get("/substances/poster.pdf").content
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True).stdout.decode()
    if not fonts:  # older poppler reads no stdin
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            fonts = subprocess.run(["pdffonts", handle.name], capture_output=True, check=True).stdout.decode()
    assert re.search(r"Noto-(Naskh|Sans)-Arabic", fonts), fonts
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "تىزىملىك" in text  # "list", joined letters, not one by one
