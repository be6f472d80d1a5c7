"""Domain errors carry their HTTP status; ``api`` turns them into a page, fragment or JSON."""

from __future__ import annotations


class DomainError(Exception):
    status_code = 400
    title = "Something is wrong with that request"

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = message or self.title
        self.field = field
        super().__init__(self.message)


class NotFound(DomainError):
    status_code = 404
    title = "Not found"


class Forbidden(DomainError):
    status_code = 403
    title = "You do not have access to this"


class NotAuthenticated(DomainError):
    status_code = 401
    title = "Please sign in"


class Conflict(DomainError):
    status_code = 409
    title = "That conflicts with what is already there"


class Invalid(DomainError):
    status_code = 422
    title = "Please check the highlighted fields"


class TooManyRequests(DomainError):
    status_code = 429
    title = "Too many attempts"
