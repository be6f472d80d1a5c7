"""Splitting an interaction transcript into speaker turns.

``parse_turns(text)`` returns ``[{"speaker": "agent" | "customer" | "notes", "text": ...}]``.

Rules:

- A turn starts at a speaker label at the start of a line (leading spaces allowed), matched
  case-insensitively, followed by ``:`` (``Agent:``, ``AGENT :``, or the full-width ``：`` that
  Chinese and Japanese keyboards type: ``Agent：``) or by a dash with a space
  before it (``Agent - ``, or an en or em dash). A dash glued to the word
  (``Customer-facing``) is not a label.
- Agent labels: ``Agent``, ``Advisor``, ``Adviser``, ``Rep``, ``Representative``, ``CSR``,
  ``Colleague``, ``System`` (the Schema-Guided Dialogue data's virtual agent).
  Customer labels: ``Customer``, ``Cust``, ``Caller``, ``Member``, ``Client``, ``User`` (the
  Schema-Guided Dialogue data's customer). Chinese and Japanese labels: ``坐席`` / ``座席`` /
  ``客服`` / ``客服代表`` / ``オペレーター`` / ``担当者`` (agent), ``客户`` / ``顾客`` / ``客戶`` /
  ``お客様`` / ``顧客`` (customer).
- A label may carry a number or a short bracketed name (``Agent 2:``, ``Agent (Sam):``) and may
  be preceded by a clock time (``[10:32] Agent:``, ``10:32:05 - Customer:``).
- A turn runs until the next label, so multi-line turns are kept whole (lines joined with
  ``\\n``, surrounding blank space stripped). A label with nothing after it makes no turn.
- Text before the first label (a header, a note) is kept as a ``notes`` turn, so nothing is
  dropped. A text with no recognisable label at all is one ``notes`` turn; an empty or blank text
  gives ``[]``.
- Consecutive turns by the same speaker stay separate; nothing is merged or reordered.

The pattern is compiled once at import; parsing is one ``finditer`` over the text.
"""

from __future__ import annotations

import re

_AGENT_LABELS = (
    "agent",
    "advisor",
    "adviser",
    "representative",
    "rep",
    "csr",
    "colleague",
    "system",
    # Chinese and Japanese contact centres' own labels.
    "坐席",
    "座席",
    "客服",
    "客服代表",
    "オペレーター",
    "担当者",
)
_CUSTOMER_LABELS = ("customer", "cust", "caller", "member", "client", "user")
_CUSTOMER_LABELS_CJK = ("客户", "顾客", "客戶", "お客様", "顧客")
_SPEAKER = {label: "agent" for label in _AGENT_LABELS} | {
    label: "customer" for label in _CUSTOMER_LABELS + _CUSTOMER_LABELS_CJK
}

_LABEL = re.compile(
    r"^[ \t]*"
    # optional clock time: [10:32], (10:32:05), 10:32 am -
    r"(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*[ap]\.?m\.?)?[\])]?[ \t]*"
    r"(?:[-\u2013\u2014][ \t]*)?)?"
    r"(?P<label>" + "|".join(sorted(_SPEAKER, key=len, reverse=True)) + r")\b"
    # optional number or short bracketed name: Agent 2, Agent (Sam)
    r"(?:[ \t]*(?:\d{1,3}|\([^()\n]{1,40}\)))?"
    # separator: a colon, or a dash with a space before it
    r"(?:[ \t]*[:\uff1a]|[ \t]+[-\u2013\u2014]+(?=[ \t]|$))[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)


def parse_turns(text: str) -> list[dict[str, str]]:
    """Split ``text`` into speaker turns; see the module docstring for the rules."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    turns: list[dict[str, str]] = []
    matches = list(_LABEL.finditer(text))
    if not matches:
        notes = text.strip()
        return [{"speaker": "notes", "text": notes}] if notes else []
    preamble = text[: matches[0].start()].strip()
    if preamble:
        turns.append({"speaker": "notes", "text": preamble})
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = text[match.end() : end].strip()
        if body:
            turns.append({"speaker": _SPEAKER[match.group("label").lower()], "text": body})
    return turns
