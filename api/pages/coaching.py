"""The coaching pages' data: the overview (an agent's own coaching, a team leader's team, CX
leads' modules), the module page and its edit form, assigning a module, and an agent's
assignment. Who may open which module or assignment is checked by the routes first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, select

from api.pages.forms import Errors, Values
from coaching.modules import assignments, effect, snapshots, suggestions
from coaching.modules import completion as completion_figures
from coaching.modules import queries as module_queries
from coaching.modules import service as module_service
from coaching.modules.assignments import AssignResult, MyItem
from coaching.modules.completion import AgentProgress, CrossTeam, Tally
from coaching.modules.effect import Effect
from coaching.modules.models import Assignment, CoachingModule, EffectSnapshot, ModuleVersion
from coaching.modules.service import Mark
from coaching.modules.snapshots import StoredEffect
from coaching.modules.suggestions import Offer
from foundation.accounts import Role, Team, User
from foundation.errors import Conflict, NotFound
from foundation.i18n import N_
from foundation.settings import Settings
from ideas.themes import queries as theme_queries
from ideas.themes.models import Theme
from ideas.themes.naming import display_names


# ------------------------------------------------------------------------------ the overview
@dataclass(frozen=True)
class StaffOverview:
    """An agent's "My coaching": their own assignments."""

    today: date
    items: list[MyItem]


@dataclass(frozen=True)
class LeaderOverview:
    """A team leader's team: progress by module and agent, suggestions, assignable modules.
    ``team`` is None for a leader without a team (then only ``published`` is shown)."""

    today: date
    team: Team | None
    published: list[CoachingModule]
    by_module: list[Tally] = field(default_factory=list)
    by_agent: list[AgentProgress] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)


@dataclass(frozen=True)
class CxOverview:
    """CX leads' and admins' module list with completion across teams."""

    today: date
    modules: list[CoachingModule]
    archived: list[CoachingModule]
    completion: Mapping[int, CrossTeam]
    min_group_size: int


CoachingOverview = StaffOverview | LeaderOverview | CxOverview


def coaching_overview(
    session: Session, settings: Settings, user: User, today: date
) -> CoachingOverview:
    if user.role == Role.staff:
        return StaffOverview(today, assignments.my_assignments(session, user, today))
    if user.role == Role.team_lead:
        return _leader_overview(session, user, today)
    listed = module_queries.list_modules(session)
    ids = [m.id for m in listed if m.id is not None]
    return CxOverview(
        today=today,
        modules=listed,
        archived=module_queries.list_modules(session, archived=True),
        completion=completion_figures.completion_across_teams(
            session, ids, settings.min_group_size, today
        ),
        min_group_size=settings.min_group_size,
    )


def _leader_overview(session: Session, user: User, today: date) -> LeaderOverview:
    team = session.get(Team, user.team_id) if user.team_id else None
    if team is None or team.id is None:
        return LeaderOverview(today, team=None, published=[])
    return LeaderOverview(
        today,
        team=team,
        by_module=completion_figures.team_completion(session, team.id, today),
        by_agent=completion_figures.team_agent_progress(session, team.id, today),
        offers=suggestions.offers(session, team.id),
        published=module_queries.published_modules(session),
    )


# ---------------------------------------------------------------------------- a new module
@dataclass(frozen=True)
class NewModulePage:
    theme: Theme | None  # the theme the module is drafted from, if one was chosen
    themes: list[Theme]
    values: Values
    errors: Errors
    theme_names: Mapping[int, str]  # in the viewer's language where it can be (themes.naming)


def new_module_page(
    session: Session,
    theme_id: int | None,
    values: Values | None = None,
    errors: Errors | None = None,
) -> NewModulePage:
    theme = theme_queries.get_theme(session, theme_id) if theme_id is not None else None
    themes = theme_queries.list_themes(session)
    return NewModulePage(
        theme=theme,
        themes=themes,
        values=values or {},
        errors=errors or {},
        theme_names=display_names(themes + ([theme] if theme else [])),
    )


# -------------------------------------------------------------------------- the module page
@dataclass(frozen=True)
class Fieldset:
    """One check question as edit-form fields (text as typed; ``answer`` counts from 1).
    ``to_review``: drafted from the evidence and not yet reviewed (saving the form reviews it)."""

    index: int
    prompt: str = ""
    options: str = ""
    answer: str = ""
    explanation: str = ""
    remove: str = ""
    hint: str = ""
    to_review: bool = False


@dataclass(frozen=True)
class ModulePage:
    module: CoachingModule
    editor: bool  # a CX lead or admin: the edit form and completion across teams
    latest: ModuleVersion | None
    versions: list[ModuleVersion]
    theme: Theme | None
    completion: CrossTeam | None  # for editors only
    fieldsets: list[Fieldset]
    values: Values
    errors: Errors
    min_group_size: int
    theme_names: Mapping[int, str]  # the module's theme, as this viewer sees it


@dataclass(frozen=True)
class MeasuredModulePage(ModulePage):
    """A published module from a theme: with its coaching effect. (The template tells the two
    apart by whether ``effect`` is defined.)"""

    effect: Effect
    stored: list[StoredEffect]  # closed periods' frozen estimates (all versions), newest first
    stored_periods: list[EffectSnapshot]  # the rows they came from, in the same order


def fieldsets(module: CoachingModule) -> list[Fieldset]:
    """The module's questions as edit-form fieldsets, plus a blank one to add a question."""
    sets = [
        Fieldset(
            index=i,
            prompt=q["prompt"],
            options="\n".join(q["options"]),
            answer=str(int(q["answer"]) + 1),
            explanation=q.get("explanation", ""),
            hint=q.get("hint", ""),
            to_review=bool(q.get("to_review")),
        )
        for i, q in enumerate(module.questions)
    ]
    return [*sets, Fieldset(index=len(sets))]


def posted_fieldsets(values: Mapping[str, str]) -> list[Fieldset]:
    """The question fieldsets as posted (to show a refused form again)."""
    indices = sorted(
        {int(k[1:].split("-")[0]) for k in values if k[:1] == "q" and k[1:].split("-")[0].isdigit()}
    )

    def posted(i: int) -> Fieldset:
        def get(name: str) -> str:
            return values.get(f"q{i}-{name}", "")

        return Fieldset(
            i, get("prompt"), get("options"), get("answer"), get("explanation"), get("remove"),
            hint=get("hint"),
        )  # fmt: skip

    sets = [posted(i) for i in indices]
    if sets and not any((sets[-1].prompt, sets[-1].options, sets[-1].explanation)):
        return sets  # the blank "add a question" set came back
    return [*sets, Fieldset(index=max(indices, default=-1) + 1)]


def module_page(
    session: Session, settings: Settings, module: CoachingModule, user: User
) -> ModulePage:
    assert module.id is not None
    editor = user.role in (Role.cx_lead, Role.admin)
    theme = session.get(Theme, module.theme_id) if module.theme_id else None
    page = ModulePage(
        module=module,
        editor=editor,
        latest=module_queries.latest_version(session, module),
        versions=module_queries.versions(session, module.id),
        theme=theme,
        completion=completion_figures.completion_by_module(
            session, module.id, settings.min_group_size
        )
        if editor
        else None,
        fieldsets=fieldsets(module),
        values={"title": module.title, "body": module.body},
        errors={},
        min_group_size=settings.min_group_size,
        theme_names=display_names([theme] if theme else []),
    )
    if module.theme_id is None or not module.latest_version:
        return page
    measured = effect.module_effect(
        session,
        module.id,
        min_group_size=settings.min_group_size,
        days=settings.coaching_effect_days,
    )
    stored = snapshots.versions(session, module.id)
    return MeasuredModulePage(
        **vars(page),
        effect=measured,
        stored=[found for _, found in stored],
        stored_periods=[row for row, _ in stored],
    )


# ---------------------------------------------------------------------------------- assigning
@dataclass(frozen=True)
class AssignPage:
    module: CoachingModule
    leader: bool  # a team leader picks agents of their team; others pick whole teams
    agents: list[User]
    teams: list[Team]
    values: Values  # due_on (text), and once posted user_ids and team_ids (lists of ids)
    errors: Errors
    result: AssignResult | None  # after a successful post


def assign_page(
    session: Session, settings: Settings, module: CoachingModule, user: User, today: date
) -> AssignPage:
    if module_queries.latest_version(session, module) is None or module.archived:
        raise Conflict(N_("Only a published, current module can be assigned."))
    leader = user.role == Role.team_lead
    if leader and user.team_id is None:
        raise NotFound(N_("You do not lead a team yet; an administrator can add you to one."))
    return AssignPage(
        module=module,
        leader=leader,
        # ``leader`` means the user leads a team, so team_id is set.
        agents=assignments.team_agents(session, user.team_id) if leader else [],  # type: ignore[arg-type]
        teams=[] if leader else list(session.exec(select(Team).order_by(Team.name))),
        values={"due_on": (today + timedelta(settings.coaching_default_due_days)).isoformat()},
        errors={},
        result=None,
    )


# ------------------------------------------------------------------------- the agent's side
@dataclass(frozen=True)
class AssignmentPage:
    assignment: Assignment
    version: ModuleVersion
    overdue: bool
    marks: list[Mark] | None  # the latest attempt's marks, if any
    chosen: list[int | None]  # the options chosen in it (None: not answered)
    errors: Errors
    # The right options may be shown: the agent has passed (every answer right in one attempt).
    # Retries are unlimited, so until then a wrong answer gets the question's hint only.
    reveal: bool = False


def assignment_page(
    session: Session, assignment_id: int, user: User, today: date
) -> AssignmentPage:
    """The assignee's own assignment (anyone else: NotFound) with their latest attempt."""
    assignment, version = assignments.get_for_assignee(session, assignment_id, user)
    last = assignments.last_attempt(session, assignment_id)
    return AssignmentPage(
        assignment=assignment,
        version=version,
        overdue=assignments.is_overdue(assignment, today),
        marks=module_service.mark(version, last.answers) if last else None,
        chosen=list(last.answers) if last else [],
        errors={},
        reveal=assignment.completed_at is not None or (assignment.best_score or 0.0) >= 1.0,
    )
