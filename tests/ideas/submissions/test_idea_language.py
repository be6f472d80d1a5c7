"""The language of an idea (title and body) is stored when it is submitted."""

import pytest

from foundation.accounts import Role
from tests.support.ideas import make_idea


@pytest.mark.parametrize(
    ("title", "body", "language"),
    [
        ("Card replacement takes too long", "Customers wait five days for a card.", "en"),
        ("补卡时间太长", "客户要等五个工作日才能拿到新卡。", "zh"),
        (
            "カードの再発行に時間がかかりすぎる",
            "お客様は新しいカードを五営業日待っています。",
            "ja",
        ),
        ("Refund", "退款要等多久？客户一直打电话来问。", "zh"),  # the body outweighs the title
    ],
)
def test_submitted_idea_stores_its_language(db, make, title, body, language):
    user = make.user(Role.staff, make.team())
    idea, _ = make_idea(db, user, title, body=body)
    db.refresh(idea)
    assert idea.language == language
