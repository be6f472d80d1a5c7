"""Short contact-centre texts about three topics, four per language (written for these tests,
in the register of the demo ideas and gap evidence): what a topic is called must come out of
each language's own words."""

from __future__ import annotations

PENDING = {
    "en": [
        "My card payment has been pending for three days.",
        "Why is the card payment still pending?",
        "Customers ask how long a pending card payment takes.",
        "The app shows my payment as pending.",
    ],
    "zh": [
        "我的银行卡付款已经待处理三天了。",
        "为什么这笔付款一直显示待处理？",
        "客户问待处理的付款要多久才能完成。",
        "应用里显示我的付款还在待处理。",
    ],
    "ja": [
        "カードの支払いが三日間保留中のままです。",
        "なぜ支払いがまだ保留になっているのですか。",
        "保留中の支払いにどれくらいかかるかとお客様から聞かれます。",
        "アプリで支払いが保留と表示されています。",
    ],
}
LOST = {
    "en": [
        "I lost my card and need to freeze it.",
        "Let customers freeze a lost card in the app.",
        "My card was stolen, please freeze it now.",
        "How do I freeze my lost card?",
    ],
    "zh": [
        "我的银行卡丢失了，需要冻结。",
        "让客户在应用里自己冻结丢失的银行卡。",
        "我的卡被偷了，请马上冻结。",
        "丢失的银行卡怎么冻结？",
    ],
    "ja": [
        "カードを紛失したので凍結したいです。",
        "紛失したカードをアプリで凍結できるようにしてほしい。",
        "カードが盗まれたので、すぐに凍結してください。",
        "紛失したカードはどうやって凍結しますか。",
    ],
}
TRANSFER = {
    "en": [
        "How long does an international transfer take?",
        "My international transfer has not arrived yet.",
        "Agents guess how long international transfers take.",
        "The international transfer to my sister is late.",
    ],
    "zh": [
        "国际转账需要多长时间？",
        "我的国际转账还没有到账。",
        "坐席不知道国际转账要多久。",
        "给我妹妹的国际转账延迟了。",
    ],
    "ja": [
        "海外送金にはどれくらい時間がかかりますか。",
        "海外送金がまだ届いていません。",
        "オペレーターは海外送金にかかる時間を推測で答えています。",
        "妹への海外送金が遅れています。",
    ],
}
TOPICS = {"pending": PENDING, "lost": LOST, "transfer": TRANSFER}


def pairs(
    topic: dict[str, list[str]], languages: tuple[str, ...] = ("en", "zh", "ja")
) -> list[tuple[str, str]]:
    """(language, text) of a topic's texts in ``languages``."""
    return [(language, text) for language in languages for text in topic[language]]
