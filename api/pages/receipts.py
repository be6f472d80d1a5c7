"""The anonymous submitter's receipt pages: the new receipt shown once, and the idea's page
that the receipt opens (its answers and the thread they reply in)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlmodel import Session

from api.pages.forms import Errors
from foundation.errors import NotFound
from foundation.i18n import N_
from foundation.markdown import render as markdown
from ideas.submissions import queries as idea_queries
from ideas.submissions.models import Comment, Idea, StatusChange


@dataclass(frozen=True)
class NewReceiptPage:
    idea: Idea
    receipt_url: str
    notice: str | None  # customer details removed from the idea


def new_receipt_page(
    session: Session, token: str, link: Callable[[str], str], notice: str | None
) -> NewReceiptPage:
    """The receipt just made, found by its token; ``link`` makes the receipt page's address
    from the token (only once the receipt is found: an empty token has no address)."""
    try:
        idea = idea_queries.idea_for_receipt(session, token)
    except NotFound:
        raise NotFound(
            N_(
                "Your receipt link was shown once, just after you shared the idea, and is no "
                "longer available here. If you kept it, open it as before."
            )
        ) from None
    return NewReceiptPage(idea=idea, receipt_url=link(token), notice=notice)


@dataclass(frozen=True)
class ReceiptPage:
    idea: Idea
    token: str
    body_html: Markup
    history: list[StatusChange]
    comments: list[Comment]
    merged_into: Idea | None
    errors: Errors = field(default_factory=dict)
    notice: str | None = None  # customer details removed from the reply just added
    reply_value: str = ""  # a refused reply, as typed


def receipt_page(
    session: Session,
    idea: Idea,
    token: str,
    *,
    errors: Errors | None = None,
    notice: str | None = None,
    reply_value: str = "",
) -> ReceiptPage:
    """The idea a receipt opens (found by the route: ``idea_for_receipt``)."""
    return ReceiptPage(
        idea=idea,
        token=token,
        body_html=markdown(idea.body),
        history=idea_queries.history(session, idea),
        comments=idea_queries.comments(session, idea),
        merged_into=session.get(Idea, idea.merged_into_id) if idea.merged_into_id else None,
        errors=errors or {},
        notice=notice,
        reply_value=reply_value,
    )
