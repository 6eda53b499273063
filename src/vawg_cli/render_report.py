"""A Report through Jinja templates: Markdown for pasting into a paper, HTML for print and phones.

Templates are looked up in order: the file given with --template (its folder too, so it can
extend the shipped ones), a templates/ folder beside the plan's plan.yaml, then the templates
shipped with vawg. HTML is autoescaped: a note holding <script> is shown, never run.
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path
from typing import Literal

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError
from markupsafe import Markup

from . import bundled
from .errors import VawgError
from .records import Rag
from .render_status import RAG_COLOURS
from .report import Report

Format = Literal["md", "html"]
TEMPLATE_NAMES: dict[Format, str] = {"md": "report.md.j2", "html": "report.html.j2"}

RAG_WORDS = {rag: rag.value.capitalize() for rag in Rag}
# Markdown has no colour of its own: a coloured mark beside the word, never instead of it.
RAG_MARKS = {Rag.RED: "🔴", Rag.AMBER: "🟠", Rag.GREEN: "🟢", Rag.BLUE: "🔵", Rag.GREY: "⚪"}


class TemplateProblem(VawgError):
    """A report template that cannot be found or rendered."""


def render_report(report: Report, fmt: Format, *, plan_folder: Path, template: Path | None = None) -> str:
    folders: list[Path] = []
    name = TEMPLATE_NAMES[fmt]
    if template is not None:
        if not template.is_file():
            raise TemplateProblem(f"--template {template} is not a file; give the path of a Jinja template")
        folders.append(template.parent)
        name = template.name
    folders += [plan_folder / "templates", bundled.templates_dir()]
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders if folder.is_dir()]),
        autoescape=fmt == "html",
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = markdown_cell
    env.filters["day"] = day
    env.filters["signed"] = signed
    env.filters["slip"] = slip
    env.globals.update(rag_word=RAG_WORDS.__getitem__, rag_mark=RAG_MARKS.__getitem__, rag_colours=RAG_COLOURS)
    try:
        page = env.get_template(name)
        return page.render(report=report, Rag=Rag, chart=chart_svg(report) if fmt == "html" else "")
    except TemplateError as error:
        where = f"{error.filename}:{error.lineno}: " if getattr(error, "lineno", None) else ""  # type: ignore[attr-defined]
        raise TemplateProblem(f"{where}the report template failed: {error.message}") from None


def markdown_cell(value: object) -> str:
    """Plan text made safe for Markdown: a pipe or line break cannot split a table row, and a
    `<` is escaped so that a note holding <script> or other HTML shows as text in any viewer."""
    return " ".join(str(value).split()).replace("\\", "\\\\").replace("|", "\\|").replace("<", "\\<")


def day(value: date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else "-"


def signed(number: int) -> str:
    return f"+{number}" if number > 0 else ("±0" if number == 0 else str(number))


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
