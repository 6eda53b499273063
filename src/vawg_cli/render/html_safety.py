"""Whether an HTML paper would fetch or run anything when it is opened.

A template from the plan folder is someone else's code. In the HTML it writes, an image from a
server, a stylesheet, a frame or a script would be fetched or run by the browser of everyone who
opens the paper: that server learns who read it and when, and a template can put the paper's own
text, restricted notes too when they are included, into the address it fetches. The PDF maker
fetches nothing but data: URLs (pdf.py); this holds the HTML paper to the same rule: nothing is
fetched but data: URLs and places in the paper itself, nothing runs. A link is followed only when
clicked, so it stays (but not a javascript: one, which runs).

Read with the standard library's HTML parser, as a browser tokenises: plan text is escaped into
the paper, so only the template can write a tag or an attribute, and text that merely looks like
one ("data=5" in a note) is text, not an attribute.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

# Elements that fetch or run what they name whatever their attributes say.
_ACTING_TAGS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "portal", "base"})
# Attributes whose value is fetched (or, for action and formaction, sent to) when the page opens
# or a form is used; href is among them except on a clicked link.
_FETCHED = frozenset(
    {
        "src",
        "srcset",
        "poster",
        "background",
        "action",
        "formaction",
        "ping",
        "lowsrc",
        "dynsrc",
        "archive",
        "codebase",
        "data",
        "manifest",
        "icon",
        "href",
        "xlink:href",
    }
)
_CLICKED = frozenset({"a", "area"})
# A <link> of these kinds only names a page (the paper's own address, its author, its licence):
# a browser fetches nothing for it.
_NAMING_LINKS = frozenset({"canonical", "author", "license", "help", "bookmark", "external", "next", "prev", "me"})
_SRCSET_SPLIT = re.compile(r",\s+")


def _named(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    """Whether `tag` is a <link> that names a page rather than one the browser loads."""
    if tag != "link":
        return False
    kinds = next((value or "" for name, value in attrs if name == "rel"), "").lower().split()
    return bool(kinds) and all(kind in _NAMING_LINKS for kind in kinds)


_CSS_URL = re.compile(r"""url\(\s*(['"]?)\s*([^'")]*)|@import\s*(['"])?\s*([^'";\s]*)|image-set\(|expression\(""", re.I)


def _local(url: str) -> bool:
    """A data: URL, or a place in the paper itself ("#decisions"), or nothing."""
    url = url.strip().lower()
    return not url or url.startswith(("#", "data:"))


def where_it_leads(url: str) -> str:
    """Where a URL leads: its server's name alone, never its path, query or user part, any of which
    a template may have filled with the paper's own text (this goes into messages and CI logs)."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:  # an address no URL parser can read ("http://[x"): said without it
        return "an address that cannot be read"
    if host:
        shown = host if len(host) <= 60 else host[:60] + "…"
        return f"{parts.scheme + ':' if parts.scheme else ''}//{shown}/…"
    return f"{parts.scheme}:…" if parts.scheme else "a file beside the paper"


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: str | None = None
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found is not None:
            return
        self._in_style = tag == "style"
        if tag in _ACTING_TAGS:
            self.found = f"has a <{tag}> element"
            return
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found = f"has a script in an {name} attribute of <{tag}>"
            elif name == "style":
                self._css(value, f"the style of <{tag}>")
            elif tag == "meta" and name == "http-equiv" and value.strip().lower() == "refresh":
                self.found = "has a <meta http-equiv=refresh>, which loads another page"
            elif (
                name in _FETCHED and not (tag in _CLICKED and name in ("href", "xlink:href")) and not _named(tag, attrs)
            ):
                # A srcset's candidates are split at a comma followed by space: a data: URL holds commas.
                for url in _SRCSET_SPLIT.split(value) if name == "srcset" else (value,):
                    if not _local(url.split()[0] if name == "srcset" and url.split() else url):
                        self.found = f"makes <{tag}> fetch {where_it_leads(url)} ({name})"
                        break
            elif name in ("href", "xlink:href") and value.strip().lower().startswith(("javascript:", "vbscript:")):
                self.found = f"has a link that runs a script (<{tag} {name}>)"
            if self.found is not None:
                return

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style and self.found is None:
            self._css(data, "a <style> element")

    def _css(self, css: str, where: str) -> None:
        for match in _CSS_URL.finditer(css):
            url = match.group(2) if match.group(2) is not None else match.group(4)
            if url is None:
                self.found = f"has CSS in {where} that can fetch an image ({match.group(0).strip()})"
                return
            if not _local(url):
                self.found = f"has CSS in {where} that fetches {where_it_leads(url)}"
                return


def reaching_out(html: str) -> str | None:
    """What in `html` a browser would fetch or run when it opens it (in words), or None."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.found


# What the browser itself is told, first thing in the page: fetch nothing but what the page holds
# (data: URLs), run no script, send no form. The reading above says plainly what is wrong with
# an ordinary template; this holds against what a parser other than the browser's reads another
# way (a comment or a <style> inside <svg> that a browser ends where Python's parser does not, a
# CSS escape that spells url(). A policy in the page can only be tightened by a later one, never
# loosened, so nothing the template writes after it can undo it.
POLICY = (
    "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'"
)
_DOCTYPE = re.compile(r"\A\ufeff?\s*<!doctype[^>]*>", re.IGNORECASE)


def with_policy(html: str) -> str:
    """`html` with POLICY as its first element: after the doctype, so that the page is laid out as
    the template means (standards mode), and before anything the template put in its head."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
    doctype = _DOCTYPE.match(html)
    at = doctype.end() if doctype else 0
    return html[:at] + meta + html[at:]


# Markdown's images: inline ![alt](address), and ![alt][label] or ![label] with a definition
# "[label]: address" elsewhere. A Markdown paper published on a wiki or on GitHub fetches them.
_MD_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")
_MD_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)


_LONGEST_TEXT = 10_000


def _opens_an_image(text: str, close: int) -> bool:
    """Whether the "]" at `close` ends the text of an image, "![…]": its "[" found as Markdown
    finds it, brackets within the text in pairs ("![a [b] c](…)")."""
    if close > 0 and text[close - 1] == "\\":
        return False  # "\]": a bracket shown as text (how vawg escapes plan text), ending nothing
    depth = 0
    for at in range(close - 1, max(close - _LONGEST_TEXT, 0) - 1, -1):
        if text[at] == "]" and (at == 0 or text[at - 1] != "\\"):
            depth += 1
        elif text[at] == "[" and (at == 0 or text[at - 1] != "\\"):
            if depth == 0:
                return at > 0 and text[at - 1] == "!"
            depth -= 1
        elif text[at] == "\n" and at > 0 and text[at - 1] == "\n":
            return False  # a blank line: no link or image runs across paragraphs
    # No "[" within reach: at the start of the paper, nothing opened it; past _LONGEST_TEXT, taken
    # for an image rather than read for ever (every "](" would walk back over a whole long table).
    return close >= _LONGEST_TEXT


def markdown_reaching_out(text: str) -> str | None:
    """What in a Markdown paper a page showing it would fetch or run (in words), or None: an image
    from a server, or HTML that would (Markdown lets HTML through)."""
    for match in _MD_TARGET.finditer(text):
        if _opens_an_image(text, match.start()) and not _local(match.group(1)):
            return f"shows an image from {where_it_leads(match.group(1))}"
    if "![" in text:  # an image by reference: any definition it could name that leads out
        for match in _MD_DEFINITION.finditer(text):
            if not _local(match.group(1)):
                return f"shows an image by reference from {where_it_leads(match.group(1))}"
    # "\<" is Markdown's literal "<" (how vawg escapes plan text into a paper): no tag starts there.
    return reaching_out(text.replace("\\<", "&lt;"))
