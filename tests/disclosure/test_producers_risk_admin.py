"""Risk levels in the producer screens: set through risk_set with the history beside the credit grade,
the key supervision list showing why each producer is on it, scoping to the user's grids."""

import datetime

import pytest

from disclosure.models import Grade, RiskAssessment, RiskLevel
from disclosure.services.producers import rating_set
from tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db
LIST = "/admin/snippets/disclosure/producer/"
TODAY = datetime.date.today()


@pytest.fixture
def staff_groups(db):
    from staff.roles import staff_roles_setup

    return staff_roles_setup()


@pytest.fixture
def producers(village, grids, township):
    mine = ProducerFactory(village=village, name="本镇风险示例合作社")
    graded = ProducerFactory(village=village, name="本镇B类示例农场")
    rating_set(producer=graded, grade=Grade.B, effective_date=TODAY, basis="抽检不合格")
    theirs = ProducerFactory(village=grids.filter(level="village").exclude(parent=township).first(),
                             name="外镇示例合作社")
    return {"mine": mine, "graded": graded, "theirs": theirs}


def test_setting_a_risk_level_keeps_its_history_beside_the_grade(login, township_user, producers):
    client = login(township_user)
    url = f"/admin/producers/{producers['mine'].pk}/risk/"
    response = client.post(url, {"level": "high", "effective_date": TODAY.isoformat(), "reason": ""})
    assert response.status_code == 400 and "请填写评定理由" in response.content.decode()
    assert not RiskAssessment.objects.exists()
    response = client.post(url, {"level": "high", "effective_date": TODAY.isoformat(), "reason": "曾检出禁用药物"})
    assert response.status_code == 302
    producer = producers["mine"]
    producer.refresh_from_db()
    assert producer.risk_level == RiskLevel.HIGH and producer.risk_since == TODAY
    page = client.get(url).content.decode()
    assert "曾检出禁用药物" in page and "列入重点监管名录" in page and "风险等级为高" in page
    grade_page = client.get(f"/admin/producers/{producer.pk}/grade/").content.decode()
    assert "风险评定历史" in grade_page and "曾检出禁用药物" in grade_page


def test_the_key_list_shows_the_reason(login, township_user, producers):
    client = login(township_user)
    client.post(f"/admin/producers/{producers['mine'].pk}/risk/",
                {"level": "high", "effective_date": TODAY.isoformat(), "reason": "紧邻水源地"})
    html = client.get(LIST, {"list": "key"}).content.decode()
    assert producers["mine"].name in html and producers["graded"].name in html
    assert "风险等级为高" in html and "信用等级为B 重点监控名单" in html
    assert "重点监管名录（B、C 类或风险等级高）" in html


def test_another_townships_producer_is_not_found(login, township_user, producers):
    client = login(township_user)
    url = f"/admin/producers/{producers['theirs'].pk}/risk/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"level": "high", "effective_date": TODAY.isoformat(), "reason": "越权"}).status_code == 404
    assert not RiskAssessment.objects.exists()
