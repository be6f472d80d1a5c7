"""The Shanghai and Tokyo teams' synthetic contacts (demo.contacts_cjk): in Chinese and Japanese, on
the English demo's themes, with the English demo's signal cues and shares, synthetic PII placed
the way CJK text is written, and mixed into the demo's import file (demo.loader.demo_rows)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coaching.interactions.importer import COLUMNS
from demo import contacts_cjk, interactions, loader, script
from demo.pii_cjk import cn_id_check, my_number_check

START = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday
N = 800  # what the demo loads per language
AGENTS = {
    "zh": [(f"SH{i:03d}", "Shanghai") for i in range(1, 6)],
    "ja": [(f"TK{i:03d}", "Tokyo") for i in range(1, 6)],
}
HAN = re.compile(r"[\u4e00-\u9fff]")
KANA = re.compile(r"[\u3040-\u30ff]")
CJK_EDGE = r"[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff60]"
UNSURE = {
    "zh": ("我不确定", "我不太清楚", "我不是百分之百确定"),
    "ja": ("よく分かりません", "分かりかねます", "確かなことが分かりません"),
}
VULN = {
    "zh": ("去世", "走了", "失业", "裁员", "住院", "癌症", "焦虑", "拖欠", "欠着", "付不起", "冒充",
           "被骗", "不回我", "不太会", "不太懂"),
    "ja": ("亡くな", "クビ", "リストラ", "失業", "入院", "がん", "不安障害", "滞納", "厳しい",
           "銀行の者", "詐欺", "連絡が取れなく", "苦手", "よく分からなくて", "自信がない"),
}  # fmt: skip
# The cues the signals helper reads, each where the English demo has its English one.
BRIEF_CUES = {
    "zh": ("我不确定", "我帮您转接", "问一下我的主管", "我要投诉", "我丈夫上个月去世了",
           "我失业了"),
    "ja": ("よく分かりません", "転送します", "上の者に確認します", "苦情を申し立てたい",
           "父が亡くなりました", "先月会社をクビになって"),
}  # fmt: skip


@pytest.fixture(scope="module", params=["zh", "ja"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def made(lang: str) -> list[tuple[dict[str, str], tuple[str, ...]]]:
    return list(contacts_cjk.generate_with_pii(N, lang=lang, agents=AGENTS[lang], start=START))


def said(row: dict[str, str]) -> list[str]:
    """The spoken or written lines, without speaker labels."""
    return [line.split(": ", 1)[-1] for line in row["transcript"].split("\n")]


def agent_lines(row: dict[str, str]) -> list[str]:
    return [line for line in row["transcript"].split("\n") if line.startswith("Agent: ")]


def share(rows: list[dict[str, str]], test: Callable[[dict[str, str]], bool]) -> float:
    return sum(1 for row in rows if test(row)) / len(rows)


def test_the_same_arguments_give_the_same_rows_and_another_seed_differs(lang: str) -> None:
    def rows(seed: int) -> list[dict[str, str]]:
        made = contacts_cjk.generate(50, lang=lang, agents=AGENTS[lang], start=START, seed=seed)
        return list(made)

    assert rows(7) == rows(7)
    assert rows(7) != rows(8)
    with pytest.raises(ValueError, match="agent"):
        contacts_cjk.generate(5, lang=lang, agents=[], start=START)


def test_rows_are_import_rows_of_the_centre_in_its_business_hours(lang: str, made) -> None:
    rows = [row for row, _ in made]
    assert len(rows) == N
    assert all(list(row) == list(COLUMNS) for row in rows)
    ids = [row["interaction_id"] for row in rows]
    assert len(set(ids)) == N and ids[0] == f"INT-{lang.upper()}-000001"
    times = [row["occurred_at"] for row in rows]
    assert times == sorted(times)
    assert {row["team"] for row in rows} == {AGENTS[lang][0][1]}
    assert {row["agent_id"] for row in rows} == {code for code, _ in AGENTS[lang]}
    offset = contacts_cjk.LANGS[lang].utc_offset
    local_hours = Counter((datetime.fromisoformat(t).hour + offset) % 24 for t in times)
    assert set(local_hours) <= set(range(8, 20))
    dispositions = {row["disposition"] for row in rows}
    assert dispositions == {theme.disposition for theme in script.THEMES}


def test_transcripts_are_in_the_centres_language(lang: str, made) -> None:
    for row, _ in made:
        text = "".join(said(row))
        assert len(HAN.findall(text) + KANA.findall(text)) > 0.5 * len(text), row["transcript"]
        assert bool(KANA.search(text)) == (lang == "ja"), row["transcript"]
        assert "{" not in text and "}" not in text, row["transcript"]


def test_the_words_follow_the_english_themes(lang: str) -> None:
    words = contacts_cjk.LANGS[lang].themes
    assert set(words) == set(script.THEME_BY_KEY)
    for key, theme in script.THEME_BY_KEY.items():
        assert len(words[key].fixes) == len(theme.fixes), key
        assert set(words[key].intents) <= set(theme.intents), key
        assert all(len(o) >= 2 and e for o, e in words[key].intents.values()), key


def test_signal_cues_come_in_the_english_demos_shares(lang: str, made) -> None:
    rows = [row for row, _ in made]
    spoken = [row for row in rows if row["channel"] != "email"]
    unsure = share(spoken, lambda r: any(p in x for x in agent_lines(r) for p in UNSURE[lang]))
    assert 0.09 <= unsure <= 0.20
    vulnerable = share(rows, lambda r: any(cue in r["transcript"] for cue in VULN[lang]))
    assert 0.10 <= vulnerable <= 0.22
    outcomes = Counter(row["outcome"] for row in rows)
    assert 0.54 <= outcomes["resolved"] / N <= 0.74
    assert 0.08 <= outcomes["transferred"] / N <= 0.19
    assert 0.04 <= outcomes["escalated"] / N <= 0.12
    transferred = [row for row in spoken if row["outcome"] == "transferred"]
    markers = ("转接",) if lang == "zh" else ("転送", "おつなぎ")
    assert all(any(m in x for x in agent_lines(row) for m in markers) for row in transferred)
    text = "\n".join(row["transcript"] for row in rows)
    for cue in BRIEF_CUES[lang]:
        assert cue in text, cue


def test_handled_vulnerability_is_acknowledged_and_flagged(lang: str, made) -> None:
    handled = [row for row, _ in made if "VULN_FLAG" in row["actions"]]
    assert len(handled) >= 0.04 * N
    talk = contacts_cjk.LANGS[lang].talk
    acknowledgements = {line for line, _ in talk.vuln_handling.values()}
    notes = {note for _, note in talk.vuln_handling.values()}
    for row in handled:
        assert any(line in row["transcript"] for line in acknowledgements | notes)


def test_pii_is_invented_realistic_and_sits_in_cjk_text(lang: str, made) -> None:
    carrying = [(row, values) for row, values in made if values]
    assert 0.14 <= len(carrying) / N <= 0.27
    values = [value for _, vs in carrying for value in vs]
    for row, vs in carrying:
        assert all(value in row["transcript"] for value in vs), (vs, row["transcript"])
    # Names: as the customer_name column has them, spoken without the space, with an honorific.
    named = [(row, vs) for row, vs in carrying if row["customer_name"].replace(" ", "") in vs]
    assert len(named) >= 20
    assert any(" " in row["customer_name"] for row, _ in named)
    honorific = "様" if lang == "ja" else ("先生", "女士")
    assert any(v.endswith(honorific) for _, vs in named for v in vs)
    if lang == "ja":
        kana_names = [row for row, _ in named if re.fullmatch(r"[ァ-ヺー ]+", row["customer_name"])]
        assert kana_names
    # Numbers touch CJK characters on both sides; some are in full-width digits.
    text = "\n".join(row["transcript"] for row, _ in carrying)
    touching = [v for v in values if re.search(CJK_EDGE + re.escape(v) + CJK_EDGE, text)]
    assert len(touching) >= 0.3 * len(values)
    assert any(re.search(r"[０-９]{3}", value) for value in values)
    plain = [unicodedata.normalize("NFKC", value) for value in values]
    cards = [v for v in plain if re.fullmatch(r"[45]\d{3}([ -]?\d{4}){3}", v)]
    assert cards and all(interactions.luhn_valid(card) for card in cards)
    assert any(v.endswith(("@example.cn", "@example.jp", "@example.co.jp")) for v in plain)
    if lang == "zh":
        assert any(re.fullmatch(r"(\+86 )?1[3-9]\d( ?\d{4}){2}", v) for v in plain)
        ids = [v for v in plain if re.fullmatch(r"\d{17}[\dX]", v)]
        assert ids and all(cn_id_check(v[:17]) == v[17] for v in ids)
    else:
        assert any(re.fullmatch(r"0[789]0-\d{4}-\d{4}", v) for v in plain)
        landlines = [v for v in plain if re.fullmatch(r"(?!0[789]0)0\d{1,3}-\d{2,4}-\d{4}", v)]
        assert landlines and all(len(_digits(v)) == 10 for v in landlines)
        numbers = [v.replace(" ", "") for v in plain if re.fullmatch(r"\d{4} ?\d{4} ?\d{4}", v)]
        assert numbers and all(my_number_check(v[:11]) == v[11] for v in numbers)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_known_checksums() -> None:
    assert cn_id_check("11010519491231002") == "X"  # the standard's published example
    assert my_number_check("12345678901") == "8"


def test_the_demo_file_mixes_the_three_languages_in_time_order() -> None:
    data = loader.SHARED_DATA
    if not (data / "banking77" / "train.csv").is_file():
        pytest.fail(f"The shared data sets are missing: expected BANKING77 under {data}.")
    english = interactions.demo_agents()
    rows = list(loader.demo_rows([*english, *AGENTS["zh"], *AGENTS["ja"]], START, Path(data)))
    assert len(rows) == loader.DEMO_INTERACTIONS
    assert [r["occurred_at"] for r in rows] == sorted(r["occurred_at"] for r in rows)
    teams = Counter(row["team"] for row in rows)
    for team in ("Shanghai", "Tokyo"):
        assert 0.15 <= teams[team] / len(rows) <= 0.20
    assert len({row["interaction_id"] for row in rows}) == len(rows)
    # The English rows are the English generator's, for the English agents alone.
    own = [row for row in rows if row["team"] in ("Thames", "Severn", "Trent")]
    alone = interactions.generate(len(own), agents=english, start=START, days=84, data_dir=data)
    assert own[:50] == [next(alone) for _ in range(50)]
