"""Areas above themes: the pure grouping (deterministic, order-invariant, in range), and areas
over the real database and pipeline (identity across runs, merges and splits, too few themes).

The database tests cluster BANKING77 queries from 24 intents in six families (cards, top-ups,
transfers, cash, exchange, security), half filed as ideas and half as gap evidence.
"""

from __future__ import annotations

import csv
import random
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import normalized_mutual_info_score
from sqlmodel import Session, select

from foundation.accounts import Role
from foundation.clock import utcnow
from foundation.embeddings import Embedder
from foundation.ids import pk
from ideas.themes import area_runs, areas
from ideas.themes import documents as theme_documents
from ideas.themes import queries as theme_queries
from ideas.themes import service as theme_service
from ideas.themes.models import AreaState, DocumentKind, Theme, ThemeArea, ThemeState
from tests.ideas.themes.test_themes import Docs, FakeCorpus, run

BANKING77 = Path(__file__).resolve().parents[4] / "shared" / "data" / "banking77" / "test.csv"
FAMILIES = {
    "cards": ("card_arrival", "card_delivery_estimate", "activate_my_card", "card_not_working"),
    "top_up": ("pending_top_up", "top_up_failed", "top_up_limits", "automatic_top_up"),
    "transfer": ("transfer_timing", "pending_transfer", "declined_transfer", "failed_transfer"),
    "cash": ("atm_support", "declined_cash_withdrawal", "cash_withdrawal_charge", "card_swallowed"),
    "exchange": ("exchange_rate", "exchange_charge", "exchange_via_app", "fiat_currency_support"),
    "security": ("passcode_forgotten", "change_pin", "pin_blocked", "lost_or_stolen_phone"),
}
MODEL = "test-model"


# ------------------------------------------------------------------------- the pure grouping
def planted(n_areas: int = 6, per_area: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Theme centroids around ``n_areas`` well-separated directions, and each theme's area."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((n_areas, 32))
    truth = np.repeat(np.arange(n_areas), per_area)
    x = centres[truth] + 0.15 * rng.standard_normal((len(truth), 32))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32), truth


def test_grouping_finds_planted_areas_in_range_numbered_by_size() -> None:
    x, truth = planted()
    sizes = 20 + np.arange(len(x)) % 7  # no area above ``MAX_SHARE``
    found = areas.group(x, sizes)
    assert normalized_mutual_info_score(truth, found) == pytest.approx(1.0)
    assert found.max() + 1 in areas.area_range(len(x))
    totals = [sizes[found == a].sum() for a in range(found.max() + 1)]
    assert totals == sorted(totals, reverse=True)


def test_grouping_is_deterministic_and_order_invariant() -> None:
    x, _ = planted(seed=3)
    sizes = np.random.default_rng(1).integers(15, 200, len(x))
    found = areas.group(x, sizes)
    assert np.array_equal(areas.group(x, sizes), found)
    for seed in range(3):
        perm = np.random.default_rng(seed).permutation(len(x))
        assert np.array_equal(areas.group(x[perm], sizes[perm]), found[perm])


def test_no_area_holds_more_than_a_quarter_when_a_cut_allows(monkeypatch) -> None:
    """Two neighbouring subjects would make the best silhouette as one area of a third of the
    members; the cap keeps them apart."""
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((6, 32))
    centres[1] = centres[0] + 0.3 * rng.standard_normal(32)
    truth = np.repeat(np.arange(6), 5)
    x = centres[truth] + 0.15 * rng.standard_normal((30, 32))
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    sizes = np.full(30, 10)
    found = areas.group(x, sizes)
    assert found.max() + 1 == 6
    assert np.bincount(found).max() * 10 / sizes.sum() <= areas.MAX_SHARE
    monkeypatch.setattr(areas, "MAX_SHARE", 1.0)
    assert areas.group(x, sizes).max() + 1 == 5  # without the cap the two are lumped


def test_few_themes_have_no_areas_and_many_at_most_fifteen() -> None:
    x, _ = planted(n_areas=3, per_area=2)
    assert (areas.group(x, np.ones(len(x))) == areas.NO_AREA).all()
    many, _ = planted(n_areas=30, per_area=4)
    found = areas.group(many, np.ones(len(many)))
    assert areas.MIN_AREAS <= found.max() + 1 <= areas.MAX_AREAS
    with pytest.raises(ValueError):
        areas.group(x, np.ones(len(x) + 1))


def test_two_areas_never_share_a_name() -> None:
    def theme(theme_id: int, size: int, name: str) -> Theme:
        labels = {"en": {"name": name, "keywords": [], "count": size}}
        return Theme(id=theme_id, name=name, auto_label=name, size=size, labels=labels)

    groups = [
        [theme(1, 50, "Card payment pending")],
        [theme(2, 9, "Card declined"), theme(3, 30, "Card payment refused")],
    ]
    same = {"en": {"name": "Card payment", "keywords": ["card"], "count": 1}}
    named = area_runs._distinct(groups, [same, same])
    assert [n["en"]["name"] for n in named] == ["Card payment", "Card payment refused"]
    assert same["en"]["name"] == "Card payment"  # the input is not changed
    taken = [theme(4, 5, "Card payment")]  # no other name to take: the name stays
    assert area_runs._distinct([taken, taken], [same, same])[1]["en"]["name"] == "Card payment"


# ------------------------------------------------------------------- areas in the database
@pytest.fixture(scope="session")
def area_docs(embedder: Embedder) -> Docs:
    intents = {intent for family in FAMILIES.values() for intent in family}
    with BANKING77.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["category"] in intents]
    now = utcnow()
    docs = [
        theme_documents.Document(
            DocumentKind.idea if i % 2 else DocumentKind.gap,
            20_000 + i,
            row["text"].strip(),
            now - timedelta(days=i % 80),
        )
        for i, row in enumerate(rows)
    ]
    return Docs(docs, embedder.encode([d.text for d in docs]), [r["category"] for r in rows])


def area_of_themes(db: Session) -> dict[int, int | None]:
    return {pk(t): t.area_id for t in theme_queries.list_themes(db)}


def active_areas(db: Session) -> list[ThemeArea]:
    return list(db.exec(select(ThemeArea).where(ThemeArea.state == AreaState.active)))


def assert_sane(db: Session) -> None:
    """Every active theme in an active area, every active area holding a theme."""
    placed = area_of_themes(db)
    live = {pk(a) for a in active_areas(db)}
    assert set(placed.values()) == live
    outside = db.exec(select(Theme).where(Theme.state != ThemeState.active)).all()
    assert all(t.area_id is None for t in outside)


def test_a_run_groups_its_themes_into_named_areas(db: Session, area_docs: Docs) -> None:
    run(db, area_docs)
    found = active_areas(db)
    themes = theme_queries.list_themes(db)
    assert len(found) in areas.area_range(len(themes))
    assert_sane(db)
    for area in found:
        assert area.name and area.name != area_runs.UNNAMED and area.keywords
        assert area.labels["en"]["count"] > 0 and area.centroid
    ordered = area_runs.active_areas(db)
    sizes = [sum(t.size for t in themes if t.area_id == a.id) for a in ordered]
    assert sizes == sorted(sizes, reverse=True) and len(ordered) == len(found)
    trend = area_runs.weekly_counts(db, [pk(ordered[0])])[pk(ordered[0])]
    assert len(trend) == 12 and 0 < sum(trend) <= sizes[0]


def test_areas_keep_their_identity_across_runs(db: Session, area_docs: Docs) -> None:
    n = len(area_docs.docs)
    held_back = set(random.Random(5).sample(range(n), n // 10))
    run(db, area_docs.subset([i for i in range(n) if i not in held_back]))
    before = {pk(a): a.name for a in active_areas(db)}
    themes_before = area_of_themes(db)

    run(db, area_docs)
    after = {pk(a): a.name for a in active_areas(db)}
    assert len(before.keys() & after.keys()) / len(before) >= 0.8
    assert all(after[i] == name for i, name in before.items() if i in after)
    # A theme stays in its area, or goes into an area the run split off; it does not move to
    # another area that was there before (counted by members; a few may, between neighbours).
    after_areas = area_of_themes(db)
    sizes = {pk(t): t.size for t in theme_queries.list_themes(db)}
    moved = sum(
        sizes.get(t, 0)
        for t, a in themes_before.items()
        if after_areas.get(t) not in (a, None) and after_areas.get(t) in before
    )
    assert moved / sum(sizes.get(t, 0) for t in themes_before) <= 0.1
    assert_sane(db)

    again = {pk(a) for a in active_areas(db)}
    run(db, area_docs)
    assert {pk(a) for a in active_areas(db)} == again  # same input: nothing moves
    assert area_of_themes(db) == after_areas


def test_merge_and_split_keep_areas_sane(db: Session, area_docs: Docs, make) -> None:
    lead = make.user(Role.cx_lead)
    run(db, area_docs)
    themes = theme_queries.list_themes(db)
    target, area = themes[0], themes[0].area_id
    source = next(t for t in themes[1:] if t.area_id != area)
    corpus = FakeCorpus(area_docs)
    theme_service.merge(db, source, target, lead, corpus)
    assert target.area_id == area is not None  # a merge keeps the target's area
    parts = theme_service.split(db, target, lead, corpus, parts=2)
    assert [p.area_id for p in parts] == [area, area]  # the parts inherit it

    kept = area_runs.assign_areas(db)  # grouping again without a run, as after an edit
    assert_sane(db)
    assert {pk(a) for a in kept} == {pk(a) for a in active_areas(db)}
    assert all(p.area_id is not None for p in parts)
    assert sum(a.id == area for a in kept) == 1  # the area itself lives on
    run(db, area_docs)
    assert_sane(db)


def test_too_few_themes_fade_the_areas(db: Session, area_docs: Docs) -> None:
    run(db, area_docs)
    assert active_areas(db)
    few = [d for d in area_docs.docs if d.text and d.id % 7 == 0][:40]
    keep = [i for i, d in enumerate(area_docs.docs) if d in few]
    run(db, area_docs.subset(keep))
    assert len(theme_queries.list_themes(db)) < areas.MIN_THEMES
    assert active_areas(db) == []
    assert all(t.area_id is None for t in db.exec(select(Theme)))  # the page lists themes
