"""The HTML paper printed to PDF by WeasyPrint, through the paper's own print stylesheet.

WeasyPrint rather than a browser: it is a Python package over Pango (which Debian and Ubuntu
ship), so a coordinator's laptop or a CI runner needs no Chromium to make the paper, and it
implements the paged-media CSS the paper uses (A4, the marking and "Page x of y" in every page's
margin, headings kept with what follows, table headers repeated).

The HTML may come from a template in the plan folder, which is untrusted: WeasyPrint would
otherwise fetch whatever it names (an image on a server, `file:///etc/passwd` attached to the
PDF). Here it fetches nothing but `data:` URLs, which hold their bytes in the page itself.
"""

from __future__ import annotations

import logging
from typing import Any

from vawg_cli.errors import VawgError

PANGO_ADVICE = (
    "install Pango, which WeasyPrint draws the PDF with: on Debian or Ubuntu "
    "`sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0`, on a Mac `brew install pango`; "
    "or write the paper as HTML (-o paper.html) and print it to PDF from a browser"
)


class PdfUnavailable(VawgError):
    """WeasyPrint, or the system library it draws with, is missing."""


def html_to_pdf(html: str) -> bytes:
    """The PDF of `html`, fetching nothing beyond it."""
    try:
        import weasyprint  # type: ignore[import-untyped,unused-ignore]
    except ImportError as error:
        raise PdfUnavailable(f"cannot make a PDF: {_missing(error)}") from None
    except OSError as error:  # WeasyPrint loads Pango when it is imported
        raise PdfUnavailable(f"cannot make a PDF ({error}); {PANGO_ADVICE}") from None
    # WeasyPrint logs each CSS property it does not know (the screen-only ones) as a warning.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch, base_url="about:blank")
    pdf: bytes = document.write_pdf()
    return pdf


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher  # type: ignore[import-untyped,unused-ignore]

        fetched: dict[str, Any] = default_url_fetcher(url)
        return fetched
    # Raising makes WeasyPrint leave the image or style out and carry on, as a browser would.
    raise ValueError(f"the paper fetches nothing from outside itself ({url[:80]})")


def _missing(error: ImportError) -> str:
    name = error.name or "weasyprint"
    if name == "weasyprint":
        return "the weasyprint package is not installed; reinstall vawg (pip install vawg-cli), which brings it"
    return f"the {name} package that WeasyPrint needs is not installed; reinstall vawg (pip install vawg-cli)"
