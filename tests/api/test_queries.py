"""Lists and itineraries read a fixed number of queries, however long the journey."""

from datetime import UTC, datetime, timedelta
from itertools import cycle

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from journey.services import append_stop, deferred_leg_refresh
from tests.factories import (
    PLACES,
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
)

START = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


def grow_journey(slug: str, stop_count: int) -> dict:
    """A published journey of ``stop_count`` overnight stops, each with an activity and a
    lodging; a rider and a driver on one bus the whole way, the rider with a bed each night."""
    journey = JourneyFactory(slug=slug, is_published=True)
    route = RouteFactory(journey=journey, name="Main")
    coordinator = UserFactory(username=f"{slug}-coordinator")
    journey.coordinators.add(coordinator)
    rider_user = UserFactory(username=f"{slug}-rider")
    host_user = UserFactory(username=f"{slug}-host", email=f"host@{slug}.example.org")
    places = cycle(PLACES)
    stops = []
    with deferred_leg_refresh():
        for day in range(stop_count):
            arrival = START + timedelta(days=day)
            stop = StopFactory(
                journey=journey,
                city=next(places),
                arrival=arrival,
                departure=arrival + timedelta(hours=15),
            )
            append_stop(route=route, stop=stop)
            stops.append(stop)
    bus = VehicleFactory(journey=journey, route=route)
    rider = ParticipantFactory(journey=journey, user=rider_user, route=route, dietary_needs="vegan")
    driver = ParticipantFactory(journey=journey, role="driver", route=route)
    for person, drives in ((rider, False), (driver, True)):
        SeatAssignmentFactory(
            participant=person, vehicle=bus, from_stop=stops[0], to_stop=stops[-1], is_driver=drives
        )
    for stop in stops:
        ActivityFactory(stop=stop, is_public=True)
        lodging = LodgingFactory(stop=stop)
        for night in lodging.nights:
            BedAssignmentFactory(participant=rider, lodging=lodging, night=night)
    HostAllyFactory(journey=journey, stop=stops[0], email=host_user.email, status="approved")
    tokens = {
        role: Token.objects.create(user=user).key
        for role, user in (("coordinator", coordinator), ("rider", rider_user), ("host", host_user))
    }
    return {"journey": journey, "route": route, "stops": stops, "tokens": tokens}


def endpoints(grown) -> dict[str, tuple[str, str]]:
    slug = grown["journey"].slug
    first_stop = grown["stops"][0].pk

    def nested(name, **kwargs):
        return reverse(f"api:{name}", kwargs={"journey_slug": slug, **kwargs})

    return {
        "journeys": ("coordinator", reverse("api:journey-list")),
        "routes": ("coordinator", nested("route-list")),
        "stops": ("coordinator", nested("stop-list")),
        "stops (public)": ("anonymous", nested("stop-list")),
        "activities": ("coordinator", nested("activity-list")),
        "activities (public)": ("anonymous", nested("activity-list")),
        "legs": ("coordinator", nested("leg-list")),
        "legs (public)": ("anonymous", nested("leg-list")),
        "lodgings": ("coordinator", nested("lodging-list")),
        "lodgings (rider)": ("rider", nested("lodging-list")),
        "vehicles": ("coordinator", nested("vehicle-list")),
        "participants": ("coordinator", nested("participant-list")),
        "participants (rider)": ("rider", nested("participant-list")),
        "seats": ("coordinator", nested("seat-list")),
        "beds": ("coordinator", nested("bed-list")),
        "beds (rider)": ("rider", nested("bed-list")),
        "hosts": ("coordinator", nested("host-list")),
        "problems": ("coordinator", nested("problem-list")),
        "host sheet": ("host", nested("stop-host-sheet", pk=first_stop)),
        "itinerary (team)": ("coordinator", reverse("api:journey-itinerary", args=[slug])),
        "itinerary (public)": ("anonymous", reverse("api:journey-itinerary", args=[slug])),
        "my itinerary": ("rider", reverse("api:me-itinerary")),
        "calendar export": ("coordinator", nested("export-detail", identifier="ics-calendar")),
    }


def query_counts(grown) -> dict[str, int]:
    counts = {}
    for name, (role, url) in endpoints(grown).items():
        client = APIClient()
        if role != "anonymous":
            client.credentials(HTTP_AUTHORIZATION=f"Token {grown['tokens'][role]}")
        client.get(url)  # warm: anything read once per process is not the journey's size
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries)
    return counts


def test_lists_and_itineraries_use_as_many_queries_for_50_stops_as_for_5(db):
    small = query_counts(grow_journey("short", 5))
    large = query_counts(grow_journey("long", 50))

    assert large == small
