"""Two journeys with separate teams, and an API client for each role.

Journey A ("caravan-a", published): Los Angeles → Phoenix → Tucson (not public) → El Paso,
one bus. Xiomara rides it, Dagoberto drives it, Casa Amiga (an approved host ally whose
email is the "host" login's) serves Phoenix. Journey B ("caravan-b", not published) has
its own coordinator, stops, bus, participant, beds and host.
"""

from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from journey.models import Leg
from journey.services import append_stop, deferred_leg_refresh
from tests.factories import (
    ActivityFactory,
    BedAssignmentFactory,
    HostAllyFactory,
    JourneyFactory,
    LodgingFactory,
    ParticipantFactory,
    RouteFactory,
    SeatAssignmentFactory,
    StopFactory,
    UserFactory,
    VehicleFactory,
    local,
)

PT, MT, MTN, CT = "America/Los_Angeles", "America/Phoenix", "America/Denver", "America/Chicago"

# The roles of the access matrix, in the order its rows list them.
ROLES = ("coordinator", "rider", "driver", "host", "coordinator_b", "anonymous")


@dataclass
class World:
    a: object
    b: object
    route: object
    stops: dict
    lodgings: dict
    bus: object
    activities: dict
    leg: object
    host: object
    pending_host: object
    rider: object
    driver: object
    seats: dict
    beds: dict
    other: dict  # journey B's rows
    users: dict
    tokens: dict = field(default_factory=dict)

    def client(self, role: str) -> APIClient:
        client = APIClient()
        if role != "anonymous":
            client.credentials(HTTP_AUTHORIZATION=f"Token {self.tokens[role]}")
        return client


def add_stops(journey, route, specs):
    stops = {}
    with deferred_leg_refresh():
        for key, city, arrival, departure, fields in specs:
            stops[key] = StopFactory(
                journey=journey, city=city, arrival=arrival, departure=departure, **fields
            )
            append_stop(route=route, stop=stops[key])
    return stops


def build_world() -> World:
    users = {
        "coordinator": UserFactory(username="coordinator", is_staff=True),
        "rider": UserFactory(username="xiomara"),
        "driver": UserFactory(username="dagoberto"),
        "host": UserFactory(username="casa-amiga", email="hola@casa-amiga.example.org"),
        "coordinator_b": UserFactory(username="coordinator-b"),
    }
    a = JourneyFactory(name="Caravan A", slug="caravan-a", home_timezone=PT, is_published=True)
    a.coordinators.add(users["coordinator"])
    route = RouteFactory(journey=a, name="Main")
    stops = add_stops(
        a,
        route,
        [
            ("la", "Los Angeles", local(PT, 2026, 3, 1, 8), local(PT, 2026, 3, 1, 9), {}),
            (
                "phoenix",
                "Phoenix",
                local(MT, 2026, 3, 1, 20, 30),
                local(MT, 2026, 3, 2, 9),
                {"address": "12 Depot Yard", "private_notes": "Gate code 4471"},
            ),
            (
                "tucson",
                "Tucson",
                local(MT, 2026, 3, 2, 11),
                local(MT, 2026, 3, 2, 12),
                {"kind": "rest", "is_public": False},
            ),
            ("el_paso", "El Paso", local(MTN, 2026, 3, 2, 18), local(MTN, 2026, 3, 3, 8), {}),
        ],
    )
    host = HostAllyFactory(
        journey=a,
        stop=stops["phoenix"],
        organization="Casa Amiga",
        email="HOLA@casa-amiga.example.org",
        status="approved",
    )
    pending_host = HostAllyFactory(journey=a, organization="Iglesia", email="x@example.org")
    lodgings = {
        "phoenix": LodgingFactory(
            stop=stops["phoenix"], name="Sanctuary Hall", address="417 Quiet Alley", host=host
        ),
        "el_paso": LodgingFactory(stop=stops["el_paso"], name="Annunciation House"),
    }
    bus = VehicleFactory(journey=a, route=route, name="Bus Aztlan", plate="CRV-0042")
    rider = ParticipantFactory(
        journey=a,
        user=users["rider"],
        display_name="Xiomara",
        full_name="Xiomara Quetzal Ruiz",
        phone="+1 555 0199",
        emergency_contact_name="Rosalind Ruiz",
        emergency_contact_phone="+1 555 0142",
        dietary_needs="vegetarian",
        route=route,
    )
    driver = ParticipantFactory(
        journey=a,
        user=users["driver"],
        display_name="Dagoberto",
        role="driver",
        phone="+1 555 0177",
        dietary_needs="halal",
        route=route,
    )
    seats = {
        "rider": SeatAssignmentFactory(
            participant=rider, vehicle=bus, from_stop=stops["la"], to_stop=stops["el_paso"]
        ),
        "driver": SeatAssignmentFactory(
            participant=driver,
            vehicle=bus,
            from_stop=stops["la"],
            to_stop=stops["el_paso"],
            is_driver=True,
        ),
    }
    beds = {
        "rider": BedAssignmentFactory(
            participant=rider, lodging=lodgings["phoenix"], night=stops["phoenix"].nights[0]
        ),
        "driver": BedAssignmentFactory(
            participant=driver, lodging=lodgings["el_paso"], night=stops["el_paso"].nights[0]
        ),
    }
    activities = {
        "public": ActivityFactory(stop=stops["phoenix"], title="Rally", is_public=True),
        "private": ActivityFactory(
            stop=stops["phoenix"], title="Closed meeting with counsel", is_public=False
        ),
    }
    leg = Leg.objects.get(route=route, origin=stops["la"], destination=stops["phoenix"])

    b = JourneyFactory(name="Caravan B", slug="caravan-b", home_timezone=CT)
    b.coordinators.add(users["coordinator_b"])
    b_route = RouteFactory(journey=b, name="Gulf")
    b_stops = add_stops(
        b,
        b_route,
        [
            ("houston", "Houston", local(CT, 2026, 4, 1, 18), local(CT, 2026, 4, 2, 8), {}),
            ("nola", "New Orleans", local(CT, 2026, 4, 2, 17), local(CT, 2026, 4, 3, 9), {}),
        ],
    )
    b_lodging = LodgingFactory(stop=b_stops["houston"], name="Casa Juan Diego")
    b_bus = VehicleFactory(journey=b, route=b_route, name="Van Gulf")
    b_rider = ParticipantFactory(journey=b, display_name="Wanda", phone="+1 555 0300")
    other = {
        "journey": b,
        "route": b_route,
        "stops": b_stops,
        "lodging": b_lodging,
        "bus": b_bus,
        "participant": b_rider,
        "seat": SeatAssignmentFactory(
            participant=b_rider,
            vehicle=b_bus,
            from_stop=b_stops["houston"],
            to_stop=b_stops["nola"],
        ),
        "bed": BedAssignmentFactory(
            participant=b_rider, lodging=b_lodging, night=b_stops["houston"].nights[0]
        ),
        "host": HostAllyFactory(journey=b, stop=b_stops["houston"], status="approved"),
        "activity": ActivityFactory(stop=b_stops["houston"], is_public=True),
        "leg": Leg.objects.get(route=b_route),
    }
    world = World(
        a=a,
        b=b,
        route=route,
        stops=stops,
        lodgings=lodgings,
        bus=bus,
        activities=activities,
        leg=leg,
        host=host,
        pending_host=pending_host,
        rider=rider,
        driver=driver,
        seats=seats,
        beds=beds,
        other=other,
        users=users,
    )
    world.tokens = {role: Token.objects.create(user=user).key for role, user in users.items()}
    return world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()
