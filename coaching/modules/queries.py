"""Reading coaching modules: lookups, versions, check questions."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from coaching.modules.models import CheckQuestion, CoachingModule, ModuleVersion
from foundation.errors import NotFound
from foundation.i18n import N_
from ideas.themes.models import Theme


# ------------------------------------------------------------------------------- lookups
def get_module(session: Session, module_id: int) -> CoachingModule:
    module = session.get(CoachingModule, module_id)
    if module is None:
        raise NotFound(N_("No such coaching module"))
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
