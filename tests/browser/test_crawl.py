"""Every page each role can reach by following links from its home page, on the demo data, in
each interface language (the language cookie, as the sign-in page's switcher sets it): it
answers 200, is in that language (``<html lang>``), has a title and one main heading, and every
control on it has an accessible name (a label, aria-label or aria-labelledby), every image an alt
text. The page fixture fails the test on any console error or CSP violation along the way."""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Page, expect

from api.locale import COOKIE
from foundation.accounts import Role
from foundation.i18n import HTML_LANG
from tests.support.browser import ACCOUNTS, sign_in

pytestmark = pytest.mark.browser

# Per route shape ("/themes/{id}"), the most distinct URLs visited: enough to see each page
# with different data without walking every idea of the demo.
PER_SHAPE = 2
MAX_PAGES = 60
# Not pages: downloads, the API, static files; and an open from search, which counts a reuse.
SKIP = re.compile(r"\.(csv|pdf)(\?|$)|^/api/|^/static/|^/logout|[?&]from=search")

PROBLEMS_JS = """() => {
  const named = (el) => (el.labels && el.labels.length) || el.getAttribute('aria-label')
    || el.getAttribute('aria-labelledby');
  const quiet = new Set(['hidden', 'submit', 'button', 'reset', 'image']);
  const out = [];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (!quiet.has(el.type) && !named(el)) out.push('no label: ' + el.outerHTML.slice(0, 160));
  }
  for (const el of document.querySelectorAll('button, a[href]')) {
    const text = (el.innerText || el.textContent || '').trim();
    if (!text && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      out.push('no name: ' + el.outerHTML.slice(0, 160));
  }
  for (const el of document.querySelectorAll('img:not([alt])'))
    out.push('no alt: ' + el.outerHTML.slice(0, 160));
  if (!document.documentElement.lang) out.push('no lang on <html>');
  if (!document.title.trim()) out.push('no <title>');
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) out.push(h1 + ' <h1> elements');
  return out;
}"""


def shape(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/{id}", path)


def same_site_links(page: Page, origin: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    out = []
    for href in hrefs:
        url, _fragment = urldefrag(href)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIP.search(target):
            out.append(target)
    return out


def crawl(page: Page, origin: str, lang: str) -> dict[str, list[str]]:
    """Breadth-first from "/", PER_SHAPE URLs per route shape; the problems found per URL (each
    page must say it is in ``lang``)."""
    seen: set[str] = set()
    per_shape: dict[str, int] = {}
    queue = deque(["/"])
    problems: dict[str, list[str]] = {}
    while queue and len(seen) < MAX_PAGES:
        target = queue.popleft()
        key = shape(urlsplit(target).path)
        if target in seen or per_shape.get(key, 0) >= PER_SHAPE:
            continue
        seen.add(target)
        per_shape[key] = per_shape.get(key, 0) + 1
        status = (response := page.goto(target)) and response.status
        found = ([] if status == 200 else [f"status {status}"]) + page.evaluate(PROBLEMS_JS)
        if (shown := page.evaluate("document.documentElement.lang")) != lang:
            found.append(f"<html lang={shown!r}>, not {lang!r}")
        if found:
            problems[target] = found
        queue.extend(same_site_links(page, origin))
    assert len(seen) > 5, f"the crawl reached only {sorted(seen)}"
    return problems


# English for every role; each role once more in Chinese or Japanese, so both languages are
# crawled and every role's pages are seen in a CJK language (all 12 pairs cost minutes more).
CRAWLS = [(role, "en") for role in Role] + [
    (Role.staff, "zh_Hans"),
    (Role.cx_lead, "zh_Hans"),
    (Role.team_lead, "ja"),
    (Role.admin, "ja"),
]


@pytest.mark.parametrize(
    ("role", "locale"), CRAWLS, ids=[f"{role.value}-{locale}" for role, locale in CRAWLS]
)
def test_every_reachable_page_is_accessible(
    page: Page, live_server: str, role: Role, locale: str
) -> None:
    sign_in(page, ACCOUNTS[role][0])  # in English: the form is found by its English labels
    page.wait_for_url(f"{live_server}/")
    # From here on every request (htmx ones included) carries the language cookie. (Chromium
    # sends its own Accept-Language, whatever extra headers say; tests/api/i18n covers that.)
    page.context.add_cookies([{"name": COOKIE, "value": locale, "url": live_server}])
    problems = crawl(page, live_server, HTML_LANG[locale])
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems.items())


@pytest.mark.parametrize(
    ("locale", "first", "second"),
    [
        ("zh_Hans", "Noto Sans CJK SC", "Noto Sans CJK JP"),
        ("ja", "Noto Sans CJK JP", "Noto Sans CJK SC"),
    ],
)
def test_chinese_and_japanese_pages_pick_their_own_cjk_font(
    page: Page, live_server: str, locale: str, first: str, second: str
) -> None:
    """Han characters differ between Chinese and Japanese: each page lists its own CJK font
    first, after the Latin fonts (fonts-noto-cjk, from `make system-deps`)."""
    assert list(Path("/usr/share/fonts/opentype/noto").glob("NotoSansCJK-*")), (
        "install fonts-noto-cjk: `make system-deps`"
    )
    page.goto("/login")
    # The signed-out switcher, by keyboard-reachable controls with their labels.
    page.get_by_label("Language").select_option(locale)
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", HTML_LANG[locale])
    stack = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert first in stack and second in stack, stack
    assert stack.index("system-ui") < stack.index(first) < stack.index(second), stack
