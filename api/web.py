"""Rendering pages and the fragments htmx swaps in, from the same templates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from api.access import can_see_team
from api.formats import FILTERS
from api.presentation_svg import event_study_chart
from coaching.interactions.answers import without_contact_links
from foundation import i18n
from foundation.accounts import Role, UserPublic
from foundation.i18n import N_, gettext
from foundation.markdown import render as markdown

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES_DIR)
# Templates ship with the code: no file-system check on every render (restart to see an edit).
templates.env.auto_reload = False
# Every page string goes through the request's catalogue: ``_()``, ``ngettext()`` and
# ``{% trans %}``. New-style gettext escapes the values it formats (``_("Hi %(name)s",
# name=...)``); trimmed ``{% trans %}`` blocks give one-line msgids (babel.cfg says the same).
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True
)
templates.env.policies["ext.i18n.trimmed"] = True
templates.env.filters.update(FILTERS, without_contact_links=without_contact_links)
templates.env.globals.update(
    Role=Role, can_see_team=can_see_team, markdown=markdown, event_study_chart=event_study_chart
)
DISMISS = N_("Dismiss")
# The language picker's choices, each in its own words (never translated).
LANGUAGES = [(code, i18n.NAMES[code], i18n.HTML_LANG[code]) for code in i18n.LOCALES]

# Macros as a global, so a block rendered on its own for htmx can use them too.
templates.env.globals["ui"] = templates.env.get_template("macros.html").module


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def page_context(page: DataclassInstance | Mapping[str, Any] | None) -> dict[str, Any]:
    """A page model (a frozen dataclass from ``api.pages``) as template variables: its fields,
    shallow, so the templates read them by name as before; a plain mapping as it is."""
    if page is None:
        return {}
    if is_dataclass(page):
        return {f.name: getattr(page, f.name) for f in fields(page)}
    return dict(page)


def _context(request: Request, context: dict[str, Any]) -> dict[str, Any]:
    user: UserPublic | None = getattr(request.state, "user", None)
    locale = i18n.current_locale()
    return {
        "request": request,
        "user": user,
        "locale": locale,
        "html_lang": i18n.HTML_LANG[locale],
        "languages": LANGUAGES,
        "csrf_token": request.scope.get("csrf_token", ""),
        "unread": getattr(request.state, "unread", 0),
        "nav": navigation(user),
        "current_section": current_section(request.url.path, user),
        **context,
    }


def render(
    request: Request,
    template: str,
    context: DataclassInstance | Mapping[str, Any] | None = None,
    *,
    block: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render ``template`` with ``context`` (a page model from ``api.pages``, or a mapping);
    for an htmx request naming ``block``, render only that block."""
    ctx = _context(request, page_context(context))
    if block is not None and is_htmx(request):
        tmpl = templates.env.get_template(template)
        html = "".join(tmpl.blocks[block](tmpl.new_context(ctx)))
        response = HTMLResponse(html, status_code=status_code, headers=headers)
    else:
        response = templates.TemplateResponse(
            request, template, ctx, status_code=status_code, headers=headers
        )
    response.headers["Vary"] = "HX-Request"
    return response


def see_other(request: Request, url: str) -> Response:
    """Where to go after a successful form post: htmx follows ``HX-Location``, a plain form
    gets a 303."""
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Location": url})
    return RedirectResponse(url, status_code=303)


def toast(message: str, *, kind: str = "success", status_code: int = 200) -> HTMLResponse:
    """A notice appended to the page's toast stack, whatever element made the request."""
    html = Markup(
        '<div class="toast {kind}" role="{role}">{msg}'
        '<button type="button" class="toast-close" aria-label="{dismiss}">&times;</button></div>'
    ).format(
        kind=kind,
        role="alert" if kind == "error" else "status",
        msg=escape(message),
        dismiss=gettext(DISMISS),
    )
    return HTMLResponse(
        str(html),
        status_code=status_code,
        headers={"HX-Retarget": "#toasts", "HX-Reswap": "beforeend", "Vary": "HX-Request"},
    )


# Labels in English (marked), translated when the menu is built for a request.
NAV: list[tuple[str, str, frozenset[Role]]] = [
    (N_("Home"), "/", frozenset(Role)),
    (N_("Ideas"), "/ideas", frozenset(Role)),
    (N_("Gaps"), "/gaps", frozenset({Role.team_lead, Role.cx_lead, Role.admin})),
    (N_("Themes"), "/themes", frozenset({Role.cx_lead, Role.admin})),
    (N_("Coaching"), "/coaching", frozenset(Role)),
    (N_("Guides"), "/guides", frozenset(Role)),
    (N_("Reports"), "/reports", frozenset({Role.cx_lead, Role.admin})),
    (N_("My team"), "/teams/mine", frozenset({Role.team_lead})),
    (N_("Teams"), "/admin/teams", frozenset({Role.admin, Role.cx_lead})),
    (N_("Users"), "/admin/users", frozenset({Role.admin})),
    (N_("Lists"), "/admin/lists", frozenset({Role.admin})),
    (N_("Imports"), "/admin/imports", frozenset({Role.admin})),
    (N_("Jobs"), "/jobs", frozenset({Role.admin, Role.cx_lead})),
    (N_("Account"), "/account", frozenset(Role)),
    (N_("API tokens"), "/account/tokens", frozenset(Role)),
    (N_("Notifications"), "/notifications", frozenset(Role)),
]


def current_section(path: str, user: UserPublic | None) -> str | None:
    """The nav link the page belongs to: the longest link that prefixes the path."""
    if user is not None and user.role == Role.team_lead and path == f"/teams/{user.team_id}":
        return "/teams/mine"
    links = [href for _, href in navigation(user)]
    matches = [href for href in links if path == href or path.startswith(href + "/")]
    return max(matches, key=len, default=None if path != "/" else "/")


def navigation(user: UserPublic | None) -> list[tuple[str, str]]:
    if user is None:
        return []
    return [(gettext(label), href) for label, href, roles in NAV if user.role in roles]
