"""The townships' assessment (考核): figures counted from the records, the scheme's weights checked, scores
stored with the scheme used and frozen by 定稿, townships opening only their own card, the printed report."""

import datetime
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from complaints.models import Category, Complaint, Kind, State
from disclosure.models import Grid, Role
from gridwork.models import AssessmentIndicator, AssessmentScheme, TownshipScore
from gridwork.services.assessment import (
    AssessmentError,
    points,
    scheme_finalise,
    scheme_open,
    scheme_set,
    score_card,
    scores_compute,
)
from gridwork.services.assessment_figures import assessment_figures
from gridwork.services.quotas import quota_set
from gridwork.services.scope import GridworkPermissionDenied
from gridwork.services.training import attendance_set, session_save
from inspections.models import Inspection
from inspections.services.plans import rules
from tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1
INDEX = "/admin/gridwork/assessment/"


def defaults_rows(scheme):
    return [(i.code, i.weight, i.target) for i in scheme.indicators.all()]


def complaint(township, *, year=LAST_YEAR, month=3, on_time=True, rating=None, accepted_late=False):
    from complaints.services.submit import tracking_code_new

    tz = timezone.get_current_timezone()
    received = datetime.datetime(year, month, 2, 10, tzinfo=tz)
    closed = received + datetime.timedelta(days=20 if on_time else 80)
    return Complaint.objects.create(
        tracking_code=tracking_code_new(), kind=Kind.COMPLAINT, category=Category.RESIDUE, description="测试",
        grid=township, township=township, state=State.CLOSED, submitted_at=received,
        accepted_at=received + datetime.timedelta(days=9 if accepted_late else 1),
        accept_due=(received + datetime.timedelta(days=5)).date(), closed_at=closed, closed_on_time=on_time,
        rating=rating, rated_at=closed + datetime.timedelta(days=1) if rating else None)


def inspect(producer, times, year=LAST_YEAR):
    for n in range(times):
        Inspection.objects.create(producer=producer, township=producer.village.parent, confirmed=True,
                                  inspected_on=datetime.date(year, 2 + n, 10), inspector_names="检查员")


# --- figures ---------------------------------------------------------------------------------------------

def test_each_indicator_is_counted_from_the_records_of_the_year(city_user, township, village, township_user,
                                                                 rapid_tests):
    per_year = rules().main_per_year
    on_time, short = ProducerFactory(village=village), ProducerFactory(village=village)
    inspect(on_time, per_year)
    inspect(short, per_year - 1)
    inspect(short, 3, year=LAST_YEAR - 1)  # another year's inspections do not count
    quota_set(year=LAST_YEAR, values={(township.pk, ""): 10}, user=city_user)
    rapid_tests(datetime.date(LAST_YEAR, 5, 6), n=4)
    complaint(township, rating=5)
    complaint(township, on_time=False, rating=2, accepted_late=True)
    complaint(township, year=LAST_YEAR - 1)  # received and closed the year before
    figures = assessment_figures(year=LAST_YEAR, townships=[township])[township.pk]
    # Three cooperatives: the two above and the one the rapid tests were taken at (never inspected).
    assert (figures["inspection_frequency"]["numerator"], figures["inspection_frequency"]["denominator"]) == (1, 3)
    assert (figures["rapid_test_quota"]["numerator"], figures["rapid_test_quota"]["denominator"]) == (4, 10)
    assert (figures["complaints_accepted_on_time"]["numerator"],
            figures["complaints_accepted_on_time"]["denominator"]) == (1, 2)
    assert (figures["complaints_on_time"]["numerator"], figures["complaints_on_time"]["denominator"]) == (1, 2)
    assert (figures["satisfaction"]["numerator"], figures["satisfaction"]["denominator"]) == (1, 2)
    assert figures["traceability"] == {"numerator": 0, "denominator": 3, "detail": []}


def test_training_staffing_and_registry_figures_name_what_is_missing(city_user, township, village, township_user,
                                                                     tester_user):
    session = session_save(user=township_user, grid=township, held_on=datetime.date(LAST_YEAR, 6, 1),
                           topic="农药安全使用", trainer="王示例", place="会议室")
    attendance_set(session=session, user=township_user, marks={township_user.grid_person.pk: "present"})
    fresh = ProducerFactory(village=village, facts_confirmed_on=datetime.date(LAST_YEAR, 3, 1))
    ProducerFactory(village=village, facts_confirmed_on=datetime.date(LAST_YEAR - 2, 3, 1))
    figures = assessment_figures(year=LAST_YEAR, townships=[township])[township.pk]
    training = figures["training_coverage"]
    assert (training["numerator"], training["denominator"]) == (1, 2)
    assert training["detail"] == [tester_user.grid_person.name]
    staffed = figures["grids_staffed"]
    villages = township.children.count()
    # The township has its supervisor and tester; none of its villages has a coordinator.
    assert (staffed["numerator"], staffed["denominator"]) == (1, villages + 1)
    assert any("长丰村" in d and "协管员" in d for d in staffed["detail"]), staffed["detail"]
    assert (figures["registry_updated"]["numerator"], figures["registry_updated"]["denominator"]) == (1, 2)
    assert fresh.pk


def test_points_are_the_weight_times_the_share_of_the_target_capped_and_full_without_records():
    assert points(numerator=45, denominator=50, weight=10, target=100) == Decimal("9.0")
    assert points(numerator=45, denominator=50, weight=10, target=90) == Decimal("10.0")
    assert points(numerator=1, denominator=3, weight=20, target=100) == Decimal("6.7")
    assert points(numerator=0, denominator=0, weight=15, target=100) == Decimal("15.0")


# --- the scheme --------------------------------------------------------------------------------------------

def test_the_city_opening_a_year_gets_the_plans_default_scheme_adding_up_to_100(city_user):
    scheme = scheme_open(year=LAST_YEAR, user=city_user)
    codes = [i.code for i in scheme.indicators.all()]
    assert codes[:2] == ["inspection_frequency", "rapid_test_quota"] and "grids_staffed" in codes
    assert sum(i.weight for i in scheme.indicators.all()) == 100
    assert scheme_open(year=LAST_YEAR, user=city_user).pk == scheme.pk


def test_a_township_cannot_open_a_year_without_a_scheme(township_user):
    with pytest.raises(GridworkPermissionDenied, match="还没有考核方案"):
        scheme_open(year=LAST_YEAR, user=township_user)
    assert not AssessmentScheme.objects.exists()


@pytest.mark.parametrize(("change", "message"), [
    ({"satisfaction": 5}, "合计应为100分，现在合计95分（少5分）"),
    ({"satisfaction": 20}, "现在合计110分（多10分）"),
    ({"satisfaction": "7.5"}, "分值必须是1到100之间的整数"),
    ({"satisfaction": "-3"}, "分值必须是1到100之间的整数"),
])
def test_weights_that_do_not_add_up_are_refused_and_nothing_is_saved(city_user, change, message):
    scheme = scheme_open(year=LAST_YEAR, user=city_user)
    before = defaults_rows(scheme)
    rows = [(c, change.get(c, w), t) for c, w, t in before]
    with pytest.raises(AssessmentError) as caught:
        scheme_set(scheme=scheme, user=city_user, rows=rows)
    assert message in " ".join([*caught.value.messages, *caught.value.errors.values()])
    assert defaults_rows(AssessmentScheme.objects.get(year=LAST_YEAR)) == before


def test_a_blank_weight_leaves_an_indicator_out_and_the_form_says_what_is_wrong(city_user, login):
    scheme = scheme_open(year=LAST_YEAR, user=city_user)
    client = login(city_user)
    data = {"year": LAST_YEAR, **{f"weight-{c}": w for c, w, _t in defaults_rows(scheme)},
            **{f"target-{c}": t for c, _w, t in defaults_rows(scheme)}}
    data["weight-traceability"] = ""
    response = client.post(INDEX + "scheme/", data)
    assert response.status_code == 400
    assert "现在合计90分（少10分）" in response.content.decode()
    data["weight-satisfaction"] = 20
    response = client.post(INDEX + "scheme/", data)
    assert response.status_code == 302
    assert "traceability" not in [i.code for i in AssessmentIndicator.objects.filter(scheme=scheme)]


# --- scores and 定稿 ------------------------------------------------------------------------------------

def test_scores_are_stored_ranked_with_the_scheme_used(city_user, township, village, other_township):
    inspect(ProducerFactory(village=village), rules().main_per_year)
    scheme = scheme_open(year=LAST_YEAR, user=city_user)
    scores = scores_compute(scheme=scheme, user=city_user)
    assert len(scores) == Grid.objects.townships().count()
    mine = TownshipScore.objects.get(scheme=scheme, township=township)
    assert mine.scheme_snapshot[0] == {"code": "inspection_frequency", "label": "日常巡查达到规定频次", "weight": 20,
                                       "target": 100}
    card = {line.code: line for line in score_card(mine)}
    assert (card["inspection_frequency"].numerator, card["inspection_frequency"].denominator) == (1, 1)
    assert card["inspection_frequency"].source_url == (f"/admin/inspection-coverage/?year={LAST_YEAR}"
                                                       f"&township={township.pk}")
    assert mine.score == sum(line.points for line in card.values())
    assert [s.rank for s in scores] == sorted(s.rank for s in scores)


def test_finalising_freezes_the_scheme_and_scores_whatever_changes_later(city_user, township):
    scheme = scheme_open(year=LAST_YEAR, user=city_user)
    rows = [(c, w + 5 if c == "inspection_frequency" else w - 5 if c == "satisfaction" else w, t)
            for c, w, t in defaults_rows(scheme)]
    scheme_set(scheme=scheme, user=city_user, rows=rows)
    scores_compute(scheme=scheme, user=city_user)
    scheme_finalise(scheme=scheme, user=city_user)
    kept = TownshipScore.objects.get(scheme=scheme, township=township)
    with pytest.raises(AssessmentError, match="已定稿，考核方案不能再修改"):
        scheme_set(scheme=scheme, user=city_user, rows=defaults_rows(scheme_open(year=TODAY.year, user=city_user)))
    with pytest.raises(AssessmentError, match="已定稿，得分不能再重新计算"):
        scores_compute(scheme=scheme, user=city_user)
    with override_settings(GRIDWORK_ASSESSMENT_DEFAULTS=[("traceability", 100, 100)]):
        assert defaults_rows(scheme_open(year=LAST_YEAR, user=city_user)) == rows
    again = TownshipScore.objects.get(scheme=scheme, township=township)
    assert (again.score, again.figures, again.scheme_snapshot) == (kept.score, kept.figures, kept.scheme_snapshot)
    assert {line.code: line.weight for line in score_card(again)}["inspection_frequency"] == 25


def test_finalising_needs_an_ended_year_and_scores_of_the_current_scheme(city_user):
    this = scheme_open(year=TODAY.year, user=city_user)
    scores_compute(scheme=this, user=city_user)
    with pytest.raises(AssessmentError, match="还没有结束"):
        scheme_finalise(scheme=this, user=city_user)
    last = scheme_open(year=LAST_YEAR, user=city_user)
    with pytest.raises(AssessmentError, match="请先计算"):
        scheme_finalise(scheme=last, user=city_user)
    scores_compute(scheme=last, user=city_user)
    rows = [(c, w + 5 if c == "traceability" else w - 5 if c == "satisfaction" else w, t)
            for c, w, t in defaults_rows(last)]
    scheme_set(scheme=last, user=city_user, rows=rows)
    with pytest.raises(AssessmentError, match="请先重新计算得分"):
        scheme_finalise(scheme=last, user=city_user)
    assert not AssessmentScheme.objects.get(year=LAST_YEAR).is_final


# --- screens, scope and the report ------------------------------------------------------------------------

@pytest.fixture
def computed(city_user):
    scheme = scheme_open(year=LAST_YEAR, user=city_user)
    scores_compute(scheme=scheme, user=city_user)
    return scheme


def test_townships_see_the_ranking_but_open_only_their_own_card(computed, township_user, township, other_township,
                                                                login):
    client = login(township_user)
    page = client.get(INDEX, {"year": LAST_YEAR}).content.decode()
    assert other_township.name in page and f"{INDEX}{LAST_YEAR}/{township.pk}/" in page
    assert f"{INDEX}{LAST_YEAR}/{other_township.pk}/" not in page and "重新计算得分" not in page
    card = client.get(f"{INDEX}{LAST_YEAR}/{township.pk}/")
    assert card.status_code == 200 and "查看记录：巡查频次达标" in card.content.decode()
    denied = client.get(f"{INDEX}{LAST_YEAR}/{other_township.pk}/")  # Wagtail: back home with a message
    assert denied.status_code == 302 and denied["Location"] == "/admin/"
    for action in ("compute/", "finalise/"):
        assert client.post(INDEX + action, {"year": LAST_YEAR})["Location"] == "/admin/"
    assert not TownshipScore.objects.filter(scheme=computed).exclude(computed_at=computed.scores.first().computed_at)
    assert not AssessmentScheme.objects.get(pk=computed.pk).is_final


def test_a_township_sees_a_year_without_a_scheme_said_in_words(township_user, login):
    page = login(township_user).get(INDEX, {"year": LAST_YEAR}).content.decode()
    assert f"{LAST_YEAR}年还没有考核方案" in page


def test_the_city_computes_and_finalises_on_screen(city_user, login):
    client = login(city_user)
    assert "尚未计算得分" in client.get(INDEX, {"year": LAST_YEAR}).content.decode()
    client.post(INDEX + "compute/", {"year": LAST_YEAR})
    client.post(INDEX + "finalise/", {"year": LAST_YEAR})
    page = client.get(INDEX, {"year": LAST_YEAR}).content.decode()
    assert "考核已于" in page and "定稿" in page and "重新计算得分" not in page
    assert AssessmentScheme.objects.get(year=LAST_YEAR).is_final
    form = client.get(INDEX + "scheme/", {"year": LAST_YEAR}, follow=True).content.decode()
    assert "考核已定稿，考核方案不能再修改" in form


def test_the_ranking_and_a_card_take_a_fixed_number_of_queries(computed, city_user, township, login,
                                                               django_assert_max_num_queries):
    client = login(city_user)
    client.get(INDEX, {"year": LAST_YEAR})
    with django_assert_max_num_queries(27):
        assert client.get(INDEX, {"year": LAST_YEAR}).status_code == 200
    with django_assert_max_num_queries(21):
        assert client.get(f"{INDEX}{LAST_YEAR}/{township.pk}/").status_code == 200


def pdf_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        text = subprocess.run(["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True,
                              text=True).stdout
    return text.replace(" ", "")  # the title's letter spacing splits words


def test_the_report_prints_the_ranking_the_scheme_and_the_cards(computed, city_user, township, make_staff, login):
    response = login(city_user).get(INDEX + "report.pdf", {"year": LAST_YEAR})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert f"{LAST_YEAR}年乡镇农产品质量安全网格化管理考核报告" in text
    assert "一、排名" in text and "二、考核方案" in text and "日常巡查达到规定频次" in text
    assert "已上追溯平台的主体÷应追溯的主体" in text
    assert f"{township.name}{LAST_YEAR}年考核得分" in text
    own = make_staff("own", township, Role.SUPERVISOR)
    mine = pdf_text(login(own).get(INDEX + "report.pdf", {"year": LAST_YEAR}).content)
    others = Grid.objects.townships().exclude(pk=township.pk)
    assert f"{township.name}{LAST_YEAR}年考核得分" in mine
    assert not any(f"{t.name}{LAST_YEAR}年考核得分" in mine for t in others)
