"""Coaching pages: agents' "My coaching", a team leader's team progress and suggestions, CX
leads' module list; writing, publishing and archiving modules; assigning them; and an agent
reading an assignment, answering its check questions and acknowledging it.

Who sees what: agents only their own assignments (404 for anyone else's); team leaders their
own team's agents and assignments, whatever ids are posted (404 otherwise); CX leads and admins
write modules and see completion across teams, with teams under the minimum group size summed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, select

from api.access import NOT_YOURS, CurrentUser, CxUser, LeaderUser
from api.deps import SessionDep, SettingsDep
from api.forms import PostedForm, form_values
from api.params import FormId, Id, QueryId, parse_id
from api.web import is_htmx, render, see_other
from coaching.modules import assignments, effect, suggestions
from coaching.modules import completion as completion_figures
from coaching.modules import queries as module_queries
from coaching.modules import service as module_service
from coaching.modules.models import Assignment, CoachingModule, ModuleVersion
from foundation.accounts import Role, Team, User
from foundation.clock import utcnow
from foundation.errors import Conflict, Invalid, NotFound
from foundation.settings import Settings
from ideas.themes import queries as theme_queries
from ideas.themes.models import Theme

router = APIRouter(prefix="/coaching", include_in_schema=False)


def _today() -> date:
    return utcnow().date()


# ------------------------------------------------------------------------------ the overview
@router.get("")
def overview(
    request: Request, session: SessionDep, settings: SettingsDep, user: CurrentUser
) -> HTMLResponse:
    today = _today()
    if user.role == Role.staff:
        context: dict[str, Any] = {"items": assignments.my_assignments(session, user, today)}
    elif user.role == Role.team_lead:
        context = _leader_context(session, user, today)
    else:
        context = _cx_context(session, settings, today)
    return render(request, "coaching/index.html", {"today": today, **context})


def _leader_context(session: Session, user: User, today: date) -> dict[str, Any]:
    team = session.get(Team, user.team_id) if user.team_id else None
    if team is None or team.id is None:
        return {"team": None, "published": []}
    return {
        "team": team,
        "by_module": completion_figures.team_completion(session, team.id, today),
        "by_agent": completion_figures.team_agent_progress(session, team.id, today),
        "offers": suggestions.offers(session, team.id),
        "published": module_queries.published_modules(session),
    }


def _cx_context(session: Session, settings: Settings, today: date) -> dict[str, Any]:
    listed = module_queries.list_modules(session)
    ids = [m.id for m in listed if m.id is not None]
    return {
        "modules": listed,
        "archived": module_queries.list_modules(session, archived=True),
        "completion": completion_figures.completion_across_teams(
            session, ids, settings.min_group_size, today
        ),
        "min_group_size": settings.min_group_size,
    }


# --------------------------------------------------------------------------- writing modules
def _new_context(session: Session, theme_id: int | None) -> dict[str, Any]:
    return {
        "theme": theme_queries.get_theme(session, theme_id) if theme_id is not None else None,
        "themes": theme_queries.list_themes(session),
        "values": {},
        "errors": {},
    }


@router.get("/modules/new")
def new_module(
    request: Request, session: SessionDep, _: CxUser, theme_id: QueryId | None = None
) -> HTMLResponse:
    return render(request, "coaching/new.html", _new_context(session, theme_id))


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
            raise Invalid("Choose a theme from the list.", field="theme_id")
        module = module_service.create_from_theme(session, theme_id, user, settings.min_group_size)
    else:
        data, errors = module_service.read_form({"title": values.get("title", "")})
        if data is None:
            context = {**_new_context(session, None), "values": values, "errors": errors}
            return render(request, "coaching/new.html", context, status_code=422)
        module = module_service.create_module(session, data, user)
    return see_other(request, f"/coaching/modules/{module.id}")


def _fieldsets(module: CoachingModule) -> list[dict[str, Any]]:
    """The module's questions as edit-form fieldsets, plus a blank one to add a question."""
    sets = [
        {
            "index": i,
            "prompt": q["prompt"],
            "options": "\n".join(q["options"]),
            "answer": str(int(q["answer"]) + 1),
            "explanation": q.get("explanation", ""),
        }
        for i, q in enumerate(module.questions)
    ]
    return [*sets, {"index": len(sets)}]


def _posted_fieldsets(values: dict[str, str]) -> list[dict[str, Any]]:
    indices = sorted(
        {int(k[1:].split("-")[0]) for k in values if k[:1] == "q" and k[1:].split("-")[0].isdigit()}
    )
    fields = ("prompt", "options", "answer", "explanation", "remove")
    sets = [{"index": i, **{f: values.get(f"q{i}-{f}", "") for f in fields}} for i in indices]
    if sets and not any(sets[-1][f] for f in ("prompt", "options", "explanation")):
        return sets  # the blank "add a question" set came back
    return [*sets, {"index": max(indices, default=-1) + 1}]


def _module_context(
    session: Session, settings: Settings, module: CoachingModule, user: User
) -> dict[str, Any]:
    assert module.id is not None
    editor = user.role in (Role.cx_lead, Role.admin)
    measured: dict[str, Any] = {}
    if module.theme_id is not None and module.latest_version:
        measured["effect"] = effect.module_effect(
            session,
            module.id,
            min_group_size=settings.min_group_size,
            days=settings.coaching_effect_days,
        )
    return {
        **measured,
        "module": module,
        "editor": editor,
        "latest": module_queries.latest_version(session, module),
        "versions": module_queries.versions(session, module.id),
        "theme": session.get(Theme, module.theme_id) if module.theme_id else None,
        "completion": completion_figures.completion_by_module(
            session, module.id, settings.min_group_size
        )
        if editor
        else None,
        "fieldsets": _fieldsets(module),
        "values": {"title": module.title, "body": module.body},
        "errors": {},
        "min_group_size": settings.min_group_size,
    }


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
    return render(request, "coaching/module.html", _module_context(session, settings, module, user))


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
        context = {
            **_module_context(session, settings, module, user),
            "fieldsets": _posted_fieldsets(values),
            "values": values,
            "errors": errors,
        }
        return render(request, "coaching/module.html", context, status_code=422)
    module_service.update_module(session, module, data, user)
    return see_other(request, f"/coaching/modules/{module_id}")


@router.post("/modules/{module_id}/publish")
def publish_module(request: Request, session: SessionDep, user: CxUser, module_id: Id) -> Response:
    module_service.publish(session, module_queries.get_module(session, module_id), user)
    return see_other(request, f"/coaching/modules/{module_id}")


@router.post("/modules/{module_id}/archive")
def archive_module(request: Request, session: SessionDep, user: CxUser, module_id: Id) -> Response:
    module_service.archive(session, module_queries.get_module(session, module_id), user)
    return see_other(request, "/coaching")


# ---------------------------------------------------------------------------------- assigning
def _assign_context(
    session: Session, settings: Settings, module: CoachingModule, user: User
) -> dict[str, Any]:
    if module_queries.latest_version(session, module) is None or module.archived:
        raise Conflict("Only a published, current module can be assigned.")
    leader = user.role == Role.team_lead
    if leader and user.team_id is None:
        raise NotFound("You do not lead a team yet; an administrator can add you to one.")
    return {
        "module": module,
        "leader": leader,
        "agents": assignments.team_agents(session, user.team_id) if leader else [],  # type: ignore[arg-type]
        "teams": [] if leader else list(session.exec(select(Team).order_by(Team.name))),
        "values": {
            "due_on": (_today() + timedelta(settings.coaching_default_due_days)).isoformat()
        },
        "errors": {},
        "result": None,
    }


@router.get("/modules/{module_id}/assign")
def assign_page(
    request: Request, session: SessionDep, settings: SettingsDep, user: LeaderUser, module_id: Id
) -> HTMLResponse:
    module = _visible_module(session, module_id, user)
    return render(request, "coaching/assign.html", _assign_context(session, settings, module, user))


def _ids(raw: list[Any], field: str) -> list[int]:
    ids = [parse_id(v) if isinstance(v, str) else None for v in raw]
    if None in ids:
        raise Invalid("Choose from the list.", field=field)
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
    context = _assign_context(session, settings, module, user)
    due_text = str(form.get("due_on", "")).strip()
    context["values"] = {"due_on": due_text, "user_ids": user_ids, "team_ids": team_ids}
    try:
        due_on = date.fromisoformat(due_text)
        context["result"] = assignments.assign(
            session, module, user, due_on=due_on, user_ids=user_ids, team_ids=team_ids
        )
    except ValueError:
        context["errors"] = {"due_on": "Give the due date as a date."}
    except Invalid as exc:
        context["errors"] = {exc.field or "form": exc.message}
    status = 422 if context["errors"] else 200
    return render(request, "coaching/assign.html", context, status_code=status)


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
def _assignment_context(
    session: Session, assignment_id: int, user: User
) -> tuple[Assignment, ModuleVersion, dict[str, Any]]:
    assignment, version = assignments.get_for_assignee(session, assignment_id, user)
    last = assignments.last_attempt(session, assignment_id)
    context = {
        "assignment": assignment,
        "version": version,
        "overdue": assignments.is_overdue(assignment, _today()),
        "marks": module_service.mark(version, last.answers) if last else None,
        "chosen": last.answers if last else [],
        "errors": {},
    }
    return assignment, version, context


@router.get("/assignments/{assignment_id}")
def assignment_page(
    request: Request, session: SessionDep, user: CurrentUser, assignment_id: Id
) -> HTMLResponse:
    *_, context = _assignment_context(session, assignment_id, user)
    return render(request, "coaching/assignment.html", context)


@router.post("/assignments/{assignment_id}/attempt")
def attempt(
    request: Request, session: SessionDep, user: CurrentUser, assignment_id: Id, form: PostedForm
) -> Response:
    """htmx swaps in the check block with the score and explanations; a plain post comes back
    to the page, which shows the latest attempt."""
    assignment, version, context = _assignment_context(session, assignment_id, user)
    values = form_values(form)
    answers, errors = module_service.read_answers(version.questions, values)
    if errors:
        count = len(version.questions)
        chosen = [None if f"a{i}" in errors else int(values[f"a{i}"]) for i in range(count)]
        context |= {"errors": errors, "marks": None, "chosen": chosen}
        return render(request, "coaching/assignment.html", context, block="check", status_code=422)
    _, marks = assignments.submit_attempt(session, assignment, version, answers)
    if not is_htmx(request):
        return RedirectResponse(f"/coaching/assignments/{assignment_id}", status_code=303)
    context |= {"marks": marks, "chosen": answers}
    return render(request, "coaching/assignment.html", context, block="check")


@router.post("/assignments/{assignment_id}/acknowledge")
def acknowledge(
    request: Request, session: SessionDep, user: CurrentUser, assignment_id: Id
) -> Response:
    assignment, version = assignments.get_for_assignee(session, assignment_id, user)
    assignments.acknowledge(session, assignment, version)
    return see_other(request, f"/coaching/assignments/{assignment_id}")
