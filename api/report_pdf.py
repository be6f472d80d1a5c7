"""The outcomes report as a PDF: the same template as its page, laid out by WeasyPrint (a real
PDF engine, no browser; it runs no JavaScript, so the charts are SVG drawn on the server).

WeasyPrint needs Pango and HarfBuzz from the system (``make system-deps``); it is imported on
first use, so the web server starts without paying for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from fastapi import Request

from api.pages.reports import SnapshotPage
from api.web import _context, page_context, templates

STYLESHEET = Path(__file__).resolve().parent / "static" / "report.css"


def _refuse(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    """Nothing is fetched while laying out a report: its text is people's words, and a link
    or image in it must never reach out (the stylesheet is passed in, not fetched)."""
    raise ValueError("the report fetches nothing")


def report_html(request: Request, page: SnapshotPage) -> str:
    """The printable document: the report without the site's navigation and forms."""
    context = _context(request, page_context(page))
    return templates.env.get_template("reports/print.html").render(context)


def render_pdf(request: Request, page: SnapshotPage) -> bytes:
    from weasyprint import CSS, HTML  # heavy: imported when a PDF is asked for

    document = HTML(string=report_html(request, page), url_fetcher=_refuse, base_url="/")
    pdf: bytes = document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
    return pdf
