"""Coaching pages: agents' "My coaching", a team leader's team progress and suggestions, CX
leads' module list; writing, publishing and archiving modules; assigning them; and an agent
reading an assignment, answering its check questions and acknowledging it. The pages' data
comes from ``api.pages.coaching``.

Who sees what: agents only their own assignments (404 for anyone else's); team leaders their
own team's agents and assignments, whatever ids are posted (404 otherwise); CX leads and admins
write modules and see completion across teams, with teams under the minimum group size summed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from api.access import NOT_YOURS, CurrentUser, CxUser, LeaderUser
from api.deps import SessionDep, SettingsDep
from api.forms import PostedForm, form_values
from api.pages import coaching as pages
from api.params import FormId, Id, QueryId, parse_id
from api.web import is_htmx, render, see_other
from coaching.modules import assignments, snapshots, suggestions
from coaching.modules import queries as module_queries
from coaching.modules import service as module_service
from coaching.modules.models import CoachingModule
from foundation.accounts import Role, User
from foundation.clock import utcnow
from foundation.errors import Invalid, NotFound
from foundation.i18n import N_, gettext

router = APIRouter(prefix="/coaching", include_in_schema=False)


def _today() -> date:
    return utcnow().date()


# ------------------------------------------------------------------------------ the overview
@router.get("")
def overview(
    request: Request, session: SessionDep, settings: SettingsDep, user: CurrentUser
) -> HTMLResponse:
    page = pages.coaching_overview(session, settings, user, _today())
    return render(request, "coaching/index.html", page)


# --------------------------------------------------------------------------- writing modules
@router.get("/modules/new")
def new_module(
    request: Request, session: SessionDep, _: CxUser, theme_id: QueryId | None = None
) -> HTMLResponse:
    return render(request, "coaching/new.html", pages.new_module_page(session, theme_id))


@router.post("/modules")
def create_module(
    request: Request, session: SessionDep, settings: SettingsDep, user: CxUser, form: PostedForm
) -> Response:
    """From a theme (the draft is pre-filled from its evidence) or from scratch (a title)."""
    values = form_values(form)
    theme_text = values.get("theme_id", "").strip()
    if theme_text:
        theme_id = parse_id(theme_text)
        if theme_id is None:
            raise Invalid(N_("Choose a theme from the list."), field="theme_id")
        module = module_service.create_from_theme(
            session,
            theme_id,
            user,
            settings.min_group_size,
            uncertainty_phrases=settings.uncertainty_phrases,
        )
    else:
        data, errors = module_service.read_form({"title": values.get("title", "")})
        if data is None:
            page = pages.new_module_page(session, None, values, errors)
            return render(request, "coaching/new.html", page, status_code=422)
        module = module_service.create_module(session, data, user)
    return see_other(request, f"/coaching/modules/{module.id}")


def _visible_module(session: Session, module_id: int, user: User) -> CoachingModule:
    """CX leads see drafts; team leaders only published, current modules."""
    module = module_queries.get_module(session, module_id)
    if user.role == Role.team_lead and (module.latest_version == 0 or module.archived):
        raise NotFound(NOT_YOURS)
    return module


@router.get("/modules/{module_id}")
def module_page(
    request: Request, session: SessionDep, settings: SettingsDep, user: LeaderUser, module_id: Id
) -> HTMLResponse:
    module = _visible_module(session, module_id, user)
    return render(
        request, "coaching/module.html", pages.module_page(session, settings, module, user)
    )


@router.post("/modules/{module_id}")
def save_module(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CxUser,
    module_id: Id,
    form: PostedForm,
) -> Response:
    module = module_queries.get_module(session, module_id)
    values = form_values(form)
    data, errors = module_service.read_form(values)
    if data is None:
        page = replace(
            pages.module_page(session, settings, module, user),
            fieldsets=pages.posted_fieldsets(values),
            values=values,
            errors=errors,
        )
        return render(request, "coaching/module.html", page, status_code=422)
    module_service.update_module(session, module, data, user)
    return see_other(request, f"/coaching/modules/{module_id}")


@router.post("/modules/{module_id}/effects")
def recompute_effect(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CxUser,
    module_id: Id,
    form: PostedForm,
) -> Response:
    """A new version of a closed period's stored estimate, beside the earlier ones."""
    module = module_queries.get_module(session, module_id)
    values = form_values(form)
    try:
        start, end = (
            date.fromisoformat(values.get("start", "")),
            date.fromisoformat(values.get("end", "")),
        )
    except ValueError:
        raise Invalid(N_("Choose a period with a start and an end date.")) from None
    if start > end or end >= utcnow().date():
        raise Invalid(N_("Only a period that has ended can be computed again."))
    assert module.id is not None
    snapshots.recompute(
        session,
        module.id,
        start=start,
        end=end,
        min_group_size=settings.min_group_size,
        days=settings.coaching_effect_days,
        user_id=user.id,
    )
    return see_other(request, f"/coaching/modules/{module_id}#h-effect")


@router.post("/modules/{module_id}/publish")
def publish_module(request: Request, session: SessionDep, user: CxUser, module_id: Id) -> Response:
    module_service.publish(session, module_queries.get_module(session, module_id), user)
    return see_other(request, f"/coaching/modules/{module_id}")


@router.post("/modules/{module_id}/archive")
def archive_module(request: Request, session: SessionDep, user: CxUser, module_id: Id) -> Response:
    module_service.archive(session, module_queries.get_module(session, module_id), user)
    return see_other(request, "/coaching")


# ---------------------------------------------------------------------------------- assigning
@router.get("/modules/{module_id}/assign")
def assign_page(
    request: Request, session: SessionDep, settings: SettingsDep, user: LeaderUser, module_id: Id
) -> HTMLResponse:
    module = _visible_module(session, module_id, user)
    page = pages.assign_page(session, settings, module, user, _today())
    return render(request, "coaching/assign.html", page)


def _ids(raw: list[Any], field: str) -> list[int]:
    ids = [parse_id(v) if isinstance(v, str) else None for v in raw]
    if None in ids:
        raise Invalid(N_("Choose from the list."), field=field)
    return [i for i in ids if i is not None]


@router.post("/modules/{module_id}/assign")
def assign(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: LeaderUser,
    module_id: Id,
    form: PostedForm,
) -> Response:
    user_ids = _ids(form.getlist("user_id"), "user_id")
    team_ids = _ids(form.getlist("team_id"), "team_id")
    if form.get("whole_team") and user.role == Role.team_lead:
        team_ids.append(user.team_id or 0)
    module = _visible_module(session, module_id, user)
    page = pages.assign_page(session, settings, module, user, _today())
    due_text = str(form.get("due_on", "")).strip()
    page = replace(page, values={"due_on": due_text, "user_ids": user_ids, "team_ids": team_ids})
    try:
        due_on = date.fromisoformat(due_text)
        result = assignments.assign(
            session, module, user, due_on=due_on, user_ids=user_ids, team_ids=team_ids
        )
        page = replace(page, result=result)
    except ValueError:
        page = replace(page, errors={"due_on": gettext("Give the due date as a date.")})
    except Invalid as exc:
        page = replace(page, errors={exc.field or "form": exc.translated()})
    status = 422 if page.errors else 200
    return render(request, "coaching/assign.html", page, status_code=status)


@router.post("/suggestions")
def decide_suggestion(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: LeaderUser,
    module_id: FormId,
    user_id: FormId,
    decision: Annotated[str, Form(max_length=16)],
) -> Response:
    suggestions.decide(
        session, user, module_id, user_id, decision, due_days=settings.coaching_default_due_days
    )
    return see_other(request, "/coaching")


# ------------------------------------------------------------------------- the agent's side
@router.get("/assignments/{assignment_id}")
def assignment_page(
    request: Request, session: SessionDep, user: CurrentUser, assignment_id: Id
) -> HTMLResponse:
    page = pages.assignment_page(session, assignment_id, user, _today())
    return render(request, "coaching/assignment.html", page)


@router.post("/assignments/{assignment_id}/attempt")
def attempt(
    request: Request, session: SessionDep, user: CurrentUser, assignment_id: Id, form: PostedForm
) -> Response:
    """htmx swaps in the check block with the score and explanations; a plain post comes back
    to the page, which shows the latest attempt."""
    page = pages.assignment_page(session, assignment_id, user, _today())
    version = page.version
    values = form_values(form)
    answers, errors = module_service.read_answers(version.questions, values)
    if errors:
        count = len(version.questions)
        chosen = [None if f"a{i}" in errors else int(values[f"a{i}"]) for i in range(count)]
        page = replace(page, errors=errors, marks=None, chosen=chosen)
        return render(request, "coaching/assignment.html", page, block="check", status_code=422)
    assignments.submit_attempt(session, page.assignment, version, answers)
    if not is_htmx(request):
        return RedirectResponse(f"/coaching/assignments/{assignment_id}", status_code=303)
    # Built again after the attempt, which may have completed the assignment: the fragment then
    # says so at once (and swaps the heading's status out of band).
    page = pages.assignment_page(session, assignment_id, user, _today())
    return render(request, "coaching/assignment.html", page, block="check")


@router.post("/assignments/{assignment_id}/acknowledge")
def acknowledge(
    request: Request, session: SessionDep, user: CurrentUser, assignment_id: Id
) -> Response:
    assignment, version = assignments.get_for_assignee(session, assignment_id, user)
    assignments.acknowledge(session, assignment, version)
    return see_other(request, f"/coaching/assignments/{assignment_id}")
