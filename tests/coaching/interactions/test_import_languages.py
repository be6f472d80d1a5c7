"""Importing Chinese and Japanese interactions: the language and the signals are stored, end
to end through the real job handler."""

from __future__ import annotations

from sqlmodel import Session, select

from coaching.interactions.models import Interaction, Signal, SignalKind
from jobs.models import JobStatus
from jobs.service import run_import_now
from tests.support.coaching import key, row, write_csv

ROWS = {
    "INT-00001": ("en", "Customer: My card is blocked.\nAgent: I'm not sure, let me check."),
    "INT-00002": (
        "zh",
        "Customer: 我丈夫上个月去世了，我想关掉他的账户。\nAgent: 我不确定，问一下我的主管。",
    ),
    "INT-00003": (
        "ja",
        "Customer: 先月会社をクビになって、ローンの相談です。\nAgent：担当部署に転送します。",
    ),
    "INT-00004": ("zh", "Customer：我想查一下余额。\nAgent：好的，您的余额是五百元。"),
    "INT-00005": (
        "ja",
        "Customer: 何度も電話しているのに、まだ解決していません。\nAgent: 申し訳ございません。",
    ),
}
EXPECTED = {
    "INT-00001": {SignalKind.uncertainty},
    "INT-00002": {SignalKind.uncertainty, SignalKind.escalation, SignalKind.missed_vulnerability},
    "INT-00003": {SignalKind.transfer, SignalKind.missed_vulnerability},
    "INT-00004": set(),
    "INT-00005": {SignalKind.negative_sentiment},
}


def test_import_stores_language_and_signals_of_chinese_and_japanese_rows(
    import_engine, import_settings, tmp_path
):
    rows = [
        row(n, interaction_id=external, transcript=transcript)
        for n, (external, (_, transcript)) in enumerate(ROWS.items(), start=1)
    ]
    job = run_import_now(import_engine, import_settings, write_csv(tmp_path / "cjk.csv", rows))
    assert job.status == JobStatus.succeeded, job.error
    with Session(import_engine) as session:
        for external, (language, _) in ROWS.items():
            interaction = session.exec(
                select(Interaction).where(Interaction.external_id == key(import_settings, external))
            ).one()
            kinds = set(
                session.exec(select(Signal.kind).where(Signal.interaction_id == interaction.id))
            )
            assert (external, interaction.language) == (external, language)
            assert (external, kinds) == (external, EXPECTED[external])
