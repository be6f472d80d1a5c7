"""The language of a text: English, Chinese or Japanese (``detect_language``), offline.

Rules, in order, on the first ``MAX_CHARS`` characters (full-width Latin and half-width kana
count as ordinary ones), redaction tokens such as ``[CARD]`` removed:

1. No letter at all (empty, digits, punctuation): ``"und"``.
2. Majority: Latin words against CJK characters, a CJK character counting as
   ``_CJK_CHAR_WEIGHT`` of a word (a Chinese word is 1.5 to 2 characters long). More Latin
   than that gives ``"en"``: an English sentence with one Chinese word stays English, and
   a Chinese sentence with "ATM" or "PIN" in it stays Chinese.
3. Kana (hiragana, katakana, the long-vowel mark) are written only in Japanese: any kana gives
   ``"ja"``, unless it is a lone character in a long Han text (a decorative "の" in Chinese).
4. Han-only text is ``"zh"`` unless lingua is confident it is Japanese, or it holds a
   character that only Japanese writes (a shinjitai form such as 変 or 続, where Simplified
   Chinese writes 变 / 续 and Traditional 變 / 續), so "住所変更" is Japanese and "银行转账"
   Chinese. Han-only Japanese without such a character ("口座解約") reads as Chinese: nothing
   in the text tells them apart.

lingua (``lingua-language-detector``, Apache-2.0, its models in the wheel) is built once per
process, lazily, for the three languages only, in low-accuracy mode: about twice as fast and
the same answer on every text of the labelled set in ``tests/foundation/test_language.py``.
With only these three languages it mostly reads the script, which is why rules 2 and 3 are
ours and cheap. Latin-only text never reaches it. Cost, measured on that set: under a
microsecond an English text, 2 a Japanese and 7 a Chinese one (lingua reads Han-only text);
a 1,000-character Chinese transcript about 100.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

SUPPORTED = ("en", "zh", "ja")
UNDETERMINED = "und"
MAX_CHARS = 1000

_CJK_CHAR_WEIGHT = 0.6
_LONE_KANA_HAN = 20  # one kana in at least this many Han characters is decoration
_JAPANESE_CONFIDENCE = 0.9
_LINGUA_CHARS = 100

_PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")
# Full-width Latin and half-width katakana are counted as they are: NFKC, which would make
# them ordinary, costs a few hundred microseconds on a long Chinese text.
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\uff21-\uff3a\uff41-\uff5a]+")
_KANA = re.compile("[\u3041-\u3096\u30a1-\u30fa\u30fc\u31f0-\u31ff\uff66-\uff9f]+")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Any kana or Han before normalising (half-width katakana included).
_ANY_CJK = re.compile(
    "[\u3041-\u3096\u30a1-\u30fa\u30fc\u31f0-\u31ff\uff66-\uff9f"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)
# Japanese-only forms: neither Simplified nor Traditional Chinese writes them (Traditional
# forms that Japanese shares, such as 確 or 額, are left out, as is 証, which Hong Kong uses).
_SHINJITAI = frozenset(
    "変続発込払帰険済関県駅図広円営売読転働様楽気総価応継戻処団単択帯歳覧両経悪鉄対伝実辺検"
    "効労齢聴雑拠恵渋勧乗剰縦薬掲歩渉徳黒従隠壊"
)


@cache
def _detector() -> Any:
    """lingua for English, Chinese and Japanese; built on first use (a few milliseconds)."""
    from lingua import Language, LanguageDetectorBuilder

    return (
        LanguageDetectorBuilder.from_languages(
            Language.ENGLISH, Language.CHINESE, Language.JAPANESE
        )
        .with_low_accuracy_mode()
        .build()
    )


def _han_language(han: str) -> str:
    """Han-only text (rule 4): Chinese unless Japanese is evident."""
    from lingua import Language

    for value in _detector().compute_language_confidence_values(han[:_LINGUA_CHARS]):
        if value.language == Language.JAPANESE and value.value >= _JAPANESE_CONFIDENCE:
            return "ja"
    return "zh" if _SHINJITAI.isdisjoint(han[: _LINGUA_CHARS * 2]) else "ja"


def _scripts(text: str) -> tuple[str, int, int]:
    """(Han characters, kana count, Latin words) of ``text`` as the rules read it."""
    text = text[:MAX_CHARS]
    if "[" in text:
        text = _PLACEHOLDER.sub(" ", text)
    if text.isascii() or not _ANY_CJK.search(text):  # most English: no counting
        return "", 0, 1 if _LATIN_WORD.search(text) else 0
    kana = sum(map(len, _KANA.findall(text)))
    return "".join(_HAN.findall(text)), kana, len(_LATIN_WORD.findall(text))


def _english(han: str, kana: int, words: int) -> bool:
    return words > (len(han) + kana) * _CJK_CHAR_WEIGHT


def mostly_chinese_or_japanese(text: str) -> bool:
    """Rules 1 and 2 only: is ``text`` Chinese or Japanese rather than English or nothing? (It
    saves telling the two apart.)"""
    han, kana, words = _scripts(text)
    return bool(han or kana) and not _english(han, kana, words)


def detect_language(text: str) -> str:
    """``"en"``, ``"zh"``, ``"ja"``, or ``"und"`` when there is nothing to judge (rules above)."""
    han, kana, words = _scripts(text)
    if _english(han, kana, words):
        return "en"
    if not (han or kana):
        return UNDETERMINED
    if kana and (kana > 1 or len(han) < _LONE_KANA_HAN):
        return "ja"
    return _han_language(han)
