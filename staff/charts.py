"""Charts drawn on the server as inline SVG: no JavaScript, no outside library, readable on a phone.

The SVG scales with its container (viewBox, width 100%); colours come from CSS classes in
static/css/staff-admin.css so that they follow the admin's theme, with fills given inline as a fallback.
"""

import math
from collections.abc import Sequence

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .selectors import WeekPoint

RECEIVED_COLOUR = "#2e6da4"
CLOSED_COLOUR = "#3f8a4d"


def _axis(peak: int, most_ticks: int = 5) -> tuple[int, int]:
    """(step, ticks): whole-number steps of 1, 2 or 5 × 10^n, at most `most_ticks` of them above zero."""
    magnitude = 1
    while True:
        for unit in (1, 2, 5):
            step = unit * magnitude
            ticks = max(1, math.ceil(peak / step))
            if ticks <= most_ticks:
                return step, ticks
        magnitude *= 10


def weekly_chart_svg(weeks: Sequence[WeekPoint], *, chart_id: str = "trend") -> SafeString:
    """Grouped bars, received and finished per week, with a value axis, week labels and a legend."""
    width, height = 640, 260
    left, right, top, bottom = 40, 10, 46, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([w.received for w in weeks] + [w.closed for w in weeks] + [0])
    step, ticks = _axis(peak)
    axis_max = step * ticks
    slot = plot_w / max(len(weeks), 1)
    bar = max(min(slot * 0.34, 18), 2)

    def y(value: int) -> float:
        return top + plot_h - (value / axis_max) * plot_h if axis_max else top + plot_h

    title = _("每周收到和办结的投诉举报")
    summary = "；".join(
        _("%(week)s起一周：收到%(received)d件，办结%(closed)d件") % {
            "week": w.start.strftime("%m-%d"), "received": w.received, "closed": w.closed}
        for w in weeks)
    parts = [
        f'<svg class="staff-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]
    for i in range(ticks + 1):
        value = step * i
        ty = y(value)
        label = str(value)
        parts.append(f'<line class="staff-chart-grid" x1="{left}" x2="{width - right}" y1="{ty:.1f}" '
                     f'y2="{ty:.1f}" stroke="#d9d9d9" stroke-width="1"/>')
        parts.append(f'<text class="staff-chart-axis" x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" '
                     f'font-size="12" fill="#5c5c5c">{label}</text>')
    label_every = 1 if len(weeks) <= 8 else 2
    for i, week in enumerate(weeks):
        centre = left + slot * i + slot / 2
        for offset, value, css, colour, name in (
                (-bar, week.received, "received", RECEIVED_COLOUR, _("收到")),
                (0, week.closed, "closed", CLOSED_COLOUR, _("办结"))):
            by = y(value)
            h = top + plot_h - by
            parts.append(
                f'<rect class="staff-chart-{css}" x="{centre + offset:.1f}" y="{by:.1f}" width="{bar:.1f}" '
                f'height="{max(h, 0):.1f}" fill="{colour}"><title>{escape(week.start.strftime("%m-%d"))} '
                f'{escape(name)} {value}</title></rect>')
            if value:
                parts.append(f'<text class="staff-chart-value" x="{centre + offset + bar / 2:.1f}" '
                             f'y="{by - 3:.1f}" text-anchor="middle" font-size="11" fill="#333">{value}</text>')
        if (len(weeks) - 1 - i) % label_every == 0:
            parts.append(f'<text class="staff-chart-axis" x="{centre:.1f}" y="{top + plot_h + 20}" '
                         f'text-anchor="middle" font-size="12" fill="#5c5c5c">{week.start.strftime("%m-%d")}</text>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
                 f'stroke="#8c8c8c" stroke-width="1"/>')
    legend_x = left
    for css, colour, name in (("received", RECEIVED_COLOUR, _("收到")), ("closed", CLOSED_COLOUR, _("办结"))):
        parts.append(f'<rect class="staff-chart-{css}" x="{legend_x}" y="10" width="16" height="16" '
                     f'fill="{colour}"/>')
        parts.append(f'<text class="staff-chart-legend" x="{legend_x + 22}" y="24" font-size="13" fill="#333">'
                     f'{escape(name)}</text>')
        legend_x += 90
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def rate_bar(rate: float | None) -> SafeString:
    """A small horizontal bar for a percentage (on-time rate), or a dash when there is none."""
    if rate is None:
        return mark_safe('<span class="staff-muted">—</span>')
    percent = round(rate * 100)
    return format_html(
        '<span class="staff-rate"><span class="staff-rate-bar" style="width:{}%"></span></span>'
        '<span class="staff-rate-text">{}%</span>', percent, percent)
