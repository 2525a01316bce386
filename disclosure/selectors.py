"""Reads for the back office's screens that belong to the registry itself.

traceability_coverage: 附件1 第四条 asks every enterprise, co-operative, family farm, large grower and
storage operator (TRACEABILITY_KINDS) to trace on the national or regional platform; this is the share
that does, per township, in one aggregate query.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from .models import Grid, GridLevel, Producer
from .models.producers import TRACEABILITY_KINDS


@dataclass
class TraceabilityRow:
    township: Grid | None  # None: the city total
    required: int = 0
    on_platform: int = 0

    @property
    def share(self) -> float | None:
        return self.on_platform / self.required if self.required else None

    @property
    def missing(self) -> int:
        return self.required - self.on_platform


def traceability_coverage(*, township_ids: list[int] | None = None) -> list[TraceabilityRow]:
    """One row per township (those in `township_ids`, or all), in display order: producers of the kinds
    that must trace, and how many of them are on the platform."""
    townships = Grid.objects.filter(level=GridLevel.TOWNSHIP).order_by("sort_order", "code")
    if township_ids is not None:
        townships = townships.filter(pk__in=township_ids)
    rows = {t.pk: TraceabilityRow(township=t) for t in townships}
    counts = (Producer.objects.filter(kind__in=TRACEABILITY_KINDS, village__parent_id__in=list(rows))
              .values("village__parent_id")
              .annotate(n=Count("id"), on=Count("id", filter=Q(on_traceability_platform=True))))
    for item in counts:
        row = rows[item["village__parent_id"]]
        row.required, row.on_platform = item["n"], item["on"]
    return list(rows.values())


def traceability_total(rows: list[TraceabilityRow]) -> TraceabilityRow:
    """The city's line: the sum of the townships' rows."""
    return TraceabilityRow(township=None, required=sum(r.required for r in rows),
                           on_platform=sum(r.on_platform for r in rows))
