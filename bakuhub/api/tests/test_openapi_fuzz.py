"""The API keeps its OpenAPI promise under generated input: for every operation, anonymous and with a secretariat
token, schemathesis sends cases derived from the document (valid ones and ones breaking it). No answer may be a
server error, and every answer must be declared: its status, its content type and its body's schema.

The run is bounded (a few cases per operation) and derandomised, so it is the same run on every machine."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bakuhub.accounts.services import api_token_create
from bakuhub.working_groups.tests.factories import DecisionFactory

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = {GenerationMode.POSITIVE: 4, GenerationMode.NEGATIVE: 3}


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the database connection around each request; in a test that would close the test's
    transaction (PostgreSQL). Django's own test client disconnects the same signals."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(
    keep_connection, secretariat, chad_membership, guinea_bissau_membership, iom, undp, memo, tcd, meeting, chad_project
):
    """A little of everything, so the generated small ids and the seeded codes reach real records."""
    DecisionFactory(working_group=tcd, meeting=meeting)


def _schema() -> Any:
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def _fuzz(headers: dict[str, str]) -> list[str]:
    failures: list[str] = []
    for result in _schema().get_all_operations():
        operation = result.ok()
        for mode, examples in EXAMPLES.items():

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=examples,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def run(case: Any) -> None:
                response = case.call(headers=headers)
                try:
                    case.validate_response(response, checks=CHECKS)
                except (AssertionError, BaseExceptionGroup) as exc:  # collected and reported below, never swallowed
                    failures.append(
                        f"{case.method} {case.operation.path} [{case.meta.generation.mode if case.meta else ''}] "
                        f"→ {response.status_code}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}\n"
                        f"    sent {case.method} {case.formatted_path} query={case.query} body={case.body!r:.200}\n"
                        f"    got {response.text[:300]}"
                    )

            try:
                run()
            except Unsatisfiable:  # no case of this mode exists (e.g. nothing in the operation can be negated)
                continue
    return failures


def test_the_api_keeps_its_openapi_promise_to_anonymous_callers(seeded):
    failures = _fuzz({})
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)


def test_the_api_keeps_its_openapi_promise_to_the_secretariat(seeded, secretariat):
    _, raw = api_token_create(actor=secretariat, name="fuzz")
    failures = _fuzz({"Authorization": f"Bearer {raw}"})
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
