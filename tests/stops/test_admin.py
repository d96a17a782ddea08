"""The stop, activity, host ally and lodging admin: local times, geocoding, occupancy, actions."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journey.models import Leg, RouteStop
from stops.models import Activity, HostAlly, HostStatus, Lodging, Stop
from tests.factories import (
    ActivityFactory,
    BedAssignmentFactory,
    HostAllyFactory,
    JourneyFactory,
    LodgingFactory,
    ParticipantFactory,
    RouteFactory,
    StopFactory,
    local,
)

MT = "America/Phoenix"


# Whitenoise warns when STATIC_ROOT has not been collected, which tests do not need.
def admin_page(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def stop_data(journey, **fields) -> dict:
    return {
        "journey": journey.pk,
        "city": "",
        "state": "",
        "country": "US",
        "venue": "",
        "address": "",
        "latitude": "",
        "longitude": "",
        "arrival": "",
        "departure": "",
        "kind": "overnight",
        "status": "planned",
        "is_public": "on",
        "public_notes": "",
        "private_notes": "",
        "add_to_route": "",
        **fields,
    }


def inline_management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def form_errors(response) -> dict:
    return {
        name: list(errors) for name, errors in response.context["adminform"].form.errors.items()
    }


def cells(response, column: str) -> list[str]:
    html = response.content.decode()
    return re.findall(rf'<td class="field-{column}[^"]*">(.*?)</td>', html, re.S)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- Stop times in local time ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "arrival", "zone", "stored"),
    [
        # Phoenix keeps UTC-7 all year: 18:00 is 01:00 UTC the next day.
        ({"city": "Phoenix", "state": "AZ"}, "2026-03-01T18:00", MT, utc(2026, 3, 2, 1)),
        # New York in July is on daylight time, UTC-4.
        (
            {"city": "New York", "state": "NY"},
            "2026-07-04 10:00",
            "America/New_York",
            utc(2026, 7, 4, 14),
        ),
        # 01:30 happens twice in Chicago that night: the first one, still on CDT (UTC-5).
        (
            {"city": "Chicago", "state": "IL"},
            "2026-11-01T01:30",
            "America/Chicago",
            utc(2026, 11, 1, 6, 30),
        ),
        # Typed coordinates (El Paso, on mountain time) win over the city.
        (
            {"city": "Somewhere", "latitude": "31.761878", "longitude": "-106.485022"},
            "2026-03-01T12:00",
            "America/Denver",
            utc(2026, 3, 1, 19),
        ),
    ],
    ids=["phoenix", "new-york-july", "chicago-fall-back", "typed-coordinates"],
)
def test_a_new_stops_times_are_read_in_its_local_time(
    admin_client, journey, place, arrival, zone, stored
):
    data = stop_data(journey, arrival=arrival, departure="2026-11-02T09:00", **place)

    response = admin_client.post(admin_page(Stop, "add"), data)

    assert response.status_code == 302
    stop = Stop.objects.get()
    assert (stop.arrival, stop.timezone) == (stored, zone)


def test_a_time_skipped_when_clocks_spring_forward_is_refused(admin_client, journey):
    data = stop_data(
        journey,
        city="Chicago",
        state="IL",
        arrival="2026-03-08T02:30",
        departure="2026-03-08T09:00",
    )

    response = admin_client.post(admin_page(Stop, "add"), data)

    assert form_errors(response) == {
        "arrival": [
            "2026-03-08 02:30 does not exist in America/Chicago: the clocks skip that hour "
            "when summer time begins. Type a time after the change."
        ]
    }
    assert Stop.objects.count() == 0


def test_a_city_and_state_are_geocoded_to_coordinates_and_zone(admin_client, journey):
    data = stop_data(
        journey, city="Tucson", state="AZ", arrival="2026-03-02T12:00", departure="2026-03-03T10:00"
    )

    admin_client.post(admin_page(Stop, "add"), data)

    stop = Stop.objects.get()
    assert (round(stop.latitude, 2), round(stop.longitude, 2), stop.timezone) == (
        Decimal("32.22"),
        Decimal("-110.93"),
        MT,
    )
    assert stop.arrival == utc(2026, 3, 2, 19)


def test_an_unknown_place_is_refused_with_one_message(admin_client, journey):
    data = stop_data(
        journey,
        city="Atlantisville",
        state="AZ",
        arrival="2026-03-02T12:00",
        departure="2026-03-03T10:00",
    )

    response = admin_client.post(admin_page(Stop, "add"), data)

    assert form_errors(response) == {
        "city": [
            "No place called “Atlantisville, AZ” was found. Check the spelling and the "
            "state, or type the coordinates."
        ]
    }


def test_the_change_form_shows_stored_times_in_local_time(admin_client, journey):
    stop = StopFactory(
        journey=journey,
        city="Phoenix",
        arrival=local(MT, 2026, 3, 1, 18),
        departure=local(MT, 2026, 3, 2, 9),
    )

    response = admin_client.get(admin_page(Stop, "change", stop.pk))

    form = response.context["adminform"].form
    assert (form["arrival"].value(), form["departure"].value()) == (
        datetime(2026, 3, 1, 18),
        datetime(2026, 3, 2, 9),
    )
    assert 'type="datetime-local" name="arrival" value="2026-03-01T18:00"' in (
        response.content.decode()
    )
    assert form.fields["arrival"].help_text == (
        "Local time in America/Phoenix (MST). An hour that happens twice when the clocks fall "
        "back is read as its first occurrence."
    )


def change_data(stop, **fields) -> dict:
    return {
        **stop_data(
            stop.journey,
            city=stop.city,
            state=stop.state,
            latitude=str(stop.latitude),
            longitude=str(stop.longitude),
            arrival=f"{stop.local_arrival:%Y-%m-%dT%H:%M}",
            departure=f"{stop.local_departure:%Y-%m-%dT%H:%M}",
        ),
        **inline_management("activities"),
        **inline_management("lodgings"),
        **inline_management("contacts"),
        **inline_management("meals"),
        "based_on_version": stop.version,
        **fields,
    }


def test_saving_a_stop_unchanged_keeps_its_times(admin_client, journey):
    stop = StopFactory(
        journey=journey,
        city="Phoenix",
        arrival=local(MT, 2026, 3, 1, 18),
        departure=local(MT, 2026, 3, 2, 9),
    )

    response = admin_client.post(admin_page(Stop, "change", stop.pk), change_data(stop))

    stop.refresh_from_db()
    assert response.status_code == 302
    assert (stop.arrival, stop.departure) == (utc(2026, 3, 2, 1), utc(2026, 3, 2, 16))


def test_activities_are_typed_in_the_stops_local_time(admin_client, journey):
    stop = StopFactory(
        journey=journey,
        city="Phoenix",
        arrival=local(MT, 2026, 3, 1, 18),
        departure=local(MT, 2026, 3, 2, 9),
    )
    data = change_data(
        stop,
        **inline_management("activities", total=1),
        **inline_management("contacts"),
        **inline_management("meals"),
        **{
            "activities-0-stop": stop.pk,
            "activities-0-title": "Vigil",
            "activities-0-kind": "vigil",
            "activities-0-starts_at": "2026-03-01T21:00",
            "activities-0-ends_at": "2026-03-01T22:30",
            "activities-0-venue": "",
        },
    )

    response = admin_client.post(admin_page(Stop, "change", stop.pk), data)

    assert response.status_code == 302
    vigil = Activity.objects.get()
    assert (vigil.starts_at, vigil.ends_at) == (utc(2026, 3, 2, 4), utc(2026, 3, 2, 5, 30))


def test_a_new_stop_goes_to_the_end_of_the_chosen_route(admin_client, journey, route, add_stop):
    add_stop(route, "Los Angeles", local(MT, 2026, 3, 1, 8), local(MT, 2026, 3, 1, 9))
    data = stop_data(
        journey,
        city="Phoenix",
        state="AZ",
        arrival="2026-03-01T18:00",
        departure="2026-03-02T09:00",
        add_to_route=route.pk,
    )

    admin_client.post(admin_page(Stop, "add"), data)

    assert [(rs.stop.city, rs.position) for rs in route.route_stops.order_by("position")] == [
        ("Los Angeles", 0),
        ("Phoenix", 1),
    ]
    assert [str(leg) for leg in Leg.objects.filter(route=route)] == ["Los Angeles → Phoenix"]


def test_a_stop_cannot_join_another_journeys_route(admin_client, journey):
    other_route = RouteFactory(journey=JourneyFactory(), name="Elsewhere")
    data = stop_data(
        journey,
        city="Phoenix",
        state="AZ",
        arrival="2026-03-01T18:00",
        departure="2026-03-02T09:00",
        add_to_route=other_route.pk,
    )

    response = admin_client.post(admin_page(Stop, "add"), data)

    assert form_errors(response) == {"add_to_route": ["This route belongs to another journey."]}
    assert RouteStop.objects.count() == 0


def test_the_route_choice_leaves_out_routes_the_stop_is_on(admin_client, journey, route, add_stop):
    stop = add_stop(route, "Phoenix", local(MT, 2026, 3, 1, 18), local(MT, 2026, 3, 2, 9))
    north = RouteFactory(journey=journey, name="North")
    RouteFactory(journey=JourneyFactory(), name="Elsewhere")

    response = admin_client.get(admin_page(Stop, "change", stop.pk))

    choices = response.context["adminform"].form.fields["add_to_route"].queryset
    assert list(choices) == [north]


# --- Lists without N+1 -------------------------------------------------------------------------


def make_stop(journey, n):
    return StopFactory(
        journey=journey,
        city="Phoenix",
        arrival=local(MT, 2026, 3, 1 + n % 20, 18),
        departure=local(MT, 2026, 3, 2 + n % 20, 9),
    )


def make_activity(journey, n):
    return ActivityFactory(stop=make_stop(journey, n))


def make_host(journey, n):
    return HostAllyFactory(journey=journey, stop=make_stop(journey, n))


def make_lodging(journey, n):
    lodging = LodgingFactory(stop=make_stop(journey, n))
    person = ParticipantFactory(journey=journey)
    BedAssignmentFactory(participant=person, lodging=lodging, night=lodging.nights[0])
    return lodging


@pytest.mark.parametrize(
    ("model", "make"),
    [(Stop, make_stop), (Activity, make_activity), (HostAlly, make_host), (Lodging, make_lodging)],
    ids=["stops", "activities", "hosts", "lodging"],
)
def test_lists_need_the_same_queries_for_3_or_30_rows(
    admin_client, journey, model, make, django_assert_max_num_queries
):
    for n in range(3):
        make(journey, n)
    url = admin_page(model, "changelist")
    few = count_queries(admin_client, url)
    for n in range(3, 30):
        make(journey, n)

    with django_assert_max_num_queries(few):
        response = admin_client.get(url)

    assert response.context["cl"].result_count == 30


def test_stop_page_needs_the_same_queries_for_many_activities_and_lodgings(
    admin_client, journey, django_assert_max_num_queries
):
    stop = make_stop(journey, 0)
    host = HostAllyFactory(journey=journey, stop=stop)

    def add():
        ActivityFactory(stop=stop)
        LodgingFactory(stop=stop, host=host)

    add()
    url = admin_page(Stop, "change", stop.pk)
    few = count_queries(admin_client, url)
    for _ in range(10):
        add()

    with django_assert_max_num_queries(few):
        admin_client.get(url)


def test_stop_list_shows_local_arrival_with_zone(admin_client, journey):
    StopFactory(
        journey=journey,
        city="Phoenix",
        arrival=local(MT, 2026, 3, 1, 18),
        departure=local(MT, 2026, 3, 2, 9),
    )

    response = admin_client.get(admin_page(Stop, "changelist"))

    assert cells(response, "local_arrival") == ["Mar 1, 18:00 MST"]


# --- Lodging -----------------------------------------------------------------------------------


@pytest.fixture
def hall(journey):
    """A hall in Phoenix for the nights of Mar 1 and Mar 2, 8 then 10 of its 10 beds taken."""
    stop = StopFactory(
        journey=journey,
        city="Phoenix",
        arrival=local(MT, 2026, 3, 1, 18),
        departure=local(MT, 2026, 3, 3, 9),
    )
    hall = LodgingFactory(stop=stop, name="Hall", capacity=10)
    people = [ParticipantFactory(journey=journey) for _ in range(10)]
    for person in people[:8]:
        BedAssignmentFactory(participant=person, lodging=hall, night=local(MT, 2026, 3, 1).date())
    for person in people:
        BedAssignmentFactory(participant=person, lodging=hall, night=local(MT, 2026, 3, 2).date())
    return hall


def test_lodging_list_shows_occupancy_per_night_and_local_times(admin_client, hall):
    empty = LodgingFactory(stop=hall.stop, name="Annex", capacity=4)

    response = admin_client.get(admin_page(Lodging, "changelist"))

    assert [obj.name for obj in response.context["cl"].result_list] == [empty.name, hall.name]
    assert cells(response, "occupancy") == [
        "Mar 1: 0/4, Mar 2: 0/4",
        "Mar 1: 8/10, Mar 2: 10/10",
    ]
    assert cells(response, "local_check_in") == ["Mar 1, 18:00 MST", "Mar 1, 18:00 MST"]


def test_a_lodgings_check_in_is_read_in_its_stops_local_time(admin_client, hall):
    data = {
        "stop": hall.stop.pk,
        "host": "",
        "name": "Parish",
        "kind": "church",
        "address": "1 Church St",
        "capacity": 20,
        "check_in": "2026-03-01T19:00",
        "check_out": "2026-03-03T08:00",
        "accessibility_notes": "",
        "notes": "",
    }

    response = admin_client.post(admin_page(Lodging, "add"), data)

    assert response.status_code == 302
    parish = Lodging.objects.get(name="Parish")
    assert (parish.check_in, parish.check_out) == (utc(2026, 3, 2, 2), utc(2026, 3, 3, 15))
    assert parish.nights == [local(MT, 2026, 3, 1).date(), local(MT, 2026, 3, 2).date()]


def test_lodging_page_shows_occupancy(admin_client, hall):
    response = admin_client.get(admin_page(Lodging, "change", hall.pk))

    html = response.content.decode()
    occupancy = re.search(r'field-occupancy">.*?<div class="readonly">(.*?)</div>', html, re.S)
    assert occupancy.group(1) == "Mar 1: 8/10, Mar 2: 10/10"


def test_lodging_page_offers_only_the_journeys_participants_for_beds(admin_client, hall):
    ParticipantFactory(journey=JourneyFactory(), display_name="Outsider")

    response = admin_client.get(admin_page(Lodging, "change", hall.pk))

    formset = response.context["inline_admin_formsets"][0].formset
    offered = [label for value, label in formset.empty_form.fields["participant"].choices if value]
    assert len(offered) == 10
    assert "Outsider" not in offered


# --- Host allies -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", HostStatus.APPROVED), ("decline", HostStatus.DECLINED)],
)
def test_host_ally_actions_decide_the_selected_hosts(admin_client, journey, action, status):
    chosen = [HostAllyFactory(journey=journey) for _ in range(2)]
    untouched = HostAllyFactory(journey=journey)
    moment = utc(2026, 2, 1, 12)

    with time_machine.travel(moment, tick=False):
        response = admin_client.post(
            admin_page(HostAlly, "changelist"),
            {"action": action, "_selected_action": [host.pk for host in chosen]},
        )

    assert response.status_code == 302
    decided = {host.pk: (host.status, host.decided_at) for host in HostAlly.objects.all()}
    assert decided == {
        chosen[0].pk: (status, moment),
        chosen[1].pk: (status, moment),
        untouched.pk: (HostStatus.PENDING, None),
    }


def test_a_stop_takes_local_contacts_inline(admin_client, journey):
    from stops.models import LocalContact

    stop = StopFactory(journey=journey, city="El Paso")

    page = admin_client.get(reverse("admin:stops_stop_change", args=[stop.pk]))
    LocalContact.objects.create(
        stop=stop, kind="legal_aid", name="Frontera Legal Aid", phone="+1 915 555 0110"
    )
    listed = admin_client.get(reverse("admin:stops_localcontact_changelist"))

    assert 'name="contacts-TOTAL_FORMS"' in page.content.decode()
    assert [str(c) for c in listed.context["cl"].result_list] == ["Frontera Legal Aid (Legal aid)"]
