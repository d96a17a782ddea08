"""Property-based fuzzing of the whole API from its own OpenAPI schema (schemathesis, in-process).

Every operation of the schema gets generated requests, sent through the WSGI application
as journey A's coordinator, who may do everything there. Path parameters point at real
rows of the two-journey world, so the calls reach the serializers and the models'
validation instead of stopping at a 404. Each call runs in a savepoint that is rolled
back, so a DELETE does not starve the calls after it.

Checks: no 5xx, every status is documented, every response matches its schema. Examples
per operation are bounded by CARAVANA_FUZZ_EXAMPLES (default 10) to keep CI fast.

The schema is the one /api/schema/ serves (the same generator), built when the tests
are collected. (schemathesis' fixture-based loader does not run on pytest 9.)
"""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

FUZZ_EXAMPLES = int(os.environ.get("CARAVANA_FUZZ_EXAMPLES", "10"))


def load_schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    config = SchemathesisConfig.from_dict(
        {
            "generation": {"mode": "positive", "max-examples": FUZZ_EXAMPLES},
            "phases": {
                "examples": {"enabled": False},
                "coverage": {"enabled": False},
                "stateful": {"enabled": False},
            },
            "warnings": False,
        }
    )
    loaded = schemathesis.openapi.from_dict(
        json.loads(OpenApiJsonRenderer().render(document)), config=config
    )
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema()


def row_ids(world) -> dict[str, int]:
    """The row each resource's ``{id}`` points at, by the path segment before it."""
    return {
        "routes": world.route.pk,
        "stops": world.stops["phoenix"].pk,
        "activities": world.activities["public"].pk,
        "legs": world.leg.pk,
        "lodgings": world.lodgings["phoenix"].pk,
        "vehicles": world.bus.pk,
        "participants": world.rider.pk,
        "seats": world.seats["rider"].pk,
        "beds": world.beds["rider"].pk,
        "hosts": world.pending_host.pk,
    }


@pytest.fixture(autouse=True)
def connection_kept_across_requests():
    """Requests go straight to the WSGI app, not through Django's test client, so do what
    the test client does: keep Django from closing the test's connection after each request
    (on PostgreSQL it would close the connection that holds the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def aim(case, world) -> None:
    """Point the generated path parameters at journey A and its rows."""
    path = case.path_parameters
    for name in ("slug", "journey_slug"):
        if name in path:
            path[name] = world.a.slug
    if "identifier" in path:
        path["identifier"] = "ics-calendar"
    if "id" in path:
        resource = case.operation.path.split("/{id}")[0].rsplit("/", 1)[-1]
        path["id"] = str(row_ids(world)[resource])
    if case.operation.path.endswith("/plan/") and case.method.upper() == "GET":
        # The planner searches for its whole time limit: keep fuzzing it quick.
        case.query = {**(case.query or {}), "time_limit": 1}


@schema.parametrize()
@hypothesis_settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_the_api_answers_every_generated_request_within_its_schema(case, world, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    aim(case, world)
    token = world.tokens["coordinator"]
    with transaction.atomic():
        savepoint = transaction.savepoint()
        try:
            case.call_and_validate(
                headers={"Authorization": f"Token {token}"},
                checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
            )
        finally:
            transaction.savepoint_rollback(savepoint)
