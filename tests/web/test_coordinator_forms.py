"""The coordinators' forms: stops typed by place in local time, reordering, participants,
seats and beds within capacity, host applications approved or declined."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from journey.models import Leg, RouteStop
from participants.models import BedAssignment, Participant, SeatAssignment
from stops.models import HostAlly, Lodging, Stop
from tests.factories import (
    HostAllyFactory,
    LodgingFactory,
    ParticipantFactory,
    RouteFactory,
    SeatAssignmentFactory,
    VehicleFactory,
    local,
)

AZ, MT = "America/Phoenix", "America/Denver"


@pytest.fixture
def coordinator(client, trip):
    client.force_login(trip.coordinator_user)
    return client


def route_url(trip) -> str:
    return reverse("web:plan_route", kwargs={"slug": "caravan", "route_id": trip.route.pk})


def order(trip) -> list[str]:
    return list(
        RouteStop.objects.filter(route=trip.route)
        .order_by("position")
        .values_list("stop__city", flat=True)
    )


def legs(trip) -> list[tuple[str, str]]:
    return list(
        Leg.objects.filter(route=trip.route)
        .order_by("position")
        .values_list("origin__city", "destination__city")
    )


# --- route --------------------------------------------------------------------------------------


def test_a_stop_typed_by_place_is_stored_in_its_local_time_at_the_end_of_the_route(
    coordinator, trip
):
    response = coordinator.post(
        route_url(trip),
        {
            "place": "Tucson, AZ",
            "arrival": "2027-03-05T18:00",
            "departure": "2027-03-06T08:30",
            "kind": "overnight",
        },
    )

    stop = Stop.objects.get(journey=trip.journey, arrival__gte=local(AZ, 2027, 3, 5, 0))
    assert response.status_code == 302
    assert (stop.place_name, stop.timezone, stop.arrival, stop.departure) == (
        "Tucson, AZ",
        AZ,
        local(AZ, 2027, 3, 5, 18),
        local(AZ, 2027, 3, 6, 8, 30),
    )
    assert order(trip) == ["Los Angeles", "Phoenix", "Tucson", "Houston", "El Paso", "Tucson"]
    assert legs(trip)[-1] == ("El Paso", "Tucson")


def test_the_dashboard_shows_the_leg_to_a_new_stop(coordinator, trip):
    coordinator.post(
        route_url(trip),
        {
            "place": "Tucson, AZ",
            "arrival": "2027-03-05T18:00",
            "departure": "2027-03-06T08:30",
            "kind": "overnight",
        },
    )

    response = coordinator.get(reverse("web:plan_dashboard", kwargs={"slug": "caravan"}))

    leg_rows = [
        row["text"]
        for day in response.context["days"]
        for row in day["rows"]
        if row["kind"] == "leg"
    ]
    assert leg_rows[-1] == (
        "Drive El Paso, TX → Tucson, AZ: 289 mi, 4 h 26 min driving; arrive Mar 5, 18:00 MST"
    )


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        (
            {"place": "Nowhereville, ZZ"},
            "place",
            "No place called “Nowhereville, ZZ” was found. Check the spelling and add the "
            "state, as in “Tucson, AZ”.",
        ),
        (
            {"place": "El Paso, TX", "arrival": "2027-03-14T02:30"},
            "arrival",
            "2027-03-14 02:30 does not exist in America/Denver: the clocks skip that hour when "
            "summer time begins. Type a time after the change.",
        ),
        (
            {"place": "El Paso, TX", "departure": "2027-03-12T08:00"},
            "departure",
            "The departure is before the arrival.",
        ),
    ],
)
def test_a_stop_that_cannot_be_placed_or_timed_is_refused_with_a_clear_error(
    coordinator, trip, data, field, error
):
    posted = {
        "arrival": "2027-03-13T18:00",
        "departure": "2027-03-15T08:00",
        "kind": "overnight",
        **data,
    }

    response = coordinator.post(route_url(trip), posted)

    assert (response.status_code, response.context["form"].errors[field]) == (400, [error])
    assert Stop.objects.filter(journey=trip.journey).count() == 5


@pytest.mark.parametrize(
    ("city", "direction", "expected"),
    [
        ("Tucson", "up", ["Los Angeles", "Tucson", "Phoenix", "Houston", "El Paso"]),
        ("Tucson", "down", ["Los Angeles", "Phoenix", "Houston", "Tucson", "El Paso"]),
        ("Los Angeles", "up", ["Los Angeles", "Phoenix", "Tucson", "Houston", "El Paso"]),
    ],
)
def test_moving_a_stop_up_or_down_reorders_the_route(coordinator, trip, city, direction, expected):
    stop = Stop.objects.get(journey=trip.journey, city=city)

    response = coordinator.post(
        reverse("web:plan_route_move", kwargs={"slug": "caravan", "route_id": trip.route.pk}),
        {"stop": stop.pk, "direction": direction},
    )

    assert response.status_code == 302
    assert order(trip) == expected


def test_reordering_recomputes_the_legs(coordinator, trip):
    coordinator.post(
        reverse("web:plan_route_move", kwargs={"slug": "caravan", "route_id": trip.route.pk}),
        {"stop": trip.tucson.pk, "direction": "up"},
    )

    assert legs(trip) == [
        ("Los Angeles", "Tucson"),
        ("Tucson", "Phoenix"),
        ("Phoenix", "El Paso"),
    ]


def test_a_stop_of_another_route_cannot_be_moved(coordinator, trip):
    other = RouteFactory(journey=trip.journey, name="Second")

    response = coordinator.post(
        reverse("web:plan_route_move", kwargs={"slug": "caravan", "route_id": other.pk}),
        {"stop": trip.tucson.pk, "direction": "up"},
    )

    assert response.status_code == 404


def test_the_stop_page_shows_and_saves_times_in_the_stops_local_time(coordinator, trip):
    url = reverse("web:plan_stop", kwargs={"slug": "caravan", "stop_id": trip.el_paso.pk})
    shown = coordinator.get(url).context["form"]["arrival"].value()

    response = coordinator.post(
        url,
        {
            "venue": "San Jacinto Plaza",
            "arrival": "2027-03-03T21:15",
            "departure": "2027-03-04T09:00",
            "kind": "overnight",
            "status": "confirmed",
            "is_public": "on",
            "based_on_version": trip.el_paso.version,
        },
    )

    trip.el_paso.refresh_from_db()
    assert str(shown) == "2027-03-03 20:00:00"
    assert response.status_code == 302
    assert (trip.el_paso.arrival, trip.el_paso.status, trip.el_paso.venue) == (
        local(MT, 2027, 3, 3, 21, 15),
        "confirmed",
        "San Jacinto Plaza",
    )


# --- participants -----------------------------------------------------------------------------


@pytest.fixture
def pedro(trip):
    """A rider who leaves at Phoenix, in English, with no seat."""
    return ParticipantFactory(
        journey=trip.journey,
        route=trip.route,
        display_name="Pedro",
        language="en",
        leave_stop=trip.phoenix,
    )


@pytest.mark.parametrize(
    ("filters", "names"),
    [
        ({}, ["Coordinator Sam", "Driver Dan", "Marisol", "Pedro"]),
        ({"role": "rider"}, ["Marisol", "Pedro"]),
        ({"role": "driver"}, ["Driver Dan"]),
        ({"language": "en"}, ["Coordinator Sam", "Pedro"]),
        ({"route": "route"}, ["Driver Dan", "Marisol", "Pedro"]),
        ({"stop": "el_paso"}, ["Driver Dan", "Marisol"]),
        ({"vehicle": "bus"}, ["Driver Dan", "Marisol"]),
        ({"role": "rider", "language": "es"}, ["Marisol"]),
    ],
)
def test_the_participant_list_filters(coordinator, trip, pedro, filters, names):
    query = {
        key: getattr(trip, value).pk if key in ("route", "stop", "vehicle") else value
        for key, value in filters.items()
    }

    response = coordinator.get(reverse("web:plan_participants", kwargs={"slug": "caravan"}), query)

    assert [row["participant"].display_name for row in response.context["rows"]] == names


def test_a_participant_added_belongs_to_the_journey_with_where_they_join_and_leave(
    coordinator, trip
):
    response = coordinator.post(
        reverse("web:plan_participant_add", kwargs={"slug": "caravan"}),
        {
            "display_name": "Lucía",
            "role": "rider",
            "language": "es",
            "route": trip.route.pk,
            "join_stop": trip.phoenix.pk,
            "leave_stop": trip.el_paso.pk,
        },
    )

    lucia = Participant.objects.get(display_name="Lucía")
    assert response.status_code == 302
    assert (lucia.journey, lucia.join_stop, lucia.leave_stop) == (
        trip.journey,
        trip.phoenix,
        trip.el_paso,
    )


def test_a_participant_cannot_leave_before_joining(coordinator, trip):
    response = coordinator.post(
        reverse("web:plan_participant", kwargs={"slug": "caravan", "pk": trip.rider.pk}),
        {
            "display_name": "Marisol",
            "role": "rider",
            "language": "es",
            "route": trip.route.pk,
            "join_stop": trip.el_paso.pk,
            "leave_stop": trip.phoenix.pk,
        },
    )

    assert (response.status_code, response.context["form"].errors["leave_stop"]) == (
        400,
        ["The participant leaves before joining."],
    )


def test_the_participant_form_offers_only_the_journeys_routes(coordinator, trip):
    elsewhere = RouteFactory(name="Elsewhere")

    response = coordinator.post(
        reverse("web:plan_participant_add", kwargs={"slug": "caravan"}),
        {"display_name": "Lucía", "role": "rider", "language": "es", "route": elsewhere.pk},
    )

    assert response.context["form"].errors["route"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


# --- seats and beds -----------------------------------------------------------------------


def assign_url(participant) -> str:
    return reverse("web:plan_assign", kwargs={"slug": "caravan", "pk": participant.pk})


@pytest.fixture
def van(trip):
    """A one-seat van in which Ana rides from Los Angeles to Phoenix."""
    van = VehicleFactory(journey=trip.journey, route=trip.route, name="Van", kind="van", seats=1)
    ana = ParticipantFactory(journey=trip.journey, route=trip.route, display_name="Ana")
    SeatAssignmentFactory(participant=ana, vehicle=van, from_stop=trip.la, to_stop=trip.phoenix)
    return van


def seat_post(van, start, end):
    return {
        "action": "seat",
        "seat-vehicle": van.pk,
        "seat-from_stop": start.pk,
        "seat-to_stop": end.pk,
    }


def test_a_seat_beyond_the_vehicles_capacity_is_refused(coordinator, trip, van, pedro):
    response = coordinator.post(assign_url(pedro), seat_post(van, trip.la, trip.tucson))

    assert (response.status_code, response.context["seat_form"].non_field_errors()) == (
        400,
        ["Van is full on part of this ride: 1 of 1 seats are taken."],
    )
    assert SeatAssignment.objects.filter(vehicle=van).count() == 1


def test_a_seat_that_is_free_on_every_leg_is_assigned(coordinator, trip, van, pedro):
    response = coordinator.post(assign_url(pedro), seat_post(van, trip.phoenix, trip.tucson))

    assert response.status_code == 302
    assert list(
        SeatAssignment.objects.filter(participant=pedro).values_list(
            "vehicle__name", "from_stop__city", "to_stop__city"
        )
    ) == [("Van", "Phoenix", "Tucson")]


def test_the_assignment_page_shows_the_beds_left_per_night(coordinator, trip, pedro):
    response = coordinator.get(assign_url(pedro))

    assert [label for _value, label in response.context["bed_form"].fields["bed"].choices] == [
        f"Los Angeles, CA: {trip.lodging_la.name} — 4 of 5 beds left on Mar 1",
        "Phoenix, AZ: Phoenix Parish Hall — 4 of 5 beds left on Mar 2",
    ]


def test_a_bed_beyond_the_lodgings_capacity_is_refused(coordinator, trip, pedro):
    tiny = LodgingFactory(stop=trip.phoenix, name="Tiny Room", capacity=1)
    BedAssignment.objects.create(participant=trip.driver, lodging=tiny, night=date(2027, 3, 2))

    response = coordinator.post(
        assign_url(pedro), {"action": "bed", "bed-bed": f"{tiny.pk}:2027-03-02"}
    )

    assert (response.status_code, response.context["bed_form"].non_field_errors()) == (
        400,
        ["Tiny Room has no bed left on 2027-03-02: 1 of 1 are taken."],
    )
    assert BedAssignment.objects.filter(participant=pedro).count() == 0


def test_a_bed_with_room_left_is_assigned(coordinator, trip, pedro):
    response = coordinator.post(
        assign_url(pedro), {"action": "bed", "bed-bed": f"{trip.lodging_phoenix.pk}:2027-03-02"}
    )

    assert response.status_code == 302
    assert list(
        BedAssignment.objects.filter(participant=pedro).values_list("lodging__name", "night")
    ) == [("Phoenix Parish Hall", date(2027, 3, 2))]


# --- host applications ------------------------------------------------------------------------


@pytest.fixture
def application(trip):
    return HostAllyFactory(
        journey=trip.journey,
        organization="Sanctuary Hall",
        contact_name="Ana Torres",
        email="ana@sanctuary.example.org",
        city="Tucson",
        state="AZ",
        offers_beds=10,
    )


def host_url(host) -> str:
    return reverse("web:plan_host", kwargs={"slug": "caravan", "pk": host.pk})


def test_the_queue_shows_pending_applications_first(coordinator, trip, application):
    HostAllyFactory(journey=trip.journey, organization="Decided Church", status="declined")
    HostAllyFactory(journey=trip.journey, organization="Approved Temple", status="approved")

    response = coordinator.get(reverse("web:plan_hosts", kwargs={"slug": "caravan"}))

    assert [(h.organization, h.status) for h in response.context["hosts"]] == [
        ("Sanctuary Hall", "pending"),
        ("Approved Temple", "approved"),
        ("Decided Church", "declined"),
    ]


def test_approving_an_offer_attaches_it_to_a_stop_makes_lodging_and_emails_the_host(
    coordinator, trip, application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            host_url(application),
            {
                "action": "approve",
                "stop": trip.el_paso.pk,
                "create_lodging": "on",
                "lodging_name": "Sanctuary Hall",
                "lodging_kind": "hall",
                "address": "5 Refuge Road",
                "capacity": "10",
            },
        )

    application.refresh_from_db()
    lodging = Lodging.objects.get(host=application)
    assert response.status_code == 302
    assert (application.status, application.stop, application.decided_at is not None) == (
        "approved",
        trip.el_paso,
        True,
    )
    assert (lodging.stop, lodging.capacity, lodging.check_in, lodging.check_out) == (
        trip.el_paso,
        10,
        trip.el_paso.arrival,
        trip.el_paso.departure,
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ana@sanctuary.example.org"], "Your offer to host Caravan for Justice was accepted")
    ]


def test_approving_without_an_address_for_the_lodging_is_refused(coordinator, trip, application):
    response = coordinator.post(
        host_url(application),
        {
            "action": "approve",
            "stop": trip.el_paso.pk,
            "create_lodging": "on",
            "lodging_name": "Sanctuary Hall",
            "lodging_kind": "hall",
            "capacity": "10",
        },
    )

    assert (response.status_code, response.context["approve"].errors["address"]) == (
        400,
        ["Needed to create the lodging."],
    )
    assert (HostAlly.objects.get(pk=application.pk).status, len(mail.outbox)) == ("pending", 0)


def test_declining_an_offer_emails_the_host_with_the_note(
    coordinator, trip, application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            host_url(application), {"action": "decline", "note": "We already have a place there."}
        )

    application.refresh_from_db()
    assert response.status_code == 302
    assert (application.status, application.decided_at is not None) == ("declined", True)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ana@sanctuary.example.org"], "About your offer to host Caravan for Justice")
    ]
    assert "We already have a place there." in mail.outbox[0].body


def test_a_bed_can_be_removed(coordinator, trip):
    bed = BedAssignment.objects.get(participant=trip.rider, lodging=trip.lodging_phoenix)

    response = coordinator.post(assign_url(trip.rider), {"action": "remove-bed", "id": bed.pk})

    assert response.status_code == 302
    assert list(
        BedAssignment.objects.filter(participant=trip.rider).values_list("lodging__name", flat=True)
    ) == [trip.lodging_la.name]


def test_an_assignment_of_someone_else_is_not_removed(coordinator, trip, pedro):
    bed = BedAssignment.objects.get(participant=trip.rider, lodging=trip.lodging_phoenix)

    coordinator.post(assign_url(pedro), {"action": "remove-bed", "id": bed.pk})

    assert BedAssignment.objects.filter(pk=bed.pk).count() == 1


@pytest.mark.parametrize("page_language", ["en", "es"])
def test_the_host_is_told_in_the_language_they_applied_in(
    coordinator, trip, application, settings, page_language, django_capture_on_commit_callbacks
):
    application.language = "es"
    application.save()
    coordinator.cookies[settings.LANGUAGE_COOKIE_NAME] = page_language

    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(host_url(application), {"action": "decline", "note": ""})

    assert [(m.subject, m.extra_headers["Content-Language"]) for m in mail.outbox] == [
        ("Sobre su oferta de hospedaje para Caravan for Justice", "es")
    ]


def test_the_route_page_reads_in_spanish(coordinator, trip, settings):
    coordinator.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    response = coordinator.post(route_url(trip), {"place": "Nowhereville, ZZ"})

    assert response.context["form"].errors["place"] == [
        "No se encontró ningún lugar llamado “Nowhereville, ZZ”. Revise la ortografía y "
        "agregue el estado, como “Tucson, AZ”."
    ]
