"""Synthetic demo ideas: what the frontline of a UK bank's contact centre might share.

Every idea, problem report, feedback item, comment and answer in this module was written for
this project. None is taken from a real firm, customer or member of staff: the customer named in
the one hidden item is invented, its card digits are made up and its phone number is in Ofcom's
range reserved for drama (07700 900xxx).

``load_demo_ideas`` puts about 150 of them in front of the demo users (see ``api/demo.py``) through
the ordinary service functions, then dates everything over the last 120 days so the pages look
lived in: long-tailed support, comment threads, the CX lead's answers through every status,
merged near-duplicates, one hidden idea, and a handful of unanswered ideas past the response
promise. It is deterministic (``random.Random(2026)``) and does nothing when any idea exists.
``demo.loader`` passes the Shanghai and Tokyo teams' ideas (``demo.ideas_zh``, ``demo.ideas_ja``)
with these: only their own team supports and comments on those written in Chinese or Japanese
(``Seed.readers``), and a few of them were merged into English ideas saying the same thing.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import numpy as np
from sqlalchemy import func
from sqlmodel import Session, col, select

from foundation.accounts import Role, Team, User
from foundation.clock import utcnow
from foundation.crosslingual import Encoded
from foundation.embeddings import Embedder, Embedding, get_embedder
from foundation.ids import pk
from foundation.settings import get_settings
from ideas.submissions import moderation as idea_moderation
from ideas.submissions import promise as idea_promise
from ideas.submissions import queries as idea_queries
from ideas.submissions import service as idea_service
from ideas.submissions import similar as idea_similar
from ideas.submissions.models import (
    CommentCreate,
    Idea,
    IdeaCreate,
    IdeaKind,
    IdeaStatus,
    Notification,
    StatusChange,
    StatusUpdate,
    Support,
)

SEED = 2026
SPAN_DAYS = 120
ANONYMOUS_SHARE = 0.2
OVERDUE = 8  # new ideas left unanswered past the response promise
FRESH_DAYS = 13  # every other new idea is younger than this, so it is not yet overdue

IDEA, PROBLEM, FEEDBACK = IdeaKind.idea, IdeaKind.problem, IdeaKind.feedback

# Categories and journey stages, by the names the 0002 migration seeds.
CX = "Customer experience"
PROC = "Process and policy"
SYS = "Systems and tools"
KNOW = "Knowledge and training"
VULN = "Vulnerable customers"
COMPL = "Complaints handling"
WELL = "Wellbeing and workload"
FRAUD = "Fraud and scams"

ONB = "Onboarding"
PAY = "Payments"
CARDS = "Cards"
LEND = "Lending"
MORT = "Mortgages"
ARR = "Arrears and collections"
COMPS = "Complaints"
BEREAV = "Bereavement"
SCAMS = "Fraud and scams"
CLOSE = "Account closure"

# Which demo team usually meets each stage (the author is drawn from it, with some spread).
STAGE_TEAM = {
    ONB: "Thames",
    LEND: "Thames",
    MORT: "Thames",
    COMPS: "Thames",
    BEREAV: "Thames",
    CLOSE: "Thames",
    PAY: "Severn",
    CARDS: "Severn",
    SCAMS: "Severn",
    ARR: "Trent",
}

# Who the CX lead works with on each category (used in the intermediate answers).
OWNER = {
    CX: "the customer journeys team",
    PROC: "the process owners",
    SYS: "the IT service desk and the platform team",
    KNOW: "the learning and knowledge team",
    VULN: "the vulnerable customers working group",
    COMPL: "the complaints quality team",
    WELL: "workforce planning and HR",
    FRAUD: "fraud operations",
}

INTERIM = {
    IdeaStatus.under_review: [
        "Thanks for raising this. I'm taking it to {owner} this week and will update here.",
        "Good catch. I've asked {owner} how often this happens and what a fix would take.",
        "Thank you. Looking into this with {owner}; I'll come back with an answer either way.",
    ],
    IdeaStatus.planned: [
        "{Owner} have agreed to take this on. It's in their plan; I'll post a date when we "
        "have one.",
        "This is going ahead: {owner} will pick it up in their next release cycle.",
    ],
    IdeaStatus.in_progress: [
        "Work has started with {owner}. I'll share the change here before it goes live.",
        "{Owner} are building this now. Thanks for your patience.",
    ],
}


@dataclass(frozen=True)
class Seed:
    """One demo item. ``status`` is where it ends up and ``response`` the CX lead's answer
    that gets it there (earlier steps get a shorter interim answer)."""

    key: str
    kind: IdeaKind
    category: str
    stage: str | None
    title: str
    body: str
    status: IdeaStatus = IdeaStatus.new
    response: str = ""
    # (who, text); who is "agent", "lead" (a team leader), "cx" (the CX lead) or "author".
    comments: tuple[tuple[str, str], ...] = ()
    support: int | None = None  # None: drawn from a long-tailed distribution
    trend: int = 0  # how many of the supports land in the last 14 days
    anon: bool | None = None  # None: drawn so that about 20% end up anonymous
    team: str | None = None  # None: the stage's usual team
    by_lead: bool = False
    fresh: bool = False  # submitted in the last few days
    after: str | None = None  # submitted after this item's last answer
    same_author: str | None = None
    merge_into: str | None = None
    hide: str | None = None
    # The team whose members read the idea's language (demo.ideas_zh / ideas_ja): supporters and
    # commenting agents come from it. None: anyone.
    readers: str | None = None


def _s(
    key: str,
    kind: IdeaKind,
    category: str,
    stage: str | None,
    title: str,
    body: str,
    status: str = "new",
    response: str = "",
    *comments: tuple[str, str],
    **extra: Any,
) -> Seed:
    return Seed(
        key, kind, category, stage, title, body, IdeaStatus(status), response, comments, **extra
    )


# fmt: off
SEEDS: list[Seed] = [
    # ------------------------------------------------------------ arrears and collections
    _s("arrears-letters", PROBLEM, PROC, ARR,
       "Customers in arrears get three letters in a week from different teams",
       "Had a customer on the phone today holding three letters: an arrears notice from us, a "
       "missed payment letter from the card team and a default warning from loans. All in the "
       "same week, all with different amounts and different phone numbers. She thought she owed "
       "three times what she does. Can the letters be coordinated, or sent as one?",
       "in_progress",
       "We've mapped every letter a customer in arrears can get: 11 templates across three "
       "teams. The collections strategy team is building one combined arrears summary with a "
       "single number to call. The pilot starts with customers who have both a credit card and "
       "a personal loan.",
       ("agent", "Same on my calls, at least twice a week. They always ask which one to pay "
        "first."),
       ("cx", "Thanks all. This is one of the clearest examples of foreseeable harm we've had. "
        "Keep the examples coming (no customer details please)."),
       ("lead", "Trent can help test the wording of the combined letter if that's useful."),
       support=16),
    _s("arrears-letters-2", PROBLEM, CX, ARR,
       "Collections and cards send separate letters about the same missed payment",
       "If a customer misses a credit card payment and is over their overdraft limit, both "
       "teams write to them within days of each other. The customer ends up calling twice and "
       "hearing two different stories. One letter and one contact point, please.",
       support=3, merge_into="arrears-letters"),
    _s("arrears-letters-3", FEEDBACK, CX, ARR,
       "Customers on a payment arrangement still get the automated arrears letters",
       "Several calls this month from customers who set up an arrangement with us and then got "
       "the standard arrears letter anyway, because the arrangement isn't picked up until the "
       "next cycle. It frightens people who are doing exactly what we asked them to.",
       trend=2, fresh=True),
    _s("ie-prefill", IDEA, PROC, ARR,
       "Pre-fill the income and expenditure form from the customer's last statement",
       "We ask customers to read out every bill for the I&E even when they did one with us "
       "three months ago. Let us load their last Standard Financial Statement and confirm what "
       "has changed. It would save 10-15 minutes a call and is far less stressful for them.",
       "planned",
       "Agreed. The SFS tool can reload a previous statement; it was switched off by a data "
       "retention setting. Compliance have signed off keeping the last statement for 12 months, "
       "so this is planned for the April release.",
       ("agent", "Yes please. Half my I&Es are people whose situation hasn't changed at all."),
       support=9),
    _s("breathing-space", PROBLEM, PROC, ARR,
       "Breathing Space notifications take days to reach collections",
       "The Insolvency Service notification lands in the central mailbox and takes 2-4 days to "
       "become a marker on the account. In that time the dialler still calls the customer and "
       "letters still go out. That breaks the moratorium, it isn't just poor service.",
       "in_progress",
       "Confirmed, and logged as a regulatory incident. Interim fix: the mailbox is now checked "
       "twice a day by the Trent team leader on shift. The permanent fix, an automatic marker "
       "from the Insolvency Service feed, is being built.",
       ("agent", "Had one of these last week, the debt adviser was not impressed."),
       ("cx", "Thank you for flagging this so quickly. Please log any case you find as an "
        "incident too, so we can check nothing else was missed."),
       support=11),
    _s("breathing-space-2", PROBLEM, VULN, ARR,
       "We're still chasing customers who are in Breathing Space",
       "Took a call from a customer whose debt adviser had registered Breathing Space last "
       "week. He'd had two dialler calls since. He was really upset and said his adviser told "
       "him we can't legally contact him about the debt. Can the dialler check the marker "
       "before it calls?",
       "new", "",
       ("agent", "Happened to one of mine as well. The marker was on the account but the dialler "
        "list had been built the night before."),
       fresh=True, trend=3),
    _s("dialler-sunday", PROBLEM, CX, ARR,
       "Dialler calls customers at 8pm on a Sunday",
       "Several customers have complained about collections calls late on a Sunday. It's within "
       "the rules but it isn't a good look, and they rarely pick up. Could the dialler stop at "
       "6pm at weekends?",
       "declined",
       "We looked at the contact data: Sunday evening is when we reach the most customers who "
       "work weekdays, and several have told us they prefer it. So the hours stay, but there is "
       "now a 'no weekend calls' preference you can set for any customer who asks."),
    _s("arrangement-sms", IDEA, CX, ARR,
       "Text the customer a summary straight after agreeing a payment arrangement",
       "Customers ring back within days to check what they agreed. A text with the amount, the "
       "dates and how to pay would stop most of those repeat calls.",
       "done",
       "Live since last Tuesday: saving an arrangement now sends an SMS summary with the amount, "
       "dates and payment options. Thank you, several of you asked for this.",
       ("agent", "Already seeing fewer 'what did I agree' calls. Great change.")),
    _s("health-wording", IDEA, KNOW, ARR,
       "Better wording for asking about health during an I&E",
       "Asking 'do you have any health conditions' in the middle of a budget feels abrupt and "
       "most people say no. A softer lead-in ('some people find money worries affect their "
       "health, or the other way round') would get more disclosures. Could training do a short "
       "module on it?",
       "planned",
       "Good shout. The vulnerability champions are writing three example openers and testing "
       "them on redacted calls. Planned as a 15-minute module for Trent next month."),
    _s("gambling-block-ie", IDEA, VULN, ARR,
       "Offer the card gambling block during arrears conversations",
       "When the I&E shows gambling spend nothing prompts us to mention the gambling block, and "
       "lots of customers don't know it exists. A prompt on the I&E screen would help.",
       "done",
       "Done: the I&E screen now shows a prompt when there are gambling transactions in the "
       "last 90 days, with a link to turn the block on (with the customer's consent first)."),
    _s("default-notice", FEEDBACK, CX, ARR,
       "The default notice reads like a threat",
       "Customers ring in a panic about the default notice. The legal wording has to be there, "
       "but the first paragraph could say what help is available before the consequences.",
       "under_review",
       "The notice itself is set by the Consumer Credit Act, but the covering letter isn't. "
       "I've asked the letters team for the current template and legal for a view on putting "
       "the help section first."),
    _s("collections-idv", PROBLEM, PROC, ARR,
       "Customers transferred from retail have to pass security again in collections",
       "Retail transfers the call to us and we have to ask every security question again. "
       "Customers who are already stressed about money find it really annoying.",
       "new", "",
       ("agent", "Could retail pass a 'passed security' flag with the transfer?"),
       ("author", "That would do it. The customer has already done it once on the same call."),
       fresh=True),
    _s("ptp-sms", PROBLEM, SYS, ARR,
       "A promise to pay doesn't stop the overdue payment texts",
       "Customer set a promise to pay for Friday and still got 'your payment is overdue' texts "
       "on Wednesday and Thursday. The promise doesn't seem to suppress the SMS reminders.",
       "under_review",
       "Confirmed with the collections platform team: the reminders come from a nightly file "
       "built before promises to pay are loaded. They're changing the job order and I'll post "
       "the date here."),
    _s("debt-advice-transfer", IDEA, VULN, ARR,
       "Warm transfer to free debt advice instead of reading out a phone number",
       "We read out the free debt advice numbers but many customers never ring them. A warm "
       "transfer or a booked callback would actually get them help.",
       "planned",
       "We've agreed a warm-transfer line with a free debt advice charity for customers who "
       "consent. Legal are finishing the data-sharing agreement; planned to start next quarter.",
       ("agent", "This would be brilliant. So many say 'I'll ring them later' and never do.")),
    _s("aht-arrears", FEEDBACK, WELL, ARR,
       "The handle time target doesn't fit arrears calls",
       "We're measured on a 9-minute handle time, but a proper I&E with a vulnerable customer "
       "takes 25 minutes. People are rushing those calls to hit the number. Could arrears calls "
       "be measured differently?",
       "under_review",
       "Raised at the operations leadership meeting. We're looking at taking handle time off "
       "individual scorecards in Trent and measuring outcomes instead (arrangements still kept "
       "after three months). Decision due at the end of the month.",
       ("agent", "Agree 100%. I've been pulled up for AHT on calls I'm proud of."),
       ("agent", "Same in Thames for bereavement calls."),
       ("cx", "Thanks for being so open about this. It helps make the case."),
       anon=True, support=14),
    _s("mortgage-unsecured", PROBLEM, PROC, MORT,
       "Mortgage arrears and card arrears are two separate conversations",
       "A customer behind on both their mortgage and their credit card has two separate calls "
       "and does two I&Es, with different teams and different rules. They should only have to "
       "tell us once.",
       team="Trent"),
    _s("deferral-credit-file", IDEA, KNOW, LEND,
       "One clear answer on what a payment deferral does to the credit file",
       "Customers ask whether a payment deferral shows on their credit file and agents give "
       "different answers. We need one clear line from the credit reporting team.",
       "done",
       "The article 'Payment deferrals and your credit file' now has the exact wording agreed "
       "with the credit reporting team, for loans, cards and mortgages. It's linked from the "
       "arrears call guide.", team="Trent"),
    _s("arrears-after-death", PROBLEM, VULN, BEREAV,
       "Arrears letters still go out after we've been told the customer has died",
       "Twice this month a family has called in tears because an arrears letter arrived "
       "addressed to their late parent, weeks after they'd told us. It seems to happen on joint "
       "accounts.",
       "in_progress",
       "This should never happen. The bereavement marker wasn't stopping the collections letter "
       "run on joint accounts. A fix is in testing; until it's live the bereavement team checks "
       "the collections queues every morning.",
       ("agent", "Had one of these too. Thank you for treating it as urgent."),
       support=9),
    _s("payment-link", IDEA, CX, ARR,
       "Let customers pay arrears through a secure link sent by text",
       "Lots of customers want to pay there and then but don't like reading card details out "
       "on the phone. A secure payment link by SMS would be quicker and safer.",
       "planned",
       "The payments team already have pay-by-link for the cards app, so this reuses it. "
       "Planned for collections once the new SMS supplier is in."),
    _s("short-arrangement-online", IDEA, CX, ARR,
       "An online form for short payment arrangements",
       "Many arrears calls are simple: the customer wants to pay the missed amount in two or "
       "three parts. An online form for arrangements under three months would free phone time "
       "for the complex cases.",
       "declined",
       "We looked at this with collections strategy. Even short arrangements need an "
       "affordability check and a vulnerability prompt, and a self-serve pilot elsewhere in the "
       "group saw more broken arrangements. Declined for now; we'll revisit once the new I&E tool "
       "is live."),
    _s("after-default-guide", IDEA, KNOW, ARR,
       "A plain guide to what happens after a default",
       "Customers ask what a default means for them: credit file, debt sale, whether they can "
       "still pay us. We each explain it differently. A one-page guide we could also email "
       "would help."),
    _s("interest-freeze", PROBLEM, PROC, ARR,
       "Interest freeze on an arrangement takes a whole statement cycle to apply",
       "When we agree to freeze interest as part of an arrangement it doesn't apply until the "
       "next statement, so the customer sees interest added and calls back thinking we lied.",
       "new", "",
       ("agent", "And the statement then shows a higher balance than the one we quoted."),
       support=3),
    _s("collections-notes", PROBLEM, SYS, ARR,
       "Collections notes don't show on the retail CRM screen",
       "Retail colleagues can't see our notes, so when the customer calls the main number "
       "they're asked about things they've already sorted with us.", team="Thames"),

    # ---------------------------------------------------------------------------- cards
    _s("card-eta", PROBLEM, CX, CARDS,
       "Card replacement ETA in the app says 3 days, the printer SLA is 5 working days",
       "The app tells customers a replacement card arrives in 3 days. The card bureau's SLA is "
       "5 working days plus post, so on day 4 they ring us thinking it's lost, and we cancel "
       "and reorder, which starts the clock again. Can the app show the real timescale?",
       "done",
       "The app and the card-ordered text now say 'within 7 working days' and show the dispatch "
       "date once the card is printed. Live from the last app release. Thanks for pushing on "
       "this one.",
       ("agent", "We get loads of these on Severn, usually Thursdays and Fridays."),
       ("lead", "Worth adding: please don't reorder before day 8 unless it's been stolen. "
        "Reordering resets the print queue."),
       support=11),
    _s("card-eta-2", PROBLEM, CX, CARDS,
       "App promises a new card in 3 days but it takes over a week",
       "Customer called on day 5 after ordering a replacement because the app said 3 days. I "
       "told them to wait and they weren't happy, because the app said otherwise. It happens a "
       "few times a day on our team.",
       support=2, merge_into="card-eta"),
    _s("virtual-card", IDEA, CX, CARDS,
       "Give customers a virtual card straight away when their card is lost",
       "Customers abroad or without another card are stuck for a week. A virtual card in the app "
       "during the same call would help, especially for customers who can't get to a branch.",
       "planned",
       "Instant digital cards on replacement are on the cards roadmap for the second half of "
       "the year. Your examples have gone into the business case.",
       ("agent", "Would have saved a customer stranded in Spain last week."),
       ("agent", "Plus one, especially for people who rely on the card for their carer to shop."),
       support=10),
    _s("contactless-pin", IDEA, KNOW, CARDS,
       "Explain why contactless sometimes asks for the PIN",
       "We get lots of calls about cards asking for the PIN on contactless after a few uses. "
       "Most agents don't know the cumulative limit rule. One line in the knowledge base would "
       "do.",
       "done",
       "Knowledge article updated: 'Why contactless asks for a PIN', with the cumulative limit "
       "explained and what to tell the customer. It's on the cards quick reference too."),
    _s("chargeback-form", IDEA, SYS, CARDS,
       "The chargeback form makes us retype the transaction details",
       "The dispute form doesn't pull the transaction from the card system, so we type the "
       "merchant, amount and date by hand. One typo and the scheme rejects the claim and the "
       "customer waits another 10 days.",
       "in_progress",
       "The disputes form now has a 'pick from transactions' button in testing; Severn will "
       "trial it first. Expect it within a few weeks.",
       ("agent", "Had a claim rejected last week for a one-digit typo in the amount."),
       ("cx", "Severn trial starts Monday. Tell us here how it goes.")),
    _s("s75-guide", IDEA, KNOW, CARDS,
       "A decision tree for Section 75 versus chargeback",
       "Agents mix up Section 75 and chargeback, especially when a purchase over £100 was paid "
       "partly by card or through a payment service. A simple decision tree would help us give "
       "the right answer first time.",
       "done",
       "The Section 75 / chargeback decision tree is in the knowledge base, with worked "
       "examples (deposits, split payments, payment services). Thank you."),
    _s("ivr-lost-card", PROBLEM, CX, CARDS,
       "The IVR sends lost card callers to the general queue",
       "Saying 'lost card' in the IVR puts callers in the general retail queue instead of the "
       "cards team. They wait 15 minutes and then we transfer them. Lost and stolen should go "
       "straight to cards.",
       "done",
       "The IVR team found 'lost card' was mapped to account enquiries after the menu change in "
       "the autumn. Fixed: lost and stolen now go to Severn with priority.", support=8),
    _s("ivr-lost-card-2", PROBLEM, CX, CARDS,
       "Stolen card calls come through to retail and have to be transferred",
       "At least five a day on my shift. The customer is panicking about their stolen card and "
       "has already waited in our queue. Can't they go straight to cards?",
       "done",
       "Same root cause as 'The IVR sends lost card callers to the general queue': the routing "
       "is fixed and stolen cards now go straight to the cards team.", team="Thames"),
    _s("temp-address-card", PROBLEM, VULN, CARDS,
       "We can't send a replacement card to a temporary address",
       "Customers staying with family or in hospital can only get a card sent to their "
       "registered address. For some vulnerable customers that means no access to their money "
       "for weeks.",
       "under_review",
       "Fraud ops are open to this with extra checks. We're working out which checks, and "
       "whether branch collection is an option too.",
       ("agent", "Hospital discharge teams ask us about this a lot."),
       ("lead", "Branch collection would work for most of the cases I've seen.")),
    _s("pin-reminder", PROBLEM, SYS, CARDS,
       "PIN reminder letters take 10 days to arrive",
       "Customers who've forgotten their PIN wait up to 10 days for the letter. Showing the PIN "
       "in the app after a security check would be instant."),
    _s("atm-retained", PROBLEM, PROC, CARDS,
       "Customers don't know their card is cancelled when an ATM keeps it",
       "When a cash machine retains a card it's cancelled automatically, but nobody tells the "
       "customer. They call us days later asking how to get it back."),
    _s("decline-reason", IDEA, SYS, CARDS,
       "Show the decline reason on the card screen",
       "When a customer calls about a declined payment we only see 'declined' and have to "
       "transfer to fraud to find out why. If the screen showed the reason (wrong CVV, fraud "
       "rule, insufficient funds) we could answer most of these ourselves.",
       "planned",
       "Good idea, and fraud ops agree for non-fraud reasons (fraud rule hits still need them). "
       "Planned for the next CRM release.",
       ("agent", "This would cut my transfers in half."),
       support=12),
    _s("gambling-block-wait", IDEA, VULN, CARDS,
       "Explain the 48-hour wait when a customer turns off the gambling block",
       "Customers call angry that the block didn't lift straight away. A line in the app when "
       "they switch it off would stop these calls.",
       "done",
       "The app now explains the 48-hour wait when the block is turned off, and the knowledge "
       "article says why it's there: it's a protection customers asked for."),
    _s("foreign-fees", FEEDBACK, CX, CARDS,
       "Customers are confused by foreign transaction fees on the debit card",
       "Lots of calls after holidays about the non-sterling fee and the cash fee on top. The "
       "app shows them as separate lines with codes nobody understands.",
       "new", "",
       ("agent", "The two codes mean nothing to anyone, including me the first time."), fresh=True),
    _s("hidden-customer", PROBLEM, CX, CARDS,
       "Mrs Pemberton (card ending 4471) charged twice by her gym after card replacement",
       "Mrs Pemberton rang again today, third time. Her gym took the membership twice after we "
       "sent her new card ending 4471. Can someone in disputes please sort her account out? "
       "She's on 07700 900123.",
       anon=False, support=0,
       hide="Hidden because it names a customer and includes card and phone details. The "
       "problem is worth raising: please resubmit it without customer details, and log the "
       "individual case through disputes."),
    _s("recurring-double", PROBLEM, CX, CARDS,
       "Recurring card payments taken twice after a card replacement",
       "When a card is replaced some merchants on the card updater service take the payment on "
       "both the old and the new card. Had two of these this week. Is there a known problem "
       "with the updater file?",
       "under_review",
       "Thanks for resubmitting. The cards team confirm a delay in the updater file last month; "
       "they're checking which merchants double-charged and whether we refund proactively.",
       anon=False, same_author="hidden-customer"),

    # -------------------------------------------------------------------------- payments
    _s("cop-close-match", PROBLEM, CX, PAY,
       "Confirmation of Payee 'close match' message confuses customers",
       "Customers see 'the name is a close match' and think the payment is blocked or that "
       "it's fraud, so they ring us mid-payment. The app message could say what to check and "
       "that they can still go ahead.",
       "in_progress",
       "The app team are rewording the close match screen with plain-language examples. Fraud "
       "ops have approved the text; it ships with the next app release."),
    _s("cop-close-match-2", FEEDBACK, CX, PAY,
       "Customers don't understand the partial name match warning",
       "Several chats this week asking whether the partial match warning means they'll lose "
       "their money. The wording is very technical.", fresh=True, trend=3),
    _s("faster-payment-hold", PROBLEM, PROC, PAY,
       "Faster Payments held for checks with no message to the customer",
       "When a payment is held for a fraud check the customer just sees 'processing'. They "
       "don't know we've held it, so they send it again or panic.",
       "under_review",
       "Fraud ops are looking at a push notification when a payment is held, without tipping "
       "off a scammer who may be with the customer. I'll update once they have a design."),
    _s("chaps-cutoff", PROBLEM, KNOW, PAY,
       "The CHAPS cut-off time differs between the knowledge base and the form",
       "The knowledge base says 3:30pm, the payment form says 3pm, the branch poster says 4pm. "
       "Customers buying houses miss completion because of it.",
       "done",
       "The correct cut-off is 3pm for same-day CHAPS. The knowledge article, the form's help "
       "text and branch materials now all say the same. Thanks for spotting it."),
    _s("dd-indemnity", IDEA, SYS, PAY,
       "A 'raise indemnity claim' button on the Direct Debit list",
       "Raising a Direct Debit Guarantee claim takes six screens and copying the originator "
       "number by hand. A button on the Direct Debit list that pre-fills it would save minutes "
       "a call.",
       "planned",
       "The payments platform team will add it in their next release. Until then, the "
       "knowledge article has a shortcut for finding the originator number.",
       ("agent", "Six screens on a good day. Eight if the DD was amended.")),
    _s("standing-order-edit", PROBLEM, SYS, PAY,
       "Customers can't change a standing order amount in the app",
       "They have to cancel and set up a new one, which asks for the payee details again and "
       "sometimes triggers a Confirmation of Payee check. Many give up and call us."),
    _s("temporary-limit", IDEA, CX, PAY,
       "Let customers raise their daily payment limit temporarily in the app",
       "Customers buying a car or paying a builder hit the daily limit and have to call. A "
       "temporary increase in the app would save them the wait.",
       "declined",
       "We looked at this with fraud ops: temporary limit increases are one of the main things "
       "scammers coach victims to ask for, so it needs to stay a conversation. Declined, but "
       "the call script for genuine requests has been shortened."),
    _s("salary-bacs", IDEA, KNOW, PAY,
       "A read-out explanation of BACS timing for 'where's my salary' calls",
       "Payday mornings are full of 'my salary hasn't arrived' calls. A simple explanation of "
       "BACS processing days and bank holidays would make these two-minute calls.",
       "done",
       "Added to the payments quick reference: what time BACS credits land, what changes on "
       "bank holidays, and when to escalate."),
    _s("bank-holiday-date", PROBLEM, SYS, PAY,
       "The app lets customers schedule a payment on a bank holiday",
       "Then it goes the next working day and they're charged a late fee by whoever they were "
       "paying. The app should warn them or move it earlier."),
    _s("cheque-imaging", PROBLEM, SYS, PAY,
       "Cheque imaging rejects cheques with no explanation",
       "The app rejects cheques photographed on a dark background but only says 'try again'. "
       "Older customers give up and call or queue in branch."),
    _s("misdirected-updates", IDEA, PROC, PAY,
       "Keep customers updated on misdirected payment recovery",
       "When a customer sends money to the wrong account we raise a recovery request and then "
       "nothing: no update for weeks. A text at each stage would save a lot of chaser calls.",
       "under_review",
       "The recovery process has three stages that could trigger a text. Payments operations "
       "are checking whether the other bank's response can be tracked automatically."),
    _s("payment-status-volume", FEEDBACK, CX, PAY,
       "Payment status calls are a big share of what Severn handles",
       "Rough count on our team last week: about a third of calls were 'has my payment gone "
       "through'. Most of the answers are on screens the customer can't see.",
       "under_review",
       "Thanks, useful data. The app team are looking at a payment tracker for all outgoing "
       "payments; I've shared your count with them.", by_lead=True, team="Severn"),
    _s("international-cost", IDEA, CX, PAY,
       "Show the full cost of an international payment before the customer confirms",
       "Customers are surprised by the exchange rate margin and the intermediary bank fees. "
       "Showing the total up front would avoid complaints.",
       "planned",
       "Agreed with the international payments team: the confirmation screen will show the "
       "rate, our fee and an estimate of other banks' fees. Planned for next quarter."),
    _s("new-payee-hold", PROBLEM, KNOW, PAY,
       "The new payee hold isn't explained in our phone script",
       "Customers paying a new payee for the first time over a set amount get a hold and we "
       "have no script for it, so we say different things."),

    # ---------------------------------------------------------------------- fraud and scams
    _s("app-script", IDEA, FRAUD, SCAMS,
       "Make a simple script for explaining APP fraud reimbursement",
       "Since the reimbursement rules changed, customers ask 'will I get my money back' and we "
       "all say something different. A short plain-English script: what's covered, the limit, "
       "the timescale, what we need from them, and the 'gross negligence' part explained "
       "kindly.",
       "in_progress",
       "Fraud ops and legal have drafted a one-page script and five of you are testing it on "
       "live calls this week. The final version goes into the knowledge base and the fraud call "
       "guide by the end of the month.",
       ("agent", "Please include what to say when the customer sent the money to their own "
        "account first."),
       ("cx", "Good point, passed on."),
       ("agent", "Tested it on three calls yesterday, much easier."),
       support=9, trend=4),
    _s("app-script-2", PROBLEM, KNOW, SCAMS,
       "Agents explain the new APP reimbursement rules differently",
       "Listening to calls for QA I heard three different answers to 'how long will the refund "
       "take' (5 days, 5 working days, 35 days). Customers who call back get a different story "
       "each time.", by_lead=True, fresh=True, trend=2),
    _s("banking-protocol", IDEA, KNOW, SCAMS,
       "A refresher on the Banking Protocol for phone agents",
       "Branches know the Banking Protocol for courier fraud but phone agents aren't sure what "
       "to do when a customer says a 'police officer' is coming to collect their card."),
    _s("remote-access", IDEA, FRAUD, SCAMS,
       "Ask about remote access apps when a payment looks unusual",
       "A lot of the scams we see involve the customer installing a screen-sharing app. A "
       "prompt to ask 'has anyone asked you to install an app?' before large payments would "
       "catch some.",
       "planned",
       "Fraud ops agree; the question is going into the payment intervention script, with a "
       "line on what to do if they say yes. Planned with the next script update."),
    _s("safe-account", FEEDBACK, FRAUD, SCAMS,
       "Customers still move money to 'safe accounts' after our warning",
       "We read the warning but the scammer has already told them we'd say that. The warning "
       "needs to sound different from what the scammer predicts.",
       "under_review",
       "Fraud ops are testing new warning wording that names the exact tactic ('they told you "
       "we'd say this'). I'll share the results."),
    _s("fraud-queue-wait", PROBLEM, FRAUD, SCAMS,
       "Waits to transfer to the fraud team are 40 minutes at lunchtime",
       "When we suspect a scam in progress we have to warm-transfer to fraud, and at lunchtime "
       "the wait is 30-40 minutes. Customers hang up and sometimes make the payment anyway.",
       "in_progress",
       "Fraud ops have staggered their lunch breaks and set up a 'scam in progress' priority "
       "route that jumps the queue. Live for calls now; chat follows next month.",
       ("agent", "Had a customer hang up on me after 25 minutes last week and I still think "
        "about it."),
       ("lead", "Please use the priority route from today, it's on the transfer menu."),
       support=13),
    _s("fraud-chat-handoff", PROBLEM, SYS, SCAMS,
       "There's no way to hand a chat over to the fraud team",
       "On chat we have to ask the customer to phone the fraud line, and in the meantime the "
       "scammer keeps talking to them.",
       "under_review",
       "The chat platform supports transfers between queues; the fraud team just isn't set up "
       "as one. Checking their staffing with them."),
    _s("romance-scam-training", IDEA, KNOW, SCAMS,
       "Training on talking to customers who don't believe it's a scam",
       "Romance and investment scam victims often defend the scammer. We need help with those "
       "conversations, not just the checklist.",
       "done",
       "The 'When the customer is sure it's genuine' module is live on the learning platform: "
       "20 minutes, with redacted recordings from the fraud team. Thanks to everyone who shared "
       "examples."),
    _s("sim-swap", PROBLEM, FRAUD, SCAMS,
       "One-time passcodes still go to the old number after a SIM swap",
       "Customer reported a SIM swap and we updated the number, but the next passcode went to "
       "the old one. There seems to be a delay between the CRM and the passcode service.",
       "new", "",
       ("agent", "Seen this twice. Does anyone know how long the delay is?"),
       ("lead", "About four hours, according to the fraud team. Until then use the card reader "
        "check, not a passcode.")),
    _s("cifas-explain", IDEA, KNOW, SCAMS,
       "Customers with a Cifas marker get no explanation from us",
       "We're told not to discuss it, so customers are bounced between us and Cifas. A script "
       "for what we can say would help."),
    _s("fraud-letter-jargon", FEEDBACK, CX, SCAMS,
       "The fraud claim outcome letter is full of jargon",
       "Customers call to ask what 'requisite level of care' means. The letter could just say "
       "what we decided and why."),
    _s("trusted-contact", IDEA, VULN, SCAMS,
       "Offer a trusted contact to customers who've been scammed more than once",
       "Some customers are targeted again and again. With their consent, a trusted family "
       "member or friend could be told about unusual payments.",
       "planned",
       "The vulnerable customers working group have backed this and legal have agreed a "
       "consent wording. Planned as a pilot with fraud ops.",
       ("agent", "I've had the same customer three times this year. Yes please.")),
    _s("scam-calls-draining", FEEDBACK, WELL, SCAMS,
       "Calls with scam victims are emotionally draining",
       "Telling someone they've lost their life savings and we may not get it back is really "
       "hard. There's no debrief or support after those calls.", anon=True),
    _s("impersonation-line", IDEA, FRAUD, SCAMS,
       "Say 'we will never ask you to move money' at the start of every fraud call",
       "Impersonation scammers pretend to be us. If every genuine fraud call started with that "
       "line, customers would learn to expect it.",
       "declined",
       "We discussed it with fraud ops: scammers copy whatever we say at the start, so it would "
       "soon be in their script too. Declined, but the line is now in the app's security tips "
       "and on the fraud pages."),

    # ------------------------------------------------------------------------ onboarding
    _s("statement-proof", PROBLEM, PROC, ONB,
       "Account opening rejects statements downloaded from other banks' apps",
       "Customers upload a statement PDF from another bank's app as proof of address and it's "
       "rejected because it isn't 'original'. Most people don't get paper statements now.",
       "new", "",
       ("agent", "Same with council tax bills downloaded as a PDF.")),
    _s("selfie-check", PROBLEM, VULN, ONB,
       "The ID selfie check fails for customers wearing a head covering",
       "The app's ID check keeps failing for customers who wear a headscarf or have a facial "
       "difference, and they end up having to go to a branch.",
       "in_progress",
       "The ID verification supplier has a setting for this that wasn't switched on. It's "
       "being tested now, and the fallback (a video call instead of a branch) is being set up.",
       ("agent", "Thank you for taking this seriously. Sending people to a branch an hour away "
        "isn't fair.")),
    _s("no-fixed-address", IDEA, VULN, ONB,
       "Basic bank accounts for customers with no fixed address",
       "We turn away people in hostels or refuges because they can't prove an address. Other "
       "banks accept a letter from a support worker. Can we?",
       "planned",
       "Yes. Financial crime have agreed the evidence list (hostel, refuge or support worker "
       "letter). Planned for next month with a short guide for agents.",
       ("agent", "Thank you, this comes up more than people think.")),
    _s("switch-timeline", IDEA, KNOW, ONB,
       "Explain the Current Account Switch timeline on day one",
       "Customers who switch to us call on day 3 asking where their direct debits are. A "
       "simple day-by-day timeline in the welcome email would stop these calls.",
       "done",
       "The welcome email now has a 7-working-day timeline, and the knowledge base has the "
       "same timeline for us."),
    _s("welcome-letters", FEEDBACK, CX, ONB,
       "New customers call to ask what the welcome letters mean",
       "They get four letters in the first fortnight (PIN, card, terms, overdraft) and some "
       "think they've been sent someone else's account.", fresh=True),
    _s("kyc-freeze", PROBLEM, PROC, ONB,
       "New accounts frozen for a KYC review with no explanation to the customer",
       "The customer's salary goes in and they can't get to it. We can only say 'it's under "
       "review' and can't give a timescale."),
    _s("address-change-app", IDEA, CX, None,
       "Let customers change their address in the app",
       "Address changes are a big share of simple calls and they need a full security check "
       "anyway. Doing it in the app with the step-up check would be easy.",
       "done",
       "Address change is now in the app for customers who pass the step-up check. Address "
       "change calls are down by a third in the first month.", team="Thames"),

    # -------------------------------------------------------------- lending and mortgages
    _s("loan-settlement", IDEA, CX, LEND,
       "Show the loan settlement figure in the app",
       "Settlement figure requests are simple but take a full call. The app could show the "
       "figure valid for 28 days.",
       "planned",
       "The lending team will show the settlement figure in the app, with a 'request a letter' "
       "button. Planned for the next app release."),
    _s("rate-switch-expiry", PROBLEM, SYS, MORT,
       "Mortgage rate switch quotes expire while the customer is on hold",
       "The product transfer quote expires after 20 minutes and if we transfer the customer to "
       "the mortgage team it has expired by the time they pick up."),
    _s("erc-calculator", PROBLEM, KNOW, MORT,
       "The early repayment charge calculator disagrees with the offer letter",
       "Twice this month the calculator gave a different ERC from the customer's offer letter. "
       "We don't know which to trust.",
       "under_review",
       "The mortgage team have confirmed the calculator uses a different day count. They're "
       "fixing it; until then, quote the offer letter and tell the mortgage team."),
    _s("poa-delay", PROBLEM, VULN, None,
       "Power of attorney registration takes three weeks and families call every few days",
       "Once the attorney sends the documents it takes around three weeks to register. The "
       "family call every few days to chase, and we can't see where it is.",
       "in_progress",
       "The third-party team are clearing the backlog with overtime and adding a status to the "
       "CRM so you can tell the family where it's up to.",
       ("agent", "Some of these families are also dealing with a parent going into care. Three "
        "weeks feels like forever."),
       ("author", "Thank you for the update, the status on the CRM will really help."),
       support=10, team="Thames"),
    _s("poa-delay-2", PROBLEM, PROC, None,
       "Lasting power of attorney documents sit in a queue for weeks",
       "Family members ring to check progress every few days. We can't see where it is in the "
       "queue so we just apologise. Either speed it up or give us a status to share.",
       team="Thames"),
    _s("loan-top-up", PROBLEM, PROC, LEND,
       "A loan top-up needs a whole new application",
       "Customers who want to borrow a little more go through the full application again, "
       "including questions we already know the answers to.",
       "declined",
       "Credit risk need a fresh affordability check for any extra borrowing, so the full "
       "application stays. Declined, but the form now pre-fills what we already hold."),
    _s("interest-only-maturity", FEEDBACK, VULN, MORT,
       "Interest-only mortgages ending with no repayment plan",
       "A few calls lately from older customers whose interest-only mortgage ends soon and who "
       "had no idea they'd have to repay the capital. It's heartbreaking.",
       "under_review",
       "The mortgage team have a contact programme for these customers; I'm checking why some "
       "weren't reached and making sure you know where to refer them."),

    # ------------------------------------------------------------------------- bereavement
    _s("death-cert-twice", PROBLEM, PROC, BEREAV,
       "Bereavement: we ask for the death certificate twice",
       "The family sends a certified copy to the bereavement team, then the savings side writes "
       "asking for it again because they can't see the first one. It's the worst possible "
       "thing to make people repeat.",
       "done",
       "Fixed: documents received by the bereavement team are now stored once and visible to "
       "every product team, and the savings letter asking again has been withdrawn. Thank you "
       "for raising this so clearly.",
       ("agent", "Thank you. This was the call I dreaded most."),
       ("cx", "Please tell me straight away if you see it happen again."),
       support=12),
    _s("death-cert-twice-2", PROBLEM, CX, BEREAV,
       "Families still have to send the same documents again for ISAs",
       "Had a daughter in tears on the phone because she'd posted the death certificate and "
       "the will twice already, and the ISA team has now written asking for them again.",
       fresh=True, after="death-cert-twice", trend=2),
    _s("tell-us-once", IDEA, PROC, BEREAV,
       "Join the Death Notification Service so families only tell us once",
       "Many other banks use it. Families could notify everyone at once instead of calling "
       "each bank.",
       "planned",
       "We're joining: the contract is signed and the bereavement team are planning the "
       "process changes. I'll share a go-live date.",
       ("agent", "Families ask whether we're part of it almost every time."),
       ("cx", "Go-live is planned for the start of next quarter; I'll confirm here.")),
    _s("bereavement-hold-music", FEEDBACK, CX, BEREAV,
       "The bereavement line plays upbeat hold music",
       "Small thing but it really jars. Customers have mentioned it.",
       "done",
       "Changed: the bereavement line now has a quiet hold message and no music. Small thing, "
       "thank you."),
    _s("joint-account-freeze", PROBLEM, PROC, BEREAV,
       "A joint account is frozen when one holder dies",
       "The surviving partner's joint account gets blocked because the system freezes every "
       "account linked to the customer. They can't pay for the funeral.",
       "in_progress",
       "The freeze rule is being changed so joint accounts pass to the survivor automatically. "
       "In testing now; until then the bereavement team can lift it on the same day.",
       ("agent", "Had a widow with no access to money for 4 days because of this."),
       support=8),
    _s("funeral-costs", IDEA, KNOW, BEREAV,
       "Agents aren't sure we can release money to pay for the funeral",
       "Some of us tell families to wait for probate; others know we can pay the funeral "
       "director directly. We need one clear answer.",
       "done",
       "The knowledge base now has the funeral invoice process: we can pay the funeral director "
       "directly from the deceased's account. The bereavement team have been briefed."),
    _s("bereavement-dd", PROBLEM, PROC, BEREAV,
       "Direct debits keep being paid after we've been told of a death",
       "Subscriptions and gym memberships keep taking payments, and the family have to call us "
       "again to stop them.",
       "under_review",
       "The bereavement team will check whether the notification can cancel non-essential "
       "direct debits, keeping things like the funeral plan."),
    _s("bereavement-calls-stay", FEEDBACK, WELL, BEREAV,
       "Bereavement calls stay with you",
       "I took three bereavement calls in a row on Tuesday; one was a parent who had lost a "
       "child. There's no way to step away. Could bereavement calls go to a smaller trained group "
       "with proper support?",
       "planned",
       "Workforce planning will route bereavement calls to a trained group of volunteers from "
       "each team, with a debrief with a team leader each week. Planned from next month.",
       anon=True),
    _s("probate-threshold", IDEA, KNOW, BEREAV,
       "Put the probate threshold in the knowledge base",
       "Families ask whether they need probate to close the account. We have to ask the "
       "bereavement team every time."),

    # -------------------------------------------------------------------------- complaints
    _s("frl-wording", FEEDBACK, COMPL, COMPS,
       "The final response letter is too legalistic",
       "Customers call after getting the final response letter to ask whether we upheld their "
       "complaint. The decision is in paragraph six. Put the outcome and what we're doing first, "
       "then the Ombudsman wording.",
       "in_progress",
       "The complaints quality team have rewritten the template with the outcome in the first "
       "two lines; legal are reviewing it. Testing on a sample of letters next."),
    _s("frl-wording-2", PROBLEM, COMPL, COMPS,
       "Customers can't tell from our complaint letters whether they won",
       "Second call this week from someone reading their letter out to me and asking 'so did I "
       "win?'. The outcome should be the first thing they read.", fresh=True),
    _s("eight-weeks", PROBLEM, COMPL, COMPS,
       "Complaints reach eight weeks without the customer hearing from us",
       "Customers call at week 7 asking if anyone is looking at it. A holding letter at "
       "4 weeks would help.",
       "under_review",
       "The complaints team do send a 4-week update, but only by post. Checking why customers "
       "aren't seeing it and whether email is possible."),
    _s("src-by-email", IDEA, COMPL, COMPS,
       "Send the summary resolution by email or text, not just post",
       "When we resolve a complaint on the call the confirmation goes by post and arrives a "
       "week later. An email or text would be instant.",
       "planned",
       "Planned: the summary resolution will go by the customer's preferred channel from the "
       "next CRM release."),
    _s("complaint-fields", PROBLEM, SYS, COMPS,
       "Logging a complaint takes 12 mandatory fields",
       "Half of them don't apply to phone complaints. It takes longer to log than to resolve.",
       "new", "",
       ("agent", "The 'product sub-type' field alone has 60 options."),
       ("lead", "Agree. Most of my team pick the first option that fits.")),
    _s("goodwill-limits", IDEA, KNOW, COMPS,
       "Agents don't know how much goodwill they can offer",
       "Some of us offer £25, some £50, some won't offer anything without a team leader. A "
       "clear guide would be fairer to customers.",
       "done",
       "The goodwill guide is in the knowledge base: amounts by situation, when to ask a team "
       "leader, and how to record it."),
    _s("complaint-transfer", PROBLEM, PROC, COMPS,
       "The complaints team won't take warm transfers",
       "When a customer wants to speak to complaints we can only raise a case. They're often "
       "angrier by the time someone calls back.",
       "declined",
       "The complaints team can't take live transfers without leaving investigations idle. "
       "Instead, from next month they'll call back within 2 working hours, and you can book the "
       "slot from the CRM."),
    _s("what-changed", IDEA, COMPL, COMPS,
       "Tell us what changed because of complaints",
       "We log complaints all day but never hear what was fixed. A monthly 'you said, we did' "
       "would make us feel it's worth it.",
       "done",
       "The first 'You said, we did' went out last week and will be monthly from now on. It "
       "includes ideas from this board too.",
       ("agent", "Loved the first one. More of this please.")),
    _s("fos-mention", IDEA, KNOW, COMPS,
       "When do we have to mention the Financial Ombudsman?",
       "Some agents mention it on every complaint call, some never. A short rule would help."),
    _s("complaint-vuln-marker", PROBLEM, VULN, COMPS,
       "The vulnerability marker isn't carried over to complaint cases",
       "When a complaint is raised for a customer with a vulnerability marker, the complaint "
       "handler can't see it.",
       "under_review",
       "Confirmed with the complaints team. The CRM link is being looked at; meanwhile please "
       "mention it in the case notes."),

    # --------------------------------------------------------------------- account closure
    _s("closure-cheque", PROBLEM, PROC, CLOSE,
       "Closing balances are sent by cheque",
       "When an account closes we send the balance by cheque. Many customers don't have "
       "another way to pay a cheque in. A transfer to an account of their choice would be "
       "easier.",
       "planned",
       "Agreed: closing balances will go by Faster Payment to a verified account, with a "
       "cheque only on request. Planned for next quarter.",
       ("agent", "A lot of younger customers have never paid in a cheque.")),
    _s("dormant-reactivate", IDEA, KNOW, CLOSE,
       "How to reactivate a dormant account",
       "Customers find an old account and want to use it again. The process is different for "
       "savings and current accounts and the article is unclear."),
    _s("isa-closure-post", PROBLEM, PROC, CLOSE,
       "Customers have to write to us to close an ISA",
       "Every other product can be closed by phone. Customers find it old-fashioned."),

    # ---------------------------------------------------------------------- systems and tools
    _s("screen-freeze", PROBLEM, SYS, PAY,
       "Screen freezes when switching from CRM to payments system",
       "Every time I switch from the CRM to the payments system mid-call the screen freezes "
       "for 20-30 seconds, sometimes longer. The customer is waiting in silence and I have to "
       "apologise. It happens on most calls after about 11am.",
       "in_progress",
       "IT found a memory leak in the payments system's browser plug-in that builds up over "
       "the morning. A patched version is rolling out team by team: Severn this week, Thames "
       "and Trent next. Workaround until then: close and reopen the payments tab at lunch.",
       ("agent", "Same here, every single day."),
       ("agent", "Restarting the browser helps for about an hour."),
       ("lead", "I've logged this with the service desk as well, please add your incident "
        "numbers here."),
       ("cx", "Patch is confirmed for Severn. Thames and Trent next week."),
       support=18),
    _s("screen-freeze-2", PROBLEM, SYS, PAY,
       "Payments screen hangs after I switch from the CRM and I lose my call notes",
       "When I go from the CRM to make a payment for the customer the payments screen hangs. "
       "If I click back to the CRM while it's hanging, the notes I was typing are gone.",
       support=4, merge_into="screen-freeze", team="Thames"),
    _s("screen-freeze-3", PROBLEM, SYS, None,
       "CRM locks up when I open the payments tab during a call",
       "Still happening on the new laptops: the CRM goes grey when I open payments and I have "
       "to wait or restart. I lose my notes when it crashes.",
       fresh=True, after="screen-freeze", trend=3, team="Trent"),
    _s("softphone-echo", PROBLEM, SYS, None,
       "Softphone echo on calls since the headset update",
       "Since the update last week customers hear themselves echo. Several have hung up. It "
       "seems worse on the wireless headsets.",
       "new", "",
       ("agent", "Same on the Severn desks."),
       ("agent", "Wired headsets seem fine, for what it's worth."),
       fresh=True, support=7, trend=7),
    _s("vuln-chat", PROBLEM, VULN, None,
       "Vulnerable customer flag isn't visible in chat",
       "On the phone the vulnerability marker pops up when the account loads, but on the chat "
       "console there's nothing unless you open the customer record in a second window. Chat "
       "agents are missing it.",
       "planned",
       "The chat platform team will show the marker and the support needs in the chat header. "
       "Planned for the next chat release; until then, please open the customer record for "
       "every authenticated chat.",
       ("agent", "I found out after a chat ended that the customer had told us about a brain "
        "injury. Felt awful."),
       ("cx", "Thank you for sharing that. This is exactly why it's a priority."),
       support=10),
    _s("vuln-chat-2", PROBLEM, SYS, None,
       "Chat agents can't see vulnerability notes",
       "We only find out a customer has a support need when they tell us again on chat. The "
       "notes phone agents added aren't in the chat view, so it looks like we don't listen.",
       team="Severn"),
    _s("app-lockout", PROBLEM, CX, None,
       "Customers locked out of the app after three wrong passcodes have to phone us",
       "The only way to unlock is to call. We get dozens a day and each takes 8 minutes with "
       "security. A self-service reset with a selfie or card reader would move most of these "
       "online.",
       "planned",
       "The app team will add a self-service unlock using the ID check from account opening. "
       "Planned for the next app release.", support=8, team="Thames"),
    _s("app-lockout-2", IDEA, CX, None,
       "Self-service unlock for the mobile app",
       "Lockout calls are simple and repetitive. Let customers unlock themselves with the card "
       "and PIN like some other banks do.", team="Severn"),
    _s("kb-outdated", PROBLEM, KNOW, None,
       "Knowledge base search returns outdated articles first",
       "Search for 'payment holiday' and the top result is the old Covid process. The current "
       "one is on page two. We've given customers wrong information because of this.",
       "done",
       "The knowledge team have archived 340 expired articles, and search now ranks by last "
       "review date. If you find another stale article, use the 'Report this article' link and "
       "it goes straight to the owner.", support=9),
    _s("kb-outdated-2", FEEDBACK, KNOW, None,
       "Intranet search still finds the old version of the process",
       "Again today: looked up the bereavement process and got last year's version with the old "
       "form. Could out-of-date articles be hidden, or at least clearly marked?",
       "new", "",
       ("cx", "Thanks: the owner of the bereavement article has archived the old version. Keep "
        "reporting them."),
       fresh=True, after="kb-outdated"),
    _s("second-screen", IDEA, SYS, None,
       "A second monitor for chat agents",
       "Chat agents run two or three chats plus the CRM and the knowledge base on one small "
       "screen. A second monitor would make a real difference.",
       "in_progress",
       "Second monitors are ordered for every chat-trained agent; they arrive in batches from "
       "next week."),
    _s("wrap-codes", PROBLEM, PROC, None,
       "There are too many wrap codes, so half the team picks 'general enquiry'",
       "The list has grown to over 80 codes and nobody scrolls through it at the end of a call. "
       "The reports built on them can't be right.",
       "under_review",
       "Agreed, the data isn't usable as it is. I'm working with the analytics team on a "
       "shorter list of around 20, with your help testing it.",
       ("lead", "Happy to run a session with Thames to test a shorter list."),
       by_lead=True, team="Thames"),
    _s("single-sign-on", IDEA, SYS, None,
       "One login for the CRM, payments and the knowledge base",
       "We log into five systems at the start of each shift and again after every timeout.",
       "declined",
       "Single sign-on across these systems is part of the platform programme, but not before "
       "next year. Declined as a standalone change; I've linked your idea to the programme."),
    _s("chat-logout", PROBLEM, SYS, None,
       "New chat platform logs us out every 30 minutes",
       "Since the upgrade the chat console signs us out after 30 minutes whatever we're doing. "
       "Chats in progress drop back into the queue and the customer starts again with someone "
       "else.",
       "new", "",
       ("agent", "Lost three chats this morning."),
       ("lead", "Raised with the service desk as a P2."),
       fresh=True, support=9, trend=9),
    _s("chat-logout-2", PROBLEM, SYS, None,
       "Chats are dropped when the console session expires",
       "Lost two customers mid-conversation today when the console expired. They came back "
       "angry and we had to start from the beginning.", fresh=True, trend=2),
    _s("headsets-failing", FEEDBACK, WELL, None,
       "Headsets in Thames keep failing",
       "At least three people a day are borrowing headsets. Cheap ones break and the spares "
       "cupboard is empty.", team="Thames"),

    # -------------------------------------------------------------- wellbeing and workload
    _s("decompression", IDEA, WELL, None,
       "No decompression time after abusive calls",
       "After a really abusive call we go straight into the next one. Two or three minutes in "
       "'not ready' without it counting against adherence would make a big difference.",
       "done",
       "From this month everyone can use a 'Reset' code for up to 5 minutes after a "
       "distressing or abusive call. It doesn't count against adherence, and team leaders only "
       "see totals per team. Please use it.",
       ("agent", "This should have existed years ago."),
       ("lead", "Fully support this. Please don't feel you need to ask first."),
       ("author", "Thank you for listening."),
       anon=True, support=14),
    _s("decompression-2", FEEDBACK, WELL, None,
       "Need a few minutes off the queue after a distressing call",
       "Took a call from someone who said they didn't want to be here any more. Went straight "
       "into a lost card call. There should be a way to step away.",
       "done",
       "Thank you for sharing this. The new 'Reset' code is for exactly this, and after a call "
       "like that please also talk to your team leader. The Employee Assistance Programme is "
       "there around the clock.",
       anon=True),
    _s("rota-late", FEEDBACK, WELL, None,
       "Rota published only a week in advance",
       "We get next week's shifts on Thursday. It's impossible to arrange childcare or "
       "appointments. Other centres publish four weeks ahead.",
       "planned",
       "Workforce planning will publish four weeks ahead from the next quarter, with changes "
       "only by agreement. Thanks for the push.",
       ("agent", "This would change my life honestly."),
       ("agent", "And please keep swaps possible."),
       anon=True, support=13),
    _s("rota-late-2", PROBLEM, WELL, None,
       "Shift patterns are released too late to plan childcare",
       "I found out on Friday that I'm on a late on Monday. My childminder needs more notice "
       "than that."),
    _s("lunch-moved", FEEDBACK, WELL, None,
       "Lunch breaks moved at short notice when the queue is long",
       "Breaks get pushed back by an hour or more with no warning. Some days I don't eat until "
       "3pm.",
       "under_review",
       "Workforce planning are looking at protecting breaks within a 30-minute window. I'll "
       "update after their review.", anon=True),
    _s("adherence-breaks", FEEDBACK, WELL, None,
       "Adherence counts toilet breaks against us",
       "We're told to put toilet breaks in 'personal' and then it shows up as non-adherence in "
       "our monthly review.",
       "under_review",
       "I've asked workforce planning to exclude short personal time from adherence reporting. "
       "Nobody should be marked down for this.", anon=True),
    _s("hybrid-working", IDEA, WELL, None,
       "Let experienced agents work from home two days a week",
       "The commute costs a lot for some of us, and we proved during the pandemic that it "
       "works.",
       "declined",
       "Not possible for phone work at the moment because of the new telephony rollout, which "
       "needs office kit. Declined for now; we'll look again once it's finished."),
    _s("learning-time", FEEDBACK, KNOW, None,
       "No time to do the e-learning",
       "We're given five modules a month but no time off the phones, so people do them on "
       "their breaks.",
       "in_progress",
       "Workforce planning now schedule 45 minutes a week of protected learning time per "
       "agent, starting with Trent.",
       ("agent", "Any date for Thames?"),
       ("cx", "Thames and Severn follow in the next rota cycle.")),
    _s("huddle-good-calls", IDEA, KNOW, None,
       "Share a 'call that went well' in every huddle",
       "We only ever talk about what went wrong. Playing one good call a week would help us "
       "learn from each other.",
       "done",
       "Team leaders now pick a good call for the Monday huddle. Nominate calls to your team "
       "leader.", by_lead=True, team="Severn"),
    _s("overtime-fair", FEEDBACK, WELL, None,
       "Overtime is always offered to the same people",
       "It goes out in a group chat that not everyone is in. It should be offered fairly.",
       anon=True),
    _s("desk-shortage", PROBLEM, WELL, None,
       "Not enough desks on Mondays",
       "Monday mornings we're hunting for a desk with a working dock while the queue builds."),
    _s("late-bus", FEEDBACK, WELL, None,
       "The late shift finishes after the last bus",
       "The 9pm finish means a 40-minute walk for some of us. Could lates finish at 8:45?",
       "under_review",
       "Workforce planning are checking the call volume in the last 15 minutes. I'll come "
       "back with their answer.", anon=True),
    _s("aht-vulnerable", FEEDBACK, WELL, None,
       "Handle time targets push us to rush vulnerable customers",
       "Some of my best calls are my longest ones. I shouldn't have to choose between the "
       "customer and my scorecard.", anon=True),

    # ------------------------------------------------------------- knowledge and inclusion
    _s("welsh-language", IDEA, CX, None,
       "Route Welsh-speaking customers to Welsh-speaking agents",
       "We have Welsh speakers in Severn but the IVR doesn't ask. Customers are sometimes "
       "surprised we don't offer it.",
       "under_review",
       "The telephony team can add a Welsh option. Checking how many Welsh-speaking agents we "
       "have on each shift first.",
       ("agent", "Diolch! There are at least four of us in Severn."), team="Severn"),
    _s("carers-authority", PROBLEM, VULN, None,
       "Carers can't help a customer without a full power of attorney",
       "A lighter third-party authority for carers (for example, checking the balance) would "
       "help a lot of older customers.",
       "under_review",
       "The vulnerable customers working group are looking at a 'trusted helper' authority with "
       "limited access. I'll update here."),
    _s("vuln-recording", IDEA, KNOW, None,
       "Vulnerability disclosures aren't recorded consistently",
       "Some agents write a note, some set a marker, some do both. A short guide on what to "
       "record and where would help the next agent.",
       "in_progress",
       "The vulnerability champions are writing a one-page guide and updating the marker "
       "screen so the note and the marker are in one place."),
    _s("easy-read", IDEA, VULN, None,
       "Easy-read versions of our key letters",
       "Customers with learning disabilities struggle with our letters. Easy-read versions of "
       "the most common ones would help."),
    _s("product-changes", FEEDBACK, KNOW, None,
       "We hear about product changes from customers first",
       "Customers call about new app features before we've been told. An 'upcoming changes' "
       "note each week would help."),
    _s("dark-mode-kb", IDEA, SYS, None,
       "Dark mode for the knowledge base",
       "The bright white screen is hard on the eyes by the end of a late shift."),
    _s("chat-canned-responses", IDEA, SYS, None,
       "Let us edit the canned chat responses",
       "The canned responses sound robotic and customers say so. Letting us tweak them (within "
       "limits) would sound more human.",
       "declined",
       "The responses are approved wording for regulatory reasons, so they can't be edited "
       "freely. But the knowledge team will review them with agents' suggestions."),
    _s("complaint-wait", FEEDBACK, COMPL, None,
       "Customers are angrier after a long hold and it turns into a complaint",
       "Half the complaints I log start with the wait, not the original problem."),
    _s("sms-unknown-number", PROBLEM, FRAUD, None,
       "Our texts come from a number that looks like a scam",
       "Customers ignore our genuine texts because they come from a random mobile number. "
       "They think we're the scammers.",
       "in_progress",
       "The SMS supplier change means all texts will come from 'NorthBank' as the sender. "
       "Rolling out now.",
       ("agent", "Had a customer refuse to believe our text was real. To be fair, she was right to"
        " be careful.")),
    _s("parking-fines", FEEDBACK, WELL, None,
       "The car park barrier fails and we get fined for being late",
       "Three times this month the barrier was down at 7:50. We then start late and it shows "
       "as non-adherence."),
    _s("qa-scorecard", FEEDBACK, KNOW, None,
       "The QA scorecard rewards scripts over outcomes",
       "We lose marks for not reading a line word for word even when the customer got a great "
       "outcome. It should be the other way round.",
       "under_review",
       "Agreed in principle: the QA team are redesigning the scorecard around customer "
       "outcomes. I've shared your comment with them.",
       ("agent", "Completely agree."),
       ("lead", "Team leaders are being asked for input too.")),
    _s("team-chat-noise", FEEDBACK, WELL, None,
       "Too many team chat channels",
       "There are eight channels and important updates get lost. One channel for updates, one "
       "for questions?",
       "new", "",
       ("agent", "Yes! I missed the CHAPS update because of this."),
       team="Trent"),
    _s("ooh-fraud-line", PROBLEM, FRAUD, None,
       "The fraud line closes at 10pm but scams don't",
       "Late-shift agents can't transfer suspected scams after 10pm. We're left reading a "
       "number for the morning.",
       "under_review",
       "Fraud ops have an out-of-hours team for card fraud; I'm checking whether they can take "
       "scam-in-progress calls too."),
    _s("pension-scam", IDEA, FRAUD, SCAMS,
       "Flag large transfers out of savings for customers over 70",
       "Investment scams often target older savers moving big sums. A gentle check call would "
       "catch some.",
       "new", "",
       ("agent", "Worth being careful not to sound patronising: plenty of our older customers are "
        "very savvy."), support=3),
    _s("first-contact-resolution", FEEDBACK, CX, None,
       "We're not allowed to fix simple things on the first call",
       "Refunding a £5 fee needs a team leader's approval, so the customer waits for a "
       "callback for something I could do in seconds.",
       "done",
       "Agents can now refund fees up to £25 without approval. Team leaders will review a "
       "sample each month."),
    _s("name-change", PROBLEM, PROC, None,
       "Name changes after marriage need a branch visit",
       "Customers have to take their marriage certificate to a branch. Uploading it would be "
       "much easier."),
    _s("accessibility-statements", PROBLEM, VULN, None,
       "Large-print statements take two months to set up",
       "Customers with sight loss wait two months for large-print statements. Meanwhile they "
       "can't read their statement."),
]
# fmt: on


# ----------------------------------------------------------------------------------- loading
@dataclass
class _Plan:
    seed: Seed
    author: User
    anonymous: bool
    created: datetime  # the real moment of submission
    stored: datetime  # what the idea's created_at says (midnight for anonymous ideas)
    last: datetime  # the latest answer (or the submission when there is none)
    cap: datetime  # nothing may happen to the idea after this (merge, hide, now)


@dataclass
class _People:
    agents: dict[str, list[User]]
    leads: dict[str, list[User]]
    cx: User

    @property
    def everyone(self) -> list[User]:
        return [u for group in (*self.agents.values(), *self.leads.values()) for u in group]


def load_demo_ideas(
    session: Session,
    embedder: Embedder | None = None,
    *,
    now: datetime | None = None,
    seeds: Sequence[Seed] = SEEDS,
) -> int:
    """Add the demo ideas (``seeds``) unless any idea exists; returns how many were added. Needs
    the demo users (``demo.loader.load_demo`` creates them first). Flushes, never commits."""
    if session.exec(select(Idea.id).limit(1)).first() is not None:
        return 0
    people = _people(session)
    if people is None:
        return 0
    prepared = _Prepared(embedder or get_embedder(get_settings()), [_text(seed) for seed in seeds])
    return _Loader(session, prepared, people, now or utcnow(), seeds).run()


def _text(seed: Seed) -> str:
    # What ``ideas.submissions.models.idea_text`` will ask the model for, once the fields are
    # cleaned.
    return f"{' '.join(seed.title.split())}\n{seed.body.strip()}".strip()


class _Prepared(Embedder):
    """The real model, asked once for all the seed texts (one batch instead of 220 calls, and
    the multilingual model's one batch for the Chinese and Japanese ones); ``submit_idea`` then
    stores exactly what the model said. Other texts go to the model."""

    def __init__(self, model: Embedder, texts: list[str]) -> None:  # no super(): no 2nd load
        self.model_name = model.model_name
        self._model_embedder = model
        done = model.encode_for_storage(texts)
        xvectors = done.xvectors if done.xvectors is not None else [None] * len(texts)
        rows = zip(texts, done.vectors, xvectors, done.anchor, strict=True)
        self._stored = {text: (vector, x, bool(anchor)) for text, vector, x, anchor in rows}

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if texts and all(text in self._stored for text in texts):
            return np.stack([self._stored[text][0] for text in texts])
        return self._model_embedder.encode(texts, batch_size)

    def encode_for_storage(self, texts: list[str], batch_size: int = 64) -> Encoded:
        if not texts or not all(text in self._stored for text in texts):
            return self._model_embedder.encode_for_storage(texts, batch_size)
        rows = [self._stored[text] for text in texts]
        xvectors = [x for _, x, _ in rows]
        return Encoded(
            np.stack([vector for vector, _, _ in rows]),
            None if any(x is None for x in xvectors) else np.stack(xvectors),
            np.array([anchor for _, _, anchor in rows], dtype=bool),
        )


def _people(session: Session) -> _People | None:
    rows = session.exec(
        select(User, Team)
        .join(Team, col(User.team_id) == Team.id)
        .where(col(User.is_active), col(User.role).in_([Role.staff, Role.team_lead]))
        .order_by(col(User.id))
    ).all()
    cx = session.exec(
        select(User).where(User.role == Role.cx_lead, col(User.is_active)).order_by(col(User.id))
    ).first()
    agents: dict[str, list[User]] = {}
    leads: dict[str, list[User]] = {}
    for user, team in rows:
        (agents if user.role == Role.staff else leads).setdefault(team.name, []).append(user)
    if cx is None or not agents:
        return None
    return _People(agents, leads, cx)


class _Loader:
    def __init__(
        self,
        session: Session,
        embedder: Embedder,
        people: _People,
        now: datetime,
        seeds: Sequence[Seed],
    ) -> None:
        self.seeds = list(seeds)
        self.session = session
        self.embedder = embedder
        self.people = people
        self.now = now
        self.limit = now - timedelta(hours=1)
        self.rng = random.Random(SEED)  # noqa: S311 - demo data, not security
        self.categories = {c.name: c for c in idea_queries.categories(session)}
        self.stages = {s.name: s for s in idea_queries.stages(session)}
        self.plans: dict[str, _Plan] = {}
        self.events: list[tuple[datetime, int, str, tuple[Any, ...]]] = []
        self.ideas: dict[str, Idea] = {}
        self.min_group = get_settings().min_group_size

    # ------------------------------------------------------------------------ planning
    def run(self) -> int:
        anonymous = self._choose_anonymous()
        overdue = self._choose_overdue()
        for seed in self.seeds:
            self._plan(seed, seed.key in anonymous, seed.key in overdue)
        for seed in self.seeds:
            self._plan_supports(seed)
            self._plan_comments(seed)
        for when, _, action, args in sorted(self.events, key=lambda e: (e[0], e[1])):
            getattr(self, "_do_" + action)(when, *args)
        self.session.flush()
        return len(self.ideas)

    def _event(self, when: datetime, action: str, *args: object) -> None:
        self.events.append((when, len(self.events), action, args))

    def _choose_anonymous(self) -> set[str]:
        forced = {s.key for s in self.seeds if s.anon}
        open_ = [s.key for s in self.seeds if s.anon is None]
        wanted = max(0, round(ANONYMOUS_SHARE * len(self.seeds)) - len(forced))
        return forced | set(self.rng.sample(open_, min(wanted, len(open_))))

    def _choose_overdue(self) -> set[str]:
        eligible = [
            s.key
            for s in self.seeds
            if s.status == IdeaStatus.new
            and not (s.fresh or s.after or s.trend or s.merge_into or s.hide or s.comments)
        ]
        return set(self.rng.sample(eligible, min(OVERDUE, len(eligible))))

    def _author(self, seed: Seed) -> User:
        if seed.same_author:
            return self.plans[seed.same_author].author
        teams = sorted(self.people.agents)
        team = seed.team or STAGE_TEAM.get(seed.stage or "") or self.rng.choice(teams)
        if seed.team is None and self.rng.random() < 0.15:
            team = self.rng.choice(teams)  # people notice problems outside their own queue
        leads = self.people.leads.get(team) or [u for g in self.people.leads.values() for u in g]
        if leads and (seed.by_lead or self.rng.random() < 0.08):
            return self.rng.choice(leads)
        pool = self.people.agents.get(team) or [u for g in self.people.agents.values() for u in g]
        return self.rng.choice(pool)

    def _days_ago(self, seed: Seed, overdue: bool) -> float:
        uniform = self.rng.uniform
        if seed.hide:
            return uniform(4, 9)
        if seed.merge_into:
            target = self.plans[seed.merge_into]
            return max(3.0, (self.now - target.created).days - uniform(6, 35))
        if seed.status == IdeaStatus.new:
            if overdue:
                return uniform(21, 95)
            return uniform(0.3, 4) if seed.fresh else uniform(0.5, FRESH_DAYS)
        low = {
            IdeaStatus.under_review: 6,
            IdeaStatus.declined: 8,
            IdeaStatus.planned: 18,
            IdeaStatus.in_progress: 30,
            IdeaStatus.done: 24,
        }[seed.status]
        return uniform(low, SPAN_DAYS)

    def _plan(self, seed: Seed, anonymous: bool, overdue: bool) -> None:
        author = self._author(seed)
        created = self._shift_time(self.now - timedelta(days=self._days_ago(seed, overdue)))
        if seed.after:
            earliest = self.plans[seed.after].last + timedelta(hours=2)
            if created < earliest:
                created = earliest + (self.limit - earliest) * self.rng.uniform(0.2, 0.8)
        created = min(created, self.limit - timedelta(hours=2))
        stored = _midnight(created) if anonymous else created
        plan = _Plan(seed, author, anonymous, created, stored, created, self.limit)
        self.plans[seed.key] = plan
        self._event(stored, "submit", seed.key)
        owner = OWNER.get(seed.category, "the teams involved")
        when = created
        for step, status in enumerate(self._path(seed.status)):
            when = self._answer_time(when, first=step == 0)
            final = status == seed.status
            response = seed.response if final else self._interim(status, owner)
            self._event(when, "status", seed.key, status, response)
        plan.last = when
        if seed.merge_into:
            plan.cap = self._answer_time(created, first=True)
            self._event(plan.cap, "merge", seed.key, seed.merge_into)
            plan.last = plan.cap
        if seed.hide:
            plan.cap = created + timedelta(hours=self.rng.uniform(2, 20))
            self._event(plan.cap, "hide", seed.key, seed.hide)

    def _path(self, status: IdeaStatus) -> list[IdeaStatus]:
        S = IdeaStatus
        table: dict[IdeaStatus, list[tuple[list[IdeaStatus], int]]] = {
            S.new: [([], 1)],
            S.under_review: [([S.under_review], 1)],
            S.planned: [([S.under_review, S.planned], 6), ([S.planned], 4)],
            S.in_progress: [
                ([S.under_review, S.planned, S.in_progress], 5),
                ([S.planned, S.in_progress], 3),
                ([S.under_review, S.in_progress], 2),
            ],
            S.done: [
                ([S.under_review, S.planned, S.in_progress, S.done], 3),
                ([S.under_review, S.in_progress, S.done], 3),
                ([S.planned, S.done], 1),
                ([S.under_review, S.done], 2),
                ([S.done], 2),
            ],
            S.declined: [([S.under_review, S.declined], 6), ([S.declined], 4)],
        }
        options = table[status]
        paths = [path for path, _ in options]
        return list(self.rng.choices(paths, weights=[weight for _, weight in options])[0])

    def _interim(self, status: IdeaStatus, owner: str) -> str:
        text = self.rng.choice(INTERIM[status])
        return text.format(owner=owner, Owner=owner[0].upper() + owner[1:])

    def _answer_time(self, after: datetime, *, first: bool) -> datetime:
        """When the CX lead answers: a few working days after ``after`` (a few are late),
        in office hours, and never later than now."""
        if first:
            days = self.rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 12, 14])
        else:
            days = self.rng.randint(3, 18)
        when = _office_hours(_add_working_days(after, days), self.rng)
        if when >= self.limit or when <= after:
            when = after + (self.limit - after) * self.rng.uniform(0.25, 0.75)
        return when

    def _shift_time(self, moment: datetime) -> datetime:
        """Frontline staff write in their shift: between 07:30 and 21:00."""
        minutes = self.rng.randint(7 * 60 + 30, 21 * 60)
        return _midnight(moment) + timedelta(minutes=minutes)

    def _plan_supports(self, seed: Seed) -> None:
        plan = self.plans[seed.key]
        count = seed.support
        if count is None:
            count = self.rng.choices(range(8), weights=[36, 25, 16, 10, 5, 4, 2, 2])[0]
        pool = [u for u in self._readers(seed) if u.id != plan.author.id]
        users = self.rng.sample(pool, min(count, len(pool)))
        start = plan.created + timedelta(minutes=10)
        recent = max(start, self.now - timedelta(days=13))
        trend = min(seed.trend, len(users))
        for i, user in enumerate(users):
            if i >= len(users) - trend and recent < plan.cap:
                when = recent + (plan.cap - recent) * self.rng.random()
            else:
                when = start + timedelta(days=self.rng.expovariate(1 / 5))
                if when >= plan.cap:
                    when = start + (plan.cap - start) * self.rng.random()
            self._event(when, "support", seed.key, user)

    def _readers(self, seed: Seed) -> list[User]:
        """Who can support or comment on the idea: its ``readers`` team, else everyone."""
        if seed.readers is None:
            return self.people.everyone
        team = self.people.agents.get(seed.readers, []) + self.people.leads.get(seed.readers, [])
        return team or self.people.everyone

    def _plan_comments(self, seed: Seed) -> None:
        plan = self.plans[seed.key]
        when = plan.created
        for who, text in seed.comments:
            step = timedelta(hours=self.rng.uniform(2, 60))
            when = when + step if when + step < plan.cap else when + (plan.cap - when) / 3
            user: User | None
            if who == "author":
                user = None if plan.anonymous else plan.author
            elif who == "cx":
                user = self.people.cx
            elif who == "lead":
                team_leads = [
                    u for g in self.people.leads.values() for u in g if u.id != plan.author.id
                ]
                own = [u for u in team_leads if u.team_id == plan.author.team_id]
                user = self.rng.choice(own or team_leads)
            else:
                others = [u for u in self._readers(seed) if u.role == Role.staff]
                user = self.rng.choice([u for u in others if u.id != plan.author.id])
            self._event(when, "comment", seed.key, user, who == "author", text)

    # ----------------------------------------------------------------------- doing
    def _do_submit(self, when: datetime, key: str) -> None:
        plan = self.plans[key]
        seed = plan.seed
        category = self.categories.get(seed.category) or next(iter(self.categories.values()))
        stage = self.stages.get(seed.stage) if seed.stage else None
        data = IdeaCreate(
            kind=seed.kind,
            title=seed.title,
            body=seed.body,
            category_id=pk(category),
            stage_id=stage.id if stage else None,
            anonymous=plan.anonymous,
        )
        draft = idea_service.draft_idea(data, self.embedder)
        idea, _receipt = idea_service.submit_idea(
            self.session, plan.author, draft, min_group=self.min_group
        )
        idea.created_at = idea.updated_at = when
        self.session.add(idea)
        # The vector row's timestamp must not be finer than the idea's own (anonymity).
        row = self.session.exec(
            select(Embedding).where(
                Embedding.source == idea_similar.SOURCE, Embedding.source_id == idea.id
            )
        ).one()
        row.updated_at = when
        self.session.add(row)
        self.ideas[key] = idea

    def _do_support(self, when: datetime, key: str, user: User) -> None:
        idea = self.ideas[key]
        if idea_queries.supports(self.session, user, [pk(idea)]):
            return  # came over with a merged duplicate
        idea_service.support(self.session, user, idea)
        row = self.session.exec(
            select(Support).where(Support.idea_id == idea.id, Support.user_id == user.id)
        ).one()
        row.created_at = when
        self.session.add(row)

    def _do_comment(
        self, when: datetime, key: str, user: User | None, by_submitter: bool, text: str
    ) -> None:
        comment = idea_service.add_comment(
            self.session,
            self.ideas[key],
            CommentCreate(body=text),
            user=user,
            from_submitter=by_submitter,
        )
        comment.created_at = _midnight(when) if user is None else when
        self.session.add(comment)

    def _do_status(self, when: datetime, key: str, status: IdeaStatus, response: str) -> None:
        idea = self.ideas[key]
        with self._dated(when, idea):
            idea_service.change_status(
                self.session, self.people.cx, idea, StatusUpdate(status=status, response=response)
            )

    def _do_merge(self, when: datetime, key: str, target: str) -> None:
        idea = self.ideas[key]
        with self._dated(when, idea):
            idea_moderation.merge(self.session, self.people.cx, idea, self.ideas[target])

    def _do_hide(self, when: datetime, key: str, reason: str) -> None:
        idea = self.ideas[key]
        with self._dated(when, idea):
            idea_moderation.hide_idea(self.session, self.people.cx, idea, reason)

    def _dated(self, when: datetime, idea: Idea) -> _Dated:
        return _Dated(self, when, idea)


class _Dated:
    """Moves what a moderation call wrote (status changes, notifications, the idea's
    timestamps) from now back to ``when``."""

    def __init__(self, loader: _Loader, when: datetime, idea: Idea) -> None:
        self.loader, self.when, self.idea = loader, when, idea

    def __enter__(self) -> None:
        session = self.loader.session
        self.answered = self.idea.first_response_at is not None
        self.last_change = session.exec(select(func.max(StatusChange.id))).one() or 0
        self.last_note = session.exec(select(func.max(Notification.id))).one() or 0

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            return
        session, when, rng = self.loader.session, self.when, self.loader.rng
        for change in session.exec(
            select(StatusChange).where(col(StatusChange.id) > self.last_change)
        ):
            change.created_at = when
            session.add(change)
        for note in session.exec(select(Notification).where(col(Notification.id) > self.last_note)):
            note.created_at = when
            if when < self.loader.now - timedelta(days=3):
                note.read_at = when + timedelta(hours=rng.uniform(1, 48))
            session.add(note)
        if self.idea.first_response_at is not None and not self.answered:
            self.idea.first_response_at = when
        self.idea.updated_at = when
        session.add(self.idea)
        session.flush()


def _midnight(moment: datetime) -> datetime:
    return datetime.combine(moment.date(), time.min, tzinfo=UTC)


def _add_working_days(moment: datetime, days: int) -> datetime:
    day = idea_promise.add_working_days(moment.date(), days)
    return datetime.combine(day, time.min, tzinfo=UTC)


def _office_hours(day: datetime, rng: random.Random) -> datetime:
    return _midnight(day) + timedelta(minutes=rng.randint(9 * 60, 17 * 60 + 30))


__all__ = ["SEEDS", "Seed", "load_demo_ideas"]
