"""The evidence excerpt of a signal: the turns around its trigger, collapsed and clipped.

Evidence
    ``Customer: ... / Agent: ...``: for an agent trigger, the nearest customer turn before it and
    that agent turn; for a customer trigger, that customer turn and the next agent turn (none if
    the customer had the last word); for a field-only signal (outcome, CSAT, repeat contact;
    ``turn_index`` is ``None``), the contact's main question (the first customer turn with a
    question mark or at least six words, else the longest customer turn) and the agent's
    answer. Notes give ``Notes: ...``; no turns at all give ``(no transcript)``. White space is
    collapsed and the whole is at most ``EVIDENCE_MAX_CHARS`` (600) characters: each side keeps
    the text around the trigger phrase, otherwise the customer side keeps its end (next to the
    answer) and the agent side its start, with ``…`` where text was cut. Reasons are at most
    ``REASON_MAX_CHARS`` (300, the column's size).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from foundation.crosslingual import is_cjk

EVIDENCE_MAX_CHARS = 600
REASON_MAX_CHARS = 300
_MAIN_QUESTION_MIN_WORDS = 6

# --- evidence --------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_LABELS = {"customer": "Customer", "agent": "Agent", "notes": "Notes"}
_JOIN = " / "


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _trim(text: str, budget: int, focus: tuple[int, int] | None, keep: str) -> str:
    """At most ``budget`` characters of ``text``, squashed, keeping ``focus`` (a span) visible."""
    text_squashed = _squash(text)
    if len(text_squashed) <= budget:
        return text_squashed
    budget = max(budget, 2)
    if focus is not None:
        start, end = focus
        before = max(0, (budget - (end - start)) // 3)
        lo = max(0, start - before)
        window = text[lo:]
        # Squash first, then cut, so the budget is in output characters.
        head = "…" if lo > 0 else ""
        body = _squash(window)
        if len(head) + len(body) <= budget:
            return head + body
        return head + body[: budget - len(head) - 1].rstrip() + "…"
    if keep == "end":
        return "…" + text_squashed[-(budget - 1) :].lstrip()
    return text_squashed[: budget - 1].rstrip() + "…"


def _evidence(
    turns: list[dict[str, str]],
    customer_index: int | None,
    agent_index: int | None,
    *,
    focus_index: int | None = None,
    focus: tuple[int, int] | None = None,
) -> str:
    parts: list[tuple[int, str]] = []  # (turn index, keep side)
    if customer_index is not None:
        parts.append((customer_index, "end"))
    if agent_index is not None:
        parts.append((agent_index, "start"))
    if not parts:
        return "(no transcript)"
    labels = [f"{_LABELS.get(turns[i].get('speaker', ''), 'Notes')}: " for i, _ in parts]
    overhead = sum(len(label) for label in labels) + len(_JOIN) * (len(parts) - 1)
    available = EVIDENCE_MAX_CHARS - overhead
    lengths = [len(_squash(turns[i]["text"])) for i, _ in parts]
    budgets = [available // len(parts)] * len(parts)
    spare = sum(max(0, b - n) for b, n in zip(budgets, lengths, strict=True))
    for k, (b, n) in enumerate(zip(budgets, lengths, strict=True)):
        if n > b:
            extra = min(spare, n - b)
            budgets[k] += extra
            spare -= extra
    out = []
    for (i, keep), label, budget in zip(parts, labels, budgets, strict=True):
        span = focus if i == focus_index else None
        out.append(label + _trim(turns[i]["text"], budget, span, keep))
    return _JOIN.join(out)


def _previous(turns: list[dict[str, str]], index: int, speaker: str) -> int | None:
    for i in range(index - 1, -1, -1):
        if turns[i].get("speaker") == speaker:
            return i
    return None


def _next(turns: list[dict[str, str]], index: int, speaker: str) -> int | None:
    for i in range(index + 1, len(turns)):
        if turns[i].get("speaker") == speaker:
            return i
    return None


def _agent_evidence(turns: list[dict[str, str]], index: int, span: tuple[int, int]) -> str:
    return _evidence(
        turns, _previous(turns, index, "customer"), index, focus_index=index, focus=span
    )


def _cue_evidence(turns: list[dict[str, str]], index: int, span: tuple[int, int]) -> str:
    if turns[index].get("speaker") == "notes":
        return _evidence(turns, None, index, focus_index=index, focus=span)
    return _evidence(turns, index, _next(turns, index, "agent"), focus_index=index, focus=span)


def _words(text: str) -> int:
    """Words for length rules: space-separated ones, and for Chinese and Japanese (no spaces)
    one per two characters, about what a word is there."""
    if is_cjk(text):
        return len("".join(text.split())) // 2
    return len(text.split())


def _main_question(turns: list[dict[str, str]]) -> int | None:
    """The customer's first real question (or, failing that, their longest turn)."""
    customer = [i for i, t in enumerate(turns) if t.get("speaker") == "customer"]
    return next(
        (
            i
            for i in customer
            if "?" in turns[i]["text"]
            or "？" in turns[i]["text"]  # Chinese and Japanese question mark
            or _words(turns[i]["text"]) >= _MAIN_QUESTION_MIN_WORDS
        ),
        max(customer, key=lambda i: len(turns[i]["text"]), default=None),
    )


def main_question(turns: list[dict[str, str]]) -> str:
    """What the contact was about, in the customer's (redacted) words; "" when they said nothing."""
    main = _main_question(turns)
    return turns[main]["text"] if main is not None else ""


def resolution(turns: list[dict[str, str]], phrases: Sequence[str]) -> str:
    """How the agent answered the main question: their longest turn after it that is neither
    unsure (``phrases``) nor the closing pleasantries; "" when there is none."""
    main = _main_question(turns)
    after = [
        t["text"]
        for t in turns[(main or 0) + 1 :]
        if t.get("speaker") == "agent" and not any(p in t["text"].lower() for p in phrases)
    ]
    body = after[:-1] if len(after) > 2 else after  # the last agent turn is usually goodbye
    return max(body, key=_words, default="")


def _main_evidence(turns: list[dict[str, str]]) -> str:
    """The contact's main question and the agent's answer, for field-only signals."""
    main = _main_question(turns)
    if main is not None:
        return _evidence(turns, main, _next(turns, main, "agent"))
    agent = next((i for i, t in enumerate(turns) if t.get("speaker") == "agent"), None)
    if agent is not None:
        return _evidence(turns, None, agent)
    notes = next((i for i, t in enumerate(turns) if t.get("speaker") == "notes"), None)
    return _evidence(turns, None, notes)


def _reason(text: str) -> str:
    return _clip(text, REASON_MAX_CHARS)
