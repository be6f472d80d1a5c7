"""Language detection: a labelled set of short banking texts per language, accuracy asserted,
and the rules for empty, mixed and Han-only text."""

from __future__ import annotations

import pytest

from foundation.language import SUPPORTED, _detector, detect_language

# Short banking texts as customers and staff write them; many 5-15 characters long.
ENGLISH = [
    "My card is blocked.",
    "Where is my refund?",
    "PIN locked",
    "I lost my card",
    "Card declined again",
    "How do I reset my password?",
    "Why was I charged twice?",
    "Transfer pending",
    "Can I increase my overdraft?",
    "The app keeps crashing when I log in.",
    "I want to close my account.",
    "My salary has not arrived yet.",
    "Is there a fee for foreign payments?",
    "Someone used my card abroad.",
    "Update my address please",
    "Cash machine kept my card",
    "How long does a transfer take?",
    "I need a new card",
    "Direct debit failed",
    "Please freeze my card",
    "What is my balance?",
    "Thanks, that's all",
    "I'm not sure, let me check with my team leader.",
    "I'll transfer you to the mortgage team.",
    "The exchange rate looks wrong.",
    "Apple Pay is not working",
    "Statement missing",
    "Can you cancel the standing order?",
    "My husband passed away last month.",
    "I was made redundant and can't pay.",
    "Top up failed",
    "Verify my identity",
    "Card blocked",
    "Lost my PIN",
    "Refund please",
    "Fees too high",
    "App crashed",
    "Account locked",
    "No thanks",
]
CHINESE = [
    "我的卡被锁了",
    "退款到哪里了？",
    "密码忘了",
    "我的银行卡丢了",
    "为什么扣了我两次钱？",
    "转账一直在处理中",
    "我想提高透支额度",
    "手机银行登录不了",
    "我要销户",
    "工资还没到账",
    "境外消费有手续费吗？",
    "有人在国外盗刷我的卡",
    "请帮我更新地址",
    "取款机吞了我的卡",
    "我需要一张新卡",
    "自动扣款失败了",
    "请冻结我的信用卡",
    "我的余额是多少？",
    "好的，谢谢",
    "我不确定，我需要跟同事确认一下。",
    "我帮您转接到房贷部门。",
    "汇率好像不对",
    "我丈夫上个月去世了",
    "我失业了，还不上贷款",
    "充值失败",
    "我的PIN码错了三次",
    "ATM取不出钱",
    "信用卡账单有问题",
    "我的信用卡被盜刷了",  # Traditional
    "請問轉帳要多久？",  # Traditional
    "銀行帳戶被凍結了",  # Traditional
    "问一下我的主管",
]
JAPANESE = [
    "カードが使えません",
    "返金はいつですか？",
    "暗証番号を忘れました",
    "カードを紛失しました",
    "二重に引き落とされました",
    "振込が保留中です",
    "限度額を上げたいです",
    "アプリにログインできない",
    "口座を解約したい",
    "給料がまだ入っていません",
    "海外での手数料はありますか？",
    "不正利用されたかもしれません",
    "住所変更をお願いします",
    "ATMにカードが吸い込まれた",
    "新しいカードが必要です",
    "引き落としに失敗しました",
    "カードを止めてください",
    "残高を教えてください",
    "ありがとうございました",
    "よく分かりません",
    "転送します",
    "為替レートがおかしい",
    "夫が先月亡くなりました",
    "先月会社をクビになって",
    "チャージできません",
    "住所変更手続",  # Han only, with 変 and 続
    "通帳の再発行",
    "ネットバンキングの設定",
    "利息はいくらですか",
    "担当部署におつなぎします",
    "明細書が届かない",
    "口座解約",  # Han only with no Japanese-only character: read as Chinese
]
LABELLED = (
    [(text, "en") for text in ENGLISH]
    + [(text, "zh") for text in CHINESE]
    + [(text, "ja") for text in JAPANESE]
)
ACCURACY_FLOOR = 0.95


def test_the_labelled_set_is_at_least_thirty_short_texts_per_language():
    for texts in (ENGLISH, CHINESE, JAPANESE):
        assert len(texts) >= 30
        assert sum(5 <= len(text) <= 15 for text in texts) >= 10, texts


@pytest.mark.parametrize("language", SUPPORTED)
def test_accuracy_on_the_labelled_set(language):
    items = [(text, label) for text, label in LABELLED if label == language]
    detected = [(text, label, detect_language(text)) for text, label in items]
    wrong = [(text, found) for text, label, found in detected if found != label]
    accuracy = 1 - len(wrong) / len(items)
    print(f"{language}: accuracy {accuracy:.3f} on {len(items)} texts; wrong: {wrong}")
    assert accuracy >= ACCURACY_FLOOR, wrong


def test_low_accuracy_mode_gives_the_same_answers_as_high_accuracy():
    from lingua import Language, LanguageDetectorBuilder

    high = LanguageDetectorBuilder.from_languages(
        Language.ENGLISH, Language.CHINESE, Language.JAPANESE
    ).build()
    low = _detector()
    for text, _ in LABELLED:
        assert low.detect_language_of(text) == high.detect_language_of(text), text


@pytest.mark.parametrize("text", ["", "   ", "12345", "!!!", "[CARD] [PHONE]", "😀"])
def test_nothing_to_judge_is_undetermined(text):
    assert detect_language(text) == "und"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I want to check my 账户 balance please", "en"),  # one Chinese word in English
        ("Can you send it to my 口座 today?", "en"),
        ("我的ATM卡被吞了", "zh"),  # an English word in Chinese
        ("我想查一下我的credit card账单", "zh"),
        ("ATMでお金を下ろせません", "ja"),
        ("我的卡号是[CARD]，请帮我冻结", "zh"),  # redaction tokens are not English words
        ("ＡＴＭ　ｶｰﾄﾞ", "ja"),  # full-width Latin and half-width katakana
    ],
)
def test_mixed_text_gives_the_majority_language(text, expected):
    assert detect_language(text) == expected


def test_kana_means_japanese_and_a_lone_kana_in_long_chinese_does_not():
    assert detect_language("カード") == "ja"
    assert detect_language("手続き") == "ja"
    long_chinese = "我上个月在网上买了东西但是一直没有收到退款の问题"
    assert detect_language(long_chinese) == "zh"


def test_han_only_text_is_chinese_unless_a_japanese_only_form_shows():
    assert detect_language("银行转账手续费") == "zh"
    assert detect_language("銀行轉帳手續費") == "zh"  # Traditional
    assert detect_language("住所変更") == "ja"
    assert detect_language("口座振込手数料") == "ja"  # 込
