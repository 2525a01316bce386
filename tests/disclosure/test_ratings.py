import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from disclosure.models import CreditRating, Grade, Producer
from disclosure.services.producers import rating_set
from tests.factories import ProducerFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def test_grade_history_is_kept_and_the_latest_decision_is_current(grids):
    producer = ProducerFactory()
    assert producer.grade == Grade.UNRATED and producer.grade_since is None
    user = UserFactory(first_name="王监管")
    rating_set(producer=producer, grade=Grade.A, effective_date=days_ago(300), basis="巡查合格", set_by=user)
    rating_set(producer=producer, grade=Grade.B, effective_date=days_ago(30), basis="记录不全，限期整改",
               next_review_date=TODAY + datetime.timedelta(days=90), set_by=user)
    # A decision entered late, with an earlier effective date, does not replace the newer one.
    rating_set(producer=producer, grade=Grade.A, effective_date=days_ago(200), basis="补录")
    producer.refresh_from_db()
    assert (producer.grade, producer.grade_since) == (Grade.B, days_ago(30))
    history = list(producer.ratings.history())
    assert [r.grade for r in history] == ["B", "A", "A"]
    assert history[0].set_by_name == "王监管" and history[0].next_review_date == TODAY + datetime.timedelta(days=90)
    assert CreditRating.objects.count() == 3


@pytest.mark.parametrize("kwargs, field", [
    ({"grade": "D"}, "grade"),
    ({"basis": "   "}, "basis"),
    ({"effective_date": TODAY + datetime.timedelta(days=1)}, "effective_date"),
    ({"next_review_date": days_ago(5)}, "next_review_date"),
])
def test_rating_set_validates_before_saving(grids, kwargs, field):
    producer = ProducerFactory()
    arguments = {"producer": producer, "grade": "A", "effective_date": days_ago(1), "basis": "依据"} | kwargs
    with pytest.raises(ValidationError) as exc:
        rating_set(**arguments)
    assert field in exc.value.message_dict
    assert not CreditRating.objects.exists()
    producer.refresh_from_db()
    assert producer.grade == Grade.UNRATED


def test_key_supervision_list_holds_b_and_c_only(grids):
    graded = {}
    for grade in (Grade.A, Grade.B, Grade.C, Grade.REVIEW):
        graded[grade] = ProducerFactory()
        rating_set(producer=graded[grade], grade=grade, effective_date=days_ago(3), basis="依据")
    ProducerFactory()  # unrated
    assert set(Producer.objects.key_supervision()) == {graded[Grade.B], graded[Grade.C]}
    # Leaving the list: a B producer re-graded A after rectification.
    rating_set(producer=graded[Grade.B], grade=Grade.A, effective_date=TODAY, basis="整改到位")
    assert set(Producer.objects.key_supervision()) == {graded[Grade.C]}


def test_stale_list_holds_producers_not_confirmed_for_over_a_year(grids):
    fresh = ProducerFactory(facts_confirmed_on=days_ago(10))
    edge = ProducerFactory(facts_confirmed_on=days_ago(365))
    stale = ProducerFactory(facts_confirmed_on=days_ago(366))
    assert list(Producer.objects.stale()) == [stale]
    assert stale.is_stale and not edge.is_stale and not fresh.is_stale
    # On a later day the edge case becomes stale too.
    assert set(Producer.objects.stale(on=TODAY + datetime.timedelta(days=1))) == {edge, stale}


def _staff(codename_list, superuser=False):
    from django.contrib.auth.models import Permission

    user = UserFactory(is_superuser=superuser)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codename_list]))
    return user


def test_admin_sets_a_grade_and_shows_the_history(client, grids):
    producer = ProducerFactory(name="评级测试合作社")
    admin = _staff([], superuser=True)
    client.force_login(admin)
    url = f"/admin/producers/{producer.pk}/grade/"
    response = client.post(url, {"grade": "C", "effective_date": days_ago(2).isoformat(),
                                 "basis": "抽检发现禁用药物残留，移送执法。", "next_review_date": ""})
    assert response.status_code == 302
    producer.refresh_from_db()
    assert producer.grade == "C"
    page = client.get(url).content.decode()
    assert "抽检发现禁用药物残留" in page and "C 黑名单" in page


def test_admin_grade_form_shows_errors_next_to_fields(client, grids):
    producer = ProducerFactory()
    client.force_login(_staff([], superuser=True))
    response = client.post(f"/admin/producers/{producer.pk}/grade/",
                           {"grade": "A", "effective_date": (TODAY + datetime.timedelta(days=3)).isoformat(),
                            "basis": "依据"})
    assert response.status_code == 400
    assert "生效日期不能晚于今天" in response.content.decode()


def test_key_supervision_and_stale_lists_in_the_admin(client, grids):
    key = ProducerFactory(name="重点监管甲合作社")
    rating_set(producer=key, grade="B", effective_date=days_ago(1), basis="依据")
    old = ProducerFactory(name="久未核实乙合作社", facts_confirmed_on=days_ago(400))
    ProducerFactory(name="普通丙合作社")
    client.force_login(_staff([], superuser=True))
    listing = "/admin/snippets/disclosure/producer/"
    key_page = client.get(listing + "?list=key").content.decode()
    assert key.name in key_page and old.name not in key_page and "普通丙合作社" not in key_page
    stale_page = client.get(listing + "?list=stale").content.decode()
    assert old.name in stale_page and key.name not in stale_page


def test_after_saving_a_grade_the_form_shows_that_grade(client, grids):
    producer = ProducerFactory()
    client.force_login(_staff([], superuser=True))
    url = f"/admin/producers/{producer.pk}/grade/"
    client.post(url, {"grade": "B", "effective_date": days_ago(1).isoformat(), "basis": "巡查发现记录不全。"})
    page = client.get(url).content.decode()
    assert '<option value="B" selected>' in page
    assert '<option value="A" selected>' not in page


def test_unrated_producers_show_no_grade_date_in_the_admin(client, grids):
    """未评级 has no date: the listing, the producer's page and the grade page show none (not today's)."""
    producer = ProducerFactory(name="未评级合作社", facts_confirmed_on=days_ago(30))
    rating_set(producer=producer, grade=Grade.UNRATED, effective_date=TODAY, basis="新登记，尚未评级。")
    client.force_login(_staff([], superuser=True))
    listing = client.get("/admin/snippets/disclosure/producer/?q=未评级合作社").content.decode()
    assert "未评级合作社" in listing and TODAY.isoformat() not in listing.split("未评级合作社", 1)[1]
    inspect = client.get(f"/admin/snippets/disclosure/producer/inspect/{producer.pk}/").content.decode()
    assert inspect.count(TODAY.isoformat()) == 0 and inspect.count(TODAY.strftime("%Y年%-m月%-d日")) == 0
    grade_page = client.get(f"/admin/producers/{producer.pk}/grade/").content.decode()
    assert "自 " + TODAY.isoformat() not in grade_page
