"""The banned and restricted list as an A3 wall poster: every section in force, above its footer, with a
QR code to /substances/ that a phone reads from across the room."""

import io

import pytest

from disclosure.models import Substance
from disclosure.services.substances import substances_load
from portal.qr import qr_url
from tests.disclosure.test_signboards import decode_qr, pdf_pages_as_images, pdf_text
from tests.photo import phone_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(home):
    substances_load()


def test_the_poster_prints_every_section_and_scans_to_the_list(client, listed):
    assert 'href="/substances/poster.pdf"' in client.get("/substances/").content.decode()
    response = client.get("/substances/poster.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    [page] = PdfReader(io.BytesIO(response.content)).pages
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 1191)  # A3 portrait
    text = pdf_text(response.content).replace(" ", "").replace("\n", "")
    for words in ("国家禁用、限用农药（兽药）名录", "禁止（停止）使用的农药", "在部分范围禁止使用的农药",
                  "食品动物中禁止使用的药品及其他化合物", "停止使用的药物饲料添加剂", "甲胺磷", "克百威",
                  "禁止在蔬菜、瓜果、茶叶、中草药材上使用", "促生长类药物饲料添加剂", "0994-12316"):
        assert words in text, words
    # A restriction superseded by a full ban is not printed as a restriction any more.
    assert Substance.objects.filter(name_zh="克百威", status="restricted").exists()
    assert "克百威：" not in text

    [image] = pdf_pages_as_images(response.content, dpi=60)
    assert decode_qr(phone_photo(image, height=800)) == [qr_url("/substances/")]


def test_nothing_runs_under_the_footer(listed):
    from disclosure.services import substances_poster
    from portal.pdf import html_document

    captured = {}
    real = html_document

    def keep(html):
        captured["html"] = html
        return real(html)

    substances_poster.html_document = keep
    try:
        substances_poster.substances_poster_pdf(hotline="0994-12316")
    finally:
        substances_poster.html_document = real
    page = real(captured["html"]).render().pages[0]
    bottoms, foot = [], None
    stack = [page._page_box]
    while stack:
        box = stack.pop()
        stack.extend(getattr(box, "children", None) or [])
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        if "sp-section" in classes:
            bottoms.append(box.position_y + box.height)
        if "sp-foot" in classes:
            foot = box.position_y
    assert len(bottoms) == 5 and max(bottoms) <= foot, (bottoms, foot)
