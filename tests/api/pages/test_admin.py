"""The admin page builders: user and team lists, and the forms with their choices, values,
errors and a user's API tokens."""

from __future__ import annotations

from api.pages import admin as pages
from foundation.accounts import Role


def test_the_lists(db, make):
    team = make.team()
    leader = make.user(Role.team_lead, team)
    users = pages.users_page(db)
    assert leader.id in [u.id for u in users.users] and users.teams[team.id] is team
    teams = pages.teams_page(db)
    assert team.id in [t.id for t in teams.teams] and teams.users[leader.id] is leader
    assert team.id is not None and teams.sizes.get(team.id) == 1


def test_the_new_user_form_and_its_choices(db, make):
    team = make.team()
    leader = make.user(Role.team_lead, team)
    make.user(Role.team_lead, team, is_active=False)  # not offered as a leader
    form = pages.new_user_form(db)
    assert form.values == {"role": "staff"} and form.errors == {}
    assert form.edited is None and form.tokens == [] and form.now is None
    assert form.role_options == [(r.value, r.label) for r in Role]
    assert (team.id, team.name) in form.team_options
    assert [i for i, _ in form.leader_options] == [leader.id]
    refused = pages.new_user_form(db, {}, {"email": "Taken."})
    assert refused.values == {} and refused.errors == {"email": "Taken."}


def test_a_users_form_has_their_tokens(db, make):
    user = make.user(Role.staff, make.team())
    form = pages.user_form(db, user)
    assert form.edited is not None and form.edited.id == user.id
    assert form.values["email"] == user.email
    assert "password_hash" not in form.values
    assert form.tokens == [] and form.now is not None
    assert form.revoke_base == f"/admin/users/{user.id}/tokens"
    refused = pages.user_form(db, user, {"email": "x"}, {"email": "Not an address."})
    assert refused.values == {"email": "x"} and refused.errors == {"email": "Not an address."}


def test_team_forms(db, make):
    team = make.team()
    blank = pages.team_form(db)
    assert blank.edited is None and blank.values == {} and blank.errors == {}
    edit = pages.team_form(db, team)
    assert edit.edited is not None and edit.edited.id == team.id
    assert edit.values["name"] == team.name
    refused = pages.team_form(db, team, {"name": ""}, {"name": "Give a name."})
    assert refused.values == {"name": ""} and refused.errors == {"name": "Give a name."}
