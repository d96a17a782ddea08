import os

import pytest
from django.core.cache import cache
from django.db import connection

from journey.services import append_stop
from tests.factories import JourneyFactory, RouteFactory, StopFactory

#: What a test marked ``needs_<service>`` needs, and how to get it.
SERVICES = {
    "needs_postgresql": (
        lambda: connection.vendor == "postgresql",
        "needs PostgreSQL: install postgresql and run with "
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/caravana (CI does)",
    ),
    "needs_redis": (
        lambda: bool(os.environ.get("REDIS_URL")),
        "needs Redis: install redis-server and run with REDIS_URL=redis://127.0.0.1:6379/1 "
        "(CI does)",
    ),
    "needs_sqlite": (
        lambda: connection.vendor == "sqlite",
        "needs SQLite: a state only SQLite can store (run without DATABASE_URL; CI does)",
    ),
}
#: The variable each CI pass sets to say the tests needing that service run in the other pass.
OTHER_PASS = {
    "needs_postgresql": "CARAVANA_SERVICES_IN_OTHER_PASS",
    "needs_redis": "CARAVANA_SERVICES_IN_OTHER_PASS",
    "needs_sqlite": "CARAVANA_SQLITE_IN_OTHER_PASS",
}


def pytest_collection_modifyitems(config, items):
    """Tests that need a service this run lacks skip, naming what to install. CI runs the
    suite twice, and its pass without the services sets CARAVANA_SERVICES_IN_OTHER_PASS=1:
    there those tests are deselected, since the pass with PostgreSQL and Redis runs them."""
    keep, dropped = [], []
    for item in items:
        missing = [
            (marker, reason)
            for marker, (available, reason) in SERVICES.items()
            if item.get_closest_marker(marker) and not available()
        ]
        elsewhere = missing and all(
            os.environ.get(OTHER_PASS[marker]) == "1" for marker, _reason in missing
        )
        if elsewhere:
            dropped.append(item)
            continue
        for _marker, reason in missing:
            item.add_marker(pytest.mark.skip(reason=reason))
        keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and cached exports live in the cache: every test starts empty.

    (Row ids repeat between tests, so a feed cached by one test could answer the next.)
    """
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def journey(db):
    return JourneyFactory(
        slug="tps-journey", name="TPS Journey", home_timezone="America/Los_Angeles"
    )


@pytest.fixture
def route(journey):
    return RouteFactory(journey=journey, name="Main")


@pytest.fixture
def add_stop():
    """Create a stop at a known city and put it at the end of a route."""

    def _add(route, city, arrival, departure, **fields):
        stop = StopFactory(
            journey=route.journey, city=city, arrival=arrival, departure=departure, **fields
        )
        append_stop(route=route, stop=stop)
        return stop

    return _add
