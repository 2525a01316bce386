"""A catalogue of bad input: each case gets its specific message beside its field, and nothing is saved."""

import html
import io
import re
import time

import pytest
from django.core import signing
from PIL import Image

from complaints.forms import FORM_SALT
from complaints.models import Attachment, Complaint, ComplaintEvent
from complaints.services import complaint_submit
from tests.complaints.conftest import jpeg_bytes, upload

pytestmark = pytest.mark.django_db
URL = "/complaints/new/"


def field_error(content: str, field: str) -> str:
    """The text of the error shown beside a field (crispy's #id_<field>_error), or ''."""
    match = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</div>', content, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).strip() if match else ""


def summary(content: str) -> str:
    match = re.search(r'id="error-summary"(.*?)</div>', content, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))) if match else ""


def big_png(megabytes: float) -> bytes:
    """A real PNG of random noise (incompressible) of roughly the given size."""
    import os

    side = int((megabytes * 1024 * 1024 / 3) ** 0.5) + 1
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=0)
    return out.getvalue()


def bomb_png() -> bytes:
    """A tiny file that would decode to 40,000 × 40,000 pixels (1.6 gigapixels)."""
    image = Image.new("1", (40000, 40000))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
HTML_FILE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def gif_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("P", (20, 20)).save(out, format="GIF")
    return out.getvalue()


# (case id, form overrides, files, field ('' for the summary), expected message fragment)
CASES = [
    ("empty description", {"description": ""}, None, "description", "请填写“发生了什么”"),
    ("blank description", {"description": "   \n  "}, None, "description", "请填写“发生了什么”"),
    ("overlong description", {"description": "农" * 2001}, None, "description", "最多2000个字，您填写了2001个字"),
    ("script in description", {"description": "请看<script>alert(1)</script>"}, None, "description", "不能包含网页代码或脚本"),
    ("html in address", {"address": '<img src=x onerror="alert(1)">'}, None, "address", "不能包含网页代码或脚本"),
    ("html in name", {"reporter_name": "<b>张</b>"}, None, "reporter_name", "不能包含网页代码或脚本"),
    ("script in producer", {"producer": "<script>x</script>"}, None, "producer", "不能包含网页代码或脚本"),
    ("javascript url in description", {"description": "点这里 javascript:alert(1)"}, None, "description", "不能包含网页代码或脚本"),
    ("null byte in description", {"description": "看到\x00有人喷药"}, None, "description", "空字符"),
    ("null byte in name", {"reporter_name": "张\x00三"}, None, "reporter_name", "空字符"),
    ("null byte in phone", {"reporter_phone": "139\x0012345678"}, None, "reporter_phone", "空字符"),
    ("overlong address", {"address": "地" * 201}, None, "address", "最多200个字"),
    ("overlong name", {"reporter_name": "名" * 51}, None, "reporter_name", "最多50个字"),
    ("missing kind", {"kind": None}, None, "kind", "请选择“投诉”或“举报”"),
    ("forged kind", {"kind": "hack"}, None, "kind", "请选择“投诉”或“举报”"),
    ("forged category", {"category": "drop table"}, None, "category", "请从列出的类别中选择"),
    ("bad phone", {"reporter_phone": "12345"}, None, "reporter_phone", "不是有效的电话号码"),
    ("letters as phone", {"reporter_phone": "call me"}, None, "reporter_phone", "不是有效的电话号码"),
    ("bad email", {"reporter_email": "not-an-email"}, None, "reporter_email", "不是有效的邮箱地址"),
    ("unknown producer code", {"producer": "AAAAAA"}, None, "producer", "没有找到公示编码为“AAAAAA”的生产主体"),
    ("village outside township", {"place_village": "__other__"}, None, "place_village", "不属于"),
    ("forged village id", {"place_village": "999999"}, None, "place_village", "请从列表中选择村"),
    ("forged township id", {"place_township": "abc"}, None, "place_township", "请从列表中选择乡镇"),
    ("anonymous with a name", {"anonymous": "on"}, None, "anonymous", "选择匿名时不保存姓名和联系方式"),
    ("no consent", {"consent": None}, None, "consent", "勾选同意"),
    ("honeypot filled", {"website": "http://spam.example"}, None, "website", "自动程序"),
    ("forged form token", {"form_token": "forged"}, None, "", "表单已过期或不完整"),
    ("pdf renamed to jpg", {}, [("report.jpg", PDF)], "photos", "不是可以识别的照片"),
    ("html renamed to jpg", {}, [("page.jpg", HTML_FILE)], "photos", "不是可以识别的照片"),
    ("svg with a script", {}, [("drawing.svg", SVG)], "photos", "不是可以识别的照片"),
    ("svg renamed to jpg", {}, [("drawing.jpg", SVG)], "photos", "不是可以识别的照片"),
    ("gif", {}, [("anim.gif", "gif")], "photos", "GIF格式"),
    ("empty file", {}, [("empty.jpg", b"")], "photos", "空文件"),
    ("truncated jpeg", {}, [("cut.jpg", "truncated")], "photos", "不是可以识别的照片"),
    ("decompression bomb", {}, [("bomb.png", "bomb")], "photos", "像素太多"),
    ("11 MB image", {}, [("huge.png", "11mb")], "photos", "超过了每张10 MB的上限"),
    ("six photos", {}, [(f"p{i}.jpg", None) for i in range(6)], "photos", "最多上传5张照片，您选择了6张"),
]


def _file_bytes(spec):
    if spec is None:
        return jpeg_bytes()
    if spec == "gif":
        return gif_bytes()
    if spec == "truncated":
        return jpeg_bytes()[:300]
    if spec == "bomb":
        return bomb_png()
    if spec == "11mb":
        return big_png(11)
    return spec


@pytest.mark.parametrize(("overrides", "files", "field", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_refused_beside_its_field(client, form_data, township, overrides, files, field, message):
    if overrides.get("place_village") == "__other__":
        other = township.parent.children.exclude(pk=township.pk).first().children.first()
        overrides = {**overrides, "place_village": str(other.pk)}
    data = form_data(**overrides)
    if files:
        data["photos"] = [upload(name, _file_bytes(spec)) for name, spec in files]
    response = client.post(URL, data)
    assert response.status_code == 200
    content = response.content.decode()
    shown = field_error(content, field) if field else summary(content)
    assert message in shown, f"expected {message!r} beside {field or 'the form'}, got {shown!r}"
    assert Complaint.objects.count() == 0 and Attachment.objects.count() == 0
    assert ComplaintEvent.objects.count() == 0
    # What was typed is still there (the description is echoed escaped, never as markup).
    assert "<script>alert(1)</script>" not in content
    if "reporter_name" not in overrides and field != "anonymous":
        assert 'value="填表人示例"' in content


def test_catalogue_is_at_least_25_cases():
    assert len(CASES) >= 25


def test_submitted_too_fast(client, form_data, settings):
    settings.COMPLAINTS_MIN_FILL_SECONDS = 30
    response = client.post(URL, form_data())
    assert "提交得太快" in summary(response.content.decode())
    assert Complaint.objects.count() == 0
    # Once the time has passed, the very same token goes through.
    old = signing.loads(form_data()["form_token"], salt=FORM_SALT)
    old["t"] = int(time.time()) - 60
    response = client.post(URL, form_data(form_token=signing.dumps(old, salt=FORM_SALT)))
    assert response.status_code == 302 and Complaint.objects.count() == 1


def test_repeated_submit_makes_one_complaint(client, form_data):
    data = form_data()
    first = client.post(URL, data)
    second = client.post(URL, data)
    assert first.status_code == second.status_code == 302
    assert Complaint.objects.count() == 1
    page = client.get(second["Location"]).content.decode()
    assert "已经提交过了" in page


def test_malformed_tracking_codes(client):
    for code, message in [("ACD", "应为12位"), ("0000-1111-2222", "不会出现"), ("ACDE\x00FGHJKMNP", "空字符"),
                          ("", "请输入查询码"), ("A" * 41, "您输入了41位")]:
        response = client.post("/complaints/track/", {"code": code})
        assert message in field_error(response.content.decode(), "code"), code


def test_unknown_tracking_code(client):
    response = client.post("/complaints/track/", {"code": "ACDE-FGHJ-KMNP"})
    assert "没有找到这个查询码" in field_error(response.content.decode(), "code")


def test_wrong_types_through_the_service(village):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        complaint_submit(kind="report", category="other", description=12345, place_village=village)
    assert "应为文字" in str(exc.value.message_dict["description"])
    assert Complaint.objects.count() == 0
