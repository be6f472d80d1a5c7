"""The anonymous submitter's receipt: follow the idea and reply in its thread without signing in.
The token in the URL is the only key; only its hash is stored.

Following a receipt never reads who is signed in (``NoUser``): what an anonymous submitter does
there leaves no mark on their own session row. Only the page a new receipt is shown on, where
the submit lands like a named one lands on its idea, is an ordinary signed-in page.
"""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from api.access import CurrentUser, NoUser
from api.deps import SessionDep
from api.forms import FormErrors, validate
from api.pages import receipts as pages
from api.web import render
from foundation.settings import Settings
from ideas.submissions import customer_details
from ideas.submissions import queries as idea_queries
from ideas.submissions import service as idea_service
from ideas.submissions.models import CommentCreate

router = APIRouter(prefix="/receipts", include_in_schema=False)

# A new receipt goes from the submit redirect to the page that shows it once, in this cookie:
# the submit answers exactly like a named one, and the token never appears in a URL of ours.
RECEIPT_COOKIE = "vl_receipt"
RECEIPT_COOKIE_SECONDS = 600


def set_receipt_cookie(response: Response, token: str, settings: Settings) -> None:
    response.set_cookie(
        RECEIPT_COOKIE,
        token,
        max_age=RECEIPT_COOKIE_SECONDS,
        httponly=True,
        secure=settings.https,
        samesite="strict",
        path="/receipts/new",
    )


@router.get("/new")
def new_receipt(request: Request, session: SessionDep, _: CurrentUser) -> Response:
    """Shows a new receipt once, then forgets it: the cookie is cleared."""
    token = request.cookies.get(RECEIPT_COOKIE, "")
    notice = customer_details.removed_notice(
        request.query_params.get("removed", "")[:200].split(",")
    )
    page = pages.new_receipt_page(
        session, token, lambda t: str(request.url_for("receipt_page", token=t)), notice
    )
    response = render(
        request, "ideas/receipt_created.html", page, headers={"Referrer-Policy": "no-referrer"}
    )
    response.delete_cookie(RECEIPT_COOKIE, path="/receipts/new")
    return response


@router.get("/{token}", name="receipt_page")
def receipt_page(request: Request, session: SessionDep, _: NoUser, token: str) -> HTMLResponse:
    idea = idea_queries.idea_for_receipt(session, token)
    return render(
        request,
        "ideas/receipt.html",
        pages.receipt_page(session, idea, token),
        headers={"Referrer-Policy": "no-referrer"},
    )


@router.post("/{token}/reply")
def reply(
    request: Request,
    session: SessionDep,
    _: NoUser,
    token: str,
    body: Annotated[str, Form(max_length=20_000)] = "",
) -> HTMLResponse:
    idea = idea_queries.idea_for_receipt(session, token)
    try:
        data = validate(CommentCreate, {"body": body})
        added = idea_service.add_comment(session, idea, data, user=None, from_submitter=True)
    except FormErrors as exc:
        page = pages.receipt_page(session, idea, token, errors=exc.errors, reply_value=body)
        return render(request, "ideas/receipt.html", page, block="thread", status_code=422)
    notice = customer_details.removed_notice(
        customer_details.removed_details(data.body, added.body)
    )
    page = pages.receipt_page(session, idea, token, notice=notice)
    return render(request, "ideas/receipt.html", page, block="thread", status_code=201)
