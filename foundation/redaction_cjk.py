"""Recognizers for the Chinese and Japanese formats of customer PII, and the Chinese and
Japanese context words the UK recognizers read (``foundation.redaction_patterns`` registers
them): +86 mobiles and Chinese landlines, +81 and Japanese domestic numbers, Chinese resident
ID numbers (ISO 7064 MOD 11-2) and Japanese My Numbers (check digit), Japanese 7-digit and
Chinese long account numbers and Chinese and Japanese postcodes after their words. They run on
normalised text (``redaction_text.normalize``: full-width forms already half-width).
Standard library only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from foundation.redaction_text import (
    CJK,
    FIRST,
    NOT_CONTINUING,
    NUM_END,
    NUM_START,
    Finder,
    digits,
    matches,
    near,
)

# --- context words (no word boundaries: Chinese and Japanese put no spaces around words) -------
SORT_WORDS_CJK = (
    "分类代码|分類代碼|分类码|银行代码|銀行代碼|分行代码|分行代碼|排序码|排序代码|清算代码"
    "|ソートコード|支店番号|支店コード|銀行コード|金融機関コード"
)
ACCOUNT_WORDS_CJK = "账号|帐号|賬號|账户|帐户|賬戶|户口|戶口|户头|口座"
ADDRESS_WORDS_CJK = (
    "地址|住址|住在|搬到|搬家|邮编|邮政编码|郵遞區號|寄到|寄给|送到|收货"
    "|住所|住ん|引っ越|引越|郵便番号|郵送|送付先|届け先|〒"
)
# A number right after one of these is a reference, not a phone, an ID or an account.
_REFERENCE = re.compile(
    "订单|單號|单号|流水号|流水號|参考号|參考號|受理号|受理编号|工单|交易号|交易編號|交易编号"
    "|案件号|凭证号|发票号|快递|物流|编号|編號|型号|型號|批次"
    "|注文番号|受付番号|問い合わせ番号|問合せ番号|参照番号|管理番号|取引番号|伝票番号"
    "|予約番号|整理番号|お問い合わせ|追跡番号|品番|型番"
)


_CJK_CHAR = re.compile(f"[{CJK}]")


def continues_group(text: str, start: int) -> bool:
    """Whether the number at ``start`` is the tail of a longer grouped one: right after a group
    of 1-4 digits and a space or dash ("5555 5555 5555 4445", "DE89 3704 0044 0532 0130").
    After a whole number ("13912345678 13812345678") it is a number of its own."""
    if start < 2 or not text[start].isdigit() or text[start - 1] not in " -":
        return False
    if not text[start - 2].isdigit():
        return False
    run = start - 2
    while run > 0 and text[run - 1].isdigit():
        run -= 1
    return start - 1 - run <= 4


def written_chinese_or_japanese_style(m: re.Match[str], text: str) -> bool:
    """A domestic number written the UK way, plain or spaced ("0800 123 4567"), is Chinese
    or Japanese only in Chinese or Japanese text; with +86 / +81, hyphens or brackets it is."""
    number = m.group()
    international = number.startswith(("+", "00", "(+", "(00"))
    return international or bool(re.search(r"[\-)]", number)) or in_cjk_text(text, *m.span())


def in_cjk_text(text: str, start: int, end: int) -> bool:
    """Whether a Chinese or Japanese character is within 20 characters of the span."""
    return near(_CJK_CHAR, text, start, end, before=20, after=20)


def after_reference(text: str, start: int) -> bool:
    """Whether a reference word ("订单号", "受付番号") is in the 12 characters before."""
    return _REFERENCE.search(text, max(0, start - 12), start) is not None


# Phone numbers start at no (non-CJK) word character, no sign and no number they continue;
# checked right after the first character (see ``redaction_text.FIRST``).
_P = rf"{FIRST}(?<![+\-].)(?<!\d[.,/:].)"
_PHONE_END = rf"(?!-\d){NUM_END}"


def _prefixes(country: str) -> str:
    """+CC / 00CC, then an optional "(0)"; or the trunk 0, bracketed or not. Each branch starts
    with its literal first character."""
    intl = rf"[ \-]?{country}[ \-]?(?:\(0\)[ \-]?)?"
    return rf"(?:\+{_P}{intl}|0{_P}0{intl}|\({_P}0|0{_P})"


# --- Chinese phones ----------------------------------------------------------------------------
_CN_MOBILE = re.compile(
    rf"(?:(?:\+{_P}[ \-]?86[ \-]?|0{_P}0[ \-]?86[ \-]?|\({_P}(?:\+|00)?86\)[ \-]?)1|1{_P})"
    + r"[3-9]\d(?:[ \-]?\d{4}){2}"  # +86 / 0086 / (+86), 1[3-9]x, 11 digits, 3-4-4 or not
    + _PHONE_END
)
_CN = r"[ \-]?86[ \-]?(?:\(0\)[ \-]?)?"
_CN_LANDLINE = re.compile(
    rf"(?:\+{_P}{_CN}\(?|0{_P}0{_CN}\(?|\({_P}0|0{_P})"  # +86 / 0086 / (0 / 0
    + r"(?P<area>10|2\d|[3-9]\d\d)\)?[ \-]?"  # 010, 02x, 0xxx
    + r"(?P<local>[1-9]\d{3}[ \-]?\d{4}|[1-9]\d{6})"  # 8 digits (4-4 or not grouped) or 7
    + _PHONE_END
)


def _cn_landline_ok(m: re.Match[str], text: str) -> bool:
    local = len(digits(m.group("local")))
    area = m.group("area")
    return (
        (local == 8 if len(area) == 2 else local in (7, 8))
        and not after_reference(text, m.start())
        and written_chinese_or_japanese_style(m, text)
    )


def _cn_mobile_ok(m: re.Match[str], text: str) -> bool:
    return not after_reference(text, m.start())


# --- Japanese phones ---------------------------------------------------------------------------
_JP_PHONE = re.compile(
    _prefixes("81")  # +81 / 0081 / (0 / 0
    + r"(?P<nsn>[1-9](?:[ \-()]{0,2}\d){8,9})"  # 03-1234-5678, 090-1234-5678, 03(1234)5678
    + _PHONE_END
)
_JP_TEN_DIGITS = ("50", "70", "80", "90", "800")  # IP phones, mobiles, 0800 free dial


def _jp_phone_ok(m: re.Match[str], text: str) -> bool:
    nsn = m.group("nsn")
    number = digits(nsn)
    wanted = 10 if number.startswith(_JP_TEN_DIGITS) else 9
    groups = len(re.findall(r"[ \-()]+", nsn))
    if len(number) != wanted or groups > 3 or after_reference(text, m.start()):
        return False
    return written_chinese_or_japanese_style(m, text)


# --- Chinese resident ID number (GB 11643): region, birth date, sequence, check character ------
_CN_ID = re.compile(
    "[1-8]"
    + NOT_CONTINUING
    + r"\d{5}( ?)(?P<birth>(?:19|20)\d{6})\1\d{3}[\dXx]"
    + rf"(?![ \-]\d){NUM_END}"
)
_CN_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def cn_id_is_valid(value: str) -> bool:
    """18 characters whose ISO 7064 MOD 11-2 check character (0-9 or X) holds."""
    chars = value.replace(" ", "").upper()
    if len(chars) != 18 or not chars[:17].isdigit():
        return False
    total = sum(int(ch) * w for ch, w in zip(chars[:17], _CN_ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == chars[17]


def _birth_date_ok(yyyymmdd: str) -> bool:
    try:
        born = dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return born <= dt.date.today()


def _cn_id_ok(m: re.Match[str], text: str) -> bool:
    return (
        cn_id_is_valid(m.group())
        and _birth_date_ok(m.group("birth"))
        and not after_reference(text, m.start())
    )


# --- Japanese My Number (individual number): 12 digits, the last a check digit ------------------
_MY_NUMBER = re.compile(NUM_START + r"\d{3}([ \-]?)\d{4}\1\d{4}" + rf"(?![ \-]\d){NUM_END}")


def my_number_is_valid(value: str) -> bool:
    """12 digits whose check digit holds (the Individual Number Act's ordinance, art. 5)."""
    number = digits(value)
    if len(number) != 12:
        return False
    body = number[:11]
    total = sum(int(body[11 - n]) * (n + 1 if n <= 6 else n - 5) for n in range(1, 12)) % 11
    return int(number[11]) == (0 if total <= 1 else 11 - total)


# One 12-digit number in ten passes the check digit: in text that is not Chinese or Japanese,
# only a labelled one is a My Number.
_MY_NUMBER_WORDS = re.compile("マイナンバー|個人番号|my ?number", re.IGNORECASE)


def _my_number_ok(m: re.Match[str], text: str) -> bool:
    start, end = m.span()
    return (
        my_number_is_valid(m.group())
        and not after_reference(text, start)
        and (
            in_cjk_text(text, start, end)
            or near(_MY_NUMBER_WORDS, text, start, end, before=30, after=0)
        )
    )


# --- account numbers: Japanese 7 digits after 口座, Chinese 10-19 digits after 账号 / 账户 --------
_JP_ACCOUNT_WORDS = re.compile("口座")
_JP_ACCOUNT = re.compile(NUM_START + r"\d{6}" + rf"(?![ \-]\d){NUM_END}")
_CN_ACCOUNT_WORDS = re.compile("账号|帐号|賬號|账户|帐户|賬戶|户口|戶口|户头")
_CN_ACCOUNT = re.compile(
    NUM_START + r"(?:\d{9,18}|\d{3}(?: \d{4}){2,3}(?: \d{1,4})?)" + rf"(?![ \-]\d){NUM_END}"
)


def _jp_account_ok(m: re.Match[str], text: str) -> bool:
    return near(_JP_ACCOUNT_WORDS, text, m.start(), m.end(), before=30, after=0)


def _cn_account_ok(m: re.Match[str], text: str) -> bool:
    return near(_CN_ACCOUNT_WORDS, text, m.start(), m.end(), before=20, after=0) and not (
        after_reference(text, m.start()) or cn_id_is_valid(m.group())
    )


# --- postcodes: Japanese 〒123-4567, Chinese 6 digits, each after its word ---------------------
POSTCODE_WORDS_CJK = re.compile("〒|郵便|邮编|邮政|郵政|郵遞|郵递")
_JP_POSTCODE = re.compile(NUM_START + r"\d{2}-?\d{4}" + rf"(?![ \-]\d){NUM_END}")
_JP_POSTCODE_WORDS = re.compile("〒|郵便")
_CN_POSTCODE = re.compile(NUM_START + r"\d{5}" + rf"(?![ \-]\d){NUM_END}")
_CN_POSTCODE_WORDS = re.compile("邮编|邮政|郵政|郵遞|郵递")


def _jp_postcode_ok(m: re.Match[str], text: str) -> bool:
    return near(_JP_POSTCODE_WORDS, text, m.start(), m.end(), before=12, after=0)


def _cn_postcode_ok(m: re.Match[str], text: str) -> bool:
    return near(_CN_POSTCODE_WORDS, text, m.start(), m.end(), before=12, after=0)


def _numbers(
    pattern: re.Pattern[str],
    accept: Callable[[re.Match[str], str], bool],
    needs: Callable[[str], object] | None = None,
) -> Finder:
    """``matches``, less the tails of longer grouped numbers; when ``needs(text)`` (a word
    that ``accept`` requires nearby) is false, the pattern is not run at all."""
    find = matches(
        pattern, lambda m, text: not continues_group(text, m.start()) and accept(m, text)
    )

    def gated(text: str) -> Iterator[tuple[int, int]]:
        if needs is None or needs(text):
            yield from find(text)

    return gated


def _my_number_needs(text: str) -> bool:
    return bool(_CJK_CHAR.search(text) or _MY_NUMBER_WORDS.search(text))


#: The Chinese and Japanese finders of each entity type, which ``redaction_patterns`` chains
#: after its own (one Presidio recognizer per type: each one costs a pass of the engine).
CJK_FINDERS: dict[str, tuple[Finder, ...]] = {
    "PHONE": (
        _numbers(_CN_MOBILE, _cn_mobile_ok),
        _numbers(_CN_LANDLINE, _cn_landline_ok),
        _numbers(_JP_PHONE, _jp_phone_ok),
    ),
    "ID_NUMBER": (
        _numbers(_CN_ID, _cn_id_ok),
        _numbers(_MY_NUMBER, _my_number_ok, _my_number_needs),
    ),
    "ACCOUNT_NUMBER": (
        _numbers(_JP_ACCOUNT, _jp_account_ok, _JP_ACCOUNT_WORDS.search),
        _numbers(_CN_ACCOUNT, _cn_account_ok, _CN_ACCOUNT_WORDS.search),
    ),
    "POSTCODE": (
        _numbers(_JP_POSTCODE, _jp_postcode_ok, _JP_POSTCODE_WORDS.search),
        _numbers(_CN_POSTCODE, _cn_postcode_ok, _CN_POSTCODE_WORDS.search),
    ),
}
