"""The demo bank's Shanghai and Tokyo teams, which serve its Mandarin- and Japanese-speaking
customers: their leaders and agents (display names in Chinese and Japanese script, ASCII
emails), the language their contacts are in, and the agent-code prefix of each. Every name is
made up. ``demo.loader`` creates them after the three English teams, so those keep their users,
agent codes and generator positions.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Centre:
    team: str
    department: str
    lang: str  # the language of its contacts and most of its ideas (demo.contacts_cjk.LANGS)
    code: str  # agent codes are code + 001, 002, ...; interaction ids INT-<code>-000001
    leader: tuple[str, str]  # (display name, email)
    agents: tuple[tuple[str, str], ...]


def _staff(*people: str) -> tuple[tuple[str, str], ...]:
    """ "李娜 na.li" -> (("李娜", "na.li@northbank.test"),)."""
    return tuple((name, f"{local}@northbank.test") for name, local in (p.split() for p in people))


CENTRES = (
    Centre(
        "Shanghai",
        "International banking (Mandarin)",
        "zh",
        "SH",
        ("陈静", "lead.shanghai@northbank.test"),
        _staff("李娜 na.li", "张伟 wei.zhang", "刘洋 yang.liu", "赵敏 min.zhao", "孙浩 hao.sun"),
    ),
    Centre(
        "Tokyo",
        "International banking (Japanese)",
        "ja",
        "TK",
        ("佐藤美咲", "lead.tokyo@northbank.test"),
        _staff(
            "高橋健太 kenta.takahashi",
            "鈴木陽子 yoko.suzuki",
            "田中翔 sho.tanaka",
            "伊藤さくら sakura.ito",
            "渡辺大輔 daisuke.watanabe",
        ),
    ),
)
