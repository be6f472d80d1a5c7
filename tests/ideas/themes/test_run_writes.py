"""How a run is written: only the members that changed, what nobody sees staged first (pending
themes, similarities), and each theme's summary (trend and teams) counted at write time so the
theme list never reads the members. Same BANKING77 documents as ``test_themes``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from foundation.clock import as_utc, utcnow
from foundation.ids import pk
from ideas.submissions.models import Category, Idea, idea_text
from ideas.themes import area_runs, clustering, member_writes, run_staging
from ideas.themes import documents as theme_documents
from ideas.themes import queries as theme_queries
from ideas.themes import runs as theme_runs
from ideas.themes import service as theme_service
from ideas.themes import summary as theme_summary
from ideas.themes.documents import Document
from ideas.themes.models import DocumentKind, Theme, ThemeMember, ThemeState
from tests.ideas.themes import test_areas, test_themes
from tests.ideas.themes.test_themes import MODEL, Docs, active, membership, run

corpus_docs = test_themes.corpus_docs  # the session-wide fixtures of embedded documents
area_docs = test_areas.area_docs


def rows_by_key(db: Session) -> dict[str, tuple[int, int]]:
    """Document key -> (member row id, theme id)."""
    return {m_key(m): (pk(m), m.theme_id) for m in db.exec(select(ThemeMember))}


def m_key(member: ThemeMember) -> str:
    return f"{member.kind.value}:{member.source_id}"


def fit(data: Docs) -> clustering.ClusterResult:
    return clustering.ThemeClusterer().fit(
        [d.key for d in data.docs], [d.text for d in data.docs], data.vectors
    )


def test_a_rerun_rewrites_only_the_members_that_changed(db: Session, corpus_docs: Docs) -> None:
    run(db, corpus_docs)
    before = rows_by_key(db)
    run(db, corpus_docs)
    assert rows_by_key(db) == before  # same rows, same ids: nothing deleted and inserted again

    kept = list(range(20, len(corpus_docs.docs)))
    run(db, corpus_docs.subset(kept))
    after = rows_by_key(db)
    gone = {d.key for d in corpus_docs.docs[:20]}
    assert not gone & set(after)
    stayed = [k for k in after if before.get(k, (0, 0))[1] == after[k][1]]
    assert len(stayed) > 0.8 * len(after)
    assert all(after[k][0] == before[k][0] for k in stayed)  # updated in place


def stage(db: Session, data: Docs) -> tuple[clustering.ClusterResult, dict[int, int], int]:
    """What the job commits before the run: pending themes, their members, similarities."""
    theme_documents.store_vectors(db, data.docs, data.vectors, MODEL)
    result = fit(data)
    stored = member_writes.stored_members(db)
    plan = theme_runs.plan_run(db, data.docs, data.vectors, result, stored)
    staged = run_staging.stage_new_themes(db, plan, result)
    rows = run_staging.staged_rows(plan, staged, data.docs, data.vectors, stored)
    member_writes.insert_members(db, rows)
    member_writes.set_similarities(
        db, run_staging.similarity_updates(plan, data.docs, data.vectors, stored)
    )
    db.flush()
    return result, staged, len(rows)


def visible(db: Session) -> dict[int, tuple[int, int]]:
    """Active theme id -> (size, members counted)."""
    counts = {pk(t): 0 for t in active(db)}
    for theme_id in db.exec(select(ThemeMember.theme_id)):
        if theme_id in counts:
            counts[theme_id] += 1
    return {pk_: (db.get_one(Theme, pk_).size, n) for pk_, n in counts.items()}


def test_staged_writes_stay_invisible_until_the_run_is_applied(
    db: Session, corpus_docs: Docs
) -> None:
    result, staged, inserted = stage(db, corpus_docs)
    assert active(db) == [] and inserted > 0.8 * len(corpus_docs.docs)
    pending = db.exec(select(Theme).where(Theme.state == ThemeState.pending)).all()
    assert {t.id for t in pending} == set(staged.values())
    staged_rows = rows_by_key(db)

    theme_runs.apply_run(db, corpus_docs.docs, corpus_docs.vectors, result, staged=staged)
    assert {t.id for t in active(db)} == set(staged.values())
    assert all(rows_by_key(db)[k] == v for k, v in staged_rows.items())  # not written again
    assert not db.exec(select(Theme).where(Theme.state == ThemeState.pending)).all()

    # A re-run with a quarter of the documents gone: staged writes leave what is seen alone.
    shown, members = visible(db), membership(db)
    assert all(size == n for size, n in shown.values())
    kept = corpus_docs.subset([i for i in range(len(corpus_docs.docs)) if i % 4])
    result, staged, _ = stage(db, kept)
    assert visible(db) == shown and membership(db) == members
    theme_runs.apply_run(db, kept.docs, kept.vectors, result, staged=staged)
    assert all(size == n for size, n in visible(db).values())
    assert set(membership(db)) <= {d.key for d in kept.docs}


def test_a_run_that_never_finished_leaves_nothing_behind(db: Session, corpus_docs: Docs) -> None:
    run(db, corpus_docs)
    before, shown = membership(db), visible(db)
    stage(db, corpus_docs.subset(list(range(0, len(corpus_docs.docs), 2))))  # then it died
    assert membership(db) == before and visible(db) == shown
    run(db, corpus_docs)  # the next run removes the dead attempt's pending themes
    assert not db.exec(select(Theme).where(Theme.state == ThemeState.pending)).all()
    assert len(db.exec(select(ThemeMember)).all()) == sum(t.size for t in active(db))


def test_summaries_give_the_trend_the_members_give(db: Session, corpus_docs: Docs) -> None:
    run(db, corpus_docs)
    ids = [t.id for t in active(db) if t.id is not None]
    assert all(theme_summary.current(db.get_one(Theme, i)) for i in ids)
    where = col(ThemeMember.theme_id).in_(ids)
    counted = theme_queries._weekly(db, ThemeMember.theme_id, where, ids, 12, None)
    assert theme_queries.weekly_counts(db, ids) == counted

    # A document joining keeps the summary current; a stale one is counted from the members.
    theme = db.get_one(Theme, ids[0])
    doc = Document(DocumentKind.idea, 999_999, "x", utcnow() - timedelta(days=1))
    db.add(
        ThemeMember(theme_id=ids[0], kind=doc.kind, source_id=doc.id, occurred_at=doc.occurred_at)
    )
    theme_summary.joined(theme, doc)
    theme.size += 1
    assert theme_summary.current(theme) is not None
    assert theme_queries.weekly_counts(db, [ids[0]])[ids[0]][-1] == counted[ids[0]][-1] + 1
    theme.size += 1  # changed without the summary: stale, so the members are counted
    assert theme_summary.current(theme) is None
    assert theme_queries.weekly_counts(db, [ids[0]])[ids[0]][-1] == counted[ids[0]][-1] + 1


def test_a_summary_counts_days_teams_and_distinct_agents() -> None:
    now = utcnow()
    docs = [
        Document(DocumentKind.gap, 1, "a", now, team_id=7, agent_id=1),
        Document(DocumentKind.gap, 2, "b", now, team_id=7, agent_id=1),
        Document(DocumentKind.gap, 3, "c", now - timedelta(days=8), team_id=7, agent_id=2),
        Document(DocumentKind.gap, 4, "d", now, team_id=9, agent_id=3),
        Document(DocumentKind.idea, 5, "e", now - timedelta(days=400)),  # before "since"
    ]
    summary = theme_summary.summarise(docs)
    assert summary["size"] == 5 and sum(summary["days"]) == 4
    assert summary["teams"] == {
        "7": {"evidence": 3, "agents": [1, 2]},
        "9": {"evidence": 1, "agents": [3]},
    }
    start = theme_queries.start_day(2)
    assert theme_summary.weekly(summary, start, 2) == [1, 3]
    assert theme_summary.weekly(summary, start - timedelta(days=365), 2) is None  # too far back
    theme = Theme(name="t", auto_label="t", size=5, summary=summary)
    theme_summary.joined(theme, Document(DocumentKind.gap, 6, "f", now, team_id=9, agent_id=4))
    assert theme.summary and theme.summary["teams"]["9"] == {"evidence": 2, "agents": [3, 4]}
    theme.size = 6
    theme_summary.joined(theme, Document(DocumentKind.gap, 7, "g", now, team_id=9))
    assert theme.summary and theme.summary["teams"] is None  # who handled it is not known
    # Without agents (a merge rebuilds from stored members) the teams are not known either.
    assert (
        theme_summary.summarise([Document(DocumentKind.gap, 1, "a", now, team_id=7)])["teams"]
        is None
    )


def test_joining_and_leaving_keep_the_summary(db: Session, corpus_docs: Docs) -> None:
    run(db, corpus_docs)
    members = membership(db)
    idea = next(d for d in corpus_docs.docs if d.kind == DocumentKind.idea and d.key in members)
    theme = db.get_one(Theme, members[idea.key])
    before = theme_queries.weekly_counts(db, [pk(theme)])[pk(theme)]
    theme_service.leave(db, idea.kind, idea.id)
    assert theme_summary.current(theme) is not None  # uncounted, not made stale
    after = theme_queries.weekly_counts(db, [pk(theme)])[pk(theme)]
    assert sum(after) == sum(before) - 1

    i = corpus_docs.docs.index(idea)
    assert theme_service.join(db, idea, corpus_docs.vectors[i]) is not None
    assert theme_summary.current(theme) is not None
    assert theme_queries.weekly_counts(db, [pk(theme)])[pk(theme)] == before


def test_a_run_reads_each_visible_idea_as_idea_text_makes_it(db: Session) -> None:
    category = Category(name="Run documents")
    db.add(category)
    db.flush()
    idea = Idea(
        title="Cards arrive late", body="Customers wait two weeks.", category_id=pk(category)
    )
    hidden = Idea(title="Hidden", body="", category_id=pk(category), hidden_reason="spam")
    db.add_all([idea, hidden])
    db.flush()
    docs = {d.id: d for d in theme_documents.idea_documents(db)}
    assert pk(hidden) not in docs
    assert docs[pk(idea)].text == idea_text(idea) and docs[pk(idea)].language == "en"
    assert as_utc(docs[pk(idea)].occurred_at) == as_utc(idea.created_at)


def test_area_names_worked_out_before_the_write_are_the_ones_the_run_gives(
    db: Session, area_docs: Docs, monkeypatch: pytest.MonkeyPatch
) -> None:
    theme_documents.store_vectors(db, area_docs.docs, area_docs.vectors, MODEL)
    result = fit(area_docs)
    stored = member_writes.stored_members(db)
    plan = theme_runs.plan_run(db, area_docs.docs, area_docs.vectors, result, stored)
    staged = run_staging.stage_new_themes(db, plan, result)
    rows = run_staging.staged_rows(plan, staged, area_docs.docs, area_docs.vectors, stored)
    member_writes.insert_members(db, rows)
    names = run_staging.area_names(plan, staged, area_docs.docs, area_docs.vectors)
    assert len(names) >= 2

    calls: list[object] = []

    def labelled(groups: object) -> list[object]:
        calls.append(groups)
        return []

    monkeypatch.setattr(area_runs, "member_labels", labelled)
    run = theme_runs.apply_run(
        db, area_docs.docs, area_docs.vectors, result, staged=staged, area_names=names
    )
    assert run.themes and not calls  # the write transaction named no area itself
    themes = theme_queries.list_themes(db)
    found = {
        frozenset(pk(t) for t in themes if t.area_id == area.id): area
        for area in area_runs.active_areas(db)
    }
    assert set(found) == set(names)
    for ids, labels in names.items():  # a new area keeps its largest theme's name, so not "name"
        shown = found[ids].labels
        assert {lang: {**v, "name": ""} for lang, v in shown.items()} == {
            lang: {**v, "name": ""} for lang, v in labels.items()
        }
