import subprocess
from io import BytesIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage

from disclosure.models import Producer, Signboard
from disclosure.services.signboard_render import signboards_pdf
from disclosure.services.signboards import signboard_issue, signboards_for_grid
from portal.qr import qr_modules, qr_url
from tests.disclosure.test_producers_fixtures import producer_fixture, staffed_fixture  # noqa: F401
from tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db


def pdf_pages_as_images(pdf: bytes, dpi: int = 150) -> list[PILImage.Image]:
    """Render a PDF with poppler's pdftoppm, as a printer or a phone photo of the sign would see it."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "sign.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(source), str(Path(tmp) / "page")], check=True)
        return [PILImage.open(BytesIO(p.read_bytes())).convert("RGB") for p in sorted(Path(tmp).glob("page*.png"))]


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def decode_qr(image) -> list[str]:
    from pyzbar.pyzbar import ZBarSymbol, decode

    return [symbol.data.decode() for symbol in decode(image, symbols=[ZBarSymbol.QRCODE])]


def test_scan_end_to_end_signboard_to_live_page(client, producer, staffed):
    sign, _ = signboard_issue(producer=producer)  # staff register and print the sign
    response = client.get(f"/p/{producer.code}/signboard.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    assert list(Signboard.objects.filter(producer=producer)) == [sign]

    # The printed text holds the name, the grade and the coordinator's name, the serial and the address.
    text = pdf_text(pdf).replace(" ", "")
    assert producer.name in text
    assert "A类" in text or "A\n类" in text
    assert "较好" in text
    assert staffed["coordinator"].name in text
    assert f"No.{sign.serial_display}" in text
    assert f"nc.example.cn/p/{producer.code}/" in text
    for heading in ["自治区农产品质量安全监管信息公示", "单位类型", "信用情况", "营业执照", "已在国家追溯平台开展追溯",
                    "已开具食用农产品合格证", "进行自我承诺", "网格化监管体系", "村级协管员", "乡镇监管员",
                    "单位内检员", "农产品质量安全承诺书", "国家禁用、限用农药（兽药）名录"]:
        assert heading in text, heading

    # A phone decodes the QR code from the printed page …
    [page] = pdf_pages_as_images(pdf, dpi=150)
    [scanned] = decode_qr(page)
    assert scanned == qr_url(f"/p/{producer.code}/", f"s={sign.serial}")
    parts = urlsplit(scanned)
    assert f"{parts.scheme}://{parts.netloc}".lower() == "https://nc.example.cn"
    # … and opens that producer's live page, which shows the same facts.
    live = client.get(f"{parts.path}?{parts.query}")
    assert live.status_code == 200
    html = live.content.decode()
    assert producer.name in html and "A 类" in html and "较好" in html and staffed["coordinator"].name in html
    assert f'<link rel="canonical" href="https://nc.example.cn/p/{producer.code}/">' in html


def test_qr_code_is_at_least_10cm_wide_on_a3_with_a_quiet_zone(producer):
    sign, _ = signboard_issue(producer=producer)
    pdf = signboards_pdf(signs=[sign], paper="A3")
    dpi = 100
    [page] = pdf_pages_as_images(pdf, dpi=dpi)
    assert page.size[0] > page.size[1]  # landscape A3: 420 × 297 mm
    assert abs(page.size[0] / dpi * 25.4 - 420) < 2
    # Find the QR code's dark modules and measure them.
    from pyzbar.pyzbar import decode

    [symbol] = decode(page)
    width_mm = symbol.rect.width / dpi * 25.4
    modules = qr_modules(qr_url(f"/p/{producer.code}/", f"s={sign.serial}"))
    # rect covers the dark modules only; the drawn code adds the 4-module quiet zone on each side.
    printed_mm = width_mm * modules / (modules - 8)
    assert printed_mm >= 100, printed_mm
    assert width_mm / (modules - 8) >= 2.5  # each module ≥ 2.5 mm: readable from a metre away


def test_a4_on_request(client, producer):
    response = client.get(f"/p/{producer.code}/signboard.pdf?paper=A4")
    from pypdf import PdfReader

    box = PdfReader(BytesIO(response.content)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    assert client.get(f"/p/{producer.code}/signboard.pdf?paper=B5").status_code == 400


def test_a_public_download_never_registers_a_sign(client, producer):
    """Anyone may download the sign, but only staff register one: without a registered sign with today's
    facts the download is a specimen (样张) with no serial, and the sign register is never written."""
    url = f"/p/{producer.code}/signboard.pdf"
    specimen = client.get(url)
    assert not Signboard.objects.exists()
    text = pdf_text(specimen.content).replace(" ", "")
    assert "样张" in text and "No." not in text and producer.name in text
    assert "specimen" in specimen["Content-Disposition"]
    [page] = pdf_pages_as_images(specimen.content, dpi=100)
    assert decode_qr(page) == [qr_url(f"/p/{producer.code}/")]  # no serial to scan

    sign, _ = signboard_issue(producer=producer, force=True)
    text = pdf_text(client.get(url).content).replace(" ", "")
    assert f"No.{sign.serial_display}" in text and "样张" not in text
    # The facts change after printing: the public gets a specimen again; the register keeps one sign.
    Producer.objects.filter(pk=producer.pk).update(name="长丰绿源蔬菜示例专业合作社（更名）")
    text = pdf_text(client.get(url).content).replace(" ", "")
    assert "样张" in text and "（更名）" in text and f"No.{sign.serial_display}" not in text
    assert list(Signboard.objects.all()) == [sign]


def test_a_scan_of_another_producers_sign_says_so(client, producer, village):
    other = ProducerFactory(name="另一家示例农场", village=village)
    theirs, _ = signboard_issue(producer=other)
    html = client.get(f"/p/{producer.code}/?s={theirs.serial}").content.decode()
    assert "这块公示牌不属于本生产主体" in html and f"编号 {theirs.serial}" in html
    assert f'href="/complaints/new/?producer={producer.code}"' in html and "另一家示例农场" not in html
    html = client.get(f"/p/{producer.code}/?s={theirs.serial + 100}").content.decode()
    assert "这块公示牌不属于本生产主体" not in html and f"没有编号为 {theirs.serial + 100} 的公示牌登记记录" in html


def _layout_bottoms(pdf_html: str) -> dict:
    """Where the sign's blocks end and where its footer starts, from WeasyPrint's layout of one sign."""
    from portal.pdf import html_document

    page = html_document(pdf_html).render().pages[0]
    found: dict[str, float] = {}
    stack = [page._page_box]
    while stack:
        box = stack.pop()
        stack.extend(getattr(box, "children", None) or [])
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        for name in ("col-left", "col-mid", "col-right", "sign-foot"):
            if name in classes:
                found[name] = box.position_y if name == "sign-foot" else box.position_y + box.height
    return found


@pytest.mark.parametrize("commitment", ["standard", "long"])
def test_nothing_on_the_sign_runs_under_its_footer(producer, commitment):
    """The full banned list and a commitment of up to 300 characters stay above the footer; the list is
    set in type of at least 9 pt."""
    from disclosure.services import signboard_render as render
    from disclosure.services.substances import substances_load

    substances_load()
    if commitment == "long":
        Producer.objects.filter(pk=producer.pk).update(commitment_text="本单位承诺严格遵守农产品质量安全法律法规。" * 14 + "以上承诺接受社会监督。")
        producer.refresh_from_db()
    sign, _ = signboard_issue(producer=producer)
    summary = render.substances_summary()
    assert len(summary["pesticide_banned"]) > 40
    html = render.signboards_html(signs=[sign], paper="A3", images={}, substances=summary,
                                  assets=render.print_assets(), hotline="0994-12316")
    bottoms = _layout_bottoms(html)
    for column in ("col-left", "col-mid", "col-right"):
        assert bottoms[column] <= bottoms["sign-foot"], (column, bottoms)
    text = pdf_text(render.signboards_pdf(signs=[sign])).replace(" ", "").replace("\n", "")
    assert summary["pesticide_banned"][-1] in text and summary["vet_banned"][-1] in text
    css = render.print_assets()["stylesheet"]
    size = float(css.split(".substances p { font-size: ")[1].split("rem")[0])
    assert size * 4 / 25.4 * 72 >= 9  # 1 rem = 4 mm on A3


def test_staff_issue_always_registers_a_new_serial(producer):
    a, created_a = signboard_issue(producer=producer, force=True)
    b, created_b = signboard_issue(producer=producer, force=True)
    c, created_c = signboard_issue(producer=producer, force=False)
    assert created_a and created_b and not created_c
    assert b.serial == a.serial + 1 and c == b


def test_township_batch_is_one_pdf_with_a_page_per_sign(producer, township, village, grids, monkeypatch):
    ProducerFactory(name="同镇另一家示例家庭农场", kind="family_farm", village=village)
    ProducerFactory(name="未公开示例主体", village=village, published=False)
    other_township = grids.filter(level="village").exclude(parent=township).first()
    ProducerFactory(name="外镇示例主体", village=other_township)
    ticks = []
    signs = signboards_for_grid(grid=township, progress=lambda n, total, p: ticks.append((n, total)))
    assert {s.producer.name for s in signs} == {producer.name, "同镇另一家示例家庭农场"}
    assert ticks == [(1, 2), (2, 2)]
    from pypdf import PdfReader

    assert len(PdfReader(BytesIO(signboards_pdf(signs=signs))).pages) == 2
    # Large batches are drawn in chunks and joined: same pages, same order.
    import disclosure.services.signboard_render as service

    monkeypatch.setattr(service, "CHUNK", 1)
    joined = PdfReader(BytesIO(signboards_pdf(signs=signs)))
    assert [signs[0].producer.name in page.extract_text().replace(" ", "") for page in joined.pages] == [True, False]
    # Reprinting unchanged signs keeps their serials; renumbering registers new ones.
    again = signboards_for_grid(grid=township)
    assert [s.serial for s in again] == [s.serial for s in signs]
    renumbered = signboards_for_grid(grid=township, force=True)
    assert all(n.serial > o.serial for n, o in zip(renumbered, signs, strict=True))


def test_print_signboards_command(tmp_path, producer, township, capsys):
    out = tmp_path / "sangong.pdf"
    call_command("print_signboards", "--township", township.slug, "--output", str(out))
    captured = capsys.readouterr()
    assert out.read_bytes().startswith(b"%PDF")
    assert "1/1" in captured.err and "[" in captured.err  # the progress bar
    assert "1 signboards" in captured.out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no township"):
        call_command("print_signboards", "--township", "nowhere", "--output", str(out))


def test_an_unrated_sign_says_so_in_the_grade_box_and_prints_no_rating_date(client, producer):

    from disclosure.services.producers import rating_set

    rating_set(producer=producer, grade="unrated", effective_date=timezone.localdate(), basis="重新登记")
    text = pdf_text(client.get(f"/p/{producer.code}/signboard.pdf?paper=A4").content).replace(" ", "")
    assert "未评级" in text and "评级日期" not in text and "类" not in text.replace("单位类型", "")
    rating_set(producer=producer, grade="review", effective_date=timezone.localdate(), basis="生产主体提出异议")
    text = pdf_text(client.get(f"/p/{producer.code}/signboard.pdf?paper=A4").content).replace(" ", "")
    assert "复核中" in text and "类" not in text.replace("单位类型", "")
