"""c-TF-IDF per language: on clusters whose members are written in English, Chinese and
Japanese, each language's keywords and name come from that language's own words and name the
topic."""

from __future__ import annotations

from ideas.themes.keywords import language_labels, primary_label, primary_language
from tests.ideas.themes.multilingual import LOST, PENDING, TRANSFER, pairs


def test_each_language_names_the_topic_in_its_own_words() -> None:
    pending, lost, transfer = language_labels([pairs(PENDING), pairs(LOST), pairs(TRANSFER)])
    assert set(pending) == {"en", "zh", "ja"}
    assert pending["en"]["keywords"][:2] == ["payment", "pending"]
    assert {"付款", "待处理"} <= set(pending["zh"]["keywords"][:2])
    assert {"保留", "支払い"} <= set(pending["ja"]["keywords"][:2])
    # Each name is a run of words from that language's own members, never keywords and a slash.
    assert pending["en"]["name"] == "Card payment"
    assert pending["zh"]["name"] == "待处理的付款" and pending["ja"]["name"] == "支払いが保留"
    assert lost["en"]["name"] == "Lost card" and transfer["zh"]["name"] == "国际转账"
    for topic, labels in ((PENDING, pending), (LOST, lost), (TRANSFER, transfer)):
        for language, entry in labels.items():
            assert "/" not in entry["name"]
            assert any(entry["name"].lower() in text.lower() for text in topic[language])
    assert "冻结" in lost["zh"]["keywords"] and {"凍結", "紛失"} <= set(lost["ja"]["keywords"])
    assert "国际转账" in transfer["zh"]["keywords"] and "海外送金" in transfer["ja"]["keywords"]
    for labels in (pending, lost, transfer):
        assert [entry["count"] for entry in labels.values()] == [4, 4, 4]


def test_a_language_is_scored_against_its_own_other_clusters() -> None:
    """The Chinese word shared by two clusters (银行卡) ranks below each cluster's own words,
    though only the Chinese texts mention it."""
    pending, lost = language_labels([pairs(PENDING), pairs(LOST)])
    zh = lost["zh"]["keywords"]
    assert zh.index("冻结") < zh.index("银行卡")
    assert "银行卡" not in pending["zh"]["keywords"][:2]


def test_languages_without_members_are_absent_and_counts_can_be_given() -> None:
    only_en, mixed = language_labels(
        [pairs(PENDING, ("en",)), pairs(LOST, ("en", "ja"))],
        counts=[{"en": 40}, {"en": 2, "ja": 30}],
    )
    assert set(only_en) == {"en"} and only_en["en"]["count"] == 40
    assert set(mixed) == {"en", "ja"} and mixed["ja"]["count"] == 30
    assert primary_language(mixed) == "ja"
    assert primary_label(mixed) == (mixed["ja"]["keywords"], mixed["ja"]["name"])


def test_undetermined_language_is_read_as_english() -> None:
    (labels,) = language_labels([[("und", t) for t in PENDING["en"]]])
    assert set(labels) == {"en"} and labels["en"]["keywords"][0] == "payment"


def test_primary_language_breaks_ties_in_a_fixed_order_and_defaults_to_english() -> None:
    tie = {"ja": {"count": 5}, "zh": {"count": 5}}
    assert primary_language(tie) == "zh"
    assert primary_language({}) == "en"
    assert primary_label({}) == ([], "Unlabelled theme")
