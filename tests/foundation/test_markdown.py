"""The safe markdown subset's links: http(s) addresses and paths on this site, nothing else."""

from __future__ import annotations

from foundation.markdown import render


def test_links_to_this_site_and_the_web_render_and_nothing_else_does():
    html = str(render("See [contact](/gaps/contacts/12) and [docs](https://example.org/a)."))
    assert '<a href="/gaps/contacts/12" rel="nofollow noopener noreferrer">contact</a>' in html
    assert '<a href="https://example.org/a"' in html
    for refused in ("[x](//evil.example/a)", "[x](/\\evil.example)", "[x](javascript:alert(1))"):
        assert "<a " not in str(render(refused)), refused
    assert "<script>" not in str(render("[<script>](/a)"))
