"""The shapes of the Chinese and Japanese demo words (``demo.contacts_cjk`` renders contacts from
them): per theme, per conversation part, customer names and PII sentences. The English words are
in ``demo.script``; these say the same things in the way a contact centre in Shanghai or Tokyo
would, not word for word.
"""

from __future__ import annotations

from dataclasses import dataclass

Said = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ThemeWords:
    """One ``demo.script.Theme`` in another language. ``intents`` are BANKING77 intents of the
    theme (which give the disposition and the fixes that fit, as in English): the customer's
    first messages and the agent's explanations for each. ``fixes`` follow the English theme's
    ``fixes`` one for one: (the agent's line, the note on an email contact)."""

    specialist: str
    check_note: str
    intents: dict[str, tuple[Said, Said]]  # intent: (openings, explanations)
    fixes: tuple[tuple[str, str], ...]
    questions: tuple[tuple[str, str], ...]  # (the customer asks, the agent answers)
    topics: Said  # what the agent is unsure of: Talk.uncertain's {topic}
    unresolved: Said

    @property
    def openings(self) -> dict[str, Said]:
        return {intent: said for intent, (said, _) in self.intents.items()}


Named = tuple[str, str]  # (the name as written, its romanisation for email addresses)


@dataclass(frozen=True, slots=True)
class Names:
    """Customer names: ``family`` + ``given`` (by gender); ``kana`` are whole (family, given)
    names written in katakana, used for ``kana_share`` of the customers."""

    family: tuple[Named, ...]
    given_f: tuple[Named, ...]
    given_m: tuple[Named, ...]
    honorific_f: str
    honorific_m: str
    spaced: float  # share of ``customer_name`` values written with a space between the parts
    kana: tuple[tuple[Named, Named], ...] = ()
    kana_share: float = 0.0


@dataclass(frozen=True, slots=True)
class Talk:
    """The conversation parts of one language, as ``demo.script`` has them for English. Lines
    with ``{}`` take a value; named fields are listed where they are used."""

    bank: str
    day_parts: tuple[str, str, str]  # morning, afternoon, evening: GREETINGS' {part}
    greetings: dict[str, tuple[str, ...]]  # "phone" / "chat": {part}, {bank}
    social_moved: str
    security_app: tuple[str, ...]
    security_app_reply: tuple[str, ...]
    security_app_done: tuple[str, ...]
    security_name: tuple[str, ...]
    name_reply: tuple[str, ...]  # {name}
    name_postcode_reply: str  # {name}, {postcode}
    name_thanks: tuple[str, ...]  # {polite}: the family name and honorific
    chat_name: tuple[str, ...]  # {name}
    chat_verified: tuple[str, ...]
    uncertain: tuple[str, ...]  # {topic}
    generic_topic: str
    hold_reply: tuple[str, ...]
    after_hold: tuple[str, ...]
    after_hold_fail: tuple[str, ...]
    transfer_lines: dict[str, tuple[str, ...]]  # {specialist}
    transfer_reply: tuple[str, ...]
    transfer_reply_bad: tuple[str, ...]
    complaint_ask: tuple[str, ...]
    escalate_lines: tuple[str, ...]
    escalate_ok: str
    callback_line: str
    all_sorted: str
    resolved_ask: tuple[str, ...]
    resolved_thanks: dict[str, tuple[str, ...]]
    closing: dict[str, tuple[str, ...]]  # {bank}
    pleased: tuple[str, ...]
    lukewarm: tuple[str, ...]
    sorry_closing: tuple[str, ...]
    curt_ask: tuple[str, ...]
    curt_closing: tuple[str, ...]
    unresolved_reply: tuple[str, ...]
    generic_unresolved: tuple[str, ...]
    negative_endings: tuple[str, ...]
    repeat_lines: tuple[str, ...]
    vuln_cues: dict[str, tuple[str, ...]]  # the kinds of demo.script.VULN_CUES
    vuln_handling: dict[str, tuple[str, str]]  # kind: (agent's acknowledgement, note)
    vuln_thanks: tuple[str, ...]
    vuln_ignored: tuple[str, ...]
    vuln_repeat: tuple[str, ...]
    pii: dict[str, tuple[str, ...]]  # PII kind: customer sentences, "{}" the value
    card_chat_warning: str
    notes: dict[str, str]  # email-contact notes: see demo.contacts_cjk._Renderer._notes
    weekdays: tuple[str, ...]  # Monday first


@dataclass(frozen=True, slots=True)
class Lang:
    """Everything one language needs to render contacts."""

    code: str  # "zh" or "ja"
    utc_offset: int  # the centre's local time, hours ahead of UTC (contacts are in its hours)
    themes: dict[str, ThemeWords]  # by demo.script.Theme.key
    talk: Talk
    names: Names
    phones: tuple[tuple[str, float], ...]  # (phone kind, weight) for the "mobile" PII kind
    email_domains: tuple[str, ...]
