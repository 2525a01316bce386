"""The personnel roster (人员名单): export in the plan's columns (CSV, XLSX, PDF) and import, all or nothing."""

import csv
import datetime
import io
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from disclosure.models import Grid, GridLevel, Person, Role, RoleAssignment
from disclosure.services.roster import (
    HEADER_ROWS,
    RosterFileError,
    roster_import,
    roster_parse,
    roster_rows,
    roster_xlsx,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
SEED_HEADER = [
    ["序号", "市、乡（镇）、村", "市级网格", "", "", "乡镇级网格", "", "", "", "村级网格", "备注"],
    ["", "", "监管第一责任人", "", "", "监管责任人", "", "", "乡镇监管站检测员", "协管员", ""],
    ["", "", "姓名", "职务", "联系电话", "姓名", "职务", "联系电话", "联系电话", "联系电话", ""],
]


def holder(grid, role):
    return RoleAssignment.objects.current().select_related("person").get(grid=grid, role=role).person


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def xlsx_edit(content: bytes, place: str, column: str, value: str) -> bytes:
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    for row in sheet.iter_rows(min_row=5):
        if row[1].value == place:
            sheet[f"{column}{row[1].row}"] = value
            break
    else:
        raise AssertionError(place)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- export -------------------------------------------------------------------------------------------

def test_csv_has_the_seed_columns_and_one_row_per_grid(client, staffed_grids, township, village):
    response = client.get("/personnel/?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response.content)
    assert rows[:3] == SEED_HEADER == HEADER_ROWS
    data = rows[3:]
    assert len(data) == 1 + 10 + 57
    assert [r[0] for r in data] == [str(n) for n in range(1, 69)]
    city_first = holder(Grid.objects.city(), Role.CITY_FIRST)
    assert data[0][1:5] == ["昌吉市", city_first.name, city_first.position, city_first.phone]
    sangong = next(r for r in data if r[1] == "三工镇")
    supervisor, tester = holder(township, Role.SUPERVISOR), holder(township, Role.TESTER)
    assert sangong[5:9] == [supervisor.name, supervisor.position, supervisor.phone, f"{tester.name} {tester.phone}"]
    assert sangong[2:5] == ["", "", ""] and sangong[9] == ""
    changfeng = data[data.index(sangong) + 1]
    coordinator = holder(village, Role.COORDINATOR)
    assert changfeng[1] == "长丰村" and changfeng[9] == f"{coordinator.name} {coordinator.phone}"
    assert all(len(r) == 11 for r in rows)


def test_xlsx_has_the_merged_three_row_header_and_one_row_per_grid(client, staffed_grids):
    response = client.get("/personnel/?format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    rows = xlsx_rows(response.content)
    assert rows[0][0] == "农产品质量安全网格化管理人员名单"
    assert rows[1:4] == SEED_HEADER
    assert len(rows[4:]) == 68
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:K1", "A2:A4", "B2:B4", "C2:E2", "F2:I2", "K2:K4", "C3:E3", "F3:H3"} <= merged
    # Phones are text, so a leading 0 survives Excel.
    assert sheet["E5"].number_format == "@" and sheet["E5"].value.startswith("0994-")


def test_pdf_is_a4_landscape_with_the_seed_headings_and_the_people(client, staffed_grids, village, tmp_path):
    response = client.get("/personnel/?format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "roster.pdf"
    path.write_bytes(response.content)
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595  # A4
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for heading in ("序号", "市、乡（镇）、村", "市级网格", "乡镇级网格", "村级网格", "监管第一责任人", "监管责任人",
                    "乡镇监管站检测员", "协管员", "姓名", "职务", "联系电话", "备注"):
        assert heading in text, heading
    assert holder(village, Role.COORDINATOR).name in text
    assert "阿什里哈萨克民族乡" in text
    assert text.count("姓名") == len(reader.pages) * 2  # the header is repeated on every page


def test_public_roster_page_shows_the_table_with_tel_links(client, staffed_grids, village):
    html = client.get("/personnel/").content.decode()
    assert html.count("<tr class=\"roster-") == 68
    assert f'href="tel:{holder(village, Role.COORDINATOR).phone}"' in html
    assert client.get("/personnel/?format=doc").status_code == 400


def test_unpublished_phones_show_the_hotline_in_the_public_roster(client, staffed_grids, village):
    person = holder(village, Role.COORDINATOR)
    person.phone, person.phone_public = "13912345678", False
    person.save()
    content = client.get("/personnel/?format=csv").content.decode("utf-8-sig")
    assert "13912345678" not in content and f"{person.name} 0994-12316" in content
    staff = roster_rows(public=False)
    assert any(r.people.get(Role.COORDINATOR) == [(person.name, person.position, "13912345678")] for r in staff)


# --- import: round trip -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_exported_file_imports_again_without_changes(client, staffed_grids, fmt):
    content = client.get(f"/personnel/?format={fmt}").content
    before = (Person.objects.count(), RoleAssignment.objects.count())
    preview = roster_parse(content=content, filename=f"roster.{fmt}", hotline="0994-12316")
    assert preview.ok, [(r.line, r.errors) for r in preview.rows if r.errors]
    assert len(preview.rows) == 68 and preview.change_count == 0
    counts = roster_import(preview=preview)
    assert counts == {"added": 0, "replaced": 0, "ended": 0, "updated": 0, "notes": 0}
    assert (Person.objects.count(), RoleAssignment.objects.count()) == before


def test_a_hidden_phone_in_the_public_export_is_no_change(client, staffed_grids, village):
    person = holder(village, Role.COORDINATOR)
    person.phone, person.phone_public = "13912345678", False
    person.save()
    content = client.get("/personnel/?format=xlsx").content
    preview = roster_parse(content=content, filename="r.xlsx", hotline="0994-12316")
    assert preview.ok, [(r.line, r.errors) for r in preview.rows if r.errors]
    assert preview.change_count == 0


def test_importing_a_changed_roster_replaces_the_holder_and_keeps_history(client, staffed_grids, village):
    old = holder(village, Role.COORDINATOR)
    content = xlsx_edit(roster_xlsx(roster_rows(public=False)), "长丰村", "J", "示例新协管员 13900001111")
    content_with_note = xlsx_edit(content, "长丰村", "K", "原协管员退休")
    preview = roster_parse(content=content_with_note, filename="r.xlsx", start_date=TODAY)
    assert preview.ok and preview.change_count == 1
    row = next(r for r in preview.rows if r.changed)
    assert row.grid == village
    assert any("更换" in line and old.name in line and "示例新协管员" in line for line in row.describe())
    counts = roster_import(preview=preview, by=UserFactory(username="importer"))
    assert counts["replaced"] == 1 and counts["notes"] == 1
    new = holder(village, Role.COORDINATOR)
    assert (new.name, new.phone) == ("示例新协管员", "13900001111")
    history = list(RoleAssignment.objects.filter(grid=village).history())
    assert [a.person for a in history] == [new, old] and history[1].end_date == TODAY
    village.refresh_from_db()
    assert village.note == "原协管员退休"
    assert new.revisions.exists()  # a new person gets a first revision
    assert "示例新协管员" in client.get("/grid/sangong/changfeng/").content.decode()


def test_position_and_phone_updates_for_the_same_person(staffed_grids, township):
    supervisor = holder(township, Role.SUPERVISOR)
    content = xlsx_edit(roster_xlsx(roster_rows(public=False)), "三工镇", "G", "站长")
    content = xlsx_edit(content, "三工镇", "H", "13800002222")
    preview = roster_parse(content=content, filename="r.xlsx")
    assert preview.ok and preview.change_count == 1
    assert roster_import(preview=preview)["updated"] == 1
    supervisor.refresh_from_db()
    assert (supervisor.position, supervisor.phone) == ("站长", "13800002222")
    assert holder(township, Role.SUPERVISOR) == supervisor  # still the same assignment


def test_vacant_ends_the_holder_and_a_phone_alone_finds_the_person(staffed_grids, village, township):
    other = Grid.objects.get(code="652301101201")  # 庙工村
    other_coordinator = holder(other, Role.COORDINATOR)
    content = xlsx_edit(roster_xlsx(roster_rows(public=False)), "长丰村", "J", "空缺")
    # 庙工村's coordinator also takes on 常胜村, written with the phone only.
    content = xlsx_edit(content, "常胜村", "J", f"{holder(Grid.objects.get(code='652301101202'), Role.COORDINATOR).name} "
                                              f"{holder(Grid.objects.get(code='652301101202'), Role.COORDINATOR).phone}\n"
                                              f"{other_coordinator.phone}")
    preview = roster_parse(content=content, filename="r.xlsx")
    assert preview.ok, [(r.line, r.errors) for r in preview.rows if r.errors]
    counts = roster_import(preview=preview)
    assert counts["ended"] == 1 and counts["added"] == 1
    assert not RoleAssignment.objects.current().filter(grid=village).exists()
    assert RoleAssignment.objects.current().filter(grid__code="652301101202", person=other_coordinator).exists()


# --- import: all or nothing ---------------------------------------------------------------------------------

def bad_roster() -> bytes:
    """A roster with one good change and several bad rows."""
    book = Workbook()
    sheet = book.active
    sheet.append(["农产品质量安全网格化管理人员名单"])
    for row in HEADER_ROWS:
        sheet.append(row)
    sheet.append([1, "三工镇", "", "", "", "示例好监管员", "网格监管员", "13911112222", "", "", ""])  # good
    sheet.append([2, "长丰村", "", "", "", "", "", "", "", "示例协管员 12345abc", ""])  # bad phone
    sheet.append([3, "不存在村", "", "", "", "", "", "", "", "示例 13911113333", ""])  # unknown place
    sheet.append([4, "庙工村", "示例错位", "村委委员", "13911114444", "", "", "", "", "", ""])  # wrong column
    sheet.append([5, "三工镇", "", "", "", "示例重复", "", "13911115555", "", "", ""])  # the same grid twice
    sheet.append([6, "幸福村", "", "", "", "", "", "", "", "示例 13911116666", ""])  # ambiguous (after 三工镇)
    sheet.append([7, "二六工镇", "", "", "", "示例甲\n示例乙", "", "13911117777", "", "", ""])  # names ≠ phones
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_file_with_bad_rows_shows_every_error_and_imports_nothing(staffed_grids, township):
    before_people = list(Person.objects.values_list("pk", "name", "phone", "position"))
    before_roles = list(RoleAssignment.objects.values_list("pk", "person_id", "end_date"))
    preview = roster_parse(content=bad_roster(), filename="bad.xlsx")
    assert not preview.ok
    errors = {row.line: " ".join(row.errors) for row in preview.rows}
    assert errors[5] == ""  # the good row
    assert "联系电话" in errors[6] or "姓名 电话" in errors[6]
    assert "找不到名为“不存在村”" in errors[7]
    assert "村级网格的行不填“监管第一责任人”" in errors[8]
    assert "已在第5行出现" in errors[9]
    assert "有2个村叫“幸福村”" in errors[10] or "幸福村" in errors[10]
    assert "2个姓名、1个联系电话" in errors[11]
    assert preview.error_count == 6
    with pytest.raises(ValidationError):
        roster_import(preview=preview)
    assert list(Person.objects.values_list("pk", "name", "phone", "position")) == before_people
    assert list(RoleAssignment.objects.values_list("pk", "person_id", "end_date")) == before_roles
    assert holder(township, Role.SUPERVISOR).name != "示例好监管员"


def test_a_village_name_shared_by_two_townships_is_resolved_by_the_full_name(staffed_grids):
    twins = Grid.objects.filter(name="幸福村", level=GridLevel.VILLAGE).select_related("parent")
    assert twins.count() == 2
    target = twins[1]
    book = Workbook()
    sheet = book.active
    for row in HEADER_ROWS:
        sheet.append(row)
    sheet.append([1, target.full_name, "", "", "", "", "", "", "", "示例幸福 13911118888", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = roster_parse(content=buffer.getvalue(), filename="r.xlsx")
    assert preview.ok and preview.rows[0].grid == target


def test_files_that_are_not_a_roster_are_refused_as_a_whole(staffed_grids):
    with pytest.raises(RosterFileError, match="只能导入 .xlsx 或 .csv"):
        roster_parse(content=b"x", filename="roster.doc")
    with pytest.raises(RosterFileError, match="表头"):
        roster_parse(content="名称,电话\n三工镇,0994-2345678\n".encode(), filename="r.csv")
    wrong = [list(r) for r in HEADER_ROWS]
    wrong[2][4] = "手机"
    content = "\n".join(",".join(r) for r in wrong).encode()
    with pytest.raises(RosterFileError, match="第5列应为“联系电话”"):
        roster_parse(content=content, filename="r.csv")
    with pytest.raises(RosterFileError, match="XLSX"):
        roster_parse(content=b"not a zip", filename="r.xlsx")


def test_a_csv_saved_by_excel_in_gbk_is_read(client, staffed_grids):
    text = client.get("/personnel/?format=csv").content.decode("utf-8-sig")
    preview = roster_parse(content=text.encode("gb18030"), filename="roster.csv")
    assert preview.ok and preview.change_count == 0


# --- the admin screens --------------------------------------------------------------------------------------

@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="roster_admin", is_superuser=True))
    return client


def test_admin_import_preview_then_confirm(admin_client, staffed_grids, village):
    content = xlsx_edit(roster_xlsx(roster_rows(public=False)), "长丰村", "J", "示例后台导入 13900003333")
    response = admin_client.post("/admin/grid-roster/import/", {
        "file": SimpleUploadedFile("roster.xlsx", content), "start_date": TODAY.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "全部 68 行检查通过" in html and "示例后台导入" in html
    assert holder(village, Role.COORDINATOR).name != "示例后台导入"  # nothing saved by the preview
    token = response.context["token"]
    response = admin_client.post("/admin/grid-roster/import/", {"token": token})
    assert response.status_code == 302
    assert holder(village, Role.COORDINATOR).name == "示例后台导入"


def test_admin_import_of_bad_rows_shows_errors_and_offers_no_confirmation(admin_client, staffed_grids):
    count = RoleAssignment.objects.count()
    response = admin_client.post("/admin/grid-roster/import/", {
        "file": SimpleUploadedFile("bad.xlsx", bad_roster()), "start_date": TODAY.isoformat()})
    assert response.status_code == 400
    html = response.content.decode()
    assert "有 6 行存在错误，未导入任何数据" in html
    assert "找不到名为“不存在村”" in html
    assert 'name="token"' not in html
    assert RoleAssignment.objects.count() == count


def test_admin_staff_export_has_the_real_phones(admin_client, staffed_grids, village):
    person = holder(village, Role.COORDINATOR)
    person.phone, person.phone_public = "13912345678", False
    person.save()
    response = admin_client.get("/admin/grid-roster/import/?export=csv")
    assert f"{person.name} 13912345678" in response.content.decode("utf-8-sig")


def test_import_needs_the_permission(client, staffed_grids):
    client.force_login(UserFactory(username="plain_staff"))
    assert client.get("/admin/grid-roster/import/").status_code in (302, 403)


@pytest.mark.parametrize("column, value", [("H", "12345"), ("J", "示例协管员 12316")])
def test_a_service_number_is_no_persons_phone(staffed_grids, column, value):
    """12345 and 12316 are public hotlines: the roster refuses them as a person's phone, and saves nothing."""
    place = "三工镇" if column == "H" else "长丰村"
    content = xlsx_edit(roster_xlsx(roster_rows(public=False)), place, column, value)
    if column == "H":
        content = xlsx_edit(content, place, "F", "示例新监管员")
    preview = roster_parse(content=content, filename="r.xlsx")
    assert not preview.ok
    errors = " ".join(" ".join(row.errors) for row in preview.rows)
    assert "11位手机号" in errors and "带区号的固定电话" in errors
    with pytest.raises(ValidationError):
        roster_import(preview=preview)
    assert not Person.objects.filter(phone__in=["12345", "12316"]).exists()


def test_a_person_saved_with_a_service_number_is_refused(staffed_grids):
    from tests.factories import PersonFactory

    person = PersonFactory.build(name="示例", phone="12345")
    with pytest.raises(ValidationError) as exc:
        person.full_clean()
    assert "phone" in exc.value.message_dict and "11位手机号" in exc.value.message_dict["phone"][0]


def test_a_large_roster_is_saved_in_the_background(admin_client, staffed_grids, village, monkeypatch, settings,
                                                   tmp_path):
    from disclosure import jobs
    from portal.models import BackgroundJob, JobStatus

    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr(jobs, "ROSTER_BACKGROUND_ROWS", 50)  # the city's 68 rows count as a large file
    content = xlsx_edit(roster_xlsx(roster_rows(public=False)), "长丰村", "J", "示例后台导入 13900003333")
    response = admin_client.post("/admin/grid-roster/import/", {
        "file": SimpleUploadedFile("roster.xlsx", content), "start_date": TODAY.isoformat()})
    token = response.context["token"]
    response = admin_client.post("/admin/grid-roster/import/", {"token": token})
    job = BackgroundJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.DONE and job.done == job.total == 68
    assert holder(village, Role.COORDINATOR).name == "示例后台导入"
    page = admin_client.get(response["Location"]).content.decode()
    assert "导入人员名单（roster.xlsx，68 行）" in page and "人员名单已导入：更换 1 人" in page
    # The confirmation is spent with its file.
    assert "已过期或无效" in admin_client.post("/admin/grid-roster/import/", {"token": token},
                                                follow=True).content.decode()
