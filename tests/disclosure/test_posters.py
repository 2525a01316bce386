"""Wall posters (网格化管理图, A3 PDF): names, phones and duties in the text, a QR code that opens the live
grid page, and a cache that draws a poster again only when its data changed."""

import datetime
import io
import subprocess

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader

from disclosure.models import Grid, Role, RoleAssignment
from disclosure.services import posters
from disclosure.services.grids import role_assign
from portal.qr import qr_url
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def pdf_text(tmp_path, content: bytes) -> str:
    path = tmp_path / "poster.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def holders(grid):
    return [a.person for a in RoleAssignment.objects.current().filter(grid=grid).select_related("person")]


def test_township_poster_is_one_a3_portrait_page_with_everyone_on_it(client, staffed_grids, township, tmp_path):
    response = client.get("/grid/sangong/poster.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 1191)  # A3 portrait
    text = pdf_text(tmp_path, response.content)
    assert "三工镇农产品质量安全网格化管理图" in text
    for person in holders(township):
        assert person.name in text and person.phone in text
    for village in township.children.all():
        assert village.name in text
        for person in holders(village):
            assert person.name in text and person.phone in text
    assert "网格监管员" in text and "乡镇监管站检测员" in text and "村级协管员" in text
    assert "组织开展日常监管及受理群众投诉举报" in text  # the township level's duties
    assert "投诉举报电话" in text and "0994-12316" in text
    assert "信息日期" in text


def test_village_and_city_posters_name_their_people(client, staffed_grids, village, tmp_path):
    text = pdf_text(tmp_path, client.get("/grid/sangong/changfeng/poster.pdf").content)
    assert "三工镇长丰村农产品质量安全网格化管理图" in text
    for person in holders(village) + holders(village.parent):
        assert person.name in text
    assert "根据乡镇监管公共服务机构及网格监管员要求" in text  # the village level's duties
    city_text = pdf_text(tmp_path, client.get("/grid/poster.pdf").content)
    assert "昌吉市农产品质量安全网格化管理图" in city_text
    for grid in Grid.objects.exclude(level="city"):
        assert grid.name in city_text
    coordinator = holders(village)[0]
    assert coordinator.name in city_text and coordinator.phone in city_text
    assert len(PdfReader(io.BytesIO(client.get("/grid/poster.pdf").content)).pages) == 1


def decode_qr(tmp_path, content: bytes) -> list[str]:
    from pyzbar.pyzbar import decode

    (tmp_path / "p.pdf").write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(tmp_path / "p.pdf"), str(tmp_path / "p")],
                   check=True)
    return [symbol.data.decode() for symbol in decode(PILImage.open(tmp_path / "p.png"))]


@pytest.mark.parametrize("path", ["/grid/sangong/", "/grid/sangong/changfeng/", "/grid/"])
def test_the_qr_code_opens_the_live_grid_page(client, staffed_grids, tmp_path, path):
    found = decode_qr(tmp_path, client.get(path + "poster.pdf").content)
    assert found == [qr_url(path)]
    assert found[0].lower() == "https://nc.example.cn" + path
    # The upper-case URL the code carries opens the same page.
    upper = found[0].split("NC.EXAMPLE.CN", 1)[1]
    assert client.get(upper).status_code == 200


def test_poster_is_served_from_the_cache_until_its_data_changes(client, staffed_grids, village, tmp_path,
                                                                 monkeypatch):
    renders = []
    real = posters.poster_pdf

    def counting(**kwargs):
        renders.append(kwargs["node"].grid.slug)
        return real(**kwargs)

    monkeypatch.setattr(posters, "poster_pdf", counting)
    first = client.get("/grid/sangong/changfeng/poster.pdf")
    second = client.get("/GRID/SANGONG/CHANGFENG/POSTER.PDF")
    assert renders == ["changfeng"]
    assert second.content == first.content
    assert client.get("/grid/sangong/changfeng/poster.pdf", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    old = holders(village)[0]
    role_assign(person=PersonFactory(name="示例海报新协管员"), grid=village, role=Role.COORDINATOR,
                start_date=datetime.date.today())
    third = client.get("/grid/sangong/changfeng/poster.pdf", HTTP_IF_NONE_MATCH=first["ETag"])
    assert third.status_code == 200 and third["ETag"] != first["ETag"]
    assert renders == ["changfeng", "changfeng"]
    text = pdf_text(tmp_path, third.content)
    assert "示例海报新协管员" in text and old.name not in text
    # Another grid's change does not redraw this poster.
    role_assign(person=PersonFactory(), grid=Grid.objects.get(code="652301101201"), role=Role.COORDINATOR,
                start_date=datetime.date.today())
    client.get("/grid/sangong/changfeng/poster.pdf")
    assert renders == ["changfeng", "changfeng"]


def test_photos_are_printed(client, staffed_grids, village):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    person = holders(village)[0]
    person.photo = Image.objects.create(title="示例照片", file=get_test_image_file())
    person.save()
    reader = PdfReader(io.BytesIO(client.get("/grid/sangong/changfeng/poster.pdf").content))
    assert len(reader.pages[0].images) >= 1


def test_unpublished_phone_prints_the_hotline(client, staffed_grids, village, tmp_path):
    person = holders(village)[0]
    person.phone, person.phone_public = "13912345678", False
    person.save()
    text = pdf_text(tmp_path, client.get("/grid/sangong/changfeng/poster.pdf").content)
    assert person.name in text and "13912345678" not in text


def test_unknown_grid_has_no_poster(client, staffed_grids):
    assert client.get("/grid/nowhere/poster.pdf").status_code == 404


def _poster_path(level: str) -> str:
    if level == "city":
        return "/grid/"
    if level == "township":  # the township with the most villages: the fullest township poster
        township = max(Grid.objects.townships(), key=lambda t: t.children.count())
        return f"/grid/{township.slug}/"
    return "/grid/sangong/changfeng/"


def _past_the_footer_mm(html: str) -> float:
    """How far the poster's content reaches below the top of its footer (negative: room to spare)."""
    from portal.pdf import html_document

    page = html_document(html).render().pages[0]
    foot, bottom = None, 0.0
    stack = [(page._page_box, False)]
    while stack:
        box, in_foot = stack.pop()
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        if "p-foot" in classes:
            foot, in_foot = box.position_y, True
        elif (not in_foot and element is not None and element.tag not in ("html", "body", "article")
              and getattr(box, "height", 0)):
            bottom = max(bottom, box.position_y + box.height)
        stack.extend((child, in_foot) for child in (getattr(box, "children", None) or []))
    return (bottom - foot) / 96 * 25.4


@pytest.mark.parametrize("level", ["city", "township", "village"])
def test_the_qr_code_reads_from_across_the_room(client, staffed_grids, level, monkeypatch):
    """A phone photo of the whole poster, 800 px tall, slanted, turned and blurred (tests/photo.py),
    still decodes; and the bigger code leaves every grid's people and duties above the footer."""
    from pyzbar.pyzbar import ZBarSymbol, decode

    from tests.disclosure.test_signboards import pdf_pages_as_images
    from tests.photo import phone_photo

    drawn = []
    real = posters.html_document
    monkeypatch.setattr(posters, "html_document", lambda html: drawn.append(html) or real(html))
    path = _poster_path(level)
    pdf = client.get(path + "poster.pdf").content
    [page] = pdf_pages_as_images(pdf, dpi=60)
    photo = phone_photo(page, height=800)
    assert [s.data.decode() for s in decode(photo, symbols=[ZBarSymbol.QRCODE])] == [qr_url(path)]
    assert _past_the_footer_mm(drawn[-1]) <= 0
