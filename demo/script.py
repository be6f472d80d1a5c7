"""The words of the synthetic demo interactions (``demo.interactions`` plans and renders them): the
action codes, the themes with their intents, explanations, fixes and lines, the
vulnerability cues and how they are handled, the conversation parts, and the shapes of synthetic
PII. Everything here was written for this project; no real customer or conversation is in it.
"""

from __future__ import annotations

from dataclasses import dataclass

OUTCOMES = ("resolved", "unresolved", "escalated", "transferred")
CHANNELS = ("phone", "chat", "email", "social")

ACTIONS: dict[str, str] = {
    "CARD_REPLACED": "a replacement card was ordered",
    "CARD_BLOCKED": "the card was frozen or cancelled",
    "PIN_UNBLOCKED": "the card's PIN was unblocked",
    "REFUND_ISSUED": "money was refunded (a fee, a duplicate payment, a failed top-up)",
    "DISPUTE_RAISED": "a dispute or chargeback was raised on a payment",
    "PAYMENT_TRACE": "a trace was raised on a payment, refund or top-up",
    "DETAILS_UPDATED": "personal details or verification status were updated",
    "PASSWORD_RESET": "app passcode or online banking password reset",
    "KB_ARTICLE": "a knowledge-base article was used or sent to the customer",
    "CALLBACK_BOOKED": "a callback was booked because no answer was available",
    "TRANSFER_SPECIALIST": "the contact was passed to a specialist team",
    "COMPLAINT_LOGGED": "a formal complaint was logged",
    "VULN_FLAG": "a vulnerability note was added to the customer's record",
    "SUPPORT_REFERRAL": "the customer was referred to the financial or specialist support team",
    "BREATHING_SPACE": "collections activity and charges were paused",
    "BEREAVEMENT_TEAM": "the customer was referred to the bereavement team",
}

BANK = "Northbank"

# --------------------------------------------------------------------------------- themes


@dataclass(frozen=True, slots=True)
class Fix:
    codes: tuple[str, ...]
    weight: float
    effect: float  # multiplies the chance the contact is resolved
    line: str  # what the agent says
    note: str  # what the agent writes in email notes
    intents: tuple[str, ...] = ()  # only for these intents (empty: any)


@dataclass(frozen=True, slots=True)
class Theme:
    key: str
    disposition: str
    intents: tuple[str, ...]
    specialist: str
    uncertainty: float  # added to the agent's base chance of uncertainty
    check_note: str
    questions: tuple[tuple[str, str], ...]
    fixes: tuple[Fix, ...]
    topics: tuple[str, ...]  # what the agent is unsure of: "I'm not sure {topic}"
    unresolved: tuple[str, ...]


THEMES: tuple[Theme, ...] = (
    Theme(
        "card_delivery",
        "Card delivery and activation",
        (
            "card_arrival",
            "card_delivery_estimate",
            "activate_my_card",
            "get_physical_card",
            "order_physical_card",
            "getting_spare_card",
            "card_about_to_expire",
            "card_linking",
        ),
        "card services team",
        0.0,
        "Checked card status and dispatch date.",
        (
            (
                "And what happens if it doesn't turn up?",
                "If it hasn't arrived in five working days, get back in touch and we'll cancel it "
                "and send another.",
            ),
            (
                "Can I still pay for things in the meantime?",
                "Yes, you can add the card details from the app to Apple Pay or Google Pay and use "
                "it straight away.",
            ),
        ),
        (
            Fix(
                ("CARD_REPLACED",),
                3,
                1.1,
                "I've cancelled the card that's in the post and ordered you a new one; it'll be "
                "with you in three to five working days.",
                "Cancelled the card in transit and ordered a replacement.",
                (
                    "card_arrival",
                    "card_delivery_estimate",
                    "card_about_to_expire",
                    "getting_spare_card",
                ),
            ),
            Fix(
                ("KB_ARTICLE",),
                3,
                1.0,
                "Cards arrive within three to five working days, and you activate yours in the "
                "app under Cards or with a chip and PIN payment; I've sent you our help article "
                "with the steps.",
                "Sent the KB article on card delivery and activation.",
            ),
            Fix(
                ("DETAILS_UPDATED", "CARD_REPLACED"),
                1,
                1.15,
                "The address on the account was out of date, so I've updated it and sent a new "
                "card to the right address.",
                "Updated the address and reissued the card.",
                ("card_arrival", "card_delivery_estimate"),
            ),
        ),
        (
            "whether we can send a replacement card by express delivery",
            "how long a card stays valid once it's been posted",
            "whether you can link a card from another bank in the app",
        ),
        (
            "I can't order another card until the first one has been in the post for five working "
            "days, so you'll need to wait until then.",
        ),
    ),
    Theme(
        "card_problems",
        "Card declined or not working",
        (
            "card_not_working",
            "contactless_not_working",
            "declined_card_payment",
            "card_acceptance",
            "pin_blocked",
            "change_pin",
            "card_swallowed",
            "declined_cash_withdrawal",
            "atm_support",
        ),
        "card services team",
        0.02,
        "Checked recent card authorisations and card status.",
        (
            (
                "So will it work if I try again now?",
                "It should go through now. If it doesn't, try a chip and PIN payment first.",
            ),
            (
                "Why didn't anyone tell me it was blocked?",
                "We send a notification in the app when that happens, but I appreciate it's easy "
                "to miss.",
            ),
        ),
        (
            Fix(
                ("PIN_UNBLOCKED",),
                3,
                1.1,
                "I've unblocked your PIN, and you can view it in the app under Card settings if "
                "you need a reminder.",
                "Unblocked the PIN; showed the customer where to view it in the app.",
                (
                    "pin_blocked",
                    "declined_card_payment",
                    "declined_cash_withdrawal",
                    "card_not_working",
                ),
            ),
            Fix(
                ("CARD_REPLACED",),
                2,
                1.05,
                "It sounds like the chip is damaged, so I've ordered a replacement card; your "
                "current one will keep working until it arrives.",
                "Chip likely damaged; ordered a replacement card.",
                ("card_not_working", "contactless_not_working", "card_swallowed"),
            ),
            Fix(
                ("KB_ARTICLE",),
                2,
                0.85,
                "Most declines come from the retailer's terminal or our fraud checks; confirm "
                "the payment in the app and it will go through on the next try. I've sent you "
                "our guide to why card payments get declined.",
                "Sent the KB article on declined card payments.",
            ),
        ),
        (
            "why the terminal keeps declining the card when everything looks fine on our side",
            "whether a card kept by a cash machine can be returned",
            "whether the PIN can be reset over the phone",
            "what the daily cash withdrawal limit is on this account",
        ),
        (
            "I can't see why it's declining from here, so try it again and contact us if it "
            "happens again.",
        ),
    ),
    Theme(
        "lost_stolen",
        "Lost, stolen or compromised card",
        ("lost_or_stolen_card", "compromised_card", "lost_or_stolen_phone"),
        "fraud team",
        0.02,
        "Checked recent card activity; card frozen on receipt.",
        (
            (
                "Is my money safe?",
                "Yes, the card is frozen now, and any payments you didn't make will be looked at "
                "by our fraud team.",
            ),
            (
                "What about my direct debits?",
                "Direct debits come from the account, not the card, so they'll carry on as normal.",
            ),
        ),
        (
            Fix(
                ("CARD_BLOCKED", "CARD_REPLACED"),
                4,
                1.15,
                "I've cancelled the card permanently and ordered you a replacement with a new "
                "number; it'll arrive in three to five working days.",
                "Cancelled the card and ordered a replacement with a new number.",
                ("lost_or_stolen_card", "compromised_card"),
            ),
            Fix(
                ("CARD_BLOCKED",),
                1,
                0.9,
                "I've cancelled the card so it can't be used again.",
                "Cancelled the card.",
                ("lost_or_stolen_card", "compromised_card"),
            ),
            Fix(
                ("PASSWORD_RESET",),
                3,
                1.05,
                "I've signed you out of the app on every device and reset your passcode, so "
                "whoever has the phone can't get in.",
                "Signed the customer out on all devices and reset the app passcode.",
                ("lost_or_stolen_phone",),
            ),
        ),
        (
            "whether the payments made after you lost it will be refunded automatically",
            "whether we can send the new card to a different address",
            "whether you can still use Apple Pay on the lost phone",
        ),
        (
            "I've frozen the card, but I can't do anything about those payments until they've "
            "finished processing.",
        ),
    ),
    Theme(
        "disputed_payment",
        "Disputed or unrecognised payment",
        (
            "card_payment_not_recognised",
            "cash_withdrawal_not_recognised",
            "direct_debit_payment_not_recognised",
            "transaction_charged_twice",
            "wrong_amount_of_cash_received",
            "extra_charge_on_statement",
        ),
        "disputes team",
        0.05,
        "Checked the transaction history for the payment in question.",
        (
            (
                "So will I get the money back?",
                "If the dispute is upheld the money goes back into your account, and we'll let "
                "you know either way.",
            ),
            (
                "How long does that take?",
                "Most disputes are sorted within ten working days, though it can take longer if "
                "the retailer challenges it.",
            ),
        ),
        (
            Fix(
                ("DISPUTE_RAISED",),
                4,
                1.0,
                "I've raised a dispute on that payment with the retailer; you'll hear from us "
                "within ten working days.",
                "Raised a dispute with the merchant.",
            ),
            Fix(
                ("REFUND_ISSUED",),
                2,
                1.25,
                "It's a duplicate payment, so I've refunded it; it'll be back in your account "
                "within two working days.",
                "Duplicate payment confirmed; refunded.",
                ("transaction_charged_twice", "extra_charge_on_statement"),
            ),
            Fix(
                ("CARD_BLOCKED", "CARD_REPLACED", "DISPUTE_RAISED"),
                2,
                1.05,
                "To be safe I've cancelled the card and raised a claim on that payment, and a new "
                "card is on its way.",
                "Cancelled the card, ordered a replacement and raised a claim on the payment.",
                ("card_payment_not_recognised", "cash_withdrawal_not_recognised"),
            ),
            Fix(
                ("KB_ARTICLE",),
                2,
                0.55,
                "Retailers often bill under a trading name that differs from the shop's name, "
                "so searching the name on the statement usually tells you who it was; I've sent "
                "you our article on how retailer names appear.",
                "Sent the KB article on merchant names on statements.",
                (
                    "card_payment_not_recognised",
                    "direct_debit_payment_not_recognised",
                    "extra_charge_on_statement",
                ),
            ),
        ),
        (
            "whether I can raise a chargeback while the payment is still pending",
            "how the chargeback rules work for a payment that's more than 120 days old",
            "whether the Direct Debit Guarantee covers this payment",
            "what we do when a cash machine pays out less than it took",
        ),
        (
            "I can't raise a dispute while the payment is still pending, so you'll need to contact "
            "us again once it's gone through.",
            "You'll need to contact the retailer first, and come back to us if they won't help.",
        ),
    ),
    Theme(
        "refunds",
        "Refunds and reversed payments",
        (
            "request_refund",
            "Refund_not_showing_up",
            "reverted_card_payment?",
            "pending_card_payment",
        ),
        "payments team",
        0.03,
        "Checked incoming credits and pending payments.",
        (
            (
                "Can't you just put it back in my account now?",
                "I can't credit it until we receive it from the retailer, but a trace will chase "
                "it for you.",
            ),
            (
                "Why does it say pending?",
                "Pending means the retailer has reserved the money but not taken it yet; it "
                "usually drops off within seven days.",
            ),
        ),
        (
            Fix(
                ("PAYMENT_TRACE",),
                3,
                1.0,
                "I've put a trace on the refund with the retailer's bank, so we'll chase it from "
                "our side.",
                "Raised a trace on the refund.",
                ("request_refund", "Refund_not_showing_up", "reverted_card_payment?"),
            ),
            Fix(
                ("KB_ARTICLE",),
                2,
                0.85,
                "A pending payment means the retailer has only reserved the money; it drops off "
                "within seven days if they don't take it, and a refund takes five to ten working "
                "days to show. I've sent you our article on both.",
                "Sent the KB article on refund timescales and pending payments.",
            ),
            Fix(
                ("REFUND_ISSUED",),
                1,
                1.2,
                "The retailer did send it, it just hadn't been applied; I've credited it to your "
                "account now.",
                "Refund had arrived but not been applied; credited it.",
                ("request_refund", "Refund_not_showing_up"),
            ),
        ),
        (
            "why a refund would show as reversed after it had already appeared",
            "how long a retailer can hold a pending payment for",
            "whether we can chase a refund the retailer says they've sent",
        ),
        (
            "There's nothing I can do until the retailer sends the refund, so it's best to chase "
            "them directly.",
        ),
    ),
    Theme(
        "transfers",
        "Payments and transfers",
        (
            "cancel_transfer",
            "transfer_not_received_by_recipient",
            "declined_transfer",
            "pending_transfer",
            "transfer_timing",
            "failed_transfer",
            "beneficiary_not_allowed",
            "transfer_into_account",
            "receiving_money",
            "balance_not_updated_after_bank_transfer",
        ),
        "payments team",
        0.02,
        "Checked the payment's status and the receiving bank's response.",
        (
            (
                "So where's the money now?",
                "It's with the receiving bank; if it hasn't arrived we can trace it from our side.",
            ),
            (
                "Can I stop it?",
                "Once a payment has been sent it can't be cancelled, but we can ask the other bank "
                "to return it.",
            ),
        ),
        (
            Fix(
                ("PAYMENT_TRACE",),
                4,
                1.05,
                "I've raised a trace with the receiving bank; you should hear back within three "
                "working days.",
                "Raised a trace with the receiving bank.",
                (
                    "transfer_not_received_by_recipient",
                    "pending_transfer",
                    "failed_transfer",
                    "balance_not_updated_after_bank_transfer",
                    "transfer_into_account",
                    "receiving_money",
                    "cancel_transfer",
                ),
            ),
            Fix(
                ("KB_ARTICLE",),
                2,
                0.9,
                "Payments to UK accounts normally arrive within two hours and international "
                "ones within four working days; I've sent you our guide to payment times and "
                "limits.",
                "Sent the KB article on payment times and limits.",
            ),
        ),
        (
            "why the payment to that payee has been blocked",
            "whether a payment can be recalled once it has left the account",
            "why the Confirmation of Payee check came back as not a match",
            "how long an international payment takes to arrive",
        ),
        ("The payment is with the other bank now, so I can't do any more from this end today.",),
    ),
    Theme(
        "fees_charges",
        "Fees and charges",
        (
            "card_payment_fee_charged",
            "transfer_fee_charged",
            "cash_withdrawal_charge",
            "top_up_by_card_charge",
            "top_up_by_bank_transfer_charge",
            "exchange_charge",
        ),
        "customer relations team",
        0.03,
        "Checked the fee against the account tariff.",
        (
            (
                "Why wasn't I told about this?",
                "The fees are in your account terms and the tariff in the app, but I understand "
                "it's not obvious.",
            ),
            (
                "Will it happen again?",
                "It will for that type of payment, so it's worth checking the tariff before you "
                "use it again.",
            ),
        ),
        (
            Fix(
                ("REFUND_ISSUED",),
                3,
                1.15,
                "As a one-off I've refunded the fee as a gesture of goodwill; you'll see it back "
                "within two working days.",
                "Refunded the fee as a goodwill gesture.",
            ),
            Fix(
                ("KB_ARTICLE",),
                3,
                0.8,
                "The fee applies to cash withdrawals over the free allowance and to payments in "
                "another currency; I've sent you the link to our fees page with every charge.",
                "Sent the KB article on fees and charges.",
            ),
        ),
        (
            "whether that fee can be refunded as a goodwill gesture",
            "why we charge for topping up by card",
        ),
        ("The fee was charged correctly under your tariff, so I'm not able to refund it.",),
    ),
    Theme(
        "fx",
        "International payments and exchange rates",
        (
            "exchange_rate",
            "card_payment_wrong_exchange_rate",
            "wrong_exchange_rate_for_cash_withdrawal",
            "exchange_via_app",
            "fiat_currency_support",
            "supported_cards_and_currencies",
            "country_support",
            "visa_or_mastercard",
        ),
        "international payments team",
        0.05,
        "Checked the exchange rate applied against the scheme rate for that day.",
        (
            (
                "So which rate should I have got?",
                "The rate on the day the payment reached us, which can be a day or two after you "
                "paid.",
            ),
            (
                "Can I avoid that next time?",
                "Yes, if the machine or shop asks, choose to pay in the local currency rather than "
                "pounds.",
            ),
        ),
        (
            Fix(
                ("KB_ARTICLE",),
                3,
                0.9,
                "We use the card scheme's rate on the day the payment is processed, so paying "
                "in the local currency is usually cheaper; I've sent you our article on exchange "
                "rates.",
                "Sent the KB article on exchange rates.",
            ),
            Fix(
                ("REFUND_ISSUED",),
                1,
                1.2,
                "The wrong rate was applied, so I've refunded the difference of {fee}.",
                "Wrong rate applied; refunded the difference.",
                ("card_payment_wrong_exchange_rate", "wrong_exchange_rate_for_cash_withdrawal"),
            ),
        ),
        (
            "which exchange rate was used on that payment and when it was applied",
            "whether we support payments in that currency",
            "whether the card works in that country",
        ),
        ("The rate was set by the cash machine operator, so it's not something we can change.",),
    ),
    Theme(
        "top_ups",
        "Top-ups, deposits and cash",
        (
            "automatic_top_up",
            "pending_top_up",
            "top_up_limits",
            "top_up_reverted",
            "topping_up_by_card",
            "top_up_failed",
            "verify_top_up",
            "top_up_by_cash_or_cheque",
            "balance_not_updated_after_cheque_or_cash_deposit",
            "pending_cash_withdrawal",
        ),
        "payments team",
        0.02,
        "Checked the top-up and deposit history.",
        (
            (
                "When will I be able to use it?",
                "As soon as it clears, which should be later today.",
            ),
            ("Is there a limit?", "Yes, you can top up to £3,000 a day by card."),
        ),
        (
            Fix(
                ("PAYMENT_TRACE",),
                2,
                1.0,
                "I've raised a trace on the top-up so our payments team can find where it's got "
                "to.",
                "Raised a trace on the top-up.",
                (
                    "pending_top_up",
                    "top_up_reverted",
                    "top_up_failed",
                    "balance_not_updated_after_cheque_or_cash_deposit",
                    "pending_cash_withdrawal",
                ),
            ),
            Fix(
                ("KB_ARTICLE",),
                3,
                0.9,
                "Card top-ups arrive straight away and bank transfer top-ups within two hours, "
                "up to the daily limit; I've sent you our guide on top-up methods and limits.",
                "Sent the KB article on top-ups.",
            ),
            Fix(
                ("REFUND_ISSUED",),
                1,
                1.2,
                "The top-up failed but the money left your card, so I've refunded it; it'll be "
                "back in three to five working days.",
                "Failed top-up debited the card; refunded it.",
                ("top_up_failed", "top_up_reverted"),
            ),
        ),
        (
            "what the limits are for topping up by card",
            "why a top-up would be reversed after it went through",
            "how long a cheque takes to clear",
            "how long a cash withdrawal can stay pending",
        ),
        ("It's still within the normal processing time, so I can't trace it until tomorrow.",),
    ),
    Theme(
        "identity",
        "Identity verification",
        (
            "why_verify_identity",
            "unable_to_verify_identity",
            "verify_my_identity",
            "verify_source_of_funds",
            "age_limit",
        ),
        "ID verification team",
        0.05,
        "Checked the verification status and uploaded documents.",
        (
            (
                "What documents do you accept?",
                "A passport or full driving licence, plus a recent bank statement or utility bill.",
            ),
            (
                "How long does it take?",
                "Most checks come back within 24 hours once we have clear photos.",
            ),
        ),
        (
            Fix(
                ("KB_ARTICLE",),
                3,
                0.9,
                "We accept a passport or a photocard driving licence, photographed flat in good "
                "light with all four corners showing; I've sent you the guide with the documents "
                "we accept.",
                "Sent the KB article on accepted ID documents.",
            ),
            Fix(
                ("DETAILS_UPDATED",),
                2,
                1.1,
                "I've reset the verification on your account so you can upload your documents "
                "again now.",
                "Reset the verification so the customer can upload again.",
                ("unable_to_verify_identity", "verify_my_identity"),
            ),
        ),
        (
            "which documents we accept when your driving licence has expired",
            "why we're asking for proof of where the money came from",
            "what the minimum age is for this account",
        ),
        ("Until the verification's complete I can't unlock the account, I'm afraid.",),
    ),
    Theme(
        "account_access",
        "Account access and personal details",
        ("passcode_forgotten", "edit_personal_details", "terminate_account"),
        "account services team",
        0.02,
        "Checked the account's access history and details held.",
        (
            (
                "Can you not just do it for me?",
                "I can start it from here; you'll just need to confirm the last step in the app.",
            ),
            ("How long will it take?", "It's usually done the same day."),
        ),
        (
            Fix(
                ("PASSWORD_RESET",),
                3,
                1.1,
                "I've sent a reset link to your registered email address; it's valid for 24 hours.",
                "Sent a passcode reset link.",
                ("passcode_forgotten",),
            ),
            Fix(
                ("DETAILS_UPDATED",),
                3,
                1.05,
                "I've updated your details on the account, and you'll get a confirmation letter.",
                "Updated the customer's details.",
                ("edit_personal_details",),
            ),
            Fix(
                ("KB_ARTICLE",),
                2,
                0.9,
                "Move your balance to another account first, then close it in the app under "
                "Account, then Close account; I've sent you the steps as well.",
                "Sent the KB article on closing an account.",
                ("terminate_account", "edit_personal_details"),
            ),
        ),
        (
            "whether you can close the account with a payment still pending",
            "what documents we need to change the name on the account",
            "whether the passcode can be reset without the registered phone",
        ),
        ("I can't make that change without the document, so you'll need to send it in first.",),
    ),
    Theme(
        "digital",
        "Virtual cards and mobile wallets",
        (
            "getting_virtual_card",
            "get_disposable_virtual_card",
            "disposable_card_limits",
            "apple_pay_or_google_pay",
            "virtual_card_not_working",
        ),
        "digital support team",
        0.02,
        "Checked the virtual cards and wallet tokens on the account.",
        (
            ("Is there a limit on how many I can have?", "You can have up to five at once."),
            (
                "Does it work in shops?",
                "Yes, once it's in Apple Pay or Google Pay you can use it anywhere that takes "
                "contactless.",
            ),
        ),
        (
            Fix(
                ("KB_ARTICLE",),
                3,
                1.0,
                "Open the wallet on your phone, add the card and confirm it with the code we "
                "text you; I've sent you the step-by-step guide as well.",
                "Sent the KB article on mobile wallets.",
            ),
            Fix(
                ("CARD_REPLACED",),
                1,
                1.1,
                "I've cancelled that virtual card and issued a new one; it's in the app now.",
                "Reissued the virtual card.",
                ("virtual_card_not_working", "get_disposable_virtual_card"),
            ),
        ),
        ("why the card won't add to Google Pay", "what the limits are on disposable cards"),
        (
            "It looks like a problem with your phone's wallet app rather than the card, so there's "
            "nothing I can change from here.",
        ),
    ),
)

THEME_BY_KEY = {t.key: t for t in THEMES}
INTENT_THEME = {intent: t.key for t in THEMES for intent in t.intents}

# What the agent first says about the customer's query, by BANKING77 intent.
INTENT_EXPLAIN: dict[str, tuple[str, ...]] = {
    "card_arrival": (
        "I can see your new card was posted {days} working days ago, so it should be with you "
        "very soon.",
        "Cards go out by Royal Mail and normally take three to five working days to arrive.",
    ),
    "card_delivery_estimate": (
        "New cards normally arrive within three to five working days of being ordered.",
    ),
    "activate_my_card": (
        "Once the card arrives you can activate it in the app under Cards, or by making a chip "
        "and PIN payment.",
    ),
    "get_physical_card": (
        "You can order a physical card in the app under Cards; the first one is free.",
    ),
    "order_physical_card": (
        "I can see you haven't ordered a physical card yet; it's in the app under Cards, then "
        "Order card.",
    ),
    "getting_spare_card": (
        "You can have a second card on the account, and each one has its own number and PIN.",
    ),
    "card_about_to_expire": (
        "We send a new card automatically about a month before the old one expires.",
    ),
    "card_linking": (
        "You can link the card in the app under Cards, then Link a card, using the code on the "
        "letter it came with.",
    ),
    "card_not_working": (
        "The card's active and there's no block on it, so it may be the chip that's the problem.",
    ),
    "contactless_not_working": (
        "Contactless payments are limited to £100, and every so often the terminal will ask for "
        "your PIN for security.",
    ),
    "declined_card_payment": (
        "The decline came from the retailer's terminal; there's no block on the card from our "
        "side.",
        "I can see the payment of {amount} to {merchant} was declined because it looked unusual "
        "to our fraud checks.",
    ),
    "card_acceptance": (
        "The card works anywhere that takes Mastercard, in shops, online and abroad.",
    ),
    "pin_blocked": ("I can see the PIN was blocked after it was entered incorrectly three times.",),
    "change_pin": ("You can change your PIN at any of our cash machines, under PIN services.",),
    "card_swallowed": (
        "When a cash machine keeps a card it's destroyed for security, so we'll need to send you "
        "a new one.",
    ),
    "declined_cash_withdrawal": (
        "The withdrawal was declined because it was over your daily cash limit of £500.",
    ),
    "atm_support": (
        "You can use the card at any cash machine in the UK and most abroad; the app shows the "
        "nearest free ones.",
    ),
    "lost_or_stolen_card": (
        "I've frozen the card straight away so nobody can use it while we talk.",
    ),
    "compromised_card": (
        "I've frozen the card for now. The last payment on it was at {merchant} for {amount}; is "
        "that one you recognise?",
    ),
    "lost_or_stolen_phone": (
        "The app is protected by your passcode, but let's make sure nobody can get into it.",
    ),
    "card_payment_not_recognised": (
        "I can see a payment of {amount} to {merchant} on {weekday}. Online shops sometimes show "
        "up under a different name on statements.",
    ),
    "cash_withdrawal_not_recognised": (
        "I can see a cash withdrawal of {amount} on {weekday} at a machine in the town centre.",
    ),
    "direct_debit_payment_not_recognised": (
        "I can see a direct debit of {amount} to {merchant} that was set up last month.",
    ),
    "transaction_charged_twice": (
        "I can see two payments of {amount} to {merchant}, so I understand why you're concerned.",
    ),
    "wrong_amount_of_cash_received": (
        "The machine recorded a withdrawal of {amount}, so we'll need to check its records "
        "against what it paid out.",
    ),
    "extra_charge_on_statement": (
        "That {fee} is a card check by the retailer, which usually drops off within a few days.",
    ),
    "request_refund": (
        "Refunds have to come from the retailer, but we can help if they won't respond.",
    ),
    "Refund_not_showing_up": (
        "I can see the retailer has started the refund, but it hasn't reached us yet.",
        "Refunds usually take five to ten working days to show, depending on the retailer.",
    ),
    "reverted_card_payment?": (
        "That payment shows as reversed, which means the retailer cancelled it before it was "
        "taken.",
    ),
    "pending_card_payment": (
        "That payment is still pending, which means the retailer has reserved the money but not "
        "taken it yet; it drops off within seven days if they don't take it.",
    ),
    "cancel_transfer": (
        "Once a payment has gone it can't be cancelled, but we can ask the other bank to return "
        "it.",
    ),
    "transfer_not_received_by_recipient": (
        "I can see the payment of {amount} left your account on {weekday} and the other bank has "
        "accepted it.",
    ),
    "declined_transfer": (
        "That payment was stopped by our security checks, which is why it was declined.",
    ),
    "pending_transfer": (
        "The first payment to a new payee can be held for extra checks, which is why it shows as "
        "pending.",
    ),
    "transfer_timing": (
        "Faster Payments usually arrive within two hours; international payments take one to four "
        "working days.",
    ),
    "failed_transfer": (
        "The payment failed because the account details didn't match the payee's bank.",
    ),
    "beneficiary_not_allowed": (
        "Payments to that payee are blocked because the account is on our high-risk list.",
    ),
    "transfer_into_account": (
        "To pay money in, give the sender your sort code and account number from the app.",
    ),
    "receiving_money": ("Payments in by Faster Payment usually arrive within two hours.",),
    "balance_not_updated_after_bank_transfer": (
        "I can see a payment of {amount} on its way in; it should show on your balance within two "
        "hours.",
    ),
    "card_payment_fee_charged": (
        "That's a {fee} fee for using the card abroad, which is on your account tariff.",
    ),
    "transfer_fee_charged": (
        "International payments have a {fee} fee, which is why the amount is different.",
    ),
    "cash_withdrawal_charge": (
        "Cash withdrawals over your monthly allowance are charged at 2%, and that's what's "
        "happened here.",
    ),
    "top_up_by_card_charge": (
        "Topping up by card has a small fee of {fee}, which is on the tariff.",
    ),
    "top_up_by_bank_transfer_charge": (
        "Top-ups by bank transfer are free from us; the charge came from the sending bank.",
    ),
    "exchange_charge": (
        "Exchanging currency at the weekend has a 1% charge, which is what you've seen here.",
    ),
    "exchange_rate": (
        "Card payments abroad are converted at the Mastercard rate on the day the payment reaches "
        "us, not the day you paid.",
    ),
    "card_payment_wrong_exchange_rate": (
        "The retailer sent the payment through two days later, so the rate moved in between.",
    ),
    "wrong_exchange_rate_for_cash_withdrawal": (
        "That cash machine applied its own conversion, which is why the rate looks different.",
    ),
    "exchange_via_app": (
        "The app lets you hold and exchange over thirty currencies, and you can see the rate "
        "before you confirm.",
    ),
    "fiat_currency_support": (
        "You can hold and pay in over thirty currencies, including euros, dollars and yen.",
    ),
    "supported_cards_and_currencies": (
        "You can top up with any Visa or Mastercard debit card, in pounds, euros or dollars.",
    ),
    "country_support": (
        "The card works in over 150 countries; the app lists the few where it doesn't.",
    ),
    "visa_or_mastercard": (
        "All our cards are Mastercard debit cards at the moment, so there isn't a choice.",
    ),
    "automatic_top_up": (
        "Auto top-up is set at {amount}, and it kicks in when your balance falls below £10.",
    ),
    "pending_top_up": (
        "I can see the top-up of {amount} is still pending; card top-ups can take up to an hour "
        "to clear.",
    ),
    "top_up_limits": (
        "You can top up to £3,000 a day by card, and there's no limit by bank transfer.",
    ),
    "top_up_reverted": (
        "The top-up was reversed by your card issuer, which is why the money went back.",
    ),
    "topping_up_by_card": ("You can top up with a debit card in the app under Add money.",),
    "top_up_failed": ("The top-up of {amount} failed because your card issuer declined it.",),
    "verify_top_up": (
        "We sometimes ask you to verify a top-up card with a small code payment, for security.",
    ),
    "top_up_by_cash_or_cheque": (
        "You can pay cash in at any Post Office counter with your card, and cheques by post.",
    ),
    "balance_not_updated_after_cheque_or_cash_deposit": (
        "Cheques take two working days to clear, so the balance will update after that.",
    ),
    "pending_cash_withdrawal": (
        "The withdrawal shows as pending until the machine's bank confirms it, usually within a "
        "day.",
    ),
    "why_verify_identity": (
        "We have to verify everyone's identity under the money laundering regulations; it's the "
        "same at every bank.",
    ),
    "unable_to_verify_identity": (
        "The photo you uploaded was a bit blurry, which is why the check didn't go through.",
    ),
    "verify_my_identity": (
        "You can verify your identity in the app with a photo of your passport or driving "
        "licence and a selfie.",
    ),
    "verify_source_of_funds": (
        "We're asking where the money came from because of the size of the payment in.",
    ),
    "age_limit": (
        "You need to be 18 for this account, but we do have an account for 11 to 17 year olds.",
    ),
    "passcode_forgotten": (
        "You can reset the passcode from the login screen by choosing Forgotten passcode.",
    ),
    "edit_personal_details": (
        "You can change your address in the app, but for a name change we'll need to see the "
        "document, like a marriage certificate or deed poll.",
    ),
    "terminate_account": (
        "Before we close the account we'll need to move the balance and cancel any direct debits.",
    ),
    "getting_virtual_card": (
        "You can create a virtual card in the app under Cards, and it's ready to use straight "
        "away.",
    ),
    "get_disposable_virtual_card": (
        "Disposable virtual cards change their number after each payment, so they're handy for "
        "one-off online shopping.",
    ),
    "disposable_card_limits": (
        "You can make up to five disposable cards a day, each with its own number.",
    ),
    "apple_pay_or_google_pay": (
        "To add the card to your phone wallet, open the card in the app and tap Add to wallet.",
    ),
    "virtual_card_not_working": (
        "The virtual card's active, so it's most likely the retailer not accepting virtual cards.",
    ),
}
EXPLAIN_FALLBACK = "I've pulled up your account and I can see what's happened here."

_CARD_ORDER = (
    "card_arrival",
    "card_delivery_estimate",
    "get_physical_card",
    "order_physical_card",
    "getting_spare_card",
    "card_about_to_expire",
)
_DECLINES = (
    "card_not_working",
    "contactless_not_working",
    "declined_card_payment",
    "card_acceptance",
    "declined_cash_withdrawal",
)
_PAYMENT_DISPUTES = (
    "card_payment_not_recognised",
    "direct_debit_payment_not_recognised",
    "transaction_charged_twice",
    "extra_charge_on_statement",
)
_IN_FLIGHT = (
    "transfer_not_received_by_recipient",
    "pending_transfer",
    "failed_transfer",
    "balance_not_updated_after_bank_transfer",
    "transfer_timing",
    "receiving_money",
    "transfer_into_account",
)
_RATES = (
    "exchange_rate",
    "card_payment_wrong_exchange_rate",
    "wrong_exchange_rate_for_cash_withdrawal",
)
# Questions, uncertainty topics and unresolved lines that only fit some intents; a text not
# listed here fits every intent of its theme.
FOR_INTENTS: dict[str, tuple[str, ...]] = {
    "And what happens if it doesn't turn up?": _CARD_ORDER,
    "Can I still pay for things in the meantime?": _CARD_ORDER,
    "whether we can send a replacement card by express delivery": _CARD_ORDER,
    "how long a card stays valid once it's been posted": (
        "card_arrival",
        "activate_my_card",
        "card_delivery_estimate",
    ),
    "whether you can link a card from another bank in the app": ("card_linking",),
    "I can't order another card until the first one has been in the post for five working days, "
    "so you'll need to wait until then.": ("card_arrival", "card_delivery_estimate"),
    "So will it work if I try again now?": (*_DECLINES, "pin_blocked"),
    "Why didn't anyone tell me it was blocked?": (
        "pin_blocked",
        "declined_card_payment",
        "card_not_working",
    ),
    "why the terminal keeps declining the card when everything looks fine on our side": _DECLINES,
    "whether a card kept by a cash machine can be returned": ("card_swallowed",),
    "whether the PIN can be reset over the phone": ("pin_blocked", "change_pin"),
    "what the daily cash withdrawal limit is on this account": (
        "declined_cash_withdrawal",
        "atm_support",
    ),
    "I can't see why it's declining from here, so try it again and contact us if it happens "
    "again.": _DECLINES,
    "What about my direct debits?": ("lost_or_stolen_card", "compromised_card"),
    "whether the payments made after you lost it will be refunded automatically": (
        "lost_or_stolen_card",
        "compromised_card",
    ),
    "whether we can send the new card to a different address": (
        "lost_or_stolen_card",
        "compromised_card",
    ),
    "whether you can still use Apple Pay on the lost phone": ("lost_or_stolen_phone",),
    "I've frozen the card, but I can't do anything about those payments until they've finished "
    "processing.": ("lost_or_stolen_card", "compromised_card"),
    "whether I can raise a chargeback while the payment is still pending": _PAYMENT_DISPUTES,
    "how the chargeback rules work for a payment that's more than 120 days old": (
        "card_payment_not_recognised",
        "transaction_charged_twice",
    ),
    "whether the Direct Debit Guarantee covers this payment": (
        "direct_debit_payment_not_recognised",
    ),
    "what we do when a cash machine pays out less than it took": (
        "wrong_amount_of_cash_received",
        "cash_withdrawal_not_recognised",
    ),
    "I can't raise a dispute while the payment is still pending, so you'll need to contact us "
    "again once it's gone through.": _PAYMENT_DISPUTES,
    "You'll need to contact the retailer first, and come back to us if they won't help.": (
        _PAYMENT_DISPUTES
    ),
    "Can't you just put it back in my account now?": (
        "request_refund",
        "Refund_not_showing_up",
        "reverted_card_payment?",
    ),
    "Why does it say pending?": ("pending_card_payment", "reverted_card_payment?"),
    "why a refund would show as reversed after it had already appeared": (
        "reverted_card_payment?",
        "Refund_not_showing_up",
    ),
    "how long a retailer can hold a pending payment for": ("pending_card_payment",),
    "whether we can chase a refund the retailer says they've sent": (
        "request_refund",
        "Refund_not_showing_up",
    ),
    "There's nothing I can do until the retailer sends the refund, so it's best to chase them "
    "directly.": ("request_refund", "Refund_not_showing_up", "reverted_card_payment?"),
    "So where's the money now?": _IN_FLIGHT,
    "Can I stop it?": ("cancel_transfer", "pending_transfer", "transfer_not_received_by_recipient"),
    "why the payment to that payee has been blocked": (
        "beneficiary_not_allowed",
        "declined_transfer",
        "failed_transfer",
    ),
    "whether a payment can be recalled once it has left the account": (
        "cancel_transfer",
        "transfer_not_received_by_recipient",
    ),
    "why the Confirmation of Payee check came back as not a match": (
        "failed_transfer",
        "declined_transfer",
        "beneficiary_not_allowed",
    ),
    "how long an international payment takes to arrive": _IN_FLIGHT,
    "The payment is with the other bank now, so I can't do any more from this end today.": (
        "transfer_not_received_by_recipient",
        "cancel_transfer",
        "pending_transfer",
    ),
    "why we charge for topping up by card": (
        "top_up_by_card_charge",
        "top_up_by_bank_transfer_charge",
    ),
    "So which rate should I have got?": _RATES,
    "Can I avoid that next time?": _RATES,
    "which exchange rate was used on that payment and when it was applied": (
        *_RATES,
        "exchange_via_app",
    ),
    "whether we support payments in that currency": (
        "fiat_currency_support",
        "supported_cards_and_currencies",
        "exchange_via_app",
    ),
    "whether the card works in that country": (
        "country_support",
        "visa_or_mastercard",
        "supported_cards_and_currencies",
    ),
    "The rate was set by the cash machine operator, so it's not something we can change.": (
        "wrong_exchange_rate_for_cash_withdrawal",
    ),
    "When will I be able to use it?": (
        "pending_top_up",
        "balance_not_updated_after_cheque_or_cash_deposit",
        "top_up_by_cash_or_cheque",
        "verify_top_up",
        "topping_up_by_card",
    ),
    "Is there a limit?": (
        "top_up_limits",
        "topping_up_by_card",
        "automatic_top_up",
        "top_up_by_cash_or_cheque",
    ),
    "what the limits are for topping up by card": (
        "top_up_limits",
        "topping_up_by_card",
        "automatic_top_up",
        "verify_top_up",
    ),
    "why a top-up would be reversed after it went through": (
        "top_up_reverted",
        "top_up_failed",
        "pending_top_up",
    ),
    "how long a cheque takes to clear": (
        "balance_not_updated_after_cheque_or_cash_deposit",
        "top_up_by_cash_or_cheque",
    ),
    "how long a cash withdrawal can stay pending": ("pending_cash_withdrawal",),
    "It's still within the normal processing time, so I can't trace it until tomorrow.": (
        "pending_top_up",
        "top_up_failed",
        "top_up_reverted",
        "balance_not_updated_after_cheque_or_cash_deposit",
        "pending_cash_withdrawal",
    ),
    "which documents we accept when your driving licence has expired": (
        "unable_to_verify_identity",
        "verify_my_identity",
        "why_verify_identity",
    ),
    "why we're asking for proof of where the money came from": (
        "verify_source_of_funds",
        "why_verify_identity",
    ),
    "what the minimum age is for this account": ("age_limit",),
    "Until the verification's complete I can't unlock the account, I'm afraid.": (
        "unable_to_verify_identity",
        "verify_my_identity",
        "verify_source_of_funds",
        "why_verify_identity",
    ),
    "whether you can close the account with a payment still pending": ("terminate_account",),
    "what documents we need to change the name on the account": ("edit_personal_details",),
    "whether the passcode can be reset without the registered phone": ("passcode_forgotten",),
    "I can't make that change without the document, so you'll need to send it in first.": (
        "edit_personal_details",
    ),
    "Is there a limit on how many I can have?": (
        "getting_virtual_card",
        "get_disposable_virtual_card",
        "disposable_card_limits",
    ),
    "Does it work in shops?": ("apple_pay_or_google_pay", "getting_virtual_card"),
    "why the card won't add to Google Pay": ("apple_pay_or_google_pay", "virtual_card_not_working"),
    "what the limits are on disposable cards": (
        "get_disposable_virtual_card",
        "disposable_card_limits",
        "getting_virtual_card",
    ),
    "It looks like a problem with your phone's wallet app rather than the card, so there's "
    "nothing I can change from here.": ("apple_pay_or_google_pay", "virtual_card_not_working"),
}
GENERIC_UNRESOLVED = (
    "I'm afraid there isn't anything more I can do on this from here today.",
    "I'm sorry, I can't get this sorted for you today.",
)
GENERIC_TOPIC = "what the right process is for this"


def fits(text: str, intent: str) -> bool:
    """Whether a question, topic or line suits a contact with this intent."""
    allowed = FOR_INTENTS.get(text)
    return allowed is None or intent in allowed


TEAM_THEME_WEIGHTS: dict[str, dict[str, float]] = {
    "thames": {
        "card_delivery": 1.0,
        "card_problems": 0.8,
        "lost_stolen": 0.6,
        "disputed_payment": 0.6,
        "refunds": 0.8,
        "transfers": 1.6,
        "fees_charges": 0.8,
        "fx": 0.6,
        "top_ups": 1.2,
        "identity": 1.4,
        "account_access": 1.4,
        "digital": 1.0,
    },
    "severn": {
        "card_delivery": 1.0,
        "card_problems": 1.6,
        "lost_stolen": 1.4,
        "disputed_payment": 1.8,
        "refunds": 1.3,
        "transfers": 0.6,
        "fees_charges": 1.0,
        "fx": 1.3,
        "top_ups": 0.5,
        "identity": 0.3,
        "account_access": 0.3,
        "digital": 0.8,
    },
    "trent": {
        "card_delivery": 0.4,
        "card_problems": 1.0,
        "lost_stolen": 0.4,
        "disputed_payment": 1.0,
        "refunds": 0.8,
        "transfers": 1.0,
        "fees_charges": 1.8,
        "fx": 0.4,
        "top_ups": 0.6,
        "identity": 0.4,
        "account_access": 1.0,
        "digital": 0.4,
    },
}
INCIDENT_THEME = "transfers"
INCIDENT_FACTOR = 2.5
INCIDENT_DAYS = (42, 56)  # weeks 7 and 8, when the window covers them

# The Shanghai and Tokyo teams (demo.contacts_cjk) serve the bank's Chinese- and Japanese-speaking
# customers, many abroad: more international payments, exchange rates, fees and identity checks,
# and vulnerability cues at the English demo's overall share (~15%).
TEAM_THEME_WEIGHTS["shanghai"] = TEAM_THEME_WEIGHTS["tokyo"] = {
    "card_delivery": 1.0,
    "card_problems": 1.0,
    "lost_stolen": 0.9,
    "disputed_payment": 1.1,
    "refunds": 1.0,
    "transfers": 1.5,
    "fees_charges": 1.2,
    "fx": 1.5,
    "top_ups": 0.6,
    "identity": 1.2,
    "account_access": 0.9,
    "digital": 0.8,
}
VULN_RATE = {"trent": 0.26, "shanghai": 0.15, "tokyo": 0.15}
VULN_RATE_DEFAULT = 0.10

# ------------------------------------------------------------------------- vulnerability

# kind: (cue lines in the customer's words, agent's acknowledgement, action codes, note)
VULN_CUES: dict[str, tuple[str, ...]] = {
    "bereavement": (
        "Sorry, it's all a bit much. My husband passed away last month and he always did the "
        "banking.",
        "My mum died in March and I'm trying to sort out everything on my own.",
        "My wife passed away recently, so I'm dealing with all of this for the first time.",
    ),
    "job_loss": (
        "I lost my job two weeks ago so every penny matters at the moment.",
        "I've just been made redundant and I really need this money back.",
        "I'm out of work at the moment, so I can't afford to lose this.",
    ),
    "illness": (
        "I've been in hospital for a fortnight, so I haven't been able to deal with any of this.",
        "I've just been diagnosed with cancer and I'm finding it hard to keep on top of things.",
        "I suffer with anxiety and phoning up like this really sets it off.",
    ),
    "arrears": (
        "I'm already behind on my rent and this has pushed me into my overdraft.",
        "I'm in arrears with the council tax and now this has come out as well.",
        "I'm struggling to pay my bills this month as it is.",
    ),
    "scam": (
        "Someone rang me pretending to be from the bank and told me to move my money to a safe "
        "account.",
        "I think I've been scammed, a man on the phone said he was from your fraud team.",
        "I met someone online and sent them money, and now they've stopped replying.",
    ),
    "low_digital": (
        "I'm not very good with computers, my grandson normally does the app for me.",
        "I don't really understand the app, I've never had a smartphone before.",
        "I'm not confident online, can I not just do this with a person?",
    ),
}

VULN_HANDLING: dict[str, tuple[str, tuple[str, ...], str]] = {
    "bereavement": (
        "I'm so sorry for your loss, and please take all the time you need. I'll put a note on "
        "the account so nobody chases you, and I'll refer you to our bereavement team, who can "
        "deal with everything in one place.",
        ("VULN_FLAG", "BEREAVEMENT_TEAM"),
        "bereavement; added a vulnerability note and referred to the bereavement team",
    ),
    "job_loss": (
        "I'm sorry to hear that, it's a lot to deal with. I'll add a note so we take it into "
        "account, and I'll refer you to our financial support team, who can go through the "
        "options with you.",
        ("VULN_FLAG", "SUPPORT_REFERRAL"),
        "recent job loss; added a vulnerability note and referred to financial support",
    ),
    "illness": (
        "I'm sorry you're going through that, and there's no rush at all. With your permission "
        "I'll note it on your account so you don't have to explain again, and our support team "
        "can contact you by letter or email if that's easier.",
        ("VULN_FLAG", "SUPPORT_REFERRAL"),
        "health condition; added a vulnerability note with consent and referred to support",
    ),
    "arrears": (
        "Thank you for telling me. I'll put a note on the account and pause any charges and "
        "collections for 30 days, and our financial support team will call you to look at a "
        "plan that works for you.",
        ("VULN_FLAG", "BREATHING_SPACE", "SUPPORT_REFERRAL"),
        "financial difficulty; paused charges and collections and referred to financial support",
    ),
    "scam": (
        "Thank you for telling me, you've done the right thing getting in touch. I'm going to "
        "flag the account and get our fraud specialists to look at this with you today.",
        ("VULN_FLAG", "SUPPORT_REFERRAL"),
        "possible scam; flagged the account and referred to fraud support",
    ),
    "low_digital": (
        "That's absolutely fine, we can do this together one step at a time. I'll note on your "
        "account that you'd prefer to deal with us by phone or letter.",
        ("VULN_FLAG",),
        "low digital confidence; noted the preferred contact method",
    ),
}

VULN_KIND_WEIGHTS = {
    "trent": {
        "bereavement": 12,
        "job_loss": 22,
        "illness": 16,
        "arrears": 34,
        "scam": 6,
        "low_digital": 10,
    },
    "": {
        "bereavement": 16,
        "job_loss": 12,
        "illness": 18,
        "arrears": 12,
        "scam": 20,
        "low_digital": 22,
    },
}

VULN_THANKS = (
    "Thank you, I really appreciate that.",
    "Thanks, that's a weight off.",
    "That's kind of you, thank you.",
)
VULN_IGNORED = (
    "Okay. So, going back to the payment.",
    "Right. Can you confirm the last four digits of the card for me?",
    "Okay, noted. Let's carry on.",
    "Right, okay.",
)
VULN_REPEAT = (
    "Sorry, like I said, it's just a lot at the moment.",
    "It's just really hard at the moment.",
)

# ------------------------------------------------------------------------- conversation parts

GREETINGS = {
    "phone": (
        "{part}, you're through to {bank}, how can I help?",
        "{part}, thank you for calling {bank}. How can I help today?",
        "Thanks for calling {bank}, you're speaking to customer services. What can I do for you?",
    ),
    "chat": (
        "Hi, thanks for contacting {bank}. How can I help today?",
        "Hello, you're chatting with {bank}. What can I help you with?",
    ),
}
SECURITY_APP = (
    "I can help with that. First I'll send a notification to your app to confirm it's you.",
    "Happy to look into that. Before I do, I'll just send a security notification to your app.",
)
SECURITY_APP_REPLY = ("Okay, I've approved it.", "Yes, done.", "Right, that's approved now.")
SECURITY_APP_DONE = ("Thank you, that's come through.", "Lovely, you're through security.")
SECURITY_NAME = (
    "I can help with that. Can I take your full name and the postcode on the account, please?",
    "Of course. For security, can I have your full name and postcode?",
)
CHAT_VERIFIED = (
    "I can see you're signed in to the app, so you're already verified.",
    "Thanks for waiting. As you're logged in, I can see your account.",
)
UNCERTAIN = (
    "I'm not sure {topic}, let me check with my team leader.",
    "Bear with me while I ask a colleague {topic}.",
    "That's a good question. I'm not sure {topic}. Bear with me while I ask.",
    "I don't know {topic} off the top of my head. Let me check with a colleague.",
    "I'm not a hundred percent sure {topic}. Can I put you on hold while I check with my team "
    "leader?",
)
HOLD_REPLY = (
    "Okay.",
    "Sure, I'll hold.",
    "How long will that take?",
    "Again? I was on hold for twenty minutes before I got through.",
)
AFTER_HOLD = (
    "Thanks for holding, I've had that confirmed.",
    "Sorry for the wait, I've got an answer now.",
)
AFTER_HOLD_FAIL = (
    "Thanks for holding. I'm sorry, I haven't been able to get a definite answer on that.",
    "Sorry for the wait. Nobody's been able to confirm it for me, I'm afraid.",
)
TRANSFER_LINES = {
    "phone": (
        "This is one for our {specialist}, they can see more than I can. I'm going to transfer "
        "you now, please stay on the line.",
        "I'll need to transfer you to the {specialist} for this. Please hold while I put you "
        "through.",
    ),
    "chat": (
        "I'm going to transfer you to our {specialist}, they'll pick up this chat shortly.",
        "This needs our {specialist}, so I'll transfer you over to them now.",
    ),
}
TRANSFER_REPLY = ("Okay, thanks.", "Fine.", "Right, okay.")
TRANSFER_REPLY_BAD = (
    "I've already been passed around twice today.",
    "Seriously? I've explained this three times now.",
)
COMPLAINT_ASK = (
    "I want to make a complaint. This has been going on for weeks.",
    "Can I speak to a manager, please? This isn't acceptable.",
    "I'm sorry but that's not good enough. I want this escalated.",
)
ESCALATE_LINES = (
    "I understand, and I'm sorry. I'll escalate this to my manager today and log a formal "
    "complaint; you'll hear from us within three working days.",
    "I'm sorry it's come to this. I'm escalating it to my team manager now, and they'll call you "
    "back.",
)
CALLBACK_LINE = "I'll book a callback for tomorrow so someone can come back to you with an answer."
RESOLVED_ASK = (
    "Is there anything else I can help with today?",
    "Is there anything else I can do for you?",
)
RESOLVED_THANKS = {
    "phone": (
        "No, that's everything. Thanks for your help.",
        "No, that's great, thank you.",
        "That's all, thanks very much.",
    ),
    "chat": ("no that's all thanks", "That's sorted then, thanks!", "No, that's great, thank you."),
}
CLOSING = {
    "phone": ("Thanks for calling {bank}, have a lovely {rest}.", "Take care, bye now."),
    "chat": (
        "Thanks for chatting with us today. Take care.",
        "Glad I could help, have a good day.",
    ),
}
PLEASED = ("Great, thank you.", "Okay, brilliant.", "That's helpful.")
LUKEWARM = ("Fine.", "I suppose that'll have to do.", "Right.")
SORRY_CLOSING = (
    "I'm sorry I couldn't do more today. Take care.",
    "Sorry I couldn't sort it today. Thanks for getting in touch.",
)
CURT_ASK = ("Anything else?", "Was there anything else?")
CURT_CLOSING = ("Okay. Bye.", "Right, thanks.")
UNRESOLVED_REPLY = (
    "Okay, I'll wait then.",
    "Right. I suppose I'll have to.",
)
NEGATIVE_ENDINGS = (
    "Honestly, this has been a complete waste of my time.",
    "I'm really not happy with this. I'll be looking at moving banks.",
    "This is ridiculous. Nobody ever seems to know anything.",
    "Fine. I'll wait, but I'm not impressed.",
    "So I've got to chase this again. Brilliant.",
    "That's not good enough, to be honest.",
)
REPEAT_LINES = (
    "This is the second time I've had to get in touch about this.",
    "I was told last time it would be sorted, and it still isn't.",
    "I called about this a few days ago and nothing's happened.",
)
MERCHANTS = (
    "AMZN Mktp UK",
    "PAYPAL *EBAY",
    "TFL TRAVEL CH",
    "SQ *CORNER CAFE",
    "DD SKY DIGITAL",
    "TESCO STORES 2231",
    "UBER *TRIP",
    "DELIVEROO",
    "STEAMGAMES.COM",
    "VINTED",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Margaret David Sarah James Emma Michael Olivia Thomas Amelia Daniel Sophie Andrew Chloe "
    "Robert Jessica Paul Lucy Stephen Megan Richard Gemma Christopher Rebecca Anthony Hannah "
    "Kevin Bethany Gareth Siobhan Fraser Ailsa Callum Eilidh Dylan Cerys Aled Priya Rajesh "
    "Fatima Imran Ayesha Tariq Adebayo Chidinma Kwame Agnieszka Tomasz Mei Wei Yusuf"
)
LAST_NAMES = _words(
    "Smith Jones Williams Taylor Davies Brown Wilson Evans Johnson Roberts Walker Wright "
    "Robinson Thompson Edwards Hughes Lewis Harrison Clarke Jackson Patel Khan Begum Ahmed "
    "Campbell MacDonald Stewart Murray Fitzgerald Llewellyn Pritchard Okonkwo Mensah Kowalski "
    "Nowak Chen Nguyen Sharma Gallagher Thornton"
)
TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr")

OUTWARD_CODES = _words(
    "SW1A SE15 E14 N1 NW3 W5 CR0 KT1 M1 M20 B15 LS6 BS8 CF10 SA1 G12 EH3 AB10 NE1 L17 NG7 S10 "
    "CB2 OX4 RG1 BN2 PL4 EX4 LE2 CV1 SO17 DE1 ST4 HU5 YO10 BT9 NR2 IP1 CT1 GU1"
)
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
NI_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
NI_SECOND = "ABCEGHJKLMNPRSTWXYZ"
NI_BAD_PREFIXES = ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ")
LANDLINE_RANGES = (  # Ofcom's ranges reserved for drama: valid in format, never allocated
    ("020 7946 0", 3),
    ("0161 496 0", 3),
    ("0113 496 0", 3),
    ("0117 496 0", 3),
    ("0121 496 0", 3),
    ("0131 496 0", 3),
    ("0141 496 0", 3),
    ("0191 498 0", 3),
)
EMAIL_DOMAINS = ("example.com", "example.co.uk", "example.org", "example.net")

# PII kinds a row can carry, and how often each is picked in a PII row.
PII_WEIGHTS = {
    "name": 5,
    "postcode": 3,
    "card": 2.5,
    "mobile": 3,
    "landline": 1,
    "email": 2,
    "bank_account": 1.5,
    "ni": 1,
}
PII_RATE = 0.20
PII_RATE_EMAIL = 0.35

CHANNEL_WEIGHTS = {"phone": 59, "chat": 34, "email": 5, "social": 2}
CSAT_MISSING = 0.30

WEEKDAY_WEIGHTS = (1.35, 1.1, 1.0, 1.0, 0.95, 0.45, 0.2)
_WEEKDAY_HOURS: dict[int, float] = dict(
    zip(range(8, 20), (6, 10, 12, 11, 9, 10, 10, 9, 7, 5, 4, 3), strict=True)
)
HOUR_WEIGHTS: tuple[dict[int, float], ...] = (  # Monday first; hours in UTC
    *([_WEEKDAY_HOURS] * 5),
    dict(zip(range(9, 17), (5.0, 8, 9, 8, 7, 6, 5, 3), strict=True)),
    dict(zip(range(10, 16), (4.0, 5, 5, 4, 3, 2), strict=True)),
)
