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
from sqlmodel import Session

from coaching.modules.drafts import draft_from_theme
from coaching.modules.models import (
    CheckQuestion,
    CoachingModule,
    ModuleUpdate,
    ModuleVersion,
)
from coaching.modules.queries import check_questions, latest_version
from foundation.accounts import Role, User
from foundation.clock import utcnow
from foundation.errors import Conflict, Forbidden, Invalid
from foundation.form_messages import field_message
from foundation.i18n import N_, gettext
from foundation.ids import pk
from ideas.themes import queries as theme_queries

MAX_QUESTIONS = 20
# Distractors when a theme has fewer than three remediation actions with figures.


# ------------------------------------------------------------------------------- writing
def _require_author(user: User) -> None:
    if user.role not in (Role.cx_lead, Role.admin):
        raise Forbidden(N_("Only CX leads write coaching modules."))


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
    session: Session,
    theme_id: int,
    by: User,
    min_group_size: int,
    *,
    uncertainty_phrases: list[str],
    now: datetime | None = None,
) -> CoachingModule:
    """A draft module written from the theme's evidence (``coaching.modules.drafts``); the
    settings' ``min_group_size`` and ``uncertainty_phrases`` come from the caller."""
    theme = theme_queries.get_theme(session, theme_id)
    draft = draft_from_theme(
        session, theme, min_group_size, uncertainty_phrases=uncertainty_phrases, now=now
    )
    return create_module(session, draft, by, theme_id=theme.id)


def update_module(
    session: Session, module: CoachingModule, data: ModuleUpdate, by: User
) -> CoachingModule:
    """Edit the draft; it differs from the latest version unless edited back to it."""
    _require_author(by)
    if module.archived:
        raise Conflict(N_("This module is archived; it can no longer be edited."))
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
        raise Conflict(N_("This module is archived; it cannot be published."))
    if not module.body.strip():
        raise Invalid(N_("Write the module's body before publishing it."), field="body")
    try:
        questions = check_questions(module.questions)
    except ValidationError as exc:
        raise Invalid(
            N_("A check question is incomplete; fix it first."), field="questions"
        ) from exc
    if any(q.to_review for q in questions):
        raise Invalid(
            N_(
                "Review the drafted check questions before publishing: read each question "
                "marked “to review”, correct it if needed, and save the draft."
            ),
            field="questions",
        )
    for number, question in enumerate(questions, start=1):
        if question.answer >= len(question.options):
            raise Invalid(
                N_("Question %(number)s's right answer is not one of its options."),
                field="questions",
                params={"number": number},
            )
    if not module.draft_changed and module.latest_version > 0:
        raise Conflict(
            N_("Nothing has changed since version %(version)s."),
            params={"version": module.latest_version},
        )
    version = ModuleVersion(
        module_id=pk(module),
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


def review_questions(session: Session, module: CoachingModule, by: User) -> CoachingModule:
    """The CX lead has read the drafted check questions as they are (what saving the edit form
    does too): none is marked to review any more."""
    _require_author(by)
    module.questions = [{**q, "to_review": False} for q in module.questions]
    session.flush()
    return module


def archive(session: Session, module: CoachingModule, by: User) -> CoachingModule:
    """Archived modules can no longer be assigned; existing assignments stay."""
    _require_author(by)
    module.archived = True
    module.updated_at = utcnow()
    session.flush()
    return module


# --------------------------------------------------------------------------- the edit form
_QUESTION_FIELD = re.compile(r"^q(\d{1,2})-(prompt|options|answer|explanation|hint|remove)$")
# A question's fields said plainly (pydantic's words would name list lengths).
QUESTION_MESSAGES = {
    "prompt": N_("Write the question."),
    "options": N_("Give 2 to 6 options, one per line."),
}


def read_form(values: Mapping[str, str]) -> tuple[ModuleUpdate | None, dict[str, str]]:
    """The edit form as a ModuleUpdate, or the per-field errors. Question ``i`` is the fields
    ``q{i}-prompt``, ``q{i}-options`` (one per line), ``q{i}-answer`` (the right option's
    number, from 1), ``q{i}-explanation``, ``q{i}-hint`` and ``q{i}-remove``; a blank fieldset
    is ignored. Saving the form is the CX lead's review: its questions are no longer to review."""
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
        limit = gettext("A module has at most %(limit)s check questions.")
        errors["form"] = limit % {"limit": MAX_QUESTIONS}
    try:
        data = ModuleUpdate(
            title=values.get("title", "").strip(), body=values.get("body", ""), questions=[]
        )
    except ValidationError as exc:
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "form"
            message = gettext("This field is required.") if field == "title" else field_message(err)
            errors.setdefault(field, message)
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
        errors[prefix + "answer"] = gettext(
            "Give the number of the right option (1 is the first line)."
        )
        return None
    try:
        return CheckQuestion(
            prompt=fields.get("prompt", "").strip(),
            options=options,
            answer=int(answer_text) - 1,
            explanation=fields.get("explanation", "").strip(),
            hint=fields.get("hint", "").strip(),
        )
    except ValidationError as exc:
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "prompt"
            if field in QUESTION_MESSAGES:
                errors.setdefault(prefix + field, gettext(QUESTION_MESSAGES[field]))
            else:
                errors.setdefault(prefix + field, field_message(err))
        return None


# ------------------------------------------------------------------ answering the questions
@dataclass(frozen=True)
class Mark:
    prompt: str
    options: list[str]
    chosen: int
    answer: int
    explanation: str
    hint: str = ""  # shown for a wrong answer while the right one is not revealed

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
            errors[f"a{index}"] = gettext("Choose one of the answers.")
        else:
            answers.append(int(raw))
    return answers, errors


def mark(version: ModuleVersion, answers: list[int]) -> list[Mark]:
    return [
        Mark(
            q["prompt"],
            list(q["options"]),
            chosen,
            int(q["answer"]),
            q.get("explanation", ""),
            q.get("hint", ""),
        )
        for q, chosen in zip(version.questions, answers, strict=True)
    ]
