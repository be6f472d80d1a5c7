"""The app's route table, read once, for the tests that must cover every route."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import Mount

from api.access import EVERYONE, Access, Public
from api.app import create_app
from foundation.accounts import Role
from tests.support.harness import make_settings

# Routes FastAPI adds itself; the schema is public documentation.
FRAMEWORK_PUBLIC = {"/api/v1/openapi.json"}
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class RouteCase:
    method: str
    path: str
    roles: frozenset[Role] | None  # None: public, anonymous callers included

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"

    def url(self) -> str:
        # Unknown ids: the role rule must answer before any object is looked up.
        return re.sub(r"\{[^}]+\}", "999999", self.path)


def _rules(dependant: Dependant) -> list[Access | Public]:
    found: list[Access | Public] = []
    for dep in dependant.dependencies:
        if isinstance(dep.call, Access | Public):
            found.append(dep.call)
        found.extend(_rules(dep))
    return found


def route_cases() -> list[RouteCase]:
    app = create_app(make_settings(Path(tempfile.gettempdir()), "sqlite://"))
    cases = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            rules = _rules(route.dependant)
            if len(rules) != 1:
                raise AssertionError(
                    f"{context.path} must declare exactly one access rule, found {rules}"
                )
            rule = rules[0]
            roles = rule.roles if isinstance(rule, Access) else None
            assert context.path is not None  # an APIRoute always has one
            cases += [RouteCase(m, context.path, roles) for m in sorted(context.methods or ())]
        elif not isinstance(route, Mount) and context.path not in FRAMEWORK_PUBLIC:
            raise AssertionError(f"{context.path} has no access rule")
    return cases


ROUTES = route_cases()
assert ROUTES, "the route table is empty"
assert all(c.roles is None or c.roles <= EVERYONE for c in ROUTES)
