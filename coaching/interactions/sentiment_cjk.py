"""Negative sentiment of a Chinese or Japanese customer turn: a curated polarity lexicon of our
own with negation and intensity, plus the dissatisfaction phrases (``phrases_zh`` /
``phrases_ja``). The method and its measured accuracy are in ``sentiment.py``'s docstring.

Chinese is read in words (jieba, dictionary only): a lexicon entry may span up to three of
jieba's words ("不靠/谱"), a negator among the three words before it turns it round and
scales it (VADER's -0.74), and a degree word right before it scales it (很, 非常 ... or 有点).
Japanese is read as text: an entry is a stem ("ひどい", "困っ", "満足") and a negative
ending in the kana right after it ("困っていない", "満足していません") turns it round; a degree
adverb up to eight characters before it scales it. Why not janome for Japanese too: it costs
about half a millisecond a turn, twenty times the rest, and stems read inflection as well.
"""

from __future__ import annotations

import math
import re
from functools import cache

from coaching.interactions.matching_cjk import dissatisfied, negated_after, words

_NEGATION_SCALE = -0.74  # as VADER
_ALPHA = 15  # VADER's normalisation: compound = s / sqrt(s * s + alpha)
_MAX_SPAN = 3

ZH_LEXICON = {
    # negative
    "差": -1.5, "很差": -2.0, "太差": -2.5, "差劲": -2.5, "糟糕": -2.5, "糟透": -3.0,
    "失望": -2.0, "生气": -2.5, "气死": -3.0, "愤怒": -3.0, "恼火": -2.5, "火大": -2.5,
    "烦": -1.5, "烦人": -2.0, "烦死": -2.5, "郁闷": -2.0, "不爽": -2.0, "垃圾": -3.0,
    "坑": -1.5, "坑人": -2.5, "骗人": -2.5, "恶心": -3.0, "离谱": -2.5, "过分": -2.5,
    "无语": -2.0, "着急": -1.2, "担心": -1.0, "害怕": -1.5, "慢": -0.8, "太慢": -1.8,
    "难用": -2.0, "没用": -2.0, "敷衍": -2.5, "推卸": -2.5, "推诿": -2.5, "恶劣": -3.0,
    "气人": -2.5, "心累": -2.0, "崩溃": -2.5, "折腾": -1.5, "耽误": -1.5, "浪费": -2.0,
    "欺负": -2.5, "可恶": -3.0, "讨厌": -2.5, "不靠谱": -2.0, "难受": -2.0, "伤心": -2.0,
    "难过": -2.0, "痛苦": -2.5, "焦虑": -1.5, "不满": -2.0, "不满意": -2.0, "不好": -1.5,
    "倒霉": -2.0, "无奈": -1.5, "绝望": -3.0, "委屈": -2.0, "荒唐": -2.5, "荒谬": -2.5,
    "乱扣": -2.0, "乱收费": -2.5, "不负责任": -3.0, "不专业": -2.0, "受不了": -2.5,
    "烂": -2.5, "不合理": -2.0, "莫名其妙": -2.0, "打不通": -1.5, "坑爹": -2.5, "欺骗": -2.5,
    "忽悠": -2.5, "扯皮": -2.5, "踢皮球": -2.5, "拖延": -2.0, "拖拖拉拉": -2.0, "低效": -2.0,
    "效率低": -2.0, "不耐烦": -2.0, "冷漠": -2.0, "粗鲁": -2.5, "没礼貌": -2.5,
    "不礼貌": -2.5, "霸道": -2.5, "黑心": -3.0, "无理": -2.5, "气愤": -2.5, "愤慨": -2.5,
    "抓狂": -2.5, "头疼": -1.5, "闹心": -2.0, "窝火": -2.5, "憋屈": -2.0, "心寒": -2.5,
    "寒心": -2.5, "后悔": -2.0, "吃亏": -2.0, "失信": -2.5, "不讲理": -2.5, "不像话": -2.5,
    "岂有此理": -3.0, "疯": -2.0, "差评": -2.5, "可笑": -2.0, "不作为": -2.5, "不公平": -2.0,
    # positive
    "很好": 2.0, "挺好": 1.5, "真好": 2.0, "太好了": 2.5, "不错": 1.5, "满意": 2.0,
    "感谢": 1.5, "大忙": 2.0, "解决": 1.0, "放心": 1.5, "安心": 1.5, "开心": 2.0,
    "高兴": 2.0, "棒": 2.5, "完美": 2.5, "专业": 1.5, "耐心": 1.5, "热情": 1.5, "周到": 2.0,
    "方便": 1.5, "顺利": 1.5, "很快": 1.2, "及时": 1.2, "靠谱": 1.5, "清楚": 0.8,
    "厉害": 2.0, "贴心": 2.0, "给力": 2.0, "谢谢": 1.0, "点赞": 2.0, "赞": 2.0, "好评": 2.0,
    "好用": 1.5, "高效": 2.0, "效率高": 2.0, "省心": 2.0, "舒心": 2.0, "暖心": 2.0,
    "感动": 2.0, "体贴": 2.0, "细心": 1.5, "认真": 1.5, "负责": 1.5, "客气": 1.0,
    "友好": 2.0, "礼貌": 1.5, "合理": 1.0, "信任": 1.5,
}  # fmt: skip
_ZH_NEGATORS = frozenset(
    [
        "不",
        "没",
        "没有",
        "别",
        "无",
        "未",
        "不是",
        "并不",
        "从不",
        "毫不",
        "不太",
        "不怎么",
        "并没有",
        "从来不",
        "一点也不",
        "一点都不",
    ]
)
_ZH_DEGREE = {
    "太": 1.5, "很": 1.3, "非常": 1.5, "特别": 1.5, "真": 1.3, "真的": 1.3, "超": 1.5,
    "超级": 1.5, "极": 1.5, "极其": 1.6, "十分": 1.5, "相当": 1.4, "好": 1.3, "最": 1.5,
    "实在": 1.4, "有点": 0.6, "有些": 0.6, "稍微": 0.5, "比较": 0.8,
}  # fmt: skip

JA_LEXICON = {
    # negative (whole words where the word itself ends in a negative: 許せない)
    "最悪": -3.0, "最低": -3.0, "ひど": -2.5, "酷い": -2.5, "酷く": -2.5, "酷す": -2.5,
    "腹が立": -2.5, "腹立たし": -2.5, "ムカつ": -2.5, "むかつ": -2.5, "イライラ": -2.0,
    "いらいら": -2.0, "怒っ": -2.5, "怒り": -2.5, "不満": -2.0, "不快": -2.0, "不便": -1.5,
    "不親切": -2.0, "残念": -1.5, "がっかり": -2.0, "失望": -2.5, "うんざり": -2.5,
    "困っ": -1.5, "困る": -1.5, "困り": -1.5, "迷惑": -2.0, "面倒": -1.5, "遅すぎ": -2.0,
    "遅い": -1.2, "許せない": -3.0, "信じられない": -2.0, "呆れ": -2.0, "あきれ": -2.0,
    "心配": -1.0, "不安": -1.2, "悲し": -2.0, "辛い": -2.0, "つらい": -2.0, "嫌": -2.0,
    "いい加減": -2.0, "無責任": -2.5, "不誠実": -2.5, "ふざけ": -3.0, "使いにく": -1.5,
    "分かりにく": -1.5, "わかりにく": -1.5, "不十分": -1.5, "ショック": -2.0,
    "我慢できない": -2.5, "納得できない": -2.5, "話にならない": -3.0, "役に立たない": -2.5,
    "ありえない": -2.5, "あり得ない": -2.5, "疲れ": -1.0, "不愉快": -2.5, "許せません": -3.0,
    "納得いかない": -2.5, "頭にく": -2.5, "頭に来": -2.5, "情けない": -2.0, "不信感": -2.5,
    "信用できない": -2.5, "信頼できない": -2.5, "たらい回し": -2.5, "散々": -2.0,
    "煩わし": -2.0, "不手際": -2.0, "冷たい": -1.5, "横柄": -2.5, "後悔": -2.0,
    "悔しい": -2.0, "不公平": -2.0, "理不尽": -3.0, "待たされ": -1.5,
    # positive
    "ありがとう": 1.0, "助かり": 2.0, "助かる": 2.0, "助かっ": 2.0, "嬉し": 2.0,
    "うれし": 2.0, "良かった": 2.0, "よかった": 2.0, "良く": 1.0, "安心": 1.5, "満足": 2.0,
    "素晴らし": 3.0, "すばらし": 3.0, "丁寧": 2.0, "親切": 2.0, "便利": 1.5, "感謝": 2.0,
    "最高": 3.0, "完璧": 2.5, "スムーズ": 1.5, "分かりやすい": 1.5, "わかりやすい": 1.5,
    "早い": 1.0, "速い": 1.0, "解決し": 1.5, "解決でき": 1.5, "ホッと": 1.5, "ほっと": 1.5,
    "快適": 2.0, "優しい": 2.0, "頼もしい": 2.0, "感動": 2.0, "心強い": 2.0,
    "ありがたい": 2.0, "有難い": 2.0, "迅速": 2.0, "的確": 2.0, "親身": 2.0, "おかげ": 1.5,
}  # fmt: skip
_JA_DEGREE = {
    "本当に": 1.5, "ほんとうに": 1.5, "ほんとに": 1.5, "非常に": 1.5, "大変": 1.4,
    "とても": 1.4, "すごく": 1.5, "凄く": 1.5, "かなり": 1.4, "全く": 1.5, "まったく": 1.5,
    "マジで": 1.5, "超": 1.5, "全然": 1.5, "少し": 0.6, "ちょっと": 0.7,
}  # fmt: skip
_JA_DEGREE_REACH = 8
_JA_TOO = re.compile("[ぁ-ゖ]{0,2}すぎ")
_JA_TOO_SCALE = 1.5

_UNIT_SPLIT = {
    "zh": re.compile(r"[。！？!?；;\n]+|但是|可是|不过|然而"),
    "ja": re.compile(r"[。！？!?；;\n]+|しかし|でも|けど|けれど"),
}
# Units that are only pleasantries ("好的，谢谢", "ありがとうございました") are skipped.
_PLEASANTRY = {
    "zh": re.compile(
        r"非常感谢|太感谢了|谢谢(?:你们|你|您)?|多谢|感谢|好的|好吧|没有了|没了|没事了|没别的了"
        r"|就这样吧?|就这些|再见|拜拜|麻烦了|辛苦了|是的|可以|行|嗯|哦|噢|对|好|是|那|吧|了|啊"
        r"|bye|ok|okay",
        re.IGNORECASE,
    ),
    "ja": re.compile(
        r"ありがとうございます|ありがとうございました|ありがとう|どうも|はい|ええ|分かりました"
        r"|わかりました|承知しました|了解(?:です|しました)|失礼(?:します|いたします)"
        r"|(?:よろしく)?お願い(?:します|いたします)|それでは|では|じゃあ|大丈夫です|以上です"
        r"|結構です|さようなら|お疲れ様です|です|ね|よ|ok|okay",
        re.IGNORECASE,
    ),
}
_LEFT = re.compile(r"[^\W_]")


@cache
def _ja_pattern() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(JA_LEXICON, key=len, reverse=True))))


def _zh_value(word: str) -> float | None:
    """A lexicon entry's valence, also when jieba glued a degree word or a negator to it
    ("真糟糕", "不高兴")."""
    value = ZH_LEXICON.get(word)
    if value is None and len(word) >= 2 and word[0] in _ZH_DEGREE:
        inner = _zh_value(word[1:])
        value = None if inner is None else inner * _ZH_DEGREE[word[0]]
    if value is None and len(word) >= 2 and word[0] in _ZH_NEGATORS:
        inner = _zh_value(word[1:])
        value = None if inner is None else inner * _NEGATION_SCALE
    return value


def _zh_inside(word: str) -> float | None:
    """The longest entry inside one word that jieba kept whole (an idiom: 气死我了)."""
    inside = [w for w in _zh_inner_entries() if w in word] if len(word) >= 3 else []
    return ZH_LEXICON[max(inside, key=len)] if inside else None


@cache
def _zh_inner_entries() -> tuple[str, ...]:
    return tuple(w for w in ZH_LEXICON if len(w) >= 2)


def _zh_modifiers(before: list[str]) -> float:
    """The scale the (up to three) words before an entry put on it, within its clause: the
    nearest degree word, and a negator among them."""
    cut = [k for k, t in enumerate(before) if not _LEFT.search(t)]
    before = before[cut[-1] + 1 :] if cut else before
    scale = next((_ZH_DEGREE[t] for t in reversed(before) if t in _ZH_DEGREE), 1.0)
    return scale * (_NEGATION_SCALE if any(t in _ZH_NEGATORS for t in before) else 1.0)


@cache
def _zh_any_entry() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(ZH_LEXICON, key=len, reverse=True))))


def _zh_score(unit: str) -> float:
    if not _zh_any_entry().search(unit):  # no entry in it: no need to segment it
        return 0.0
    tokens = [t for t in words(unit, "zh") if t.strip()]
    total, i = 0.0, 0
    while i < len(tokens):
        for span in range(min(_MAX_SPAN, len(tokens) - i), 0, -1):
            joined = "".join(tokens[i : i + span])
            value = _zh_value(joined) if span > 1 else _zh_value(joined) or _zh_inside(joined)
            if value is not None:
                total += value * _zh_modifiers(tokens[max(0, i - 3) : i])
                i += span
                break
        else:
            i += 1
    return total


def _ja_score(unit: str) -> float:
    total = 0.0
    for match in _ja_pattern().finditer(unit):
        value = JA_LEXICON[match.group(0)]
        before = unit[max(0, match.start() - _JA_DEGREE_REACH) : match.start()]
        value *= max((v for k, v in _JA_DEGREE.items() if k in before), default=1.0)
        if _JA_TOO.match(unit, match.end()):  # 使いにくすぎる: "too hard to use"
            value *= _JA_TOO_SCALE
        if negated_after(unit, match.end(), "ja"):
            value *= _NEGATION_SCALE
        total += value
    return total


def compound(text: str, language: str) -> float:
    """The lexicon's score of ``text`` (normalised) in -1..1, as VADER's compound."""
    score = _zh_score(text) if language == "zh" else _ja_score(text)
    return score / math.sqrt(score * score + _ALPHA)


def units(text: str, language: str) -> list[str]:
    """The parts of a turn scored one by one, pleasantry-only parts left out."""
    parts = (u.strip(" \t,，、-") for u in _UNIT_SPLIT[language].split(text))
    return [u for u in parts if u and _LEFT.search(_PLEASANTRY[language].sub("", u))]


def ending(text: str, language: str, threshold: float, neutral: float) -> tuple[bool, str | None]:
    """How a customer turn ends, read from its last unit back (the English rule, ``sentiment``):
    (decided, reason). Decided with a reason: negative; decided without: positive or mild;
    not decided: nothing but pleasantries and neutral units, so the turn before decides."""
    parts = units(text, language)
    for unit in reversed(parts):
        phrase = dissatisfied(unit, language)
        if phrase is not None:
            return True, f'customer ended with dissatisfaction phrase "{phrase}"'
        score = compound(unit, language)
        if abs(score) < neutral:
            continue
        if score <= threshold and compound("。".join(parts), language) <= -neutral:
            quoted = unit if len(unit) <= 80 else unit[:79] + "…"
            return True, (
                f"customer ended negatively: lexicon score {score:.2f} <= {threshold:.2f} "
                f'("{quoted}")'
            )
        return True, None
    return False, None
