"""What an outcomes report holds, and how it is stored whole in its snapshot (JSON).

A report is built once (``coaching.reports.queries.build``), written into a
``ReportSnapshot`` as JSON and read back from it unchanged: later assignments, completions and
plan changes never reach a report already generated. Stored values are plain data (numbers,
dates, enum values, the names as they stood); words are chosen where the report is shown, in
the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from coaching.guides.models import GuideStatus
from coaching.modules import effect as effect_module
from ideas.themes.duty import DutyOutcome
from ideas.themes.models import PlanStatus, ThemeStatus

FORMAT = 1  # the layout of the stored JSON; a later layout reads the earlier ones too


@dataclass(frozen=True)
class Source:
    """What the report was built from."""

    imported_up_to: datetime | None  # the latest interaction imported when it was generated
    contacts: int  # interactions dated in the period
    ideas: int  # ideas submitted in the period
    themes: int  # live themes


@dataclass(frozen=True)
class Plan:
    owner: str | None
    due: date | None
    status: PlanStatus


@dataclass(frozen=True)
class ModuleLine:
    id: int
    title: str
    version: int  # latest published version, 0 for a draft never published
    effect: dict[str, Any]  # ``effect.Effect.to_json()`` as it stood at generation

    @property
    def figures(self) -> effect_module.Effect:
        return effect_module.Effect.from_json(self.effect)


@dataclass(frozen=True)
class GuideLine:
    id: int
    title: str
    status: GuideStatus


@dataclass(frozen=True)
class Completion:
    """Assignments of the theme's modules made in the period, as they stood at its end."""

    assigned: int = 0
    completed: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class Responses:
    """Ideas submitted in the period: answered within the promise, of those whose promise has
    come due (or that were answered, late or not)."""

    ideas: int = 0
    on_time: int = 0
    due: int = 0

    @property
    def share(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass(frozen=True)
class ThemeRow:
    theme_id: int
    name: str
    status: ThemeStatus
    duty: DutyOutcome  # the CX lead's choice, or the suggestion
    duty_chosen: bool  # False: suggested from the evidence
    ideas: int  # idea members that occurred in the period
    gaps: int  # interactions with gap evidence in the period
    plan: Plan | None
    modules: list[ModuleLine] = field(default_factory=list)
    guides: list[GuideLine] = field(default_factory=list)
    completion: Completion = Completion()
    responses: Responses = Responses()
    weekly: list[int] = field(default_factory=list)  # members per week of the report
    vulnerable: int = 0  # missed vulnerability signals in its evidence in the period

    @property
    def acted_on(self) -> bool:
        """A plan, a module or a guide: something was done about it."""
        return self.plan is not None or bool(self.modules) or bool(self.guides)

    @property
    def size(self) -> int:
        return self.ideas + self.gaps


@dataclass(frozen=True)
class OutcomeSummary:
    """One Consumer Duty outcome's line on the summary page."""

    outcome: DutyOutcome
    themes: int
    acted_on: int
    evidence: int  # ideas and interactions in its themes
    coached: int  # agents who completed its themes' modules
    largest: str | None  # its largest theme's name


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    generated_at: datetime
    min_group_size: int
    effect_days: int
    working_days: int
    rows: list[ThemeRow]
    overall: Responses
    source: Source
    weeks: list[date] = field(default_factory=list)  # the Mondays of the report's weeks
    vulnerable_weekly: list[int] = field(default_factory=list)  # missed, all contacts

    @property
    def found(self) -> list[ThemeRow]:
        """Themes with evidence in the period."""
        return [r for r in self.rows if r.size]

    @property
    def acted(self) -> list[ThemeRow]:
        return [r for r in self.rows if r.acted_on]

    @property
    def unacted(self) -> list[ThemeRow]:
        return [r for r in self.rows if not r.acted_on and r.size]

    @property
    def coached(self) -> int:
        return sum(r.completion.completed for r in self.rows)

    @property
    def vulnerable_missed(self) -> int:
        return sum(self.vulnerable_weekly)

    @property
    def effects(self) -> list[tuple[ThemeRow, ModuleLine]]:
        """Every module's effect, the ones with an estimate first."""
        lines = [(r, m) for r in self.acted for m in r.modules]
        return sorted(lines, key=lambda rm: not rm[1].figures.enough)

    @property
    def outcomes(self) -> list[OutcomeSummary]:
        found = []
        for outcome in DutyOutcome:
            rows = [r for r in self.found if r.duty == outcome] + [
                r for r in self.acted if r.duty == outcome and not r.size
            ]
            largest = max(rows, key=lambda r: r.size, default=None)
            found.append(
                OutcomeSummary(
                    outcome=outcome,
                    themes=len(rows),
                    acted_on=len([r for r in rows if r.acted_on]),
                    evidence=sum(r.size for r in rows),
                    coached=sum(r.completion.completed for r in rows),
                    largest=largest.name if largest and largest.size else None,
                )
            )
        return found

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, **_plain(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        return _report(data)


# ------------------------------------------------------------------------------ JSON
def _plain(value: Any) -> Any:
    """Dataclasses, dates and enums as JSON values (enums by value)."""
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value  # str enums are str; numbers, None and dicts as they are


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _row(d: dict[str, Any]) -> ThemeRow:
    plan = d["plan"]
    return ThemeRow(
        theme_id=d["theme_id"],
        name=d["name"],
        status=ThemeStatus(d["status"]),
        duty=DutyOutcome(d["duty"]),
        duty_chosen=d["duty_chosen"],
        ideas=d["ideas"],
        gaps=d["gaps"],
        plan=Plan(plan["owner"], _date(plan["due"]), PlanStatus(plan["status"])) if plan else None,
        modules=[ModuleLine(m["id"], m["title"], m["version"], m["effect"]) for m in d["modules"]],
        guides=[GuideLine(g["id"], g["title"], GuideStatus(g["status"])) for g in d["guides"]],
        completion=Completion(**d["completion"]),
        responses=Responses(**d["responses"]),
        weekly=list(d["weekly"]),
        vulnerable=d["vulnerable"],
    )


def _report(d: dict[str, Any]) -> Report:
    source = d["source"]
    generated_at = _time(d["generated_at"])
    assert generated_at is not None
    return Report(
        start=date.fromisoformat(d["start"]),
        end=date.fromisoformat(d["end"]),
        generated_at=generated_at,
        min_group_size=d["min_group_size"],
        effect_days=d["effect_days"],
        working_days=d["working_days"],
        rows=[_row(r) for r in d["rows"]],
        overall=Responses(**d["overall"]),
        source=Source(
            _time(source["imported_up_to"]), source["contacts"], source["ideas"], source["themes"]
        ),
        weeks=[date.fromisoformat(w) for w in d["weeks"]],
        vulnerable_weekly=list(d["vulnerable_weekly"]),
    )
