"""What the browser tests share: the demo logins of each role, signing in through the real form,
the time a job may take, and the record of what the browser reported (``PageErrors``; the
``page_errors`` fixture in ``tests/browser/conftest.py`` hands one to each test)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from playwright.sync_api import Page

from demo.loader import DEMO_PASSWORD
from foundation.accounts import Role

# (role, demo login, display name): one of each role from `voiceloop demo`.
ACCOUNTS = {
    Role.admin: ("admin@northbank.test", "Amira Admin"),
    Role.cx_lead: ("cx.lead@northbank.test", "Charlotte Reid"),
    Role.team_lead: ("lead.thames@northbank.test", "Marcus Webb"),
    Role.staff: ("aisha.khan@northbank.test", "Aisha Khan"),
}
JOB_TIMEOUT_MS = 60_000


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real form, starting from /login."""
    page.goto("/login")
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@dataclass
class PageErrors:
    """Problems the browser reported, and the few a test says it expects."""

    problems: list[str] = field(default_factory=list)
    _allowed: list[tuple[re.Pattern[str], re.Pattern[str] | None]] = field(default_factory=list)

    def allow(self, text: str, url: str | None = None) -> None:
        """Expect console errors matching regex ``text`` (and, if given, location ``url``)."""
        self._allowed.append((re.compile(text), re.compile(url) if url else None))

    def record(self, kind: str, text: str, url: str = "") -> None:
        csp = "content security policy" in text.lower()
        if not csp:  # a CSP violation is never expected
            for text_re, url_re in self._allowed:
                if text_re.search(text) and (url_re is None or url_re.search(url)):
                    return
        label = "CSP violation" if csp else kind
        self.problems.append(f"[{label}] {text}" + (f"  (at {url})" if url else ""))
