"""Coaching modules: a draft pre-filled from a theme's evidence, multiple-choice check
questions, and immutable published versions.

The module row is the working draft; publishing copies it into a new ``ModuleVersion``.
Assignments point at a version, so publishing again never changes what an agent was given.
Only CX leads and admins write modules (the routes enforce it; ``_require_author`` re-checks).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, select

from coaching import evidence
from coaching.models import (
    CheckQuestion,
    CoachingModule,
    ModuleUpdate,
    ModuleVersion,
    Outcome,
    SignalKind,
)
from foundation.accounts import Role, User
from foundation.clock import utcnow
from foundation.errors import Conflict, Forbidden, Invalid, NotFound
from foundation.settings import get_settings
from ideas import themes
from ideas.models import Theme

SNIPPETS = 3  # representative snippets per section of a pre-filled draft
SNIPPET_CHARS = 300
CANDIDATES = 60  # central gap members read to find resolved and unresolved examples
MAX_QUESTIONS = 20
# Distractors when a theme has fewer than three remediation actions with figures.
FALLBACK_ACTIONS = ("Transfer the customer to another team", "Ask the customer to call back later")


# ------------------------------------------------------------------------------- lookups
def get_module(session: Session, module_id: int) -> CoachingModule:
    module = session.get(CoachingModule, module_id)
    if module is None:
        raise NotFound("No such coaching module")
    return module


def list_modules(session: Session, *, archived: bool = False) -> list[CoachingModule]:
    query = select(CoachingModule).where(col(CoachingModule.archived) == archived)
    return list(session.exec(query.order_by(col(CoachingModule.updated_at).desc())))


def published_modules(session: Session) -> list[CoachingModule]:
    """Modules a team leader can assign: published at least once, not archived."""
    query = select(CoachingModule).where(
        col(CoachingModule.latest_version) > 0, col(CoachingModule.archived).is_(False)
    )
    return list(session.exec(query.order_by(CoachingModule.title)))


def for_theme(
    session: Session, theme_id: int, *, with_merged: bool = False
) -> list[CoachingModule]:
    """Modules made from this theme; ``with_merged`` adds those made for a theme that was
    later merged into it (their evidence lives here now)."""
    about = col(CoachingModule.theme_id) == theme_id
    if with_merged:
        merged = select(Theme.id).where(Theme.merged_into_id == theme_id)
        about = about | col(CoachingModule.theme_id).in_(merged)
    query = select(CoachingModule).where(about)
    return list(session.exec(query.order_by(col(CoachingModule.id))))


def versions(session: Session, module_id: int) -> list[ModuleVersion]:
    """Newest first."""
    query = select(ModuleVersion).where(ModuleVersion.module_id == module_id)
    return list(session.exec(query.order_by(col(ModuleVersion.number).desc())))


def latest_version(session: Session, module: CoachingModule) -> ModuleVersion | None:
    if module.latest_version == 0:
        return None
    query = select(ModuleVersion).where(
        ModuleVersion.module_id == module.id, ModuleVersion.number == module.latest_version
    )
    return session.exec(query).first()


def check_questions(raw: list[dict[str, Any]]) -> list[CheckQuestion]:
    return [CheckQuestion.model_validate(q) for q in raw]


# ------------------------------------------------------------------------------- writing
def _require_author(user: User) -> None:
    if user.role not in (Role.cx_lead, Role.admin):
        raise Forbidden("Only CX leads write coaching modules.")


def _content(title: str, body: str, questions: list[dict[str, Any]]) -> tuple[Any, ...]:
    return title, body, questions


def create_module(
    session: Session, data: ModuleUpdate, by: User, *, theme_id: int | None = None
) -> CoachingModule:
    _require_author(by)
    module = CoachingModule(
        title=data.title.strip(),
        body=data.body,
        questions=[q.model_dump() for q in data.questions],
        theme_id=theme_id,
        created_by_id=by.id,
    )
    session.add(module)
    session.flush()
    return module


def create_from_theme(
    session: Session, theme_id: int, by: User, min_group_size: int, *, now: datetime | None = None
) -> CoachingModule:
    theme = themes.get_theme(session, theme_id)
    return create_module(
        session, draft_from_theme(session, theme, min_group_size, now=now), by, theme_id=theme.id
    )


def update_module(
    session: Session, module: CoachingModule, data: ModuleUpdate, by: User
) -> CoachingModule:
    """Edit the draft; it differs from the latest version unless edited back to it."""
    _require_author(by)
    if module.archived:
        raise Conflict("This module is archived; it can no longer be edited.")
    module.title = data.title.strip()
    module.body = data.body
    module.questions = [q.model_dump() for q in data.questions]
    latest = latest_version(session, module)
    module.draft_changed = latest is None or _content(
        latest.title, latest.body, latest.questions
    ) != _content(module.title, module.body, module.questions)
    module.updated_at = utcnow()
    session.flush()
    return module


def publish(
    session: Session, module: CoachingModule, by: User, *, now: datetime | None = None
) -> ModuleVersion:
    """Freeze the draft as version latest+1. A draft with no body or an invalid question is
    refused (422); one unchanged since the last version is a conflict (409)."""
    _require_author(by)
    if module.archived:
        raise Conflict("This module is archived; it cannot be published.")
    if not module.body.strip():
        raise Invalid("Write the module's body before publishing it.", field="body")
    try:
        questions = check_questions(module.questions)
    except ValidationError as exc:
        raise Invalid("A check question is incomplete; fix it first.", field="questions") from exc
    for number, question in enumerate(questions, start=1):
        if question.answer >= len(question.options):
            raise Invalid(
                f"Question {number}'s right answer is not one of its options.", field="questions"
            )
    if not module.draft_changed and module.latest_version > 0:
        raise Conflict(f"Nothing has changed since version {module.latest_version}.")
    version = ModuleVersion(
        module_id=module.id,  # type: ignore[arg-type]
        number=module.latest_version + 1,
        title=module.title,
        body=module.body,
        questions=[q.model_dump() for q in questions],
        published_by_id=by.id,
        published_at=now or utcnow(),
    )
    session.add(version)
    module.latest_version = version.number
    module.draft_changed = False
    module.updated_at = utcnow()
    session.flush()
    return version


def archive(session: Session, module: CoachingModule, by: User) -> CoachingModule:
    """Archived modules can no longer be assigned; existing assignments stay."""
    _require_author(by)
    module.archived = True
    module.updated_at = utcnow()
    session.flush()
    return module


# --------------------------------------------------------------------------- the edit form
_QUESTION_FIELD = re.compile(r"^q(\d{1,2})-(prompt|options|answer|explanation|remove)$")


def read_form(values: Mapping[str, str]) -> tuple[ModuleUpdate | None, dict[str, str]]:
    """The edit form as a ModuleUpdate, or the per-field errors. Question ``i`` is the fields
    ``q{i}-prompt``, ``q{i}-options`` (one per line), ``q{i}-answer`` (the right option's
    number, from 1), ``q{i}-explanation`` and ``q{i}-remove``; a blank fieldset is ignored."""
    errors: dict[str, str] = {}
    grouped: dict[int, dict[str, str]] = {}
    for key, value in values.items():
        if match := _QUESTION_FIELD.match(key):
            grouped.setdefault(int(match.group(1)), {})[match.group(2)] = value
    questions: list[CheckQuestion] = []
    for index in sorted(grouped):
        fields = grouped[index]
        if fields.get("remove") or not any(
            fields.get(k, "").strip() for k in ("prompt", "options", "explanation")
        ):
            continue
        question = _question(index, fields, errors)
        if question is not None:
            questions.append(question)
    if len(questions) > MAX_QUESTIONS:
        errors["form"] = f"A module has at most {MAX_QUESTIONS} check questions."
    try:
        data = ModuleUpdate(
            title=values.get("title", "").strip(), body=values.get("body", ""), questions=[]
        )
    except ValidationError as exc:
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "form"
            errors.setdefault(field, "This field is required." if field == "title" else err["msg"])
        return None, errors
    if errors:
        return None, errors
    data.questions = questions
    return data, errors


def _question(index: int, fields: dict[str, str], errors: dict[str, str]) -> CheckQuestion | None:
    prefix = f"q{index}-"
    options = [line.strip() for line in fields.get("options", "").splitlines() if line.strip()]
    answer_text = fields.get("answer", "").strip()
    if not answer_text.isdigit() or not 1 <= int(answer_text) <= max(1, len(options)):
        errors[prefix + "answer"] = "Give the number of the right option (1 is the first line)."
        return None
    try:
        return CheckQuestion(
            prompt=fields.get("prompt", "").strip(),
            options=options,
            answer=int(answer_text) - 1,
            explanation=fields.get("explanation", "").strip(),
        )
    except ValidationError as exc:
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "prompt"
            message = {
                "prompt": "Write the question.",
                "options": "Give 2 to 6 options, one per line.",
            }.get(field, err["msg"])
            errors.setdefault(prefix + field, message)
        return None


# ------------------------------------------------------------------ answering the questions
@dataclass(frozen=True)
class Mark:
    prompt: str
    options: list[str]
    chosen: int
    answer: int
    explanation: str

    @property
    def right(self) -> bool:
        return self.chosen == self.answer


def read_answers(
    questions: list[dict[str, Any]], values: Mapping[str, str]
) -> tuple[list[int], dict[str, str]]:
    """The chosen option of each question (fields ``a0``, ``a1``...), or per-field errors."""
    answers: list[int] = []
    errors: dict[str, str] = {}
    for index, question in enumerate(questions):
        raw = values.get(f"a{index}", "").strip()
        if not raw.isdigit() or int(raw) >= len(question["options"]):
            errors[f"a{index}"] = "Choose one of the answers."
        else:
            answers.append(int(raw))
    return answers, errors


def mark(version: ModuleVersion, answers: list[int]) -> list[Mark]:
    return [
        Mark(q["prompt"], list(q["options"]), chosen, int(q["answer"]), q.get("explanation", ""))
        for q, chosen in zip(version.questions, answers, strict=True)
    ]


# ------------------------------------------------------------------------ pre-filled drafts
@dataclass(frozen=True)
class Evidence:
    """What a draft is written from: the theme page's figures."""

    theme: Theme
    series: list[int]
    inside: evidence.Outcomes
    outside: evidence.Outcomes
    enough: bool  # outcome figures may be shown (minimum group size)
    vulnerability: int
    remedies: list[Any]  # stats.ActionStats with figures, best resolution rate first
    resolved: list[str]
    unresolved: list[str]


def gather(
    session: Session, theme: Theme, min_group_size: int, *, now: datetime | None = None
) -> Evidence:
    assert theme.id is not None
    inside = evidence.outcomes(session, theme.id, inside=True)
    remedies = [
        r
        for r in evidence.remediation(session, theme.id, min_group_size)
        if r.suppressed is None and r.uses
    ]
    remedies.sort(key=lambda r: (-(r.resolution_rate or 0.0), -(r.uses or 0), r.action))
    members, _ = evidence.gap_members(session, theme.id, limit=CANDIDATES)
    # Good practice: resolved contacts where the agent was not unsure, in their own answer.
    resolved = [
        m.interaction_id
        for m in members
        if m.outcome == Outcome.resolved and SignalKind.uncertainty not in m.kinds
    ]
    answers = evidence.resolution_texts(session, resolved, get_settings().uncertainty_phrases)
    good = [answers[i] for i in resolved if i in answers]
    bad = [m.evidence for m in members if m.outcome is None or m.outcome.value != "resolved"]
    return Evidence(
        theme=theme,
        series=themes.weekly_counts(session, [theme.id], weeks=12, now=now)[theme.id],
        inside=inside,
        outside=evidence.outcomes(session, theme.id, inside=False),
        enough=inside.agents >= min_group_size,
        vulnerability=evidence.vulnerability_signals(session, theme.id),
        remedies=remedies,
        resolved=_distinct(good),
        unresolved=_distinct(bad),
    )


def draft_from_theme(
    session: Session, theme: Theme, min_group_size: int, *, now: datetime | None = None
) -> ModuleUpdate:
    """A draft for the CX lead to edit: why it matters, what good looks like, what goes wrong,
    and two or three check questions, all from the theme's evidence."""
    ev = gather(session, theme, min_group_size, now=now)
    body = "\n\n".join([_why(ev), _good(ev), _wrong(ev)])
    return ModuleUpdate(title=theme.name[:200], body=body, questions=draft_questions(ev))


def _distinct(texts: list[str]) -> list[str]:
    """Up to SNIPPETS different snippets, most central first."""
    return list(dict.fromkeys(_snippet(t) for t in texts if t.strip()))[:SNIPPETS]


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1].rstrip() + "…"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}%"


def _why(ev: Evidence) -> str:
    t = ev.theme
    recent, before = sum(ev.series[-4:]), sum(ev.series[-8:-4])
    trend = "growing" if recent > before else "shrinking" if recent < before else "steady"
    lines = [
        "## Why it matters",
        "",
        f"- {t.size} items in this theme: {t.gap_count} customer contacts with knowledge-gap "
        f"signals and {t.idea_count} ideas from colleagues.",
        f"- Trend: {trend} ({recent} in the last 4 weeks, {before} in the 4 weeks before).",
    ]
    if ev.enough:
        lines.append(
            f"- Resolved first time: {_pct(ev.inside.resolution_rate)} of contacts in this theme "
            f"against {_pct(ev.outside.resolution_rate)} elsewhere; repeat contact "
            f"{_pct(ev.inside.repeat_rate)} against {_pct(ev.outside.repeat_rate)}."
        )
    else:
        lines.append("- Outcome figures are withheld: too few agents in this theme so far.")
    if ev.vulnerability:
        lines.append(
            f"- {ev.vulnerability} customer vulnerability cue{'s' if ev.vulnerability != 1 else ''}"
            " (bereavement, illness, job loss, financial difficulty) went unacted on."
        )
    return "\n".join(lines)


def _good(ev: Evidence) -> str:
    lines = ["## What good looks like", ""]
    for r in [r for r in ev.remedies if (r.resolution_rate or 0) > 0][:3]:
        lines.append(
            f"- **{r.action}** resolved {_pct(r.resolution_rate)} of {r.uses} contacts "
            f"where it was used."
        )
    if not ev.remedies:
        lines.append("- No remediation action has enough uses in this theme yet to compare.")
    if ev.resolved:
        lines += ["", "Contacts that were resolved well (redacted):", ""]
        lines += [f"- “{s}”" for s in ev.resolved]
    return "\n".join(lines)


def _wrong(ev: Evidence) -> str:
    lines = ["## What goes wrong", ""]
    if ev.unresolved:
        lines.append("Contacts that were not resolved (redacted):")
        lines.append("")
        lines += [f"- “{s}”" for s in ev.unresolved]
    else:
        lines.append("- No unresolved contacts in this theme yet.")
    return "\n".join(lines)


def draft_questions(ev: Evidence) -> list[CheckQuestion]:
    name = ev.theme.name
    questions: list[CheckQuestion] = []
    if ev.remedies:
        best = ev.remedies[0].action
        others = [r.action for r in ev.remedies[1:3]]
        options = [*others, *FALLBACK_ACTIONS][:3]
        # The right answer's place varies with the theme, so it is not always the first.
        at = len(name) % (len(options) + 1)
        questions.append(
            CheckQuestion(
                prompt=f"For a “{name}” contact, which action resolved the problem most often?",
                options=[*options[:at], best, *options[at:]],
                answer=at,
                explanation=f"{best} resolved {_pct(ev.remedies[0].resolution_rate)} of the "
                "contacts where it was used, the best of the actions in this theme.",
            )
        )
    if ev.vulnerability:
        questions.append(
            CheckQuestion(
                prompt=f"During a “{name}” contact the customer mentions a bereavement, illness "
                "or job loss. What do you do?",
                options=[
                    "Carry on: it is not related to the request",
                    "Acknowledge it, ask what support they need and follow the vulnerable "
                    "customer process",
                    "Transfer them to another team straight away",
                ],
                answer=1,
                explanation="Vulnerability cues were missed in this theme. Acknowledging them "
                "and adapting the service is part of delivering a good outcome.",
            )
        )
    questions.append(
        CheckQuestion(
            prompt="Before ending the contact, how do you know the customer's problem is resolved?",
            options=[
                "The customer confirms it is sorted and knows what happens next",
                "The contact has reached the target handle time",
                "The customer has stopped asking questions",
            ],
            answer=0,
            explanation="Unresolved contacts in this theme lead to repeat contact; confirm the "
            "outcome and the next step with the customer.",
        )
    )
    return questions
