"""Words of Chinese and Japanese texts for theme keywords: Chinese by ``jieba`` (its default
dictionary), Japanese by ``janome`` (IPADIC parts of speech: nouns, verbs' base forms and
adjectives kept; particles, auxiliaries, symbols and numbers dropped). Redaction tokens such as
``[CARD]``, speaker labels (``客户``, ``お客様``, ``Customer`` and a colon), single characters, and
function words and contact-centre filler (``您好``, ``お客様``, ...) are left out. Latin words
inside a CJK text (``App``, ``PIN``) go through the caller's English filter.

For theme names (``sequence``) a text is read in order with its function words kept as such
(particles, stop words, single characters), so a name can read ``支払いが保留`` or
``待处理的付款``; punctuation, numbers, redaction tokens and speaker labels break it.

Both segmenters load their dictionaries once per process, on first use (jieba about 1 s,
janome about 0.5 s on this machine), so importing this module costs nothing."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator
from itertools import pairwise
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from janome.tokenizer import Tokenizer

CJK = ("zh", "ja")

# Internal joiner of a CJK bigram's two words, so label rules can see its parts; keywords are
# shown with it removed (``display``): CJK compounds are written without a space.
JOIN = "\x1f"

_REDACTION = re.compile(r"\[[A-Z][A-Z0-9_]*\]|<[A-Z][A-Z0-9_]*>|\{\{[^}]*\}\}")

# A speaker label at the start of a line or a sentence, or after the " / " that joins gap
# evidence parts.
_SPEAKER = re.compile(
    r"(?:^|(?<=[\s/.!?\u3002\uff01\uff1f]))"
    r"(?:customer|agent|caller|advisor|adviser|colleague|user|system|bot"
    r"|客户|客服|坐席|顾客|用户|来电人|お客様|お客さま|顧客|オペレーター|担当者|エージェント)"
    r"\s*[:\uff1a]",  # an ASCII or a full-width colon
    re.IGNORECASE | re.MULTILINE,
)

_LATIN = re.compile(r"^[a-z]+(?:'[a-z]+)*$")
_HAS_WORD = re.compile(r"[^\W\d_]")  # a letter of any script


def _word_list(text: str) -> frozenset[str]:
    return frozenset(text.split())


ZH_STOP = _word_list(
    """
    的 了 着 过 是 在 有 和 与 及 或 或者 而 而且 并 并且 但 但是 可是 不过 因为 所以 如果
    虽然 然后 于是 那么 这 那 这个 那个 这些 那些 这样 那样 这里 那里 这种 那种 哪 哪里 哪个
    什么 怎么 怎么样 怎样 为什么 为何 多少 几 我 你 您 他 她 它 我们 你们 您们 他们 她们 咱们
    自己 大家 别人 人家 吗 呢 吧 啊 呀 哦 嗯 哈 啦 嘛 么 就 都 也 还 还是 又 再 才 只 只是
    已经 正在 一直 一下 一些 有些 有点 一点 一个 一样 很 非常 比较 特别 真的 可能 可以 能 能够
    会 要 想 需要 应该 必须 得 让 给 把 被 对 对于 关于 从 到 向 跟 为 为了 由 以 比 等 等等
    没有 没 不 不是 不会 不能 不要 别 是否 是不是 有没有 现在 今天 刚才 时候 之前 之后 以后
    以前 上 下 里 中 内 外 前 后 多 少 每 所有 其他 其它 另外 其实 然而 还有 通过 进行 知道
    觉得 认为 告诉 说 说明 问 问题 情况 事情 东西 方面 方式 时间 一般 主要 请 请问 您好 你好
    喂 谢谢 感谢 多谢 不好意思 抱歉 对不起 麻烦 帮 帮忙 帮助 好的 好 是的 对 对的 嗯嗯 收到
    明白 了解 稍等 客户 顾客 用户 坐席 客服 先生 女士 银行 本行 我行 贵行 这边 那边
    的话 不用 不了 一次 一份 一条 一遍 一笔 一种 两个 几个 几次 通常 经常 总是 直接
    谢谢您 感谢您 非常感谢 确定 不确定 清楚 不清楚 确认 核实 查一下 看看 我要 我想 想要 我用
    那天 哪天 这天 当天 前天 昨天 明天 上周 这周 本周 下周 上个月 这个月 这笔 那笔 哪笔 这张
    那张 作为 这么 那么 怎么办 马上 还没 还没有 为啥 之类 一下子
    """
)

JA_STOP = _word_list(
    """
    する ある いる なる できる れる られる せる させる くる 来る いく 行く おる ござる いただく
    くださる 下さる もらう あげる 思う 言う いう 考える 存じる 申し上げる 申す 参る 伺う
    よう こと もの ため ところ とき 時 方 ほう それ これ あれ どれ そこ ここ どこ
    お客様 お客さま 客様 顧客 銀行 当行 弊行 オペレーター 担当 担当者 ありがとう
    ありがとうございます お願い 願い 申し訳 すみません 失礼 はい いいえ 様 さん 本日 今日
    お問い合わせ 問い合わせ 確認 お待ち 少々 大変 よろしい いい よい ない ほしい 欲しい
    必要 済む 自分 分かる わかる 知る 通常 場合 今回 前回 全部 すべて 何度 何回 直接
    """
)

# janome's IPADIC parts of speech: (major, minor) pairs kept; others of the major are dropped.
_JA_NOUNS = {"一般", "サ変接続", "固有名詞", "形容動詞語幹", "ナイ形容詞語幹"}
_JA_KEEP = {"名詞": _JA_NOUNS, "動詞": {"自立"}, "形容詞": {"自立"}}

_lock = threading.Lock()


def display(term: str) -> str:
    """How a term is shown: a CJK bigram's parts written together."""
    return term.replace(JOIN, "")


def parts(term: str) -> list[str]:
    """The words of a term (one, or two for a bigram)."""
    return term.replace(JOIN, " ").split()


def clean(text: str, by: str = " ") -> str:
    """Redaction tokens and speaker labels replaced ``by`` a space (or what is given)."""
    return _SPEAKER.sub(by, _REDACTION.sub(by, text))


_loaded: dict[str, Any] = {}


def _load(name: str, factory: Callable[[], Any]) -> Any:
    """Build a segmenter once per process, on first use, even with threads racing for it."""
    found = _loaded.get(name)
    if found is None:
        with _lock:
            found = _loaded.get(name)
            if found is None:
                found = _loaded[name] = factory()
    return found


def _new_jieba() -> Any:
    import jieba

    # jieba logs "Building prefix dict ..." at INFO on its first cut; keep the logs quiet.
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _new_janome() -> Tokenizer:
    from janome.tokenizer import Tokenizer

    return Tokenizer()


def _jieba() -> Any:
    return _load("jieba", _new_jieba)


def _janome() -> Tokenizer:
    result: Tokenizer = _load("janome", _new_janome)
    return result


def _zh_pieces(text: str) -> Iterator[tuple[str, str | None]]:
    """jieba's words as (written, content word or ``None`` for a stop word)."""
    for word in _jieba().lcut(text):
        yield word, word if word not in ZH_STOP else None


def _ja_pieces(text: str) -> Iterator[tuple[str, str | None]]:
    """janome's words as (written, content word or ``None`` for a dropped part of speech or a
    stop word); a content verb or adjective is its base form (``忘れる``)."""
    for token in _janome().tokenize(text):
        if isinstance(token, str):  # only in janome's wakati mode, which is not used
            continue
        surface = str(token.surface)
        pos = str(token.part_of_speech).split(",")
        major, minor = pos[0], pos[1] if len(pos) > 1 else "*"
        if not surface.strip() or minor not in _JA_KEEP.get(major, ()):
            yield surface, None
            continue
        word = str(token.base_form if major != "名詞" else surface)
        if word == "*":  # an unknown word's base form
            word = surface
        yield surface, word if word not in JA_STOP else None


# One word of a text: (as written, its content word or ``None`` for a function word). A
# sequence holds ``None`` in place of a token where a phrase must not run across:
# punctuation, numbers, redaction tokens, speaker labels.
Token = tuple[str, str | None]


def sequence(text: str, language: str, keep_latin: Callable[[str], bool]) -> list[Token | None]:
    """The words of a Chinese or Japanese text in order. Latin words are lower-cased and are
    content words when ``keep_latin`` says so; single characters are function words; spaces
    are skipped, so Latin words either side of one stay next to each other."""
    segment = _zh_pieces if language == "zh" else _ja_pieces
    out: list[Token | None] = []
    # Redaction tokens and speaker labels become a full stop: no phrase runs across one.
    for surface, word in segment(clean(text, "\u3002")):
        surface = surface.strip()
        if not surface:
            continue
        if not _HAS_WORD.search(surface):
            out.append(None)
        elif surface.isascii():
            lower = surface.lower()
            keep = word is not None and _LATIN.match(lower) and keep_latin(lower)
            out.append((lower, lower if keep else None))
        elif word is None or len(word) < 2:  # a lone character: too ambiguous to name a theme
            out.append((surface, None))
        else:
            out.append((surface, word))
    return out


def words(text: str, language: str, keep_latin: Callable[[str], bool]) -> list[str | None]:
    """The content words of a Chinese or Japanese text in order, ``None`` where a word was
    dropped. Latin words are lower-cased and kept when ``keep_latin`` says so."""
    return [token[1] if token else None for token in sequence(text, language, keep_latin)]


def terms_of(found: list[str | None]) -> list[str]:
    """Unigrams, and bigrams of words that stood next to each other in the text (CJK writes
    compounds without spaces, so a bigram across a dropped particle would read wrongly)."""
    unigrams = [w for w in found if w is not None]
    bigrams = [
        f"{a}{' ' if a.isascii() and b.isascii() else JOIN}{b}"
        for a, b in pairwise(found)
        if a and b and a != b
    ]
    return unigrams + bigrams


def cjk_terms(text: str, language: str, keep_latin: Callable[[str], bool]) -> list[str]:
    """``terms_of`` the words of one text."""
    return terms_of(words(text, language, keep_latin))


def join(words: tuple[str, ...] | list[str]) -> str:
    """Words of a CJK phrase as written: together, with a space only between Latin words."""
    out = words[0] if words else ""
    for a, b in pairwise(words):
        out += (" " if a.isascii() and b.isascii() else "") + b
    return out


def warm_up() -> None:
    """Load both dictionaries now (a worker can call it before its first run)."""
    _jieba()
    _janome()
