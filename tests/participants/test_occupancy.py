"""Seat occupancy per leg, computed in one place (participants.occupancy): its edge cases, and
on the demo journey the checks, the itinerary and the capacity rule agree with a count made by
hand from route positions."""

import pytest
from django.core.exceptions import ValidationError

from demo.build import build_demo
from journey.checks import Kind, find_problems
from journey.itinerary import Audience, build_itinerary
from journey.plan import load_plan
from participants.models import SeatAssignment, Vehicle
from participants.occupancy import legs_ridden, occupancy, plan_occupancy

# Stops 10, 11, 12, 13 at route positions 0..3: legs 0 (10→11), 1 (11→12), 2 (12→13).
POSITIONS = {10: 0, 11: 1, 12: 2, 13: 3}
LEGS = [0, 1, 2, 3]


def seat(pk, from_stop, to_stop, *, vehicle=1, driver=False):
    return SeatAssignment(
        pk=pk,
        vehicle_id=vehicle,
        participant_id=pk,
        from_stop_id=from_stop,
        to_stop_id=to_stop,
        is_driver=driver,
    )


def who(result, vehicle=1):
    """{leg index: (passenger ids, driver ids)}"""
    return {
        index: ([s.pk for s in o.passengers], [s.pk for s in o.drivers])
        for (vehicle_id, index), o in sorted(result.items())
        if vehicle_id == vehicle
    }


def test_joining_mid_route_occupies_only_the_legs_from_there():
    result = occupancy([seat(1, 11, 13)], positions=POSITIONS, leg_positions=LEGS)

    assert who(result) == {1: ([1], []), 2: ([1], [])}


def test_drivers_are_counted_apart_from_passengers():
    seats = [seat(1, 10, 13), seat(2, 10, 12, driver=True), seat(3, 12, 13, driver=True)]

    result = occupancy(seats, positions=POSITIONS, leg_positions=LEGS)

    assert who(result) == {0: ([1], [2]), 1: ([1], [2]), 2: ([1], [3])}


def test_a_seat_ending_where_another_begins_shares_no_leg():
    result = occupancy([seat(1, 10, 11), seat(2, 11, 12)], positions=POSITIONS, leg_positions=LEGS)

    assert who(result) == {0: ([1], []), 1: ([2], [])}


def test_vehicles_are_counted_apart():
    seats = [seat(1, 10, 11, vehicle=1), seat(2, 10, 11, vehicle=2)]

    result = occupancy(seats, positions=POSITIONS, leg_positions=LEGS)

    assert (who(result, 1), who(result, 2)) == ({0: ([1], [])}, {0: ([2], [])})


def test_a_leg_over_a_cancelled_stop_is_one_leg():
    # Stop 11 is cancelled: the legs join positions 0, 2 and 3.
    result = occupancy(
        [seat(1, 10, 12), seat(2, 10, 13)], positions=POSITIONS, leg_positions=[0, 2, 3]
    )

    assert who(result) == {0: ([1, 2], []), 1: ([2], [])}


@pytest.mark.parametrize(
    ("start", "end", "legs"),
    [(0, 3, [0, 1, 2]), (1, 1, []), (2, 1, []), (None, 3, []), (0, None, [])],
)
def test_legs_ridden(start, end, legs):
    assert list(legs_ridden(start, end, LEGS)) == legs


# --- on the demo --------------------------------------------------------------------------------


def counted_by_hand(plan):
    """{(vehicle id, leg id): (passengers, drivers)} from route positions, seat by seat."""
    counts = {}
    for route_plan in plan.routes:
        position = route_plan.all_positions
        for leg in route_plan.legs:
            for vehicle in plan.vehicles:
                if vehicle.route_id != route_plan.route.pk:
                    continue
                on = [
                    s
                    for s in plan.seats
                    if s.vehicle_id == vehicle.pk
                    and position[s.from_stop_id] <= position[leg.origin_id]
                    and position[leg.destination_id] <= position[s.to_stop_id]
                ]
                counts[(vehicle.pk, leg.pk)] = (
                    sum(not s.is_driver for s in on),
                    sum(s.is_driver for s in on),
                )
    return counts


@pytest.fixture
def demo(db):
    journey = build_demo()
    # One vehicle with fewer seats than riders, so that the checks have something to say.
    vehicle = Vehicle.objects.filter(journey=journey).order_by("pk").first()
    Vehicle.objects.filter(pk=vehicle.pk).update(seats=1)
    return journey


def test_on_the_demo_the_one_count_agrees_with_a_count_by_hand(demo):
    plan = load_plan(demo)

    load = plan_occupancy(plan)
    computed = {
        (vehicle_id, route_plan.legs[index].pk): (len(o.passengers), len(o.drivers))
        for route_plan in plan.routes
        for (vehicle_id, index), o in load.items()
        if plan.vehicles_by_id[vehicle_id].route_id == route_plan.route.pk
    }

    by_hand = counted_by_hand(plan)
    assert computed == {key: value for key, value in by_hand.items() if value != (0, 0)}
    assert any(passengers for passengers, _ in by_hand.values())


def test_on_the_demo_the_checks_and_the_itinerary_agree_with_the_count(demo):
    plan = load_plan(demo)
    by_hand = counted_by_hand(plan)
    seats = {vehicle.pk: vehicle.seats for vehicle in plan.vehicles}

    over = {
        (p.vehicle_id, p.leg_id)
        for p in find_problems(demo, plan=plan)
        if p.kind == Kind.VEHICLE_OVER_CAPACITY
    }
    itinerary = build_itinerary(plan, audience=Audience.TEAM)
    shown = {
        (on_leg.vehicle.id, leg.id): on_leg.passengers
        for leg in itinerary.legs
        for on_leg in leg.vehicles
    }

    assert over == {key for key, (passengers, _) in by_hand.items() if passengers > seats[key[0]]}
    assert over  # the demo's shrunken vehicle is over capacity somewhere
    assert shown == {
        key: passengers for key, (passengers, drivers) in by_hand.items() if passengers or drivers
    }


def test_on_the_demo_the_capacity_rule_refuses_one_more_seat_exactly_where_full(demo):
    plan = load_plan(demo)
    by_hand = counted_by_hand(plan)
    vehicle = min(plan.vehicles, key=lambda v: v.pk)
    route_plan = plan.route_plans[vehicle.route_id]
    newcomer = next(p for p in plan.participants if p.route_id == vehicle.route_id)
    SeatAssignment.objects.filter(participant=newcomer).delete()
    after = counted_by_hand(load_plan(demo))

    refused = {}
    for leg in route_plan.legs:
        extra = SeatAssignment(
            participant=newcomer, vehicle=vehicle, from_stop=leg.origin, to_stop=leg.destination
        )
        try:
            extra.full_clean()
        except ValidationError as error:
            refused[leg.pk] = sorted(error.message_dict)

    assert by_hand  # the demo has seats
    full = [leg.pk for leg in route_plan.legs if after[(vehicle.pk, leg.pk)][0] >= vehicle.seats]
    assert full  # the shrunken vehicle is full somewhere
    assert refused == {leg_pk: ["vehicle"] for leg_pk in full}
