"""Theme pages for CX leads (and admins): the list with trends and the unthemed bucket, one
theme's evidence from both sources, and the review actions (rename, merge, split, dismiss, mark
actioned, action plan). Every action lands in the theme's history."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, col, select

from api.access import CxUser
from api.deps import QueueDep, SessionDep, SettingsDep
from api.forms import FormErrors, PostedForm, form_values, validate
from api.params import FormId, Id
from api.web import is_htmx, render, see_other
from coaching.guides import queries as guide_queries
from coaching.interactions import evidence
from coaching.modules import effect
from coaching.modules import queries as module_queries
from foundation.accounts import Role, User
from foundation.clock import utcnow
from foundation.embeddings import embedding_model_name
from foundation.errors import Invalid
from foundation.settings import Settings
from ideas.submissions import queries as idea_queries
from ideas.submissions.models import Idea
from ideas.themes import queries as theme_queries
from ideas.themes import service as theme_service
from ideas.themes.models import (
    ActionPlanUpdate,
    DocumentKind,
    PlanStatus,
    Theme,
    ThemeMember,
    ThemeState,
    ThemeStatus,
)
from jobs import service as jobs

router = APIRouter(prefix="/themes", include_in_schema=False)

SORTS = {"size": "Size", "growth": "Growth (last 4 weeks)"}
VIEWS = {"active": "Current", "faded": "Faded", "dismissed": "Dismissed"}
WEEKS = 12
MEMBERS_SHOWN = 20
CLUSTER_JOB = "themes.cluster"


def _corpus() -> evidence.Corpus:
    # Merge and split read stored vectors only: the model's name is enough, not the model.
    return evidence.Corpus(embedding_model_name())


def _week_labels(weeks: int = WEEKS) -> list[str]:
    start = utcnow() - timedelta(weeks=weeks)
    return [(start + timedelta(weeks=i)).strftime("%d %b") for i in range(weeks)]


def _sparkline(series: list[int]) -> dict[str, Any]:
    return {
        "type": "line",
        "labels": _week_labels(len(series)),
        "datasets": [{"data": series, "borderWidth": 2, "fill": False, "tension": 0.3}],
    }


def _shown(session: Session, view: str) -> list[Theme]:
    if view == "faded":
        return theme_queries.list_themes(session, states=[ThemeState.faded])
    listed = theme_queries.list_themes(session)
    dismissed = [t for t in listed if t.status == ThemeStatus.dismissed]
    return dismissed if view == "dismissed" else [t for t in listed if t not in dismissed]


def _run_status(session: Session) -> dict[str, Any]:
    return {"job": jobs.pending(session, CLUSTER_JOB), "run": theme_queries.latest_run(session)}


@router.get("")
def theme_list(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _: CxUser,
    sort: str = "size",
    view: str = "active",
) -> HTMLResponse:
    sort = sort if sort in SORTS else "size"
    view = view if view in VIEWS else "active"
    shown = _shown(session, view)
    ids = [t.id for t in shown if t.id is not None]
    trends = theme_queries.weekly_counts(session, ids, weeks=WEEKS)
    if sort == "growth":
        shown.sort(key=lambda t: (-theme_queries.growth(trends[t.id]), -t.size, t.id))  # type: ignore[index]
    run = theme_queries.latest_run(session)
    context = {
        "themes": shown,
        "trends": trends,
        "sparklines": {i: _sparkline(series) for i, series in trends.items()},
        "growth": {i: theme_queries.growth(series) for i, series in trends.items()},
        "teams": evidence.teams_touched(session, ids, settings.min_group_size),
        "sort": sort,
        "sorts": SORTS,
        "view": view,
        "views": VIEWS,
        "unthemed": theme_queries.unthemed_count(run),
        "min_group_size": settings.min_group_size,
        **_run_status(session),
    }
    return render(
        request,
        "themes/list.html",
        context,
        block="themes"
        if is_htmx(request) and request.headers.get("hx-target") == "theme-table"
        else None,
    )


@router.get("/run")
def run_status(request: Request, session: SessionDep, _: CxUser) -> Response:
    """The progress fragment the list polls while a run is going (the list, without htmx)."""
    if not is_htmx(request):
        return RedirectResponse("/themes", status_code=303)
    context = _run_status(session)
    response = render(request, "themes/list.html", context, block="run")
    if context["job"] is None and request.query_params.get("polling"):
        response.headers["HX-Refresh"] = "true"  # finished: show the new themes
    return response


@router.post("/run")
def start_run(request: Request, session: SessionDep, queue: QueueDep, user: CxUser) -> Response:
    if jobs.pending(session, CLUSTER_JOB) is None:
        jobs.start_job(session, queue, CLUSTER_JOB, {}, user.id)
    return see_other(request, "/themes")


@router.get("/unthemed")
def unthemed(
    request: Request,
    session: SessionDep,
    _: CxUser,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """Visible ideas that no theme took (the gap side is counted, not listed: it is large)."""
    member = select(ThemeMember.source_id).where(ThemeMember.kind == DocumentKind.idea)
    query = select(Idea).where(
        col(Idea.hidden_reason).is_(None),
        col(Idea.merged_into_id).is_(None),
        col(Idea.id).not_in(member),
    )
    ideas = list(
        session.exec(query.order_by(col(Idea.created_at).desc()).offset((page - 1) * 50).limit(50))
    )
    run = theme_queries.latest_run(session)
    context = {
        "ideas": ideas,
        "page": page,
        "run": run,
        "unthemed": theme_queries.unthemed_count(run),
    }
    return render(request, "themes/unthemed.html", context)


def _theme_context(session: Session, settings: Settings, theme: Theme) -> dict[str, Any]:
    assert theme.id is not None
    idea_ids = theme_queries.member_ids(session, theme.id, DocumentKind.idea)
    ideas = {
        i.id: i
        for i in session.exec(select(Idea).where(col(Idea.id).in_(idea_ids[:MEMBERS_SHOWN])))
    }
    gaps, gap_total = evidence.gap_members(session, theme.id, limit=MEMBERS_SHOWN)
    by_kind = theme_queries.weekly_counts_by_kind(session, theme.id, weeks=WEEKS)
    inside = evidence.outcomes(session, theme.id, inside=True)
    outside = evidence.outcomes(session, theme.id, inside=False)
    plan = theme_queries.get_plan(session, theme.id)
    history = theme_queries.history(session, theme.id)
    leads = session.exec(
        select(User)
        .where(col(User.role).in_([Role.cx_lead, Role.admin]), col(User.is_active))
        .order_by(User.display_name)
    ).all()
    others = [t for t in theme_queries.list_themes(session) if t.id != theme.id]
    return {
        "theme": theme,
        "ideas": [ideas[i] for i in idea_ids[:MEMBERS_SHOWN] if i in ideas],
        "idea_total": len(idea_ids),
        "gaps": gaps,
        "gap_total": gap_total,
        "trend_chart": {
            "type": "bar",
            "labels": _week_labels(),
            "datasets": [
                {"label": "Ideas", "data": by_kind[DocumentKind.idea]},
                {"label": "Gap evidence", "data": by_kind[DocumentKind.gap]},
            ],
            "options": {
                "scales": {"x": {"stacked": True}, "y": {"stacked": True, "beginAtZero": True}}
            },
        },
        "trend_rows": list(
            zip(_week_labels(), by_kind[DocumentKind.idea], by_kind[DocumentKind.gap], strict=True)
        ),
        "inside": inside,
        "outside": outside,
        "enough": inside.agents >= settings.min_group_size,
        "remedies": evidence.remediation(session, theme.id, settings.min_group_size),
        "vulnerability": evidence.vulnerability_signals(session, theme.id),
        "teams": evidence.teams_touched(session, [theme.id], settings.min_group_size)[theme.id],
        "history": history,
        "names": idea_queries.display_names(session, {e.by_id for e in history}),
        "plan": plan,
        "leads": leads,
        "others": others,
        "merged_into": session.get(Theme, theme.merged_into_id) if theme.merged_into_id else None,
        "split_from": session.get(Theme, theme.split_from_id) if theme.split_from_id else None,
        "children": session.exec(select(Theme).where(Theme.split_from_id == theme.id)).all(),
        "statuses": ThemeStatus,
        "plan_statuses": PlanStatus,
        "min_group_size": settings.min_group_size,
        "modules": module_queries.for_theme(session, theme.id),
        "guides": guide_queries.for_theme(session, theme.id),
        "effects": effect.theme_effects(
            session,
            theme.id,
            min_group_size=settings.min_group_size,
            days=settings.coaching_effect_days,
        ),
        "errors": {},
        "values": {},
    }


@router.get("/{theme_id}")
def theme_page(
    request: Request, session: SessionDep, settings: SettingsDep, _: CxUser, theme_id: Id
) -> HTMLResponse:
    theme = theme_queries.get_theme(session, theme_id)
    return render(request, "themes/detail.html", _theme_context(session, settings, theme))


@router.post("/{theme_id}/rename")
def rename(
    request: Request,
    session: SessionDep,
    user: CxUser,
    theme_id: Id,
    name: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    theme_service.rename(session, theme_queries.get_theme(session, theme_id), name, user)
    return see_other(request, f"/themes/{theme_id}")


@router.post("/{theme_id}/status")
def change_status(
    request: Request,
    session: SessionDep,
    user: CxUser,
    theme_id: Id,
    status: Annotated[str, Form(max_length=32)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        value = ThemeStatus(status)
    except ValueError as exc:
        raise Invalid("Choose a status from the list.", field="status") from exc
    theme_service.set_status(
        session, theme_queries.get_theme(session, theme_id), value, user, reason
    )
    return see_other(request, f"/themes/{theme_id}")


@router.post("/{theme_id}/merge")
def merge(
    request: Request,
    session: SessionDep,
    user: CxUser,
    theme_id: Id,
    into: FormId,
) -> Response:
    source = theme_queries.get_theme(session, theme_id)
    target = theme_queries.get_theme(session, into)
    theme_service.merge(session, source, target, user, _corpus())
    return see_other(request, f"/themes/{target.id}")


@router.post("/{theme_id}/split")
def split(
    request: Request,
    session: SessionDep,
    user: CxUser,
    theme_id: Id,
    parts: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    if parts and not parts.isdigit():
        raise Invalid(
            "Parts must be a whole number, or blank to let VoiceLoop choose.", field="parts"
        )
    children = theme_service.split(
        session,
        theme_queries.get_theme(session, theme_id),
        user,
        _corpus(),
        int(parts) if parts else None,
    )
    return see_other(request, f"/themes/{children[0].id}")


@router.post("/{theme_id}/plan")
def save_plan(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CxUser,
    theme_id: Id,
    form: PostedForm,
) -> Response:
    theme = theme_queries.get_theme(session, theme_id)
    values = form_values(form)
    try:
        data = validate(ActionPlanUpdate, values)
    except FormErrors as exc:
        context = {
            **_theme_context(session, settings, theme),
            "errors": exc.errors,
            "values": exc.values,
        }
        return render(request, "themes/detail.html", context, block="plan", status_code=422)
    theme_service.save_plan(session, theme, data, user)
    return see_other(request, f"/themes/{theme_id}")
