"""PII redaction in Chinese and Japanese text (the golden set's zero-miss check over all three
languages is in ``test_redaction.py``).

What is checked:
- the Chinese and Japanese golden values are what they claim (Luhn, resident ID and My Number
  checksums, computed here independently) and cover every type, full-width forms and digits
  touching Chinese or Japanese characters;
- each value is replaced by its token, and no form of it (as written, half-width, bare digits)
  is left; the characters outside the replaced spans are stored as they were typed;
- numbers and emails are found wherever they touch Chinese or Japanese characters, and an
  email stops at them;
- Chinese and Japanese context words unlock sort codes and account numbers; without them a
  date-like code or a bare number stays;
- dates, amounts, times, reference and hotline numbers stay; an ID number whose checksum fails
  is not an ID number;
- names from the row in Han, kana and Latin script and their rules (substring, with or without
  the space, either order for Latin, a part alone only before an honorific);
- the false-positive rate on PII-free Chinese and Japanese sentences, printed and bounded;
- normalisation keeps every offset, and the pre-filters never cause a miss on this text.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterator

import pytest

from foundation import redaction_patterns
from foundation.redaction import TOKENS, Redactor, get_redactor
from foundation.redaction_text import normalize
from tests.foundation.redaction_cases_cjk import (
    JA,
    JA_CLEAN,
    JA_VALID,
    ZH,
    ZH_CLEAN,
    ZH_VALID,
    Case,
)
from tests.foundation.test_redaction import luhn_ok

CJK_CHAR = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return get_redactor()


def resident_id_ok(value: str) -> bool:
    """Independent GB 11643 check: weights 2^(17-i) mod 11, check value (12 - sum) mod 11."""
    chars = re.sub(r"[^0-9X]", "", unicodedata.normalize("NFKC", value).upper())
    if len(chars) != 18 or not chars[:17].isdigit():
        return False
    total = sum(int(ch) * pow(2, 17 - i, 11) for i, ch in enumerate(chars[:17])) % 11
    check = (12 - total) % 11
    return chars[17] == ("X" if check == 10 else str(check))


def my_number_ok(value: str) -> bool:
    """Independent My Number check: weights 6..2, 7..2 from the left over 11 digits."""
    number = re.sub(r"\D", "", unicodedata.normalize("NFKC", value))
    weights = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
    if len(number) != 12:
        return False
    remainder = sum(int(d) * w for d, w in zip(number[:11], weights, strict=True)) % 11
    return int(number[11]) == (0 if remainder <= 1 else 11 - remainder)


def forms(value: str) -> list[str]:
    """The value as written, half-width, and its bare digits."""
    half = unicodedata.normalize("NFKC", value)
    out = [value, half]
    digits = re.sub(r"\D", "", half)
    if len(digits) >= 6:
        out.append(digits)
    return out


# ---------------------------------------------------------------------------------------------
# the golden set itself
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cases", [ZH_VALID, JA_VALID], ids=["zh", "ja"])
def test_golden_values_are_what_they_claim(cases: list[Case]) -> None:
    assert len(cases) >= 60
    kinds = {kind for kind, *_ in cases}
    assert {"PHONE", "CARD", "SORT_CODE", "ACCOUNT_NUMBER", "POSTCODE", "EMAIL", "NAME"} <= kinds
    assert "ID_NUMBER" in kinds
    assert any(normalize(value) != value for _, value, _, _ in cases)  # full-width forms
    touching = [s.split("{v}") for kind, _, s, _ in cases if kind != "NAME"]
    assert any(CJK_CHAR.search(a[-1:]) and CJK_CHAR.match(b) for a, b in touching)
    for kind, value, _, _ in cases:
        if kind == "CARD":
            assert luhn_ok(unicodedata.normalize("NFKC", value)), value
        if kind == "ID_NUMBER":
            assert resident_id_ok(value) or my_number_ok(value), value


@pytest.mark.parametrize("case", ZH_VALID + JA_VALID, ids=lambda c: f"{c[0]}:{c[1]}")
def test_each_value_is_replaced_and_no_form_of_it_is_left(redactor: Redactor, case: Case) -> None:
    kind, value, sentence, names = case
    out, counts = redactor.redact(sentence.format(v=value), names=names)
    assert TOKENS[kind] in out
    assert counts.get(kind, 0) >= 1
    for form in forms(value):
        assert form not in out
    assert sum(counts.values()) == sum(out.count(token) for token in TOKENS.values())


# ---------------------------------------------------------------------------------------------
# the reported failures, one by one
# ---------------------------------------------------------------------------------------------

EXACT: list[tuple[str, list[str], str]] = [
    # UK phones touching CJK characters (the number boundary used \w, which matches them).
    ("手机号码是07700 900461，", [], "手机号码是[PHONE]，"),
    ("電話番号は07700 900461です", [], "電話番号は[PHONE]です"),
    # Full-width digits and separators; the stored text keeps full-width characters elsewhere.
    ("電話は０７７００　９００４６１です！（携帯）", [], "電話は[PHONE]です！（携帯）"),
    (
        "メール：ＴＡＲＯ＠ＥＸＡＭＰＬＥ．ＪＰ、電話：＋４４　７７００　９００１２３。",
        [],
        "メール：[EMAIL]、電話：[PHONE]。",
    ),
    # Cards, sort codes, account numbers and postcodes after CJK words.
    ("卡号是4539 1488 0343 6467", [], "卡号是[CARD]"),
    ("カード番号は4539 1488 0343 6467です", [], "カード番号は[CARD]です"),
    ("分类代码20-12-05，账号31926819。", [], "分类代码[SORT_CODE]，账号[ACCOUNT_NUMBER]。"),
    (
        "口座番号は1234567、ソートコードは12-03-24です",
        [],
        "口座番号は[ACCOUNT_NUMBER]、ソートコードは[SORT_CODE]です",
    ),
    ("邮编SW1A 1AA，〒100-0001", [], "邮编[POSTCODE]，〒[POSTCODE]"),
    # The email stops at CJK characters on either side.
    ("我的邮箱是wang.xm@example.cn，谢谢", [], "我的邮箱是[EMAIL]，谢谢"),
    ("メールはyamada.taro@example.jpです", [], "メールは[EMAIL]です"),
    # Names as substrings, with or without the space, and a part only before an honorific.
    ("王小明来电，王先生说王 小明的卡丢了", ["王小明"], "[NAME]来电，[NAME]先生说[NAME]的卡丢了"),
    ("山田太郎です。山田様の口座", ["山田太郎"], "[NAME]です。[NAME]様の口座"),
    ("我是Xiaoming Wang，Wang Xiaoming", ["Wang Xiaoming"], "我是[NAME]，[NAME]"),
    ("Taro Yamadaです", ["Yamada Taro"], "[NAME]です"),
    ("王先生和Wu先生", ["王小明", "Li Wu"], "[NAME]先生和[NAME]先生"),
    # ID numbers; one that also passes the Luhn check is an ID number, not a card.
    ("身份证110101199003071233，", [], "身份证[ID_NUMBER]，"),
    ("证件号440306198506121129。", [], "证件号[ID_NUMBER]。"),
    ("マイナンバー1234 5678 9018です", [], "マイナンバー[ID_NUMBER]です"),
    ("My Number: 123456789018", [], "My Number: [ID_NUMBER]"),
    # Two numbers side by side are two numbers; a number grouped the UK way is Japanese in
    # Japanese text.
    ("手机13912345678 13812345678", [], "手机[PHONE] [PHONE]"),
    ("フリーダイヤル0800 123 4567です", [], "フリーダイヤル[PHONE]です"),
]


@pytest.mark.parametrize("case", EXACT, ids=lambda c: c[0][:16])
def test_exact_redacted_text(redactor: Redactor, case: tuple[str, list[str], str]) -> None:
    text, names, expected = case
    assert redactor.redact(text, names)[0] == expected


# Must come back unchanged: dates, amounts, times, references, hotlines, invalid checksums,
# numbers without the words that unlock them, name parts that are not the name.
UNCHANGED: list[tuple[str, list[str]]] = [
    ("2024-03-15和2024年3月15日各扣了一笔", []),
    ("2024/03/15 14:35、15時30分、下午3点", []),
    ("账户余额12345678元，口座残高1234567円", []),  # amounts, even after account words
    ("订单号13812345678还没退款", []),
    ("受付番号0312345678でお調べします", []),
    ("注文番号123456789018の件です", []),  # a valid My Number, but a reference
    ("客服热线95588，或者400-820-8820", []),
    ("身份证110101199003071234，", []),  # check character wrong
    ("身份证110101199013071237，", []),  # checksum holds, no 13th month
    ("マイナンバー123456789017です", []),  # check digit wrong
    ("日期是20-12-05，", []),  # reads like a date, no sort-code words
    ("参考31926819，", []),  # no account words
    ("番号は1234567です", []),  # 7 digits without 口座
    ("我在王府井支行办的卡，明天去", ["王小明"]),  # 王 alone is never the name
    ("山田支店でお待ちしています", ["山田太郎"]),  # a 2-character family name needs 様
    ("小明天天都来", ["王 小明"]),  # the given name alone either
    ("Wuxiのカード", ["Li Wu"]),  # a Latin part still stands as a word
    ("卡号是5555 5555 5555 4445吗", []),  # Luhn fails; its last 12 digits are no My Number
    # In English text: UK non-geographic numbers, a 10-digit number, a 12-digit order number
    # that passes the My Number check digit, a failed IBAN's tail.
    ("Call 0800 123 4567 or 0808 123 4567, ref 0711111111.", []),
    ("Order 123456789018 has shipped.", []),
    ("Customer: I sent it to DE89 3704 0044 0532 0130 01.", []),
]


@pytest.mark.parametrize("case", UNCHANGED, ids=lambda c: c[0][:16])
def test_text_that_stays(redactor: Redactor, case: tuple[str, list[str]]) -> None:
    text, names = case
    assert redactor.redact(text, names) == (text, {})


# ---------------------------------------------------------------------------------------------
# false positives on PII-free Chinese and Japanese sentences
# ---------------------------------------------------------------------------------------------


def test_false_positive_rate_on_clean_cjk_sentences(redactor: Redactor) -> None:
    sentences = [(s, ZH) for s in ZH_CLEAN] + [(s, JA) for s in JA_CLEAN]
    assert len(sentences) >= 60
    changed = []
    for sentence, names in sentences:
        out, counts = redactor.redact(sentence, names=names)
        if out != sentence or counts:
            changed.append(f"{sentence!r} -> {out!r}")
    rate = len(changed) / len(sentences)
    print(
        f"\nredaction false-positive rate (zh, ja): {rate:.1%} "
        f"({len(changed)} of {len(sentences)} clean sentences changed)"
    )
    for line in changed:
        print("  false positive:", line)
    assert rate < 0.05


# ---------------------------------------------------------------------------------------------
# normalisation and pre-filters
# ---------------------------------------------------------------------------------------------


def test_normalisation_keeps_every_offset() -> None:
    assert normalize("０７７００－９００４６１　ＡＢＣ＠ｘ．ｊｐ") == "07700-900461 ABC@x.jp"
    assert normalize("090ー1234ー5678、ラーメン") == "090-1234-5678、ラーメン"
    text = "½ ™ ﬁ ㈱ ｶﾞ ①２③ ＃"  # NFKC would expand some of these: they are kept
    assert len(normalize(text)) == len(text)
    assert normalize("plain ascii") == "plain ascii"


def cjk_fuzz_texts(seed: int, count: int) -> Iterator[str]:
    rng = random.Random(seed)
    pieces = [
        *"0 07 1 2 3 4 5 6 7 8 9 12 34 138 1234 5678 4111 0120 - ( ) . , : @ +86 +81 X".split(),  # noqa: SIM905
        *"０ ７ １ ２ ３ － （ ） ＠ ，".split(),  # noqa: SIM905
        *"手机 账号 分类代码 邮编 〒 口座 先生 様 王 山田 元 年 号 订单号 example.cn ー".split(),  # noqa: SIM905
        " ",
        "\u3000",
        "\n",
    ]
    for _ in range(count):
        yield "".join(rng.choice(pieces) for _ in range(rng.randint(5, 30)))


def test_prefilters_never_cause_a_miss_on_cjk_text(redactor: Redactor) -> None:
    texts = [s.format(v=v) for _, v, s, _ in ZH_VALID + JA_VALID] + ZH_CLEAN + JA_CLEAN
    texts += [text for text, _ in UNCHANGED] + list(cjk_fuzz_texts(seed=5, count=3000))
    for text in texts:
        assert redactor._find(text, ()) == redactor._find(text, (), prefilter=False), text


def test_email_windowing_matches_the_whole_text_scan_on_cjk_text() -> None:
    texts = [normalize(s.format(v=v)) for k, v, s, _ in ZH_VALID + JA_VALID if k == "EMAIL"]
    texts += [normalize(t) for t in cjk_fuzz_texts(seed=13, count=3000) if "@" in normalize(t)]
    for text in texts:
        windowed = sorted(redaction_patterns._find_emails(text))
        whole = sorted(m.span() for m in redaction_patterns._EMAIL.finditer(text))
        assert windowed == whole, text
