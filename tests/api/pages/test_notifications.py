"""The notifications page builder: a person's own notifications, newest first."""

from __future__ import annotations

from api.pages import notifications as pages
from foundation.accounts import Role
from ideas.submissions import notifications as idea_notifications
from tests.support.ideas import make_idea


def test_the_page_holds_only_the_viewers_notifications(db, make, settings):
    author, other = make.user(Role.staff), make.user(Role.staff)
    idea, _ = make_idea(db, author)
    assert pages.notifications_page(db, author).notifications == []
    idea_notifications.notify_followers(db, idea, "Your idea was answered")
    page = pages.notifications_page(db, author)
    assert [n.message for n in page.notifications] == ["Your idea was answered"]
    assert page.notifications[0].idea_id == idea.id
    assert pages.notifications_page(db, other).notifications == []
