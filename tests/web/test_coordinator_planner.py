"""The route planner's page: who may open it, what it proposes, and accepting the order."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from journey.models import RouteStop
from journey.services import set_route_order
from tests.factories import (
    JourneyFactory,
    ParticipantFactory,
    SeatAssignmentFactory,
    UserFactory,
    VehicleFactory,
    local,
)
from web.coordinator.planner import time_limit

PT, AZ, MT = "America/Los_Angeles", "America/Phoenix", "America/Denver"
SEARCH = {"time_limit": "1"}  # the shortest search the page allows


@pytest.fixture
def swapped(journey, route, add_stop, coordinator_user):
    """Los Angeles → Tucson → Phoenix → El Paso: Phoenix should come before Tucson."""
    journey.coordinators.add(coordinator_user)
    stops = {
        city: add_stop(route, city, arrival, departure)
        for city, arrival, departure in [
            ("Los Angeles", local(PT, 2026, 3, 1, 7), local(PT, 2026, 3, 1, 8)),
            ("Tucson", local(AZ, 2026, 3, 1, 17), local(AZ, 2026, 3, 2, 8)),
            ("Phoenix", local(AZ, 2026, 3, 2, 11), local(AZ, 2026, 3, 3, 8)),
            ("El Paso", local(MT, 2026, 3, 3, 15), local(MT, 2026, 3, 4, 8)),
        ]
    }
    bus = VehicleFactory(journey=journey, route=route, name="Bus 1")
    driver = ParticipantFactory(journey=journey, route=route, display_name="Ana", role="driver")
    SeatAssignmentFactory(
        participant=driver,
        vehicle=bus,
        from_stop=stops["Los Angeles"],
        to_stop=stops["El Paso"],
        is_driver=True,
    )
    return stops


def planner_url(route) -> str:
    return reverse(
        "web:plan_route_planner", kwargs={"slug": route.journey.slug, "route_id": route.pk}
    )


def accept_url(route) -> str:
    return reverse(
        "web:plan_route_planner_accept", kwargs={"slug": route.journey.slug, "route_id": route.pk}
    )


def cities(route) -> list[str]:
    return list(
        RouteStop.objects.filter(route=route)
        .order_by("position")
        .values_list("stop__city", flat=True)
    )


def ids(stops, *names) -> list[str]:
    return [str(stops[name].pk) for name in names]


def flashed(response) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def visitor(journey, who: str):
    if who == "rider":
        user = UserFactory(username="rider")
        ParticipantFactory(journey=journey, user=user)
        return user
    user = UserFactory(username="elsewhere")
    JourneyFactory(slug="elsewhere").coordinators.add(user)
    return user


# --- access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["rider", "coordinator of another journey"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_planner_is_hidden_from_everyone_but_the_coordinators(
    client, journey, route, swapped, who, method
):
    client.force_login(visitor(journey, who))
    url = planner_url(route) if method == "get" else accept_url(route)

    response = getattr(client, method)(url)

    assert response.status_code == 404


@pytest.mark.parametrize("page", [planner_url, accept_url])
def test_anonymous_visitors_are_sent_to_the_login_page(client, route, swapped, page):
    url = page(route)

    response = client.get(url)

    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('admin:login')}?next={url}",
    )


def test_a_route_of_another_journey_is_not_found(client, route, swapped, coordinator_user):
    other = JourneyFactory(slug="other")
    client.force_login(coordinator_user)

    response = client.get(
        reverse("web:plan_route_planner", kwargs={"slug": other.slug, "route_id": route.pk})
    )

    assert response.status_code == 404


# --- the proposal -------------------------------------------------------------------------------


def test_the_page_proposes_the_shorter_order_and_the_stops_that_move(
    client, route, swapped, coordinator_user
):
    client.force_login(coordinator_user)

    response = client.get(planner_url(route), SEARCH)

    context = response.context
    assert response.status_code == 200
    assert context["time_limit"] == 1
    assert [row["name"] for row in context["proposed"]] == [
        "Los Angeles, CA",
        "Phoenix, AZ",
        "Tucson, AZ",
        "El Paso, TX",
    ]
    assert [(m.name, m.old_position, m.new_position) for m in context["moves"]] == [
        ("Tucson, AZ", 2, 3),
        ("Phoenix, AZ", 3, 2),
    ]
    assert context["form"]["stops"].value() == ids(
        swapped, "Los Angeles", "Phoenix", "Tucson", "El Paso"
    )
    assert context["form"]["current"].value() == ids(
        swapped, "Los Angeles", "Tucson", "Phoenix", "El Paso"
    )


def test_the_page_shows_the_schedule_and_drivers_of_the_proposed_order(
    client, route, swapped, coordinator_user
):
    client.force_login(coordinator_user)

    response = client.get(planner_url(route), SEARCH)

    context = response.context
    assert [(day["first"], day["last"]) for day in context["days"]] == [
        ("Los Angeles, CA", "Phoenix, AZ"),
        ("Phoenix, AZ", "Tucson, AZ"),
        ("Tucson, AZ", "El Paso, TX"),
    ]
    assert context["days"][0]["legs"][0]["departure"] == "Mar 1, 08:00 PST"
    assert [
        [leg["who"] for leg in vehicle["legs"]] for vehicle in context["drivers"]["vehicles"]
    ] == [["Ana", "Ana", "Ana"]]
    assert context["drivers"]["flags"] == []


def test_when_no_order_fits_the_page_explains_why_and_offers_nothing_to_accept(
    client, route, swapped, coordinator_user
):
    tucson = swapped["Tucson"]
    tucson.earliest_arrival = local(AZ, 2026, 3, 20, 9)
    tucson.save()
    client.force_login(coordinator_user)

    response = client.get(planner_url(route), SEARCH)

    context = response.context
    assert (context["proposed_totals"], context["form"]) == (None, None)
    assert [row["name"] for row in context["proposed"]] == [
        "Los Angeles, CA",
        "Tucson, AZ",
        "Phoenix, AZ",
        "El Paso, TX",
    ]
    assert context["explanations"] == [
        "Tucson, AZ cannot be reached before Mar 20, 09:00 MST: with the planned stays "
        "(1 nights before it at most) the caravan is there by 2026-03-02. "
        "Add nights or move the window."
    ]
    assert b"Accept this order" not in response.content


@pytest.mark.parametrize(("asked", "used"), [("", 3), ("1", 1), ("0", 1), ("9", 5), ("soon", 3)])
def test_the_time_limit_stays_within_one_and_five_seconds(rf, asked, used):
    request = rf.get("/", {"time_limit": asked})

    assert time_limit(request) == used


def test_the_route_page_and_the_dashboard_link_to_the_planner(
    client, journey, route, swapped, coordinator_user
):
    client.force_login(coordinator_user)
    link = f'href="{planner_url(route)}"'

    pages = [
        client.get(reverse("web:plan_route", kwargs={"slug": journey.slug, "route_id": route.pk})),
        client.get(reverse("web:plan_dashboard", kwargs={"slug": journey.slug})),
    ]

    assert [page.content.decode().count(link) for page in pages] == [1, 1]


# --- accepting ----------------------------------------------------------------------------------


def test_accepting_the_order_reorders_the_route(client, journey, route, swapped, coordinator_user):
    client.force_login(coordinator_user)

    response = client.post(
        accept_url(route),
        {
            "stops": ids(swapped, "Los Angeles", "Phoenix", "Tucson", "El Paso"),
            "current": ids(swapped, "Los Angeles", "Tucson", "Phoenix", "El Paso"),
        },
    )

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("web:plan_route", kwargs={"slug": journey.slug, "route_id": route.pk}),
    )
    assert flashed(response) == [("success", "The proposed order is now the route's order.")]
    assert cities(route) == ["Los Angeles", "Phoenix", "Tucson", "El Paso"]


STALE = (
    "error",
    "The route changed since this order was proposed: nothing was changed. Here is a new proposal.",
)


def test_an_order_proposed_before_the_route_changed_is_refused(
    client, route, swapped, coordinator_user
):
    client.force_login(coordinator_user)
    form = client.get(planner_url(route), SEARCH).context["form"]
    moved = [swapped[c].pk for c in ("Los Angeles", "Tucson", "El Paso", "Phoenix")]
    set_route_order(route=route, stop_ids=moved)  # someone else reorders meanwhile

    response = client.post(
        accept_url(route),
        {"stops": form["stops"].value(), "current": form["current"].value()},
    )

    assert (response.status_code, response["Location"]) == (302, planner_url(route))
    assert flashed(response) == [STALE]
    assert cities(route) == ["Los Angeles", "Tucson", "El Paso", "Phoenix"]


@pytest.mark.parametrize(
    "stops",
    [
        ("Los Angeles", "Phoenix", "Tucson"),  # a stop left out
        ("Los Angeles", "Phoenix", "Phoenix", "El Paso"),  # a stop twice
    ],
)
def test_an_order_that_does_not_list_each_stop_once_is_refused(
    client, route, swapped, coordinator_user, stops
):
    client.force_login(coordinator_user)

    response = client.post(
        accept_url(route),
        {
            "stops": ids(swapped, *stops),
            "current": ids(swapped, "Los Angeles", "Tucson", "Phoenix", "El Paso"),
        },
    )

    assert (response.status_code, flashed(response)) == (302, [STALE])
    assert cities(route) == ["Los Angeles", "Tucson", "Phoenix", "El Paso"]


def test_ids_that_are_not_numbers_are_refused(client, route, swapped, coordinator_user):
    client.force_login(coordinator_user)

    response = client.post(accept_url(route), {"stops": ["x"], "current": ["y"]})

    assert (response.status_code, flashed(response)) == (302, [STALE])
    assert cities(route) == ["Los Angeles", "Tucson", "Phoenix", "El Paso"]
