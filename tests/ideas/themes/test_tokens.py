"""Chinese and Japanese words for theme keywords: content words of banking sentences, not
single characters, particles, redaction tokens, speaker labels or contact-centre filler."""

from __future__ import annotations

import subprocess
import sys

from ideas.themes import tokens
from ideas.themes.keywords import _latin_in_cjk as latin
from ideas.themes.keywords import keywords_and_label, terms


def shown(text: str, language: str) -> list[str]:
    return [tokens.display(t) for t in terms(text, language)]


def test_chinese_banking_sentence_gives_words_and_compounds() -> None:
    found = shown(
        "客户：您好，我的信用卡[CARD]被盗刷了，请问怎么申请退款？坐席：谢谢您的来电。", "zh"
    )
    assert {"信用卡", "退款", "申请"} <= set(found)
    assert "申请退款" in found  # a bigram, written without a space
    for noise in (
        "客户",
        "坐席",
        "您好",
        "请问",
        "谢谢",
        "谢谢您",
        "我",
        "的",
        "了",
        "CARD",
        "card",
    ):
        assert noise not in found
    assert all(len(word) > 1 for word in found)
    assert not any(ch in word for word in found for ch in "：，？。[]")


def test_japanese_banking_sentence_keeps_nouns_verbs_and_adjectives() -> None:
    text = (
        "お客様：[NAME]です。キャッシュカードの暗証番号を忘れてしまいました。"
        "手数料も高いです。オペレーター：ありがとうございます。"
    )
    found = shown(text, "ja")
    assert {"キャッシュカード", "暗証番号", "手数料"} <= set(found)
    assert "忘れる" in found and "高い" in found  # base forms of a verb and an adjective
    for noise in (
        "お客様",
        "オペレーター",
        "ありがとう",
        "です",
        "ます",
        "の",
        "を",
        "も",
        "しまう",
    ):
        assert noise not in found
    assert all(len(word) > 1 for word in found)


def test_numbers_and_speaker_labels_are_dropped_in_both_languages() -> None:
    assert shown("Customer: 我想提高转账限额到5000元 / Agent: 我不确定", "zh") == [
        "提高",
        "转账",
        "限额",
        "提高转账",
        "转账限额",
    ]
    found = shown("お客様：振込が3回失敗しました。", "ja")
    assert "振込" in found and "失敗" in found and "3" not in found and "回" not in found


def test_latin_words_inside_cjk_text_use_the_english_rules() -> None:
    assert "apple pay" in shown("我用Apple Pay付款一直待处理", "zh")
    found = shown("お客様：Apple Payで支払いが保留中のままです。", "ja")
    assert {"apple", "pay", "apple pay", "支払い", "保留"} <= set(found)
    assert "the" not in shown("the App无法登录", "zh")


def test_english_is_read_as_before() -> None:
    assert terms("Customer: my card [CARD] has not arrived") == ["card", "arrived", "card arrived"]
    assert terms("Customer: my card [CARD] has not arrived", "und") == terms(
        "Customer: my card [CARD] has not arrived"
    )


def test_cjk_name_is_a_run_of_the_members_words() -> None:
    texts = [["银行卡付款待处理", "付款一直待处理"], ["国际转账延迟", "国际转账没有到账"]]
    (pending, pending_name), (transfer, transfer_name) = keywords_and_label(texts, "zh")
    assert pending[:2] == ["付款", "待处理"]
    # No phrase is shared by both texts, so one text's run of content words names it.
    assert pending_name == "银行卡付款待处理"
    assert "国际转账" in transfer and transfer_name == "国际转账"
    assert keywords_and_label([["[CARD] 谢谢"]], "zh") == [([], "")]
    (_, paid), (_, sent) = keywords_and_label(
        [
            ["カードの支払いが保留中です", "支払いが保留のまま"],
            ["海外送金が遅い", "海外送金が届かない"],
        ],
        "ja",
    )
    assert paid == "支払いが保留" and sent == "海外送金"  # a particle may sit inside a name


def test_a_sequence_marks_breaks_and_function_words() -> None:
    """Redaction tokens, speaker labels and punctuation break a sequence (``None``); particles
    and stop words stay in it as function words, so a name can read "支払いが保留"."""
    found = tokens.sequence("お客様：Apple Payで支払いが保留中です。[CARD]カード", "ja", latin)
    assert found[0] is None and ("apple", "apple") in found and ("が", None) in found
    assert found[-2:] == [None, ("カード", "カード")]
    assert tokens.words("客户：付款一直待处理", "zh", latin) == [None, "付款", None, "待处理"]


def test_segmenters_load_once_per_process_and_quietly() -> None:
    """In a fresh process (this one has loaded them already): jieba's "Building prefix dict"
    lines stay out of the logs, and a second text reuses the loaded segmenters."""
    script = (
        "import logging, sys\n"
        "logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)\n"
        "from ideas.themes import tokens\n"
        "from ideas.themes.keywords import terms\n"
        "terms('待处理付款', 'zh'); terms('保留中の支払い', 'ja')\n"
        "first = tokens._jieba(), tokens._janome()\n"
        "terms('国际转账', 'zh'); terms('海外送金', 'ja')\n"
        "assert (tokens._jieba(), tokens._janome()) == first\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "prefix dict" not in done.stderr and "jieba" not in done.stderr
