"""Synthetic demo interactions for a UK bank contact centre, in the interaction-log import format.

Every interaction here is synthetic: generated from a seed by the templates in this module, for
demos, tests and benchmarks. No real customer, agent or conversation is in it. The one exception
is each contact's opening customer message, which is a real query from BANKING77 (Casanueva et
al., "Efficient Intent Detection with Dual Sentence Encoders", NLP4ConvAI 2020; PolyAI,
CC BY 4.0), read from ``data_dir / "banking77"``: the query is picked by its intent and the intent
gives the contact's theme and disposition. Multi-line BANKING77 queries are skipped and the rest
are used stripped of surrounding spaces, otherwise unmodified.

Synthetic PII is realistic in shape so redaction has something to find: card numbers pass Luhn,
mobiles are in UK mobile ranges, landlines are in Ofcom's drama ranges (e.g. 020 7946 0xxx),
emails use the reserved example domains, NI numbers use valid prefixes. Names are drawn from
fixed lists; the same customer keeps one name, in ``customer_name``, for the importer to redact
and then drop.

Rows (see ``COLUMNS``, all values strings) are in time order, ``INT-000001`` first. Shares for
5,000 rows and 20 agents in three teams (the mean over seeds 1-20; the tests check seed 2026
against the ranges on the right):

=========================================  =========  =========================================
what                                       about      range the tests accept
=========================================  =========  =========================================
channel phone / chat                       60% / 33%  54-64% / 29-39%
channel email (free-text notes) / social   5% / 2%    3-7% / 0.5-4%
outcome resolved                           64%        56-72%
outcome unresolved                         14%        8-19%
outcome transferred                        14%        8-19%
outcome escalated                          9%         4-12%
csat empty                                 30%        25-35%
agent uncertainty in the text              13%        9-20%
customer vulnerability cue                 15%        10-20%
... of which missed (no VULN_FLAG)         38%        25-50%
customer PII in the text                   20%        14-27%
negative ending                            20%        12-30%
customers contacting again within 7 days   12%        8-17%
=========================================  =========  =========================================

Repeat contacts mostly follow an unresolved, transferred or escalated contact (same customer,
same intent, same team, within 7 days); a few customers come back weeks later about something
else. Uncertainty is phrased as "I'm not sure ...", "let me check with my team leader", "bear
with me while I ask ...", "check with a colleague", "I don't know ... off the top of my head" or
"not a hundred percent sure" (email notes: "Not sure ...; asked team leader"), and nowhere else
in agent text. Vulnerability cues (bereavement, job loss, illness, arrears, scams, low digital
confidence) are either acknowledged with ``VULN_FLAG`` and a referral code, or ignored with no
such code.

Contacts fall in business hours (Mon-Fri 08-20, Sat 09-17, Sun 10-16, times in UTC), Mondays
busiest. Over 56 days or more, weeks 7 and 8 carry a payments incident: transfer contacts
(theme ``transfers``) run at 2.5 times their usual rate, so trend views have a spike to show.
Over 70 days or more, Severn's agents complete coaching on disputed payments from day 40 (see
``coaching_days``) and are unsure on that theme far less often afterwards.

Agents are given as ``(agent_code, team_name)``; behaviour depends on the position in that list
(the demo users' order, where position ``i`` is in team ``i % 3`` of Thames, Severn, Trent):

- ``agents[1]`` (Severn in the demo) is uncertain on disputed card payments: theme
  ``disputed_payment``, ~70% of those contacts show uncertainty against ~15% for the others;
- ``agents[2]`` (Trent) misses vulnerability cues: ~85% missed against ~35%;
- ``agents[3]`` (Thames) transfers identity and account-access contacts (~50% against ~15%);
- ``agents[4]`` (Severn) is uncertain on exchange rates and international payments (``fx``);
- ``agents[5]`` (Trent) handles vulnerability well (~5% missed);
- ``agents[6]`` (Thames) is curt: more escalations, negative endings and lower CSAT.

Team names steer the mix of themes: Thames (retail banking: transfers, identity, account access),
Severn (cards and payments: card problems, disputes, lost cards, exchange rates), Trent
(collections and arrears: fees, disputes, declined payments, and vulnerability cues in ~26% of
its contacts against ~10% elsewhere). Other team names get an even mix.

Action codes (``actions``, ``;``-separated, in the order taken): see ``ACTIONS``.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import json
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import accumulate
from pathlib import Path

from coaching.interactions.importer import COLUMNS
from demo.script import (
    AFTER_HOLD,
    AFTER_HOLD_FAIL,
    BANK,
    CALLBACK_LINE,
    CHANNEL_WEIGHTS,
    CHAT_VERIFIED,
    CLOSING,
    COMPLAINT_ASK,
    CSAT_MISSING,
    CURT_ASK,
    CURT_CLOSING,
    EMAIL_DOMAINS,
    ESCALATE_LINES,
    EXPLAIN_FALLBACK,
    FIRST_NAMES,
    GENERIC_TOPIC,
    GENERIC_UNRESOLVED,
    GREETINGS,
    HOLD_REPLY,
    HOUR_WEIGHTS,
    INCIDENT_DAYS,
    INCIDENT_FACTOR,
    INCIDENT_THEME,
    INTENT_EXPLAIN,
    INWARD_LETTERS,
    LANDLINE_RANGES,
    LAST_NAMES,
    LUKEWARM,
    MERCHANTS,
    NEGATIVE_ENDINGS,
    NI_BAD_PREFIXES,
    NI_FIRST,
    NI_SECOND,
    OUTWARD_CODES,
    PII_RATE,
    PII_RATE_EMAIL,
    PII_WEIGHTS,
    PLEASED,
    REPEAT_LINES,
    RESOLVED_ASK,
    RESOLVED_THANKS,
    SECURITY_APP,
    SECURITY_APP_DONE,
    SECURITY_APP_REPLY,
    SECURITY_NAME,
    SORRY_CLOSING,
    TEAM_THEME_WEIGHTS,
    THEMES,
    TITLES,
    TRANSFER_LINES,
    TRANSFER_REPLY,
    TRANSFER_REPLY_BAD,
    UNCERTAIN,
    UNRESOLVED_REPLY,
    VULN_CUES,
    VULN_HANDLING,
    VULN_IGNORED,
    VULN_KIND_WEIGHTS,
    VULN_RATE,
    VULN_RATE_DEFAULT,
    VULN_REPEAT,
    VULN_THANKS,
    WEEKDAY_WEIGHTS,
    WEEKDAYS,
    Fix,
    Theme,
    fits,
)

# ------------------------------------------------------------------------- agent profiles


@dataclass(frozen=True, slots=True)
class Profile:
    """How one agent tends to handle contacts (see the module docstring)."""

    uncertainty: float = 0.10
    uncertain_themes: tuple[str, ...] = ()
    transfer_themes: tuple[str, ...] = ()
    vuln_handled: float = 0.62
    curt: bool = False


PROFILES: dict[int, Profile] = {
    1: Profile(uncertain_themes=("disputed_payment",)),
    2: Profile(vuln_handled=0.12),
    3: Profile(transfer_themes=("identity", "account_access")),
    4: Profile(uncertain_themes=("fx",)),
    5: Profile(vuln_handled=0.95),
    6: Profile(curt=True),
}


# The demo's coaching story (api/demo.py writes the matching module and assignments): Severn's
# agents complete the disputed-payments module one after another from day 40; afterwards they are
# rarely unsure on that theme, resolve far more of it first time and leave fewer customers
# unhappy, so the coaching-effect chart has a real before/after difference to measure. Only with
# 70+ days, so there is an "after".
COACHED_THEME = "disputed_payment"
COACHED_TEAM = "severn"
COACHED_FIRST_DAY = 40
COACHED_UNCERTAINTY = 0.1
COACHED_RESOLVED = 4.0
COACHED_NEGATIVE = 0.3


def coaching_days(agents: Sequence[tuple[str, str]], days: int) -> dict[int, int]:
    """Agent position -> the day (from the start) it completes the demo module."""
    if days < 70:
        return {}
    team = [i for i, (_, name) in enumerate(agents) if name.strip().lower() == COACHED_TEAM]
    return {i: COACHED_FIRST_DAY + k for k, i in enumerate(team)}


def weak_spots(agents: Sequence[tuple[str, str]]) -> dict[str, str]:
    """What each deliberately weaker or stronger agent code is like, for demos and checks."""
    says = {
        1: "uncertain on disputed card payments",
        2: "misses vulnerability cues",
        3: "transfers identity and account-access contacts",
        4: "uncertain on exchange rates and international payments",
        5: "handles vulnerability well",
        6: "curt: more escalations and negative endings",
    }
    return {agents[i][0]: text for i, text in says.items() if i < len(agents)}


# ------------------------------------------------------------------------- data


def load_banking77(data_dir: Path) -> dict[str, tuple[str, ...]]:
    """BANKING77 queries by intent (train then test, file order, single-line, stripped, no
    duplicates). Raises FileNotFoundError naming the folder when the data set is missing."""
    folder = Path(data_dir) / "banking77"
    files = [folder / "train.csv", folder / "test.csv"]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise FileNotFoundError(
            f"BANKING77 not found: {', '.join(missing)}. Pass data_dir pointing at the shared "
            "data folder (the one holding banking77/train.csv and banking77/test.csv)."
        )
    by_intent: dict[str, dict[str, None]] = {}
    for path in files:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                text = (row.get("text") or "").strip()
                if not text or "\n" in text or "\r" in text:
                    continue
                by_intent.setdefault(row["category"], {})[text] = None
    return {intent: tuple(texts) for intent, texts in by_intent.items()}


# ------------------------------------------------------------------------- planning


@dataclass(slots=True)
class _Contact:
    seq: int
    ts: int  # seconds since the epoch, UTC
    customer: int
    agent: int
    channel: str
    theme: Theme
    intent: str
    opening: str
    repeat: bool
    uncertain: bool
    vuln: str | None
    vuln_handled: bool
    fix: Fix | None
    fix_shown: bool
    outcome: str
    callback: bool
    complaint: bool
    negative: bool
    actions: list[str] = field(default_factory=list)
    csat: str = ""
    handle: int = 0


def _cum(weights: Iterable[float]) -> list[float]:
    return list(accumulate(weights))


class _Planner:
    def __init__(
        self,
        rng: random.Random,
        n: int,
        agents: Sequence[tuple[str, str]],
        base: int,
        days: int,
        texts: dict[str, tuple[str, ...]],
    ) -> None:
        self.rng = rng
        self.n = n
        self.agents = list(agents)
        self.base = base
        self.days = days
        self.texts = texts
        self.contacts: list[_Contact] = []
        self.customers: list[tuple[str, str, str]] = []  # (title, first, last)
        self.weekday0 = datetime.fromtimestamp(base, UTC).weekday()
        self.day_cum = _cum(
            WEEKDAY_WEIGHTS[(self.weekday0 + d) % 7] * (1.15 if self._incident(d) else 1.0)
            for d in range(days)
        )
        self.hours = [(list(h), _cum(h.values())) for h in HOUR_WEIGHTS]
        self.channels = list(CHANNEL_WEIGHTS)
        self.channel_cum = _cum(CHANNEL_WEIGHTS.values())
        self.profiles = [
            PROFILES.get(i, Profile(uncertainty=rng.uniform(0.07, 0.13)))
            for i in range(len(agents))
        ]
        self.agent_cum = _cum(rng.uniform(0.8, 1.2) for _ in agents)
        self.by_team: dict[str, list[int]] = {}
        for i, (_, team) in enumerate(agents):
            self.by_team.setdefault(team, []).append(i)
        self.theme_cum: dict[tuple[str, bool], tuple[list[Theme], list[float]]] = {}
        usable = [t for t in THEMES if any(self.texts.get(i) for i in t.intents)]
        if not usable:
            raise ValueError("BANKING77 holds none of the intents this generator maps to themes")
        for _, team in agents:
            key = team.strip().lower()
            mix = TEAM_THEME_WEIGHTS.get(key, {})
            for incident in (False, True):
                weights = [
                    mix.get(t.key, 1.0)
                    * (INCIDENT_FACTOR if incident and t.key == INCIDENT_THEME else 1.0)
                    for t in usable
                ]
                self.theme_cum[(key, incident)] = (usable, _cum(weights))
        self.intents = {t.key: [i for i in t.intents if self.texts.get(i)] for t in usable}
        self.vuln_cum = {k: (list(w), _cum(w.values())) for k, w in VULN_KIND_WEIGHTS.items()}
        self.coached = coaching_days(agents, days)

    def _incident(self, day: int) -> bool:
        return self.days >= INCIDENT_DAYS[1] and INCIDENT_DAYS[0] <= day < INCIDENT_DAYS[1]

    def _pick(self, cum: list[float]) -> int:
        return bisect.bisect_right(cum, self.rng.random() * cum[-1], 0, len(cum) - 1)

    def _time_on(self, day: int) -> int:
        rng = self.rng
        hours, cum = self.hours[(self.weekday0 + day) % 7]
        hour = hours[self._pick(cum)]
        return self.base + day * 86400 + hour * 3600 + rng.randrange(3600)

    def plan(self) -> list[_Contact]:
        while len(self.contacts) < self.n:
            day = self._pick(self.day_cum)
            customer = self._new_customer()
            self._episode(self._time_on(day), customer, None, depth=0)
        del self.contacts[self.n :]
        self.contacts.sort(key=lambda c: (c.ts, c.seq))
        return self.contacts

    def _new_customer(self) -> int:
        rng = self.rng
        self.customers.append((rng.choice(TITLES), rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)))
        return len(self.customers) - 1

    def _episode(self, ts: int, customer: int, prior: _Contact | None, depth: int) -> None:
        rng = self.rng
        contact = self._contact(ts, customer, prior)
        self.contacts.append(contact)
        if depth >= 3 or len(self.contacts) >= self.n:
            return
        chance = {"resolved": 0.04, "unresolved": 0.30, "transferred": 0.22, "escalated": 0.2}[
            contact.outcome
        ]
        if contact.vuln and not contact.vuln_handled:
            chance += 0.10
        if depth:
            chance *= 0.5
        if rng.random() < chance:
            nxt = self._later(ts, rng.choices(range(7), (15, 30, 18, 12, 10, 8, 7))[0])
            if nxt is not None:
                self._episode(nxt, customer, contact, depth + 1)
        elif prior is None and rng.random() < 0.06:  # an unrelated contact weeks later
            nxt = self._later(ts, rng.randint(15, 45))
            if nxt is not None:
                self._episode(nxt, customer, None, depth + 1)

    def _later(self, ts: int, offset: int) -> int | None:
        """A business-hours time ``offset`` days after ``ts`` (same day: 45 min to 4 h on)."""
        day = (ts - self.base) // 86400
        if offset == 0:
            later = ts + self.rng.randrange(45 * 60, 4 * 3600)
            hours, _ = self.hours[(self.weekday0 + day) % 7]
            if (later - self.base) % 86400 < (hours[-1] + 1) * 3600:
                return later
            offset = 1
        if day + offset >= self.days:
            return None
        return self._time_on(day + offset)

    def _contact(self, ts: int, customer: int, prior: _Contact | None) -> _Contact:
        rng = self.rng
        day = (ts - self.base) // 86400
        if prior is not None:
            team = self.agents[prior.agent][1]
            agent = rng.choice(self.by_team[team])
            channel = prior.channel if rng.random() < 0.7 else "phone"
            theme, intent = prior.theme, prior.intent
        else:
            agent = self._pick(self.agent_cum)
            channel = self.channels[self._pick(self.channel_cum)]
            themes, cum = self.theme_cum[
                (self.agents[agent][1].strip().lower(), self._incident(day))
            ]
            theme = themes[self._pick(cum)]
            intent = rng.choice(self.intents[theme.key])
        opening = rng.choice(self.texts[intent])
        team_key = self.agents[agent][1].strip().lower()
        profile = self.profiles[agent]

        uncertain_p = profile.uncertainty + theme.uncertainty
        if theme.key in profile.uncertain_themes:
            uncertain_p += 0.55
        coached = theme.key == COACHED_THEME and day >= self.coached.get(agent, self.days)
        if coached:
            uncertain_p *= COACHED_UNCERTAINTY
        uncertain = rng.random() < uncertain_p

        vuln: str | None = None
        handled = False
        if rng.random() < VULN_RATE.get(team_key, VULN_RATE_DEFAULT):
            kinds, cum = self.vuln_cum[team_key if team_key in self.vuln_cum else ""]
            vuln = kinds[self._pick(cum)]
            handled = rng.random() < profile.vuln_handled

        fixes = [f for f in theme.fixes if not f.intents or intent in f.intents]
        fix: Fix | None = None
        if fixes and rng.random() < 0.92:
            fix = fixes[self._pick(_cum(f.weight for f in fixes))]

        w = {"resolved": 72.0, "unresolved": 11.0, "transferred": 9.5, "escalated": 6.0}
        if uncertain:
            w["resolved"] *= 0.45
            w["unresolved"] *= 2.0
            w["transferred"] *= 2.2
            w["escalated"] *= 1.4
        if theme.key in ("disputed_payment", "lost_stolen", "identity"):
            w["transferred"] *= 1.3
        if theme.key in profile.transfer_themes:
            w["transferred"] *= 9.0
        w["resolved"] *= fix.effect if fix else 0.6
        if coached:
            w["resolved"] *= COACHED_RESOLVED
        if vuln and not handled:
            w["resolved"] *= 0.8
            w["unresolved"] *= 1.5
            w["escalated"] *= 1.8
        elif vuln == "scam":
            w["transferred"] *= 2.0
        if prior is not None:
            w["resolved"] *= 0.85
            w["escalated"] *= 2.2
        if profile.curt:
            w["resolved"] *= 0.9
            w["escalated"] *= 2.0
        outcome = rng.choices(list(w), list(w.values()))[0]

        negative_p = {"resolved": 0.03, "transferred": 0.22, "unresolved": 0.55, "escalated": 0.7}[
            outcome
        ]
        negative_p += 0.15 * profile.curt + 0.10 * (vuln is not None and not handled)
        negative_p += 0.10 * (prior is not None)
        if coached:
            negative_p *= COACHED_NEGATIVE
        negative = rng.random() < negative_p

        actions: list[str] = []
        if vuln and handled:
            actions.extend(VULN_HANDLING[vuln][1])
        fix_shown = fix is not None and (
            outcome == "resolved"
            or (outcome == "escalated" and rng.random() < 0.4)
            or (outcome == "unresolved" and rng.random() < 0.45)
        )
        if fix is not None and fix_shown:
            actions.extend(fix.codes)
        callback = outcome == "unresolved" and rng.random() < 0.35
        complaint = outcome == "escalated" and rng.random() < 0.65
        if outcome == "transferred":
            actions.append("TRANSFER_SPECIALIST")
        if callback:
            actions.append("CALLBACK_BOOKED")
        if complaint:
            actions.append("COMPLAINT_LOGGED")

        contact = _Contact(
            seq=len(self.contacts),
            ts=ts,
            customer=customer,
            agent=agent,
            channel=channel,
            theme=theme,
            intent=intent,
            opening=opening,
            repeat=prior is not None,
            uncertain=uncertain,
            vuln=vuln,
            vuln_handled=handled,
            fix=fix,
            fix_shown=fix_shown,
            outcome=outcome,
            callback=callback,
            complaint=complaint,
            negative=negative,
            actions=actions,
        )
        contact.handle = self._handle(contact)
        contact.csat = self._csat(contact, profile)
        return contact

    def _handle(self, c: _Contact) -> int:
        rng = self.rng
        base = {"phone": 330.0, "chat": 480.0, "email": 270.0, "social": 200.0}[c.channel]
        secs = base * rng.lognormvariate(0.0, 0.4)
        if c.uncertain:
            secs += rng.uniform(90, 360)
        if c.vuln:
            secs += rng.uniform(120, 360) if c.vuln_handled else rng.uniform(20, 90)
        if c.outcome == "transferred":
            secs += rng.uniform(30, 120)
        elif c.outcome == "escalated":
            secs += rng.uniform(120, 420)
        if c.repeat:
            secs += rng.uniform(30, 150)
        return round(secs)

    def _csat(self, c: _Contact, profile: Profile) -> str:
        rng = self.rng
        if rng.random() < CSAT_MISSING:
            return ""
        score = {"resolved": 4.45, "transferred": 3.0, "unresolved": 2.1, "escalated": 1.6}[
            c.outcome
        ]
        if c.uncertain:
            score -= 0.5
        if c.vuln:
            score += 0.3 if c.vuln_handled else -0.9
        if profile.curt:
            score -= 0.5
        if c.negative:
            score -= 0.6
        if c.handle > 900:
            score -= 0.3
        if c.repeat:
            score -= 0.3
        return str(min(5, max(1, round(score + rng.gauss(0.0, 0.75)))))


# ------------------------------------------------------------------------- PII


def luhn_complete(digits: str) -> str:
    """``digits`` plus the Luhn check digit."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return digits + str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    digits = [int(ch) for ch in number if ch.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return len(digits) >= 12 and total % 10 == 0


def _digits(rng: random.Random, k: int) -> str:
    return str(rng.randrange(10**k)).zfill(k)


class _Pii:
    """Synthetic PII values for one row."""

    def __init__(self, rng: random.Random, title: str, first: str, last: str) -> None:
        self.rng = rng
        self.title, self.first, self.last = title, first, last

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    def card(self) -> str:
        rng = self.rng
        prefix = rng.choice(("4", "4", "5" + str(rng.randint(1, 5))))
        number = luhn_complete(prefix + _digits(rng, 15 - len(prefix)))
        style = rng.random()
        if style < 0.5:
            return " ".join(number[i : i + 4] for i in range(0, 16, 4))
        if style < 0.85:
            return number
        return "-".join(number[i : i + 4] for i in range(0, 16, 4))

    def mobile(self) -> str:
        rng = self.rng
        while True:
            prefix = "7" + rng.choice("4589") + _digits(rng, 2)
            if prefix != "7911":
                break
        rest = _digits(rng, 6)
        if rng.random() < 0.2:
            return f"+44 {prefix} {rest}"
        if rng.random() < 0.3:
            return f"0{prefix}{rest}"
        return f"0{prefix} {rest}"

    def landline(self) -> str:
        stem, k = self.rng.choice(LANDLINE_RANGES)
        return stem + _digits(self.rng, k)

    def email(self) -> str:
        rng = self.rng
        local = rng.choice(
            (
                f"{self.first}.{self.last}",
                f"{self.first[0]}{self.last}",
                f"{self.first}{self.last}{rng.randint(1, 99)}",
            )
        )
        return f"{local.lower()}@{rng.choice(EMAIL_DOMAINS)}"

    def postcode(self) -> str:
        rng = self.rng
        code = (
            f"{rng.choice(OUTWARD_CODES)} {rng.randint(1, 9)}"
            f"{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
        )
        return code.lower() if rng.random() < 0.1 else code

    def bank_account(self) -> tuple[str, str]:
        rng = self.rng
        a, b, c = (rng.randint(0, 99) for _ in range(3))
        sep = rng.choice(("-", "-", " "))
        return f"{a:02d}{sep}{b:02d}{sep}{c:02d}", _digits(rng, 8)

    def ni(self) -> str:
        rng = self.rng
        while True:
            prefix = rng.choice(NI_FIRST) + rng.choice(NI_SECOND)
            if prefix not in NI_BAD_PREFIXES:
                break
        d = _digits(rng, 6)
        suffix = rng.choice("ABCD")
        if rng.random() < 0.6:
            return f"{prefix} {d[:2]} {d[2:4]} {d[4:]} {suffix}"
        return f"{prefix}{d}{suffix}"


# ------------------------------------------------------------------------- rendering


class _Renderer:
    def __init__(
        self,
        rng: random.Random,
        agents: Sequence[tuple[str, str]],
        customers: list[tuple[str, str, str]],
        customer_ids: list[str],
    ) -> None:
        self.rng = rng
        self.agents = agents
        self.customers = customers
        self.customer_ids = customer_ids
        self.pii_kinds = list(PII_WEIGHTS)
        self.pii_cum = _cum(PII_WEIGHTS.values())

    def _pii_kinds(self, c: _Contact) -> list[str]:
        rng = self.rng
        if rng.random() >= (PII_RATE_EMAIL if c.channel == "email" else PII_RATE):
            return []
        count = rng.choices((1, 2, 3), (55, 30, 15))[0]
        kinds: list[str] = []
        while len(kinds) < count:
            i = bisect.bisect_right(self.pii_cum, rng.random() * self.pii_cum[-1])
            kind = self.pii_kinds[min(i, len(self.pii_kinds) - 1)]
            if kind not in kinds:
                kinds.append(kind)
        return kinds

    def _values(self, c: _Contact) -> dict[str, str]:
        rng = self.rng
        fee = rng.choice((0.5, 1.0, 2.5, 2.99, 3.5, 5.0))
        return {
            "days": str(rng.randint(2, 6)),
            "amount": f"£{rng.choice((4.99, 12.5, 18.0, 23.4, 39.99, 60.0, 85.0, 120.0, 249.0))}"
            if rng.random() < 0.3
            else f"£{rng.randint(5, 450)}.{rng.randint(0, 99):02d}",
            "fee": f"£{fee:.2f}",
            "merchant": rng.choice(MERCHANTS),
            "weekday": rng.choice(WEEKDAYS),
            "specialist": c.theme.specialist,
            "bank": BANK,
        }

    def row(self, index: int, c: _Contact) -> dict[str, str]:
        code, team = self.agents[c.agent]
        title, first, last = self.customers[c.customer]
        pii = _Pii(self.rng, title, first, last)
        kinds = self._pii_kinds(c)
        values = self._values(c)
        if c.channel == "email":
            transcript = self._notes(c, pii, kinds, values)
        else:
            transcript = self._turns(c, pii, kinds, values)
        when = datetime.fromtimestamp(c.ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {
            "interaction_id": f"INT-{index:06d}",
            "occurred_at": when,
            "agent_id": code,
            "team": team,
            "channel": c.channel,
            "customer_id": self.customer_ids[c.customer],
            "customer_name": f"{first} {last}",
            "disposition": c.theme.disposition,
            "outcome": c.outcome,
            "csat": c.csat,
            "handle_seconds": str(c.handle),
            "actions": ";".join(c.actions),
            "transcript": transcript,
        }

    def _topic(self, c: _Contact) -> str:
        topics = [t for t in c.theme.topics if fits(t, c.intent)]
        return self.rng.choice(topics) if topics else GENERIC_TOPIC

    def _unresolved(self, c: _Contact) -> str:
        lines = [t for t in c.theme.unresolved if fits(t, c.intent)]
        if lines and self.rng.random() < 0.75:
            return self.rng.choice(lines)
        return self.rng.choice(GENERIC_UNRESOLVED)

    # -- PII sentences in the customer's words
    def _pii_lines(
        self, c: _Contact, pii: _Pii, kinds: list[str], chat: bool
    ) -> list[tuple[str, str]]:
        rng = self.rng
        out: list[tuple[str, str]] = []
        for kind in kinds:
            if kind == "card":
                text = rng.choice(
                    ("The card number is {}.", "My card number's {}, if you need it.")
                ).format(pii.card())
                out.append(("Customer", text))
                if chat:
                    out.append(
                        (
                            "Agent",
                            "Thanks. Just so you know, please don't share your full card number "
                            "in chat; I only ever need the last four digits.",
                        )
                    )
            elif kind == "mobile":
                out.append(
                    (
                        "Customer",
                        rng.choice(
                            (
                                "If you need to call me back, my mobile is {}.",
                                "You can get me on {} if we get cut off.",
                            )
                        ).format(pii.mobile()),
                    )
                )
            elif kind == "landline":
                out.append(
                    ("Customer", f"My home number is {pii.landline()} if I'm not on my mobile.")
                )
            elif kind == "email":
                out.append(("Customer", f"Can you send it to my email? It's {pii.email()}."))
            elif kind == "bank_account":
                sort_code, account = pii.bank_account()
                if c.theme.key == "transfers":
                    text = f"It was going to sort code {sort_code}, account number {account}."
                else:
                    text = f"My sort code is {sort_code} and the account number is {account}."
                out.append(("Customer", text))
            elif kind == "ni":
                out.append(
                    (
                        "Customer",
                        f"My National Insurance number is {pii.ni()}, if that helps.",
                    )
                )
            elif kind == "postcode":
                out.append(("Customer", f"I moved recently, the new postcode is {pii.postcode()}."))
        return out

    def _turns(self, c: _Contact, pii: _Pii, kinds: list[str], v: dict[str, str]) -> str:
        rng = self.rng
        ch = "chat" if c.channel in ("chat", "social") else "phone"
        profile_curt = PROFILES.get(c.agent, Profile()).curt
        lines: list[str] = []

        def agent(text: str) -> None:
            lines.append("Agent: " + text)

        def customer(text: str) -> None:
            lines.append("Customer: " + text)

        hour = (c.ts % 86400) // 3600
        part = "Good morning" if hour < 12 else "Good afternoon" if hour < 17 else "Good evening"
        rest = "day" if hour < 17 else "evening"
        if c.channel != "social":
            agent(rng.choice(GREETINGS[ch]).format(part=part, bank=BANK))
        customer(c.opening)
        if c.repeat:
            customer(rng.choice(REPEAT_LINES))
        if c.channel == "social":
            agent(
                "Thanks for getting in touch. We've moved this to a private message so we can help."
            )

        named = "name" in kinds
        rest_kinds = [k for k in kinds if k != "name"]
        if ch == "phone":
            if named:
                agent(rng.choice(SECURITY_NAME))
                if "postcode" in rest_kinds:
                    rest_kinds.remove("postcode")
                    customer(f"It's {pii.title} {pii.name}, and the postcode is {pii.postcode()}.")
                else:
                    customer(f"It's {pii.name}.")
                agent(f"Thanks, {pii.first}, that's you through security.")
            else:
                agent(rng.choice(SECURITY_APP))
                customer(rng.choice(SECURITY_APP_REPLY))
                agent(rng.choice(SECURITY_APP_DONE))
        else:
            if named:
                customer(f"It's {pii.name} by the way.")
                agent(f"Thanks, {pii.first}. {rng.choice(CHAT_VERIFIED)}")
            elif rng.random() < 0.5:
                agent(rng.choice(CHAT_VERIFIED))

        theme = c.theme
        agent(rng.choice(INTENT_EXPLAIN.get(c.intent, (EXPLAIN_FALLBACK,))).format(**v))
        for speaker, text in self._pii_lines(c, pii, rest_kinds, ch == "chat"):
            lines.append(f"{speaker}: {text}")

        if c.vuln:
            customer(rng.choice(VULN_CUES[c.vuln]))
            if c.vuln_handled:
                agent(VULN_HANDLING[c.vuln][0])
                customer(rng.choice(VULN_THANKS))
            else:
                agent(rng.choice(VULN_IGNORED))
                if rng.random() < 0.4:
                    customer(rng.choice(VULN_REPEAT))
                    agent(rng.choice(VULN_IGNORED))

        questions = [q for q in theme.questions if fits(q[0], c.intent)]
        if questions and rng.random() < 0.5:
            question, answer = rng.choice(questions)
            customer(question)
            if not c.uncertain:
                agent(answer)

        if c.uncertain:
            agent(rng.choice(UNCERTAIN).format(topic=self._topic(c)))
            customer(rng.choice(HOLD_REPLY))
            if c.outcome == "resolved":
                agent(rng.choice(AFTER_HOLD))
            else:
                agent(rng.choice(AFTER_HOLD_FAIL))

        fix_line = c.fix.line.format(**v) if c.fix is not None else ""
        outcome = c.outcome
        if outcome == "resolved":
            if fix_line:
                agent(fix_line)
            else:
                agent("That should be everything sorted for you now.")
            customer(rng.choice(LUKEWARM if c.negative else PLEASED))
            if c.negative:
                agent(rng.choice(CURT_ASK if profile_curt else RESOLVED_ASK))
                customer(rng.choice(NEGATIVE_ENDINGS))
            elif profile_curt:
                agent(rng.choice(CURT_ASK))
                customer(rng.choice(RESOLVED_THANKS[ch]))
                agent(rng.choice(CURT_CLOSING))
            else:
                agent(rng.choice(RESOLVED_ASK))
                customer(rng.choice(RESOLVED_THANKS[ch]))
                agent(rng.choice(CLOSING[ch]).format(bank=BANK, rest=rest))
        elif outcome == "transferred":
            agent(rng.choice(TRANSFER_LINES[ch]).format(specialist=theme.specialist))
            if c.negative:
                customer(rng.choice(TRANSFER_REPLY_BAD))
                customer(rng.choice(NEGATIVE_ENDINGS))
            else:
                customer(rng.choice(TRANSFER_REPLY))
        elif outcome == "escalated":
            if c.fix_shown and fix_line:
                agent(fix_line)
            customer(rng.choice(COMPLAINT_ASK))
            agent(rng.choice(ESCALATE_LINES))
            customer(rng.choice(NEGATIVE_ENDINGS) if c.negative else "Okay. Thank you.")
        else:  # unresolved
            if c.fix_shown and fix_line:
                agent(fix_line)
            agent(self._unresolved(c))
            if c.callback:
                agent(CALLBACK_LINE)
            customer(rng.choice(NEGATIVE_ENDINGS) if c.negative else rng.choice(UNRESOLVED_REPLY))
            if not c.negative:
                agent(
                    rng.choice(CURT_CLOSING if profile_curt else SORRY_CLOSING).format(
                        bank=BANK, rest=rest
                    )
                )
        return "\n".join(lines)

    def _notes(self, c: _Contact, pii: _Pii, kinds: list[str], v: dict[str, str]) -> str:
        rng = self.rng
        theme = c.theme
        lines = [f"Customer email: {c.opening}"]
        if c.repeat:
            lines.append("Customer says this is their second contact about the same issue.")
        if c.vuln:
            lines.append(f"Customer added: {rng.choice(VULN_CUES[c.vuln])}")
        for kind in kinds:
            if kind == "name":
                lines.append(f"Email signed {pii.title} {pii.name}.")
            elif kind == "card":
                lines.append(f"Customer included their full card number ({pii.card()}).")
            elif kind == "mobile":
                lines.append(f"Customer asked for a call back on {pii.mobile()}.")
            elif kind == "landline":
                lines.append(f"Customer's home number given as {pii.landline()}.")
            elif kind == "email":
                lines.append(f"Customer wants replies to {pii.email()}.")
            elif kind == "bank_account":
                sort_code, account = pii.bank_account()
                lines.append(f"Customer quoted sort code {sort_code}, account {account}.")
            elif kind == "ni":
                lines.append(f"Customer gave NI number {pii.ni()}.")
            elif kind == "postcode":
                lines.append(f"Customer gave their new postcode, {pii.postcode()}.")
        lines.append(theme.check_note)
        if c.vuln and c.vuln_handled:
            lines.append(f"Acknowledged in the reply: {VULN_HANDLING[c.vuln][2]}.")
        if c.uncertain:
            lines.append(f"Not sure {self._topic(c)}; asked team leader, waiting for an answer.")
        fix_note = c.fix.note if c.fix is not None else ""
        if c.outcome == "resolved":
            lines.append(f"{fix_note} Replied to the customer and closed.".strip())
        elif c.outcome == "transferred":
            lines.append(f"Passed to the {theme.specialist}.")
        elif c.outcome == "escalated":
            if c.fix_shown and fix_note:
                lines.append(fix_note)
            lines.append(
                "Escalated to the team manager as the customer is unhappy with the response so far"
                + ("; logged a complaint." if c.complaint else ".")
            )
        else:
            if c.fix_shown and fix_note:
                lines.append(fix_note)
            lines.append("Sent a holding reply; no resolution yet.")
            if c.callback:
                lines.append("Callback booked for tomorrow.")
        if c.negative:
            lines.append("Customer replied that they are unhappy with the service.")
        return "\n".join(lines)


# ------------------------------------------------------------------------- public API


def _customer_ids(rng: random.Random, n: int, count: int) -> list[str]:
    width = 5
    while 9 * 10 ** (width - 1) < n:
        width += 1
    space = 9 * 10 ** (width - 1)
    step = rng.choice((7919, 104729, 15485863))
    offset = rng.randrange(space)
    low = 10 ** (width - 1)
    return [f"C-{low + (k * step + offset) % space}" for k in range(count)]


def generate(
    n: int,
    *,
    seed: int = 2026,
    agents: Sequence[tuple[str, str]],
    start: datetime,
    days: int = 84,
    data_dir: Path,
) -> Iterator[dict[str, str]]:
    """``n`` synthetic interactions as import rows (``COLUMNS``, all strings), in time order,
    spread over ``days`` days from ``start``'s date (UTC; a naive ``start`` is taken as UTC).
    ``agents`` is a list of ``(agent_code, team_name)``. The same arguments give the same rows.
    Raises FileNotFoundError when BANKING77 is not under ``data_dir``."""
    if n < 0:
        raise ValueError("n must be zero or more")
    if days < 1:
        raise ValueError("days must be at least 1")
    if not agents:
        raise ValueError("at least one agent is needed")
    texts = load_banking77(data_dir)
    if start.tzinfo is not None:
        start = start.astimezone(UTC)
    midnight = datetime(start.year, start.month, start.day, tzinfo=UTC)
    return _rows(n, seed, list(agents), int(midnight.timestamp()), days, texts)


def _rows(
    n: int,
    seed: int,
    agents: list[tuple[str, str]],
    base: int,
    days: int,
    texts: dict[str, tuple[str, ...]],
) -> Iterator[dict[str, str]]:
    if n == 0:
        return
    # Seeded on purpose: the rows are synthetic and must repeat exactly.
    planner = _Planner(random.Random(seed), n, agents, base, days, texts)  # noqa: S311
    contacts = planner.plan()
    ids = _customer_ids(planner.rng, n, len(planner.customers))
    text_rng = random.Random(seed * 1_000_003 + 17)  # noqa: S311
    renderer = _Renderer(text_rng, agents, planner.customers, ids)
    for index, contact in enumerate(contacts, start=1):
        yield renderer.row(index, contact)


def write_csv(path: Path, rows: Iterable[dict[str, str]]) -> int:
    """Write ``rows`` as UTF-8 CSV with a header (the first row's keys; ``COLUMNS`` when there
    are none) and return how many rows were written."""
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer: csv.DictWriter[str] | None = None
        for row in rows:
            if writer is None:
                writer = csv.DictWriter(fh, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)
            count += 1
        if writer is None:
            csv.writer(fh).writerow(COLUMNS)
    return count


def write_jsonl(path: Path, rows: Iterable[dict[str, str]]) -> int:
    """Write ``rows`` as UTF-8 JSON Lines (one object a line) and return how many."""
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False))
            fh.write("\n")
            count += 1
    return count


def demo_agents(count: int = 20) -> list[tuple[str, str]]:
    """Default agent codes for the command line: ``AG001``... in Thames, Severn, Trent in turn
    (the demo users' order)."""
    teams = ("Thames", "Severn", "Trent")
    return [(f"AG{i + 1:03d}", teams[i % 3]) for i in range(count)]


def main(argv: Sequence[str] | None = None) -> None:
    default_data = Path(__file__).resolve().parents[2] / "shared" / "data"
    parser = argparse.ArgumentParser(description="Write synthetic demo interactions.")
    parser.add_argument("out", type=Path, help="output file (.csv or .jsonl)")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--days", type=int, default=84)
    parser.add_argument("--start", default="2026-01-05", help="first day (ISO date)")
    parser.add_argument("--data-dir", type=Path, default=default_data)
    parser.add_argument(
        "--agents", default="", help="CODE:TEAM,... (default AG001..AG020 over three teams)"
    )
    args = parser.parse_args(argv)
    agents = (
        [tuple(a.split(":", 1)) for a in args.agents.split(",") if a]
        if args.agents
        else demo_agents()
    )
    rows = generate(
        args.rows,
        seed=args.seed,
        agents=[(code, team) for code, team in agents],
        start=datetime.fromisoformat(args.start),
        days=args.days,
        data_dir=args.data_dir,
    )
    writer = write_jsonl if args.out.suffix == ".jsonl" else write_csv
    print(f"{writer(args.out, rows)} rows written to {args.out}")


if __name__ == "__main__":
    main()
