"""Best-practice guides for the demo (synthetic: written for this project for the fictional
Northbank; not any real bank's procedures). Markdown in the subset ``foundation.markdown``
renders."""

from __future__ import annotations

GUIDES: tuple[tuple[str, str], ...] = (
    (
        "Disputing a card payment (chargeback)",
        """## When a customer does not recognise a payment
Check the merchant name and the date with the customer first: many "unknown" payments are a
trading name, a subscription renewal or a pre-authorisation that will drop off. If they still do
not recognise it, treat it as possible fraud: cancel the card and order a replacement.

## When the customer recognises it but the goods never came
Ask whether they have contacted the merchant. If the merchant will not help, raise a chargeback
(code DISPUTE_RAISED) and tell the customer we will write within ten working days. Do not promise
the money back on the call; say we will get it back for them if the scheme rules allow.

## Payments older than 120 days
The card schemes usually refuse disputes more than 120 days after the payment or the expected
delivery date. Still log the dispute if the customer asks: the disputes team decides, not us.

## What good looks like
- Confirm the amount, date and merchant back to the customer.
- Explain the next step and the timescale in one sentence.
- Offer a temporary credit only where the disputes policy allows it.""",
    ),
    (
        "Lost or stolen card",
        """## First, stop the card
Freeze or cancel the card straight away (code CARD_CANCELLED), before anything else, even if the
customer thinks the card is just misplaced at home. A frozen card can be unfrozen in the app.

## Check for payments the customer did not make
Go through the recent transactions together. Anything the customer does not recognise after the
time they last had the card is raised as fraud, not as a dispute.

## Replacement and urgent cash
Order a replacement card (three to five working days). If the customer is abroad or has no other
way to pay, offer emergency cash at a branch or the digital card in the app.""",
    ),
    (
        "New card has not arrived",
        """## How long delivery takes
Cards go out by Royal Mail and normally take three to five working days. Check the date the card
was ordered and the address it was sent to before anything else.

## After five working days
Cancel the card in the post (it may have been intercepted) and order a new one to the confirmed
address. Tell the customer the old card will not work if it turns up.

## If the address was wrong
Update the address only after full security, then reorder. A change of address within the last
30 days followed by a card order is a fraud warning sign: refer it to the fraud team.""",
    ),
    (
        "Refund not showing on the account",
        """## Pending refunds
A refund from a retailer usually takes five to ten working days to show, depending on the
retailer. Ask for the date the retailer says they processed it.

## When to step in
After ten working days, ask the customer for the retailer's refund confirmation. If they have it,
raise a dispute for a credit not received (code DISPUTE_RAISED); the retailer's proof is the
evidence the scheme asks for.""",
    ),
    (
        "International payments and exchange rates",
        """## Which rate applies
Card payments abroad are converted at the scheme rate on the day the payment is processed, not
the day the customer paid. That is why the amount can differ from what they saw at the till.

## Fees
Explain the non-sterling transaction fee and, for cash, the cash fee. Point to the fee table in
the app rather than quoting from memory.

## International transfers
Transfers sent before 3pm on a working day usually arrive in one to two working days. A transfer
held for checks needs the payments team: transfer the call warmly and tell the customer why.""",
    ),
    (
        "Declined card payments",
        """## Common reasons
Check in this order: card frozen or cancelled, insufficient funds, a fraud block, the merchant's
category blocked in the app, or a wrong PIN.

## Fraud blocks
If the payment was stopped by fraud checks, confirm the payment with the customer, release the
block (code FRAUD_BLOCK_RELEASED) and tell them to try again in a few minutes.""",
    ),
    (
        "Supporting customers in vulnerable circumstances",
        """## Listen for the cue
Bereavement, illness, job loss, debt, a scam or finding the app hard are all signs a customer may
need more support. Acknowledge what they told you in your own words before carrying on.

## Act on it
With the customer's consent, add a vulnerability note (code VULN_FLAG) so they do not have to
explain again, and refer them to the right team: bereavement, financial support or fraud support.

## Financial difficulty
Offer to pause charges and collections for 30 days (breathing space) while the financial support
team calls back. Never push for a payment on the call.""",
    ),
    (
        "Identity checks and locked accounts",
        """## Passing security
Use the app approval first; if the customer cannot use the app, ask the security questions. Do
not discuss the account until security is passed, however urgent it sounds.

## Locked out of online banking
After three failed attempts the account locks for 24 hours. Reset it after full security and send
a one-time passcode to the registered mobile only, never a number given on the call.""",
    ),
    (
        "Bank transfer not received",
        """## Check the details first
Confirm the sort code, account number and reference the customer used, and whether Confirmation
of Payee matched the name.

## Faster Payments
Most transfers arrive within two hours. A transfer held for checks shows as pending; explain that
the payments team reviews it within one working day and that we will text when it is released.

## Sent to the wrong account
Raise a recall request straight away. We cannot promise the money back: it depends on the
receiving bank and the person who received it.""",
    ),
)
