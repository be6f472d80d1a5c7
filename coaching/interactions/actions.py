"""Contact action codes in plain words: the admin-edited labels (``ActionLabel``) and, for a
code nobody labelled, the code humanised ("KB_ARTICLE" -> "Kb article"). Nothing shown to a
person carries the raw code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from sqlalchemy import func
from sqlmodel import Session, col, select

from coaching.interactions.models import ActionLabel
from foundation.clock import utcnow
from foundation.errors import Conflict, Invalid, NotFound
from foundation.i18n import N_

CODE_MAX = 64
LABEL_MAX = 120
_SEPARATORS = re.compile(r"[\s_\-.:/]+")


def normalise(code: str) -> str:
    """The stored form of a code: trimmed, inner spaces as underscores, upper case."""
    return "_".join(_SEPARATORS.split(code.strip())).strip("_").upper()


def humanise(code: str) -> str:
    """A code nobody labelled, readable: ``KB_ARTICLE`` -> "Kb article"."""
    words = " ".join(w for w in _SEPARATORS.split(code.strip()) if w).lower()
    return words[:1].upper() + words[1:] if words else code


def labels(session: Session, codes: Iterable[str] | None = None) -> dict[str, str]:
    """Normalised code -> label, for ``codes`` (or every labelled code)."""
    query = select(ActionLabel.code, ActionLabel.label)
    if codes is not None:
        wanted = sorted({normalise(c) for c in codes})
        if not wanted:
            return {}
        query = query.where(col(ActionLabel.code).in_(wanted))
    return {code: label for code, label in session.exec(query)}


def label(code: str, known: Mapping[str, str]) -> str:
    """The code in plain words: its label in ``known`` (from ``labels``), else humanised."""
    return known.get(normalise(code)) or humanise(code)


def plain(session: Session, codes: Iterable[str]) -> dict[str, str]:
    """Each code as given -> its plain words."""
    codes = list(codes)
    known = labels(session, codes)
    return {c: label(c, known) for c in codes}


def all_labels(session: Session) -> list[ActionLabel]:
    return list(session.exec(select(ActionLabel).order_by(col(ActionLabel.code))))


# ------------------------------------------------------------------------------------ writing
def _clean_label(text: str) -> str:
    text = " ".join(text.split())
    if not 1 <= len(text) <= LABEL_MAX:
        raise Invalid(N_("Give a label of 1 to 120 characters."), field="label")
    return text


def add_label(session: Session, code: str, text: str) -> ActionLabel:
    """A label for a code not labelled yet."""
    code = normalise(code)
    if not 1 <= len(code) <= CODE_MAX:
        raise Invalid(N_("Give an action code of 1 to 64 characters."), field="code")
    text = _clean_label(text)
    existing = select(ActionLabel.id).where(func.upper(ActionLabel.code) == code)
    if session.exec(existing).first() is not None:
        raise Conflict(N_("That action code already has a label."), field="code")
    row = ActionLabel(code=code, label=text)
    session.add(row)
    session.flush()
    return row


def rename(session: Session, label_id: int, text: str) -> ActionLabel:
    row = session.get(ActionLabel, label_id)
    if row is None:
        raise NotFound(N_("No such action label."))
    row.label, row.updated_at = _clean_label(text), utcnow()
    session.add(row)
    session.flush()
    return row
