"""Synthetic demo contacts in Chinese (the Shanghai team) and Japanese (the Tokyo team), in the
interaction-log import format, on the English demo's themes.

They are planned exactly as the English ones are (``demo.interactions``' planner: the same
themes and dispositions, outcome, uncertainty, vulnerability and repeat-contact rates, agent
profiles by position, the payments incident), so the shares in that module's table hold here too;
only the words differ. Every word was written for this project (``demo.topics_zh``,
``demo.topics_zh_money``, ``demo.topics_ja``, ``demo.topics_ja_money``: what each theme's contacts
say; ``demo.words_zh`` / ``demo.words_ja``: the conversation parts; ``demo.pii_cjk``: the PII): no
customer, agent or conversation is real, and no BANKING77 text is used.
Contacts fall in the centre's own business hours (``Lang.utc_offset``), stored in UTC.

Synthetic PII is realistic in shape and sits the way Chinese and Japanese are written, so the
import's redaction has something to find: digits touching CJK characters on both sides, Chinese
mobiles (``138 0013 8000``, ``+86`` forms) and Shanghai / Beijing landlines, Japanese mobiles and
landlines (``090-1234-5678``, ``03-1234-5678``), UK mobiles in Ofcom's drama range, cards that
pass Luhn, sort codes and account numbers, UK postcodes, emails on example domains next to CJK
text, Chinese resident ID numbers and Japanese My Numbers that pass their checksums, and about one
number in six in full-width characters. The customer's name is in ``customer_name`` in the
transcript's script (Han, kanji, hiragana given names, some wholly in katakana), with or without a
space between the parts; agents address them by family name and honorific (王先生, 山田様).
``generate_with_pii`` also yields each row's invented values, so a test can check that none
survives the import.

Transcripts keep the English speaker labels (``Agent:`` / ``Customer:``), as a contact-centre
platform's export does whatever language is spoken, so the importer's turn parser reads them;
dispositions and action codes are the bank's one English taxonomy.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime

from demo import topics_ja, topics_ja_money, topics_zh, topics_zh_money, words_ja, words_zh
from demo.interactions import PROFILES, Profile, _Contact, _Planner
from demo.lang import Lang, ThemeWords
from demo.pii_cjk import PII_WEIGHTS, Person, Pii, person
from demo.script import MERCHANTS, PII_RATE, PII_RATE_EMAIL

LANGS: dict[str, Lang] = {
    "zh": Lang(
        "zh",
        8,
        topics_zh.THEMES | topics_zh_money.THEMES,
        words_zh.TALK,
        words_zh.NAMES,
        words_zh.PHONES,
        words_zh.DOMAINS,
    ),
    "ja": Lang(
        "ja",
        9,
        topics_ja.THEMES | topics_ja_money.THEMES,
        words_ja.TALK,
        words_ja.NAMES,
        words_ja.PHONES,
        words_ja.DOMAINS,
    ),
}


Said = Callable[[str], None]


class _Renderer:
    def __init__(
        self,
        rng: random.Random,
        lang: Lang,
        agents: Sequence[tuple[str, str]],
        people: list[Person],
        customer_ids: list[str],
    ) -> None:
        self.rng, self.lang, self.talk = rng, lang, lang.talk
        self.agents, self.people, self.customer_ids = agents, people, customer_ids

    def row(self, index: int, prefix: str, c: _Contact) -> tuple[dict[str, str], tuple[str, ...]]:
        code, team = self.agents[c.agent]
        who = self.people[c.customer]
        pii = Pii(self.rng, self.lang, who)
        kinds = self._pii_kinds(c)
        values = self._values(c)
        if c.channel == "email":
            transcript = self._notes(c, pii, kinds, values)
        else:
            transcript = self._turns(c, pii, kinds, values)
        when = datetime.fromtimestamp(c.ts - self.lang.utc_offset * 3600, UTC)
        row = {
            "interaction_id": f"INT-{prefix}-{index:06d}",
            "occurred_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "agent_id": code,
            "team": team,
            "channel": c.channel,
            "customer_id": self.customer_ids[c.customer],
            "customer_name": who.column,
            "disposition": c.theme.disposition,
            "outcome": c.outcome,
            "csat": c.csat,
            "handle_seconds": str(c.handle),
            "actions": ";".join(c.actions),
            "transcript": transcript,
        }
        return row, tuple(dict.fromkeys(pii.values))

    def _pii_kinds(self, c: _Contact) -> list[str]:
        rng = self.rng
        if rng.random() >= (PII_RATE_EMAIL if c.channel == "email" else PII_RATE):
            return []
        count = rng.choices((1, 2, 3), (55, 30, 15))[0]
        kinds: list[str] = []
        while len(kinds) < count:
            kind = rng.choices(list(PII_WEIGHTS), list(PII_WEIGHTS.values()))[0]
            if kind not in kinds:
                kinds.append(kind)
        return kinds

    def _values(self, c: _Contact) -> dict[str, str]:
        rng = self.rng
        return {
            "days": str(rng.randint(2, 6)),
            "amount": f"£{rng.randint(5, 450)}.{rng.randint(0, 99):02d}",
            "fee": f"£{rng.choice((0.5, 1.0, 2.5, 2.99, 3.5, 5.0)):.2f}",
            "merchant": rng.choice(MERCHANTS),
            "weekday": rng.choice(self.talk.weekdays),
            "bank": self.talk.bank,
        }

    def _words(self, c: _Contact) -> ThemeWords:
        return self.lang.themes[c.theme.key]

    def _fix(self, c: _Contact, v: dict[str, str]) -> tuple[str, str]:
        if c.fix is None:
            return "", ""
        line, note = self._words(c).fixes[c.theme.fixes.index(c.fix)]
        return line.format(**v), note.format(**v)

    def _topic(self, c: _Contact) -> str:
        topics = self._words(c).topics
        return self.rng.choice(topics) if topics else self.talk.generic_topic

    def _unresolved(self, c: _Contact) -> str:
        lines = self._words(c).unresolved
        if lines and self.rng.random() < 0.75:
            return self.rng.choice(lines)
        return self.rng.choice(self.talk.generic_unresolved)

    # -- the customer's PII, in their words (with the agent's warning about cards in chat)
    def _pii_lines(self, pii: Pii, kinds: list[str], chat: bool) -> list[tuple[str, str]]:
        rng, said = self.rng, self.talk.pii
        out: list[tuple[str, str]] = []
        for kind in kinds:
            if kind == "phone":
                phone_kind, number = pii.phone()
                out.append(("Customer", rng.choice(said[phone_kind]).format(number)))
            elif kind == "bank_account":
                sort_code, account = pii.bank_account()
                out.append(("Customer", rng.choice(said[kind]).format(sort_code, account)))
            else:  # card, email, postcode, id_number
                out.append(("Customer", rng.choice(said[kind]).format(getattr(pii, kind)())))
                if kind == "card" and chat:
                    out.append(("Agent", self.talk.card_chat_warning))
        return out

    def _turns(self, c: _Contact, pii: Pii, kinds: list[str], v: dict[str, str]) -> str:
        rng, t = self.rng, self.talk
        ch = "chat" if c.channel in ("chat", "social") else "phone"
        lines: list[str] = []

        def agent(text: str) -> None:
            lines.append("Agent: " + text)

        def customer(text: str) -> None:
            lines.append("Customer: " + text)

        hour = (c.ts % 86400) // 3600  # planned in the centre's local hours
        part = t.day_parts[0 if hour < 11 else 1 if hour < 18 else 2]
        if c.channel != "social":
            agent(rng.choice(t.greetings[ch]).format(part=part, bank=t.bank))
        customer(c.opening.format(**v))
        if c.repeat:
            customer(rng.choice(t.repeat_lines))
        if c.channel == "social":
            agent(t.social_moved)
        rest = [k for k in kinds if k != "name"]
        self._security(pii, "name" in kinds, ch, rest, agent, customer)
        agent(rng.choice(self._words(c).intents[c.intent][1]).format(**v))
        for speaker, text in self._pii_lines(pii, rest, ch == "chat"):
            lines.append(f"{speaker}: {text}")
        self._vulnerability(c, agent, customer)
        questions = self._words(c).questions
        if questions and rng.random() < 0.5:
            question, answer = rng.choice(questions)
            customer(question)
            if not c.uncertain:
                agent(answer)
        if c.uncertain:
            agent(rng.choice(t.uncertain).format(topic=self._topic(c)))
            customer(rng.choice(t.hold_reply))
            agent(rng.choice(t.after_hold if c.outcome == "resolved" else t.after_hold_fail))
        self._ending(c, ch, self._fix(c, v)[0], agent, customer)
        return "\n".join(lines)

    def _security(
        self, pii: Pii, named: bool, ch: str, rest: list[str], agent: Said, customer: Said
    ) -> None:
        rng, t, who = self.rng, self.talk, pii.person
        if named:
            pii.values.extend((who.said, who.polite))
        if ch == "phone" and named:
            agent(rng.choice(t.security_name))
            if "postcode" in rest:
                rest.remove("postcode")
                customer(t.name_postcode_reply.format(name=who.said, postcode=pii.postcode()))
            else:
                customer(rng.choice(t.name_reply).format(name=who.said))
            agent(rng.choice(t.name_thanks).format(polite=who.polite))
        elif ch == "phone":
            agent(rng.choice(t.security_app))
            customer(rng.choice(t.security_app_reply))
            agent(rng.choice(t.security_app_done))
        elif named:
            customer(rng.choice(t.chat_name).format(name=who.said))
            agent(rng.choice(t.name_thanks).format(polite=who.polite))
        elif rng.random() < 0.5:
            agent(rng.choice(t.chat_verified))

    def _vulnerability(self, c: _Contact, agent: Said, customer: Said) -> None:
        rng, t = self.rng, self.talk
        if not c.vuln:
            return
        customer(rng.choice(t.vuln_cues[c.vuln]))
        if c.vuln_handled:
            agent(t.vuln_handling[c.vuln][0])
            customer(rng.choice(t.vuln_thanks))
            return
        agent(rng.choice(t.vuln_ignored))
        if rng.random() < 0.4:
            customer(rng.choice(t.vuln_repeat))
            agent(rng.choice(t.vuln_ignored))

    def _ending(self, c: _Contact, ch: str, fix_line: str, agent: Said, customer: Said) -> None:
        rng, t = self.rng, self.talk
        curt = PROFILES.get(c.agent, Profile()).curt
        if c.outcome == "resolved":
            agent(fix_line or t.all_sorted)
            customer(rng.choice(t.lukewarm if c.negative else t.pleased))
            if c.negative:
                agent(rng.choice(t.curt_ask if curt else t.resolved_ask))
                customer(rng.choice(t.negative_endings))
                return
            agent(rng.choice(t.curt_ask if curt else t.resolved_ask))
            customer(rng.choice(t.resolved_thanks[ch]))
            agent(rng.choice(t.curt_closing if curt else t.closing[ch]).format(bank=t.bank))
        elif c.outcome == "transferred":
            specialist = self._words(c).specialist
            agent(rng.choice(t.transfer_lines[ch]).format(specialist=specialist))
            if c.negative:
                customer(rng.choice(t.transfer_reply_bad))
                customer(rng.choice(t.negative_endings))
            else:
                customer(rng.choice(t.transfer_reply))
        elif c.outcome == "escalated":
            if c.fix_shown and fix_line:
                agent(fix_line)
            customer(rng.choice(t.complaint_ask))
            agent(rng.choice(t.escalate_lines))
            customer(rng.choice(t.negative_endings) if c.negative else t.escalate_ok)
        else:  # unresolved
            if c.fix_shown and fix_line:
                agent(fix_line)
            agent(self._unresolved(c))
            if c.callback:
                agent(t.callback_line)
            customer(rng.choice(t.negative_endings if c.negative else t.unresolved_reply))
            if not c.negative:
                agent(rng.choice(t.curt_closing if curt else t.sorry_closing).format(bank=t.bank))

    def _notes(self, c: _Contact, pii: Pii, kinds: list[str], v: dict[str, str]) -> str:
        rng, n, words = self.rng, self.talk.notes, self._words(c)
        lines = [n["opening"].format(c.opening.format(**v))]
        if c.repeat:
            lines.append(n["repeat"])
        if c.vuln:
            lines.append(n["vuln"].format(rng.choice(self.talk.vuln_cues[c.vuln])))
        for kind in kinds:
            if kind == "name":
                pii.values.append(pii.person.said)
                lines.append(n["name"].format(pii.person.said))
            elif kind == "phone":
                lines.append(n["phone"].format(pii.phone()[1]))
            elif kind == "bank_account":
                lines.append(n[kind].format(*pii.bank_account()))
            else:
                lines.append(n[kind].format(getattr(pii, kind)()))
        lines.append(words.check_note)
        if c.vuln and c.vuln_handled:
            lines.append(n["vuln_handled"].format(self.talk.vuln_handling[c.vuln][1]))
        if c.uncertain:
            lines.append(n["uncertain"].format(self._topic(c)))
        lines.extend(self._notes_outcome(c, self._fix(c, v)[1]))
        if c.negative:
            lines.append(n["negative"])
        return "\n".join(lines)

    def _notes_outcome(self, c: _Contact, fix_note: str) -> list[str]:
        n = self.talk.notes
        if c.outcome == "resolved":
            return [n["resolved"].format(fix_note).strip()]
        if c.outcome == "transferred":
            return [n["transferred"].format(self._words(c).specialist)]
        shown = [fix_note] if c.fix_shown and fix_note else []
        if c.outcome == "escalated":
            return [*shown, n["escalated_complaint" if c.complaint else "escalated"]]
        return [*shown, n["holding"], *([n["callback"]] if c.callback else [])]


# ------------------------------------------------------------------------- public API


def generate_with_pii(
    n: int,
    *,
    lang: str,
    agents: Sequence[tuple[str, str]],
    start: datetime,
    days: int = 84,
    seed: int = 2026,
    prefix: str = "",
) -> Iterator[tuple[dict[str, str], tuple[str, ...]]]:
    """``n`` synthetic contacts in ``lang`` ("zh" or "ja") as import rows (``COLUMNS``, all
    strings, in time order) with the PII values written into each; the same arguments give the
    same rows. ``agents`` are ``(agent_code, team_name)``; ``prefix`` goes into the interaction
    ids (``INT-<prefix>-000001``); ``start``'s date (UTC) is the first day."""
    if n < 0:
        raise ValueError("n must be zero or more")
    if days < 1:
        raise ValueError("days must be at least 1")
    if not agents:
        raise ValueError("at least one agent is needed")
    words = LANGS[lang]
    if start.tzinfo is not None:
        start = start.astimezone(UTC)
    midnight = int(datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp())
    return _rows(n, seed, words, list(agents), midnight, days, prefix or lang.upper())


def generate(
    n: int,
    *,
    lang: str,
    agents: Sequence[tuple[str, str]],
    start: datetime,
    days: int = 84,
    seed: int = 2026,
    prefix: str = "",
) -> Iterator[dict[str, str]]:
    """The rows of ``generate_with_pii``, without the PII values."""
    rows = generate_with_pii(
        n, lang=lang, agents=agents, start=start, days=days, seed=seed, prefix=prefix
    )
    return (row for row, _ in rows)


def _rows(
    n: int,
    seed: int,
    lang: Lang,
    agents: list[tuple[str, str]],
    base: int,
    days: int,
    prefix: str,
) -> Iterator[tuple[dict[str, str], tuple[str, ...]]]:
    if n == 0:
        return
    texts = {i: said for words in lang.themes.values() for i, said in words.openings.items()}
    # Seeded on purpose: the rows are synthetic and must repeat exactly.
    planner = _Planner(random.Random(seed), n, agents, base, days, texts)  # noqa: S311
    contacts = planner.plan()
    rng = random.Random(seed * 1_000_003 + 29)  # noqa: S311
    people = [person(rng, lang) for _ in planner.customers]
    numbers = rng.sample(range(1_000_000, 10_000_000), len(people))
    ids = [f"{prefix}-C{number}" for number in numbers]
    renderer = _Renderer(rng, lang, agents, people, ids)
    for index, contact in enumerate(contacts, start=1):
        yield renderer.row(index, prefix, contact)
