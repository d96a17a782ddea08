"""Two coordinators taking the last bed or seat at the same moment: only one may succeed.

These run real concurrent transactions, one database connection per thread, so they need
PostgreSQL (SQLite lets one writer in at a time and has no row locks to test).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from journey.services import append_stop
from participants import services
from participants.models import BedAssignment, SeatAssignment
from tests.concurrency import run_together
from tests.factories import (
    JourneyFactory,
    LodgingFactory,
    ParticipantFactory,
    RouteFactory,
    StopFactory,
    VehicleFactory,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.needs_postgresql,
]

TZ = ZoneInfo("America/Phoenix")
ATTEMPTS = 16


def at(day, hour):
    return datetime(2027, 3, day, hour, tzinfo=TZ)


@pytest.fixture
def trip():
    journey = JourneyFactory(slug="race")
    route = RouteFactory(journey=journey)
    stops = []
    for day, city in ((1, "Phoenix"), (2, "Tucson"), (3, "El Paso")):
        stop = StopFactory(journey=journey, city=city, arrival=at(day, 9), departure=at(day + 1, 8))
        append_stop(route=route, stop=stop)
        stops.append(stop)
    people = [
        ParticipantFactory(journey=journey, route=route, display_name=f"Rider {i}")
        for i in range(ATTEMPTS)
    ]
    return journey, route, stops, people


def test_the_last_beds_go_to_exactly_as_many_people_as_there_are_beds(trip):
    _journey, _route, stops, people = trip
    lodging = LodgingFactory(stop=stops[0], capacity=3)
    night = stops[0].nights[0]

    outcomes = run_together(
        lambda i: services.assign_bed(participant=people[i], lodging=lodging, night=night),
        ATTEMPTS,
    )

    assert outcomes.count("ok") == 3
    refused = [o for o in outcomes if o != "ok"]
    assert len(refused) == ATTEMPTS - 3
    assert all("has no bed left" in " ".join(o.messages) for o in refused)
    assert BedAssignment.objects.filter(lodging=lodging, night=night).count() == 3


def test_the_last_seats_go_to_exactly_as_many_people_as_there_are_seats(trip):
    journey, route, stops, people = trip
    van = VehicleFactory(journey=journey, route=route, name="Van", kind="van", seats=2)

    outcomes = run_together(
        lambda i: services.assign_seat(
            participant=people[i], vehicle=van, from_stop=stops[0], to_stop=stops[2]
        ),
        ATTEMPTS,
    )

    assert outcomes.count("ok") == 2
    assert all("is full" in " ".join(o.messages) for o in outcomes if o != "ok")
    assert SeatAssignment.objects.filter(vehicle=van).count() == 2


def test_moving_people_into_a_lodging_at_once_never_overfills_it(trip):
    """Moves (an existing bed changed to another lodging) are checked under the lock too."""
    _journey, _route, stops, people = trip
    night = stops[0].nights[0]
    big = LodgingFactory(stop=stops[0], capacity=ATTEMPTS, name="Gym")
    small = LodgingFactory(stop=stops[0], capacity=2, name="Parsonage")
    beds = BedAssignment.objects.bulk_create(
        [BedAssignment(participant=p, lodging=big, night=night) for p in people]
    )

    def move(i):
        bed = BedAssignment.objects.get(pk=beds[i].pk)
        bed.lodging = small
        bed.full_clean()
        bed.save()

    outcomes = run_together(move, ATTEMPTS)

    assert outcomes.count("ok") == 2
    assert BedAssignment.objects.filter(lodging=small, night=night).count() == 2
