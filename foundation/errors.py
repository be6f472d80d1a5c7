"""Domain errors carry their HTTP status; ``api`` turns them into a page, fragment or JSON.

A message is English, marked for extraction with ``N_`` where it is raised; values go in
``params`` (``%(name)s`` placeholders), so translators can reorder them. ``message`` is the
English text (logs, the JSON API); ``translated()`` is what a page or toast shows, in the
current locale.
"""

from __future__ import annotations

from collections.abc import Mapping

from foundation.i18n import N_, gettext


class DomainError(Exception):
    status_code = 400
    title = N_("Something is wrong with that request")

    def __init__(
        self,
        message: str | None = None,
        *,
        field: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        self.template = message or self.title
        self.params = dict(params or {})
        self.field = field
        self.message = _fill(self.template, self.params)
        super().__init__(self.message)

    def translated(self) -> str:
        """The message in the current locale (read at render time, in the request's locale)."""
        return _fill(gettext(self.template), self.params)


def _fill(template: str, params: Mapping[str, object]) -> str:
    # Without params the text is used as it is, so a literal "%" needs no escaping.
    return template % params if params else template


class NotFound(DomainError):
    status_code = 404
    title = N_("Not found")


class Forbidden(DomainError):
    status_code = 403
    title = N_("You do not have access to this")


class NotAuthenticated(DomainError):
    status_code = 401
    title = N_("Please sign in")


class Conflict(DomainError):
    status_code = 409
    title = N_("That conflicts with what is already there")


class Invalid(DomainError):
    status_code = 422
    title = N_("Please check the highlighted fields")


class TooManyRequests(DomainError):
    status_code = 429
    title = N_("Too many attempts")
