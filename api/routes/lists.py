"""Admin: the configurable lists ideas are filed under (categories, journey stages), and the
plain words of contact action codes (``coaching.interactions.actions``)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from api.access import AdminUser
from api.deps import SessionDep
from api.pages import lists as pages
from api.params import Id
from api.web import render
from coaching.interactions import actions as action_labels
from foundation.errors import DomainError, Invalid, NotFound
from foundation.i18n import N_
from ideas.submissions import service as idea_service
from ideas.submissions.models import Category, JourneyStage

router = APIRouter(prefix="/admin/lists", include_in_schema=False)
MODELS: dict[str, type[Category] | type[JourneyStage]] = {
    "categories": Category,
    "stages": JourneyStage,
}


def _model(kind: str) -> type[Category] | type[JourneyStage]:
    if kind not in MODELS:
        raise NotFound(N_("No such list."))
    return MODELS[kind]


@router.get("")
def lists_page(request: Request, session: SessionDep, _: AdminUser) -> HTMLResponse:
    return render(request, "admin/lists.html", pages.lists_page(session))


# Registered before "/{kind}": "actions" is not one of the idea lists.
@router.post("/actions")
def add_action_label(
    request: Request,
    session: SessionDep,
    _: AdminUser,
    code: Annotated[str, Form(max_length=500)] = "",
    label: Annotated[str, Form(max_length=500)] = "",
) -> HTMLResponse:
    try:
        with session.begin_nested():
            action_labels.add_label(session, code, label)
    except DomainError as exc:
        values = {"actions": label, "action_code": code}
        page = pages.lists_page(session, errors={"actions": exc.translated()}, values=values)
        return render(request, "admin/lists.html", page, block="lists", status_code=422)
    return render(
        request, "admin/lists.html", pages.lists_page(session), block="lists", status_code=201
    )


@router.post("/actions/{label_id}")
def rename_action(
    request: Request,
    session: SessionDep,
    _: AdminUser,
    label_id: Id,
    label: Annotated[str, Form(max_length=500)] = "",
) -> HTMLResponse:
    try:
        with session.begin_nested():
            action_labels.rename(session, label_id, label)
    except Invalid as exc:  # an unknown id stays a 404
        errors = {f"action-{label_id}": exc.translated()}
        page = pages.lists_page(session, errors=errors)
        return render(request, "admin/lists.html", page, block="lists", status_code=422)
    return render(request, "admin/lists.html", pages.lists_page(session), block="lists")


@router.post("/{kind}")
def add_item(
    request: Request,
    session: SessionDep,
    _: AdminUser,
    kind: str,
    name: Annotated[str, Form(max_length=500)] = "",
) -> HTMLResponse:
    model = _model(kind)
    try:
        with session.begin_nested():
            idea_service.add_list_item(session, model, name)
    except DomainError as exc:
        page = pages.lists_page(session, errors={kind: exc.translated()}, values={kind: name})
        return render(request, "admin/lists.html", page, block="lists", status_code=422)
    return render(
        request, "admin/lists.html", pages.lists_page(session), block="lists", status_code=201
    )


@router.post("/{kind}/{item_id}/active")
def set_active(
    request: Request,
    session: SessionDep,
    _: AdminUser,
    kind: str,
    item_id: Id,
    active: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    idea_service.set_list_item_active(session, _model(kind), item_id, active)
    return render(request, "admin/lists.html", pages.lists_page(session), block="lists")
