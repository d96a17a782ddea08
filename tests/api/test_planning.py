"""The route planner through the API: the proposal as JSON, and accepting its order.

The route is the planner tests' Los Angeles to San Antonio, with Tucson and Phoenix swapped
in the current order (one night at each stop between the ends): the shortest order that fits
(found by trying every order) goes to Phoenix first. Each planner run is limited to 1 second
(the API's minimum).
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.serializers.planning import PlanQuerySerializer
from journey.models import RouteStop
from journey.planning.data import build_matrix
from journey.planning.services import load_problem
from journey.services import append_stop, set_route_order
from tests.factories import (
    ParticipantFactory,
    RouteFactory,
    SeatAssignmentFactory,
    StopFactory,
    UserFactory,
    VehicleFactory,
    local,
)
from tests.journey.planning.cases import best_by_brute_force

PT, MT, DENVER, CT = "America/Los_Angeles", "America/Phoenix", "America/Denver", "America/Chicago"


@dataclass
class Southwest:
    journey: object
    route: object
    stops: dict
    bus: object
    driver: object
    client: APIClient


@pytest.fixture
def southwest(journey, route, add_stop):
    stops = {}
    for city, arrival, departure in [
        ("Los Angeles", local(PT, 2026, 3, 1, 7), local(PT, 2026, 3, 1, 8)),
        ("Tucson", local(MT, 2026, 3, 1, 17), local(MT, 2026, 3, 2, 8)),
        ("Phoenix", local(MT, 2026, 3, 2, 11), local(MT, 2026, 3, 3, 8)),
        ("El Paso", local(DENVER, 2026, 3, 3, 15), local(DENVER, 2026, 3, 4, 8)),
        ("San Antonio", local(CT, 2026, 3, 4, 18), local(CT, 2026, 3, 5, 8)),
    ]:
        stops[city] = add_stop(route, city, arrival, departure)
    bus = VehicleFactory(journey=journey, route=route, name="Bus 1")
    driver = ParticipantFactory(journey=journey, route=route, display_name="Ana", role="driver")
    SeatAssignmentFactory(
        participant=driver,
        vehicle=bus,
        from_stop=stops["Los Angeles"],
        to_stop=stops["San Antonio"],
        is_driver=True,
    )
    coordinator = UserFactory(username="coordinadora")
    journey.coordinators.add(coordinator)
    client = APIClient()
    client.force_authenticate(coordinator)
    return Southwest(journey, route, stops, bus, driver, client)


def plan_url(sw, route=None) -> str:
    kwargs = {"journey_slug": sw.journey.slug, "pk": (route or sw.route).pk}
    return reverse("api:route-plan", kwargs=kwargs)


def accept_url(sw) -> str:
    kwargs = {"journey_slug": sw.journey.slug, "pk": sw.route.pk}
    return reverse("api:route-plan-accept", kwargs=kwargs)


def ids(sw, *cities) -> list[int]:
    return [sw.stops[city].pk for city in cities]


def route_cities(route) -> list[str]:
    return list(
        RouteStop.objects.filter(route=route)
        .order_by("position")
        .values_list("stop__city", flat=True)
    )


CURRENT = ("Los Angeles", "Tucson", "Phoenix", "El Paso", "San Antonio")
SHORTEST = ("Los Angeles", "Phoenix", "Tucson", "El Paso", "San Antonio")


def set_window(stop, *, latest):
    stop.latest_arrival = latest
    stop.save()


def test_the_plan_proposes_the_shortest_order_with_its_schedule_and_drivers(southwest):
    sw = southwest
    set_window(sw.stops["Phoenix"], latest=local(MT, 2026, 3, 1, 17))
    phoenix, tucson = sw.stops["Phoenix"].pk, sw.stops["Tucson"].pk
    problem = load_problem(journey=sw.journey, route=sw.route)
    _distance, best = best_by_brute_force(problem, build_matrix(problem))

    response = sw.client.get(plan_url(sw), {"time_limit": 1})

    assert response.status_code == 200
    plan = response.json()
    assert (plan["feasible"], plan["changed"], plan["schedule_of"]) == (True, True, "proposed")
    assert [stop["id"] for stop in plan["current"]["stops"]] == ids(sw, *CURRENT)
    assert [stop["id"] for stop in plan["proposed"]["stops"]] == list(best) == ids(sw, *SHORTEST)
    assert [stop["name"] for stop in plan["proposed"]["stops"]] == [
        "Los Angeles, CA",
        "Phoenix, AZ",
        "Tucson, AZ",
        "El Paso, TX",
        "San Antonio, TX",
    ]
    totals = {
        key: {name: plan[key][name] for name in ("distance_km", "driving_minutes", "fits")}
        for key in ("current", "proposed")
    }
    assert totals == {
        "current": {"distance_km": 2468.4, "driving_minutes": 1410, "fits": False},
        "proposed": {"distance_km": 2180.4, "driving_minutes": 1246, "fits": True},
    }
    assert plan["moves"] == [
        {"stop_id": tucson, "name": "Tucson, AZ", "old_position": 2, "new_position": 3},
        {"stop_id": phoenix, "name": "Phoenix, AZ", "old_position": 3, "new_position": 2},
    ]
    assert plan["windows"] == [
        {
            "stop_id": phoenix,
            "name": "Phoenix, AZ",
            "timezone": MT,
            "earliest": None,
            "latest": "2026-03-01T17:00:00-07:00",
            "arrival": "2026-03-01T15:32:00-07:00",
            "met": True,
            "slack_minutes": 88,
            "tight": True,
        }
    ]
    assert plan["explanations"] == []
    assert [
        (stop["stop_id"], stop["timezone"], stop["arrival"], stop["departure"])
        for stop in plan["schedule"]["stops"]
    ] == [
        (sw.stops["Los Angeles"].pk, PT, None, "2026-03-01T08:00:00-08:00"),
        (phoenix, MT, "2026-03-01T15:32:00-07:00", "2026-03-02T08:00:00-07:00"),
        (tucson, MT, "2026-03-02T09:47:00-07:00", "2026-03-03T08:00:00-07:00"),
        (sw.stops["El Paso"].pk, DENVER, "2026-03-03T12:59:00-07:00", "2026-03-04T08:00:00-07:00"),
        (sw.stops["San Antonio"].pk, CT, "2026-03-04T18:28:00-06:00", None),
    ]
    assert plan["schedule"]["flags"] == []
    assert [
        (a["leg_index"], a["vehicle_id"], a["driver_ids"]) for a in plan["drivers"]["assignments"]
    ] == [(index, sw.bus.pk, [sw.driver.pk]) for index in range(4)]
    assert (plan["drivers"]["missing_drivers"], plan["drivers"]["flags"]) == ([], [])


def test_accepting_the_proposal_reorders_the_route(southwest):
    sw = southwest
    plan = sw.client.get(plan_url(sw), {"time_limit": 1}).json()
    body = {
        "stops": [stop["id"] for stop in plan["proposed"]["stops"]],
        "current": [stop["id"] for stop in plan["current"]["stops"]],
    }

    response = sw.client.post(accept_url(sw), body, format="json")

    assert response.status_code == 200
    assert response.json()["stops"] == ids(sw, *SHORTEST)
    assert route_cities(sw.route) == list(SHORTEST)


@pytest.mark.parametrize("order", [SHORTEST, tuple(reversed(CURRENT))], ids=["proposed", "any"])
def test_an_order_of_the_same_stops_may_be_accepted_without_the_current_one(southwest, order):
    sw = southwest

    response = sw.client.post(accept_url(sw), {"stops": ids(sw, *order)}, format="json")

    assert response.status_code == 200
    assert route_cities(sw.route) == list(order)


STALE = "The route changed since this proposal was made: plan it again."
NOT_THE_STOPS = (
    "List every stop of the route that is not cancelled, each once. "
    "If the route changed, plan it again."
)


def cancel_tucson(sw):
    sw.stops["Tucson"].status = "cancelled"
    sw.stops["Tucson"].save()
    return ["Los Angeles", "Tucson", "Phoenix", "El Paso", "San Antonio"]


def swap_el_paso_and_phoenix(sw):
    order = ["Los Angeles", "Tucson", "El Paso", "Phoenix", "San Antonio"]
    set_route_order(route=sw.route, stop_ids=ids(sw, *order))
    return order


def add_houston(sw):
    stop = StopFactory(
        journey=sw.journey,
        city="Houston",
        arrival=local(CT, 2026, 3, 5, 12),
        departure=local(CT, 2026, 3, 6, 8),
    )
    append_stop(route=sw.route, stop=stop)
    return [*CURRENT, "Houston"]


@pytest.mark.parametrize(
    ("change", "with_current", "errors"),
    [
        (cancel_tucson, True, {"current": [STALE]}),
        (cancel_tucson, False, {"stops": [NOT_THE_STOPS]}),
        (swap_el_paso_and_phoenix, True, {"current": [STALE]}),
        (add_houston, True, {"current": [STALE]}),
        (add_houston, False, {"stops": [NOT_THE_STOPS]}),
    ],
    ids=[
        "cancelled-with-current",
        "cancelled",
        "reordered-with-current",
        "added-with-current",
        "added",
    ],
)
def test_a_stale_proposal_is_refused_and_nothing_changes(southwest, change, with_current, errors):
    sw = southwest
    body = {"stops": ids(sw, *SHORTEST)}  # what the plan proposed before the change
    if with_current:
        body["current"] = ids(sw, *CURRENT)
    order_after_change = change(sw)

    response = sw.client.post(accept_url(sw), body, format="json")

    assert (response.status_code, response.json()) == (400, errors)
    assert route_cities(sw.route) == order_after_change


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "El Paso, TX must be reached by Mar 1, 20:00 MST but the earliest possible "
            "arrival is Mar 2, 09:49 MST (driving straight from Los Angeles, CA).",
        ),
        (
            "es",
            "Hay que llegar a El Paso, TX a más tardar el 1 de marzo, 20:00 MST, pero la llegada "
            "más temprana posible es el 2 de marzo, 09:49 MST (manejando directo desde Los "
            "Angeles, CA).",
        ),
    ],
    ids=["en", "es"],
)
def test_a_window_that_cannot_be_met_is_explained_in_the_request_language(
    southwest, language, message
):
    sw = southwest
    el_paso = sw.stops["El Paso"]
    set_window(el_paso, latest=local(DENVER, 2026, 3, 1, 20))

    response = sw.client.get(plan_url(sw), {"time_limit": 1}, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    plan = response.json()
    assert (plan["feasible"], plan["changed"], plan["proposed"], plan["schedule_of"]) == (
        False,
        False,
        None,
        "current",
    )
    assert plan["explanations"] == [
        {
            "kind": "window_unreachable",
            "message": message,
            "stop_id": el_paso.pk,
            "day": None,
            "leg_index": None,
            "vehicle_id": None,
        }
    ]
    assert [
        (w["stop_id"], w["arrival"], w["met"], w["slack_minutes"]) for w in plan["windows"]
    ] == [(el_paso.pk, "2026-03-03T14:20:00-07:00", False, -2540)]


@pytest.mark.parametrize(("given", "used"), [("0", 1), ("1", 1), ("4", 4), ("600", 5)])
def test_the_time_limit_is_brought_into_range(given, used):
    query = PlanQuerySerializer(data={"time_limit": given})

    assert query.is_valid()
    assert query.validated_data == {"time_limit": used}


def test_a_time_limit_that_is_not_a_number_is_refused(southwest):
    response = southwest.client.get(plan_url(southwest), {"time_limit": "soon"})

    assert (response.status_code, response.json()) == (
        400,
        {"time_limit": ["A valid integer is required."]},
    )


def test_a_route_with_one_stop_has_nothing_to_plan(southwest, add_stop):
    sw = southwest
    short = RouteFactory(journey=sw.journey, name="Short")
    add_stop(short, "Houston", local(CT, 2026, 3, 5, 12), local(CT, 2026, 3, 6, 8))

    response = sw.client.get(plan_url(sw, short), {"time_limit": 1})

    assert (response.status_code, response.json()) == (
        400,
        {"non_field_errors": ["A route needs at least two stops to plan."]},
    )
