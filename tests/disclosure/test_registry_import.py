import csv
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from disclosure.models import Producer
from disclosure.services.registry_import import (
    COLUMNS,
    RegistryFileError,
    registry_import,
    registry_parse,
    registry_template_csv,
)
from tests.factories import ProducerFactory, UserFactory

pytestmark = pytest.mark.django_db
HEAD = [h for h, _n, _r in COLUMNS]


def row(**values):
    base = {"名称": "长丰示例蔬菜专业合作社", "单位类型": "农民合作社", "乡镇": "三工镇", "村": "长丰村",
            "统一社会信用代码": "", "已在国家追溯平台开展追溯": "否", "信息核实日期": "2025-03-01"}
    base.update(values)
    return [base.get(h, "") for h in HEAD]


def as_csv(rows, head=HEAD) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(head)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEAD)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_good_file_imports_new_and_updates_existing(grids):
    existing = ProducerFactory(name="旧名称示例合作社", credit_code="91350100M000100Y43")
    by_code = ProducerFactory(name="按编码更新示例")
    content = as_xlsx([
        row(名称="新增示例家庭农场", 单位类型="家庭农场", 村="长丰"),  # "长丰" finds 长丰村
        row(名称="新名称示例合作社", 统一社会信用代码="91350100m000100y43", 联系电话="0994 1234567",
            已在国家追溯平台开展追溯="是", 追溯平台主体码="65230100000009"),
        row(公示编码=by_code.code.lower(), 名称="按编码更新示例（改）", 单位类型="规模种植养殖户"),
    ])
    preview = registry_parse(content=content, filename="名录.xlsx")
    assert preview.ok, [r.errors for r in preview.rows]
    assert [r.is_new for r in preview.rows] == [True, False, False]
    counts = registry_import(preview=preview, by=UserFactory())
    assert counts == {"created": 1, "updated": 2}
    existing.refresh_from_db()
    assert existing.name == "新名称示例合作社" and existing.on_traceability_platform and existing.phone == "09941234567"
    by_code.refresh_from_db()
    assert by_code.kind == "large_grower"
    new = Producer.objects.get(name="新增示例家庭农场")
    assert len(new.code) == 6 and new.village.name == "长丰村" and new.kind == "family_farm"
    assert new.revisions.count() == 1  # the import is in the producer's history


def test_every_row_error_is_reported_and_nothing_is_saved(grids):
    before = Producer.objects.count()
    content = as_csv([
        row(),                                                      # 2: fine
        row(名称="", 单位类型="外星人"),                             # 3: two errors
        row(统一社会信用代码="91350100M000100Y44"),                  # 4: wrong check character
        row(乡镇="火星镇"),                                          # 5
        row(村="不存在村"),                                          # 6
        row(已开具合格证="也许"),                                    # 7
        row(承诺书签署日期="2024-13-45"),                            # 8
        row(公示编码="ZZZZZZ"),                                      # 9
        row(联系电话="1234"),                                        # 10
        row(已在国家追溯平台开展追溯="是"),                           # 11: needs a subject code
    ])
    preview = registry_parse(content=content, filename="registry.csv")
    errors = {r.line: " ".join(r.errors) for r in preview.rows}
    assert errors[2] == ""
    assert "名称：必填" in errors[3] and "单位类型：“外星人”无法识别" in errors[3]
    assert "校验位不正确" in errors[4]
    assert "没有名为“火星镇”的乡镇" in errors[5]
    assert "三工镇没有名为“不存在村”的村" in errors[6]
    assert "已开具合格证：“也许”无法识别" in errors[7]
    assert "不是有效日期" in errors[8]
    assert "公示编码：ZZZZZZ 不存在" in errors[9]
    assert "不是有效的电话号码" in errors[10]
    assert "追溯平台主体码" in errors[11]
    assert preview.error_count == 9 and not preview.ok
    with pytest.raises(ValidationError, match="未导入任何数据"):
        registry_import(preview=preview)
    assert Producer.objects.count() == before


def test_duplicates_inside_the_file_are_errors(grids):
    content = as_csv([row(统一社会信用代码="914403001922038216"), row(名称="另一个", 统一社会信用代码="914403001922038216")])
    preview = registry_parse(content=content, filename="r.csv")
    assert "与第 2 行重复" in " ".join(preview.rows[1].errors)


def test_a_credit_code_taken_by_another_producer_is_an_error(grids):
    ProducerFactory(name="已有示例", credit_code="9144030071526726XG")
    other = ProducerFactory(name="另一个示例")
    content = as_csv([row(公示编码=other.code, 统一社会信用代码="9144030071526726XG")])
    preview = registry_parse(content=content, filename="r.csv")
    assert "统一社会信用代码" in " ".join(preview.rows[0].errors)


@pytest.mark.parametrize("content, filename, message", [
    (b"", "r.csv", "文件是空的"),
    (b"foo,bar\n1,2\n", "r.csv", "缺少必填列"),
    (b"PK\x03\x04 not really", "r.xlsx", "无法读取该 XLSX 文件"),
    (b"hello", "r.txt", "只能导入 .xlsx 或 .csv 文件"),
])
def test_unreadable_files_get_a_clear_message(grids, content, filename, message):
    with pytest.raises(RegistryFileError, match=message):
        registry_parse(content=content, filename=filename)


def test_gb18030_csv_from_old_excel_is_read(grids):
    text = ",".join(HEAD) + "\n" + ",".join(row()) + "\n"
    preview = registry_parse(content=text.encode("gb18030"), filename="r.csv")
    assert preview.ok


def test_template_file_parses_cleanly(grids):
    preview = registry_parse(content=registry_template_csv(), filename="template.csv")
    assert preview.ok, preview.rows[0].errors


def test_admin_preview_then_confirm(client, grids, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    client.force_login(UserFactory(is_superuser=True))
    bad = io.BytesIO(as_csv([row(), row(乡镇="火星镇")]))
    bad.name = "bad.csv"
    response = client.post("/admin/producers/import/", {"file": bad})
    html = response.content.decode()
    assert "有 1 行存在错误，未导入任何数据" in html and "没有名为“火星镇”的乡镇" in html
    assert 'name="token"' not in html
    good = io.BytesIO(as_csv([row(名称="预览后导入示例合作社")]))
    good.name = "good.csv"
    html = client.post("/admin/producers/import/", {"file": good}).content.decode()
    assert "全部 1 行检查通过" in html
    assert not Producer.objects.filter(name="预览后导入示例合作社").exists()  # nothing saved by the preview
    token = html.split('name="token" value="')[1].split('"')[0]
    response = client.post("/admin/producers/import/", {"token": token})
    assert response.status_code == 302
    assert Producer.objects.filter(name="预览后导入示例合作社").exists()
    # The token is spent with its file.
    response = client.post("/admin/producers/import/", {"token": token}, follow=True)
    assert "已过期或无效" in response.content.decode()
    assert client.get("/admin/producers/import/?template=1")["Content-Type"].startswith("text/csv")
