"""Schemathesis over the whole OpenAPI document, in-process, on its own fresh database:
no 5xx, only documented status codes and content types, bodies matching their schemas."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.core.config import Settings
from app.core.db import Database, make_engine
from app.core.migrate import upgrade
from app.main import create_app
from app.services.demo import load_demo
from tests.dbutil import ENGINES, fresh_database

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module", params=ENGINES)
def api_schema(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[schemathesis.BaseSchema]:
    with fresh_database(request.param, tmp_path_factory.mktemp("fuzz")) as url:
        upgrade(url)
        database = Database(make_engine(url))
        with database.session(write=True) as session, session.begin():
            load_demo(session)  # real rows, so detail routes and filters have something to find
        app = create_app(
            Settings(
                environment="test",
                database_url=url,
                log_level="CRITICAL",
                log_json=False,
                rate_limits_enabled=False,  # the fuzzer is one very busy client
            ),
            database=database,
        )
        yield schemathesis.openapi.from_asgi("/openapi.json", app)
        database.dispose()


# Schemathesis' pytest plugin does not collect on pytest 9, so operations are driven here.
@pytest.mark.slow
def test_api_conforms_to_its_openapi_document(api_schema: schemathesis.BaseSchema) -> None:
    failures: list[str] = []
    operations = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if operation.path == "/v1/changes/stream":
            continue  # endless by design (an event stream); tests/test_stream.py covers it
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=CHECKS)

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {str(exc)[:2000]}")
    assert operations >= 15
    assert not failures, "\n\n".join(failures)


def test_fuzz_module_uses_a_database_of_its_own(tmp_path: Path) -> None:
    # The fuzzer commits; it must never share the rolled-back per-test database.
    with fresh_database("sqlite", tmp_path) as url:
        assert url.endswith(".db")
        assert str(tmp_path) in url
