"""Validating HTML forms with the same pydantic models the JSON API uses."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from foundation.errors import DomainError
from foundation.form_messages import field_message

M = TypeVar("M", bound=BaseModel)


class FormErrors(Exception):
    """Raised with per-field messages; the route re-renders its form with them (422)."""

    def __init__(self, errors: dict[str, str], values: dict[str, Any]) -> None:
        self.errors = errors
        self.values = values
        super().__init__(errors)


async def posted_form(request: Request) -> FormData:
    """The submitted form, parsed before the route runs. Routes are plain functions, run in the
    thread pool: database work (which may wait for SQLite's write lock) and embedding must never
    block the event loop that serves everyone else."""
    await request.body()  # kept, so reading it again (``api.deps.whole_body``) is no error
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


def form_values(form: FormData) -> dict[str, Any]:
    return {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}


def validate(model: type[M], values: dict[str, Any]) -> M:
    # An empty field is an absent one: optional fields take their default, required ones
    # say "This field is required."
    cleaned = {k: v for k, v in values.items() if v != ""}
    try:
        return model.model_validate(cleaned)
    except ValidationError as exc:
        raise FormErrors(_messages(exc), values) from exc


def _messages(exc: ValidationError) -> dict[str, str]:
    """Per field, the first problem in the current locale (forms are validated in the request)."""
    errors: dict[str, str] = {}
    for err in exc.errors():
        field = str(err["loc"][0]) if err["loc"] else "form"
        errors.setdefault(field, field_message(err))
    return errors


def from_domain(exc: DomainError, values: dict[str, Any]) -> FormErrors:
    return FormErrors({exc.field or "form": exc.translated()}, values)
