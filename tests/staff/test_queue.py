"""The triage queue: filters, deadline order, counts per state, overdue flags, search, export."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint, State
from complaints.services import complaint_accept, complaint_assign, complaint_lab_pause, complaint_reject
from complaints.services import complaint_start_investigation as start

pytestmark = pytest.mark.django_db


def _due(complaint, days: int):
    """Move a complaint's current deadline to today + days (as if it had come in earlier)."""
    due = timezone.localdate() + datetime.timedelta(days=days)
    field = "accept_due" if complaint.state == State.SUBMITTED else "finish_due"
    Complaint.objects.filter(pk=complaint.pk).update(**{field: due, "due_on": due})
    complaint.refresh_from_db()
    return complaint


def _rows(response) -> list[str]:
    """The internal numbers of the listed rows, in order."""
    return re.findall(r'<a href="/admin/triage/\d+/"[^>]*>\s*(\d{4}-\d{5,})', response.content.decode())


@pytest.fixture
def data(submit, township_user, village_user, other_village, other_township, city_user):
    """Seven complaints: five in 三工镇 (four in the test village), one in another township."""
    late = _due(submit(kind="complaint", category="residue"), -3)             # submitted, 3 days overdue
    soon = _due(submit(), 2)                                                    # submitted, due in 2 days
    later = _due(submit(), 6)                                                   # submitted
    mine = submit(category="vet_drug")
    complaint_accept(complaint=mine, user=township_user, expected_version=mine.version)
    complaint_assign(complaint=mine, user=township_user, expected_version=mine.version, assignee=village_user)
    start(complaint=mine, user=village_user, expected_version=mine.version)
    complaint_lab_pause(complaint=mine, user=village_user, expected_version=mine.version, samples="样品")
    _due(mine, -10)                                                              # paused: never overdue
    elsewhere = submit(place_village=other_village, description="另一个村的情况。")
    refused = submit()
    complaint_reject(complaint=refused, user=township_user, expected_version=refused.version, reason="不属于职责范围")
    far = submit(place_village=other_township.children.order_by("code").first(), description="别的乡镇。")
    return {"late": late, "soon": soon, "later": later, "mine": mine, "elsewhere": elsewhere, "refused": refused,
            "far": far}


def test_default_is_open_by_deadline_with_flags(login, township_user, data):
    response = login(township_user).get(reverse("triage:index"))
    codes = _rows(response)
    d = {k: v.internal_number for k, v in data.items()}
    # nearest deadline first; finished and other townships absent
    assert codes[:3] == [d["mine"], d["late"], d["soon"]]
    assert set(codes) == {d["late"], d["soon"], d["later"], d["mine"], d["elsewhere"]}
    html = response.content.decode()
    assert "超期3天" in html and "2天后到期" in html and "暂停计时" in html
    assert "超期10天" not in html  # paused complaints are not overdue


def test_counts_per_state(login, township_user, data):
    response = login(township_user).get(reverse("triage:index"))
    chips = {c["state"]: c["count"] for c in response.context["state_chips"]}
    assert chips["open"] == 5 and chips["submitted"] == 4 and chips["investigating"] == 1
    assert chips["not_accepted"] == 1 and chips["all"] == 6
    # Counts follow the other filters (here: the village), not the state filter.
    response = login(township_user).get(reverse("triage:index") + f"?village={data['elsewhere'].grid_id}&state=all")
    chips = {c["state"]: c["count"] for c in response.context["state_chips"]}
    assert chips["all"] == 1 and chips["submitted"] == 1


@pytest.mark.parametrize("query, expected", [
    ("state=submitted", {"late", "soon", "later", "elsewhere"}),
    ("state=not_accepted", {"refused"}),
    ("state=finished", {"refused"}),
    ("state=all", {"late", "soon", "later", "mine", "elsewhere", "refused"}),
    ("kind=complaint", {"late"}),
    ("category=vet_drug", {"mine"}),
    ("overdue=yes", {"late"}),
    ("overdue=soon", {"soon"}),
    ("mine=yes", set()),
    ("village=ELSEWHERE", {"elsewhere"}),
    ("q=另一个村", {"elsewhere"}),
])
def test_filters(login, township_user, data, query, expected):
    query = query.replace("ELSEWHERE", str(data["elsewhere"].grid_id))
    codes = set(_rows(login(township_user).get(reverse("triage:index") + "?" + query)))
    assert codes == {data[k].internal_number for k in expected}


def test_mine_township_and_code_search(login, village_user, city_user, data):
    codes = set(_rows(login(village_user).get(reverse("triage:index") + "?mine=yes")))
    assert codes == {data["mine"].internal_number}
    sangong = data["late"].township_id
    codes = set(_rows(login(city_user).get(reverse("triage:index") + f"?township={sangong}")))
    assert data["far"].internal_number not in codes and data["late"].internal_number in codes
    # A code as a reporter reads it out on the phone: lower case, no dashes, part of it.
    part = data["far"].tracking_code[:6].lower()
    codes = _rows(login(city_user).get(reverse("triage:index") + f"?q={part}&state=all"))
    assert data["far"].internal_number in codes
    # And the internal number staff cite.
    codes = _rows(login(city_user).get(reverse("triage:index") + f"?q={data['far'].internal_number}&state=all"))
    assert codes == [data["far"].internal_number]


def test_township_filter_only_for_users_with_several(login, township_user, city_user, data):
    assert "township" not in login(township_user).get(reverse("triage:index")).context["filters"].form.fields
    assert "township" in login(city_user).get(reverse("triage:index")).context["filters"].form.fields


def test_sorting_by_received(login, township_user, data):
    codes = _rows(login(township_user).get(reverse("triage:index") + "?ordering=-submitted_at"))
    assert codes[0] == data["elsewhere"].internal_number
    codes = _rows(login(township_user).get(reverse("triage:index") + "?ordering=-due_on"))
    # furthest deadline first: "elsewhere" keeps its 7 working days, "later" was set to 6 calendar days
    assert codes[:2] == [data["elsewhere"].internal_number, data["later"].internal_number]


def test_results_fragment_for_the_filter_drawer(login, township_user, data):
    response = login(township_user).get(reverse("triage:index_results") + "?overdue=yes")
    assert response.status_code == 200
    assert _rows(response) == [data["late"].internal_number]
    assert "<html" not in response.content.decode()


def test_pagination_first_page_has_25(login, city_user, submit):
    for _ in range(27):
        submit()
    response = login(city_user).get(reverse("triage:index"))
    assert len(_rows(response)) == 25
    assert len(_rows(login(city_user).get(reverse("triage:index") + "?p=2"))) == 2


def test_unlinked_account_is_told_why_the_queue_is_empty(login, unlinked_user, data):
    response = login(unlinked_user).get(reverse("triage:index"))
    assert _rows(response) == []
    assert "还没有关联到网格人员" in response.content.decode()


# --- export -------------------------------------------------------------------------------------------

def test_export_xlsx_with_identity(login, township_user, data):
    from openpyxl import load_workbook

    response = login(township_user).get(reverse("triage:index") + "?state=all&export=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="complaints-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:5] == ["编号", "类型", "问题类别", "来源渠道", "状态"]
    assert header[-4:] == ["反映人姓名", "反映人电话", "反映人邮箱", "匿名"]
    assert len(rows) == 1 + 6
    assert {r[0] for r in rows[1:]} == {c.internal_number for k, c in data.items() if k != "far"}
    assert all(r[header.index("反映人电话")] == "13912345678" for r in rows[1:])
    # every exported identity is logged
    assert data["late"].events.filter(action="identity_export").count() == 1


def test_export_follows_the_filters(login, township_user, data):
    response = login(township_user).get(reverse("triage:index") + "?overdue=yes&export=csv")
    text = response.content.decode("utf-8-sig")
    assert data["late"].internal_number in text and data["soon"].internal_number not in text


def test_export_without_identity_permission(login, make_staff, township, data):
    """A township supervisor whose group lost the identity permission exports without those columns."""
    from django.contrib.auth.models import Group, Permission

    from disclosure.models import Role

    group = Group.objects.create(name="exporters")
    group.permissions.add(*Permission.objects.filter(codename__in=["view_complaint", "export_complaint",
                                                                   "access_admin"]))
    user = make_staff("exporter", township, Role.TESTER, "exporters")
    response = login(user).get(reverse("triage:index") + "?state=all&export=csv")
    text = response.content.decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert "反映人姓名" not in header and "反映人电话" not in header and len(header) == 20
    assert "13912345678" not in text and "举报人示例" not in text
    assert not data["late"].events.filter(action="identity_export").exists()


def test_a_long_export_is_made_in_the_background_with_the_same_rows(login, township_user, data, monkeypatch):
    """A year's queue is exported by the task worker: the user lands on the job's page and downloads the
    same rows, in the order and with the filters they had chosen."""
    from openpyxl import load_workbook

    from portal.models import BackgroundJob, JobStatus
    from staff import exports

    client = login(township_user)
    query = "?state=all&ordering=-submitted_at"
    at_once = load_workbook(io.BytesIO(client.get(reverse("triage:index") + query + "&export=xlsx").content))
    assert not BackgroundJob.objects.exists()
    monkeypatch.setattr(exports, "EXPORT_BACKGROUND_ROWS", 3)  # six complaints count as a long list
    response = client.get(reverse("triage:index") + query + "&export=xlsx")
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.DONE and job.started_by == township_user and job.done == job.total == 6
    page = client.get(response["Location"]).content.decode()
    assert "导出投诉举报（6 件，XLSX）" in page and "共导出 6 件投诉举报。" in page
    download = client.get(response["Location"] + "download/")
    later = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert (list(later.active.iter_rows(values_only=True))
            == list(at_once.active.iter_rows(values_only=True)))
    # The filters are kept: overdue only is one complaint, exported at once.
    response = client.get(reverse("triage:index") + "?overdue=yes&export=csv")
    assert response.status_code == 200 and data["late"].internal_number in response.content.decode("utf-8-sig")


def test_export_neutralises_formulas(login, township_user, submit):
    c = submit(description="=HYPERLINK(\"http://example.invalid\")看到有人喷药")
    response = login(township_user).get(reverse("triage:index") + "?export=csv")
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")
    assert c.internal_number in response.content.decode("utf-8-sig")


def test_search_treats_only_code_like_words_as_codes(login, city_user, submit):
    """An ASCII word that cannot be a tracking code (letters outside the code's alphabet) is searched in the
    text; a code-like word finds the code and the text."""
    named = submit(description="大棚里有人喷洒 Glyphosate 除草剂。")
    abbreviated = submit(description="看到有人使用 DDVP 熏蒸。")
    codes = _rows(login(city_user).get(reverse("triage:index") + "?q=glyphosate&state=all"))
    assert codes == [named.internal_number]
    codes = _rows(login(city_user).get(reverse("triage:index") + "?q=ddvp&state=all"))
    assert codes == [abbreviated.internal_number]
