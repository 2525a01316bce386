"""The public substances list /substances/: groups, search, filters, supersession, caching; the loader."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.models import Substance
from disclosure.services.substances import substances_import, substances_load

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def substances(db):
    substances_load()
    return Substance.objects.all()


@pytest.fixture
def today(monkeypatch):
    """Freeze the local date the page works with (the brief's 'today')."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


def rows(html: str) -> list[str]:
    return re.findall(r'<tr id="s-\d+"[^>]*>.*?</tr>', html, flags=re.S)


def row_of(html: str, pk: int) -> str:
    match = re.search(rf'<tr id="s-{pk}"[^>]*>.*?</tr>', html, flags=re.S)
    assert match, f"row s-{pk} not on the page"
    return match.group(0)


def test_loads_all_99_entries_once(substances):
    assert substances.count() == 99
    assert substances_load() == 0  # a second load adds nothing


def test_page_lists_every_entry_in_five_groups_with_basis_and_date(client, substances, today):
    response = client.get("/substances/")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(rows(html)) == 99
    for title in ("禁止（停止）使用的农药", "在部分范围禁止使用的农药", "食品动物中禁止使用的药品及其他化合物",
                  "在食品动物中停止使用的兽药", "停止使用的药物饲料添加剂"):
        assert title in html
    phorate = Substance.objects.get(name_zh="甲拌磷")
    row = row_of(html, phorate.pk)
    assert "农业农村部公告第536号" in row and "2024-09-01" in row
    chlorpyrifos = Substance.objects.get(name_zh="毒死蜱")
    row = row_of(html, chlorpyrifos.pk)
    assert "禁止在蔬菜上使用" in row and "农业部公告第2032号" in row


def test_source_note_names_the_announcements_and_links_out(client, substances, today):
    html = client.get("/substances/").content.decode()
    note = re.search(r'<aside class="source-note".*?</aside>', html, flags=re.S).group(0)
    for number in ("199", "736", "250", "2292", "194"):
        assert number in note
    assert 'href="http://www.moa.gov.cn/"' in note


def test_internal_notes_in_sources_are_not_published(client, substances, today):
    html = client.get("/substances/").content.decode()
    assert "GitHub code index" not in html and "find_string" not in html
    # Sources (staff's references) are not shown at all: the public page cites the legal basis and date.
    assert 'class="sources"' not in html and "biaozhun8" not in html


def test_compilers_remarks_stay_with_staff_and_the_basis_is_published(client, substances, today):
    """The shipped list writes remarks such as “公告号未在所得来源中出现” inside the legal basis: the public page
    shows the basis and date only, the remark is kept as the entry's staff note."""
    html = client.get("/substances/").content.decode()
    for remark in ("未在所得来源", "未核实", "来源称"):
        assert remark not in html
    paraquat = Substance.objects.get(name_zh="百草枯")
    assert paraquat.legal_basis == "《禁限用农药名录》；百草枯水剂自2016-07-01起停止在国内销售和使用"
    assert "公告号未在所得来源中出现" in paraquat.staff_note and "可溶胶剂禁用日期未核实" in paraquat.staff_note
    assert "百草枯水剂自2016-07-01起停止在国内销售和使用" in row_of(html, paraquat.pk)
    dicofol = Substance.objects.get(name_zh="三氯杀螨醇")
    assert dicofol.legal_basis.startswith("农业部公告(2016，对2,4-滴丁酯等8种农药采取管理措施)")
    assert Substance.objects.exclude(staff_note="").count() == 4


def test_chinese_substring_search(client, substances, today):
    html = client.get("/substances/", {"q": "甲胺"}).content.decode()
    names = re.findall(r'<span class="name-zh">(.*?)</span>', html)
    assert "甲胺磷" in names and "乙酰甲胺磷" in names
    assert "滴滴涕" not in names
    assert "与“甲胺”有关的共 2 条" in html


def test_search_by_crop_and_by_announcement(client, substances, today):
    names = re.findall(r'<span class="name-zh">(.*?)</span>', client.get("/substances/?q=花生").content.decode())
    assert names == ["丁酰肼"]
    names = re.findall(r'<span class="name-zh">(.*?)</span>', client.get("/substances/?q=736").content.decode())
    assert sorted(set(names)) == sorted({"氧乐果", "克百威", "灭多威", "涕灭威"})


def test_filters_by_category_and_status(client, substances, today):
    html = client.get("/substances/", {"category": "veterinary_drug", "status": "restricted"}).content.decode()
    assert len(rows(html)) == 7  # 公告2292 (4) and 2638 (3)
    assert "在食品动物中停止使用的兽药" in html and "禁止（停止）使用的农药" not in html
    html = client.get("/substances/", {"category": "feed_additive"}).content.decode()
    assert len(rows(html)) == 1


def test_bad_filter_values_are_explained_not_fatal(client, substances, today):
    response = client.get("/substances/", {"category": "<script>", "status": "nope", "q": "甲" * 80})
    html = response.content.decode()
    assert response.status_code == 200
    assert "类别无效" in html and "管理类别无效" in html and "关键词过长" in html
    assert "<script>" not in html


def test_no_match_says_so(client, substances, today):
    html = client.get("/substances/", {"q": "不存在的药"}).content.decode()
    assert "名录中没有与“不存在的药”有关的条目" in html


def test_restriction_superseded_by_full_ban_in_force(client, substances, today):
    html = client.get("/substances/").content.decode()
    restricted = Substance.objects.get(name_zh="克百威", category="pesticide", status="restricted")
    banned = Substance.objects.get(name_zh="克百威", category="pesticide", status="banned")
    row = row_of(html, restricted.pk)
    assert "is-superseded" in row and "限用已被全面禁用取代" in row
    assert "自 2026-06-01 起已全面禁止销售和使用" in row and f"#s-{banned.pk}" in row
    banned_row = row_of(html, banned.pk)
    assert "限用已被全面禁用取代" not in banned_row and "自 2026-06-01 起施行" not in banned_row
    superseded = [r for r in rows(html) if "is-superseded" in r]
    assert len(superseded) == 4  # 氧乐果、克百威、灭多威、涕灭威
    # A restriction without a full ban is not flagged.
    assert "is-superseded" not in row_of(html, Substance.objects.get(name_zh="毒死蜱").pk)


def test_before_the_ban_the_restriction_holds_and_the_ban_is_announced(client, substances, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 3, 1))
    html = client.get("/substances/").content.decode()
    banned = Substance.objects.get(name_zh="氧乐果", category="pesticide", status="banned")
    restricted = Substance.objects.get(name_zh="氧乐果", category="pesticide", status="restricted")
    assert "自 2026-06-01 起施行" in row_of(html, banned.pk)
    row = row_of(html, restricted.pk)
    assert "is-superseded" not in row and "即将全面禁用" in row


def test_current_queryset_drops_superseded_restrictions(substances):
    on = TODAY
    current = Substance.objects.current(on)
    assert not current.filter(name_zh="克百威", status="restricted").exists()
    assert current.filter(name_zh="克百威", status="banned").exists()
    assert current.filter(name_zh="毒死蜱", status="restricted").exists()
    before = Substance.objects.current(datetime.date(2026, 1, 1))
    assert before.filter(name_zh="克百威", status="restricted").exists()
    assert not before.filter(name_zh="克百威", status="banned").exists()


def test_future_entry_says_from_when(client, substances, today):
    Substance.objects.create(name_zh="示例新禁农药", category="pesticide", status="banned",
                             legal_basis="农业农村部公告第999号", effective_date=datetime.date(2027, 1, 1))
    html = client.get("/substances/?q=示例新禁").content.decode()
    assert "自 2027-01-01 起施行" in html and "尚未施行" in html


def test_fixed_number_of_queries_and_conditional_get(client, substances, today):
    client.get("/substances/")  # warm the per-process caches (site, settings)
    with CaptureQueriesContext(connection) as few:
        first = client.get("/substances/?q=磷")
    Substance.objects.bulk_create(Substance(name_zh=f"示例{i}磷", category="pesticide", status="banned")
                                  for i in range(50))
    with CaptureQueriesContext(connection) as many:
        client.get("/substances/?q=磷")
    # Ours: the list state (ETag), the site stamp (a cache read), the entries, the cited announcements; the
    # base template adds site and settings.
    assert len(few) == len(many) <= 6, [q["sql"][:80] for q in many.captured_queries]
    etag = first["ETag"]
    assert "public" in first["Cache-Control"] and "max-age" in first["Cache-Control"]
    # The list changed, so the old ETag no longer matches; the new one does.
    assert client.get("/substances/?q=磷", HTTP_IF_NONE_MATCH=etag).status_code == 200
    fresh = client.get("/substances/?q=磷")
    assert client.get("/substances/?q=磷", HTTP_IF_NONE_MATCH=fresh["ETag"]).status_code == 304


def test_editing_an_entry_changes_the_etag(client, substances, today):
    etag = client.get("/substances/")["ETag"]
    entry = Substance.objects.get(name_zh="毒死蜱")
    entry.restricted_scope = "禁止在蔬菜、茶叶上使用"
    entry.save()
    response = client.get("/substances/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "禁止在蔬菜、茶叶上使用" in response.content.decode()


# --- the loader -------------------------------------------------------------------------------------

def test_loader_keeps_staff_edits_unless_overwrite(substances, tmp_path):
    entry = Substance.objects.get(name_zh="毒死蜱")
    entry.restricted_scope = "staff edit"
    entry.save()
    result = substances_import()
    assert (result.created, result.kept) == (0, 1)
    entry.refresh_from_db()
    assert entry.restricted_scope == "staff edit"
    result = substances_import(overwrite=True)
    assert result.updated == 1
    entry.refresh_from_db()
    assert entry.restricted_scope == "禁止在蔬菜上使用"
    assert entry.revisions.count() == 1  # the reset is a revision staff can compare with


def test_loader_rejects_a_bad_file_whole(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "name_zh,name_en,category,status,restricted_scope_zh,legal_basis_zh,effective_date,source\n"
        "甲,a,pesticide,banned,,公告,2020-01-01,\n"
        "乙,b,poison,banned,,公告,2020-13-01,\n", encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        substances_import(path=path)
    text = " ".join(exc.value.messages)
    assert "第 3 行" in text and "poison" in text and "2020-13-01" in text
    assert not Substance.objects.exists()


def test_management_command(db, capsys):
    call_command("load_substances")
    assert Substance.objects.count() == 99
    Substance.objects.filter(name_zh="毒死蜱").update(restricted_scope="x")
    call_command("load_substances", "--overwrite")
    assert "覆盖 1 条" in capsys.readouterr().out
    assert Substance.objects.get(name_zh="毒死蜱").restricted_scope == "禁止在蔬菜上使用"


def test_the_whole_list_is_rendered_once_then_served_from_the_cache(client, substances, today, monkeypatch):
    client.get("/substances/?q=x")  # warm the per-process caches (site, settings)
    with CaptureQueriesContext(connection) as first_ctx:
        first = client.get("/substances/").content.decode()
    with CaptureQueriesContext(connection) as again_ctx:
        again = client.get("/substances/").content.decode()
    assert again == first and len(rows(again)) == 99
    # Served from the cache: the list's state, the site stamp and the page (two cache reads).
    assert len(again_ctx) < len(first_ctx) and len(again_ctx) <= 3
    # A new day is a new rendering: what is in force may have changed at midnight.
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 3, 1))
    earlier = client.get("/substances/").content.decode()
    assert "按 <time>2026-03-01</time> 的施行情况显示" in earlier and "即将全面禁用" in earlier


def test_chinese_text_gets_full_width_parentheses(client, home):
    from disclosure.services.substances import substances_load

    substances_load()
    html = client.get("/substances/").content.decode()
    assert "呋喃丹（克百威）" in html and "呋喃丹(克百威)" not in html
    from portal.text import cjk_parentheses

    assert cjk_parentheses("Carbofuran (furadan)") == "Carbofuran (furadan)"
