"""A small inline SVG of one measure's recent figures, for the HTML paper.

The chart is a picture of the table printed beside it, which screen readers and print read:
bars for the figures shown, a labelled gap for a withheld one (never a bar of its true height),
and a dashed line where a series break falls. Plan text only reaches it escaped.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from vawg_cli.core.measures import MeasureView

WIDTH, HEIGHT = 320, 120
LEFT, TOP, BOTTOM = 8, 16, 30


def measure_chart(view: MeasureView) -> Markup:
    points = view.recent
    if not points:
        return Markup("")
    shown = [p.figure.exact for p in points if p.figure.exact is not None]
    top = max([*shown, 0]) or 1
    low = min([*shown, 0])
    span = (top - low) or 1
    slot = (WIDTH - 2 * LEFT) / len(points)
    bar = min(36.0, max(4.0, slot * 0.62))
    plot = HEIGHT - TOP - BOTTOM
    zero = TOP + plot * top / span
    title = f"{view.name}: figures by period; the same figures are in the table beside the chart"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="measure-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        # Presentation attributes as well as the page's classes: WeasyPrint's SVG reads only these.
        f'font-family="Arial, Helvetica, sans-serif" font-size="10" fill="#333" role="img" '
        f'aria-label="{escape(title)}">'
    ]
    for index, point in enumerate(points):
        x = LEFT + index * slot + (slot - bar) / 2
        centre = x + bar / 2
        label = escape(f"{point.label}: {point.figure.text}")
        if point.figure.exact is None:
            parts.append(
                f'<text x="{centre:.1f}" y="{zero - 4:.1f}" text-anchor="middle" class="withheld" font-size="9">'
                f"{escape(point.figure.text)}<title>{label}</title></text>"
            )
        else:
            height = plot * abs(point.figure.exact) / span
            y = zero - height if point.figure.exact >= 0 else zero
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{max(height, 0.5):.1f}" class="bar" '
                'fill="#4b2e83">'
                f"<title>{label}</title></rect>"
            )
        if index == 0 or index == len(points) - 1 or len(points) <= 6:
            parts.append(
                f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle" class="axis">'
                f"{escape(_short(point.label))}</text>"
            )
    for brk in view.breaks:
        after = next((i for i, p in enumerate(points) if p.end >= brk.date), None)
        if after is None or (after == 0 and points[0].start >= brk.date):
            continue
        x = LEFT + after * slot
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM}" class="break" '
            f'stroke="#b00020" stroke-width="1.5" stroke-dasharray="4 3">'
            f"<title>{escape('Series break: ' + brk.reason)}</title></line>"
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{zero:.1f}" x2="{WIDTH - LEFT}" y2="{zero:.1f}" class="baseline" stroke="#333"/></svg>'
    )
    return Markup("".join(parts))


def _short(label: str) -> str:
    """ "2025/26 Q1" fits under a bar as "Q1 25/26"; other labels are short already."""
    year, _, quarter = label.partition(" Q")
    if quarter and "/" in year:
        return f"Q{quarter} {year[2:]}"
    return label
