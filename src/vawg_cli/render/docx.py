"""The board paper as a Word document: a Word template with Jinja tags, filled by docxtpl.

A council makes the paper its own without code: it copies vawg's `report.docx` into the plan's
`templates/` folder and changes it in Word (its letterhead in the header, its fonts and heading
styles, a cover page). Tags in the template place the paper's parts ({{p paper}} for the whole
body, or {{p decisions}}, {{p all_actions}} and the others one by one) and its facts
({{ marking }}, {{ headline }}, {{ report.quarter.label }}). The parts are built with python-docx
in the template's own styles (docx_paper.py).

docxtpl rather than python-docx alone: a council's template keeps everything Word can do in a
header or on a cover, which code could not reproduce; docxtpl renders its tags with Jinja, so it
runs in the same bounded sandbox as the text templates, with autoescaping (plan text cannot
break the document's XML). The parts reach the template as finished XML (Markup), never as
objects, so a template cannot call a method that writes a file.

A template from the plan folder is untrusted like the others: it is read only from inside the
folder, a macro-enabled document is refused, and so is a zip that would unpack to gigabytes, or
a document that would fetch or run anything when opened (an attached template, a linked picture
or object, a DDE, INCLUDEPICTURE, INCLUDETEXT or LINK field).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined
from markupsafe import Markup

from vawg_cli.core.report import Report
from vawg_cli.errors import display_path
from vawg_cli.plan import bundled
from vawg_cli.render.html_safety import where_it_leads
from vawg_cli.render.marks import RAG_WORDS, day, signed
from vawg_cli.render.templates import ReportEnvironment, TemplateProblem, plan_templates, read_confined

TEMPLATE_NAME = "report.docx"
WORD_SUFFIXES = (".docx", ".dotx", ".docm", ".dotm")
"""Word files, macro-enabled or not: a template for a Word paper, never for a text one."""
MAX_UNPACKED = 200 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_PART = 20 * 1024 * 1024
"""One part of the package unpacked: a long paper's document.xml is a few megabytes."""
MACRO_ADVICE = "macros are code, and a paper's template must not run any: in Word, save it as a Word Document (.docx)"


def render_docx(report: Report, *, plan_folder: Path, template: Path | None = None) -> bytes:
    """The paper as the bytes of a .docx file."""
    data, where = template_bytes(plan_folder, template)
    check_package(data, where)
    from docxtpl import DocxTemplate  # type: ignore[import-untyped,unused-ignore]

    from vawg_cli.render.docx_paper import Paper
    from vawg_cli.render.docx_tables import ensure_styles, text

    document = DocxTemplate(io.BytesIO(data))
    try:
        document.init_docx()
    except Exception as error:  # python-docx raises many kinds on a broken package
        raise TemplateProblem(
            f"{where} cannot be opened as a Word document ({error}); open it in Word and save it as a Word Document"
        ) from None
    ensure_styles(document.docx)

    def part(*names: str) -> Markup:
        sub = document.new_subdoc()
        paper = Paper(sub, report)
        for name in names:
            paper.section(name)
        return Markup(str(sub))

    context: dict[str, Any] = {name: part(name) for name in Paper.SECTIONS}
    context.update(
        paper=part(*Paper.SECTIONS),
        report=report,
        marking=report.marking,
        headline=report.headline,
        title=report.plan_title,
        quarter=report.quarter.label,
    )
    # Every value a tag prints passes through `text`: a control character (which XML cannot hold)
    # or a bidi override (which would turn the marking around) in the plan's title is escaped,
    # whichever tag prints it. The parts are finished Word XML (Markup) and pass as they are.
    env = ReportEnvironment(
        autoescape=True, undefined=StrictUndefined, finalize=lambda v: v if isinstance(v, Markup) else text(v)
    )
    env.filters.update(day=day, signed=signed)
    env.globals.update(rag_word=RAG_WORDS.__getitem__)
    try:
        with env.bounded():
            document.render(context, jinja_env=env, autoescape=True)
    except TemplateProblem:
        raise
    except Exception as error:  # a template is someone else's code: whatever it raises is its problem
        raise TemplateProblem(f"{where}: the Word template failed: {_why(error)}") from None
    properties = document.docx.core_properties
    # Word caps a document property at 255 characters; a plan's title has no such cap.
    properties.title = text(f"{report.plan_title}: {report.quarter.label} progress report")[:255]
    properties.subject = properties.keywords = text(report.marking)[:255]
    out = io.BytesIO()
    document.save(out)
    # A tag inside a field's instruction could have written one that acts (a template is code):
    # the paper is read as Word will read it.
    with zipfile.ZipFile(out) as made:
        found = active_content(made)
    if found is not None:
        raise TemplateProblem(f"{where}: the paper it made {found}; {ACTIVE_ADVICE}")
    return out.getvalue()


def template_bytes(plan_folder: Path, template: Path | None) -> tuple[bytes, str]:
    """The Word template's bytes, and how to name it in a message: --template, else the plan's
    templates/report.docx, else vawg's own."""
    if template is not None:
        if template.suffix.lower() in (".docm", ".dotm"):
            raise TemplateProblem(f"--template {template} is a macro-enabled Word file; {MACRO_ADVICE}")
        if template.suffix.lower() not in (".docx", ".dotx"):
            raise TemplateProblem(
                f"--template {template} is not a Word template; a Word paper needs a .docx with Jinja tags, "
                f"such as vawg's own {TEMPLATE_NAME} (copy it from {display_path(bundled.templates_dir())})"
            )
        if not template.is_file():
            raise TemplateProblem(f"--template {template} is not a file; give the path of a Word .docx template")
        return read_confined(template.parent, str(template)), display_path(template)
    own = plan_templates(plan_folder)
    if own is not None:
        for name in ("report.docm", "report.dotm"):
            if (own / name).exists():
                raise TemplateProblem(f"{display_path(own / name)} is a macro-enabled Word file; {MACRO_ADVICE}")
        path = own / TEMPLATE_NAME
        if path.exists() or path.is_symlink():
            return read_confined(own, str(path)), display_path(path)
    shipped = bundled.templates_dir()
    return read_confined(shipped, str(shipped / TEMPLATE_NAME)), display_path(shipped / TEMPLATE_NAME)


def check_package(data: bytes, where: str) -> None:
    """Refuse what is not a plain Word document: not a zip, macro-enabled, or a zip bomb."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TemplateProblem(
            f"{where} is not a Word document (.docx); a .doc from Word 97-2003 or a renamed file will not do: "
            "open it in Word and save it as a Word Document"
        )
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        members = package.infolist()
        if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
            raise TemplateProblem(
                f"{where} unpacks to more than {MAX_MEMBERS} parts or {MAX_UNPACKED // 1024 // 1024} MB; "
                "a Word template is far smaller"
            )
        big = next((m for m in members if m.file_size > MAX_PART), None)
        if big is not None:
            raise TemplateProblem(
                f"{where}: its part {big.filename} unpacks to {big.file_size // 1024 // 1024} MB, more than the "
                f"{MAX_PART // 1024 // 1024} MB a Word template needs; save a smaller template from Word"
            )
        names = {m.filename.lower() for m in members}
        types = package.read("[Content_Types].xml") if "[content_types].xml" in names else b""
        if any(name.endswith("vbaproject.bin") for name in names) or b"macroEnabled" in types:
            raise TemplateProblem(f"{where} holds macros (it is a macro-enabled document); {MACRO_ADVICE}")
        if "word/document.xml" not in names:
            raise TemplateProblem(f"{where} is a zip file but not a Word document; save it from Word as a .docx")
        found = active_content(package)
        if found is not None:
            raise TemplateProblem(f"{where} {found}; {ACTIVE_ADVICE}")


# Word fetches an external relationship's target when it opens a document (an attached template,
# a linked picture, an OLE object, a frame): a template from a pull request could name a server
# that learns who opened the paper, and when, or hand Word a remote template with macros. And
# these fields act as the document opens, or when its fields are updated: DDE runs a program,
# INCLUDEPICTURE and INCLUDETEXT fetch a file or a URL, which a tag inside the field could fill
# with the paper's own text. A paper needs none of them. A hyperlink is only followed when
# clicked, and its address is the template's own (relationships are not rendered), so it stays.
_ACTING = re.compile(r"\s*(DDEAUTO|DDE|INCLUDEPICTURE|INCLUDETEXT|INCLUDE|LINK|IMPORT|DATABASE)\b", re.IGNORECASE)
ACTIVE_ADVICE = (
    "a paper's template must not fetch anything or run anything when the paper is opened: in Word, "
    "remove the linked picture, object or attached template (or the field), or start again from "
    "vawg's own report.docx"
)


def active_content(package: zipfile.ZipFile) -> str | None:
    """Why the Word package would reach outside itself when opened, or None.

    Read from the package's own parts with an XML parser, as Word reads them: every relationship
    (.rels) part, and every field of every Word XML part, its instruction put together from all
    its runs."""
    for member in package.infolist():
        name = member.filename
        lowered = name.lower()
        if lowered.endswith(".rels"):
            found = _reaching_relationship(package.read(member))
            if found is not None:
                return f"{found} ({name})"
        elif lowered.startswith("word/") and lowered.endswith(".xml"):
            field = _acting_field(package.read(member))
            if field is not None:
                return f"holds a {field} field ({name}), which fetches a file or runs a program"
    return None


def _parsed(xml: bytes) -> Any | None:
    """The XML's root element, read safely (no entity resolved, nothing from the network, comments
    and processing instructions dropped), or None when it is no XML at all."""
    # python-docx's own XML library
    from lxml import etree  # type: ignore[import-untyped,unused-ignore]

    reader = etree.XMLParser(
        resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True, load_dtd=False
    )
    try:
        return etree.fromstring(xml, reader)
    except etree.XMLSyntaxError:
        return None


def _local(name: str) -> str:
    """An element's or attribute's name without its namespace: Word reads the namespace, not the prefix."""
    return name.rpartition("}")[2]


def _reaching_relationship(xml: bytes) -> str | None:
    """What a relationship part names that Word would fetch or bring in when it opens the paper."""
    root = _parsed(xml)
    if root is None:
        return "has a relationship part Word's XML reader cannot read"
    for element in root.iter():
        if not isinstance(element.tag, str) or _local(element.tag) != "Relationship":
            continue
        attributes = {_local(key): value for key, value in element.attrib.items()}
        kind = attributes.get("Type", "")
        if kind.endswith("/aFChunk"):
            return "imports content from another file into the paper (altChunk)"
        if attributes.get("TargetMode") == "External" and not kind.endswith("/hyperlink"):
            where = where_it_leads(attributes.get("Target", ""))
            return f"links to something Word would fetch when the paper is opened ({where})"
    return None


def _acting_field(xml: bytes) -> str | None:
    """The first field in a Word XML part whose instruction fetches or runs something (DDE,
    INCLUDEPICTURE…), or an imported chunk of other content (altChunk); None when there is none.

    Read with an XML parser, as Word reads it: any namespace prefix, character references
    decoded ("&#73;NCLUDEPICTURE"), comments and processing instructions dropped, never an external
    entity or anything from the network; and an instruction put together from all its runs."""
    if b"instr" not in xml and b"altChunk" not in xml:
        return None
    root = _parsed(xml)
    if root is None:
        return "part Word's XML reader cannot read, where a"
    open_fields: list[list[str]] = []  # the instructions of the fields being read, innermost last
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = _local(element.tag)
        attributes = {_local(key): value for key, value in element.attrib.items()}
        instructions: list[str] | None = None
        if name == "altChunk":
            return "altChunk (content imported from another file)"
        if name == "fldSimple":
            instructions = [attributes.get("instr", "")]
        elif name == "fldChar":
            mark = attributes.get("fldCharType")
            if mark == "begin":
                open_fields.append([])
            elif mark == "separate" and open_fields:
                instructions, open_fields[-1] = open_fields[-1], []  # what follows is the field's result
            elif mark == "end" and open_fields:
                instructions = open_fields.pop()
        elif name == "instrText" and open_fields:
            open_fields[-1].append(element.text or "")
        if instructions is not None and (acting := _ACTING.match("".join(instructions))) is not None:
            return acting.group(1).upper()
    for left_open in open_fields:  # a field never closed is still read by Word to the part's end
        if (acting := _ACTING.match("".join(left_open))) is not None:
            return acting.group(1).upper()
    return None


def _why(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "it nests too deeply (a macro that calls itself?)"
    if isinstance(error, TypeError) and "no loader" in str(error):
        return "a Word template cannot include or extend other files; put what it needs in the template itself"
    if isinstance(error, MemoryError):
        return "it asks for more memory than a paper needs"
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    lines = getattr(error, "docx_context", None)
    near = " ".join(" ".join(lines).split())[:160] if lines else ""
    return " ".join(message.split()) + (f" (near: {near})" if near else "")
