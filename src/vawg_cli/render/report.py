"""A Report through Jinja templates: Markdown for pasting into a paper, HTML for print and phones.

Which templates are found, and the sandbox they run in, is report_templates.py's business.
HTML is autoescaped: a note holding <script> is shown, never run.
"""

from __future__ import annotations

import os
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
from vawg_cli.plan import bundled
from vawg_cli.render.marks import RAG_COLOURS, RAG_MARKS, RAG_WORDS, day, signed
from vawg_cli.render.measure_chart import measure_chart
from vawg_cli.render.templates import SHIPPED, TemplateProblem, report_environment, template_position

Format = Literal["md", "html"]
TEMPLATE_NAMES: dict[Format, str] = {"md": "report.md.j2", "html": "report.html.j2"}


def render_paper(
    report: Report, fmt: Literal["md", "html", "docx", "pdf"], *, plan_folder: Path, template: Path | None = None
) -> str | bytes:
    """The paper in `fmt`: text for Markdown and HTML, a file's bytes for Word and PDF (the PDF
    is the HTML paper printed). Word and PDF's libraries are imported only when asked for."""
    from vawg_cli.render.docx import WORD_SUFFIXES

    if template is not None and (template.suffix.lower() in WORD_SUFFIXES) != (fmt == "docx"):
        wanted = "a Word .docx with Jinja tags" if fmt == "docx" else "a Jinja text template (report.html.j2)"
        printed = " (a PDF is the HTML paper printed)" if fmt == "pdf" else ""
        raise TemplateProblem(f"--template {template} cannot make a {fmt} paper{printed}: give {wanted}")
    if fmt == "docx":
        from vawg_cli.render.docx import render_docx

        return render_docx(report, plan_folder=plan_folder, template=template)
    if fmt == "pdf":
        from vawg_cli.render.pdf import html_to_pdf

        # The PDF maker fetches nothing but data: URLs and runs no script: it says itself what it refused.
        html = render_report(report, "html", plan_folder=plan_folder, template=template, printed=True)
        return html_to_pdf(html)
    return render_report(report, fmt, plan_folder=plan_folder, template=template)


def render_report(
    report: Report, fmt: Format, *, plan_folder: Path, template: Path | None = None, printed: bool = False
) -> str:
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
    env.filters["css_string"] = css_string
    env.filters["capitalize_first"] = capitalize_first
    env.filters["nowrap"] = nowrap
    env.globals.update(
        rag_word=RAG_WORDS.__getitem__,
        rag_mark=RAG_MARKS.__getitem__,
        rag_colours=RAG_COLOURS,
        measure_chart=measure_chart,
    )
    chart = chart_svg(report) if fmt == "html" else ""
    try:
        text = env.render_bounded(name, report=report, Rag=Rag, chart=chart)
    except TemplateProblem:
        raise
    except Exception as error:
        # A template is someone else's code: whatever it raises is its problem, said with its line.
        # An error raised outside any template line is a bug in vawg, and keeps its traceback.
        where = template_position(error, env.template_files)
        if where is None and not isinstance(error, (TemplateError, RecursionError)):
            raise
        raise TemplateProblem(f"{where + ': ' if where else ''}the report template failed: {_why(error)}") from None
    shipped = os.path.join(os.path.realpath(bundled.templates_dir()), "")
    own_template = any(not os.path.realpath(p).startswith(shipped) for p in env.template_files)
    if fmt == "md" and own_template:
        # Published on a wiki or on GitHub, a Markdown paper's images are fetched as an HTML one's.
        from vawg_cli.render.html_safety import markdown_reaching_out

        found = markdown_reaching_out(text)
        if found is not None:
            raise TemplateProblem(
                f"the report template's Markdown {found}; a paper must not fetch anything when it is shown, or "
                "it could tell a server who read it, and what it says: take that out of the template, or put an "
                "image in as a data: URL"
            )
    if fmt == "html" and not printed and own_template:
        # vawg's own templates are known to fetch nothing (and plan text is escaped into them); a
        # template from elsewhere is read as a browser would read what it wrote.
        from vawg_cli.render.html_safety import reaching_out, with_policy

        found = reaching_out(text)
        if found is not None:
            raise TemplateProblem(
                f"the report template's HTML {found}; an HTML paper must not fetch anything or run anything "
                "when it is opened, or it could tell a server who read it, and what it says: take that out of "
                "the template, or put an image in as a data: URL"
            )
        text = with_policy(text)
    return text


def _why(error: Exception) -> str:
    if isinstance(error, RecursionError):
        return (
            "it goes round without end: a macro that calls itself with nothing to stop it, or a template that "
            "includes or extends itself, directly or through another template; give the macro a way to stop, "
            f"and to build on vawg's own template, include or extend '{SHIPPED}/{TEMPLATE_NAMES['md']}' "
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
    text = " ".join(str(value).split())
    # Most cells hold none of these: testing for each is quicker than a substitution that finds nothing.
    if "\\" in text or "|" in text or "<" in text or "[" in text or "]" in text or "@" in text:
        return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", text)
    return text


# A mention is an @ that starts a word; the @ inside an email address is left as it is.
_MARKDOWN_SPECIAL = re.compile(r"[\\|<\[\]]|(?<!\S)@")


def nowrap(value: object) -> str:
    """Text whose spaces do not break ("30 Apr 2028" kept on one line in a Markdown table)."""
    return str(value).replace(" ", "\u00a0")


def slip(days: int) -> str:
    """A target's move in words: "183 days later", "2 days earlier", "same day"."""
    if days == 0:
        return "same day"
    unit = "day" if abs(days) == 1 else "days"
    return f"{abs(days)} {unit} {'later' if days > 0 else 'earlier'}"


def chart_svg(report: Report) -> Markup:
    """An inline SVG of the RAG counts at each quarter's end: stacked bars, each band with its
    number and each bar with its total, over the last two years.

    The SVG is drawn at the size it is shown (it only shrinks on a screen narrower than itself,
    by a little at 320 px): its labels stay 12 px however many quarters there are, where a chart
    stretched to the page's width would make them 6 px high on a phone. Its words are for the
    eye only: the figures are in the table beside it for screen readers.
    """
    history = report.history[-8:]
    total = max((sum(q.counts.values()) for q in history), default=0) or 1
    bar, gap, height, left, top, bottom = 30, 10, 150, 46, 18, 40
    width = left + len(history) * (bar + gap) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {top + height + bottom}" width="{width}" '
        f'height="{top + height + bottom}" class="chart" aria-hidden="true" focusable="false" '
        'font-family="Arial, Helvetica, sans-serif" font-size="12" fill="#333">',
        f'<text class="axis" transform="translate(12 {top + height / 2}) rotate(-90)" text-anchor="middle">'
        "Number of actions</text>",
        f'<line x1="{left - 4}" y1="{top + height}" x2="{width}" y2="{top + height}" stroke="#333"/>',
    ]
    for tick in (0, total):
        y = top + height - height * tick / total
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" class="axis">{tick}</text>')
    for index, quarter in enumerate(history):
        x, y = left + index * (bar + gap), float(top + height)
        for rag in Rag:
            n = quarter.counts[rag]
            if not n:
                continue
            h = height * n / total
            y -= h
            background, ink = RAG_COLOURS[rag]
            parts.append(f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}" fill="{background}"/>')
            if h >= 13:  # the number fits in its band; a thinner band's is in the table
                parts.append(
                    f'<text x="{x + bar / 2}" y="{y + h / 2 + 4:.1f}" text-anchor="middle" class="count" '
                    f'fill="{ink}">{n}</text>'
                )
        parts.append(
            f'<text x="{x + bar / 2}" y="{y - 4:.1f}" text-anchor="middle" class="total">'
            f"{sum(quarter.counts.values())}</text>"
        )
        parts.append(
            f'<text x="{x + bar / 2}" y="{top + height + 15}" text-anchor="middle" class="axis">'
            f"Q{quarter.quarter.number}</text>"
        )
        if quarter.quarter.number == 1 or index == 0:
            parts.append(
                f'<text x="{x}" y="{top + height + 31}" class="axis">{escape(quarter.quarter.year_label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def css_string(value: object) -> Markup:
    """Plan text as a CSS string (the marking in a page margin): every character but letters,
    digits and spaces escaped, so no quote, backslash or `</style>` in it can end the string."""
    text = " ".join(str(value).split())
    # The space after each escape ends it, and is swallowed: without it, a space written after
    # an escaped character would be swallowed instead (an en dash then a space would lose the space).
    inner = "".join(c if (c.isascii() and c.isalnum()) or c == " " else f"\\{ord(c):06x} " for c in text)
    return Markup(f'"{inner}"')


def capitalize_first(value: object) -> str:
    """The first letter a capital, the rest as written ("overdue: was due …" → "Overdue: was due …")."""
    text = str(value)
    return text[:1].upper() + text[1:]
