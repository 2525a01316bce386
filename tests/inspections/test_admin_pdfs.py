"""The printed on-site record (现场检查记录) and the sample label: their text as pdftotext reads it, and
the codes a phone or a hand scanner reads from the printed page."""

import datetime
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from casework.services import rectification_due_default
from inspections.models import Item
from inspections.services.records import rectification_from_inspection, sample_take
from portal.qr import qr_url
from tests.inspections.conftest import ALL_PASS

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        return subprocess.run(["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True,
                              text=True).stdout


def pdf_image(pdf: bytes, dpi: int) -> Image.Image:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(source), str(Path(tmp) / "page")],
                       check=True)
        return Image.open(Path(tmp) / "page.png").convert("RGB")


def decode(image, kind: str) -> list[str]:
    from pyzbar.pyzbar import ZBarSymbol
    from pyzbar.pyzbar import decode as zbar

    return [s.data.decode() for s in zbar(image, symbols=[getattr(ZBarSymbol, kind)])]


def test_the_on_site_record_has_the_seven_items_signature_lines_and_the_producers_qr(login, township_user,
                                                                                      producer, record):
    results = dict(ALL_PASS)
    results[3] = ("fail", "采收前3天喷药")
    results[7] = ("na", "")
    inspection = record(producer, results=results, other_findings="仓库农药未上锁").obj
    sample = sample_take(producer=producer, user=township_user, product="小白菜", quantity="1kg",
                         inspection=inspection).obj
    due = rectification_due_default()
    rectification_from_inspection(inspection=inspection, user=township_user, requirements="立即停止采收", due=due)
    response = login(township_user).get(reverse("inspections:record_pdf", args=[inspection.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    flat = "".join(text.split())
    for words in ("农产品质量安全现场检查记录", producer.name, producer.code, "长丰村二组",
                  inspection.inspected_on.isoformat(), "王示例", "采收前3天喷药", "仓库农药未上锁", sample.number,
                  "小白菜", "立即停止采收", due.isoformat(), "检查人员（签名）", "生产主体负责人或在场人员（签名）"):
        assert words in flat, words
    for item in Item:
        assert str(item.label)[:12] in flat, item.label
    assert flat.count("✓") == 7  # one mark per item, in its result's column
    [scanned] = decode(pdf_image(response.content, 150), "QRCODE")
    assert scanned == qr_url(f"/p/{producer.code}/")
    # A4 portrait
    from io import BytesIO

    from pypdf import PdfReader

    box = PdfReader(BytesIO(response.content)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)


def test_the_sample_label_carries_the_number_as_text_qr_and_code_128(login, township_user, producer, record):
    inspection = record(producer).obj
    sample = sample_take(producer=producer, user=township_user, product="鲜食葡萄", quantity="2kg",
                         inspection=inspection,
                         taken_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)).obj
    response = login(township_user).get(reverse("inspections:sample_label", args=[sample.pk]))
    assert response.status_code == 200
    flat = "".join(pdf_text(response.content).split())
    for words in (sample.number, "鲜食葡萄", producer.name, "长丰村二组", township_user.get_full_name()):
        assert words in flat, words
    image = pdf_image(response.content, 300)
    assert decode(image, "QRCODE") == [sample.number]
    assert decode(image, "CODE128") == [sample.number]
    from io import BytesIO

    from pypdf import PdfReader

    box = PdfReader(BytesIO(response.content)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (70, 40)
