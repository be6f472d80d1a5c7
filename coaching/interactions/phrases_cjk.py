"""Chinese and Japanese phrase families of the signals: the same families and vulnerability
categories as English (``phrases.py``), as regular expressions over NFKC-normalised text.

Chinese and Japanese have no spaces between words, so a phrase matches as a substring; where a
short word needs word boundaries to mean the cue, it is listed in ``bounded`` and a match of
exactly that word counts only when the segmenter (jieba for Chinese, janome for Japanese)
agrees that it starts and ends on word boundaries (``matching_cjk``). The reason is given where
each is listed. Other false readings are ruled out in the pattern itself (a family word before
死了, the department after 主管, "DV" but not "DVD").

Chinese patterns are in Simplified characters; Traditional text is mapped to Simplified, one
character for one (``TRADITIONAL``), before it is read, so positions do not move.

Negation mirrors English (``matching.py``): a negator earlier in the clause, with at most
``MAX_BRIDGES`` bridge words between, cancels a match ("我不是要投诉", "我没有被裁员"). Japanese
negates after the word, so a Japanese match is also cancelled when a negative ending follows
it in kana ("苦情ではありません", "失業していません"). A negation inside a phrase is part of it
("我不确定", "よく分かりません"), which is why Japanese phrases that mean a negative hold their
negative ending whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from coaching.interactions.phrases import _VULNERABILITY_CUES

# FCA driver of each category, as English names them.
DRIVERS = {category: driver for category, driver, _, _ in _VULNERABILITY_CUES}


@dataclass(frozen=True)
class CjkPhrases:
    """One language's families (regex sources) and negation words."""

    uncertainty: str
    not_a_gap_after: str  # conversation, not a gap, when this follows an uncertainty phrase
    transfer: str
    escalation: str
    cues: tuple[tuple[str, str], ...]  # (category, pattern), categories as in English
    acknowledgement: str
    offline_help: str
    dissatisfied: str
    negators: tuple[str, ...]  # before a match
    bridges: tuple[str, ...]  # may stand between a negator and the match
    negated_after: str  # a negative ending right after a match ("" when none)
    bounded: frozenset[str]  # short words that must be whole words (see the docstring)


# Traditional Chinese characters of the phrases and the sentiment lexicon, and their Simplified
# forms: one character for one (str.translate), so a match's position is the same in both.
TRADITIONAL = str.maketrans(
    (
        "確實樣沒無們級經領導組長後臺專員關門問對訴復覆係繫說準過聽試載碼驗證題麼轉給隊線"
        "幫為爲連處報匯請單機談溝離辭喪禮會辦剛個週幾愛媽爺兒親療醫絕癡爾風腦臟腫鬱慮驚發"
        "潰殺殘輕業丟崗僱開還負擔債錢務纏討頭緊濟壓據顧護總著佔搶資銀騙詐當賬帳戶讓進網應"
        "電絡聯來難遺節艱額懷勢劃暫減凍結備標記熱諮詢婦費協紙質郵點營廳櫃裡裏舉監時間數現"
        "滿夠煩譜別態惡並從計謝幣號餘歲險產財貸壞傷厲這種氣歡樂順優讚爛慘罵騷擾謊憤惱鬧嗎"
        "謂雜亂嚇憂興貼誠懇責錯誤該續卻雖決獲災衛義鐘噁斷設舊貴讀閉鎖綁攔賠償虧損嚴窮買賣"
        "價錄紀顯絲認識寶貝孫於裝棄選擇歷練龍鬥劇戲邊遠將稅盜觀範圍狀況權貨兌際國內區縣鄉"
    ),
    (
        "确实样没无们级经领导组长后台专员关门问对诉复复系系说准过听试载码验证题么转给队线"
        "帮为为连处报汇请单机谈沟离辞丧礼会办刚个周几爱妈爷儿亲疗医绝痴尔风脑脏肿郁虑惊发"
        "溃杀残轻业丢岗雇开还负担债钱务缠讨头紧济压据顾护总着占抢资银骗诈当账账户让进网应"
        "电络联来难遗节艰额怀势划暂减冻结备标记热咨询妇费协纸质邮点营厅柜里里举监时间数现"
        "满够烦谱别态恶并从计谢币号余岁险产财贷坏伤厉这种气欢乐顺优赞烂惨骂骚扰谎愤恼闹吗"
        "谓杂乱吓忧兴贴诚恳责错误该续却虽决获灾卫义钟恶断设旧贵读闭锁绑拦赔偿亏损严穷买卖"
        "价录纪显丝认识宝贝孙于装弃选择历练龙斗剧戏边远将税盗观范围状况权货兑际国内区县乡"
    ),
)


def _fill(pattern: str, **words: str) -> str:
    for name, alternatives in words.items():
        pattern = pattern.replace(f"<{name}>", f"(?:{alternatives})")
    return pattern.replace("\n", "").replace(" ", "")
