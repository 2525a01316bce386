"""The townships' annual assessment (考核, the plan 五(五)): a year's scheme, the scores and 定稿.

Each county keeps its own scheme per year and scores its own townships (a portal may serve several counties).

- `scheme_open` gives the county's scheme for the year, creating it from GRIDWORK_ASSESSMENT_DEFAULTS when the
  county's staff open a year without one (townships cannot: they get AssessmentError).
- `scheme_set` replaces the indicators: codes from the catalogue, whole weights adding up to 100, targets
  from 1 to 100 per cent; all checked first, nothing saved on any error.
- `scores_compute` counts every township's figures of the scheme's county (assessment_figures) and stores its score with them and a
  copy of the scheme used. An indicator's points: weight × min(share / target, 1); an indicator with no
  records to count (denominator 0) gets its full weight and is marked so on the card.
- `scheme_finalise` (定稿) freezes a past year's scheme and scores: neither changes afterwards.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disclosure.models import Grid

from .. import conf
from ..models import AssessmentIndicator, AssessmentScheme, TownshipScore
from .assessment_figures import CATALOGUE, as_of, assessment_figures
from .scope import county_chosen, require_county

TOTAL_WEIGHT = 100


class AssessmentError(ValidationError):
    """The scheme or scores cannot be changed as asked; `errors` maps a row (or "") to its message."""

    def __init__(self, message: str, errors: dict | None = None):
        self.errors = errors or {}
        super().__init__(message)


def _year_ok(year) -> int:
    today = timezone.localdate()
    if not isinstance(year, int) or not 2000 <= year <= today.year + 1:
        raise AssessmentError(_("年度无效：考核年度应在2000年到%(last)d年之间。") % {"last": today.year + 1})
    return year


def scheme_get(*, year: int, county: Grid | None) -> AssessmentScheme | None:
    """The county's scheme for the year with its indicators, or None when the county has not opened the year."""
    if county is None:
        return None
    return (AssessmentScheme.objects.filter(year=year, county=county).select_related("county")
            .prefetch_related("indicators").first())


@transaction.atomic
def scheme_open(*, year: int, user, county: Grid | None = None) -> AssessmentScheme:
    """The county's scheme for the year (the user's own county when not given); the county's staff opening a
    year without one get the plan's default scheme (conf)."""
    _year_ok(year)
    county = county or county_chosen(user)
    scheme = scheme_get(year=year, county=county)
    if scheme is not None:
        return scheme
    require_county(user, county, _("%(year)d年还没有考核方案，考核方案由市级网格制定。") % {"year": year})
    scheme, _created = AssessmentScheme.objects.get_or_create(year=year, county=county,
                                                              defaults={"updated_by": user})
    if _created:
        AssessmentIndicator.objects.bulk_create([
            AssessmentIndicator(scheme=scheme, code=code, weight=weight, target=target, position=i)
            for i, (code, weight, target) in enumerate(conf.get("GRIDWORK_ASSESSMENT_DEFAULTS"))])
    return scheme_get(year=year, county=county)


def _whole(raw, *, label: str, low: int, high: int) -> int:
    text = str(raw if raw is not None else "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not text:
        raise ValueError(_("请填写%(label)s。") % {"label": label})
    if not text.isdigit():
        raise ValueError(_("%(label)s必须是%(low)d到%(high)d之间的整数（您填写的是 %(raw)s）。")
                         % {"label": label, "low": low, "high": high, "raw": raw})
    value = int(text)
    if not low <= value <= high:
        raise ValueError(_("%(label)s必须是%(low)d到%(high)d之间的整数（您填写的是 %(raw)s）。")
                         % {"label": label, "low": low, "high": high, "raw": raw})
    return value


@transaction.atomic
def scheme_set(*, scheme: AssessmentScheme, user, rows: list[tuple[str, object, object]]) -> AssessmentScheme:
    """Replace the indicators with `rows` of (code, weight, target) as typed; a row with a blank or 0 weight
    leaves the indicator out. Weights must add up to 100. Nothing is saved on any error."""
    scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
    require_county(user, scheme.county, _("考核方案由市级网格制定，乡镇只能查看。"))
    if scheme.is_final:
        raise AssessmentError(_("%(year)d年的考核已定稿，考核方案不能再修改。") % {"year": scheme.year})
    errors, parsed, seen = {}, [], set()
    for code, raw_weight, raw_target in rows:
        indicator = CATALOGUE.get(code)
        if indicator is None:
            errors[code] = _("没有“%(code)s”这个考核指标。") % {"code": code}
            continue
        if code in seen:
            errors[code] = _("“%(label)s”重复了。") % {"label": indicator.label}
            continue
        seen.add(code)
        if str(raw_weight if raw_weight is not None else "").strip() in ("", "0"):
            continue
        try:
            weight = _whole(raw_weight, label=_("分值"), low=1, high=TOTAL_WEIGHT)
            target = _whole(raw_target, label=_("目标"), low=1, high=100)
        except ValueError as exc:
            errors[code] = f"{indicator.label}：{exc}"
            continue
        parsed.append((code, weight, target))
    if errors:
        raise AssessmentError(_("有%(n)d个指标填写有误，考核方案未保存。") % {"n": len(errors)}, errors)
    if not parsed:
        raise AssessmentError(_("考核方案至少要有一个指标，考核方案未保存。"))
    total = sum(weight for _code, weight, _target in parsed)
    if total != TOTAL_WEIGHT:
        raise AssessmentError(_("各指标分值合计应为%(total)d分，现在合计%(sum)d分（%(diff)s），考核方案未保存。") % {
            "total": TOTAL_WEIGHT, "sum": total,
            "diff": _("多%(n)d分") % {"n": total - TOTAL_WEIGHT} if total > TOTAL_WEIGHT
            else _("少%(n)d分") % {"n": TOTAL_WEIGHT - total}})
    scheme.indicators.all().delete()
    AssessmentIndicator.objects.bulk_create([
        AssessmentIndicator(scheme=scheme, code=code, weight=weight, target=target, position=i)
        for i, (code, weight, target) in enumerate(parsed)])
    scheme.updated_by = user
    scheme.save()
    return scheme_get(year=scheme.year, county=scheme.county)


def scheme_rows(scheme: AssessmentScheme) -> list[dict]:
    """The scheme as a plain list (what a score keeps as its snapshot), labels in Chinese whatever the
    language of the screen it was computed from."""
    with translation.override("zh-hans"):
        return [{"code": i.code, "label": str(CATALOGUE[i.code].label), "weight": i.weight, "target": i.target}
                for i in scheme.indicators.all()]


def points(*, numerator: int, denominator: int, weight: int, target: int) -> Decimal:
    """weight × min(share / target, 1), to one decimal; full weight when there is nothing to count."""
    if not denominator:
        return Decimal(weight).quantize(Decimal("0.1"))
    share = Decimal(numerator) * 100 / Decimal(denominator)
    return (Decimal(weight) * min(share / Decimal(target), Decimal(1))).quantize(Decimal("0.1"), ROUND_HALF_UP)


@transaction.atomic
def scores_compute(*, scheme: AssessmentScheme, user, on: datetime.date | None = None) -> list[TownshipScore]:
    """Count every township's figures of the scheme's county and store its score and rank (计算/重新计算).
    Refused once 定稿."""
    scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
    require_county(user, scheme.county, _("考核得分由市级网格计算。"))
    if scheme.is_final:
        raise AssessmentError(_("%(year)d年的考核已定稿，得分不能再重新计算。") % {"year": scheme.year})
    snapshot = scheme_rows(scheme)
    if not snapshot:
        raise AssessmentError(_("%(year)d年的考核方案没有指标，请先制定考核方案。") % {"year": scheme.year})
    townships = list(Grid.objects.within(scheme.county).townships().in_order())
    with translation.override("zh-hans"):  # the names kept with the figures (vacant roles) are data
        figures = assessment_figures(year=scheme.year, townships=townships, codes=[r["code"] for r in snapshot],
                                     on=on)
    now, day = timezone.now(), as_of(scheme.year, on)
    scores = []
    for township in townships:
        rows = []
        for item in snapshot:
            figure = figures[township.pk][item["code"]]
            rows.append({**figure, "code": item["code"],
                         "points": str(points(weight=item["weight"], target=item["target"], **{
                             k: figure[k] for k in ("numerator", "denominator")}))})
        total = sum(Decimal(r["points"]) for r in rows)
        scores.append(TownshipScore(scheme=scheme, township=township, score=total, rank=0, figures=rows,
                                    scheme_snapshot=snapshot, computed_at=now, computed_on=day))
    ordered = sorted(scores, key=lambda s: -s.score)
    for i, score in enumerate(ordered):
        score.rank = ordered[i - 1].rank if i and ordered[i - 1].score == score.score else i + 1
    scheme.scores.all().delete()
    TownshipScore.objects.bulk_create(scores)
    return ordered


@transaction.atomic
def scheme_finalise(*, scheme: AssessmentScheme, user) -> AssessmentScheme:
    """定稿: freeze a year's scheme and scores. Only for a year that has ended, after scores were computed."""
    scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
    require_county(user, scheme.county, _("考核由市级网格定稿。"))
    if scheme.is_final:
        raise AssessmentError(_("%(year)d年的考核已经定稿。") % {"year": scheme.year})
    if scheme.year >= timezone.localdate().year:
        raise AssessmentError(_("%(year)d年还没有结束，年度结束后才能定稿。") % {"year": scheme.year})
    if not scheme.scores.exists():
        raise AssessmentError(_("请先计算%(year)d年的得分，再定稿。") % {"year": scheme.year})
    if scheme.scores.exclude(scheme_snapshot=scheme_rows(scheme)).exists():
        raise AssessmentError(_("考核方案在上次计算后改过，请先重新计算得分，再定稿。"))
    scheme.finalised_at, scheme.finalised_by = timezone.now(), user
    scheme.save()
    return scheme


# --- reading the scores ---------------------------------------------------------------------------------

@dataclass
class CardLine:
    """One indicator on a township's score card."""

    code: str
    label: str
    weight: int
    target: int
    numerator: int
    denominator: int
    points: Decimal
    detail: list[str]
    source: str
    source_url: str
    numerator_words: str
    denominator_words: str

    @property
    def percent(self) -> float | None:
        return round(self.numerator * 100 / self.denominator, 1) if self.denominator else None

    @property
    def no_records(self) -> bool:
        return not self.denominator

    @property
    def short(self) -> bool:
        return bool(self.denominator) and self.points < self.weight


def score_card(score: TownshipScore) -> list[CardLine]:
    """A stored score's lines, labelled by the snapshot it was computed with (never the scheme as it is now)."""
    weights = {item["code"]: item for item in score.scheme_snapshot}
    lines = []
    for figure in score.figures:
        item, indicator = weights[figure["code"]], CATALOGUE.get(figure["code"])
        lines.append(CardLine(
            code=figure["code"], label=str(indicator.label) if indicator else item["label"], weight=item["weight"],
            target=item["target"], numerator=figure["numerator"], denominator=figure["denominator"],
            points=Decimal(figure["points"]), detail=figure.get("detail", []),
            source=str(indicator.source) if indicator else "",
            source_url=indicator.source_url(year=score.scheme.year, township_id=score.township_id) if indicator else "",
            numerator_words=str(indicator.numerator) if indicator else "",
            denominator_words=str(indicator.denominator) if indicator else ""))
    return lines


def ranking(scheme: AssessmentScheme) -> list[TownshipScore]:
    """The year's stored scores, best first (one query)."""
    return list(scheme.scores.select_related("township", "scheme").order_by("rank", "township__sort_order", "township__code"))
