"""Signals in Chinese and Japanese: each family and vulnerability category, negation, word
boundaries, who said it, and a clean set of ordinary banking talk that must raise nothing."""

from __future__ import annotations

import pytest

from coaching.interactions.models import Outcome, SignalKind
from coaching.interactions.signals import detect
from coaching.interactions.transcript import parse_turns
from foundation.language import detect_language
from foundation.settings import Settings

PHRASES = Settings().uncertainty_phrases


def signals(transcript: str, outcome: Outcome | None = None, actions=()) -> dict:
    found = detect(
        parse_turns(transcript),
        outcome=outcome,
        csat=None,
        actions=list(actions),
        uncertainty_phrases=PHRASES,
    )
    return {f.kind: f for f in found}


def japanese(text: str) -> bool:
    return detect_language(text) == "ja"


def agent_says(text: str) -> dict:
    question = "すみません、質問があります。" if japanese(text) else "请问一下。"
    return signals(f"Customer: {question}\nAgent: {text}")


def customer_says(text: str, agent: str | None = None) -> dict:
    agent = agent or ("はい。" if japanese(text) else "好的。")
    return signals(f"Customer: {text}\nAgent: {agent}")


# --- the cues of the issue -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("agent", "kind", "said"),
    [
        ("我不确定。", SignalKind.uncertainty, "我不确定"),
        ("这个我也不太清楚。", SignalKind.uncertainty, "我也不太清楚"),
        ("我需要跟同事确认一下。", SignalKind.uncertainty, "跟同事确认"),
        ("问一下我的主管。", SignalKind.escalation, "问一下我的主管"),
        ("我帮您转接到信用卡部门。", SignalKind.transfer, "转接到"),
        ("よく分かりません。", SignalKind.uncertainty, "分かりません"),
        ("上司に確認いたします。", SignalKind.uncertainty, "上司に確認"),
        ("転送します。", SignalKind.transfer, "転送します"),
        ("担当部署におつなぎします。", SignalKind.transfer, "担当部署におつなぎ"),
        ("上司に代わります。", SignalKind.escalation, "上司に代わ"),
    ],
)
def test_agent_phrases_raise_their_signal_with_the_phrase_as_reason(agent, kind, said):
    found = agent_says(agent)
    assert kind in found, found
    assert found[kind].reason == f'agent said "{said}"'
    assert found[kind].turn_index == 1
    assert agent in found[kind].evidence


@pytest.mark.parametrize(
    ("customer", "category", "driver"),
    [
        ("我丈夫上个月去世了。", "bereavement", "life events"),
        ("我爸爸前几天走了。", "bereavement", "life events"),
        ("我去年被裁员了，还不上房贷。", "job loss", "life events"),
        ("我妈妈得了癌症，正在化疗。", "serious illness", "health"),
        ("我最近抑郁得很厉害。", "mental health", "health"),
        ("信用卡已经逾期三个月了。", "debt or arrears", "resilience"),
        ("我在家全职照顾我妈妈。", "caring responsibilities", "life events"),
        ("我老公控制了我所有的钱。", "domestic abuse", "life events"),
        ("有人冒充银行让我把钱转到安全账户。", "scam", "life events"),
        ("我不会用手机银行。", "low digital confidence", "capability"),
        ("夫が先月亡くなりました。", "bereavement", "life events"),
        ("先月会社をクビになって、困っています。", "job loss", "life events"),
        ("失業してローンが払えないんです。", "job loss", "life events"),
        ("母ががんで入院しています。", "serious illness", "health"),
        ("うつ病で休職中です。", "mental health", "health"),
        ("家賃が払えなくて困っています。", "debt or arrears", "resilience"),
        ("父の介護をしています。", "caring responsibilities", "life events"),
        ("夫に給料を全部取り上げられています。", "domestic abuse", "life events"),
        ("詐欺に遭ったかもしれません。", "scam", "life events"),
        ("スマホの使い方がよく分からないんです。", "low digital confidence", "capability"),
    ],
)
def test_customer_cues_raise_missed_vulnerability_with_category_and_driver(
    customer, category, driver
):
    found = customer_says(customer)
    assert SignalKind.missed_vulnerability in found, found
    reason = found[SignalKind.missed_vulnerability].reason
    assert f"({category}; FCA driver: {driver})" in reason
    assert reason.startswith('customer cue "')


@pytest.mark.parametrize(
    ("customer", "agent"),
    [
        ("我丈夫上个月去世了。", "非常抱歉听到这个消息，请您节哀。"),
        ("我失业了，还不上贷款。", "我们可以为您制定一个还款计划。"),
        ("我不会用手机银行。", "没关系，我可以给您邮寄纸质对账单。"),
        ("夫が先月亡くなりました。", "心よりお悔やみ申し上げます。"),
        ("先月会社をクビになって。", "返済の猶予についてご案内できます。"),
        ("スマホの使い方がよく分からないんです。", "紙の明細を郵送いたします。"),
        ("我丈夫上个月去世了。", "I'm so sorry to hear that."),  # an English acknowledgement
    ],
)
def test_an_agent_acknowledgement_after_the_cue_clears_it(customer, agent):
    assert SignalKind.missed_vulnerability not in customer_says(customer, agent)


def test_an_acknowledgement_before_the_cue_or_a_support_action_behave_as_in_english():
    before = signals("Agent: 非常抱歉让您久等了。\nCustomer: 我丈夫上个月去世了。\nAgent: 好的。")
    assert SignalKind.missed_vulnerability in before
    action = signals("Customer: 我丈夫上个月去世了。\nAgent: 好的。", actions=["BEREAVEMENT"])
    assert SignalKind.missed_vulnerability not in action


def test_outcome_and_a_cjk_phrase_are_both_named():
    found = signals("Customer: 房贷问题\nAgent: 我帮您转接。", outcome=Outcome.transferred)
    assert found[SignalKind.transfer].reason == 'outcome = transferred; agent said "转接"'


# --- negation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "agent",
    [
        "我确定。",  # no negation, no phrase
        "我很确定，没问题。",
        "如果您不确定，可以随时联系我们。",  # the customer's uncertainty, not the agent's
        "我不知道您有没有用过我们的手机银行？",  # rhetorical, as English "if you've seen"
        "我无法为您转接，请您直接拨打这个号码。",  # cannot transfer
        "不用问主管，我现在就可以帮您处理。",
        "分からないことがあれば、いつでもお電話ください。",  # "if anything is unclear"
        "分かりませんか？もう一度ご説明します。",  # a question to the customer
        "分からないわけではありません。",  # double negative: the agent knows
        "転送はできかねます。",
    ],
)
def test_negated_or_conversational_agent_phrases_raise_nothing(agent):
    found = agent_says(agent)
    kinds = {SignalKind.uncertainty, SignalKind.transfer, SignalKind.escalation}
    assert kinds.isdisjoint(found), found


@pytest.mark.parametrize(
    "customer",
    [
        "我没有失业，只是换了工作。",
        "我没有被裁员。",
        "我不是在说我被骗了。",
        "失業はしていません。",
        "借金はありません。",
        "入院はしていません。",
    ],
)
def test_negated_cues_raise_nothing(customer):
    assert SignalKind.missed_vulnerability not in customer_says(customer)


def test_a_complaint_negated_is_not_a_complaint_as_in_english():
    assert SignalKind.negative_sentiment not in customer_says("这不是投诉，我只是想问问。")
    assert SignalKind.negative_sentiment not in customer_says("苦情ではありません、質問です。")
    assert SignalKind.negative_sentiment in customer_says("我要投诉你们。")
    assert SignalKind.negative_sentiment in customer_says("苦情を申し立てたいです。")
    # English does the same: "not a complaint" is cancelled.
    assert SignalKind.negative_sentiment not in signals(
        "Customer: This is not a complaint, just a question.\nAgent: Sure."
    )


# --- word boundaries (segmentation) ------------------------------------------------------


@pytest.mark.parametrize(
    ("customer", "fires"),
    [
        ("我中风了，住在家里。", True),
        ("我想买一个中风险的理财产品。", False),  # 中风险: medium risk
        ("がんになりました。", True),
        ("がんばります。", False),  # がんばる: to try hard
        ("うつになってしまって。", True),
        ("うつくしい景色の写真です。", False),  # beautiful
    ],
)
def test_short_words_count_only_as_whole_words(customer, fires):
    assert (SignalKind.missed_vulnerability in customer_says(customer)) is fires


def test_transfer_adapter_is_not_a_call_transfer():
    assert SignalKind.transfer not in agent_says("您的转接头坏了，可以到网点更换。")


# --- who said it ---------------------------------------------------------------------------


def test_signals_are_attributed_to_speakers_as_in_english():
    # A customer unsure, or asking for a manager, is not the agent's gap.
    customer = signals("Customer: 我不确定，我要找你们主管。\nAgent: 好的，我来帮您查。")
    assert SignalKind.uncertainty not in customer
    assert SignalKind.escalation not in customer
    # An agent's words are never read for vulnerability cues.
    agent = signals("Customer: 我想查余额。\nAgent: 如果家人去世了，请联系我们的团队。")
    assert SignalKind.missed_vulnerability not in agent


def test_traditional_chinese_and_full_width_labels_are_read():
    found = signals("Customer：我的卡被鎖了。\nAgent：我不確定，我幫您轉接。")
    assert SignalKind.uncertainty in found and SignalKind.transfer in found
    assert found[SignalKind.uncertainty].reason == 'agent said "我不确定"'


def test_a_han_only_turn_follows_the_japanese_interaction():
    # 担当部署 is Han-only; the interaction around it is Japanese.
    found = signals(
        "Customer: 住宅ローンについて相談したいです。\nAgent: 担当部署へ転送いたします。"
    )
    assert SignalKind.transfer in found


def test_english_in_a_chinese_interaction_still_fires():
    found = signals("Customer: 我的卡丢了。\nAgent: I'm not sure, let me check with my team.")
    assert found[SignalKind.uncertainty].reason == 'agent said "i\'m not sure"'


# --- a clean set: ordinary banking talk raises no uncertainty, transfer or complaint -------

CLEAN_ZH = [
    "您好，请问有什么可以帮您？",
    "我帮您查一下这笔交易。",
    "这笔转账已经到账了。",
    "我帮您转账到储蓄账户。",
    "您的新卡会在五个工作日内寄到。",
    "请您核对一下您的地址。",
    "我已经帮您解锁了，请重新设置密码。",
    "手续费是每笔十元。",
    "您可以在手机银行里查看账单。",
    "如果您不确定，可以随时联系我们。",
    "这个理财产品是中风险的。",
    "我的手机没电了，刚才断线了。",
    "我想查一下我的余额。",
    "我想开一个储蓄账户。",
    "我的信用卡额度是多少？",
    "请帮我把钱转到我妈妈的账户。",
    "我确定是我本人操作的。",
    "好的，没问题，谢谢。",
    "我不需要投诉，问题已经解决了。",
    "不用担心，我们会处理好的。",
    "汇款一般需要一到三个工作日。",
    "您的密码已经重置成功。",
    "我要更新我的手机号码。",
    "自动扣款设置好了吗？",
    "请问境外取现有手续费吗？",
    "我的工资今天到账了。",
    "我想申请一张新的信用卡。",
    "您的挂失已经办理好了。",
    "请稍等，我帮您查询。",
    "这个月的账单已经还清了。",
    "我明白了，谢谢您的耐心。",
    "升级手机银行以后就可以用了。",
]
CLEAN_JA = [
    "お電話ありがとうございます。ご用件をお伺いします。",
    "確認いたしますので、少々お待ちください。",
    "振込は本日中に完了します。",
    "新しいカードは五営業日以内に届きます。",
    "ご住所の確認をお願いします。",
    "ロックを解除しましたので、暗証番号を再設定してください。",
    "手数料は一回につき二百円です。",
    "アプリで明細をご確認いただけます。",
    "メール転送の設定を変更したいです。",
    "がんばって貯金しています。",
    "残高を教えてください。",
    "普通預金口座を開設したいです。",
    "クレジットカードの限度額はいくらですか？",
    "母の口座に送金したいです。",
    "本人が操作したことは確かです。",
    "はい、大丈夫です。ありがとうございます。",
    "問題は解決しましたので、苦情ではありません。",
    "ご心配なく、こちらで対応いたします。",
    "海外送金は通常一から三営業日かかります。",
    "パスワードの再設定が完了しました。",
    "電話番号を変更したいです。",
    "口座振替の設定はできましたか？",
    "海外での引き出しに手数料はかかりますか？",
    "給料が今日振り込まれました。",
    "新しいクレジットカードを申し込みたいです。",
    "紛失の届け出は完了しています。",
    "今月の請求はもう支払いました。",
    "分かりました、ご丁寧にありがとうございます。",
    "アプリを最新版に更新すれば使えます。",
    "携帯の電池が切れてしまいました。",
    "美しいデザインのカードですね。",
    "ご不明な点がございましたら、お気軽にお問い合わせください。",
]
UNWANTED = {
    SignalKind.uncertainty,
    SignalKind.transfer,
    SignalKind.escalation,
    SignalKind.negative_sentiment,
    SignalKind.missed_vulnerability,
}


@pytest.mark.parametrize(("language", "clean"), [("zh", CLEAN_ZH), ("ja", CLEAN_JA)])
def test_ordinary_banking_talk_raises_nothing(language, clean):
    assert len(clean) >= 30
    false_positives = []
    for text in clean:
        # Said by the agent (uncertainty, transfer, escalation) and by the customer (complaint,
        # negative ending, vulnerability cues).
        found = signals(f"Customer: {text}\nAgent: {text}")
        if UNWANTED & found.keys():
            false_positives.append((text, sorted(UNWANTED & found.keys())))
    rate = len(false_positives) / len(clean)
    print(f"{language}: false-positive rate {rate:.3f} on {len(clean)} utterances")
    assert false_positives == []
