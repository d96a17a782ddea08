"""The participant, vehicle and assignment admin: segments, choices per journey, no N+1."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.models import BedAssignment, Participant, SeatAssignment, Vehicle
from tests.factories import (
    BedAssignmentFactory,
    JourneyFactory,
    LodgingFactory,
    ParticipantFactory,
    RouteFactory,
    SeatAssignmentFactory,
    StopFactory,
    VehicleFactory,
    local,
)

PT, MT = "America/Los_Angeles", "America/Phoenix"


# Whitenoise warns when STATIC_ROOT has not been collected, which tests do not need.
def admin_page(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def cells(response, column: str) -> list[str]:
    html = response.content.decode()
    return re.findall(rf'<td class="field-{column}[^"]*">(.*?)</td>', html, re.S)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def stops(journey, route, add_stop):
    """Los Angeles → Phoenix → Tucson."""
    return [
        add_stop(route, "Los Angeles", local(PT, 2026, 3, 1, 8), local(PT, 2026, 3, 1, 9)),
        add_stop(route, "Phoenix", local(MT, 2026, 3, 1, 20), local(MT, 2026, 3, 2, 9)),
        add_stop(route, "Tucson", local(MT, 2026, 3, 2, 12), local(MT, 2026, 3, 3, 10)),
    ]


# --- Participants --------------------------------------------------------------------------------


def test_participant_list_shows_each_segment_and_vehicle(admin_client, journey, route, stops):
    la, phoenix, tucson = stops
    bus = VehicleFactory(journey=journey, route=route, name="Bus 1")
    van = VehicleFactory(journey=journey, route=route, name="Van 2")
    whole = ParticipantFactory(journey=journey, route=route, display_name="Ana")
    first_half = ParticipantFactory(
        journey=journey, route=route, display_name="Beto", leave_stop=phoenix
    )
    second_half = ParticipantFactory(
        journey=journey, route=route, display_name="Carla", join_stop=phoenix
    )
    ParticipantFactory(journey=journey, display_name="Dina", role="coordinator")
    SeatAssignmentFactory(participant=whole, vehicle=bus, from_stop=la, to_stop=phoenix)
    SeatAssignmentFactory(participant=whole, vehicle=van, from_stop=phoenix, to_stop=tucson)
    SeatAssignmentFactory(participant=first_half, vehicle=bus, from_stop=la, to_stop=phoenix)
    SeatAssignmentFactory(participant=second_half, vehicle=van, from_stop=phoenix, to_stop=tucson)

    response = admin_client.get(admin_page(Participant, "changelist"))

    assert cells(response, "segment") == [
        "Los Angeles → Tucson",
        "Los Angeles → Phoenix",
        "Phoenix → Tucson",
        "-",
    ]
    assert cells(response, "vehicles") == ["Bus 1, Van 2", "Bus 1", "Van 2", "-"]


def test_a_cancelled_end_stop_does_not_count_in_the_segment(admin_client, journey, route, stops):
    stops[2].status = "cancelled"
    stops[2].save()
    ParticipantFactory(journey=journey, route=route, display_name="Ana")

    response = admin_client.get(admin_page(Participant, "changelist"))

    assert cells(response, "segment") == ["Los Angeles → Phoenix"]


def make_participant(journey, route, stops, n):
    person = ParticipantFactory(journey=journey, route=route, join_stop=stops[n % 2])
    bus = VehicleFactory(journey=journey, route=route)
    SeatAssignmentFactory(participant=person, vehicle=bus, from_stop=stops[0], to_stop=stops[2])
    return person


def make_vehicle(journey, route, stops, n):
    return make_participant(journey, route, stops, n).seats.get().vehicle


def make_seat(journey, route, stops, n):
    return make_participant(journey, route, stops, n).seats.get()


def make_bed(journey, route, stops, n):
    person = ParticipantFactory(journey=journey, route=route)
    lodging = LodgingFactory(stop=stops[1])
    return BedAssignmentFactory(participant=person, lodging=lodging, night=stops[1].nights[0])


@pytest.mark.parametrize(
    ("model", "make"),
    [
        (Participant, make_participant),
        (Vehicle, make_vehicle),
        (SeatAssignment, make_seat),
        (BedAssignment, make_bed),
    ],
    ids=["participants", "vehicles", "seats", "beds"],
)
def test_lists_need_the_same_queries_for_3_or_30_rows(
    admin_client, journey, route, stops, model, make, django_assert_max_num_queries
):
    for n in range(3):
        make(journey, route, stops, n)
    url = admin_page(model, "changelist")
    few = count_queries(admin_client, url)
    for n in range(3, 30):
        make(journey, route, stops, n)

    with django_assert_max_num_queries(few):
        response = admin_client.get(url)

    assert response.context["cl"].result_count == 30


def test_participant_list_filters_by_route(admin_client, journey, route, stops):
    north = RouteFactory(journey=journey, name="North")
    ParticipantFactory(journey=journey, route=route, display_name="Ana")
    ParticipantFactory(journey=journey, route=north, display_name="Beto")

    response = admin_client.get(
        admin_page(Participant, "changelist"), {"route__id__exact": north.pk}
    )

    assert [p.display_name for p in response.context["cl"].result_list] == ["Beto"]


@pytest.mark.parametrize(
    ("term", "found"),
    [("Ana", ["Ana"]), ("García", ["Ana"]), ("555-0101", ["Beto"]), ("beto@", ["Beto"])],
)
def test_participant_search(admin_client, journey, term, found):
    ParticipantFactory(journey=journey, display_name="Ana", full_name="Ana García")
    ParticipantFactory(
        journey=journey, display_name="Beto", phone="555-0101", email="beto@example.org"
    )

    response = admin_client.get(admin_page(Participant, "changelist"), {"q": term})

    assert [p.display_name for p in response.context["cl"].result_list] == found


def test_participant_page_offers_only_the_journeys_vehicles_stops_and_lodging(
    admin_client, journey, route, stops
):
    bus = VehicleFactory(journey=journey, route=route, name="Bus 1")
    lodging = LodgingFactory(stop=stops[1], name="Hall")
    person = ParticipantFactory(journey=journey, route=route, display_name="Ana")
    elsewhere = JourneyFactory()
    VehicleFactory(journey=elsewhere, name="Other bus")
    LodgingFactory(stop=StopFactory(journey=elsewhere, city="Houston"), name="Other hall")

    response = admin_client.get(admin_page(Participant, "change", person.pk))

    seats, beds = (f.formset.empty_form for f in response.context["inline_admin_formsets"])

    def offered(form, name):
        return [label for value, label in form.fields[name].choices if value]

    assert offered(seats, "vehicle") == [str(bus)]
    assert offered(seats, "from_stop") == [str(stop) for stop in stops]
    assert offered(beds, "lodging") == [str(lodging)]
    form = response.context["adminform"].form
    assert list(form.fields["route"].queryset) == [route]
    assert list(form.fields["join_stop"].queryset) == stops


def test_participant_page_renders_with_many_seats_in_fixed_queries(
    admin_client, journey, route, stops, django_assert_max_num_queries
):
    person = ParticipantFactory(journey=journey, route=route, display_name="Ana")

    def add_seat():
        # Overlapping rides are refused by save(); the admin page must still list such data
        # (written in bulk, as an import might) without extra queries.
        bus = VehicleFactory(journey=journey, route=route)
        SeatAssignment.objects.bulk_create(
            [
                SeatAssignmentFactory.build(
                    participant=person, vehicle=bus, from_stop=stops[0], to_stop=stops[1]
                )
            ]
        )

    add_seat()
    url = admin_page(Participant, "change", person.pk)
    few = count_queries(admin_client, url)
    for _ in range(10):
        add_seat()

    with django_assert_max_num_queries(few):
        admin_client.get(url)


def test_vehicle_page_renders_with_many_seats_in_fixed_queries(
    admin_client, journey, route, stops, django_assert_max_num_queries
):
    bus = VehicleFactory(journey=journey, route=route, name="Bus 1")

    def add_rider():
        rider = ParticipantFactory(journey=journey, route=route)
        SeatAssignmentFactory(participant=rider, vehicle=bus, from_stop=stops[0], to_stop=stops[2])

    add_rider()
    url = admin_page(Vehicle, "change", bus.pk)
    few = count_queries(admin_client, url)
    for _ in range(10):
        add_rider()

    with django_assert_max_num_queries(few):
        admin_client.get(url)


# --- Vehicles ------------------------------------------------------------------------------------


def test_vehicle_list_and_page_summarize_occupancy(admin_client, journey, route, stops):
    la, phoenix, tucson = stops
    bus = VehicleFactory(journey=journey, route=route, name="Bus 1", seats=3)
    driver = ParticipantFactory(journey=journey, route=route, role="driver")
    SeatAssignmentFactory(
        participant=driver, vehicle=bus, from_stop=la, to_stop=tucson, is_driver=True
    )
    for leave in (phoenix, tucson, tucson):
        rider = ParticipantFactory(journey=journey, route=route)
        SeatAssignmentFactory(participant=rider, vehicle=bus, from_stop=la, to_stop=leave)

    listing = admin_client.get(admin_page(Vehicle, "changelist"))
    page = admin_client.get(admin_page(Vehicle, "change", bus.pk)).content.decode()

    assert cells(listing, "assigned") == ["3 passengers, 1 driver"]
    occupancy = re.search(r'field-occupancy">.*?<div class="readonly">(.*?)</div>', page, re.S)
    assert occupancy.group(1) == (
        "Los Angeles → Phoenix: 3/3 seats, 1 driver; Phoenix → Tucson: 2/3 seats, 1 driver"
    )


def test_a_coordinator_rotates_and_revokes_a_participants_secret_links(admin_client, journey):
    rider = ParticipantFactory(journey=journey, display_name="Ana")
    old = rider.secret_token
    changelist = reverse("admin:participants_participant_changelist")

    admin_client.post(changelist, {"action": "rotate_links", "_selected_action": [rider.pk]})
    rider.refresh_from_db()
    new = rider.secret_token
    admin_client.post(changelist, {"action": "revoke_links", "_selected_action": [rider.pk]})
    rider.refresh_from_db()

    assert new not in (old, None)
    assert rider.secret_token is None
    assert admin_client.get(f"/my/{new}/calendar.ics").status_code == 404


def test_erasing_personal_data_asks_first_then_erases(admin_client, journey):
    rider = ParticipantFactory(journey=journey, display_name="Ana", phone="+1 555 0123")
    changelist = reverse("admin:participants_participant_changelist")
    action = {"action": "erase_personal_data", "_selected_action": [rider.pk]}

    asked = admin_client.post(changelist, action)
    rider.refresh_from_db()
    assert (asked.status_code, rider.phone) == (200, "+1 555 0123")
    assert "cannot be undone" in asked.content.decode()

    admin_client.post(changelist, {**action, "confirm": "yes"})
    rider.refresh_from_db()
    assert (rider.phone, rider.secret_token) == ("", None)
    assert rider.anonymized_at is not None
