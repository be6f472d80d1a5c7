"""The fixed phrase families of the signals (transfer, escalation, vulnerability cues, support
acknowledgements, offline help, dissatisfaction) and the support action codes: data, compiled once.
"""

from __future__ import annotations

import re

from coaching.interactions.matching import _Phrases, _rx, _words

# --- fixed phrase families -------------------------------------------------------------------

_TRANSFER = _Phrases(
    _rx(
        # "after the transfer you authorised" is a payment, not a transfer of the call
        r"transferr?ing you|(?<!the\x20)(?<!a\x20)(?<!this\x20)(?<!that\x20)(?<!your\x20)"
        r"(?<!my\x20)transfer you|transfer your call|transferring your call"
        r"|put(?:ting)? you (?:through|across)|pass(?:ing)? you (?:over |across |back )?to"
        r"|connect(?:ing)? you (?:to|with)|hand(?:ing)? you over|redirect(?:ing)? you"
    ),
    (
        "transfer",
        "put you",
        "putting you",
        "pass you",
        "passing you",
        "connect you",
        "connecting you",
        "hand you over",
        "handing you over",
        "redirect",
    ),
)
_ESCALATION = _Phrases(
    _rx(
        r"escalat(?:e|ed|es|ing|ion)"
        r"|(?:speak|talk) (?:to|with) (?:my|a|the|our) "
        r"(?:line manager|manager|team leader|supervisor|senior|team manager)"
        r"|(?:get|ask|fetch|grab) (?:my|a|the) (?:manager|team leader|supervisor)"
        r"|refer (?:this|it|you|that) (?:up )?to (?:my|a|the|our) "
        r"(?:manager|team leader|supervisor|senior)"
    ),
    ("escalat", "manager", "team leader", "supervisor", "senior"),
)

_FAMILY = (
    r"husband|wife|partner|mum|mom|mother|dad|father|son|daughter|child|baby|brother|sister"
    r"|grandma|grandmother|grandad|granddad|grandfather|nan|nana|gran|parents?|kids|children"
)
# (category, FCA driver, pattern, needles: see ``_Phrases``)
_VULNERABILITY_CUES: tuple[tuple[str, str, re.Pattern[str], tuple[str, ...]], ...] = (
    (
        "bereavement",
        "life events",
        _rx(
            r"passed away|died|funeral|bereave(?:d|ment)|widow(?:ed|er)?"
            rf"|lost my (?:{_FAMILY})|death (?:of|in) (?:my|the family)"
        ),
        ("passed away", "died", "funeral", "bereave", "widow", "lost my", "death of", "death in"),
    ),
    (
        "serious illness",
        "health",
        _rx(
            r"cancer|chemo(?:therapy)?|radiotherapy|hospitali[sz]ed|hospital"
            r"|terminally ill|terminal (?:illness|cancer|diagnosis|condition)|seriously ill"
            r"|dementia|alzheimer's|had a stroke|heart attack"
        ),
        (
            "cancer",
            "chemo",
            "radiotherapy",
            "hospital",
            "terminally ill",
            "terminal illness",
            "terminal cancer",
            "terminal diagnosis",
            "terminal condition",
            "seriously ill",
            "dementia",
            "alzheimer",
            "had a stroke",
            "heart attack",
        ),
    ),
    (
        "mental health",
        "health",
        _rx(
            r"depression|depressed|anxiety|panic attacks?|mental health|suicidal"
            r"|self(?:-| )?harm(?:ing)?|end it all|end my life"
        ),
        (
            "depress",
            "anxiety",
            "panic attack",
            "mental health",
            "suicidal",
            "harm",
            "end it all",
            "end my life",
        ),
    ),
    (
        "job loss",
        "life events",
        _rx(
            r"lost (?:my|his|her|their|our) jobs?|made redundant|redundancy|unemployed"
            r"|laid off|out of work|(?:been|got) (?:sacked|fired)"
        ),
        (
            *(f"lost {whose} job" for whose in ("my", "his", "her", "their", "our")),
            "made redundant",
            "redundancy",
            "unemployed",
            "laid off",
            "out of work",
            "sacked",
            "fired",
        ),
    ),
    (
        "debt or arrears",
        "resilience",
        _rx(
            r"arrears|can't afford|cannot afford|couldn't afford"
            r"|behind (?:on|with) (?:my |the |our )?(?:payments?|repayments?|rent|mortgage|bills?)"
            r"|debt collect(?:ors?|ion)|bailiffs?|in debt|struggling to pay"
            r"|struggling (?:financially|with money|with (?:my |the )?bills)|stressed about money"
        ),
        (
            "arrears",
            "afford",
            "behind on",
            "behind with",
            "debt collect",
            "bailiff",
            "in debt",
            "struggling",
            "stressed about money",
        ),
    ),
    (
        "caring responsibilities",
        "life events",
        _rx(rf"carer|caring for (?:my|our) (?:{_FAMILY})|look(?:ing)? after my (?:{_FAMILY})"),
        ("carer", "caring for", "look after my", "looking after my"),
    ),
    (
        "domestic abuse",
        "life events",
        _rx(
            r"(?:partner|husband|wife|ex|boyfriend|girlfriend) (?:controls|takes|took|has taken"
            r"|keeps|controlled) (?:all )?(?:of )?my money"
            r"|domestic (?:abuse|violence)|abusive|coercive control|(?:financial|economic) abuse"
        ),
        ("my money", "domestic", "abusive", "coercive control", "abuse"),
    ),
    (
        "scam",
        "life events",
        _rx(
            r"scammed|fraudsters?|victim of (?:a )?(?:scam|fraud)"
            r"|told me to (?:move|transfer) my money|safe account"
        ),
        ("scammed", "fraudster", "victim of", "told me to", "safe account"),
    ),
    (
        "low digital confidence",
        "capability",
        _rx(
            r"not (?:very |that |too |so )?good with (?:computers|technology|tech|the internet"
            r"|phones|apps|online)|don't use the app|can't use (?:the app|online banking|apps"
            r"|the internet)|don't (?:do|use|have) online banking"
            r"|don't have (?:a smartphone|a smart phone|the internet|internet|a computer)"
        ),
        (
            "good with",
            "use the app",
            "use apps",
            "use the internet",
            "online banking",
            "have a smart",
            "have the internet",
            "have internet",
            "have a computer",
        ),
    ),
)
# All the cues in one pass; group ``c<i>`` is ``_VULNERABILITY_CUES[i]``.
_ANY_CUE = _Phrases(
    re.compile(
        "|".join(f"(?P<c{i}>{cue[2].pattern})" for i, cue in enumerate(_VULNERABILITY_CUES)),
        re.IGNORECASE,
    ),
    tuple(needle for cue in _VULNERABILITY_CUES for needle in cue[3]),
)
# "my phone died" is not a bereavement.
_DEVICE_WORDS = _words(
    """phone mobile battery laptop computer tablet app line signal connection it car screen
    internet wifi charger card"""
)

_ACKNOWLEDGEMENT = _Phrases(
    _rx(
        r"sorry (?:to hear|for your loss|about your|that you|you're going through"
        r"|you've been through)|so sorry|really sorry|condolences"
        r"|i (?:completely |totally |fully |do )?(?:can )?understand"
        r"|that must (?:be|have been) (?:really |so |very )?(?:hard|difficult|tough|awful|terrible"
        r"|horrible|upsetting|distressing|worrying|frightening|scary)"
        r"|take (?:your|as much) time|no rush"
        r"|support(?:ing|ed)?|breathing space|specialist (?:team|support|department)"
        r"|vulnerab\w+|(?:extra|additional) (?:help|support)"
        r"|payment (?:holiday|break|plan)|freeze (?:the |your )?interest"
        r"|(?:hold|pause) (?:on )?(?:the )?collections|bereavement (?:team|service|support|centre"
        r"|center|line)|(?:note|flag|record) (?:this|that|it) on (?:your|the) account"
        r"|step ?change|money ?helper|money advice service|national debtline|citizens advice"
        r"|samaritans|macmillan|cruse|refuge|women's aid|victim support|action fraud|age uk"
        r"|debt advice"
    ),
    (
        "sorry",
        "condolences",
        "understand",
        "that must",
        "take your time",
        "take as much time",
        "no rush",
        "support",
        "breathing space",
        "specialist",
        "vulnerab",
        "extra help",
        "additional help",
        "payment holiday",
        "payment break",
        "payment plan",
        "freeze",
        "collections",
        "bereavement",
        "on your account",
        "on the account",
        "step",
        "helper",
        "advice",
        "debtline",
        "samaritans",
        "macmillan",
        "cruse",
        "refuge",
        "women",
        "action fraud",
        "age uk",
    ),
)

# Offered help without the app or the website: acknowledges low digital confidence only.
_OFFLINE_HELP = _Phrases(
    _rx(
        r"paper statements?|by post|in (?:a |the |your )?(?:local )?branch|over the phone for you"
        r"|(?:send|post) (?:you )?(?:a |the )?(?:letter|form|paper)"
    ),
    ("paper", "by post", "branch", "over the phone for you", "letter", " form"),
)
_DIGITAL = "low digital confidence"

SUPPORT_ACTIONS = _words(
    """VULN_FLAG VULNERABILITY_FLAG VULNERABLE VULNERABLE_CUSTOMER SUPPORT_REFERRAL SUPPORT_NEEDS
    BREATHING_SPACE SPECIALIST_TEAM SPECIALIST_REFERRAL BEREAVEMENT_TEAM BEREAVEMENT
    PAYMENT_HOLIDAY PAYMENT_PLAN FORBEARANCE FINANCIAL_SUPPORT FINANCIAL_DIFFICULTY
    COLLECTIONS_HOLD INTEREST_FREEZE SIGNPOST SIGNPOSTED SIGNPOSTING DEBT_ADVICE SAFEGUARDING
    SCAM_SUPPORT CARER_ACCESS THIRD_PARTY_ACCESS POWER_OF_ATTORNEY ACCESSIBILITY"""
)
SUPPORT_ACTION_PREFIXES = ("VULN", "SIGNPOST", "SAFEGUARD", "BEREAVE", "BREATHING")

_DISSATISFIED = _Phrases(
    _rx(
        r"(?:make|making|raise|raising|file|filing|log|logging|lodge|put in) "
        r"(?:a |an )?(?:formal )?complaint|formal complaint|complain(?:ing)?|ombudsman"
        r"|waste of (?:my )?time|wasted (?:my time|an hour|hours|the whole)"
        r"|(?:second|third|fourth|fifth|sixth|umpteenth|\d+(?:st|nd|rd|th)) time "
        r"(?:i've|i have|i am|i'm|now|today|this week|calling|ringing|phoning|i called|i rang)"
        r"|(?:called|rung|rang|phoned|contacted you) "
        r"(?:three|four|five|six|several|so many|multiple|\d+) times"
        r"|still (?:not|isn't|hasn't|haven't|hasn't been|not been) (?:been )?(?:sorted|resolved"
        r"|fixed|working|arrived|received|refunded|done)"
        r"|not (?:very |at all |too )?(?:happy|impressed|good enough|acceptable|helpful|satisfied)"
        r"|unhappy|dissatisfied|unsatisfied|fed up|sick (?:and tired )?of|had enough|wits' end"
        r"|thanks? (?:you )?for nothing|cheers for nothing"
        r"|(?:this is|that's|what) (?:an? )?(?:absolute |complete |total |bloody )?(?:joke|shambles"
        r"|farce|disgrace)|no help (?:at all|whatsoever)|unhelpful"
        r"|(?:not|wasn't|isn't|haven't been|hasn't been|not been) (?:any|much|very|of any) help"
        r"|take my (?:business|money|custom) elsewhere|(?:moving|switching) (?:banks|elsewhere)"
        r"|(?:you |so you )?(?:can't|cannot|won't|couldn't) (?:help|do anything for) me"
        r"|(?:nobody|no one|no-one) (?:can|will|is able to|could) help|useless"
    ),
    (
        "complain",
        "ombudsman",
        "waste of",
        "wasted",
        *(f"time {then}" for then in ("i", "now", "today", "this week", "calling", "ringing")),
        "time phoning",
        "times",
        "still not",
        "still isn",
        "still hasn",
        "still haven",
        *(
            f"not {adverb}{word}"
            for adverb in ("", "very ", "at all ", "too ")
            for word in ("happy", "impressed", "good enough", "acceptable", "helpful", "satisfied")
        ),
        "unhappy",
        "dissatisfied",
        "unsatisfied",
        "fed up",
        "sick",
        "had enough",
        "wits",
        "for nothing",
        "joke",
        "shambles",
        "farce",
        "disgrace",
        "no help",
        "unhelpful",
        "any help",
        "much help",
        "very help",
        "elsewhere",
        "moving banks",
        "switching banks",
        "help me",
        "do anything for me",
        "nobody",
        "no one",
        "no-one",
        "useless",
    ),
)
