"""Page content in English beside the Chinese (Wagtail localisation), and English data: place names in
Hanyu Pinyin, job titles, the office's contact facts, the substances list's scopes and legal bases."""

import re

import pytest
from wagtail.models import Locale

from portal.services import page_translate
from tests.factories import NewsPageFactory, publish
from tests.portal.test_translations import visible_text

pytestmark = pytest.mark.django_db

EN = {"Cookie": "lang=en"}


def _english():
    return Locale.objects.get(language_code="en")


def test_the_home_page_reads_in_english(client, grids, home):
    # The grid tree first: the home page's first title names its top grid (in pinyin in English).
    english = visible_text(client.get("/", headers=EN).content.decode())
    chinese = visible_text(client.get("/").content.decode())
    assert "Changji City Agricultural Product Quality and Safety Grid Management" in english
    assert "three levels" in english and "昌吉市按照" not in english
    assert "昌吉市按照“区域定格、网格定人、人员定责”" in chinese
    assert "not yet available in English" not in english


def test_a_translated_news_item_keeps_its_address_and_reads_in_english(client, news_index):
    news = publish(NewsPageFactory(parent=news_index, title="三工镇开展农资店检查", slug="sangong-shops",
                                   intro="三工镇检查农资店。"))
    english = page_translate(news, _english(), title="Sangong Town checks farm-supply shops",
                             intro="Sangong Town checked its shops.")
    assert english.slug == news.slug and english.url == news.url == "/news/sangong-shops/"
    en_html = visible_text(client.get("/news/sangong-shops/", headers=EN).content.decode())
    zh_html = visible_text(client.get("/news/sangong-shops/").content.decode())
    assert "Sangong Town checks farm-supply shops" in en_html and "三工镇开展农资店检查" not in en_html
    assert "三工镇开展农资店检查" in zh_html and "Sangong Town checks" not in zh_html
    # The list and the home page show the English version to an English reader.
    assert "Sangong Town checks farm-supply shops" in visible_text(client.get("/news/", headers=EN).content.decode())
    assert "Sangong Town checks farm-supply shops" in visible_text(client.get("/", headers=EN).content.decode())


def test_an_untranslated_page_is_shown_in_chinese_with_a_note(client, news_index):
    publish(NewsPageFactory(parent=news_index, title="榆树沟镇完成春季抽检", slug="spring-samples"))
    response = client.get("/news/spring-samples/", headers=EN)
    assert response.status_code == 200  # the English tree has no such page: answered from the Chinese one
    html = response.content.decode()
    text = visible_text(html)
    assert "榆树沟镇完成春季抽检" in text
    assert "This page is not yet available in English" in text
    assert '<h1 lang="zh-CN" dir="ltr">榆树沟镇完成春季抽检</h1>' in html  # read aloud as Chinese
    listing = client.get("/news/", headers=EN).content.decode()
    assert "榆树沟镇完成春季抽检" in listing and "In Chinese only" in listing
    # A Chinese reader sees no note.
    assert "本页暂无" not in visible_text(client.get("/news/spring-samples/").content.decode())


def test_english_search_finds_english_pages_and_shows_chinese_matches_in_english(client, news_index):
    from django.core.management import call_command

    news = publish(NewsPageFactory(parent=news_index, title="三工镇开展农药经营店检查", slug="pesticide-shops"))
    page_translate(news, _english(), title="Sangong Town checks pesticide shops")
    call_command("update_index", verbosity=0)
    by_english = visible_text(client.get("/search/?q=pesticide", headers=EN).content.decode())
    assert "Sangong Town checks pesticide shops" in by_english
    by_chinese = visible_text(client.get("/search/?q=农药经营店", headers=EN).content.decode())
    assert "Sangong Town checks pesticide shops" in by_chinese
    assert by_chinese.count("Sangong Town checks pesticide shops") == 1  # one result per page, not two


def test_place_names_in_pinyin():
    from portal.text import place_pinyin

    assert place_pinyin("三工镇") == "Sangong Town"
    assert place_pinyin("长丰村") == "Changfeng Village"
    assert place_pinyin("和谐二村") == "Hexie'er Village"
    assert place_pinyin("阿什里哈萨克民族乡") == "Ashili Kazakh Ethnic Township"
    assert place_pinyin("昌吉市") == "Changji City"
    # The levels above: the region and the autonomous prefectures and counties name their peoples.
    assert place_pinyin("新疆维吾尔自治区") == "Xinjiang Uygur Autonomous Region"
    assert place_pinyin("昌吉回族自治州") == "Changji Hui Autonomous Prefecture"
    assert place_pinyin("木垒哈萨克自治县") == "Mulei Kazakh Autonomous County"


def test_grid_pages_name_places_in_pinyin_and_follow_a_rename(client, home, township, village):
    assert township.name_en == "Sangong Town"
    html = visible_text(client.get(village.get_absolute_url(), headers=EN).content.decode())
    assert "Changfeng Village" in html and "Sangong Town" in html
    assert "三工镇" not in html and "长丰村" not in html
    village.name = "长丰新村"
    village.save()
    assert village.name_en == "Changfengxin Village"
    village.name_en = "New Changfeng Village"  # staff's own English name is kept on a rename
    village.save()
    village.name = "长丰村"
    village.save()
    assert village.name_en == "New Changfeng Village"


def test_english_job_titles_and_contact_facts(client, home, village, township):
    import datetime

    from django.utils import timezone
    from wagtail.models import Site

    from disclosure.models import Role
    from disclosure.services.grids import role_assign
    from portal.models import PortalSettings
    from tests.factories import PersonFactory

    start = timezone.localdate() - datetime.timedelta(days=30)
    role_assign(person=PersonFactory(name="王示例", position="三工镇农业站站长",
                                     position_en="Head of the Sangong Agricultural Station"),
                grid=township, role=Role.SUPERVISOR, start_date=start)
    role_assign(person=PersonFactory(name="李示例", position="村委委员"), grid=village, role=Role.COORDINATOR,
                start_date=start)
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.office_address, settings.office_address_en = "昌吉市北京南路1号", "1 Beijing South Road, Changji"
    settings.org_name, settings.org_name_en = "昌吉市农业农村局", "Changji City Bureau of Agriculture and Rural Affairs"
    settings.save()
    html = client.get(township.get_absolute_url(), headers=EN).content.decode()
    text = visible_text(html)
    assert "Head of the Sangong Agricultural Station" in text and "农业站站长" not in text
    assert "村委委员" not in text  # no English title written: the role says it
    footer = html[html.index('<footer class="site-footer">'):]
    assert "Changji City Bureau of Agriculture and Rural Affairs" in footer
    assert "1 Beijing South Road, Changji" in footer and "Working days 10:00–14:00" in footer
    assert not re.search(r"[\u4e00-\u9fff。：]", re.sub(r"<[^>]+>", "", footer))
    chinese = client.get(township.get_absolute_url()).content.decode()
    assert "三工镇农业站站长" in visible_text(chinese) and "昌吉市北京南路1号" in chinese


def test_the_substances_list_gives_scope_and_legal_basis_in_english(client, home):
    from disclosure.services.substances import substances_load

    substances_load()
    text = visible_text(client.get("/substances/", headers=EN).content.decode())
    assert "Banned on vegetables, fruit and melons, tea and Chinese medicinal herbs" in text
    assert "Ministry of Agriculture Announcement No. 199 (2002)" in text
    assert "禁止在蔬菜、瓜果、茶叶、中草药材上使用" not in text
    chinese = visible_text(client.get("/substances/").content.decode())
    assert "禁止在蔬菜、瓜果、茶叶、中草药材上使用" in chinese


def test_a_cached_pdf_is_kept_per_language(client, home):
    """The poster first drawn for an English reader is not then handed to a Chinese one."""
    import subprocess

    from disclosure.services.substances import substances_load

    substances_load()
    english = client.get("/substances/poster.pdf", headers=EN).content
    chinese = client.get("/substances/poster.pdf").content

    def text(pdf: bytes) -> str:
        return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()

    assert "国家禁用、限用农药" in text(chinese)
    assert "国家禁用、限用农药" not in text(english)


def test_staff_translate_a_news_item_with_wagtail_localize(client, admin_user, news_index):
    """The admin's Translate action makes the English version beside the Chinese page, with its address."""
    from django.urls import reverse

    from portal.models import NewsPage

    news = publish(NewsPageFactory(parent=news_index, title="大西渠镇开展速测", slug="daxiqu-tests"))
    client.force_login(admin_user)
    url = reverse("wagtail_localize:submit_page_translation", args=[news.id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"locales": [_english().pk]})
    assert response.status_code == 302
    translation = NewsPage.objects.get(translation_key=news.translation_key, locale=_english())
    assert translation.slug == news.slug and not translation.alias_of_id
    # The translator's editor opens on it.
    assert client.get(reverse("wagtailadmin_pages:edit", args=[translation.id])).status_code == 200
