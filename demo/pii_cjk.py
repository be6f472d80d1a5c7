"""Synthetic PII for the Chinese and Japanese demo contacts (``demo.contacts_cjk``): names in the
language's script, phone numbers of the three countries, cards, emails, UK bank details and
postcodes, and ID numbers that pass their checksums, about one number in six in full-width
characters. Everything is invented; UK mobiles are in Ofcom's drama range (07700 900xxx) and
emails on example domains.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from demo.interactions import luhn_complete
from demo.lang import Lang, Named
from demo.script import INWARD_LETTERS, OUTWARD_CODES

# PII kinds a row can carry ("phone" is one of the language's PHONES), and how often each is
# picked in a PII row; how many rows carry any is the English PII_RATE.
PII_WEIGHTS = {
    "name": 5,
    "phone": 4.5,
    "card": 2.5,
    "email": 2.5,
    "bank_account": 1,
    "postcode": 1,
    "id_number": 1,
}
WIDE_SHARE = 0.16  # numbers written in full-width characters
_WIDE = {ord(ch): ord(ch) + 0xFEE0 for ch in "0123456789+-()"} | {ord(" "): 0x3000}
_CN_MOBILE = (
    *("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153"),
    *("155", "156", "158", "159", "166", "177", "180", "186", "187", "188", "189", "199"),
)
_CN_AREAS = ("110105", "110108", "310101", "310104", "310115", "320102", "330106", "440106")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def wide(text: str) -> str:
    """``text`` with its digits, ``+ - ( )`` and spaces in full-width forms."""
    return text.translate(_WIDE)


def cn_id_check(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of a Chinese resident ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


def my_number_check(first11: str) -> str:
    """The check digit of a Japanese My Number (individual number)."""
    total = sum(int(d) * (n + 1 if n <= 6 else n - 5) for n, d in enumerate(reversed(first11), 1))
    remainder = total % 11
    return "0" if remainder <= 1 else str(11 - remainder)


def _digits(rng: random.Random, k: int) -> str:
    return str(rng.randrange(10**k)).zfill(k)


@dataclass(frozen=True, slots=True)
class Person:
    family: Named
    given: Named
    honorific: str
    spaced: bool

    @property
    def said(self) -> str:  # how the customer says it: no space
        return self.family[0] + self.given[0]

    @property
    def column(self) -> str:  # how the contact-centre system holds it
        return f"{self.family[0]} {self.given[0]}" if self.spaced else self.said

    @property
    def polite(self) -> str:
        return self.family[0] + self.honorific


def person(rng: random.Random, lang: Lang) -> Person:
    names = lang.names
    female = rng.random() < 0.5
    honorific = names.honorific_f if female else names.honorific_m
    if names.kana and rng.random() < names.kana_share:
        family, given = rng.choice(names.kana)
    else:
        family = rng.choice(names.family)
        given = rng.choice(names.given_f if female else names.given_m)
    return Person(family, given, honorific, rng.random() < names.spaced)


class Pii:
    """Synthetic PII for one row; every value handed out is kept in ``values``."""

    def __init__(self, rng: random.Random, lang: Lang, person: Person) -> None:
        self.rng, self.lang, self.person = rng, lang, person
        self.values: list[str] = []

    def keep(self, value: str, *, widen: bool = True) -> str:
        if widen and self.rng.random() < WIDE_SHARE:
            value = wide(value)
        self.values.append(value)
        return value

    def phone(self) -> tuple[str, str]:
        """(kind, number): the kind picks the customer's sentence."""
        kinds, weights = zip(*self.lang.phones, strict=True)
        kind = self.rng.choices(kinds, weights)[0]
        return kind, self.keep(getattr(self, "_" + kind)())

    def _cn_mobile(self) -> str:
        rng = self.rng
        number = rng.choice(_CN_MOBILE) + _digits(rng, 8)
        spaced = f"{number[:3]} {number[3:7]} {number[7:]}"
        return rng.choice(
            (spaced, spaced, number, f"+86 {spaced}", f"+86 {number}", spaced.replace(" ", "-"))
        )

    def _cn_landline(self) -> str:
        rng = self.rng
        area, first = rng.choice((("021", "56"), ("021", "6"), ("010", "68"), ("010", "8")))
        local = rng.choice(first) + _digits(rng, 7)
        return rng.choice(
            (f"{area}-{local}", f"{area}-{local[:4]} {local[4:]}", f"({area}){local}")
        )

    def _jp_mobile(self) -> str:
        rng = self.rng
        head, a, b = rng.choice(("090", "080", "070")), _digits(rng, 4), _digits(rng, 4)
        return rng.choice(
            (f"{head}-{a}-{b}", f"{head}-{a}-{b}", f"{head}{a}{b}", f"+81 {head[1:]}-{a}-{b}")
        )

    def _jp_landline(self) -> str:
        rng = self.rng
        area = rng.choice(("03", "03", "06", "045", "052"))  # ten digits in all, area included
        middle = f"{rng.randint(2, 9)}{_digits(rng, 5 - len(area))}"
        return f"{area}-{middle}-{_digits(rng, 4)}"

    def _uk_mobile(self) -> str:
        rest = f"900{_digits(self.rng, 3)}"  # Ofcom's drama range: 07700 900000-900999
        return self.rng.choice((f"07700 {rest}", f"07700{rest}", f"+44 7700 {rest}"))

    def card(self) -> str:
        rng = self.rng
        prefix = rng.choice(("4", "4", "5" + str(rng.randint(1, 5))))
        number = luhn_complete(prefix + _digits(rng, 15 - len(prefix)))
        grouped = " ".join(number[i : i + 4] for i in range(0, 16, 4))
        return self.keep(rng.choice((grouped, number, grouped.replace(" ", "-"))))

    def email(self) -> str:
        rng, (_, fam), (_, given) = self.rng, self.person.family, self.person.given
        local = rng.choice(
            (f"{given}.{fam}", f"{fam}{given}{rng.randint(1, 99)}", f"{fam}.{given}")
        )
        return self.keep(f"{local}@{rng.choice(self.lang.email_domains)}", widen=False)

    def bank_account(self) -> tuple[str, str]:
        rng = self.rng
        sort_code = "-".join(f"{rng.randint(0, 99):02d}" for _ in range(3))
        return self.keep(sort_code, widen=False), self.keep(_digits(rng, 8), widen=False)

    def postcode(self) -> str:
        rng = self.rng
        code = f"{rng.choice(OUTWARD_CODES)} {rng.randint(1, 9)}"
        return self.keep(
            code + rng.choice(INWARD_LETTERS) + rng.choice(INWARD_LETTERS), widen=False
        )

    def id_number(self) -> str:
        rng = self.rng
        if self.lang.code == "zh":
            born = f"{rng.randint(1955, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            first17 = rng.choice(_CN_AREAS) + born + _digits(rng, 3)
            return self.keep(first17 + cn_id_check(first17), widen=False)
        first11 = str(rng.randint(1, 9)) + _digits(rng, 10)
        number = first11 + my_number_check(first11)
        return self.keep(rng.choice((number, f"{number[:4]} {number[4:8]} {number[8:]}")))
