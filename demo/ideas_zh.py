"""Demo ideas from the Shanghai team: what Mandarin-speaking frontline staff of the demo bank
share, mostly in Simplified Chinese and a few in English, on the English demo's topics (card
delivery, pending payments, international transfers, scams, bereavement, systems, workload) and
on their own customers' (names in pinyin, Chinese mobile numbers, time zones). The CX lead
answers in English. Written for this project; loaded with ``demo.ideas.SEEDS`` by
``demo.loader`` through the ordinary submit path, which detects and stores each idea's language.
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

TEAM = "Shanghai"


def _zh(*args: Any, **extra: Any) -> Seed:
    """A seed written in Chinese: by the Shanghai team, read (supported) by it."""
    return _s(*args, **({"team": TEAM, "readers": TEAM} | extra))


# fmt: off
SEEDS_ZH: list[Seed] = [
    _zh("zh-card-eta", PROBLEM, CX, CARDS,
        "App里显示补卡三天送达，实际要五个工作日以上",
        "客户挂失补卡以后，App上写着“预计3天送达”，但制卡的时效是5个工作日，寄到国外地址还要更久。"
        "客户第四天就打电话来问卡在哪里，我们只能一直道歉。能不能把App上的时间改成实际的时效？",
        "done",
        "Thanks for raising this from Shanghai as well. The app now says five working days for a "
        "replacement card, which matches what the card printer commits to.",
        ("agent", "我这周也接了好几个这样的电话，客户都以为卡寄丢了。"),
        support=4),
    _zh("zh-virtual-card", IDEA, CX, CARDS,
        "挂失的同时马上给客户开一张虚拟卡",
        "很多留学生客户卡丢了以后，新卡要一个星期才能寄到，这期间交不了房租，网上也买不了东西。"
        "能不能在挂失的同时自动开一张虚拟卡，客户在App里马上就能用？",
        "planned",
        "This is going ahead with the cards team: an instant virtual card when a lost or stolen "
        "card is cancelled. I'll post the date here once it's fixed.",
        support=4),
    _zh("zh-pending-explain", FEEDBACK, KNOW, CARDS,
        "客户不理解“待处理”交易是什么意思，我们的解释也不统一",
        "每天都有客户问为什么钱“扣了又没扣”。酒店押金、加油站预授权一直显示待处理，可用余额却少了。"
        "我们每个人的解释都不一样，有的说三天，有的说七天。能不能出一个标准的中文解释话术？",
        "under_review",
        "Good point. I've asked the knowledge team for one agreed explanation of pending card "
        "payments, and we'll have it translated for Shanghai and Tokyo.",
        ("lead", "同意，上周质检也发现大家对预授权的说法不一致。"),
        trend=2),
    _zh("zh-pending-explain-2", PROBLEM, CX, CARDS,
        "预授权一直显示待处理，客户以为被扣了两次钱",
        "客户在酒店入住时被预授权了一笔押金，退房后又正常扣款，结果账户里同时显示两笔。"
        "客户以为被重复扣款，打电话来投诉。我们需要一个清楚的说法解释预授权和待处理。",
        support=1),
    _zh("zh-intl-transfer-time", FEEDBACK, CX, PAY,
        "问国际汇款到账时间的来电占了很大比例",
        "我们组接的电话里，差不多每五个就有一个是问汇款到国内要几天。知识库只写了“1到4个工作日”，"
        "但是不同的收款银行、国内的节假日（比如春节、国庆）差别很大。能不能在App里显示预计到账日期？",
        "under_review",
        "Thank you. International payment times are a top reason for contact in both Shanghai and "
        "Tokyo. I'm looking at an expected arrival date in the app with the payments team.",
        ("agent", "春节前后特别多，很多客户是给家里汇生活费。"),
        support=5, trend=2),
    _zh("zh-intl-cost", IDEA, CX, PAY,
        "国际汇款确认之前显示全部费用和汇率",
        "客户汇款到国内以后才发现中间行扣了手续费，到账金额比预计的少。"
        "建议在确认页面把我们的手续费、汇率和可能的中间行费用都列出来。",
        "planned",
        "Agreed with the payments team: the confirmation screen will show our fee, the rate and a "
        "warning about intermediary bank charges."),
    _zh("zh-cop-pinyin", PROBLEM, CX, PAY,
        "收款人名称核对经常因为拼音姓名顺序显示“不匹配”",
        "客户给国内亲戚或者同学转账，输入“Zhang Wei”，"
        "对方账户登记的是“Wei Zhang”，系统就提示名称不匹配。"
        "客户很紧张，以为转错了人，有的直接取消了转账。希望核对能识别姓和名的顺序，或者提示语解释一下。",
        "in_progress",
        "The payments team are changing the close-match message to mention names written in a "
        "different order. I'll share the new wording before it goes live.",
        ("agent", "日本客户也有一样的问题，片假名和罗马字对不上。"),
        support=5),
    _zh("zh-chargeback-form", PROBLEM, SYS, CARDS,
        "争议交易表单要手动重新输入交易信息",
        "客户说有一笔不认识的交易，我们要发起争议时，表单里的商户名、金额、日期都要重新手输，"
        "还经常输错。系统里明明已经有这笔交易了，能不能直接带过来？",
        "in_progress",
        "The disputes form will pull in the transaction you start it from; it's being built with "
        "the change the English teams asked for."),
    _zh("zh-decline-reason", IDEA, SYS, CARDS,
        "在卡片页面上直接显示拒付原因",
        "客户打电话问为什么刷卡被拒，我们要切换三个系统才能查到原因。"
        "如果卡片页面能直接显示是余额不足、风控拦截还是商户终端的问题，通话时间能缩短一半。"),
    _zh("zh-lost-card-ivr", PROBLEM, CX, CARDS,
        "中文语音菜单没有挂失选项，丢卡的客户要排普通队列",
        "英文线路有单独的挂失选项，中文线路没有。客户丢了卡很着急，还要在普通队列里等二十分钟，"
        "这段时间卡可能已经被盗刷了。",
        "in_progress",
        "The telephony team are adding a lost and stolen option to the Mandarin and Japanese "
        "menus, routed to the front of the queue.",
        ("lead", "上个月有两位客户等待期间被盗刷，后来都投诉了。"),
        support=5),
    _zh("zh-fraud-wait", PROBLEM, FRAUD, SCAMS,
        "转接反欺诈团队要等半个多小时，而且没有中文服务",
        "客户怀疑被骗时，我们只能转接到反欺诈团队，但是中午经常要等三十分钟以上，"
        "而且对方只说英文，老年客户根本沟通不了，很多人等不及就挂了。",
        "under_review",
        "Thank you. I've shared this with fraud operations together with the similar reports from "
        "other teams, and asked about interpreters on their line."),
    _zh("zh-fake-police", FEEDBACK, FRAUD, SCAMS,
        "冒充中国公安和大使馆的诈骗电话越来越多",
        "最近很多留学生客户接到“公安局”或者“大使馆”的电话，说他们涉嫌洗钱，要求把钱转到“安全账户”配合调查。"
        "有的客户已经转了钱才打电话给我们。能不能在App里用中文发一个提醒？",
        "new", "", ("agent", "这周我就接了三个，都是刚来英国的学生。"),
        trend=3, fresh=True),
    _zh("zh-scam-script", IDEA, KNOW, SCAMS,
        "做一份中文版的诈骗赔付说明话术",
        "新的授权推送支付诈骗赔付规则很复杂，我们用中文解释的时候每个人说法都不一样，"
        "有时候客户以为一定能全额赔付。希望有一份统一的中文话术。",
        "planned",
        "Fraud operations are writing one plain explanation of the reimbursement rules, and we'll "
        "have it translated for Shanghai and Tokyo at the same time."),
    _zh("zh-death-cert", PROBLEM, PROC, BEREAV,
        "丧亲客户被要求重复提交死亡证明，国内的证明还要公证翻译",
        "客户的父亲在国内去世，家属寄来了公证过的死亡证明和翻译件，过了两个星期又被要求再寄一次。"
        "家属很难过，每次打来都要重新讲一遍。能不能一次收齐，各部门共用？",
        "under_review",
        "Thank you for this. The bereavement team are looking at accepting certified translations "
        "once for all products.",
        support=3),
    _zh("zh-joint-account", PROBLEM, PROC, BEREAV,
        "联名账户的一方去世后整个账户都被冻结",
        "一位客户说：“我丈夫上个月去世了”，我们按流程冻结了联名账户，结果她连房租和生活费都付不了。"
        "在世的一方应该可以继续使用账户吧？"),
    _zh("zh-bereavement-calls", FEEDBACK, WELL, BEREAV,
        "接完丧亲客户的电话心里很难受",
        "有的客户一边哭一边说家里人走了，我们接完马上就要接下一个电话。"
        "希望接完这种电话以后能有几分钟休息。"),
    _zh("zh-screen-freeze", PROBLEM, SYS, PAY,
        "从CRM切换到支付系统时屏幕卡死",
        "通话中从CRM切到支付系统，屏幕经常卡住三十秒以上，有时候要重启，通话记录也丢了。"
        "客户在电话那头一直等，很尴尬。",
        "new", "", ("agent", "我们组也是，下午特别严重。"),
        trend=2, fresh=True),
    _zh("zh-kb-english-only", PROBLEM, KNOW, None,
        "知识库只有英文版本，流程更新后也没人通知我们",
        "产品和流程一改，英文文章更新了，但我们要自己翻译给客户听，经常是客户先告诉我们有变化。"
        "希望重要的更新能有中文摘要。",
        "under_review",
        "Thanks. I've asked the knowledge team how we can flag changes to Shanghai and Tokyo and "
        "which articles need a translated summary first."),
    _zh("zh-chat-logout", PROBLEM, SYS, None,
        "新聊天平台每三十分钟就把我们退出登录",
        "新的聊天平台每半小时就自动退出，正在进行的聊天直接断掉，客户要重新排队。",
        "new", "", ("agent", "对，昨天我一个小时内被退出了两次。"),
        trend=3, fresh=True),
    _zh("zh-decompression", IDEA, WELL, None,
        "遇到辱骂电话以后给几分钟缓冲时间",
        "被客户辱骂以后马上接下一个电话，情绪很难调整。希望可以申请五分钟的缓冲时间，不算在考勤里。",
        "done",
        "From this month every team can take five minutes off the queue after an abusive call; "
        "use the 'recovery' status and it won't count against adherence."),
    _zh("zh-rota", FEEDBACK, WELL, None,
        "排班表只提前一周公布",
        "我们很多人要接送孩子，排班表只提前一周出来，很难安排。能不能提前两周以上？",
        "planned",
        "Workforce planning will publish rotas three weeks ahead from next quarter.",
        support=4),
    _zh("zh-vuln-chat", PROBLEM, VULN, None,
        "在线聊天里看不到弱势客户的备注",
        "电话系统里能看到客户有丧亲、生病之类的备注，但是在线聊天的界面看不到，"
        "客户还要再解释一遍自己的情况。"),
    _zh("zh-app-lockout", PROBLEM, CX, None,
        "App密码输错三次就锁定，只能打电话解锁，国内客户打国际长途很贵",
        "很多客户在国内，App被锁以后只能打国际电话找我们解锁，通话费很贵，还要等很久。"
        "能不能在App里自助解锁？"),
    _zh("zh-source-of-funds", PROBLEM, PROC, ONB,
        "留学生的资金来源证明要求说不清楚",
        "父母从国内汇来学费以后，账户经常被冻结，要求提供资金来源证明。我们不知道具体要哪些材料，"
        "有时候客户交了三次还不够，学费都交不上。",
        "in_progress",
        "The financial crime team are writing a checklist of the documents they accept for money "
        "from family abroad; I'll share it here, translated.",
        ("lead", "开学前那几周这种电话特别多。"),
        support=5),
    _zh("zh-fx-date", IDEA, KNOW, CARDS,
        "解释刷卡汇率按哪一天计算的标准说法",
        "客户经常问为什么扣的英镑比当天汇率算的多。我们有人说按消费日，有人说按入账日。"
        "希望知识库写清楚，并给一个例子。",
        "done",
        "The knowledge base now has an article with a worked example: the rate is the one on the "
        "day the payment reaches us."),
    _zh("zh-foreign-fees", FEEDBACK, CX, CARDS,
        "客户分不清境外交易费和ATM取现费",
        "客户在国内取现被收了两次费用，一笔是我们的，一笔是ATM运营商的，打电话来说我们乱收费。"),
    _zh("zh-complaint-fields", PROBLEM, SYS, COMPS,
        "登记一个投诉要填十二个必填项",
        "客户说“我要投诉”的时候，我们要在系统里填十二个必填项，客户在电话里等得更生气了。"),
    _zh("zh-goodwill", IDEA, KNOW, COMPS,
        "不清楚可以给客户多少善意补偿",
        "有时候明明是我们的错，想给客户一点补偿，但不知道自己的权限是多少，只好转给组长。"),
    _zh("zh-letters-chinese", IDEA, CX, None,
        "重要信函提供中文版本",
        "很多老年客户看不懂英文的信，收到催款信或者账户变更通知就很紧张，打电话来让我们逐字翻译。"
        "能不能重要的信附一页中文说明？",
        "under_review",
        "Thanks. I've asked the customer communications team which letters we could summarise in "
        "Chinese and Japanese first."),
    _zh("zh-callback-timezone", PROBLEM, PROC, None,
        "预约回电只能选英国时间，客户在国内是半夜",
        "系统里的回电时间只能选英国的上班时间，国内客户收到回电的时候是凌晨，经常接不到，只好再打进来。",
        "declined",
        "I'm sorry: callbacks are booked through the UK dialler, which only offers UK hours this "
        "year. I've added this to the telephony review so it is considered next year."),
    # The CX lead merged the two Chinese reports into the Shanghai leader's English one.
    _zh("zh-en-otp", PROBLEM, SYS, None,
        "One-time passcodes by text don't reach customers' Chinese mobile numbers",
        "Customers back home in China can't log in because the passcode text never arrives. "
        "Could we offer app approval or a voice call instead?",
        "in_progress",
        "The digital team have confirmed the SMS provider drops some messages to Chinese networks. "
        "A fix with a second provider is being tested.",
        ("agent", "暑假的时候特别多，很多学生回国以后就登录不了。"),
        readers=None, by_lead=True, support=5),
    _zh("zh-otp-china", PROBLEM, SYS, ONB,
        "验证码短信发不到中国的手机号",
        "客户回国以后登录手机银行，验证码短信一直收不到，账户基本就用不了。每周都有好几个这样的电话。",
        support=2, merge_into="zh-en-otp"),
    _zh("zh-otp-china-2", PROBLEM, CX, None,
        "国内手机号收不到登录验证码，客户无法登录",
        "客户在国内，验证码短信收不到，也没法用App推送验证，只能打电话给我们，我们也帮不上忙。",
        support=1, merge_into="zh-en-otp"),
    _zh("zh-recurring-double", PROBLEM, CX, CARDS,
        "换卡以后订阅扣款被扣了两次",
        "客户换了新卡，视频会员的订阅在旧卡和新卡上各扣了一次。客户以为被盗刷了。"),
    _zh("zh-aht", FEEDBACK, WELL, None,
        "平均处理时长没有考虑需要详细解释的电话",
        "很多中文客户不熟悉英国的银行规则，我们要多解释几句，通话时间就超标了，"
        "可是如果不解释清楚，客户过几天还会再打来。",
        "new", "", ("lead", "我们组的重复来电率其实比别的组低。"),
        support=4),
    _zh("zh-huddle", IDEA, KNOW, None,
        "每周例会分享一通处理得好的电话",
        "大家在例会上只讨论出问题的电话，其实同事处理得好的电话也很值得学习。",
        "done",
        "Lovely idea. Team leaders now share one call that went well at each weekly huddle."),
    _zh("zh-job-loss", IDEA, VULN, ARR,
        "客户说自己失业了，我们不清楚能提供哪些帮助",
        "客户在电话里说“我失业了”，我们知道应该做备注，但是不清楚可以转给哪个团队、能不能暂停收费。"
        "希望有一个简单的流程图。",
        "planned",
        "The vulnerable customers working group will add a one-page guide for job loss, and it "
        "will be translated for Shanghai and Tokyo.",
        support=4),
    # In English: what Shanghai staff write for everyone to read.
    _zh("zh-en-cop-order", PROBLEM, CX, PAY,
        "Payee name check says 'no match' when a Chinese name is written family name first",
        "Customers paying family in China type the name as it is on their ID, family name first. "
        "The name check then says it doesn't match and they cancel the payment or call us.",
        readers=None, support=3),
    _zh("zh-en-fraud-mandarin", PROBLEM, FRAUD, SCAMS,
        "No Mandarin speaker on the fraud line",
        "When a Mandarin-speaking customer has been scammed we transfer them to fraud operations, "
        "who only speak English. Could a Shanghai agent stay on the call to interpret?",
        readers=None),
]
# fmt: on
