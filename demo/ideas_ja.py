"""Demo ideas from the Tokyo team: what Japanese-speaking frontline staff of the demo bank share,
mostly in Japanese and a few in English, on the English demo's topics (card delivery, pending
payments, international transfers, scams, bereavement, systems, workload) and on their own
customers' (names in katakana and romaji, Japanese documents, time zones). The CX lead answers
in English. Written for this project; loaded with ``demo.ideas.SEEDS`` by ``demo.loader``
through the ordinary submit path, which detects and stores each idea's language.
"""

from __future__ import annotations

from typing import Any

from demo.ideas import (
    ARR,
    BEREAV,
    CARDS,
    COMPS,
    CX,
    FEEDBACK,
    FRAUD,
    IDEA,
    KNOW,
    ONB,
    PAY,
    PROBLEM,
    PROC,
    SCAMS,
    SYS,
    VULN,
    WELL,
    Seed,
    _s,
)

TEAM = "Tokyo"


def _ja(*args: Any, **extra: Any) -> Seed:
    """A seed written in Japanese: by the Tokyo team, read (supported) by it."""
    return _s(*args, **({"team": TEAM, "readers": TEAM} | extra))


# fmt: off
SEEDS_JA: list[Seed] = [
    _ja("ja-card-eta", PROBLEM, CX, CARDS,
        "アプリに表示される再発行カードの到着日が実際より早い",
        "カードの再発行を受け付けると、アプリには「3日でお届け」と出ますが、実際は5営業日かかり、"
        "海外の住所だともっとかかります。4日目に「カードが届かない」とお電話をいただき、お詫びするしかありません。",
        "under_review",
        "Thank you. The app's wording was fixed for UK addresses; I've asked the cards team to "
        "check what it says for addresses abroad.",
        support=3),
    _ja("ja-virtual-card", IDEA, CX, CARDS,
        "カード紛失のときにすぐバーチャルカードを発行してほしい",
        "紛失・盗難でカードを止めると、新しいカードが届くまで一週間近く買い物ができません。"
        "停止と同時にアプリでバーチャルカードを使えるようにできないでしょうか。",
        "new", "", ("agent", "出張中のお客様から特によく言われます。"),
        support=4, trend=2),
    _ja("ja-pending", FEEDBACK, KNOW, CARDS,
        "「保留中」の取引の説明がオペレーターによってばらばら",
        "ホテルのデポジットやガソリンスタンドの仮売上で「保留中」と表示され、お客様から「二重に引き落とされた」"
        "とお問い合わせが来ます。解除までの日数を3日と言う人も7日と言う人もいて、統一した説明が必要です。",
        "planned",
        "The knowledge team are writing one explanation of pending card payments; the Japanese "
        "version will come out at the same time as the English one.",
        ("lead", "品質チェックでも指摘が出ていました。"),
        support=4),
    _ja("ja-intl-transfer-days", FEEDBACK, CX, PAY,
        "日本への海外送金の着金日数についての問い合わせが多い",
        "一日の入電のうち、かなりの数が「日本への送金はいつ着きますか」というお問い合わせです。"
        "ナレッジには「1〜4営業日」としか書いておらず、日本の祝日や受取銀行によって違うので説明に困ります。",
        "under_review",
        "Thank you. This matches what Shanghai sees. I'm working with the payments team on an "
        "expected arrival date in the app, including Japanese bank holidays.",
        ("agent", "年末年始とゴールデンウィークの前は本当に多いです。"),
        support=5, trend=3),
    _ja("ja-intl-transfer-days-2", IDEA, CX, PAY,
        "海外送金がいつ届くのかアプリで分かるようにしてほしい",
        "送金したお客様が着金予定日を知りたくて電話をかけてきます。アプリに予定日が出れば、"
        "このお問い合わせはかなり減ると思います。",
        support=1),
    _ja("ja-intl-cost", IDEA, CX, PAY,
        "海外送金の手数料と為替レートを確定前に表示する",
        "送金後に中継銀行の手数料が引かれて、受取額が少ないとお叱りを受けることがあります。"
        "確定前の画面に、当行の手数料、レート、中継銀行手数料の可能性をまとめて表示してほしいです。",
        "in_progress",
        "The payments team are building the new confirmation screen now, with the fee, the rate "
        "and a note on intermediary bank charges."),
    _ja("ja-lost-ivr", PROBLEM, CX, CARDS,
        "日本語窓口の音声案内に紛失・盗難のメニューがない",
        "英語の窓口には紛失・盗難の専用メニューがあるのに、日本語の窓口にはありません。"
        "カードをなくして焦っているお客様が、一般の待ち行列で20分も待つことになります。",
        "done",
        "The Japanese and Mandarin menus now have a lost and stolen card option that goes to the "
        "front of the queue.",
        support=4),
    _ja("ja-fraud-wait", PROBLEM, FRAUD, SCAMS,
        "不正利用チームへの転送の待ち時間が長すぎる",
        "詐欺に遭ったかもしれないお客様を不正利用チームへ転送すると、お昼どきは40分以上待つこともあります。"
        "しかも英語のみの対応なので、ご高齢のお客様は途中で切ってしまいます。",
        "in_progress",
        "Fraud operations are adding staff at lunchtime and trialling a three-way call so a Tokyo "
        "or Shanghai agent can stay on the line to interpret.",
        ("agent", "転送のあと、結局また日本語窓口にかけ直してくるお客様もいます。"),
        support=5),
    _ja("ja-romance", IDEA, KNOW, SCAMS,
        "ロマンス詐欺だと信じてもらえないお客様への対応研修",
        "ネットで知り合った相手に送金しようとしているお客様に詐欺の可能性をお伝えしても、"
        "「あなたには関係ない」と言われてしまいます。どう話せばいいか、研修がほしいです。",
        "done",
        "The fraud team's training on talking to customers who don't believe it's a scam is now "
        "available in Japanese in the learning portal."),
    _ja("ja-remote-access", IDEA, FRAUD, SCAMS,
        "高額の送金のときに遠隔操作アプリの有無を確認する",
        "「サポートの者です」という電話でパソコンに遠隔操作アプリを入れさせられたお客様が何人もいました。"
        "普段と違う送金のときは、遠隔操作アプリを使っていないか確認する質問を入れてはどうでしょうか。"),
    _ja("ja-death-docs", PROBLEM, PROC, BEREAV,
        "相続の手続きで死亡診断書や戸籍の翻訳を何度も求めている",
        "日本でお父様が亡くなったお客様のご家族から、戸籍謄本と死亡診断書の翻訳を送ったのに、"
        "別の部署からまた同じ書類を求められたとお電話がありました。一度で済むようにできませんか。",
        "planned",
        "The bereavement team will accept a certified translation once and share it across "
        "products. I'll post when it starts.",
        support=4),
    _ja("ja-tell-once", IDEA, PROC, BEREAV,
        "ご遺族が一度の連絡で済むように",
        "「父が亡くなりました」とお電話をいただいても、カード、ローン、預金でそれぞれ同じ説明をしていただく"
        "必要があります。窓口を一つにまとめられないでしょうか。"),
    _ja("ja-hold-music", FEEDBACK, CX, BEREAV,
        "相続手続きの窓口の保留音が明るすぎる",
        "ご家族を亡くされたお客様をお待たせしているときに、明るくて軽い保留音が流れていて、とても気になります。",
        "done",
        "The bereavement line now plays a quiet piece of music, for every language."),
    # The same fault as the English teams' report, which the CX lead merged it into.
    _ja("ja-screen-freeze", PROBLEM, SYS, PAY,
        "CRMから決済画面に切り替えるとフリーズする",
        "通話中にCRMから決済システムに切り替えると、画面が30秒以上固まり、再起動が必要なこともあります。"
        "入力中の応対メモも消えてしまいます。",
        support=2, merge_into="screen-freeze"),
    _ja("ja-softphone-echo", PROBLEM, SYS, None,
        "ヘッドセットの更新後、ソフトフォンでエコーが出る",
        "先週のヘッドセットの更新から、お客様の声にエコーがかかって聞き取りにくくなりました。"
        "お客様からも「声が二重に聞こえる」と言われます。",
        "new", "", ("agent", "同じです。特に午前中がひどいです。"),
        trend=3, fresh=True),
    _ja("ja-kb-search", PROBLEM, KNOW, None,
        "ナレッジ検索で古い記事が先に出てくる",
        "ナレッジで検索すると、改定前の古い手順が一番上に出てきます。気づかずに古い案内をしてしまったことがあります。"),
    _ja("ja-wrap-codes", PROBLEM, PROC, None,
        "後処理コードが多すぎて「その他」ばかり選ばれている",
        "後処理コードが80個以上あり、通話の合間に探す時間がないので、みんな「その他」を選んでしまいます。"
        "これでは問い合わせの傾向が分かりません。",
        "under_review",
        "Thank you. I'm reviewing the wrap codes with the reporting team; the most used ones will "
        "move to the top of the list."),
    _ja("ja-kasuhara", IDEA, WELL, None,
        "カスハラ対応のあとに数分のクールダウン時間がほしい",
        "怒鳴られたり、ひどい言葉を言われたりした直後に次の電話に出るのはつらいです。"
        "5分でいいので、待ち受けを外れてもスケジュール遵守率に影響しない時間がほしいです。",
        "done",
        "From this month every team can take five minutes off the queue after an abusive call, "
        "using the 'recovery' status."),
    _ja("ja-adherence", FEEDBACK, WELL, None,
        "トイレ休憩までスケジュール遵守率に数えられる",
        "トイレに行くたびに遵守率が下がり、評価面談で指摘されます。少し厳しすぎると思います。"),
    _ja("ja-hybrid", IDEA, WELL, None,
        "経験のあるオペレーターは週二日の在宅勤務を",
        "通勤に片道1時間以上かかる人も多いです。経験のあるオペレーターだけでも、週二日の在宅勤務を"
        "試してもらえないでしょうか。",
        "declined",
        "I'm sorry: the Tokyo office's phone platform doesn't support home working yet. We'll look "
        "at it again when the new platform arrives next year."),
    _ja("ja-huddle", IDEA, KNOW, None,
        "朝礼で良かった応対を共有したい",
        "朝礼ではクレームになった電話の話ばかりですが、うまくいった応対もみんなで聞けたら勉強になると思います。"),
    _ja("ja-vuln-records", IDEA, KNOW, None,
        "配慮が必要なお客様の記録の仕方がばらばら",
        "ご病気やご家族の不幸を伺ったとき、記録する場所も書き方も人によって違うので、"
        "次に対応する人が気づけません。記録のルールを決めてほしいです。",
        "under_review",
        "The vulnerable customers working group are agreeing one way to record disclosures; "
        "Tokyo's examples are very helpful."),
    _ja("ja-letters", IDEA, CX, None,
        "重要なお知らせの日本語版を用意してほしい",
        "英語の手紙が読めないご高齢のお客様が、督促状や規約変更のお知らせを受け取ると不安になり、"
        "内容を一文ずつ訳してほしいとお電話をくださいます。",
        "planned",
        "Customer communications will add a one-page summary in Japanese and Chinese to the five "
        "letters customers call about most.",
        support=5),
    _ja("ja-callback-tz", PROBLEM, PROC, None,
        "折り返しの予約が英国時間で、日本のお客様には深夜になる",
        "折り返し電話の予約が英国の営業時間しか選べないので、日本にお住まいのお客様には深夜や早朝にかかってしまいます。"),
    _ja("ja-romaji-katakana", PROBLEM, CX, ONB,
        "名義のローマ字とカタカナが一致せず、本人確認や受取人照合が通らない",
        "パスポートはローマ字、日本の書類はカタカナや漢字なので、名前の表記が一致せず本人確認が止まります。"
        "送金の受取人照合でも「一致しません」と出て、お客様が不安になります。",
        "under_review",
        "Thanks. I've passed this to the ID verification team together with Shanghai's report on "
        "names in pinyin.",
        ("lead", "上海チームからも同じような報告がありました。"),
        support=4),
    _ja("ja-juminhyo", PROBLEM, PROC, ONB,
        "日本の住民票が住所確認の書類として受け付けられない",
        "日本に住所を移したお客様が住民票を送っても、受付書類の一覧にないため差し戻されています。"),
    _ja("ja-fx-date", FEEDBACK, KNOW, CARDS,
        "為替レートがいつの時点で適用されるか説明できない",
        "「使った日のレートより高い」というお問い合わせに、はっきり答えられません。適用日の説明と例をナレッジに"
        "載せてほしいです。"),
    _ja("ja-complaint-fields", PROBLEM, SYS, COMPS,
        "苦情登録の必須項目が多すぎる",
        "お客様から「苦情を申し立てたい」と言われると、12項目も入力が必要で、お客様をさらにお待たせしてしまいます。",
        "done",
        "The complaint form now has five mandatory fields; the rest can be added by the "
        "complaints team."),
    _ja("ja-goodwill", IDEA, KNOW, COMPS,
        "お詫びの返金をいくらまで提案できるか分からない",
        "明らかに当行のミスのとき、少額でもお詫びの返金を提案したいのですが、自分の権限が分からず、"
        "毎回リーダーに確認しています。",
        "planned",
        "Complaints quality will publish the goodwill limits for agents and team leaders."),
    _ja("ja-chat-logout", PROBLEM, SYS, None,
        "チャットが30分ごとにログアウトされる",
        "新しいチャットシステムが30分ごとに自動でログアウトし、対応中のチャットが切れてしまいます。",
        trend=2, fresh=True),
    _ja("ja-app-lockout", PROBLEM, CX, None,
        "パスコードを三回間違えるとロックされ、電話でしか解除できない",
        "日本にいるお客様はロックされると国際電話をかけるしかなく、通話料もかかります。アプリで解除できるようにしてほしいです。",
        "in_progress",
        "The digital team are building self-service unlock in the app, with a check by selfie."),
    _ja("ja-atm-fees", FEEDBACK, CX, CARDS,
        "日本のATMでの手数料の説明が分かりにくい",
        "日本のATMで引き出すと、当行の手数料とATM運営会社の手数料の二つがかかるので、"
        "「二重に取られた」とお問い合わせをいただきます。"),
    _ja("ja-sms-japan", PROBLEM, SYS, None,
        "日本の携帯にSMSの認証コードが届かない",
        "日本に帰国したお客様の携帯に認証コードのSMSが届かず、ログインできないというお問い合わせが増えています。"),
    _ja("ja-scam-calls", FEEDBACK, WELL, SCAMS,
        "詐欺被害に遭ったお客様との電話が精神的につらい",
        "老後の資金をだまし取られたお客様のお話を伺ったあとは、しばらく気持ちが沈みます。相談できる場がほしいです。"),
    _ja("ja-job-loss", IDEA, VULN, ARR,
        "失業したお客様への支払い猶予の案内が分かりにくい",
        "「先月会社をクビになって」と打ち明けてくださるお客様がいても、どの窓口をご案内すればいいか、"
        "手数料を止められるのかが分かりません。簡単な案内図がほしいです。",
        "under_review",
        "The vulnerable customers working group are writing a one-page guide for job loss; I've "
        "asked for a Japanese version.",
        support=3),
    _ja("ja-recurring-double", PROBLEM, CX, CARDS,
        "カードの再発行後、定期支払いが二重に引き落とされる",
        "カードを再発行したお客様の動画配信サービスの月額料金が、古いカードと新しいカードの両方から"
        "引き落とされていました。"),
    # In English: what Tokyo staff write for everyone to read.
    _ja("ja-en-names", PROBLEM, CX, ONB,
        "Customers' names in katakana don't match the romaji on their passport",
        "Japanese customers give their name in katakana on the phone while the account holds the "
        "passport romaji, so identity checks and payee checks fail.",
        readers=None, support=3),
    _ja("ja-en-callback", PROBLEM, PROC, None,
        "Callbacks can only be booked in UK hours",
        "Customers living in Japan get our callbacks in the middle of the night. Could Tokyo "
        "agents book callbacks in the customer's time zone?",
        readers=None, by_lead=True),
    _ja("ja-en-pending", FEEDBACK, CX, CARDS,
        "Pending hotel deposits are the most common card question in Tokyo",
        "Travelling customers see a hotel deposit as pending for days and think they were charged "
        "twice. A clear message in the app would save a lot of calls.",
        readers=None),
]
# fmt: on
