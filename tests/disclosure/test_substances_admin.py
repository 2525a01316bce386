"""Staff keep the substances list current in the Wagtail admin; the public page follows."""

import pytest
from django.urls import reverse

from disclosure.models import Substance
from disclosure.services.substances import substances_load
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    user = UserFactory(username="listkeeper", is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def substances(db):
    substances_load()


def test_listing_filters_and_searches_chinese_substrings(admin_client, substances):
    url = reverse("wagtailsnippets_disclosure_substance:list")
    html = admin_client.get(url, {"q": "甲胺"}).content.decode()
    assert "甲胺磷" in html and "乙酰甲胺磷" in html and "滴滴涕" not in html
    html = admin_client.get(url, {"category": "feed_additive"}).content.decode()
    assert "促生长类药物饲料添加剂" in html and "甲胺磷" not in html
    html = admin_client.get(url, {"status": "restricted", "q": "蔬菜"}).content.decode()
    assert "毒死蜱" in html and "六六六" not in html


def test_export_csv_and_xlsx(admin_client, substances):
    url = reverse("wagtailsnippets_disclosure_substance:list")
    response = admin_client.get(url, {"category": "pesticide", "status": "restricted", "export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig") if response.streaming else \
        response.content.decode("utf-8-sig")
    assert "中文名称" in text.splitlines()[0] and "毒死蜱" in text and "禁止在蔬菜上使用" in text
    assert "农药" in text and "限用" in text  # labels, not the stored codes
    xlsx = admin_client.get(url, {"export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")


def test_editing_in_the_admin_changes_the_public_page_and_keeps_a_revision(admin_client, client, substances):
    entry = Substance.objects.get(name_zh="毒死蜱")
    url = reverse("wagtailsnippets_disclosure_substance:edit", args=[entry.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {
        "name_zh": "毒死蜱", "name_en": "chlorpyrifos", "category": "pesticide", "status": "restricted",
        "restricted_scope": "禁止在蔬菜、茶叶上使用", "legal_basis": "农业农村部公告第9999号（测试）",
        "effective_date": "2026-12-31", "source": "https://example.org/notice", "sort_order": "1",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    entry.refresh_from_db()
    assert entry.revisions.count() == 1
    admin_client.logout()
    html = client.get("/substances/", {"q": "毒死蜱"}).content.decode()
    assert "禁止在蔬菜、茶叶上使用" in html and "农业农村部公告第9999号（测试）" in html
    assert "自 2026-12-31 起施行" in html or "2026-12-31" in html
    # The source is staff's reference: the public page shows the legal basis and the date only.
    assert "example.org/notice" not in html


def test_menu_group_is_in_the_admin(admin_client, substances):
    import json
    import re

    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    props = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S)
    text = json.dumps(json.loads(props.group(1)), ensure_ascii=False)
    assert "禁限用名录" in text and reverse("wagtailsnippets_disclosure_substance:list") in text


def test_staff_see_the_internal_note_in_the_admin(admin_client, substances):
    paraquat = Substance.objects.get(name_zh="百草枯")
    html = admin_client.get(reverse("wagtailsnippets_disclosure_substance:edit", args=[paraquat.pk])).content.decode()
    assert "内部备注" in html and "公告号未在所得来源中出现" in html
