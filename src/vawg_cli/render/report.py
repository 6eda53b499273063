"""A Report through Jinja templates: Markdown for pasting into a paper, HTML for print and phones.

Which templates are found, and the sandbox they run in, is report_templates.py's business.
HTML is autoescaped: a note holding <script> is shown, never run.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Literal

from jinja2 import TemplateError
from jinja2.exceptions import SecurityError
from markupsafe import Markup

from vawg_cli.core.disclosure import number_text
from vawg_cli.core.report import Report
from vawg_cli.model.records import Rag
from vawg_cli.render.marks import RAG_COLOURS, RAG_MARKS, RAG_WORDS, day, signed
from vawg_cli.render.measure_chart import measure_chart
from vawg_cli.render.templates import SHIPPED, TemplateProblem, report_environment, template_position

Format = Literal["md", "html"]
TEMPLATE_NAMES: dict[Format, str] = {"md": "report.md.j2", "html": "report.html.j2"}


def render_report(report: Report, fmt: Format, *, plan_folder: Path, template: Path | None = None) -> str:
    name = TEMPLATE_NAMES[fmt]
    folder = None
    if template is not None:
        if not template.is_file():
            raise TemplateProblem(f"--template {template} is not a file; give the path of a Jinja template")
        folder, name = template.parent, template.name
    env = report_environment(plan_folder, folder, autoescape=fmt == "html")
    env.filters["cell"] = markdown_cell
    env.filters["day"] = day
    env.filters["signed"] = signed
    env.filters["slip"] = slip
    env.filters["number"] = number_text
    env.globals.update(
        rag_word=RAG_WORDS.__getitem__,
        rag_mark=RAG_MARKS.__getitem__,
        rag_colours=RAG_COLOURS,
        measure_chart=measure_chart,
    )
    chart = chart_svg(report) if fmt == "html" else ""
    try:
        return env.render_bounded(name, report=report, Rag=Rag, chart=chart)
    except TemplateProblem:
        raise
    except Exception as error:
        # A template is someone else's code: whatever it raises is its problem, said with its line.
        # An error raised outside any template line is a bug in vawg, and keeps its traceback.
        where = template_position(error, env.template_files)
        if where is None and not isinstance(error, (TemplateError, RecursionError)):
            raise
        raise TemplateProblem(f"{where + ': ' if where else ''}the report template failed: {_why(error)}") from None


def _why(error: Exception) -> str:
    if isinstance(error, RecursionError):
        return (
            "it includes or extends itself, directly or through another template; "
            f"to build on vawg's own template, include or extend '{SHIPPED}/{TEMPLATE_NAMES['md']}' "
            f"(or '{SHIPPED}/{TEMPLATE_NAMES['html']}')"
        )
    if isinstance(error, SecurityError):
        return f"{error}; templates run in a sandbox and cannot reach Python's internals"
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return " ".join(message.split())


def markdown_cell(value: object) -> str:
    """Plan text made safe for Markdown: a pipe or line break cannot split a table row; a `<` is
    escaped so that a note holding <script> or other HTML shows as text in any viewer; and `[`,
    `]` and a word-starting `@` are escaped so that no link, image (fetched when the paper is opened) or mention
    (which notifies people on GitHub) can be made from plan text."""
    return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", " ".join(str(value).split()))


# A mention is an @ that starts a word; the @ inside an email address is left as it is.
_MARKDOWN_SPECIAL = re.compile(r"[\\|<\[\]]|(?<!\S)@")


def slip(days: int) -> str:
    """A target's move in words: "183 days later", "2 days earlier", "same day"."""
    if days == 0:
        return "same day"
    unit = "day" if abs(days) == 1 else "days"
    return f"{abs(days)} {unit} {'later' if days > 0 else 'earlier'}"


def chart_svg(report: Report) -> Markup:
    """An inline SVG of the RAG counts at each quarter's end: stacked bars, labelled with words."""
    history = report.history[-12:]  # three years fit on an A4 page
    total = max((sum(q.counts.values()) for q in history), default=0) or 1
    bar, gap, height, left, top, bottom = 34, 14, 160, 36, 10, 44
    width = left + len(history) * (bar + gap) + 150
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {top + height + bottom}" '
        f'class="chart" aria-labelledby="chart-title"><title id="chart-title">Actions by colour at the end of '
        f"each quarter</title>"
    ]
    for tick in (0, total):
        y = top + height - height * tick / total
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">{tick}</text>')
    for index, quarter in enumerate(history):
        x, y = left + index * (bar + gap), top + height
        for rag in Rag:
            n = quarter.counts[rag]
            if not n:
                continue
            h = height * n / total
            y -= h
            background, _ = RAG_COLOURS[rag]
            label = f"{quarter.quarter.label}: {n} {RAG_WORDS[rag].lower()}"
            parts.append(
                f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}" fill="{background}">'
                f"<title>{escape(label)}</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar / 2}" y="{top + height + 16}" text-anchor="middle" class="axis">'
            f"Q{quarter.quarter.number}</text>"
        )
        if quarter.quarter.number == 1 or index == 0:
            parts.append(
                f'<text x="{x}" y="{top + height + 32}" class="axis">{escape(quarter.quarter.year_label)}</text>'
            )
    legend_x = left + len(history) * (bar + gap) + 10
    for index, rag in enumerate(reversed(Rag)):
        y = top + 10 + index * 22
        background, _ = RAG_COLOURS[rag]
        parts.append(f'<rect x="{legend_x}" y="{y - 11}" width="14" height="14" fill="{background}" stroke="#333"/>')
        parts.append(f'<text x="{legend_x + 20}" y="{y}" class="legend">{RAG_WORDS[rag]}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
