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

from vawg_cli.errors import VawgError
from vawg_cli.render.html_safety import where_it_leads
from vawg_cli.render.templates import TemplateProblem, time_limit

PDF_SECONDS = 300
"""Five minutes: a plan of hundreds of actions takes about one on a slow machine."""
MAX_HTML = 50_000_000

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
    # WeasyPrint logs each CSS property it does not know (the screen-only ones), and each URL
    # refused below; what matters is said once, here.
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped,unused-ignore]

    refused: list[str] = []

    class DataOnly(URLFetcher):  # type: ignore[misc,unused-ignore]
        """Only data: URLs, whose bytes are in the page itself."""

        def fetch(self, url: str, headers: object = None) -> object:
            if not url.startswith("data:"):
                refused.append(url)
            return super().fetch(url, headers)

    if len(html) > MAX_HTML:
        raise PdfRefused(
            f"the paper's HTML is {len(html) // 1_000_000} MB, more than the {MAX_HTML // 1_000_000} MB a PDF is "
            "made from; write it as Word (-o paper.docx) or HTML instead"
        )
    fetcher = DataOnly(allowed_protocols={"data"}, fail_on_errors=False)
    # Laying out pages is not bounded by the template's own limits: a template of ten thousand
    # page breaks renders in a moment and would take WeasyPrint many minutes.
    with time_limit(
        PDF_SECONDS,
        f"making the PDF ran for over {PDF_SECONDS} seconds and was stopped; look in the report template for "
        "something repeated far more than a paper needs",
    ):
        try:
            document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url="about:blank")
            pdf: bytes = document.write_pdf()
        except (TemplateProblem, KeyboardInterrupt):
            raise
        except Exception as error:  # WeasyPrint's own failure on the template's HTML
            raise PdfRefused(
                f"the PDF could not be made from the report template's HTML ({type(error).__name__}: {error}); "
                "check the template, or write the paper as HTML (-o paper.html)"
            ) from None
    if refused:
        raise PdfRefused(
            # Where it leads, not the whole address: a template may have put the paper's own
            # text, restricted notes too, into its path or query, and this message goes to CI logs.
            f"the report template asks for {where_it_leads(refused[0])}"
            + (f" and {len(refused) - 1} more" if len(refused) > 1 else "")
            + "; a PDF paper fetches nothing from outside itself. Put an image into the template as a "
            "data: URL, or take the link out"
        )
    return pdf


class PdfRefused(VawgError):
    """A template that asks the PDF to fetch a file or a web address."""


def _missing(error: ImportError) -> str:
    name = error.name or "weasyprint"
    if name == "weasyprint":
        return "the weasyprint package is not installed; reinstall vawg (pip install vawg-cli), which brings it"
    return f"the {name} package that WeasyPrint needs is not installed; reinstall vawg (pip install vawg-cli)"
