"""Reading staff spreadsheets and keeping an upload between its preview and its confirmation."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from portal.spreadsheets import SpreadsheetError, read_table, upload_discard, upload_stash, upload_unstash

LIMITS = {"max_bytes": 100_000, "max_rows": 5, "too_large": "文件太大。"}


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    # Formatting far below the data makes Excel report a much larger sheet; those rows are blank.
    sheet.cell(row=500, column=1).number_format = "@"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_cells_read_as_typed():
    content = xlsx([["序号", "电话", "日期"], [1, 13800000000, datetime.datetime(2026, 3, 1)], [None, None, None],
                    [2.0, "0994-0123456", datetime.date(2026, 3, 2)]])
    table = read_table(content, "名单.XLSX", **LIMITS)
    assert table == [["序号", "电话", "日期"], ["1", "13800000000", "2026-03-01"], [],
                     ["2", "0994-0123456", "2026-03-02"]]  # the blank row stays, the formatted tail does not


def test_csv_saved_by_wps_in_gbk_is_read():
    content = "序号,姓名\r\n1,示例甲\r\n".encode("gbk")
    assert read_table(content, "roster.csv", **LIMITS) == [["序号", "姓名"], ["1", "示例甲"]]


def test_reading_stops_one_row_past_the_limit_so_the_caller_can_say_the_file_is_too_long():
    content = "\n".join(f"{n},x" for n in range(100)).encode()
    assert len(read_table(content, "a.csv", **LIMITS)) == LIMITS["max_rows"] + 1


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"x" * 100_001, "big.csv", "文件太大。"),
    (b"PK\x03\x04 not really a workbook", "a.xlsx", "无法读取该 XLSX 文件"),
    (b"\xff\xfe\x00\xd8 broken", "a.csv", "无法识别 CSV 文件的编码"),
    (b"%PDF-1.7", "a.pdf", "只能导入 .xlsx 或 .csv 文件。"),
])
def test_unreadable_files_are_refused_with_a_reason(content, name, message):
    with pytest.raises(SpreadsheetError, match=message):
        read_table(content, name, **LIMITS)


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_a_stashed_upload_comes_back_only_to_the_user_who_sent_it(private_media, django_user_model, db):
    alice = django_user_model.objects.create_user("alice")
    bob = django_user_model.objects.create_user("bob")
    token = upload_stash(content=b"a,b\n", filename="x.csv", folder="t", salt="s", user=alice, extra={"d": "2026-01-01"})
    assert upload_unstash(token=token, folder="t", salt="s", user=bob) is None
    assert upload_unstash(token=token, folder="t", salt="other", user=alice) is None
    content, data = upload_unstash(token=token, folder="t", salt="s", user=alice)
    assert content == b"a,b\n" and data["d"] == "2026-01-01" and data["n"] == "x.csv"
    upload_discard(data=data, folder="t")
    assert upload_unstash(token=token, folder="t", salt="s", user=alice) is None


def test_a_stashed_file_changed_on_disk_is_refused(private_media, django_user_model, db):
    alice = django_user_model.objects.create_user("alice")
    token = upload_stash(content=b"a,b\n", filename="x.csv", folder="t", salt="s", user=alice)
    (stored,) = (private_media / "t").iterdir()
    stored.write_bytes(b"a,c\n")
    with pytest.raises(PermissionDenied):
        upload_unstash(token=token, folder="t", salt="s", user=alice)
