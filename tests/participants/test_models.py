import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from participants.models import BedAssignment, Participant, SeatAssignment
from tests.factories import (
    JourneyFactory,
    LodgingFactory,
    ParticipantFactory,
    RouteFactory,
    StopFactory,
    VehicleFactory,
    local,
)

MT = "America/Phoenix"


@pytest.fixture
def stops(route, add_stop):
    return [
        add_stop(route, "Phoenix", local(MT, 2026, 3, 1, 18), local(MT, 2026, 3, 2, 8)),
        add_stop(route, "Tucson", local(MT, 2026, 3, 2, 11), local(MT, 2026, 3, 3, 8)),
        add_stop(route, "El Paso", local(MT, 2026, 3, 3, 16), local(MT, 2026, 3, 4, 8)),
    ]


def errors_of(instance):
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


def test_a_participant_joins_and_leaves_on_their_route(journey, route, stops):
    rider = Participant(
        journey=journey, route=route, display_name="Ana", join_stop=stops[1], leave_stop=stops[2]
    )
    rider.full_clean()


def test_a_participant_cannot_leave_before_joining(journey, route, stops):
    rider = Participant(
        journey=journey, route=route, display_name="Ana", join_stop=stops[2], leave_stop=stops[0]
    )

    assert errors_of(rider) == {"leave_stop": ["The participant leaves before joining."]}


def test_join_stop_must_be_on_the_route(journey, route, stops):
    other_route = RouteFactory(journey=journey)
    rider = Participant(journey=journey, route=other_route, display_name="Ana", join_stop=stops[0])

    assert errors_of(rider) == {"join_stop": ["This stop is not on the participant's route."]}


def test_join_stop_needs_a_route(journey, stops):
    rider = Participant(journey=journey, display_name="Ana", join_stop=stops[0])

    assert list(errors_of(rider)) == ["route"]


def test_route_of_another_journey_is_refused(journey, stops):
    rider = Participant(journey=journey, route=RouteFactory(), display_name="Ana")

    assert errors_of(rider) == {"route": ["The route belongs to another journey."]}


def test_participants_get_distinct_long_secret_tokens(journey):
    first, second = ParticipantFactory(journey=journey), ParticipantFactory(journey=journey)

    assert first.secret_token != second.secret_token
    assert len(first.secret_token) >= 43


def test_secret_links_are_found_by_their_digest_and_compared_in_full(journey):
    from journey.access import participant_for_token
    from journey.tokens import revoke_participant_token, rotate_participant_token

    made = Participant.objects.bulk_create([Participant(journey=journey, display_name="Bulk")])
    person = ParticipantFactory(journey=journey)
    old = person.secret_token

    assert made[0].secret_token_digest == hashlib.sha256(made[0].secret_token.encode()).hexdigest()
    assert participant_for_token(old) == person
    assert participant_for_token(old[:-1] + ("A" if old[-1] != "A" else "B")) is None

    new = rotate_participant_token(participant=person)
    person.refresh_from_db()
    assert person.secret_token_digest == hashlib.sha256(new.encode()).hexdigest()
    assert (participant_for_token(old), participant_for_token(new)) == (None, person)

    # A row whose digest matches but whose token does not (never in practice) is no match:
    # the token itself is compared, in constant time.
    Participant.objects.filter(pk=person.pk).update(secret_token="x" * 43)
    assert participant_for_token(new) is None

    revoke_participant_token(participant=person)
    person.refresh_from_db()
    assert (person.secret_token, person.secret_token_digest) == (None, None)


def test_the_model_holds_no_immigration_or_identity_document_fields():
    names = {field.name for field in Participant._meta.get_fields()}
    forbidden = {
        "immigration_status",
        "status",
        "passport",
        "a_number",
        "nationality",
        "birth_date",
    }

    assert names & forbidden == set()


@pytest.fixture
def bus(journey, route):
    return VehicleFactory(journey=journey, route=route, seats=2)


def test_a_seat_runs_forward_along_the_vehicle_route(journey, route, stops, bus):
    rider = ParticipantFactory(journey=journey, route=route)
    seat = SeatAssignment(participant=rider, vehicle=bus, from_stop=stops[2], to_stop=stops[0])

    assert errors_of(seat) == {"to_stop": ["The ride must end at a later stop than it starts."]}


def test_a_seat_needs_stops_on_the_vehicle_route(journey, route, stops, bus):
    rider = ParticipantFactory(journey=journey, route=route)
    elsewhere = StopFactory(journey=journey, city="Houston")
    seat = SeatAssignment(participant=rider, vehicle=bus, from_stop=stops[0], to_stop=elsewhere)

    assert errors_of(seat) == {"to_stop": ["This stop is not on the vehicle's route."]}


def test_only_drivers_drive(journey, route, stops, bus):
    rider = ParticipantFactory(journey=journey, route=route, role="rider")
    seat = SeatAssignment(
        participant=rider, vehicle=bus, from_stop=stops[0], to_stop=stops[1], is_driver=True
    )

    assert errors_of(seat) == {"is_driver": ["Only a participant with the driver role can drive."]}


def test_a_vehicle_of_another_journey_is_refused(journey, route, stops):
    rider = ParticipantFactory(journey=journey, route=route)
    foreign = VehicleFactory(journey=JourneyFactory())
    seat = SeatAssignment(participant=rider, vehicle=foreign, from_stop=stops[0], to_stop=stops[1])

    assert errors_of(seat) == {"vehicle": ["The vehicle belongs to another journey."]}


def test_a_bed_only_on_a_night_the_lodging_is_booked(journey, route, stops):
    rider = ParticipantFactory(journey=journey, route=route)
    lodging = LodgingFactory(stop=stops[0])
    BedAssignment(participant=rider, lodging=lodging, night=stops[0].nights[0]).full_clean()
    bed = BedAssignment(participant=rider, lodging=lodging, night=stops[1].nights[0])

    assert errors_of(bed) == {"night": ["The lodging is not booked for that night."]}


def test_one_bed_per_person_per_night(journey, route, stops):
    rider = ParticipantFactory(journey=journey, route=route)
    night = stops[0].nights[0]
    BedAssignment.objects.create(
        participant=rider, lodging=LodgingFactory(stop=stops[0]), night=night
    )

    with pytest.raises(IntegrityError):
        BedAssignment.objects.create(
            participant=rider, lodging=LodgingFactory(stop=stops[0]), night=night
        )
