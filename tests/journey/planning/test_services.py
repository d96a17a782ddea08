"""Loading a route for the planner, planning it, and applying the proposed order."""

import pytest

from journey.models import Leg, RouteStop
from journey.planning.data import Appointment, LegFigures
from journey.planning.services import (
    StaleProposal,
    accept_order,
    load_problem,
    load_team,
    plan_route,
)
from journey.services import append_stop
from tests.factories import ActivityFactory, LodgingFactory, StopFactory, local
from tests.journey.planning.conftest import MT

LIMIT = 0.3


def route_cities(route):
    return list(
        RouteStop.objects.filter(route=route)
        .order_by("position")
        .values_list("stop__city", flat=True)
    )


def leg_cities(route):
    return [
        (leg.origin.city, leg.destination.city)
        for leg in Leg.objects.filter(route=route).select_related("origin", "destination")
    ]


def test_the_problem_is_read_in_four_queries(southwest_route, django_assert_num_queries):
    sw = southwest_route
    phoenix, tucson = sw.stops["Phoenix"], sw.stops["Tucson"]
    rally = ActivityFactory(
        stop=phoenix,
        title="Rally",
        starts_at=local(MT, 2026, 3, 2, 14),
        ends_at=local(MT, 2026, 3, 2, 16),
    )
    phoenix.kind = "rally"
    phoenix.latest_arrival = local(MT, 2026, 3, 2, 13)
    phoenix.save()
    LodgingFactory(stop=phoenix)
    tucson.kind = "rest"
    tucson.save()
    Leg.objects.filter(origin=sw.stops["El Paso"]).update(
        override_distance_km=900.0, override_driving_minutes=540, override_reason="Map"
    )

    with django_assert_num_queries(4):
        problem = load_problem(journey=sw.journey, route=sw.route)

    assert [stop.name for stop in problem.stops] == [
        "Los Angeles, CA",
        "Tucson, AZ",
        "Phoenix, AZ",
        "El Paso, TX",
        "San Antonio, TX",
        "Houston, TX",
        "New Orleans, LA",
    ]
    by_name = {stop.name: stop for stop in problem.stops}
    assert by_name["Phoenix, AZ"].has_lodging is True  # a rally stop with a lodging
    assert by_name["Tucson, AZ"].has_lodging is False  # a rest stop without one
    assert by_name["Phoenix, AZ"].latest_arrival == local(MT, 2026, 3, 2, 13)
    assert by_name["Phoenix, AZ"].activities == (
        Appointment("Rally", rally.starts_at, rally.ends_at),
    )
    assert by_name["Phoenix, AZ"].timezone == MT
    assert problem.known_legs[(sw.stops["El Paso"].pk, sw.stops["San Antonio"].pk)] == (
        LegFigures(900.0, 540)
    )
    assert (problem.rules.day_start, problem.rules.day_end) == (
        sw.journey.day_start,
        sw.journey.day_end,
    )


def test_cancelled_stops_are_not_planned(southwest_route):
    sw = southwest_route
    sw.stops["Houston"].status = "cancelled"
    sw.stops["Houston"].save()

    problem = load_problem(journey=sw.journey, route=sw.route)

    assert "Houston, TX" not in [stop.name for stop in problem.stops]
    assert len(problem.stops) == 6


def test_the_team_is_the_routes_vehicles_and_drivers(southwest_route, django_assert_num_queries):
    sw = southwest_route

    with django_assert_num_queries(3):
        vehicles, drivers = load_team(route=sw.route)

    assert [(v.id, v.name) for v in vehicles] == [(sw.bus.pk, "Bus 1")]
    assert [(d.id, d.name, d.vehicle_ids) for d in drivers] == [
        (sw.driver.pk, "Ana", frozenset({sw.bus.pk}))
    ]


def test_planning_a_route_proposes_order_schedule_and_drivers(southwest_route):
    sw = southwest_route

    planning = plan_route(journey=sw.journey, time_limit=LIMIT)

    assert planning.route == sw.route
    assert planning.order.changed
    assert [move.name for move in planning.order.moves] == ["Tucson, AZ", "Phoenix, AZ"]
    assert planning.schedule.stop_ids == planning.order.proposed.stop_ids
    assert planning.drivers.flags == ()
    assert {
        planning.drivers.drivers_of(leg.index, sw.bus.pk) for leg in planning.schedule.legs
    } == {(sw.driver.pk,)}


def test_accepting_the_proposal_reorders_the_route_and_its_legs(southwest_route):
    sw = southwest_route
    planning = plan_route(journey=sw.journey, route=sw.route, time_limit=LIMIT)

    accept_order(route=sw.route, proposal=planning.order)

    assert route_cities(sw.route) == [
        "Los Angeles",
        "Phoenix",
        "Tucson",
        "El Paso",
        "San Antonio",
        "Houston",
        "New Orleans",
    ]
    assert leg_cities(sw.route)[:3] == [
        ("Los Angeles", "Phoenix"),
        ("Phoenix", "Tucson"),
        ("Tucson", "El Paso"),
    ]


def test_a_cancelled_stop_keeps_its_place_behind_the_stop_it_followed(southwest_route):
    sw = southwest_route
    cancelled = StopFactory(
        journey=sw.journey,
        city="Tucson",
        arrival=local(MT, 2026, 3, 2, 9),
        departure=local(MT, 2026, 3, 2, 10),
        status="cancelled",
    )
    RouteStop.objects.filter(route=sw.route, stop=sw.stops["New Orleans"]).delete()
    append_stop(route=sw.route, stop=cancelled)  # behind Houston
    append_stop(route=sw.route, stop=sw.stops["New Orleans"])
    planning = plan_route(journey=sw.journey, time_limit=LIMIT)

    accept_order(route=sw.route, proposal=planning.order)

    assert route_cities(sw.route)[-3:] == ["Houston", "Tucson", "New Orleans"]


def test_a_proposal_for_a_route_that_changed_is_refused(southwest_route):
    sw = southwest_route
    planning = plan_route(journey=sw.journey, time_limit=LIMIT)
    RouteStop.objects.filter(route=sw.route, stop=sw.stops["Houston"]).delete()

    with pytest.raises(StaleProposal):
        accept_order(route=sw.route, proposal=planning.order)

    assert "Houston" not in route_cities(sw.route)


def test_a_proposal_without_an_order_is_refused(southwest_route):
    sw = southwest_route
    sw.stops["Houston"].earliest_arrival = local("America/Chicago", 2026, 3, 20, 9)
    sw.stops["Houston"].save()
    planning = plan_route(journey=sw.journey, time_limit=LIMIT)

    with pytest.raises(StaleProposal):
        accept_order(route=sw.route, proposal=planning.order)

    assert planning.order.proposed is None
    assert route_cities(sw.route)[1:3] == ["Tucson", "Phoenix"]
