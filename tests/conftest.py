import pytest
from django.core.cache import cache

from journey.services import append_stop
from tests.factories import JourneyFactory, RouteFactory, StopFactory


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
