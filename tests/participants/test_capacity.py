"""Capacity is the models' rule, whichever door a seat or a bed comes through."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from journey.services import append_stop
from participants.models import BedAssignment, SeatAssignment
from tests.factories import (
    JourneyFactory,
    LodgingFactory,
    ParticipantFactory,
    RouteFactory,
    StopFactory,
    UserFactory,
    VehicleFactory,
)

TZ = ZoneInfo("America/Phoenix")


@pytest.fixture
def trip(db):
    journey = JourneyFactory(slug="cap")
    route = RouteFactory(journey=journey)
    stops = []
    for day, city in ((1, "Phoenix"), (2, "Tucson"), (3, "El Paso")):
        stop = StopFactory(
            journey=journey,
            city=city,
            arrival=datetime(2027, 3, day, 9, tzinfo=TZ),
            departure=datetime(2027, 3, day + 1, 8, tzinfo=TZ),
        )
        append_stop(route=route, stop=stop)
        stops.append(stop)
    people = [ParticipantFactory(journey=journey, route=route) for _ in range(4)]
    return journey, route, stops, people


def test_save_refuses_a_bed_beyond_capacity_even_without_clean(trip):
    _journey, _route, stops, people = trip
    lodging = LodgingFactory(stop=stops[0], capacity=1)
    night = stops[0].nights[0]
    BedAssignment(participant=people[0], lodging=lodging, night=night).save()

    with pytest.raises(ValidationError) as refused:
        BedAssignment(participant=people[1], lodging=lodging, night=night).save()

    assert refused.value.message_dict == {
        "lodging": [f"{lodging.name} has no bed left on {night}: 1 of 1 are taken."]
    }
    assert BedAssignment.objects.filter(lodging=lodging).count() == 1


def test_full_clean_names_the_field_for_forms(trip):
    _journey, route, stops, people = trip
    van = VehicleFactory(journey=trip[0], route=route, seats=1, name="Van")
    SeatAssignment(participant=people[0], vehicle=van, from_stop=stops[0], to_stop=stops[2]).save()
    seat = SeatAssignment(participant=people[1], vehicle=van, from_stop=stops[1], to_stop=stops[2])

    with pytest.raises(ValidationError) as refused:
        seat.full_clean()

    assert list(refused.value.message_dict) == ["vehicle"]


def test_a_seat_after_someone_got_off_is_free(trip):
    _journey, route, stops, people = trip
    van = VehicleFactory(journey=trip[0], route=route, seats=1)
    SeatAssignment(participant=people[0], vehicle=van, from_stop=stops[0], to_stop=stops[1]).save()

    SeatAssignment(participant=people[1], vehicle=van, from_stop=stops[1], to_stop=stops[2]).save()

    assert SeatAssignment.objects.filter(vehicle=van).count() == 2


def test_drivers_take_no_passenger_seat(trip):
    _journey, route, stops, people = trip
    van = VehicleFactory(journey=trip[0], route=route, seats=1)
    driver = ParticipantFactory(journey=trip[0], route=route, role="driver")
    SeatAssignment(participant=people[0], vehicle=van, from_stop=stops[0], to_stop=stops[2]).save()

    SeatAssignment(
        participant=driver, vehicle=van, from_stop=stops[0], to_stop=stops[2], is_driver=True
    ).save()

    assert SeatAssignment.objects.filter(vehicle=van).count() == 2


def test_an_existing_bed_stays_editable_after_the_lodging_shrank(trip):
    _journey, _route, stops, people = trip
    lodging = LodgingFactory(stop=stops[0], capacity=2)
    night = stops[0].nights[0]
    beds = [BedAssignment(participant=p, lodging=lodging, night=night) for p in people[:2]]
    for bed in beds:
        bed.save()
    lodging.capacity = 1
    lodging.save()

    bed = BedAssignment.objects.get(pk=beds[0].pk)
    bed.full_clean()
    bed.save()  # unchanged place: not a new bed, so not refused (the checks report it)

    moved = BedAssignment.objects.get(pk=beds[1].pk)
    moved.lodging = LodgingFactory(stop=stops[0], capacity=1, name="Full too")
    BedAssignment(participant=people[2], lodging=moved.lodging, night=night).save()
    with pytest.raises(ValidationError):
        moved.save()


def test_the_api_answers_400_on_the_lodging_field_and_saves_nothing(trip):
    journey, _route, stops, people = trip
    user = UserFactory(username="coord-api")
    journey.coordinators.add(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    lodging = LodgingFactory(stop=stops[0], capacity=1)
    night = stops[0].nights[0]
    url = reverse("api:bed-list", kwargs={"journey_slug": journey.slug})
    body = {"lodging": lodging.pk, "night": night.isoformat()}

    first = client.post(url, {**body, "participant": people[0].pk}, format="json")
    second = client.post(url, {**body, "participant": people[1].pk}, format="json")

    assert first.status_code == 201
    assert second.status_code == 400
    assert list(second.json()) == ["lodging"]
    assert BedAssignment.objects.filter(lodging=lodging).count() == 1
