"""Every page each role can reach by following links from its home page, on the demo data: it
answers 200, has a language, a title and one main heading, and every control on it has an
accessible name (a label, aria-label or aria-labelledby), every image an alt text. The page
fixture fails the test on any console error or CSP violation along the way."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Page

from foundation.accounts import Role
from tests.support.browser import ACCOUNTS, sign_in

pytestmark = pytest.mark.browser

# Per route shape ("/themes/{id}"), the most distinct URLs visited: enough to see each page
# with different data without walking every idea of the demo.
PER_SHAPE = 2
MAX_PAGES = 60
# Not pages: downloads, the API, static files; and an open from search, which counts a reuse.
SKIP = re.compile(r"\.csv(\?|$)|^/api/|^/static/|^/logout|[?&]from=search")

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


def crawl(page: Page, origin: str) -> dict[str, list[str]]:
    """Breadth-first from "/", PER_SHAPE URLs per route shape; the problems found per URL."""
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
        if found:
            problems[target] = found
        queue.extend(same_site_links(page, origin))
    assert len(seen) > 5, f"the crawl reached only {sorted(seen)}"
    return problems


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_reachable_page_is_accessible(page: Page, live_server: str, role: Role) -> None:
    sign_in(page, ACCOUNTS[role][0])
    page.wait_for_url(f"{live_server}/")
    problems = crawl(page, live_server)
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems.items())
