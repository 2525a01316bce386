"""A citizen on a phone: fills the complaint form with a photo, keeps the tracking code, finds the complaint."""

import io

import pytest
from PIL import Image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "IMG_20261128_101500.jpg"
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (44.0, 1.0, 30.0), 3: "E", 4: (87.0, 18.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (90, 140, 60)).save(out, format="JPEG", exif=exif.tobytes())
    path.write_bytes(out.getvalue())
    return path


def test_phone_form_with_photo_receipt_and_tracking(live_server, phone_page, home, grids, photo, settings):
    settings.COMPLAINTS_MIN_FILL_SECONDS = 0
    from complaints.models import Attachment, Complaint

    page = phone_page
    page.goto(live_server.url + "/complaints/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("radio", name="举报", exact=True).check()
    page.get_by_role("radio", name="使用国家禁用、限用农药").check()
    page.select_option("#id_place_township", label="三工镇")
    page.select_option("#id_place_village", label="长丰村")
    # First try without a description: the photo is kept and the error stands beside the field.
    page.set_input_files("#id_photos", str(photo))
    page.locator("#id_consent").check()
    page.get_by_role("button", name="提交").click()
    page.wait_for_load_state()
    assert page.locator("#id_description_error").inner_text().strip() == "请填写“发生了什么”。"
    assert "已保存 1 张照片" in page.locator(".kept-photos").inner_text()
    assert page.locator("#id_place_village").input_value() != ""
    page.fill("#id_description", "在长丰村3组大棚看到有人喷洒甲胺磷，气味很大。")
    page.fill("#id_reporter_phone", "13912345678")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url("**/complaints/receipt/")
    code = page.locator("[data-tracking-code]").get_attribute("data-tracking-code")
    shown = page.locator(".tracking-code").inner_text().replace("\n", "").strip()
    assert shown == code and len(code) == 14
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    complaint = Complaint.objects.get()
    assert complaint.display_code == code and Attachment.objects.filter(complaint=complaint).count() == 1
    # Track it: typed in lower case without dashes, as people do.
    page.get_by_role("link", name="去查询进度").click()
    page.fill("#id_code", code.lower().replace("-", ""))
    page.get_by_role("button", name="查询", exact=True).click()
    page.wait_for_load_state()
    assert code in page.locator(".track-summary").inner_text()
    assert "待受理" in page.locator(".state-badge").inner_text()
    assert "已收到" in page.locator(".complaint-timeline").inner_text()
    assert "13912345678" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
