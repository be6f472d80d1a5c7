"""The conversation parts of the Shanghai team's demo contacts, in Simplified Chinese: what
``demo.script`` says for English, as a mainland contact centre says it (not a translation).
Every line was written for this project; names and numbers are invented.

Signal cues are in the places English has them: uncertainty (我不确定, 我不太清楚) only in the
agent's lines that name what they are unsure of; transfers (我帮您转接); escalation (问一下我的主管,
升级); complaints (我要投诉); vulnerability (我丈夫上个月去世了, 我失业了, ...).
"""

from __future__ import annotations

from demo.lang import Named, Names, Talk


def _named(text: str) -> tuple[Named, ...]:
    """ "王 wang 李 li" -> (("王", "wang"), ("李", "li"))."""
    words = text.split()
    return tuple(zip(words[::2], words[1::2], strict=True))


NAMES = Names(
    family=_named(
        "王 wang 李 li 张 zhang 刘 liu 陈 chen 杨 yang 黄 huang 赵 zhao 周 zhou 吴 wu 徐 xu "
        "孙 sun 马 ma 朱 zhu 胡 hu 郭 guo 林 lin 何 he 高 gao 罗 luo 郑 zheng 梁 liang 谢 xie "
        "宋 song 唐 tang 韩 han 冯 feng 邓 deng 曹 cao 欧阳 ouyang 司徒 situ"
    ),
    given_f=_named(
        "丽华 lihua 晓燕 xiaoyan 婷婷 tingting 雪梅 xuemei 佳怡 jiayi 欣怡 xinyi 秀英 xiuying "
        "静 jing 芳 fang 慧敏 huimin 梦琪 mengqi 思雨 siyu 玉兰 yulan 海燕 haiyan"
    ),
    given_m=_named(
        "小明 xiaoming 建国 jianguo 志强 zhiqiang 海涛 haitao 俊杰 junjie 子轩 zixuan "
        "浩然 haoran 伟 wei 磊 lei 国栋 guodong 文博 wenbo 宇航 yuhang 明辉 minghui 家豪 jiahao"
    ),
    honorific_f="女士",
    honorific_m="先生",
    spaced=0.2,
)
PHONES = (("cn_mobile", 5.0), ("cn_landline", 1.5), ("uk_mobile", 2.0))
DOMAINS = ("example.cn", "example.com")

TALK = Talk(
    bank="北岸银行",
    day_parts=("早上好", "下午好", "晚上好"),
    greetings={
        "phone": (
            "{part}，这里是{bank}客户服务中心，请问有什么可以帮您？",
            "您好，欢迎致电{bank}，请问有什么可以帮您？",
            "您好，{bank}客服，很高兴为您服务，请问您要办理什么业务？",
        ),
        "chat": (
            "您好，欢迎咨询{bank}在线客服，请问有什么可以帮您？",
            "您好，我是{bank}在线客服，请问有什么需要帮助的？",
        ),
    },
    social_moved="感谢您的留言。为了保护您的信息安全，我们已转到私信继续为您处理。",
    security_app=(
        "好的，可以帮您处理。我先往您的手机银行App发一条验证通知，确认是您本人。",
        "没问题，我来帮您查。处理之前，我先给您的App推送一条安全验证。",
    ),
    security_app_reply=("好的，我已经确认了。", "嗯，点好了。", "可以了，已经通过了。"),
    security_app_done=("谢谢您，验证已经通过了。", "好的，收到了，身份验证通过。"),
    security_name=(
        "可以的。为了核实身份，请问您的全名和账户登记的邮编是？",
        "好的。为了您的账户安全，麻烦提供一下您的全名和邮编。",
    ),
    name_reply=("我叫{name}。", "我是{name}。", "{name}，我是账户持有人。"),
    name_postcode_reply="我叫{name}，邮编是{postcode}。",
    name_thanks=("谢谢您，{polite}，身份已经核实了。", "好的{polite}，您的身份验证通过了。"),
    chat_name=("对了，我叫{name}。", "我是{name}。"),
    chat_verified=(
        "我看到您已经登录了手机银行，身份已经验证过了。",
        "感谢您的耐心等待。您已登录，我这边可以看到您的账户。",
    ),
    uncertain=(
        "不好意思，我不确定{topic}，我跟组长确认一下。",
        "这个问题问得好，我不确定{topic}，麻烦您稍等，我问一下同事。",
        "我不太清楚{topic}，我去跟同事核实一下。",
        "我不是百分之百确定{topic}，先让您稍等一下，我跟组长确认。",
    ),
    generic_topic="这种情况应该走什么流程",
    hold_reply=("好的。", "行，我等一下。", "要多久啊？", "又要等？我打进来就已经等了二十分钟了。"),
    after_hold=("让您久等了，我已经确认过了。", "不好意思让您久等，现在有答案了。"),
    after_hold_fail=(
        "让您久等了，非常抱歉，这个问题我暂时没办法给您一个确切的答复。",
        "抱歉让您久等，目前还没有人能帮我确认这一点。",
    ),
    transfer_lines={
        "phone": (
            "这个需要我们的{specialist}来处理，他们能看到更多信息。我帮您转接过去，请不要挂机。",
            "这个问题我需要帮您转接到{specialist}，请稍等，正在为您转接。",
        ),
        "chat": (
            "我帮您转接到{specialist}，他们会尽快接手这个对话。",
            "这个需要{specialist}处理，我现在帮您转接过去。",
        ),
    },
    transfer_reply=("好的，谢谢。", "行。", "嗯，好吧。"),
    transfer_reply_bad=("我今天已经被转来转去两次了。", "不是吧？这件事我已经说了三遍了。"),
    complaint_ask=(
        "我要投诉。这件事已经拖了好几个星期了。",
        "能让你们经理来跟我说吗？这样太过分了。",
        "不好意思，这样处理我不能接受，我要投诉。",
    ),
    escalate_lines=(
        "我理解，非常抱歉。我会把这个问题升级给我的主管，并为您登记正式投诉，三个工作日内会有人联系您。",
        "很抱歉给您带来这样的体验。我现在就去问一下我的主管，把这件事升级处理，他们会给您回电。",
    ),
    escalate_ok="好吧，谢谢。",
    callback_line="我帮您预约明天回电，到时会有同事给您答复。",
    all_sorted="好的，这样就都帮您处理好了。",
    resolved_ask=("请问还有其他可以帮您的吗？", "还有什么需要我帮忙的吗？"),
    resolved_thanks={
        "phone": ("没有了，就这些，谢谢你。", "没有了，太好了，谢谢。", "就这些，非常感谢。"),
        "chat": ("没了谢谢", "好的解决了，谢谢！", "没有了，谢谢你。"),
    },
    closing={
        "phone": ("感谢您致电{bank}，祝您生活愉快，再见。", "不客气，再见。"),
        "chat": ("感谢您的咨询，祝您愉快。", "很高兴能帮到您，祝您一天顺利。"),
    },
    pleased=("太好了，谢谢。", "好的，太感谢了。", "这样很有帮助。"),
    lukewarm=("行吧。", "也只能这样了。", "嗯。"),
    sorry_closing=(
        "很抱歉今天没能帮您解决更多问题，请多保重。",
        "抱歉今天没能帮您处理好，感谢您的来电。",
    ),
    curt_ask=("还有别的吗？", "还有其他事吗？"),
    curt_closing=("好，再见。", "行，谢谢。"),
    unresolved_reply=("好吧，那我再等等。", "行吧，看来也只能这样了。"),
    generic_unresolved=(
        "这个我今天没办法帮您处理，需要您过几天再联系我们。",
        "目前我这边能做的就这些了，很抱歉。",
    ),
    negative_endings=(
        "说实话，这完全是在浪费我的时间。",
        "我真的很不满意，我在考虑换银行了。",
        "太离谱了，好像谁都不知道怎么回事。",
        "行，我等，但是我很不满意。",
        "所以我又得自己再来催一次，真是好极了。",
        "说实话，这样处理不够好。",
    ),
    repeat_lines=(
        "这已经是我第二次为这件事联系你们了。",
        "上次说好会处理的，到现在还没弄好。",
        "我几天前就打过电话了，一直没有下文。",
    ),
    vuln_cues={
        "bereavement": (
            "不好意思，我脑子有点乱。我丈夫上个月去世了，以前银行的事都是他管的。",
            "我妈妈三月份走了，现在所有事情都得我一个人处理。",
            "我太太最近去世了，这些事我都是第一次弄。",
        ),
        "job_loss": (
            "我两周前失业了，现在每一分钱都很重要。",
            "我刚被裁员了，真的很需要这笔钱。",
            "我失业了，现在没有收入，这笔钱我实在损失不起。",
        ),
        "illness": (
            "我住院住了两个星期，一直没法处理这些事。",
            "我刚被确诊癌症，现在很难顾得上这些事情。",
            "我有焦虑症，打这种电话让我特别紧张。",
        ),
        "arrears": (
            "我房租已经拖欠了，这笔钱一扣我就透支了。",
            "我市政税已经欠着了，现在又扣了这笔。",
            "我这个月本来就快付不起账单了。",
        ),
        "scam": (
            "有人打电话冒充银行，让我把钱转到一个安全账户。",
            "我觉得我被骗了，电话里的人说他是你们反诈部门的。",
            "我在网上认识了一个人，给他转了钱，现在他不回我消息了。",
        ),
        "low_digital": (
            "我不太会用电脑，App一般都是我孙子帮我弄。",
            "我不太懂这个App，我以前从来没用过智能手机。",
            "我不太会在网上操作，能不能直接找人帮我办？",
        ),
    },
    vuln_handling={
        "bereavement": (
            "非常抱歉听到这个消息，请您节哀，慢慢来不着急。我会在账户上做个备注，不会有人催您，"
            "同时帮您转介给我们的丧亲服务团队，他们可以一站式帮您处理所有事情。",
            "丧亲；已添加弱势客户备注并转介丧亲服务团队",
        ),
        "job_loss": (
            "听到这个消息我很难过，这确实不容易。我会在账户上备注一下，"
            "同时帮您转介给我们的财务支持团队，他们会和您一起看看有哪些方案。",
            "近期失业；已添加弱势客户备注并转介财务支持团队",
        ),
        "illness": (
            "很抱歉您正在经历这些，完全不用着急。如果您同意，我会在账户上备注，"
            "以后您就不用再重复解释了，我们的支持团队也可以通过信件或邮件联系您。",
            "健康状况；经客户同意添加备注并转介支持团队",
        ),
        "arrears": (
            "谢谢您告诉我。我会在账户上备注，并暂停30天的费用和催收，"
            "我们的财务支持团队会给您打电话，一起制定适合您的还款计划。",
            "经济困难；已暂停费用和催收并转介财务支持团队",
        ),
        "scam": (
            "谢谢您告诉我，您联系我们是对的。我会给账户加上标记，"
            "并请我们的反欺诈专员今天就和您一起处理。",
            "疑似诈骗；已标记账户并转介反欺诈支持",
        ),
        "low_digital": (
            "完全没问题，我们一步一步来。我会在您的账户上备注，您更希望通过电话或信件和我们联系。",
            "数字技能有限；已备注首选联系方式",
        ),
    },
    vuln_thanks=("谢谢你，真的很感谢。", "谢谢，这样我安心多了。", "你真好，谢谢。"),
    vuln_ignored=(
        "好的。那我们继续说这笔交易。",
        "嗯。麻烦您告诉我卡号的后四位。",
        "好的，知道了，我们继续。",
        "嗯，好的。",
    ),
    vuln_repeat=("不好意思，我刚才说了，我现在真的很难。", "最近真的太难了。"),
    pii={
        "cn_mobile": (
            "如果电话断了，您可以打我手机{}，我一直开着机。",
            "我的手机号是{}，有消息麻烦打给我。",
            "回电请打{}，谢谢。",
        ),
        "cn_landline": ("我家里座机是{}，白天一般有人接。",),
        "uk_mobile": ("我英国的手机号是{}，在英国的时候打这个。", "您也可以打我英国号码{}找我。"),
        "card": ("卡号是{}，您帮我查一下。", "我的卡号{}，需要的话给您。"),
        "email": ("能发到我邮箱吗？我的邮箱是{}，谢谢。", "发到{}就行，谢谢。"),
        "bank_account": ("收款账户的分类代码是{}，账号{}。", "我的分类代码是{}，账号是{}。"),
        "postcode": ("我最近搬家了，新地址的邮编是{}。",),
        "id_number": ("需要的话我的身份证号是{}。", "我的身份证号码是{}，护照号我现在手边没有。"),
    },
    card_chat_warning="谢谢。提醒您一下，请不要在聊天中发送完整卡号，我只需要卡号后四位。",
    notes={
        "opening": "客户来信：{}",
        "repeat": "客户表示这是第二次就同一问题联系我们。",
        "vuln": "客户补充：{}",
        "name": "来信署名：{}。",
        "phone": "客户要求回电至{}。",
        "card": "客户在邮件中写了完整卡号（{}）。",
        "email": "客户希望回复到{}。",
        "bank_account": "客户提供了分类代码{}，账号{}。",
        "postcode": "客户提供了新地址的邮编{}。",
        "id_number": "客户在邮件中写了身份证号{}。",
        "vuln_handled": "已在回复中回应：{}。",
        "uncertain": "不确定{}；已询问组长，等待答复。",
        "resolved": "{}已回复客户并结案。",
        "transferred": "已转交{}。",
        "escalated": "客户对目前的答复不满意，已升级给团队经理。",
        "escalated_complaint": "客户对目前的答复不满意，已升级给团队经理；已登记投诉。",
        "holding": "已发送暂时答复，问题尚未解决。",
        "callback": "已预约明天回电。",
        "negative": "客户回复表示对服务不满意。",
    },
    weekdays=("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
)
