"""The anonymous submitter's receipt: follow the idea and reply in its thread without signing in.
The token in the URL is the only key; only its hash is stored."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from api.access import MaybeUser
from api.deps import SessionDep
from api.forms import FormErrors, validate
from api.web import render
from ideas import service
from ideas.markdown import render as markdown
from ideas.models import CommentCreate, Idea

router = APIRouter(prefix="/receipts", include_in_schema=False)


def _context(session: Session, idea: Idea, token: str) -> dict[str, object]:
    return {
        "idea": idea,
        "token": token,
        "body_html": markdown(idea.body),
        "history": service.history(session, idea),
        "comments": service.comments(session, idea),
        "merged_into": session.get(Idea, idea.merged_into_id) if idea.merged_into_id else None,
        "errors": {},
    }


@router.get("/{token}", name="receipt_page")
def receipt_page(request: Request, session: SessionDep, _: MaybeUser, token: str) -> HTMLResponse:
    idea = service.idea_for_receipt(session, token)
    return render(
        request,
        "ideas/receipt.html",
        _context(session, idea, token),
        headers={"Referrer-Policy": "no-referrer"},
    )


@router.post("/{token}/reply")
def reply(
    request: Request,
    session: SessionDep,
    _: MaybeUser,
    token: str,
    body: Annotated[str, Form(max_length=20_000)] = "",
) -> HTMLResponse:
    idea = service.idea_for_receipt(session, token)
    context = _context(session, idea, token)
    try:
        service.add_comment(
            session, idea, validate(CommentCreate, {"body": body}), user=None, from_submitter=True
        )
    except FormErrors as exc:
        context.update(errors=exc.errors, reply_value=body)
        return render(request, "ideas/receipt.html", context, block="thread", status_code=422)
    context["comments"] = service.comments(session, idea)
    return render(request, "ideas/receipt.html", context, block="thread", status_code=201)
