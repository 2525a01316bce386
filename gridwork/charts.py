"""Small charts of the public results page, drawn on the server as SVG: no JavaScript, no outside library,
no inline style (the public pages' Content-Security-Policy forbids it) — colours are SVG attributes."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

TRACK = "#e4ebe6"
BAR = "#17603a"
LOW = "#b3541e"  # below half: drawn in a warm colour, and said in words beside the chart
TEXT = "#1d2a22"


def share_bars_svg(rows: list[tuple[str, int, int]], *, title: str, summary: str, chart_id: str) -> SafeString:
    """Horizontal bars of part / whole per row (label, part, whole), 0–100 %, with the figures written out.
    A row with nothing to count (whole 0) gets an empty track and a dash."""
    width, row_h, label_w, value_w, top = 340, 24, 78, 100, 4
    bar_w = width - label_w - value_w - 8
    height = top + row_h * len(rows) + 4
    parts = [f'<svg class="results-chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg" '
             f'font-family="Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" font-size="12">',
             f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(summary)}</desc>']
    for i, (label, part, whole) in enumerate(rows):
        y = top + i * row_h
        share = part / whole if whole else None
        parts.append(f'<text x="0" y="{y + 15}" fill="{TEXT}">{escape(label[:6])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 5}" width="{bar_w}" height="12" rx="3" fill="{TRACK}"/>')
        if share:
            colour = BAR if share >= 0.5 else LOW
            parts.append(f'<rect x="{label_w}" y="{y + 5}" width="{max(bar_w * min(share, 1), 2):.1f}" height="12" '
                         f'rx="3" fill="{colour}"/>')
        value = f"{round(share * 100)}% ({part}/{whole})" if share is not None else "—"
        parts.append(f'<text x="{width}" y="{y + 15}" text-anchor="end" fill="{TEXT}">{escape(value)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
