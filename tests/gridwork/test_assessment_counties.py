"""Each county of a portal keeps its own assessment: its own scheme for the year, its own townships scored
and ranked, its staff alone acting on it; a prefecture's overseer reads every county's."""

import datetime

import pytest
from django.utils import timezone

from gridwork.models import AssessmentScheme
from gridwork.services.assessment import scheme_open, scheme_set, scores_compute
from gridwork.services.scope import GridworkPermissionDenied
from tests.disclosure.test_counties import FUKANG, counties, county_staff  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
INDEX = "/admin/gridwork/assessment/"


@pytest.fixture
def staff(county_staff):  # noqa: F811
    return county_staff


def _township_names(scores):
    return {score.township.name for score in scores}


def test_each_county_scores_its_own_townships_with_its_own_scheme(counties, staff):  # noqa: F811
    fukang_scheme = scheme_open(year=YEAR, user=staff["fukang"])
    changji_scheme = scheme_open(year=YEAR, user=staff["changji"])
    assert fukang_scheme.county == counties["fukang"] and changji_scheme.county == counties["changji"]
    assert fukang_scheme.pk != changji_scheme.pk

    fukang_scores = scores_compute(scheme=fukang_scheme, user=staff["fukang"])
    assert "甘河子镇" in _township_names(fukang_scores) and "三工镇" not in _township_names(fukang_scores)
    assert len(fukang_scores) == 7  # 阜康市's towns and townships, ranked among themselves
    changji_scores = scores_compute(scheme=changji_scheme, user=staff["changji"])
    assert len(changji_scores) == 10 and "甘河子镇" not in _township_names(changji_scores)
    assert fukang_scheme.scores.count() == 7  # computing 昌吉市's left 阜康市's alone

    # One county changing its weights changes nothing of the other's.
    rows = [(i.code, i.weight, i.target) for i in changji_scheme.indicators.all()]
    rows = [(code, weight, 100) for code, weight, _target in rows]
    scheme_set(scheme=changji_scheme, user=staff["changji"], rows=rows)
    assert {i.target for i in AssessmentScheme.objects.get(pk=fukang_scheme.pk).indicators.all()} != {100}


def test_a_county_cannot_act_on_another_countys_assessment(counties, staff):  # noqa: F811
    changji_scheme = scheme_open(year=YEAR, user=staff["changji"])
    with pytest.raises(GridworkPermissionDenied):
        scores_compute(scheme=changji_scheme, user=staff["fukang"])
    with pytest.raises(GridworkPermissionDenied):
        scheme_set(scheme=changji_scheme, user=staff["fukang"], rows=[("inspection_frequency", 100, 90)])
    with pytest.raises(GridworkPermissionDenied):  # opening is for the county's own staff
        scheme_open(year=YEAR - 1, user=staff["fukang"], county=counties["changji"])
    assert not changji_scheme.scores.exists()
    assert not AssessmentScheme.objects.filter(year=YEAR - 1).exists()


def test_the_ranking_page_shows_the_users_county_and_lets_the_prefecture_choose(client, counties, staff):  # noqa: F811
    for county in ("fukang", "changji"):
        scores_compute(scheme=scheme_open(year=YEAR, user=staff[county]), user=staff[county])
    client.force_login(staff["fukang"])
    page = client.get(INDEX, {"year": YEAR}, HTTP_HOST=FUKANG).content.decode()
    assert f"阜康市{YEAR}年乡镇考核排名" in page
    assert "甘河子镇" in page and "三工镇" not in page
    # A county's staff asking for another county's ranking get their own.
    page = client.get(INDEX, {"year": YEAR, "county": counties["changji"].pk}).content.decode()
    assert "甘河子镇" in page and "三工镇" not in page
    # The compute button posts for the county shown; the other county's scores stay as they were.
    before = {s.pk for s in AssessmentScheme.objects.get(county=counties["changji"], year=YEAR).scores.all()}
    client.post(INDEX + "compute/", {"year": YEAR, "county": counties["changji"].pk})
    after = {s.pk for s in AssessmentScheme.objects.get(county=counties["changji"], year=YEAR).scores.all()}
    assert before == after

    client.force_login(staff["overseer"])
    page = client.get(INDEX, {"year": YEAR, "county": counties["changji"].pk}).content.decode()
    assert f"昌吉市{YEAR}年乡镇考核排名" in page and "三工镇" in page
    assert 'name="county"' in page and "阜康市</option>" in page  # the prefecture chooses among its counties
    assert "计算得分" not in page  # reads only
    page = client.get(INDEX, {"year": YEAR, "county": counties["fukang"].pk}).content.decode()
    assert "甘河子镇" in page and "三工镇" not in page


def test_the_report_of_a_county_names_it_and_scores_its_townships(client, counties, staff):  # noqa: F811
    import subprocess
    import tempfile
    from pathlib import Path

    scheme = scheme_open(year=YEAR, user=staff["fukang"])
    scores_compute(scheme=scheme, user=staff["fukang"], on=datetime.date.today())
    client.force_login(staff["fukang"])
    response = client.get(INDEX + "report.pdf", {"year": YEAR})
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "r.pdf").write_bytes(response.content)
        text = subprocess.run(["pdftotext", str(Path(tmp) / "r.pdf"), "-"], check=True, capture_output=True,
                              text=True).stdout.replace(" ", "")
    assert "阜康市农产品质量安全网格化管理" in text and "甘河子镇" in text and "三工镇" not in text
