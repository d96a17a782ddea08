"""Seats and beds are given and taken back by participants.services, whoever asks: the
coordinators' page, the API and the admin. Each change is checked against capacity, written to
history and moves the rider's ``updated_at`` (their calendar's SEQUENCE)."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from participants.models import BedAssignment, Participant, SeatAssignment
from participants.services import (
    AlreadyLinked,
    assign_bed,
    assign_seat,
    claim_participant,
    free_bed,
    free_seat,
)
from tests.factories import (
    LodgingFactory,
    ParticipantFactory,
    UserFactory,
    VehicleFactory,
    local,
)

PT, MT = "America/Los_Angeles", "America/Phoenix"
LATER = datetime(2030, 2, 20, 9, tzinfo=UTC)


@pytest.fixture
def stops(route, add_stop):
    return [
        add_stop(route, "Los Angeles", local(PT, 2026, 3, 1, 8), local(PT, 2026, 3, 1, 9)),
        add_stop(route, "Phoenix", local(MT, 2026, 3, 1, 20), local(MT, 2026, 3, 2, 9)),
        add_stop(route, "Tucson", local(MT, 2026, 3, 2, 12), local(MT, 2026, 3, 3, 10)),
    ]


@pytest.fixture
def van(journey, route):
    return VehicleFactory(journey=journey, route=route, name="Van", seats=1)


@pytest.fixture
def hall(stops):
    return LodgingFactory(stop=stops[1], name="Hall", capacity=1)


@pytest.fixture
def people(journey, route):
    return [
        ParticipantFactory(journey=journey, route=route, display_name=name)
        for name in ("Ana", "Beto")
    ]


@pytest.fixture
def coordinator(journey):
    user = UserFactory(username="coord", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["journey", "stops", "participants"])
    )
    journey.coordinators.add(user)
    return user


def updated_at(person) -> datetime:
    return Participant.objects.get(pk=person.pk).updated_at


# --- the services themselves ------------------------------------------------------------------


def test_a_seat_is_refused_when_the_vehicle_is_full_and_nothing_is_saved(van, stops, people):
    assign_seat(participant=people[0], vehicle=van, from_stop=stops[0], to_stop=stops[2])

    with pytest.raises(ValidationError) as refused:
        assign_seat(participant=people[1], vehicle=van, from_stop=stops[1], to_stop=stops[2])

    assert refused.value.message_dict == {
        "vehicle": ["Van is full on part of this ride: 1 of 1 seats are taken."]
    }
    assert list(SeatAssignment.objects.values_list("participant__display_name", flat=True)) == [
        "Ana"
    ]


def test_a_seat_ending_where_another_begins_fits(van, stops, people):
    assign_seat(participant=people[0], vehicle=van, from_stop=stops[0], to_stop=stops[1])

    assign_seat(participant=people[1], vehicle=van, from_stop=stops[1], to_stop=stops[2])

    assert SeatAssignment.objects.count() == 2


def test_a_bed_is_refused_when_the_lodging_is_full(hall, stops, people):
    night = stops[1].nights[0]
    assign_bed(participant=people[0], lodging=hall, night=night)

    with pytest.raises(ValidationError) as refused:
        assign_bed(participant=people[1], lodging=hall, night=night)

    assert refused.value.message_dict == {
        "lodging": [f"Hall has no bed left on {night.isoformat()}: 1 of 1 are taken."]
    }


@pytest.mark.parametrize("what", ["seat", "bed"])
def test_giving_and_taking_back_moves_the_riders_calendar_and_writes_history(
    van, hall, stops, people, what
):
    ana = people[0]
    start = updated_at(ana)
    with time_machine.travel(LATER, tick=False):
        if what == "seat":
            place = assign_seat(participant=ana, vehicle=van, from_stop=stops[0], to_stop=stops[1])
        else:
            place = assign_bed(participant=ana, lodging=hall, night=stops[1].nights[0])
    given = updated_at(ana)
    with time_machine.travel(LATER.replace(day=21), tick=False):
        free_seat(seat=place) if what == "seat" else free_bed(bed=place)

    assert (start < given, given, updated_at(ana)) == (True, LATER, LATER.replace(day=21))
    assert [row.history_type for row in type(place).history.order_by("history_id")] == ["+", "-"]


def test_a_login_is_linked_by_claiming_and_cannot_be_stolen(people):
    ana, thief = UserFactory(username="ana"), UserFactory(username="thief")

    claim_participant(participant=people[0], user=ana)
    with pytest.raises(AlreadyLinked):
        claim_participant(participant=people[0], user=thief)

    assert Participant.objects.get(pk=people[0].pk).user == ana


# --- every channel calls them -----------------------------------------------------------------


def bed_on_page(coordinator, person, hall, night):
    client = Client()
    client.force_login(coordinator)
    url = reverse("web:plan_assign", kwargs={"slug": person.journey.slug, "pk": person.pk})
    client.post(url, {"action": "bed", "bed-bed": f"{hall.pk}:{night.isoformat()}"})


def bed_by_api(coordinator, person, hall, night):
    client = APIClient()
    client.force_authenticate(coordinator)
    url = reverse("api:bed-list", kwargs={"journey_slug": person.journey.slug})
    body = {"participant": person.pk, "lodging": hall.pk, "night": night.isoformat()}
    assert client.post(url, body, format="json").status_code == 201


def bed_in_admin(coordinator, person, hall, night):
    client = Client()
    client.force_login(coordinator)
    body = {"participant": person.pk, "lodging": hall.pk, "night": night.isoformat()}
    assert client.post(reverse("admin:participants_bedassignment_add"), body).status_code == 302


@pytest.mark.parametrize("channel", [bed_on_page, bed_by_api, bed_in_admin])
def test_every_channel_gives_a_bed_through_the_service(coordinator, hall, stops, people, channel):
    night = stops[1].nights[0]

    with time_machine.travel(LATER, tick=False):
        channel(coordinator, people[0], hall, night)

    assert list(BedAssignment.objects.values_list("participant", "lodging", "night")) == [
        (people[0].pk, hall.pk, night)
    ]
    assert updated_at(people[0]) == LATER  # only the service moves the rider's calendar


def free_seat_by_api(coordinator, seat):
    client = APIClient()
    client.force_authenticate(coordinator)
    url = reverse(
        "api:seat-detail", kwargs={"journey_slug": seat.vehicle.journey.slug, "pk": seat.pk}
    )
    assert client.delete(url).status_code == 204


def free_seat_in_admin(coordinator, seat):
    client = Client()
    client.force_login(coordinator)
    url = reverse("admin:participants_seatassignment_delete", args=[seat.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302


def free_seat_on_page(coordinator, seat):
    client = Client()
    client.force_login(coordinator)
    person = seat.participant
    url = reverse("web:plan_assign", kwargs={"slug": person.journey.slug, "pk": person.pk})
    assert client.post(url, {"action": "remove-seat", "id": seat.pk}).status_code == 302


@pytest.mark.parametrize("channel", [free_seat_on_page, free_seat_by_api, free_seat_in_admin])
def test_every_channel_frees_a_seat(coordinator, van, stops, people, channel):
    seat = assign_seat(participant=people[0], vehicle=van, from_stop=stops[0], to_stop=stops[2])

    with time_machine.travel(LATER, tick=False):
        channel(coordinator, seat)

    assert (SeatAssignment.objects.count(), updated_at(people[0])) == (0, LATER)


def test_the_admin_shows_the_login_read_only_and_lists_no_usernames(coordinator, people):
    people[0].user = UserFactory(username="ana-login")
    people[0].save()
    UserFactory(username="someone-elses-login")
    client = Client()
    client.force_login(coordinator)

    response = client.get(reverse("admin:participants_participant_change", args=[people[0].pk]))

    page = response.content.decode()
    assert "user" not in response.context["adminform"].form.fields
    assert ("ana-login" in page, "someone-elses-login" in page) == (True, False)


def test_a_seat_moved_by_api_is_checked_against_capacity_then_tells_the_calendar(
    coordinator, van, stops, people
):
    assign_seat(participant=people[0], vehicle=van, from_stop=stops[0], to_stop=stops[1])
    seat = assign_seat(participant=people[1], vehicle=van, from_stop=stops[1], to_stop=stops[2])
    client = APIClient()
    client.force_authenticate(coordinator)
    url = reverse("api:seat-detail", kwargs={"journey_slug": van.journey.slug, "pk": seat.pk})

    full = client.patch(url, {"from_stop": stops[0].pk}, format="json")
    with time_machine.travel(LATER, tick=False):
        moved = client.patch(url, {"from_stop": stops[1].pk, "is_driver": False}, format="json")

    assert (full.status_code, full.json()) == (
        400,
        {"vehicle": ["Van is full on part of this ride: 1 of 1 seats are taken."]},
    )
    assert (moved.status_code, updated_at(people[1])) == (200, LATER)
