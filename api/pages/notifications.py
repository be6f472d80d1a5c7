"""The notifications page: a person's latest in-app notifications."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from foundation.accounts import User
from ideas.submissions import notifications as idea_notifications
from ideas.submissions.models import Notification


@dataclass(frozen=True)
class NotificationsPage:
    notifications: list[Notification]  # newest first


def notifications_page(session: Session, user: User) -> NotificationsPage:
    return NotificationsPage(notifications=idea_notifications.notifications(session, user))
