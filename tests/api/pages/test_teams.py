"""The team page builder: the team and its members."""

from __future__ import annotations

import pytest

from api.pages import teams as pages
from foundation.accounts import Role
from foundation.errors import NotFound


def test_a_team_and_its_members(db, make):
    team, other = make.team(), make.team()
    leader, agent = make.user(Role.team_lead, team), make.user(Role.staff, team)
    make.user(Role.staff, other)
    page = pages.team_page(db, team.id)
    assert page.team.id == team.id
    assert {u.id for u in page.members} == {leader.id, agent.id}
    with pytest.raises(NotFound):
        pages.team_page(db, 10**9)
