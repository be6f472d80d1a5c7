"""The synthetic demo interactions generator (demo.interactions).

The rows are synthetic; only each customer's opening message is real (BANKING77, CC BY 4.0,
from ../shared/data/banking77/). The share ranges checked here are the ones the module
docstring documents for 5,000 rows at seed 2026.
"""

from __future__ import annotations

import csv
import json
import re
import statistics
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise
from pathlib import Path

import pytest

from coaching.interactions.importer import COLUMNS
from demo import interactions, script

DATA_DIR = Path(__file__).resolve().parents[3] / "shared" / "data"
START = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday
DAYS = 84
N = 5000
AGENTS = [
    (f"AG{i + 1:03d}", ("Thames", "Severn", "Trent")[i % 3]) for i in range(20)
]  # the demo users' order: position i in team i % 3

UNCERTAINTY_MARKERS = (
    "not sure",
    "bear with me while i ask",
    "check with my team leader",
    "check with a colleague",
    "don't know",
    "not a hundred percent",
)
VULN_MARKERS = (
    "passed away",
    "died",
    "lost my job",
    "made redundant",
    "out of work",
    "hospital",
    "diagnosed",
    "anxiety",
    "behind on",
    "arrears",
    "struggling to pay",
    "pretending to be from the bank",
    "scammed",
    "safe account",
    "stopped replying",
    "not very good with computers",
    "don't really understand the app",
    "not confident online",
)
CARD_RE = re.compile(r"(?<![\d-])(?:\d[ -]?){15}\d(?![\d-])")
MOBILE_RE = re.compile(r"(?:\+44 ?|\b0)7\d{3} ?\d{6}\b")
LANDLINE_RE = re.compile(r"\b0(?:20 \d{4}|1\d{2} \d{3}) \d{4}\b")
EMAIL_RE = re.compile(r"[\w.+-]+@example\.(?:com|co\.uk|org|net)\b")
POSTCODE_RE = re.compile(r"\b[A-Za-z]{1,2}\d[A-Za-z\d]? \d[A-Za-z]{2}\b")
SORT_CODE_RE = re.compile(r"\bsort code (?:is )?\d{2}[- ]\d{2}[- ]\d{2}\b")
NI_RE = re.compile(r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")


@pytest.fixture(scope="module")
def data_dir() -> Path:
    if not (DATA_DIR / "banking77" / "train.csv").is_file():
        pytest.fail(
            f"The shared data sets are missing: expected BANKING77 at {DATA_DIR / 'banking77'} "
            "(train.csv, test.csv). The demo generator's tests need them."
        )
    return DATA_DIR


@pytest.fixture(scope="module")
def banking77(data_dir: Path) -> dict[str, set[str]]:
    """Each BANKING77 query (stripped) and the intents it is labelled with, read directly."""
    texts: dict[str, set[str]] = defaultdict(set)
    for name in ("train.csv", "test.csv"):
        with (data_dir / "banking77" / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                texts[row["text"].strip()].add(row["category"])
    return texts


@pytest.fixture(scope="module")
def rows(data_dir: Path) -> list[dict[str, str]]:
    return list(interactions.generate(N, agents=AGENTS, start=START, days=DAYS, data_dir=data_dir))


def lines(row: dict[str, str]) -> list[str]:
    return row["transcript"].split("\n")


def opening(row: dict[str, str]) -> str:
    prefix = "Customer email: " if row["channel"] == "email" else "Customer: "
    first = next(line for line in lines(row) if line.startswith(prefix))
    return first.removeprefix(prefix)


def agent_side(row: dict[str, str]) -> list[str]:
    """What the agent said or wrote (email notes other than the customer's own words)."""
    if row["channel"] == "email":
        return [line for line in lines(row) if not line.startswith("Customer")]
    return [line for line in lines(row) if line.startswith("Agent: ")]


def customer_after_opening(row: dict[str, str]) -> list[str]:
    if row["channel"] == "email":
        return [line for line in lines(row) if line.startswith("Customer added: ")]
    said = [line for line in lines(row) if line.startswith("Customer: ")]
    return said[1:]


def uncertain(row: dict[str, str]) -> bool:
    return any(m in line.lower() for line in agent_side(row) for m in UNCERTAINTY_MARKERS)


def vulnerable(row: dict[str, str]) -> bool:
    return any(m in line.lower() for line in customer_after_opening(row) for m in VULN_MARKERS)


def flagged(row: dict[str, str]) -> bool:
    return "VULN_FLAG" in row["actions"].split(";")


def pii_found(row: dict[str, str]) -> list[str]:
    text = "\n".join(lines(row)[1:] if row["channel"] == "email" else lines(row))
    text = text.replace(opening(row), "")  # the real BANKING77 query is not PII
    found = []
    first = row["customer_name"].split(" ", 1)[0]
    if row["customer_name"] in text or f"Thanks, {first}" in text:
        found.append("name")
    for kind, pattern in (
        ("card", CARD_RE),
        ("mobile", MOBILE_RE),
        ("landline", LANDLINE_RE),
        ("email", EMAIL_RE),
        ("postcode", POSTCODE_RE),
        ("bank_account", SORT_CODE_RE),
        ("ni", NI_RE),
    ):
        if pattern.search(text):
            found.append(kind)
    return found


def share(items: list[bool]) -> float:
    return sum(items) / len(items)


def when(row: dict[str, str]) -> datetime:
    return datetime.fromisoformat(row["occurred_at"])


# ------------------------------------------------------------------------------- determinism


def test_same_seed_gives_the_same_bytes_and_another_seed_differs(
    tmp_path: Path, data_dir: Path
) -> None:
    def write(name: str, seed: int, jsonl: bool = False) -> bytes:
        path = tmp_path / name
        gen = interactions.generate(1500, seed=seed, agents=AGENTS, start=START, data_dir=data_dir)
        count = interactions.write_jsonl(path, gen) if jsonl else interactions.write_csv(path, gen)
        assert count == 1500
        return path.read_bytes()

    first = write("a.csv", 7)
    assert first == write("b.csv", 7)
    assert first != write("c.csv", 8)
    assert write("a.jsonl", 7, jsonl=True) == write("b.jsonl", 7, jsonl=True)


def test_generate_checks_its_arguments_and_data_up_front(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="banking77"):
        interactions.generate(10, agents=AGENTS, start=START, data_dir=tmp_path)
    with pytest.raises(ValueError, match="agent"):
        interactions.generate(10, agents=[], start=START, data_dir=DATA_DIR)


def test_zero_rows_still_writes_a_header(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "empty.csv"
    gen = interactions.generate(0, agents=AGENTS, start=START, data_dir=data_dir)
    assert interactions.write_csv(path, gen) == 0
    assert path.read_text(encoding="utf-8").strip() == ",".join(COLUMNS)


def test_five_thousand_rows_are_generated(data_dir: Path) -> None:
    # The generator's speed is measured by bench/import.py (it generates its rows with it).
    count = sum(1 for _ in interactions.generate(N, agents=AGENTS, start=START, data_dir=data_dir))
    assert count == N


# ------------------------------------------------------------------------------- fields


def test_every_row_has_the_columns_with_valid_values(rows: list[dict[str, str]]) -> None:
    assert len(rows) == N
    teams = dict(AGENTS)
    previous = START
    for i, row in enumerate(rows, start=1):
        assert tuple(row) == COLUMNS
        assert all(isinstance(v, str) for v in row.values())
        assert row["interaction_id"] == f"INT-{i:06d}"
        assert row["occurred_at"].endswith("Z")
        at = when(row)
        assert START <= at < START + timedelta(days=DAYS)
        assert at >= previous, "rows are in time order"
        previous = at
        assert 8 <= at.hour < 20
        assert teams[row["agent_id"]] == row["team"]
        assert row["channel"] in script.CHANNELS
        assert row["outcome"] in script.OUTCOMES
        assert row["csat"] == "" or row["csat"] in {"1", "2", "3", "4", "5"}
        assert 30 <= int(row["handle_seconds"]) <= 4 * 3600
        actions = row["actions"].split(";") if row["actions"] else []
        assert set(actions) <= set(script.ACTIONS), actions
        assert re.fullmatch(r"C-\d{5}", row["customer_id"])
        assert re.fullmatch(r"[A-Z][a-z]+ [A-Z][A-Za-z]+", row["customer_name"])
        assert row["disposition"] in {t.disposition for t in script.THEMES}
        transcript = lines(row)
        if row["channel"] == "email":
            assert not any(line.startswith(("Agent:", "Customer:")) for line in transcript)
        else:
            assert all(line.startswith(("Agent: ", "Customer: ")) for line in transcript)
            assert any(line.startswith("Agent: ") for line in transcript)


def test_times_spread_over_the_days_with_mondays_busiest(rows: list[dict[str, str]]) -> None:
    days = {when(r).date() for r in rows}
    assert len(days) >= DAYS - 2
    by_weekday = Counter(when(r).weekday() for r in rows)
    assert by_weekday[0] > max(by_weekday[d] for d in range(1, 7))
    assert by_weekday[6] < by_weekday[5] < by_weekday[4]
    for row in rows:
        at = when(row)
        low, high = {5: (9, 17), 6: (10, 16)}.get(at.weekday(), (8, 20))
        assert low <= at.hour < high


def test_a_naive_start_is_utc_and_an_aware_one_is_converted(data_dir: Path) -> None:
    def first_day(start: datetime) -> set[str]:
        gen = interactions.generate(200, agents=AGENTS, start=start, days=3, data_dir=data_dir)
        return {r["occurred_at"][:10] for r in gen}

    assert first_day(datetime(2026, 1, 5)) == first_day(START)
    late = datetime(2026, 1, 5, 1, 0, tzinfo=timezone(timedelta(hours=5)))  # 4 Jan 20:00 UTC
    assert min(first_day(late)) == "2026-01-04"


def test_every_banking77_intent_has_a_theme_and_an_explanation(data_dir: Path) -> None:
    categories = json.loads((data_dir / "banking77" / "categories.json").read_text())
    assert len(categories) == 77
    assert set(categories) == set(script.INTENT_THEME) == set(script.INTENT_EXPLAIN)


def test_every_opening_is_a_real_banking77_query_of_the_rows_theme(
    rows: list[dict[str, str]], banking77: dict[str, set[str]]
) -> None:
    for row in rows:
        text = opening(row)
        assert text in banking77, text
        themes = {script.THEME_BY_KEY[script.INTENT_THEME[i]].disposition for i in banking77[text]}
        assert row["disposition"] in themes


# ------------------------------------------------------------------------------- shares


def test_channel_outcome_and_csat_shares_are_within_the_documented_ranges(
    rows: list[dict[str, str]],
) -> None:
    channels = Counter(r["channel"] for r in rows)
    assert 0.54 <= channels["phone"] / N <= 0.64
    assert 0.29 <= channels["chat"] / N <= 0.39
    assert 0.03 <= channels["email"] / N <= 0.07
    assert 0.005 <= channels["social"] / N <= 0.04
    outcomes = Counter(r["outcome"] for r in rows)
    assert 0.56 <= outcomes["resolved"] / N <= 0.72
    assert 0.08 <= outcomes["unresolved"] / N <= 0.19
    assert 0.08 <= outcomes["transferred"] / N <= 0.19
    assert 0.04 <= outcomes["escalated"] / N <= 0.12
    assert 0.25 <= share([r["csat"] == "" for r in rows]) <= 0.35


def test_uncertainty_vulnerability_and_pii_shares_are_within_the_documented_ranges(
    rows: list[dict[str, str]],
) -> None:
    assert 0.09 <= share([uncertain(r) for r in rows]) <= 0.20
    cues = [r for r in rows if vulnerable(r)]
    assert 0.10 <= len(cues) / N <= 0.20
    assert 0.25 <= share([not flagged(r) for r in cues]) <= 0.50
    assert 0.14 <= share([bool(pii_found(r)) for r in rows]) <= 0.27
    found = Counter(kind for r in rows for kind in pii_found(r))
    for kind in ("name", "card", "mobile", "landline", "email", "postcode", "bank_account", "ni"):
        assert found[kind] >= 20, (kind, found)


def test_transfers_escalations_and_negative_endings_show_in_the_text(
    rows: list[dict[str, str]],
) -> None:
    for row in rows:
        said = "\n".join(agent_side(row)).lower()
        transferred = row["outcome"] == "transferred"
        assert ("TRANSFER_SPECIALIST" in row["actions"]) == transferred
        assert ("transfer you" in said or "passed to the" in said) == transferred
        assert ("escalat" in said) == (row["outcome"] == "escalated")
    negative = [any(e in r["transcript"] for e in script.NEGATIVE_ENDINGS) for r in rows]
    assert 0.12 <= share(negative) <= 0.30


def test_uncertainty_is_only_where_the_agent_names_what_they_are_unsure_of(
    rows: list[dict[str, str]],
) -> None:
    topics = [t for theme in script.THEMES for t in theme.topics] + [script.GENERIC_TOPIC]
    for row in rows:
        for line in agent_side(row):
            if any(m in line.lower() for m in (*UNCERTAINTY_MARKERS, "let me check")):
                assert any(topic in line for topic in topics), line


def test_handled_vulnerability_is_acknowledged_and_flagged(rows: list[dict[str, str]]) -> None:
    for row in rows:
        if flagged(row):
            assert vulnerable(row), "a flag always follows a cue in the text"
            assert set(row["actions"].split(";")) & {
                "VULN_FLAG",
                "SUPPORT_REFERRAL",
                "BEREAVEMENT_TEAM",
                "BREATHING_SPACE",
            }


def test_csat_follows_the_outcome_and_the_handling(rows: list[dict[str, str]]) -> None:
    def mean(selected: list[dict[str, str]]) -> float:
        return statistics.mean(int(r["csat"]) for r in selected if r["csat"])

    resolved = mean([r for r in rows if r["outcome"] == "resolved"])
    assert resolved - mean([r for r in rows if r["outcome"] == "unresolved"]) > 1.5
    assert resolved - mean([r for r in rows if r["outcome"] == "escalated"]) > 1.8
    cues = [r for r in rows if vulnerable(r)]
    assert mean([r for r in cues if flagged(r)]) > mean([r for r in cues if not flagged(r)]) + 0.5


def test_customers_come_back_within_seven_days_mostly_after_unfinished_contacts(
    rows: list[dict[str, str]],
) -> None:
    by_customer: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_customer[row["customer_id"]].append(row)
    names = {cid: {r["customer_name"] for r in rs} for cid, rs in by_customer.items()}
    assert all(len(n) == 1 for n in names.values()), "a customer keeps one name"
    again = 0
    before: list[str] = []
    for contacts in by_customer.values():
        repeat = False
        for a, b in pairwise(contacts):
            if when(b) - when(a) < timedelta(days=7):
                repeat = True
                before.append(a["outcome"])
        again += repeat
    assert 0.08 <= again / len(by_customer) <= 0.17
    unfinished = share([o != "resolved" for o in before])
    assert unfinished > 2 * share([r["outcome"] != "resolved" for r in rows])


def test_coached_agents_are_unsure_less_often_after_their_coaching(
    rows: list[dict[str, str]],
) -> None:
    days = interactions.coaching_days(AGENTS, DAYS)
    assert sorted(days) == [i for i, (_, team) in enumerate(AGENTS) if team == "Severn"]
    disputes = [r for r in rows if r["disposition"] == "Disputed or unrecognised payment"]
    code_day = {AGENTS[i][0]: day for i, day in days.items()}
    coached = [r for r in disputes if r["agent_id"] in code_day]
    after = [r for r in coached if (when(r) - START).days >= code_day[r["agent_id"]]]
    before = [r for r in coached if (when(r) - START).days < code_day[r["agent_id"]]]
    assert len(after) >= 30 and len(before) >= 30
    assert share([uncertain(r) for r in after]) < 0.5 * share([uncertain(r) for r in before])
    assert share([r["outcome"] == "resolved" for r in after]) > share(
        [r["outcome"] == "resolved" for r in before]
    )
    assert interactions.coaching_days(AGENTS, 60) == {}


def test_the_payments_incident_shows_as_a_spike(rows: list[dict[str, str]]) -> None:
    def transfers(selected: list[dict[str, str]]) -> float:
        return share([r["disposition"] == "Payments and transfers" for r in selected])

    incident = [r for r in rows if 42 <= (when(r) - START).days < 56]
    other = [r for r in rows if not 42 <= (when(r) - START).days < 56]
    assert transfers(incident) > 1.6 * transfers(other)


# ------------------------------------------------------------------------------- agents


def test_the_weaker_agents_are_weak_where_the_docstring_says(rows: list[dict[str, str]]) -> None:
    def rate(pred: object, selected: list[dict[str, str]]) -> float:
        assert len(selected) >= 12
        return share([pred(r) for r in selected])  # type: ignore[operator]

    code = [a for a, _ in AGENTS]
    disputes = [r for r in rows if r["disposition"] == "Disputed or unrecognised payment"]
    # Severn is coached on disputes later
    coached_from = interactions.coaching_days(AGENTS, DAYS)[1]
    mine = [
        r for r in disputes if r["agent_id"] == code[1] and (when(r) - START).days < coached_from
    ]
    others = [r for r in disputes if r["agent_id"] != code[1]]
    assert rate(uncertain, mine) > rate(uncertain, others) + 0.3

    cues = [r for r in rows if vulnerable(r)]
    missed = lambda r: not flagged(r)  # noqa: E731
    chloe = [r for r in cues if r["agent_id"] == code[2]]
    rest = [r for r in cues if r["agent_id"] not in (code[2], code[5])]
    assert rate(missed, chloe) > rate(missed, rest) + 0.3
    assert rate(missed, [r for r in cues if r["agent_id"] == code[5]]) < 0.15

    identity = {"Identity verification", "Account access and personal details"}
    id_rows = [r for r in rows if r["disposition"] in identity]
    transferred = lambda r: r["outcome"] == "transferred"  # noqa: E731
    assert (
        rate(transferred, [r for r in id_rows if r["agent_id"] == code[3]])
        > rate(transferred, [r for r in id_rows if r["agent_id"] != code[3]]) + 0.25
    )
    assert interactions.weak_spots(AGENTS)[code[1]] == "uncertain on disputed card payments"


# ------------------------------------------------------------------------------- PII


def test_pii_is_realistic_in_shape(rows: list[dict[str, str]]) -> None:
    phonenumbers = pytest.importorskip("phonenumbers")
    cards = mobiles = landlines = 0
    for row in rows:
        text = row["transcript"].replace(opening(row), "")
        for match in CARD_RE.finditer(text):
            assert interactions.luhn_valid(match.group()), match.group()
            cards += 1
        for pattern in (MOBILE_RE, LANDLINE_RE):
            for match in pattern.finditer(text):
                number = phonenumbers.parse(match.group(), "GB")
                assert phonenumbers.is_valid_number(number), match.group()
                mobiles += pattern is MOBILE_RE
                landlines += pattern is LANDLINE_RE
        for match in NI_RE.finditer(text):
            compact = match.group().replace(" ", "")
            assert compact[:2] not in script.NI_BAD_PREFIXES
    assert cards and mobiles and landlines


def test_luhn_helpers_agree_with_known_numbers() -> None:
    assert interactions.luhn_valid("4111 1111 1111 1111")
    assert not interactions.luhn_valid("4111 1111 1111 1112")
    assert interactions.luhn_complete("411111111111111") == "4111111111111111"


# ------------------------------------------------------------------------------- files


def test_csv_and_jsonl_round_trip_with_multiline_transcripts(
    tmp_path: Path, rows: list[dict[str, str]]
) -> None:
    sample = rows[:400]
    assert any("\n" in r["transcript"] for r in sample)
    path = tmp_path / "rows.csv"
    assert interactions.write_csv(path, iter(sample)) == len(sample)
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        assert list(reader) == sample

    jpath = tmp_path / "rows.jsonl"
    assert interactions.write_jsonl(jpath, iter(sample)) == len(sample)
    with jpath.open(encoding="utf-8") as fh:
        assert [json.loads(line) for line in fh] == sample


def test_cli_writes_a_file(tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "interactions.csv"
    interactions.main([str(out), "--rows", "50", "--data-dir", str(data_dir)])
    assert "50 rows" in capsys.readouterr().out
    with out.open(encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 50
