"""Shared fixtures for the web pages: one published journey with private values planted.

``trip`` is Los Angeles → Phoenix → Tucson (not public) → Houston (cancelled) → El Paso
in March 2027, with a bus, a rider who sleeps in two lodgings, a coordinator with a
phone, local contacts and activities public and private. ``SECRETS`` are the values that
must never reach a public page; tests search the HTML for each of them.
"""

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from journey.models import Leg
from stops.models import LocalContact
from tests.factories import (
    ActivityFactory,
    BedAssignmentFactory,
    JourneyFactory,
    LodgingFactory,
    ParticipantFactory,
    RouteFactory,
    SeatAssignmentFactory,
    UserFactory,
    VehicleFactory,
    local,
)
from tests.web import browser as browser_setup

PT, AZ = "America/Los_Angeles", "America/Phoenix"
MT, CT = "America/Denver", "America/Chicago"

# Values that only the team (and, for some, the rider) may see.
SECRETS = {
    "lodging address": "1 Secret Lodging Way",
    "lodging name": "Casa Hospitalidad",
    "second lodging address": "22 Hidden Avenue",
    "stop address": "845 N Alameda St",
    "rider display name": "Marisol",
    "rider full name": "Quintanilla",
    "rider phone": "555-0101",
    "coordinator name": "Coordinator Sam",
    "coordinator phone": "555-0199",
    "driver name": "Driver Dan",
    "vehicle plate": "PLATE-7XK",
    "stop private notes": "PRIVATE-STOP-NOTE",
    "private activity": "PRIVATE-MEETING",
    "activity private notes": "PRIVATE-ACTIVITY-NOTE",
    "non-public stop": "Tucson",
    "cancelled stop": "Houston",
    "legal contact on the leg": "Legal hotline 555-0177",
    "local contact": "El Paso Rapid Response",
}


@dataclass
class Trip:
    journey: object
    route: object
    la: object
    phoenix: object
    tucson: object
    houston: object
    el_paso: object
    rally: object
    private_meeting: object
    bus: object
    rider: object
    rider_user: object
    driver: object
    coordinator: object
    coordinator_user: object
    lodging_la: object
    lodging_phoenix: object


@pytest.fixture(autouse=True)
def _empty_cache():
    """The host form's rate limit lives in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coordinator_user(db):
    return UserFactory(username="coord", email="coord@example.org")


@pytest.fixture
def trip(db, add_stop, coordinator_user):
    journey = JourneyFactory(
        slug="caravan",
        name="Caravan for Justice",
        home_timezone=PT,
        is_published=True,
        description="From Los Angeles to El Paso.",
    )
    journey.coordinators.add(coordinator_user, UserFactory(username="no-mail", email=""))
    route = RouteFactory(journey=journey, name="Main", color="#b5179e")
    la = add_stop(
        route,
        "Los Angeles",
        local(PT, 2027, 3, 1, 12),
        local(PT, 2027, 3, 2, 8),
        venue="Placita Olvera",
        address=SECRETS["stop address"],
        private_notes=SECRETS["stop private notes"],
        public_notes="Bring water.",
    )
    phoenix = add_stop(
        route, "Phoenix", local(AZ, 2027, 3, 2, 16), local(AZ, 2027, 3, 3, 8), venue="Wesley Park"
    )
    tucson = add_stop(
        route,
        "Tucson",
        local(AZ, 2027, 3, 3, 10),
        local(AZ, 2027, 3, 3, 14),
        kind="meeting",
        is_public=False,
    )
    houston = add_stop(
        route, "Houston", local(CT, 2027, 3, 3, 15), local(CT, 2027, 3, 3, 16), status="cancelled"
    )
    el_paso = add_stop(
        route, "El Paso", local(MT, 2027, 3, 3, 20), local(MT, 2027, 3, 4, 9), venue="San Jacinto"
    )
    Leg.objects.filter(route=route).update(
        legal_contact_on_call=SECRETS["legal contact on the leg"]
    )
    rally = ActivityFactory(
        stop=la,
        kind="rally",
        title="Rally at City Hall",
        starts_at=local(PT, 2027, 3, 1, 14),
        ends_at=local(PT, 2027, 3, 1, 16),
        is_public=True,
        venue="City Hall",
    )
    private_meeting = ActivityFactory(
        stop=phoenix,
        kind="meeting",
        title=SECRETS["private activity"],
        starts_at=local(AZ, 2027, 3, 2, 18),
        ends_at=local(AZ, 2027, 3, 2, 19),
        is_public=False,
        private_notes=SECRETS["activity private notes"],
    )
    bus = VehicleFactory(journey=journey, route=route, name="Bus 1", plate=SECRETS["vehicle plate"])
    rider_user = UserFactory(username="marisol", email="marisol@example.org")
    rider = ParticipantFactory(
        journey=journey,
        route=route,
        user=rider_user,
        display_name=SECRETS["rider display name"],
        full_name="Marisol " + SECRETS["rider full name"],
        phone=SECRETS["rider phone"],
        language="es",
    )
    driver = ParticipantFactory(
        journey=journey, route=route, display_name=SECRETS["driver name"], role="driver"
    )
    coordinator = ParticipantFactory(
        journey=journey,
        display_name=SECRETS["coordinator name"],
        role="coordinator",
        phone=SECRETS["coordinator phone"],
        language="en",
    )
    for person in (rider, driver):
        SeatAssignmentFactory(
            participant=person,
            vehicle=bus,
            from_stop=la,
            to_stop=el_paso,
            is_driver=person is driver,
        )
    lodging_la = LodgingFactory(
        stop=la, name=SECRETS["lodging name"], address=SECRETS["lodging address"], capacity=5
    )
    lodging_phoenix = LodgingFactory(
        stop=phoenix,
        name="Phoenix Parish Hall",
        address=SECRETS["second lodging address"],
        capacity=5,
    )
    BedAssignmentFactory(participant=rider, lodging=lodging_la, night=la.nights[0])
    BedAssignmentFactory(participant=rider, lodging=lodging_phoenix, night=phoenix.nights[0])
    LocalContact.objects.create(
        stop=el_paso, kind="rapid_response", name=SECRETS["local contact"], phone="915-555-0100"
    )
    LocalContact.objects.create(
        stop=phoenix, kind="legal_aid", name="Arizona Legal Aid", phone="602-555-0123"
    )
    return Trip(
        journey=journey,
        route=route,
        la=la,
        phoenix=phoenix,
        tucson=tucson,
        houston=houston,
        el_paso=el_paso,
        rally=rally,
        private_meeting=private_meeting,
        bus=bus,
        rider=rider,
        rider_user=rider_user,
        driver=driver,
        coordinator=coordinator,
        coordinator_user=coordinator_user,
        lodging_la=lodging_la,
        lodging_phoenix=lodging_phoenix,
    )


# --- Browser tests (see tests/web/browser.py) ----------------------------------------------


@pytest.fixture(scope="module")
def browser(monkeypatch_module):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM must still work here.
    monkeypatch_module.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(browser_setup.CHROMIUM), headless=True, args=browser_setup.ARGS
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch
