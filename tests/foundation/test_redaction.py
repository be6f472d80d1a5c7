"""PII redaction: a golden set of customer PII in realistic contact-centre sentences.

Every value below is a SYNTHETIC TEST VALUE, not anybody's data: published test card numbers
(Luhn-valid, issued to nobody) and deliberately broken copies of them; example IBANs from bank
and registry documentation; Ofcom's drama number ranges (07700 900xxx, 0161 496 0xxx,
020 7946 0xxx, 01632 960xxx, 0113 496 0xxx, 029 2018 0xxx); public example postcodes; National
Insurance numbers made up in HMRC's format; invented names, example.* and private (``.internal``,
``localhost``) email domains.

What is checked:
- zero misses: every valid value of every structured type is replaced by its token, in English
  and in the Chinese and Japanese parts of the golden set (``redaction_cases_cjk.py``; their
  own checks are in ``test_redaction_cjk.py``), with the misses reported per language;
- invalid values (Luhn or IBAN checksum failures, NI numbers with prefixes HMRC never issues)
  are not labelled as that type;
- the redacted output never contains an original value (as written or as bare digits);
- a name matches whatever the case and with or without accents, and the offsets stay right;
- the false-positive rate on realistic PII-free sentences (amounts, dates, times, case
  references, card last-four, product names) is printed and must stay below 5%;
- skipping recognizers by their pre-filters never changes what is found;
- importing the module is cheap (Presidio is imported when the redactor is first built);
- nothing is fetched over the network and nothing logs the text.

Speed is not checked here: bench/import.py measures ``Redactor.redact`` per row.
"""

from __future__ import annotations

import csv
import logging
import random
import re
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from foundation import redaction_names, redaction_patterns
from foundation.redaction import TOKENS, Redactor, get_redactor
from tests.foundation.redaction_cases_cjk import JA_VALID, ZH_VALID

REPO = Path(__file__).resolve().parents[2]
BANKING77 = REPO.parent / "shared" / "data" / "banking77"


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return get_redactor()


def luhn_ok(value: str) -> bool:
    """Independent Luhn check, so the golden set itself is verified."""
    total = 0
    for i, ch in enumerate(reversed([c for c in value if c.isdigit()])):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def iban_ok(value: str) -> bool:
    """Independent ISO 13616 mod-97 check."""
    iban = re.sub(r"[\s-]", "", value).upper()
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


# ---------------------------------------------------------------------------------------------
# the golden set: (type, value exactly as written, sentence with {v} where the value goes)
# ---------------------------------------------------------------------------------------------

VALID: list[tuple[str, str, str]] = [
    # --- cards: published test numbers, Luhn-valid --------------------------------------------
    ("CARD", "4111 1111 1111 1111", "Customer: The card number is {v} and it expires in March."),
    ("CARD", "4012888888881881", "Customer: it's {v}, the Visa debit one."),
    ("CARD", "4242-4242-4242-4242", "Agent: I can see the card {v} was stopped this morning."),
    ("CARD", "4000 0566 5566 5556", "Customer: my new card, {v}, hasn't been activated yet."),
    ("CARD", "4917 6100 0000 0000", "Customer: Visa Electron, {v}, it's an old one."),
    ("CARD", "5555 5555 5555 4444", "Customer: the Mastercard number is {v}."),
    ("CARD", "5105105105105100", "Customer: I typed {v} into the website and it was refused."),
    # Mastercard 2-series (2221-2720), which Presidio's own pattern does not cover.
    ("CARD", "2223 0031 2200 3222", "Customer: the credit card is {v}, a Mastercard."),
    ("CARD", "5200-8282-8282-8210", "Customer: {v} is the one that was skimmed at the garage."),
    ("CARD", "6011 1111 1111 1117", "Customer: it's a Discover card from the US, {v}."),
    # Amex 4-6-5.
    ("CARD", "3782 822463 10005", "Customer: it's an Amex, {v}."),
    ("CARD", "371449635398431", "Customer: Amex {v}, expiry oh nine twenty seven."),
    ("CARD", "3714-496353-98431", "Agent: Thank you, so that's {v}, is that right?"),
    # Maestro, and 19-digit numbers.
    ("CARD", "6759 6498 2643 8453", "Customer: my old Maestro card {v} still works online."),
    ("CARD", "4462 0300 0000 0000 002", "Customer: the long number on the front is {v}."),
    ("CARD", "6759649826438455123", "Customer: it's {v}, nineteen digits."),
    # Grouped by dots, as people type them into a chat (space, dash and dot are the separators
    # accepted; nobody writes a card number with slashes).
    ("CARD", "4111.1111.1111.1111", "Customer: the card is {v} if that helps."),
    ("CARD", "5555.5555.5555.4444", "Customer: {v}, the Mastercard."),
    ("CARD", "3782.822463.10005", "Customer: Amex, {v}."),
    ("CARD", "4462.0300.0000.0000.002", "Customer: the long one, {v}."),
    ("CARD", "4000.0566.5566.5556.", "Customer: it's {v}"),
    # --- IBANs: documentation examples, checksum-valid ----------------------------------------
    ("IBAN", "GB82 WEST 1234 5698 7654 32", "Customer: please send it to {v} today."),
    ("IBAN", "GB29NWBK60161331926819", "Customer: my IBAN is {v}."),
    ("IBAN", "GB33BUKB20201555555555", "Agent: I have the IBAN as {v}, is that correct?"),
    ("IBAN", "gb82 west 1234 5698 7654 32", "Customer: typed in lower case, {v}, sorry."),
    ("IBAN", "DE89 3704 0044 0532 0130 00", "Customer: the German account is {v} for the rent."),
    ("IBAN", "FR14 2004 1010 0505 0001 3M02 606", "Customer: my landlord in Lyon uses {v}."),
    ("IBAN", "NL91ABNA0417164300", "Customer: the Dutch IBAN {v} bounced the payment back."),
    ("IBAN", "IE29 AIBK 9311 5212 3456 78", "Customer: I'm sending it from Dublin, {v}."),
    ("IBAN", "ES91 2100 0418 4502 0005 1332", "Customer: it goes to {v} in Spain."),
    # 16 characters, then an ordinary word: the shorter-match fallback must keep just the IBAN.
    ("IBAN", "BE68 5390 0754 7034", "Customer: Belgian one, {v} that is the lot."),
    # --- emails -------------------------------------------------------------------------------
    ("EMAIL", "jane.smith@example.co.uk", "Customer: my email is {v} if you need it."),
    ("EMAIL", "j_smith+bank@example.com", "Customer: send it to {v} please."),
    ("EMAIL", "JOHN.DOE@EXAMPLE.ORG", "Customer: it's {v} in capitals."),
    ("EMAIL", "first-last@mail.example.io", "Agent: I've updated the email to {v}."),
    ("EMAIL", "o'reilly@example.net", "Customer: {v}, with an apostrophe."),
    # Any domain, public suffix or not.
    ("EMAIL", "someone@corp.internal", "Customer: use my work address, {v}."),
    ("EMAIL", "a.b@localhost", "Agent: the test address {v} bounced."),
    ("EMAIL", "jane_smith@intranet", "Customer: it's {v} at the office."),
    ("EMAIL", "ops+alerts@mail.bank.corp", "Customer: the alerts go to {v}."),
    ("EMAIL", "Jane.Smith@Example.Invalid", "Customer: {v} in mixed case."),
    # --- UK phone numbers (Ofcom drama ranges) ------------------------------------------------
    ("PHONE", "07700 900123", "Customer: my mobile is {v} if we get cut off."),
    ("PHONE", "07700-900-456", "Customer: call me back on {v} after five."),
    ("PHONE", "07700900789", "Customer: it's {v}."),
    ("PHONE", "+44 7700 900321", "Customer: I'm abroad, so it's {v}."),
    ("PHONE", "+447700900654", "Customer: text {v} with the code."),
    ("PHONE", "+44 (0)7700 900987", "Customer: my number is {v}."),
    ("PHONE", "0044 7700 900111", "Customer: from Spain you'd dial {v}."),
    ("PHONE", "0161 496 0000", "Customer: my landline is {v}."),
    ("PHONE", "020 7946 0018", "Customer: the work number is {v}."),
    ("PHONE", "0113 496 0999", "Agent: I have {v} as your home number, still right?"),
    ("PHONE", "01632 960001", "Customer: ring {v}, that's the house."),
    ("PHONE", "(0161) 496 0555", "Customer: it's {v}."),
    ("PHONE", "029 2018 0123", "Customer: my mum's number in Cardiff is {v}."),
    ("PHONE", "+44 20 7946 0123", "Customer: office line {v}."),
    # Dotted, as typed in chats and emails.
    ("PHONE", "07700.900.124", "Customer: my mobile is {v}."),
    ("PHONE", "07700.900124", "Customer: ring {v} after six."),
    ("PHONE", "+44.7700.900124", "Customer: from abroad it's {v}."),
    ("PHONE", "0161.496.0000", "Customer: landline {v}."),
    ("PHONE", "020.7946.0018", "Customer: work is {v}."),
    # --- sort codes ---------------------------------------------------------------------------
    ("SORT_CODE", "20-00-00", "Customer: my sort code is {v}."),
    ("SORT_CODE", "40 47 84", "Customer: sort code {v}, it's the Leeds branch."),
    ("SORT_CODE", "309634", "Agent: And the sort code?\nCustomer: {v}."),
    # reads like a date (20 Dec 2005): needs the sort-code context, which it has.
    ("SORT_CODE", "20-12-05", "Customer: The sort code is {v}."),
    ("SORT_CODE", "12 03 24", "Agent: Can you read me the sort code on the card?\nCustomer: {v}."),
    # reads like a date, no words, but an account number right next to it.
    ("SORT_CODE", "11-03-20", "Customer: Bank details are {v} 55779911."),
    # no context at all, but not a date.
    ("SORT_CODE", "83-91-97", "Customer: It's {v}, if that helps."),
    ("SORT_CODE", "60\u201316\u201313", "Customer: s/c {v}"),  # en dashes
    # --- account numbers ----------------------------------------------------------------------
    ("ACCOUNT_NUMBER", "31926819", "Customer: my account number is {v}."),
    ("ACCOUNT_NUMBER", "1234 5678", "Customer: the account is {v}, the joint one."),
    ("ACCOUNT_NUMBER", "55779911", "Customer: a/c {v}"),
    ("ACCOUNT_NUMBER", "00012345", "Agent: So that's acct no. {v}?"),
    # no account words in this turn, but a sort code right next to it.
    ("ACCOUNT_NUMBER", "31926820", "Customer: 20-12-05 and then {v}."),
    (
        "ACCOUNT_NUMBER",
        "41234567",
        "Agent: Can I take your sort code and account number please?\n"
        "Customer: Yes, 20-45-77 and then {v}.",
    ),
    # --- National Insurance numbers (HMRC format, made up) ------------------------------------
    ("NI_NUMBER", "AB 12 34 56 C", "Customer: my National Insurance number is {v}."),
    ("NI_NUMBER", "JG103759A", "Customer: NI number {v}."),
    ("NI_NUMBER", "ce123456d", "Customer: ni is {v}, lower case sorry."),
    ("NI_NUMBER", "PW-12-34-56-B", "Agent: I have {v} on file."),
    ("NI_NUMBER", "TW 98 76 54 A", "Customer: It's {v}."),
    ("NI_NUMBER", "OA 11 22 33 D", "Customer: {v} is my NI number."),  # O is fine first
    # --- postcodes ----------------------------------------------------------------------------
    ("POSTCODE", "SW1A 2AA", "Customer: the address is 10 Downing Street, London {v}."),
    ("POSTCODE", "M1 1AE", "Customer: I've moved to Manchester, {v}."),
    ("POSTCODE", "B33 8TH", "Customer: post it to {v} please."),
    ("POSTCODE", "CR2 6XH", "Customer: it's {v}."),
    ("POSTCODE", "DN55 1PT", "Agent: Can you confirm the postcode?\nCustomer: {v}."),
    ("POSTCODE", "EC1A 1BB", "Customer: the office is at {v}."),
    ("POSTCODE", "W1A 0AX", "Customer: send the statement to {v}."),
    ("POSTCODE", "SW1A1AA", "Customer: postcode {v}, no space."),
    ("POSTCODE", "sw1a 1aa", "Customer: my postcode is {v}."),
    ("POSTCODE", "ls1 4ap", "Customer: I live in {v} now."),
]

INVALID: list[tuple[str, str, str]] = [
    # Luhn fails: not a card, must not become [CARD].
    ("CARD", "4111 1111 1111 1112", "Customer: I think it's {v} but I might be misreading it."),
    ("CARD", "5555 5555 5555 4445", "Customer: is it {v}?"),
    ("CARD", "3782 822463 10006", "Customer: the Amex might be {v}."),
    ("CARD", "4242424242424243", "Customer: {v}, no wait, that's wrong."),
    ("CARD", "2223 0031 2200 3223", "Customer: it says {v} on the letter."),
    ("CARD", "4111.1111.1111.1112", "Customer: or was it {v}?"),
    # IBAN checksum or length wrong.
    ("IBAN", "GB82 WEST 1234 5698 7654 33", "Customer: is the IBAN {v}?"),
    ("IBAN", "DE89 3704 0044 0532 0130 01", "Customer: I sent it to {v}."),
    ("IBAN", "GB29NWBK6016133192681", "Customer: I copied {v} from the invoice."),
    ("IBAN", "NL91ABNA0417164301", "Customer: the invoice says {v}."),
    # NI prefixes HMRC never issues (D F I Q U V first; D F I O Q U V second; BG GB KN NK NT
    # TN ZZ), and a suffix outside A-D.
    ("NI_NUMBER", "QQ 12 34 56 C", "Customer: the form shows {v} as an example."),
    ("NI_NUMBER", "DA 12 34 56 A", "Customer: is it {v}?"),
    ("NI_NUMBER", "FY654321B", "Customer: maybe {v}?"),
    ("NI_NUMBER", "AO 12 34 56 B", "Customer: {v} I think."),
    ("NI_NUMBER", "GB 12 34 56 A", "Customer: it shows {v}."),
    ("NI_NUMBER", "NK123456B", "Customer: {v} is on the letter."),
    ("NI_NUMBER", "TN 12 34 56 C", "Customer: I was given {v} temporarily."),
    ("NI_NUMBER", "ZZ 12 34 56 A", "Customer: the sample says {v}."),
    ("NI_NUMBER", "AB 12 34 56 E", "Customer: it ends in E, {v}."),
]

# Names given in the row's customer_name, and a mention in a turn: (names, value, sentence).
NAMES: list[tuple[list[str], str, str]] = [
    (["Jane Smith"], "Jane", "Agent: Thanks Jane, bear with me a moment."),
    (["Jane Smith"], "Jane Smith", "Customer: It's Jane Smith, I'm the account holder."),
    (["Jane Smith"], "SMITH", "Customer: surname SMITH, like the singer."),
    (["Jane Smith"], "jane smith", "Customer: hi its jane smith here"),
    (["Mrs Jane Smith"], "Smith", "Agent: Mrs Smith's payment has gone through."),
    (["Mary-Kate O'Neil"], "Mary-Kate", "Agent: Morning Mary-Kate, how can I help?"),
    (["Mary-Kate O'Neil"], "O'Neil", "Customer: It's Ms O'Neil."),
    (["Mary-Kate O'Neil"], "Kate", "Customer: Kate is fine, everyone calls me that."),
    (["Will Banks"], "Will", "Agent: Will, I'll check that for you now."),
    (["Will Banks"], "Banks", "Customer: The name's Banks."),
    (["Will Banks"], "Will", "Customer: The card is in my husband's name, Will."),
    (["Li Wu"], "Li Wu", "Customer: It's Li Wu calling."),
    (["Li Wu"], "Wu", "Agent: Thank you Mr Wu."),
    (["Chidi Okonkwo"], "Okonkwo", "Agent: Thank you Mr Okonkwo, that's all done."),
    (["Siobhán Ní Bhriain"], "Siobhán", "Agent: Thanks Siobhán."),
    (["Zoë Brontë"], "BRONTË", "Customer: surname BRONTË with the dots."),
    # With or without accents, in any case, whichever way round the row and the text have it.
    (["Siobhan Kelly"], "Siobhán", "Agent: Thanks Siobhán, one moment."),
    (["Siobhán Kelly"], "Siobhan", "Agent: Thanks Siobhan, one moment."),
    (["Siobhán Kelly"], "SIOBHAN", "Customer: SIOBHAN KELLY, the account holder."),
    (["Jose Garcia"], "José", "Customer: It's José speaking."),
    (["José García"], "Jose Garcia", "Customer: This is Jose Garcia."),
    (["ZOË BRONTË"], "Zoe", "Agent: Thanks Zoe."),
    (["Zoe Bronte"], "ZOË", "Customer: ZOË here."),
    (["Zoe Bronte"], "Brontë", "Customer: Brontë, with the dots."),
    (["Anna Strauss"], "Strauß", "Customer: the surname is Strauß."),
    # The accent written as a separate combining character after the letter.
    (["Siobhan Kelly"], "Siobha\u0301n", "Agent: Thanks Siobha\u0301n."),
]

# Names whose spelling differs from the row's: the exact redacted text, so offsets are checked.
NAME_OFFSETS: list[tuple[list[str], str, str]] = [
    (["Siobhan Kelly"], "Thanks Siobhán, one moment.", "Thanks [NAME], one moment."),
    (["Siobhán Kelly"], "Thanks SIOBHAN.", "Thanks [NAME]."),
    (["Siobhan Kelly"], "Siobha\u0301n Kelly rang.", "[NAME] rang."),
    (["Zoe Bronte"], "£20 for ZOË BRONTË, ok?", "£20 for [NAME], ok?"),
    (["Anna Strauss"], "Strauß and Straße: Anna.", "[NAME] and Straße: [NAME]."),
    (["José García"], "Jose, 07700 900123, José.", "[NAME], [PHONE], [NAME]."),
    (["Ali Öztürk"], "İstanbul, Öztürk, OZTURK.", "İstanbul, [NAME], [NAME]."),
]

# Name parts that are everyday words stay when they read as the word (lower case, or opening a
# sentence as in "Will you"); two-letter parts stay unless they follow a title: (names,
# sentence that must come back unchanged).
NAME_NON_MATCHES: list[tuple[list[str], str]] = [
    (["Will Banks"], "Agent: I will check with the other banks for you."),
    (["Will Banks"], "Customer: Thanks. Will you make the transfer today?"),
    (["May Brown"], "Customer: May I ask about the fee?"),
    (["Li Wu"], "Customer: the limit on the wuxi trip card is fine."),
    (["Jane Smith"], "Agent: Janet from the Smithfield branch will call you."),
    (["José Smith"], "Agent: Josefina from the Smithfield branch will call you."),
]

# PII-free contact-centre sentences: amounts, dates, times, references, last-four digits,
# product names. Any change to one of these is a false positive.
CLEAN: list[str] = [
    "Agent: I can see a payment of £1,234.56 to British Gas on 12/03/2024.",
    "Customer: I was charged £36.99 twice yesterday at about 14:35.",
    "Agent: Your card ending 1234 has been cancelled and a new one is on its way.",
    "Agent: I've logged that as case 4471, you'll hear back within 5 working days.",
    "Customer: The reference on the letter is DX-22819.",
    "Agent: The Everyday Saver pays 4.1% AER variable, with interest paid monthly.",
    "Agent: The ISA allowance for the 2024/25 tax year is £20,000.",
    "Customer: Can I increase my overdraft from £500 to £1,500?",
    "Agent: Faster Payments usually arrive within 2 hours, but can take up to 3 working days.",
    "Agent: Branches are open 9:30 to 16:30 Monday to Friday and 9-12 on Saturdays.",
    "Customer: My mortgage payment of £1,050.00 goes out on the 1st of every month.",
    "Agent: The 0% balance transfer offer lasts 18 months, then it's 24.9% APR representative.",
    "Customer: I'm 3 months behind on the loan and I'm really worried about it.",
    "Agent: I've put a 30-day breathing space on the account while we sort this out.",
    "Customer: The app says error code 503 whenever I log in.",
    "Agent: Please update the app to version 10.2.3 from the app store.",
    "Customer: I moved £250 into savings on 03/02/2024 and it hasn't shown up.",
    "Agent: The standing order for £75 runs on the 15th, so the next one is 15 April.",
    "Agent: You'll get a one-time passcode by text, it's valid for 10 minutes.",
    "Customer: The transaction was for $49.99, roughly £39.40 with the exchange rate.",
    "Agent: The non-sterling transaction fee is 2.99% of the amount.",
    "Customer: I want to claim under Section 75, it was over £100.",
    "Agent: Your complaint reference is CMP 2024 0412 and we'll reply within 8 weeks.",
    "Customer: My payslip says £2,345.67 net for March.",
    "Agent: The Direct Debit Guarantee covers you; the refund takes up to 10 working days.",
    "Agent: Let me check with my team leader, one moment please.",
    "Customer: I'm calling about the letter dated 21 March 2024.",
    "Agent: The minimum payment this month is £25.00, due on 28/04.",
    "Customer: There were 3 transactions between 11:02 and 11:15 that I didn't make.",
    "Agent: I've blocked contactless for now; chip and PIN still works.",
    "Agent: The Premier Current Account has a £15 monthly fee.",
    "Customer: My daughter is 16, can she open a Young Saver account?",
    "Agent: Interest is calculated daily and paid on the 1st of the month.",
    "Customer: It's been 2 weeks and the new card still hasn't arrived.",
    "Agent: The cash withdrawal limit is £500 a day, or £300 at a Post Office.",
    "Customer: I tried three times at 10.45 this morning.",
    "Agent: Your credit limit is £3,500 and the available balance is £1,212.04.",
    "Customer: The cheque for £120 was paid in at the branch on Monday.",
    "Agent: I've raised a chargeback, reference CB-7781, which can take 45 days.",
    "Customer: Is the 5.2% bonus rate fixed for 12 months?",
    "Agent: Section 75 covers purchases between £100 and £30,000.",
    # dates written with dashes, next to the word "account": not a sort code.
    "Customer: My account was charged on 12-03-24 and again on 13-03-24.",
    "Agent: The 2-for-1 cinema offer ended on 31 January.",
    "Customer: I paid 3 x £19.99 for the subscription.",
    "Agent: You can call the number on the back of your card, 24/7.",
    "Agent: Your new PIN will arrive separately within 5 to 7 days.",
    "Customer: My partner and I earn about £45,000 a year between us.",
    "Agent: The early repayment charge is 2% of the balance, so about £240.",
    "Customer: The ATM at 9pm didn't give me the £200 but took it from my account.",
    "Agent: Apple Pay and Google Pay both work with the Visa Debit card.",
    "Customer: I'd like a 6-month payment holiday if that's possible.",
    "Agent: Your loan of £7,500 over 48 months is £172.43 a month.",
    "Customer: The order number is 3348917502 from the online shop.",
    "Agent: I'll transfer you to the bereavement team, the wait is about 4 minutes.",
    "Customer: The fee was 1.5%, so I paid £4.50 on a £300 transfer.",
    "Agent: Online banking is unavailable from 00:30 to 04:00 on Sunday.",
    "Customer: I got a text saying a payee was added at 02:13, that wasn't me.",
    "Agent: The Club account pays 3% on balances up to £5,000.",
    "Customer: I'm on Universal Credit, paid on the 8th of the month, about £850.",
    "Agent: Your Lifetime ISA bonus is 25%, up to £1,000 a year.",
    "Customer: Our joint account statement for Q1 2024 shows 14 direct debits.",
    "Agent: The trace shows it left us at 15:42 on 02/04/2024.",
    "Customer: I'm 72 and I don't use the app, can I still get paper statements?",
    "Agent: It's the 3D Secure check, you approve it in the app within 5 minutes.",
    "Customer: The delivery said it would be 3 to 5 working days.",
    "Agent: We'll send the replacement card to the address we hold for you.",
    "Customer: I had a call from 0345 300 0000 saying it was the fraud team.",
    "Customer: My Visa card ending 4821, expiry 09/27, was declined at 14:35.",
    "Agent: Your last four digits are 9083, and the transaction ID ends 55A.",
    "Customer: I paid £1,000 on 1 April and £1,000 on 1 May.",
    # dotted dates and times, versions, handles: not phones, cards or emails.
    "Customer: It was on 01.02.2024 at 10.30 in the morning.",
    "Customer: The letter dated 12.03.2024 10.15 said the payment failed.",
    "Agent: Version 10.2.3.4 of the app fixes the login loop.",
    "Customer: I messaged @VoiceLoopBank and @VoiceLoopHelp on Twitter about it.",
    "Customer: The offer was 2 @ £5, but I was charged £12.",
    "Agent: The reference 2024.03.12.0042 is on the letter.",
]


def case_id(case: tuple[object, ...]) -> str:
    return f"{case[0]}:{case[1]}"


def variants(value: str) -> list[str]:
    """The value as written and, for numbers, its bare digits."""
    out = [value]
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 6:
        out.append(digits)
    return out


# ---------------------------------------------------------------------------------------------
# the golden set itself is right
# ---------------------------------------------------------------------------------------------


def test_golden_values_are_what_they_claim() -> None:
    for kind, value, _ in VALID:
        if kind == "CARD":
            assert luhn_ok(value), value
        if kind == "IBAN":
            assert iban_ok(value), value
    for kind, value, _ in INVALID:
        if kind == "CARD":
            assert not luhn_ok(value), value
        if kind == "IBAN":
            assert not iban_ok(value) or len(re.sub(r"\s", "", value)) != 22, value


# ---------------------------------------------------------------------------------------------
# zero misses, nothing left behind
# ---------------------------------------------------------------------------------------------


def test_zero_misses_on_structured_types(redactor: Redactor) -> None:
    parts = {
        "en": [(kind, value, sentence, ["Jane Smith"]) for kind, value, sentence in VALID],
        "zh": ZH_VALID,
        "ja": JA_VALID,
    }
    misses: dict[str, list[str]] = {lang: [] for lang in parts}
    for lang, cases in parts.items():
        per_type: dict[str, int] = {}
        for kind, value, sentence, names in cases:
            per_type[kind] = per_type.get(kind, 0) + 1
            out, counts = redactor.redact(sentence.format(v=value), names=names)
            if TOKENS[kind] not in out or counts.get(kind, 0) < 1 or value in out:
                misses[lang].append(f"{lang} {kind} {value!r} -> {out!r}")
        summary = ", ".join(f"{k} {n}" for k, n in sorted(per_type.items()))
        print(
            f"\nredaction golden set ({lang}): {len(cases)} valid values ({summary}), "
            f"{len(misses[lang])} missed"
        )
    per_language = ", ".join(f"{lang} {len(found)}" for lang, found in misses.items())
    lines = [line for found in misses.values() for line in found]
    assert not lines, f"misses per language: {per_language}\n" + "\n".join(lines)


@pytest.mark.parametrize("case", VALID, ids=case_id)
def test_valid_value_is_replaced_by_its_token(redactor: Redactor, case: tuple[str, ...]) -> None:
    kind, value, sentence = case
    out, counts = redactor.redact(sentence.format(v=value))
    assert TOKENS[kind] in out
    assert counts.get(kind) == 1
    for original in variants(value):
        assert original not in out
        assert original.lower() not in out.lower()
    # counts add up to the tokens in the text
    assert sum(counts.values()) == sum(out.count(token) for token in TOKENS.values())


@pytest.mark.parametrize("case", INVALID, ids=case_id)
def test_invalid_value_is_not_labelled_as_that_type(
    redactor: Redactor, case: tuple[str, ...]
) -> None:
    kind, value, sentence = case
    out, counts = redactor.redact(sentence.format(v=value))
    assert TOKENS[kind] not in out
    assert kind not in counts


@pytest.mark.parametrize("case", NAMES, ids=lambda c: f"{c[0][0]}:{c[1]}")
def test_names_from_the_row_are_replaced(
    redactor: Redactor, case: tuple[list[str], str, str]
) -> None:
    names, value, sentence = case
    out, counts = redactor.redact(sentence, names=names)
    assert value not in out
    assert redaction_names._fold(value)[0] not in redaction_names._fold(out)[0]
    assert "[NAME]" in out
    assert counts["NAME"] >= 1


@pytest.mark.parametrize("case", NAME_OFFSETS, ids=lambda c: c[1])
def test_names_spelled_differently_keep_the_offsets(
    redactor: Redactor, case: tuple[list[str], str, str]
) -> None:
    names, sentence, expected = case
    assert redactor.redact(sentence, names=names)[0] == expected


@pytest.mark.parametrize("case", NAME_NON_MATCHES, ids=lambda c: c[0][0])
def test_name_parts_that_are_words_or_too_short_stay(
    redactor: Redactor, case: tuple[list[str], str]
) -> None:
    names, sentence = case
    assert redactor.redact(sentence, names=names) == (sentence, {})


def test_one_name_given_as_a_plain_string(redactor: Redactor) -> None:
    assert redactor.redact("Thanks Jane.", "Jane Smith") == ("Thanks [NAME].", {"NAME": 1})


def test_no_names_means_names_stay(redactor: Redactor) -> None:
    assert redactor.redact("Thanks Jane.") == ("Thanks Jane.", {})


# ---------------------------------------------------------------------------------------------
# a whole transcript
# ---------------------------------------------------------------------------------------------

TRANSCRIPT = [
    "Agent: Good morning, card services, you're speaking to Priya. Who am I speaking with?",
    "Customer: Hi, it's Jane Smith. I was charged £1,234.56 twice on 12/03/2024.",
    "Agent: Sorry to hear that Jane. Can I take your sort code and account number please?",
    "Customer: Sure, it's",
    "Customer: 20-12-05 and then 31926819.",
    "Agent: Thank you. And the long number on the card?",
    "Customer: 4111 1111 1111 1111, the one ending 1111.",
    "Agent: Let me check. I've raised a dispute, case 4471, it takes 3 to 5 working days.",
    "Customer: Can you text me on 07700 900123 or email jane.smith@example.co.uk?",
    "Customer: Oh, and I've moved, the new postcode is M1 1AE.",
    "Agent: Done. Anything else, Mrs Smith?",
    "Customer: No, thanks Priya.",
]

TRANSCRIPT_REDACTED = [
    "Agent: Good morning, card services, you're speaking to Priya. Who am I speaking with?",
    "Customer: Hi, it's [NAME]. I was charged £1,234.56 twice on 12/03/2024.",
    "Agent: Sorry to hear that [NAME]. Can I take your sort code and account number please?",
    "Customer: Sure, it's",
    # "20-12-05" reads like a date: the agent's question two turns up is its context.
    "Customer: [SORT_CODE] and then [ACCOUNT_NUMBER].",
    "Agent: Thank you. And the long number on the card?",
    "Customer: [CARD], the one ending 1111.",
    "Agent: Let me check. I've raised a dispute, case 4471, it takes 3 to 5 working days.",
    "Customer: Can you text me on [PHONE] or email [EMAIL]?",
    "Customer: Oh, and I've moved, the new postcode is [POSTCODE].",
    "Agent: Done. Anything else, Mrs [NAME]?",
    "Customer: No, thanks Priya.",
]


def test_a_transcript_redacted_turn_by_turn_in_one_call(redactor: Redactor) -> None:
    turns, counts = redactor.redact_turns(TRANSCRIPT, names=["Jane Smith"])
    assert turns == TRANSCRIPT_REDACTED
    assert counts == {
        "ACCOUNT_NUMBER": 1,
        "CARD": 1,
        "EMAIL": 1,
        "NAME": 3,
        "PHONE": 1,
        "POSTCODE": 1,
        "SORT_CODE": 1,
    }


def test_context_from_the_previous_turn_needs_one_call(redactor: Redactor) -> None:
    """The agent's question is the only context for a bare account number: redacting turn
    by turn misses it, ``redact_turns`` (one call over the transcript) does not."""
    turns = ["What's the account number, please?", "It's 31926819."]
    assert redactor.redact(turns[1]) == ("It's 31926819.", {})
    assert redactor.redact_turns(turns) == (
        ["What's the account number, please?", "It's [ACCOUNT_NUMBER]."],
        {"ACCOUNT_NUMBER": 1},
    )


def test_redact_turns_edge_cases(redactor: Redactor) -> None:
    assert redactor.redact_turns([]) == ([], {})
    assert redactor.redact_turns(["", "a\nb", "x\x1fy"]) == (["", "a\nb", "x y"], {})


def test_text_without_pii_comes_back_unchanged(redactor: Redactor) -> None:
    for text in ["", "ok", "\n\n", "Thanks, bye!"]:
        assert redactor.redact(text, names=["Jane Smith"]) == (text, {})


# ---------------------------------------------------------------------------------------------
# false positives
# ---------------------------------------------------------------------------------------------


def test_false_positive_rate_on_clean_sentences(redactor: Redactor) -> None:
    assert len(CLEAN) >= 60
    changed = []
    for sentence in CLEAN:
        out, counts = redactor.redact(sentence, names=["Jane Smith"])
        if out != sentence or counts:
            changed.append(f"{sentence!r} -> {out!r}")
    rate = len(changed) / len(CLEAN)
    print(
        f"\nredaction false-positive rate: {rate:.1%} "
        f"({len(changed)} of {len(CLEAN)} clean sentences changed)"
    )
    for line in changed:
        print("  false positive:", line)
    assert rate < 0.05


def test_false_positive_rate_on_banking77(redactor: Redactor) -> None:
    """BANKING77 (CC BY 4.0, shared/data/banking77): 13,083 real online-banking customer
    queries with no personal data in them, so any change is a false positive."""
    if not BANKING77.is_dir():
        raise FileNotFoundError(
            f"BANKING77 not found at {BANKING77}: the shared data folder must sit beside the "
            "clone (../shared/data)"
        )
    texts = [
        row["text"]
        for split in ("train", "test")
        for row in csv.DictReader((BANKING77 / f"{split}.csv").open(encoding="utf-8"))
    ]
    changed = [t for t in texts if redactor.redact(t)[1]]
    with_digits = sum(1 for t in texts if re.search(r"\d", t))
    rate = len(changed) / len(texts)
    print(
        f"\nredaction false-positive rate on BANKING77: {rate:.2%} "
        f"({len(changed)} of {len(texts)} queries changed; {with_digits} contain digits)"
    )
    assert rate < 0.05


# ---------------------------------------------------------------------------------------------
# pre-filters and windowing never change what is found
# ---------------------------------------------------------------------------------------------


def fuzz_texts(seed: int, count: int) -> Iterator[str]:
    rng = random.Random(seed)
    # Digits, separators, letters and context words that the recognizers care about.
    pieces = [
        *"0 07 +44 44 1 2 3 4 5 6 7 8 9 12 34 56 4111 1111 - \u2013 ( ) . , / : @ £".split(),  # noqa: SIM905
        *"a b GB gb WEST AB C SW1A 1AA M1 x.y example.com account postcode".split(),  # noqa: SIM905
        *"localhost corp.internal _ ' + é".split(),  # noqa: SIM905
        " ",
        " ",
        "sort code",
        "\n",
    ]
    for _ in range(count):
        yield "".join(rng.choice(pieces) for _ in range(rng.randint(5, 40)))


def test_prefilters_never_cause_a_miss(redactor: Redactor) -> None:
    texts = [s.format(v=v) for _, v, s in VALID + INVALID] + CLEAN + ["\n".join(TRANSCRIPT)]
    texts += list(fuzz_texts(seed=7, count=3000))
    for text in texts:
        assert redactor._find(text, ()) == redactor._find(text, (), prefilter=False), text


def test_email_windowing_matches_the_whole_text_scan() -> None:
    texts = [s.format(v=v) for k, v, s in VALID if k == "EMAIL"] + CLEAN
    texts += [t for t in fuzz_texts(seed=11, count=3000) if "@" in t]
    for text in texts:
        windowed = sorted(redaction_patterns._find_emails(text))
        whole = sorted(m.span() for m in redaction_patterns._EMAIL.finditer(text))
        assert windowed == whole, text


# ---------------------------------------------------------------------------------------------
# process-wide, thread-safe, offline, silent
# ---------------------------------------------------------------------------------------------


def test_get_redactor_is_one_instance_across_threads(redactor: Redactor) -> None:
    seen: list[Redactor] = []
    results: list[tuple[list[str], dict[str, int]]] = []
    expected = redactor.redact_turns(TRANSCRIPT, names=["Jane Smith"])

    def work() -> None:
        r = get_redactor()
        seen.append(r)
        for _ in range(20):
            results.append(r.redact_turns(TRANSCRIPT, names=["Jane Smith"]))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r is redactor for r in seen)
    assert all(r == expected for r in results)


def test_nothing_is_fetched_over_the_network() -> None:
    """Import, build and use the redactor in a fresh interpreter where every socket connect
    and name lookup is refused and recorded: none may be attempted, and nothing may hang."""
    script = textwrap.dedent(
        """
        import socket
        attempts = []
        def refuse(*args, **kwargs):
            attempts.append(args[:1])
            raise OSError("network disabled in this test")
        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from foundation.redaction import Redactor
        r = Redactor()
        out, counts = r.redact("mail jane.smith@example.co.uk or a@b.example.museum")
        assert counts == {"EMAIL": 2}, (out, counts)
        print("network attempts:", len(attempts))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "network attempts: 0" in proc.stdout, proc.stdout + proc.stderr[-2000:]


def test_importing_the_module_is_cheap() -> None:
    """Presidio (spaCy, PyTorch: seconds) is imported when the first Redactor is built, not
    when a module that may redact is imported."""
    script = textwrap.dedent(
        """
        import sys
        import foundation.redaction
        heavy = [m for m in ("presidio_analyzer", "spacy", "torch", "regex") if m in sys.modules]
        print("heavy modules:", heavy)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "heavy modules: []" in proc.stdout, proc.stdout


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_the_text_is_never_logged(redactor: Redactor) -> None:
    handler = _Collect()
    loggers = [
        logging.getLogger(),
        *(logging.getLogger(n) for n in logging.root.manager.loggerDict),
    ]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    logging.getLogger().addHandler(handler)
    for name in ("presidio-analyzer", "presidio-anonymizer"):
        logging.getLogger(name).addHandler(handler)
    try:
        for kind, value, sentence in VALID + INVALID:
            redactor.redact(sentence.format(v=value), names=["Jane Smith"])
        redactor.redact_turns(TRANSCRIPT, names=["Jane Smith"])
    finally:
        logging.getLogger().removeHandler(handler)
        for name in ("presidio-analyzer", "presidio-anonymizer"):
            logging.getLogger(name).removeHandler(handler)
        for lg, level in saved:
            lg.setLevel(level)
    logged = "\n".join(handler.lines)
    for _, value, _ in VALID + INVALID:
        for original in variants(value):
            assert original not in logged
    assert "Jane" not in logged
