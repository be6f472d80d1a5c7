"""Which name a viewer sees: a CX lead's name always; the name in the viewer's language when the
theme has enough members in it; otherwise the most common language's name with the other
languages' top keywords beside it. Nothing is translated."""

from __future__ import annotations

from typing import Any

from ideas.themes.models import Theme
from ideas.themes.naming import (
    MIN_MEMBERS,
    MIN_SHARE,
    display_label,
    display_labels,
    display_names,
    enough,
)

EN: dict[str, Any] = {
    "name": "Card payment / pending",
    "keywords": ["payment", "pending", "card", "app"],
}
ZH = {"name": "付款 / 待处理", "keywords": ["付款", "待处理", "显示", "应用"]}
JA = {"name": "保留 / 支払い", "keywords": ["保留", "支払い", "アプリ", "表示"]}


def theme(
    en: int, zh: int, ja: int, name: str = "Card payment / pending", renamed: bool = False
) -> Theme:
    labels = {
        language: {**entry, "count": count}
        for language, entry, count in (("en", EN, en), ("zh", ZH, zh), ("ja", JA, ja))
        if count
    }
    keywords = list(EN["keywords"])
    return Theme(
        id=1, name=name, auto_label=name, renamed=renamed, keywords=keywords, labels=labels
    )


def test_the_viewers_language_with_enough_members_names_the_theme() -> None:
    shown = display_label(theme(20, 10, 5), "zh_Hans")
    assert (shown.name, shown.language, shown.keywords) == (ZH["name"], "zh", ZH["keywords"])
    assert shown.others == {}
    ja = display_label(theme(20, 10, 8), "ja")
    assert (ja.name, ja.language, ja.others) == (JA["name"], "ja", {})
    en = display_label(theme(20, 10, 5), "en")
    assert (en.name, en.language, en.others) == (EN["name"], "en", {})


def test_too_few_members_in_the_viewers_language_falls_back_with_their_keywords() -> None:
    # Two Chinese members: below the minimum, though 2 of 6 is a third of the theme.
    few = display_label(theme(4, 2, 0), "zh_Hans")
    assert (few.name, few.language, few.keywords) == (EN["name"], "en", EN["keywords"])
    assert few.others == {"zh": ["付款", "待处理", "显示"]}
    assert few.name_lang == "en" and few.beside == [("zh-Hans", ["付款", "待处理", "显示"])]
    # Four Japanese members of 40: enough members, too small a share.
    small = display_label(theme(30, 6, 4), "ja")
    assert small.name == EN["name"]
    assert small.others == {"zh": ZH["keywords"][:3], "ja": JA["keywords"][:3]}


def test_no_member_in_the_viewers_language_shows_the_most_common_ones_name() -> None:
    shown = display_label(theme(2, 12, 0), "ja")
    assert (shown.name, shown.language) == (ZH["name"], "zh")
    assert shown.others == {"en": EN["keywords"][:3]}


def test_a_cx_leads_name_is_always_shown() -> None:
    renamed = theme(20, 10, 8, name="Pending payments", renamed=True)
    for locale in ("en", "zh_Hans", "ja"):
        shown = display_label(renamed, locale)
        assert shown.name == "Pending payments" and shown.language is None
    assert display_label(renamed, "zh_Hans").keywords == ZH["keywords"]
    fallback = display_label(theme(20, 1, 0, name="Pending payments", renamed=True), "zh_Hans")
    assert fallback.name == "Pending payments" and fallback.others == {
        "zh": ["付款", "待处理", "显示"]
    }


def test_a_theme_labelled_before_languages_shows_its_own_name() -> None:
    old = Theme(id=2, name="Card arrival", auto_label="Card arrival", keywords=["card", "arrive"])
    shown = display_label(old, "zh_Hans")
    assert (shown.name, shown.keywords, shown.language, shown.others) == (
        "Card arrival",
        ["card", "arrive"],
        "en",
        {},
    )


def test_a_language_without_a_name_yet_is_not_chosen() -> None:
    """Members that joined between runs are counted, but have no name until the next run."""
    joined = theme(10, 0, 0)
    joined.labels = {**joined.labels, "ja": {"name": "", "keywords": [], "count": 5}}
    shown = display_label(joined, "ja")
    assert shown.name == EN["name"] and shown.others == {}


def test_the_threshold_and_the_request_locale() -> None:
    assert MIN_MEMBERS == 3 and MIN_SHARE == 0.2
    assert enough({"en": {"count": 12}, "zh": {"count": 3}}, "zh")  # 3 of 15
    assert not enough({"en": {"count": 13}, "zh": {"count": 3}}, "zh")  # 3 of 16
    assert not enough({"zh": {"count": 2}}, "zh")
    from foundation.i18n import use_locale

    with use_locale("zh_Hans"):
        assert display_label(theme(20, 10, 8)).name == ZH["name"]
        assert display_names([theme(20, 10, 5)]) == {1: ZH["name"]}
    assert display_labels([theme(20, 10, 8)], "ja")[1].name == JA["name"]
