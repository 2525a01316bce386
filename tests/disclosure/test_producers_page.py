import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disclosure.models import Producer, PublicCode
from disclosure.models.producers import CODE_ALPHABET
from disclosure.services.grids import role_assign
from disclosure.services.signboards import signboard_issue
from tests.disclosure.test_producers_fixtures import producer_fixture, staffed_fixture  # noqa: F401
from tests.factories import PersonFactory, ProducerFactory

pytestmark = pytest.mark.django_db


def page(client, producer, query=""):
    return client.get(f"/p/{producer.code}/{query}")


def test_page_shows_what_a_citizen_needs(client, producer, staffed):
    response = page(client, producer)
    assert response.status_code == 200
    html = response.content.decode()
    for text in [producer.name, "农民合作社", "A 类", "较好", "评级日期", "信用较好：",  # grade in words
                 "对评级有异议", "个工作日内", "监管员乙示例",                      # how to object, to whom
                 "91350100M000100Y43", "已在国家追溯平台开展追溯", "65230100000001",
                 "已开具食用农产品承诺达标合格证", "已进行自我承诺",
                 "农产品质量安全承诺书", "严格遵守《中华人民共和国农产品质量安全法》", "签署日期",
                 "村级协管员", "协管员甲示例", "乡镇监管员", "单位内检员", "内检员丙示例"]:
        assert text in html, text
    assert f'href="tel:{staffed["coordinator"].phone}"' in html
    assert f'href="tel:{staffed["supervisor"].phone}"' in html
    assert 'href="tel:0994-0000099"' in html
    assert 'href="/substances/"' in html
    assert f'href="/complaints/new/?producer={producer.code}"' in html
    assert f'<link rel="canonical" href="https://nc.example.cn/p/{producer.code}/">' in html
    # Photos of the producer and the coordinator; nothing from another host, no script needed.
    assert html.count("<img") >= 3
    assert "<script" not in html.split("</main>")[0].split('<main id="main"')[1]
    assert "http://" not in html and "//cdn" not in html


@pytest.mark.parametrize("form", ["/p/{code}/", "/P/{code}/", "/p/{lower}/", "/P/{lower}/"])
def test_every_case_of_the_address_answers(client, producer, form):
    url = form.format(code=producer.code, lower=producer.code.lower())
    response = client.get(url)
    assert response.status_code == 200
    assert producer.name in response.content.decode()


def test_qr_form_with_serial_answers_directly(client, producer):
    sign, _ = signboard_issue(producer=producer)
    response = client.get(f"/P/{producer.code}/?s={sign.serial}")
    assert response.status_code == 200
    assert "公示牌信息与本页一致" in response.content.decode()


def test_unknown_and_malformed_codes_get_a_clear_chinese_404(client, grids):
    code = "".join(CODE_ALPHABET[i] for i in range(6))
    assert not Producer.objects.filter(code=code).exists()
    response = client.get(f"/p/{code}/")
    assert response.status_code == 404
    assert f"没有编码为 {code} 的生产主体" in response.content.decode()
    for bad in ["ABC", "O0O0O0", "abc<script>", "1234567"]:
        response = client.get(f"/p/{bad}/")
        assert response.status_code == 404
        html = response.content.decode()
        assert "公示编码格式不正确" in html
        assert "<script>" not in html.split("<main")[1]


def test_unpublished_producer_is_no_longer_public(client, producer):
    Producer.objects.filter(pk=producer.pk).update(published=False)
    response = page(client, producer)
    assert response.status_code == 404
    html = response.content.decode()
    assert "该生产主体已不再公示" in html
    assert "91350100M000100Y43" not in html and "内检员丙示例" not in html
    assert client.get(f"/p/{producer.code}/signboard.pdf").status_code == 404


def test_superseded_sign_says_it_was_replaced_and_what_changed(client, producer, village, staffed):
    old, _ = signboard_issue(producer=producer)
    # Since printing: a new coordinator, the grade fell to B, certificates stopped.
    from disclosure.services.producers import rating_set

    successor = PersonFactory(name="新协管员丁示例")
    role_assign(person=successor, grid=village, role="coordinator")
    rating_set(producer=producer, grade="B", effective_date=timezone.localdate(), basis="巡查发现问题")
    Producer.objects.filter(pk=producer.pk).update(issues_certificates=False)
    producer.refresh_from_db()
    new, created = signboard_issue(producer=producer)
    assert created and new.serial > old.serial

    html = page(client, producer, f"?s={old.serial}").content.decode()
    assert "您扫描的公示牌已被替换" in html
    assert f"编号 {new.serial_display}" in html
    assert "村级协管员" in html and "原为 协管员甲示例" in html and "新协管员丁示例" in html
    assert "原为 A 较好，现为 B 重点监控名单" in html
    assert "食用农产品合格证" in html and "原为 是，现为 否" in html
    # The current sign: no notice of replacement, and nothing changed.
    html = page(client, producer, f"?s={new.serial}").content.decode()
    assert "已被替换" not in html and "公示牌信息与本页一致" in html
    # A serial that does not exist.
    assert "没有编号为 999999 的公示牌" in page(client, producer, "?s=999999").content.decode()


def test_coordinator_without_public_phone_shows_the_hotline(client, producer, staffed):
    staffed["coordinator"].phone_public = False
    staffed["coordinator"].save()
    html = page(client, producer).content.decode()
    assert staffed["coordinator"].phone not in html
    assert "投诉举报电话" in html


def test_conditional_repeat_gets_304_and_changes_invalidate(client, producer):
    first = page(client, producer)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "max-age" in first["Cache-Control"]
    etag, last_modified = first["ETag"], first["Last-Modified"]
    repeat = client.get(f"/p/{producer.code}/", HTTP_IF_NONE_MATCH=etag)
    assert repeat.status_code == 304
    assert client.get(f"/p/{producer.code}/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    # A grade change gives a new ETag, so the phone gets the new page.
    from disclosure.services.producers import rating_set

    rating_set(producer=producer, grade="B", effective_date=timezone.localdate(), basis="复查")
    changed = client.get(f"/p/{producer.code}/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_etag_changes_when_a_supervisor_is_replaced(client, producer, township):
    etag = page(client, producer)["ETag"]
    role_assign(person=PersonFactory(name="接任监管员"), grid=township, role="supervisor")
    response = client.get(f"/p/{producer.code}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "接任监管员" in response.content.decode()


def _bulk_producers(village, n):
    """n producers without the page's extras, quickly."""
    import secrets

    rows, codes = [], []
    for i in range(n):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        while code in codes or Producer.objects.filter(code=code).exists():
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        codes.append(code)
        rows.append(Producer(code=code, name=f"批量示例主体{i}", kind="family_farm", village=village))
    PublicCode.objects.bulk_create([PublicCode(code=c) for c in codes])
    Producer.objects.bulk_create(rows)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _cold_and_warm(client, url):
    """Queries of a first view (rendered) and of a repeat (from the shared cache of rendered pages)."""
    from django.core.cache import cache

    cache.clear()
    return _queries(client, url), _queries(client, url)


def test_page_runs_a_fixed_number_of_queries_with_10_and_with_1000_producers(client, producer, village, grids):
    sign, _ = signboard_issue(producer=producer)
    _bulk_producers(village, 9)
    assert Producer.objects.count() == 10
    urls = (f"/p/{producer.code}/", f"/p/{producer.code}/?s={sign.serial}")
    for url in urls:
        client.get(url)  # the first view ever makes the image renditions
    with_10 = [_cold_and_warm(client, url) for url in urls]

    other_villages = list(grids.filter(level="village").exclude(pk=village.pk)[:5])
    for target in [village, *other_villages]:
        _bulk_producers(target, 165)
    assert Producer.objects.count() == 1000
    with_1000 = [_cold_and_warm(client, url) for url in urls]
    assert with_10 == with_1000
    (cold, warm), _scan = with_1000
    # Cold starts from an empty cache: it also computes the site stamp (from every site, its settings and
    # its grid: four reads) and writes it and the rendered page (five queries per write on the database
    # cache), and the sections apps above add (inspections: four with no history). Warm: the page's state,
    # the site stamp, the page.
    assert cold <= 29 and warm <= 3, with_1000


def test_commitment_scan_is_served_for_published_producers_only(client, producer):
    from django.core.files.base import ContentFile

    producer.commitment_scan.save("letter.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    html = page(client, producer).content.decode()
    assert f"/p/{producer.code}/commitment/" in html
    response = client.get(f"/p/{producer.code}/commitment/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    Producer.objects.filter(pk=producer.pk).update(published=False)
    assert client.get(f"/p/{producer.code}/commitment/").status_code == 404


def test_stale_facts_are_flagged_on_the_page(client, producer):
    Producer.objects.filter(pk=producer.pk).update(
        facts_confirmed_on=timezone.localdate() - datetime.timedelta(days=400))
    assert "超过一年未核实" in page(client, producer).content.decode()


def test_unrated_and_review_grades_are_said_in_words(client, village, staffed):
    unrated = ProducerFactory(village=village)
    html = page(client, unrated).content.decode()
    assert "未评级" in html and "尚未评级" in html
    from disclosure.services.producers import rating_set

    rating_set(producer=unrated, grade="review", effective_date=timezone.localdate(), basis="提出异议")
    assert "复核中" in page(client, unrated).content.decode()


def test_unrated_shows_no_rating_date_and_review_says_since_when(client, producer):
    """A citizen must not read 未评级 next to a 评级日期; under review, the date is when review began."""
    from disclosure.services.producers import rating_set

    today = timezone.localdate()
    rating_set(producer=producer, grade="unrated", effective_date=today, basis="重新登记")
    html = page(client, producer).content.decode()
    assert "未评级" in html and "评级日期" not in html and today.isoformat() not in html.split("信用情况")[1][:400]

    rating_set(producer=producer, grade="review", effective_date=today, basis="异议复核")
    html = page(client, producer).content.decode()
    assert f"复核中，自 {today.isoformat()} 起" in html and "评级日期" not in html


def test_the_grade_says_what_it_rests_on_its_history_and_the_next_review(client, producer):
    from disclosure.services.producers import rating_set

    today = timezone.localdate()
    rating_set(producer=producer, grade="B", effective_date=today - datetime.timedelta(days=8),
               basis="抽检发现克百威超标，已责令整改。")
    rating_set(producer=producer, grade="A", effective_date=today - datetime.timedelta(days=3),
               basis="整改完成，复查和抽检合格。", next_review_date=today + datetime.timedelta(days=335))
    html = page(client, producer).content.decode()
    assert "<strong>评级依据</strong>：整改完成，复查和抽检合格。" in html and "克百威超标" not in html
    assert f"下次复核日期：<time datetime=\"{(today + datetime.timedelta(days=335)).isoformat()}\">" in html
    history = html.split('class="grade-history"')[1].split("</ol>")[0]
    assert history.index((today - datetime.timedelta(days=3)).isoformat()) < history.index(
        (today - datetime.timedelta(days=8)).isoformat())
    assert "A 较好" in history and "B 重点监控名单" in history


def test_under_review_the_grade_stands_with_since_when_and_an_expected_end(client, producer):
    """A review does not hide the grade: the page keeps showing it, says since when it is under review and
    when the review is expected to end (and that it is late, once it is)."""
    from disclosure.services.producers import REVIEW_EXPECTED_DAYS, rating_set

    today = timezone.localdate()
    rating_set(producer=producer, grade="B", effective_date=today - datetime.timedelta(days=6), basis="抽检不合格")
    began = today - datetime.timedelta(days=2)
    rating_set(producer=producer, grade="review", effective_date=began, basis="生产主体提出异议")
    html = page(client, producer).content.decode()
    card = html.split('class="grade-card')[1].split("</section>")[0]
    assert "B 类" in card and "重点监控名单" in card and f"复核中，自 {began.isoformat()} 起" in card
    expected = began + datetime.timedelta(days=REVIEW_EXPECTED_DAYS)
    assert f"预计于 {expected.isoformat()} 前完成复核" in card
    assert "<strong>评级依据</strong>：抽检不合格" in html

    # Months later, still under review: the page says the expected end has passed.
    from disclosure.models import CreditRating

    long_ago = today - datetime.timedelta(days=200)
    CreditRating.objects.filter(producer=producer).exclude(grade__in=["review", "B"]).delete()
    CreditRating.objects.filter(producer=producer, grade="B").update(effective_date=long_ago - datetime.timedelta(days=9))
    CreditRating.objects.filter(producer=producer, grade="review").update(effective_date=long_ago)
    Producer.objects.filter(pk=producer.pk).update(updated_at=timezone.now())
    html = page(client, producer).content.decode()
    assert f"复核中，自 {long_ago.isoformat()} 起" in html and "目前仍在复核" in html
