"""Oversight of townships: the city's checks, a summons with a deadline that follows the casework rules,
follow-ups to done or escalation; townships see their own, read only."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from casework.models import Rectification
from gridwork.models import Summons, TownshipCheck
from gridwork.services.oversight import check_record, summons_follow_up, summons_issue, summonses_open
from gridwork.services.scope import GridworkPermissionDenied

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
OVERSIGHT = "/admin/gridwork/oversight/"


@pytest.fixture
def short_check(city_user, township):
    return check_record(user=city_user, township=township, checked_on=TODAY, scope="年度巡查计划执行情况",
                        outcome="shortcomings", findings="三季度计划巡查完成不足一半，整改复查无记录。")


def test_a_summons_opens_a_rectification_with_the_township_as_subject(city_user, short_check, township):
    summons = summons_issue(user=city_user, check=short_check, held_on=TODAY, official="王示例（站长）",
                            requirements="一个月内补齐巡查并建立复查台账", due=TODAY + datetime.timedelta(days=30))
    order = summons.rectification
    assert order.producer is None and order.source == summons and order.state == "open"
    assert list(summonses_open(townships=[township])) == [summons]


def test_a_summons_deadline_follows_the_casework_rule_and_nothing_is_saved_on_error(city_user, short_check):
    with pytest.raises(ValidationError, match="整改期限必须是今天以后的日期"):
        summons_issue(user=city_user, check=short_check, held_on=TODAY, official="王示例", requirements="补齐",
                      due=TODAY)
    assert not Summons.objects.exists() and not Rectification.objects.exists()


def test_follow_ups_set_a_new_deadline_then_close_or_escalate(city_user, short_check):
    summons = summons_issue(user=city_user, check=short_check, held_on=TODAY, official="王示例", requirements="补齐",
                            due=TODAY + datetime.timedelta(days=10))
    with pytest.raises(ValidationError, match="新的整改期限"):
        summons_follow_up(user=city_user, summons=summons, passed=False, findings="仍未补齐")
    summons_follow_up(user=city_user, summons=summons, passed=False, findings="仍未补齐",
                      new_due=TODAY + datetime.timedelta(days=20))
    summons.rectification.refresh_from_db()
    assert summons.rectification.due == TODAY + datetime.timedelta(days=20)
    summons_follow_up(user=city_user, summons=summons, passed=False, escalate=True, findings="整改仍不到位")
    summons.rectification.refresh_from_db()
    assert summons.rectification.state == "escalated"


def test_bad_checks_and_summonses_get_clear_messages(city_user, township):
    with pytest.raises(ValidationError, match="发现的问题"):
        check_record(user=city_user, township=township, checked_on=TODAY, scope="巡查", outcome="shortcomings")
    with pytest.raises(ValidationError, match="不能晚于今天"):
        check_record(user=city_user, township=township, checked_on=TODAY + datetime.timedelta(days=1), scope="巡查",
                     outcome="satisfactory")
    fine = check_record(user=city_user, township=township, checked_on=TODAY, scope="巡查", outcome="satisfactory")
    with pytest.raises(ValidationError, match="不需要约谈"):
        summons_issue(user=city_user, check=fine, held_on=TODAY, official="王示例", requirements="x",
                      due=TODAY + datetime.timedelta(days=5))


def test_only_the_city_records_oversight(township_user, township, short_check):
    with pytest.raises(GridworkPermissionDenied):
        check_record(user=township_user, township=township, checked_on=TODAY, scope="x", outcome="satisfactory")
    with pytest.raises(GridworkPermissionDenied):
        summons_issue(user=township_user, check=short_check, held_on=TODAY, official="x", requirements="x",
                      due=TODAY + datetime.timedelta(days=5))


def test_the_city_records_a_check_and_a_summons_on_screen(client, city_user, township):
    client.force_login(city_user)
    response = client.post(f"{OVERSIGHT}new/", {"township": township.pk, "checked_on": TODAY.isoformat(),
                                                "scope": "巡查记录", "outcome": "shortcomings", "findings": ""})
    assert response.status_code == 400 and "请填写发现的问题" in response.content.decode()
    client.post(f"{OVERSIGHT}new/", {"township": township.pk, "checked_on": TODAY.isoformat(), "scope": "巡查记录",
                                     "outcome": "shortcomings", "findings": "记录不全"})
    check = TownshipCheck.objects.get()
    response = client.post(f"{OVERSIGHT}{check.pk}/", {"summons": "1", "held_on": TODAY.isoformat(),
                                                       "official": "王示例", "requirements": "补齐记录",
                                                       "due": TODAY.isoformat()})
    assert response.status_code == 400 and "整改期限必须是今天以后的日期" in response.content.decode()
    due = TODAY + datetime.timedelta(days=15)
    client.post(f"{OVERSIGHT}{check.pk}/", {"summons": "1", "held_on": TODAY.isoformat(), "official": "王示例",
                                            "requirements": "补齐记录", "due": due.isoformat()})
    summons = Summons.objects.get()
    client.post(f"{OVERSIGHT}{check.pk}/", {"follow": summons.pk, f"f{summons.pk}-result": "passed",
                                            f"f{summons.pk}-findings": "已补齐"})
    summons.rectification.refresh_from_db()
    assert summons.rectification.state == "done"
    assert "整改到位" in client.get(OVERSIGHT).content.decode()


def test_a_township_sees_its_own_checks_read_only(client, township_user, short_check, other_township, city_user):
    other = check_record(user=city_user, township=other_township, checked_on=TODAY, scope="x",
                         outcome="satisfactory")
    client.force_login(township_user)
    page = client.get(f"{OVERSIGHT}{short_check.pk}/").content.decode()
    assert "三季度计划巡查完成不足一半" in page and "记录约谈" not in page
    assert client.get(f"{OVERSIGHT}{other.pk}/").status_code == 404
    response = client.post(f"{OVERSIGHT}{short_check.pk}/", {"summons": "1"})
    assert response.status_code in (302, 403) and not Summons.objects.exists()
