"""Writes through the API: the models' validation, errors per field, all or nothing."""

import pytest
from django.urls import reverse

from journey.models import Leg, RouteStop
from participants.models import Participant
from stops.models import Activity, Stop
from tests.api.conftest import CT, MT
from tests.factories import ParticipantFactory, local


def stops_url(world):
    return reverse("api:stop-list", kwargs={"journey_slug": world.a.slug})


def route_cities(route):
    return list(
        RouteStop.objects.filter(route=route)
        .order_by("position")
        .values_list("stop__city", flat=True)
    )


def test_a_new_stop_is_read_in_its_own_time_zone_and_put_on_the_route(world):
    body = {
        "city": "Tucson",
        "state": "AZ",
        "arrival": "2026-03-01T15:00",
        "departure": "2026-03-01T16:30",
        "kind": "rest",
        "position": 1,
    }

    response = world.client("coordinator").post(stops_url(world), body, format="json")

    assert response.status_code == 201
    stop = Stop.objects.get(pk=response.json()["id"])
    assert (stop.arrival, stop.departure, stop.timezone) == (
        local(MT, 2026, 3, 1, 15),
        local(MT, 2026, 3, 1, 16, 30),
        "America/Phoenix",
    )
    assert response.json()["arrival"] == "2026-03-01T15:00:00-07:00"
    assert route_cities(world.route) == ["Los Angeles", "Tucson", "Phoenix", "Tucson", "El Paso"]
    assert list(
        Leg.objects.filter(route=world.route)
        .order_by("position")
        .values_list("origin__city", "destination__city")
    ) == [
        ("Los Angeles", "Tucson"),
        ("Tucson", "Phoenix"),
        ("Phoenix", "Tucson"),
        ("Tucson", "El Paso"),
    ]


def test_a_time_with_an_offset_is_that_moment(world):
    body = {
        "city": "Houston",
        "state": "TX",
        "arrival": "2026-03-04T10:00:00Z",
        "departure": "2026-03-04T12:00:00Z",
    }

    response = world.client("coordinator").post(stops_url(world), body, format="json")

    assert response.status_code == 201
    assert (response.json()["arrival"], route_cities(world.route)[-1]) == (
        "2026-03-04T04:00:00-06:00",
        "Houston",
    )


GOOD_STOP = {
    "city": "Houston",
    "state": "TX",
    "arrival": "2026-03-04T10:00",
    "departure": "2026-03-04T12:00",
}


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (
            {"departure": "2026-03-04T09:00"},
            {"departure": ["The departure is before the arrival."]},
        ),
        (
            {"kind": "picnic", "arrival": "soon"},
            {
                "kind": ['"picnic" is not a valid choice.'],
                "arrival": [
                    "Datetime has wrong format. Use one of these formats instead: "
                    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
                ],
            },
        ),
        (
            {"city": "Atlantis", "state": "ZZ"},
            {
                "city": [
                    "No place called “Atlantis, ZZ” was found. Check the spelling and the "
                    "state, or type the coordinates."
                ]
            },
        ),
        (
            {"latitude": "20.000000", "longitude": "-140.000000"},
            {"latitude": ["These coordinates are not on land in any time zone; check them."]},
        ),
        (
            {"arrival": "2026-03-08T02:30", "departure": "2026-03-08T09:00"},
            {
                "arrival": [
                    "2026-03-08 02:30 does not exist in America/Chicago: the clocks skip that "
                    "hour when summer time begins. Type a time after the change."
                ]
            },
        ),
        (
            {"arrival": "0001-01-01T00:00:00+05:00"},
            {"arrival": ["Give a date between the years 1900 and 2199."]},
        ),
        (
            {"route": 999999},
            {"route": ['Invalid pk "999999" - object does not exist.']},
        ),
    ],
)
def test_an_invalid_stop_gets_errors_per_field_and_nothing_is_saved(world, change, errors):
    before = (Stop.objects.count(), RouteStop.objects.count(), Leg.objects.count())

    response = world.client("coordinator").post(
        stops_url(world), {**GOOD_STOP, **change}, format="json"
    )

    assert (response.status_code, response.json()) == (400, errors)
    assert (Stop.objects.count(), RouteStop.objects.count(), Leg.objects.count()) == before


def test_a_route_of_another_journey_does_not_exist_here(world):
    other_route = world.other["route"].pk

    response = world.client("coordinator").post(
        stops_url(world), {**GOOD_STOP, "route": other_route}, format="json"
    )

    assert (response.status_code, response.json()) == (
        400,
        {"route": [f'Invalid pk "{other_route}" - object does not exist.']},
    )


def test_a_failed_change_leaves_the_stop_as_it_was(world):
    phoenix = world.stops["phoenix"]
    url = reverse("api:stop-detail", kwargs={"journey_slug": world.a.slug, "pk": phoenix.pk})

    response = world.client("coordinator").patch(
        url,
        {"departure": "2026-03-01T10:00", "venue": "Plaza", "version": phoenix.version},
        format="json",
    )

    phoenix.refresh_from_db()
    assert (response.status_code, response.json()) == (
        400,
        {"departure": ["The departure is before the arrival."]},
    )
    assert (phoenix.venue, phoenix.departure) == ("", local(MT, 2026, 3, 2, 9))


def test_an_activity_at_another_journeys_stop_is_refused(world):
    houston = world.other["stops"]["houston"]
    url = reverse("api:activity-list", kwargs={"journey_slug": world.a.slug})
    body = {
        "stop": houston.pk,
        "kind": "rally",
        "title": "Rally",
        "starts_at": "2026-04-01T19:00",
        "ends_at": "2026-04-01T20:00",
    }

    response = world.client("coordinator").post(url, body, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"stop": [f'Invalid pk "{houston.pk}" - object does not exist.']},
    )
    assert Activity.objects.filter(stop=houston).count() == 1


def test_an_activity_is_read_in_its_stops_time_zone(world):
    url = reverse("api:activity-list", kwargs={"journey_slug": world.a.slug})
    body = {
        "stop": world.stops["el_paso"].pk,
        "kind": "vigil",
        "title": "Vigil",
        "starts_at": "2026-03-02T19:00",
        "ends_at": "2026-03-02T20:00",
    }

    response = world.client("coordinator").post(url, body, format="json")

    activity = Activity.objects.get(pk=response.json()["id"])
    assert (response.status_code, activity.starts_at) == (
        201,
        local("America/Denver", 2026, 3, 2, 19),
    )


def test_a_participant_who_joins_at_a_stop_off_their_route_is_refused(world):
    url = reverse("api:participant-list", kwargs={"journey_slug": world.a.slug})
    other_route = world.a.routes.create(name="North")
    body = {
        "display_name": "Ana",
        "route": other_route.pk,
        "join_stop": world.stops["phoenix"].pk,
    }

    response = world.client("coordinator").post(url, body, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"join_stop": ["This stop is not on the participant's route."]},
    )
    assert Participant.objects.filter(display_name="Ana").count() == 0


def test_reordering_a_route_recomputes_its_legs(world):
    stops = world.stops
    url = reverse("api:route-order", kwargs={"journey_slug": world.a.slug, "pk": world.route.pk})
    order = [stops[k].pk for k in ("la", "tucson", "phoenix", "el_paso")]

    response = world.client("coordinator").post(url, {"stops": order}, format="json")

    assert (response.status_code, response.json()["stops"]) == (200, order)
    assert route_cities(world.route) == ["Los Angeles", "Tucson", "Phoenix", "El Paso"]
    assert Leg.objects.filter(route=world.route).count() == 3


def test_a_route_order_must_list_each_stop_once(world):
    url = reverse("api:route-order", kwargs={"journey_slug": world.a.slug, "pk": world.route.pk})

    response = world.client("coordinator").post(
        url, {"stops": [world.stops["la"].pk]}, format="json"
    )

    assert (response.status_code, response.json()) == (
        400,
        {"stops": ["List every stop of the route exactly once."]},
    )


def test_a_staff_member_starts_a_journey_and_coordinates_it(world):
    body = {"name": "Caravan C", "slug": "caravan-c", "home_timezone": CT}

    response = world.client("coordinator").post(reverse("api:journey-list"), body, format="json")

    assert (response.status_code, response.json()["your_role"]) == (201, "coordinator")
    assert list(world.users["coordinator"].coordinated_journeys.values_list("slug", flat=True)) == [
        "caravan-a",
        "caravan-c",
    ]


def test_a_taken_slug_is_refused(world):
    body = {"name": "Again", "slug": "caravan-b"}

    response = world.client("coordinator").post(reverse("api:journey-list"), body, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"slug": ["journey with this slug already exists."]},
    )


def test_deciding_on_a_host_application_stamps_the_decision(world):
    url = reverse(
        "api:host-detail", kwargs={"journey_slug": world.a.slug, "pk": world.pending_host.pk}
    )

    response = world.client("coordinator").patch(url, {"status": "approved"}, format="json")

    world.pending_host.refresh_from_db()
    assert (response.status_code, world.pending_host.status) == (200, "approved")
    assert world.pending_host.decided_at is not None


def test_a_retention_of_three_million_days_is_refused_with_a_field_error(world):
    url = reverse("api:journey-detail", kwargs={"slug": world.a.slug})

    response = world.client("coordinator").patch(url, {"retention_days": 3_000_000}, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"retention_days": ["Ensure this value is less than or equal to 3650."]},
    )
    world.a.refresh_from_db()
    assert world.a.retention_days == 30


# --- linking a login: only by the rider's own claim ---------------------------------------------


@pytest.mark.parametrize("username", ["casa-amiga", "nobody-by-this-name"])
def test_a_coordinator_cannot_attach_a_login_by_typing_a_username(world, username):
    """Whether the username exists or not, the answer is the same and nothing is linked:
    the coordinator learns no username and reads no one's email."""
    other = ParticipantFactory(journey=world.a, display_name="Walk-in")
    url = reverse("api:participant-detail", kwargs={"journey_slug": world.a.slug, "pk": other.pk})

    response = world.client("coordinator").patch(url, {"user": username}, format="json")

    other.refresh_from_db()
    assert (response.status_code, response.json()["user"], other.user) == (200, None, None)
    assert "casa-amiga" not in response.content.decode()
    assert "hola@casa-amiga" not in response.content.decode().lower()


def test_a_coordinator_cannot_move_a_riders_login_to_someone_else(world):
    url = reverse(
        "api:participant-detail", kwargs={"journey_slug": world.a.slug, "pk": world.rider.pk}
    )

    response = world.client("coordinator").patch(url, {"user": None}, format="json")

    world.rider.refresh_from_db()
    assert (response.status_code, response.json()["user"]) == (200, "xiomara")
    assert world.rider.user == world.users["rider"]
