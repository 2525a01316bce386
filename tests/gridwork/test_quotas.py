"""Station test quotas: the city allocates, the recorded rapid tests count, stations behind are named."""

import datetime

import pytest

from gridwork.models import StationQuota
from gridwork.services.quotas import QuotaError, product_group_of, quota_progress, quota_set
from gridwork.services.scope import GridworkPermissionDenied

pytestmark = pytest.mark.django_db
LAST_YEAR = datetime.date.today().year - 1
PROGRESS = "/admin/gridwork/quotas/"
EDIT = "/admin/gridwork/quotas/edit/"


def row_of(rows, township):
    return next(r for r in rows if r.township == township)


def test_progress_counts_recorded_rapid_tests_by_month_against_a_straight_line(city_user, township, rapid_tests):
    quota_set(year=LAST_YEAR, values={(township.pk, ""): 120}, user=city_user)
    rapid_tests(datetime.date(LAST_YEAR, 1, 15), n=3)
    rapid_tests(datetime.date(LAST_YEAR, 3, 2), n=2)
    on = datetime.date(LAST_YEAR, 4, 10)  # three months ended: target 120 × 3 / 12 = 30
    row = row_of(quota_progress(year=LAST_YEAR, on=on), township)
    assert row.monthly[:4] == [3, 0, 2, 0]
    assert row.cumulative[2] == 5 and row.targets[2] == 30
    assert row.target == 30 and row.done == 5 and row.is_behind
    assert "截至3月底应完成30份" in row.words and "还差25份" in row.words


def test_a_sample_tested_twice_counts_once_and_other_townships_are_not_mixed_in(city_user, township,
                                                                                 other_township, rapid_tests):
    from inspections.services.records import rapid_test_record

    quota_set(year=LAST_YEAR, values={(township.pk, ""): 12, (other_township.pk, ""): 12}, user=city_user)
    first = rapid_tests(datetime.date(LAST_YEAR, 2, 1))[0]
    rapid_test_record(sample=first.sample, user=city_user, method="enzyme", target="有机磷", inhibition_rate=10,
                      tested_on=datetime.date(LAST_YEAR, 5, 1))
    rows = quota_progress(year=LAST_YEAR, on=datetime.date(LAST_YEAR, 3, 1))
    assert row_of(rows, township).done == 1 and row_of(rows, township).monthly[1] == 1
    assert row_of(rows, other_township).done == 0 and row_of(rows, other_township).is_behind


def test_a_station_on_track_and_a_finished_year_are_said_in_words(city_user, township, rapid_tests):
    quota_set(year=LAST_YEAR, values={(township.pk, ""): 24}, user=city_user)
    rapid_tests(datetime.date(LAST_YEAR, 1, 20), n=2)
    row = row_of(quota_progress(year=LAST_YEAR, on=datetime.date(LAST_YEAR, 2, 3)), township)
    assert not row.is_behind and row.words.startswith("进度正常")
    full = row_of(quota_progress(year=LAST_YEAR, on=datetime.date(LAST_YEAR + 1, 1, 5)), township)
    assert full.is_behind and "未完成全年任务" in full.words and "差22份" in full.words


def test_product_group_quotas_count_samples_by_product_name(city_user, township, rapid_tests):
    quota_set(year=LAST_YEAR, values={(township.pk, ""): 12, (township.pk, "fruit"): 12}, user=city_user)
    rapid_tests(datetime.date(LAST_YEAR, 1, 5), n=6, product="黄瓜")
    row = row_of(quota_progress(year=LAST_YEAR, on=datetime.date(LAST_YEAR, 7, 1)), township)
    assert row.gap == 0 and row.groups[0].done == 0 and row.groups[0].behind == 6
    assert row.is_behind and "水果还差6份" in row.words
    assert product_group_of("西红柿") == "vegetable" and product_group_of("哈密瓜") == "fruit"
    assert product_group_of("羊肉") == "livestock" and product_group_of("石头") == "other"


@pytest.mark.parametrize(("raw", "message"), [
    ("-5", "任务数不能是负数"), ("12.5", "必须是整数"), ("一百", "必须是整数"), ("100001", "不能超过"),
])
def test_bad_quotas_are_refused_with_a_message_and_nothing_is_saved(city_user, township, other_township, raw,
                                                                     message):
    with pytest.raises(QuotaError) as caught:
        quota_set(year=LAST_YEAR, values={(other_township.pk, ""): "80", (township.pk, ""): raw}, user=city_user)
    assert message in caught.value.errors[(township.pk, "")]
    assert not StationQuota.objects.exists()


def test_whole_numbers_typed_in_full_width_or_with_a_trailing_zero_are_accepted(city_user, township):
    quota_set(year=LAST_YEAR, values={(township.pk, ""): "１２０", (township.pk, "vegetable"): "40.0"},
              user=city_user)
    assert {q.product_group: q.quota for q in StationQuota.objects.all()} == {"": 120, "vegetable": 40}
    quota_set(year=LAST_YEAR, values={(township.pk, "vegetable"): ""}, user=city_user)
    assert list(StationQuota.objects.values_list("product_group", flat=True)) == [""]


def test_only_the_city_allocates_quotas(township_user, township):
    with pytest.raises(GridworkPermissionDenied):
        quota_set(year=LAST_YEAR, values={(township.pk, ""): 10}, user=township_user)


# --- the screens -----------------------------------------------------------------------------------------

def test_the_city_edits_every_township_on_one_form_and_sees_the_stations_behind(client, city_user, township,
                                                                                 rapid_tests, grids):
    client.force_login(city_user)
    form = client.get(f"{EDIT}?year={LAST_YEAR}").content.decode()
    assert form.count('name="q-') == 10 * 7 and "三工镇" in form
    response = client.post(EDIT, {"year": LAST_YEAR, f"q-{township.pk}-all": "60"})
    assert response.status_code == 302
    rapid_tests(datetime.date(LAST_YEAR, 1, 9), n=2)
    page = client.get(f"{PROGRESS}?year={LAST_YEAR}").content.decode()
    assert "1 个乡镇监管站进度落后：三工镇" in page and "未完成全年任务：任务60份，检测2份，差58份" in page


def test_a_bad_quota_on_the_form_is_shown_beside_its_field_and_keeps_what_was_typed(client, city_user, township,
                                                                                     other_township):
    client.force_login(city_user)
    response = client.post(EDIT, {"year": LAST_YEAR, f"q-{township.pk}-all": "-3",
                                  f"q-{other_township.pk}-all": "70"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "任务数不能是负数（您填写的是 -3）" in html and 'value="70"' in html and "未保存任何任务数" in html
    assert not StationQuota.objects.exists()


def test_a_township_sees_only_its_own_progress_and_cannot_edit(client, township_user, township, other_township,
                                                                city_user):
    quota_set(year=LAST_YEAR, values={(township.pk, ""): 10, (other_township.pk, ""): 10}, user=city_user)
    client.force_login(township_user)
    page = client.get(f"{PROGRESS}?year={LAST_YEAR}").content.decode()
    assert "三工镇" in page and other_township.name not in page
    assert "逐月进度" in page  # one township: its months in detail
    assert client.get(EDIT).status_code in (302, 403)  # Wagtail sends a refused user home with a message
    assert client.post(EDIT, {"year": LAST_YEAR, f"q-{township.pk}-all": "1"}).status_code in (302, 403)
    assert StationQuota.objects.get(township=township).quota == 10


def test_a_village_coordinator_has_no_quota_screen(client, village_user):
    client.force_login(village_user)
    response = client.get(PROGRESS)
    assert response.status_code in (302, 403) and "三工镇" not in response.content.decode()


def test_the_quota_screen_in_english(client, city_user, township):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(city_user)
    profile.preferred_language = "en"
    profile.save()
    quota_set(year=LAST_YEAR, values={(township.pk, ""): 12}, user=city_user)
    client.force_login(city_user)
    page = client.get(f"{PROGRESS}?year={LAST_YEAR}").content.decode()
    assert "Rapid test progress" in page
    assert "Year not completed: quota 12 samples, 0 tested, 12 short." in page
