"""schemathesis against the JSON API's OpenAPI schema, as each role.

Every operation of ``/api/v1/openapi.json`` gets generated requests, valid and invalid, sent
through the real app (rolled-back database, real middleware) with a read-write bearer token of
an agent, a team leader, a CX lead and an admin; then schemathesis's boundary cases as the admin.
A test fails on any 5xx, any status code the operation does not declare, or a response that
violates its declared schema, content type or headers. Bounded: a few random examples an
operation and role, so the file stays around a minute on two cores.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.models import ALL_SCOPES
from api.security import create_api_token
from foundation.accounts import Role
from ideas.submissions.models import Category
from tests.support.harness import make_settings

EXAMPLES = 5
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def _spec() -> dict[str, Any]:
    """The schema the app serves (the same document as ``/api/v1/openapi.json``)."""
    return create_app(make_settings(Path(tempfile.gettempdir()), "sqlite://")).openapi()


SPEC = _spec()
# Each role: valid requests (what a script of that person would send), a few an operation.
as_roles = schemathesis.openapi.from_dict(
    SPEC, config=schemathesis.Config.from_dict({"generation": {"mode": "positive"}})
)
# As the admin: the coverage cases, valid and invalid (edges, wrong types, missing and extra
# fields, odd bodies), but not every unexpected method on every path.
at_the_edges = schemathesis.openapi.from_dict(
    SPEC, config=schemathesis.Config.from_dict({"phases": {"coverage": {"unexpected-methods": []}}})
)


def _bearer(make, db, role: Role) -> dict[str, str]:
    """A read-write token of a person with ``role``, in a team."""
    user = make.user(role, make.team())
    _, secret = create_api_token(db, user, "schemathesis", scopes=ALL_SCOPES)
    db.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def bearers(make, db) -> dict[Role, dict[str, str]]:
    """Read-write tokens of an agent, a team leader, a CX lead and an admin; a category to file
    ideas under."""
    db.add(Category(name="General"))
    return {role: _bearer(make, db, role) for role in Role}


def send(client, case, headers: dict[str, str]):
    """Send a case through the test client (httpx), from the requests-style kwargs schemathesis
    prepares: bodies go as the exact bytes it generated."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=headers)
    body = kwargs.pop("data", None)
    if "json" in kwargs:
        body = json.dumps(kwargs.pop("json")).encode()
    files = kwargs.pop("files", None)
    kwargs.pop("auth", None)
    return client.request(
        kwargs.pop("method"),
        kwargs.pop("url"),
        params=kwargs.pop("params", None),
        headers=kwargs.pop("headers", None),
        **({"cookies": kwargs.pop("cookies")} if kwargs.get("cookies") else {}),
        **({"content": body} if isinstance(body, bytes | str) else {"data": body}),
        **({"files": files} if files else {}),
        follow_redirects=False,
    )


@as_roles.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_role_gets_answers_the_schema_declares(case, client, bearers):
    """Random valid requests, each sent as each role."""
    for role, headers in bearers.items():
        try:
            case.validate_response(send(client, case, headers), checks=CHECKS, headers=headers)
        except Exception as exc:
            exc.add_note(f"Sent as: {role.label}")
            raise


@at_the_edges.parametrize()
@settings(deadline=None, phases=[Phase.explicit], suppress_health_check=list(HealthCheck))
def test_boundary_cases_get_answers_the_schema_declares(case, client, bearers):
    """schemathesis's coverage cases (each field's edges, wrong types, missing and extra values),
    as the admin, whom every operation admits."""
    headers = bearers[Role.admin]
    case.validate_response(send(client, case, headers), checks=CHECKS, headers=headers)
