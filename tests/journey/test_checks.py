"""Every schedule check, each shown passing on a healthy plan and failing on a broken one."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from journey.checks import find_problems
from journey.models import Leg
from journey.problems import Kind, Severity
from journey.services import refresh_legs
from participants.models import BedAssignment, SeatAssignment
from stops.models import Activity, Stop
from tests.factories import (
    ActivityFactory,
    BedAssignmentFactory,
    HostAllyFactory,
    LodgingFactory,
    MealFactory,
    ParticipantFactory,
    SeatAssignmentFactory,
    VehicleFactory,
    local,
)

PT, MT = "America/Los_Angeles", "America/Phoenix"


@dataclass
class Healthy:
    """Los Angeles → Phoenix (night of Mar 1) → Tucson (night of Mar 2), one bus."""

    journey: object
    route: object
    la: object
    phoenix: object
    tucson: object
    bus: object
    driver: object
    riders: list
    lodgings: dict
    vigil: object


@pytest.fixture
def plan(journey, route, add_stop):
    la = add_stop(route, "Los Angeles", local(PT, 2026, 3, 1, 8), local(PT, 2026, 3, 1, 9))
    phoenix = add_stop(route, "Phoenix", local(MT, 2026, 3, 1, 20, 30), local(MT, 2026, 3, 2, 9))
    tucson = add_stop(route, "Tucson", local(MT, 2026, 3, 2, 12), local(MT, 2026, 3, 3, 10))
    bus = VehicleFactory(journey=journey, route=route, name="Bus 1", seats=3)
    driver = ParticipantFactory(journey=journey, route=route, display_name="Driver", role="driver")
    riders = [
        ParticipantFactory(journey=journey, route=route, display_name=name)
        for name in ("Ana", "Beto", "Carla")
    ]
    for person in (driver, *riders):
        SeatAssignmentFactory(
            participant=person,
            vehicle=bus,
            from_stop=la,
            to_stop=tucson,
            is_driver=person is driver,
        )
    lodgings = {
        "phoenix": LodgingFactory(stop=phoenix, capacity=5),
        "tucson": LodgingFactory(stop=tucson, capacity=5),
    }
    for person in (driver, *riders):
        BedAssignmentFactory(
            participant=person, lodging=lodgings["phoenix"], night=phoenix.nights[0]
        )
        BedAssignmentFactory(participant=person, lodging=lodgings["tucson"], night=tucson.nights[0])
    vigil = ActivityFactory(
        stop=phoenix,
        kind="vigil",
        title="Vigil",
        starts_at=local(MT, 2026, 3, 1, 21, 30),
        ends_at=local(MT, 2026, 3, 1, 22, 30),
    )
    # The route runs through the border zone: the legal team is ready for every leg.
    Leg.objects.filter(route=route).update(
        legal_contact_on_call="Legal hotline 555-0100", riders_briefed=True
    )
    return Healthy(journey, route, la, phoenix, tucson, bus, driver, riders, lodgings, vigil)


def kinds(journey):
    return sorted(p.kind for p in find_problems(journey))


def save(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


def test_a_healthy_plan_has_no_problems(plan):
    assert plan.phoenix.nights == [local(MT, 2026, 3, 1).date()]
    assert find_problems(plan.journey) == []


def test_night_without_lodging(plan):
    plan.lodgings["tucson"].delete()

    [problem] = find_problems(plan.journey)

    assert problem.kind == Kind.NO_LODGING
    assert problem.severity == Severity.ERROR
    assert problem.stop_id == plan.tucson.pk
    assert problem.night == local(MT, 2026, 3, 2).date()
    assert sorted(problem.participant_ids) == sorted(p.pk for p in (plan.driver, *plan.riders))
    assert problem.message == "Tucson, AZ, night of 2026-03-02: 4 people and no lodging."


def test_fewer_beds_than_people(plan):
    save(plan.lodgings["tucson"], capacity=3)

    assert kinds(plan.journey) == sorted([Kind.BEDS_SHORT, Kind.LODGING_OVERBOOKED])


def test_fewer_beds_counts_every_lodging_of_the_night(plan):
    save(plan.lodgings["tucson"], capacity=3)
    LodgingFactory(stop=plan.tucson, capacity=1)
    BedAssignment.objects.filter(
        participant=plan.riders[0], lodging=plan.lodgings["tucson"]
    ).delete()
    # The rider still needs a bed in Tucson: 4 people, 3 + 1 beds, one unassigned.

    assert kinds(plan.journey) == [Kind.BED_UNASSIGNED]


def test_person_without_a_bed(plan):
    BedAssignment.objects.filter(participant=plan.riders[1], night=plan.tucson.nights[0]).delete()

    [problem] = find_problems(plan.journey)

    assert (problem.kind, problem.severity) == (Kind.BED_UNASSIGNED, Severity.WARNING)
    assert problem.participant_ids == (plan.riders[1].pk,)


def test_bed_at_a_stop_the_person_has_left(plan):
    save(plan.riders[2], leave_stop=plan.phoenix)

    [problem] = find_problems(plan.journey)

    assert problem.kind == Kind.BED_ELSEWHERE
    assert problem.participant_ids == (plan.riders[2].pk,)
    assert problem.lodging_id == plan.lodgings["tucson"].pk


def test_vehicle_over_capacity_on_every_leg(plan):
    save(plan.bus, seats=2)

    problems = find_problems(plan.journey)

    assert [p.kind for p in problems] == [Kind.VEHICLE_OVER_CAPACITY] * 2
    assert [p.leg_id for p in problems] == list(
        Leg.objects.filter(route=plan.route).order_by("position").values_list("pk", flat=True)
    )


def test_over_capacity_only_where_the_extra_rider_rides(plan, add_stop):
    save(plan.bus, seats=4)
    extra = ParticipantFactory(
        journey=plan.journey, route=plan.route, join_stop=plan.phoenix, display_name="Dora"
    )
    SeatAssignmentFactory(
        participant=extra, vehicle=plan.bus, from_stop=plan.phoenix, to_stop=plan.tucson
    )
    # A new seat beyond capacity is refused (participants.capacity); a bus swapped for a
    # smaller one after the seats were given is what the check reports.
    save(plan.bus, seats=3)
    BedAssignmentFactory(
        participant=extra, lodging=plan.lodgings["phoenix"], night=plan.phoenix.nights[0]
    )
    BedAssignmentFactory(
        participant=extra, lodging=plan.lodgings["tucson"], night=plan.tucson.nights[0]
    )

    [problem] = find_problems(plan.journey)

    assert problem.kind == Kind.VEHICLE_OVER_CAPACITY
    assert problem.leg_id == Leg.objects.get(origin=plan.phoenix).pk


def test_rider_without_a_vehicle(plan):
    SeatAssignment.objects.filter(participant=plan.riders[0]).delete()

    problems = find_problems(plan.journey)

    assert [p.kind for p in problems] == [Kind.NO_VEHICLE] * 2
    assert {p.participant_ids for p in problems} == {(plan.riders[0].pk,)}


def test_vehicle_without_driver(plan):
    save(plan.bus, seats=4)
    SeatAssignment.objects.filter(participant=plan.driver).update(is_driver=False)

    assert kinds(plan.journey) == [Kind.NO_DRIVER] * 2


def test_departure_before_arrival(plan):
    save(plan.la, departure=plan.la.arrival - timedelta(hours=1))

    [problem] = find_problems(plan.journey)

    assert problem.kind == Kind.DEPARTURE_BEFORE_ARRIVAL
    assert problem.message == (
        "Los Angeles, CA: departure Mar 1, 07:00 PST is before arrival Mar 1, 08:00 PST."
    )


def test_cancelled_stops_are_not_checked(plan):
    save(plan.la, departure=plan.la.arrival - timedelta(hours=1), status="cancelled")

    assert find_problems(plan.journey) == []


def test_stops_out_of_time_order(plan):
    save(plan.phoenix, arrival=local(PT, 2026, 3, 1, 8, 30))

    [problem] = find_problems(plan.journey)

    assert problem.kind == Kind.OUT_OF_ORDER
    assert problem.stop_id == plan.phoenix.pk


def test_overlapping_activities(plan):
    ActivityFactory(
        stop=plan.phoenix,
        title="Town hall",
        starts_at=local(MT, 2026, 3, 1, 22),
        ends_at=local(MT, 2026, 3, 1, 23),
    )

    [problem] = find_problems(plan.journey)

    assert problem.kind == Kind.ACTIVITY_OVERLAP
    assert problem.message == "Vigil and Town hall overlap in Phoenix, AZ (Mar 1, 22:00 MST)."


def test_back_to_back_activities_do_not_overlap(plan):
    ActivityFactory(
        stop=plan.phoenix,
        title="Dinner",
        starts_at=local(MT, 2026, 3, 1, 22, 30),
        ends_at=local(MT, 2026, 3, 1, 23),
    )

    assert find_problems(plan.journey) == []


def test_activity_outside_the_stop(plan):
    Activity.objects.filter(pk=plan.vigil.pk).update(
        starts_at=local(MT, 2026, 3, 2, 10), ends_at=local(MT, 2026, 3, 2, 11)
    )

    assert kinds(plan.journey) == [Kind.ACTIVITY_OUTSIDE_STOP]


def test_drive_that_does_not_fit(plan):
    leg = Leg.objects.get(origin=plan.la)
    save(plan.phoenix, arrival=plan.la.departure + timedelta(minutes=leg.total_minutes - 1))

    [problem] = find_problems(plan.journey)

    assert problem.kind == Kind.DRIVE_DOES_NOT_FIT
    assert problem.leg_id == leg.pk


def override_first_leg(plan, minutes):
    leg = Leg.objects.get(origin=plan.la)
    save(leg, override_driving_minutes=minutes, override_reason="Measured with a route planner")
    refresh_legs(route=plan.route)
    leg.refresh_from_db()
    return leg


def test_driver_over_ten_hours_of_driving(plan):
    leg = override_first_leg(plan, 601)
    assert leg.total_minutes == 601 + 60  # two rest breaks
    save(plan.phoenix, arrival=local(MT, 2026, 3, 1, 21, 10))

    [problem] = find_problems(plan.journey)

    assert problem.kind == Kind.DRIVING_OVER_LIMIT
    assert problem.participant_ids == (plan.driver.pk,)


def test_ten_hours_of_driving_is_within_the_limit(plan):
    override_first_leg(plan, 600)
    save(plan.phoenix, arrival=local(MT, 2026, 3, 1, 21, 10))

    assert find_problems(plan.journey) == []


def test_two_drivers_share_a_long_leg(plan):
    override_first_leg(plan, 601)
    save(plan.phoenix, arrival=local(MT, 2026, 3, 1, 21, 10))
    relief = ParticipantFactory(journey=plan.journey, route=plan.route, role="driver")
    SeatAssignmentFactory(
        participant=relief, vehicle=plan.bus, from_stop=plan.la, to_stop=plan.tucson, is_driver=True
    )
    for lodging in plan.lodgings.values():
        BedAssignmentFactory(participant=relief, lodging=lodging, night=lodging.nights[0])

    assert find_problems(plan.journey) == []


def test_driver_over_fifteen_hours_on_duty(plan):
    save(plan.la, arrival=local(PT, 2026, 3, 1, 3), departure=local(PT, 2026, 3, 1, 4))

    [problem] = find_problems(plan.journey)

    assert problem.kind == Kind.DUTY_OVER_LIMIT
    assert problem.message.startswith("Driver is on duty 15 h 30 min from Mar 1, 04:00 PST")


def test_driver_rest_under_eight_hours(plan):
    save(plan.phoenix, departure=local(MT, 2026, 3, 2, 3))

    # Too short a rest joins both days into one duty period that is too long.
    assert kinds(plan.journey) == sorted([Kind.SHORT_REST, Kind.DUTY_OVER_LIMIT])


def test_border_zone_leg_without_preparation(plan):
    leg = Leg.objects.get(origin=plan.phoenix)
    assert leg.in_border_zone  # Tucson lies within 100 miles of the Mexican border
    save(leg, riders_briefed=False)

    [problem] = find_problems(plan.journey)

    assert (problem.kind, problem.severity) == (Kind.BORDER_UNPREPARED, Severity.WARNING)
    assert problem.leg_id == leg.pk


def test_problems_are_loaded_in_a_fixed_number_of_queries(
    plan, add_stop, django_assert_num_queries
):
    with django_assert_num_queries(11):
        find_problems(plan.journey)
    for day in range(3, 8):
        add_stop(plan.route, "El Paso", local(MT, 2026, 3, day, 20), local(MT, 2026, 3, day + 1, 9))
    for n in range(5):
        ParticipantFactory(journey=plan.journey, route=plan.route, display_name=f"Extra {n}")

    with django_assert_num_queries(11):
        problems = find_problems(plan.journey)
    assert problems  # the added stops have no lodging and the riders no vehicle


# --- meals ---------------------------------------------------------------------------------


def team_breakfast(plan):  # Phoenix's one mealtime: 07:00-09:00 on Mar 2
    return MealFactory(stop=plan.phoenix, kind="breakfast", starts_at=local(MT, 2026, 3, 2, 8))


def test_a_meal_the_stop_moved_away_from_is_reported(plan):
    MealFactory(stop=plan.phoenix, kind="breakfast", starts_at=local(MT, 2026, 3, 2, 8, 30))
    Stop.objects.filter(pk=plan.phoenix.pk).update(departure=local(MT, 2026, 3, 2, 8))

    [problem] = find_problems(plan.journey)

    assert (problem.kind, problem.stop_id, problem.message) == (
        Kind.MEAL_OUTSIDE_STOP,
        plan.phoenix.pk,
        "Breakfast in Phoenix, AZ (Mar 2, 08:30 MST) is outside the caravan's time there.",
    )


@pytest.mark.parametrize(
    ("offers_meals", "status", "expected"),
    [
        (True, "approved", []),
        (False, "approved", [Kind.MEAL_NOT_OFFERED]),
        (True, "declined", [Kind.MEAL_NOT_OFFERED]),
    ],
)
def test_a_meal_left_to_a_host_who_did_not_offer_it_is_reported(
    plan, offers_meals, status, expected
):
    host = HostAllyFactory(
        journey=plan.journey,
        stop=plan.phoenix,
        organization="Casa",
        offers_meals=offers_meals,
        status=status,
    )
    MealFactory(stop=plan.phoenix, starts_at=local(MT, 2026, 3, 1, 21), provided_by=host)
    team_breakfast(plan)

    assert kinds(plan.journey) == expected


@pytest.mark.parametrize(("can_feed", "expected"), [(None, []), (4, []), (3, ["one warning"])])
def test_a_meal_with_more_eaters_than_its_host_can_feed_is_reported(plan, can_feed, expected):
    host = HostAllyFactory(
        journey=plan.journey,
        stop=plan.phoenix,
        organization="Casa",
        offers_meals=True,
        status="approved",
        meals_capacity=can_feed,
    )
    MealFactory(stop=plan.phoenix, starts_at=local(MT, 2026, 3, 1, 21), provided_by=host)
    team_breakfast(plan)

    problems = find_problems(plan.journey)

    assert [(p.kind, p.stop_id, p.message) for p in problems] == [
        (
            Kind.MEAL_OVER_CAPACITY,
            plan.phoenix.pk,
            "Dinner in Phoenix, AZ (Mar 1, 21:00 MST): 4 people eat, Casa can feed 3.",
        )
        for _ in expected
    ]


@pytest.mark.parametrize(
    ("meals", "expected"),
    [
        ([], []),  # no meal planned at the stop: food is planned elsewhere
        ([("dinner", 1, 21)], ["No meal is planned at mealtime in Phoenix, AZ on March 2."]),
        ([("dinner", 1, 21), ("breakfast", 2, 7)], []),
        ([("snack", 2, 9)], []),  # the window's ends count
    ],
)
def test_a_day_without_a_meal_at_mealtime_is_reported(plan, meals, expected):
    for kind, day, hour in meals:
        MealFactory(stop=plan.phoenix, kind=kind, starts_at=local(MT, 2026, 3, day, hour))

    problems = find_problems(plan.journey)

    assert [(p.kind, p.severity, p.message) for p in problems] == [
        (Kind.MEAL_MISSING, "warning", message) for message in expected
    ]


def test_each_day_of_a_long_stay_needs_a_meal_at_mealtime_and_a_rest_stop_none(plan):
    save(plan.tucson, departure=local(MT, 2026, 3, 4, 15))
    MealFactory(stop=plan.tucson, kind="lunch", starts_at=local(MT, 2026, 3, 3, 12, 30))
    MealFactory(stop=plan.phoenix, kind="dinner", starts_at=local(MT, 2026, 3, 1, 21))
    save(plan.phoenix, kind="rest")

    problems = [p for p in find_problems(plan.journey) if p.kind == Kind.MEAL_MISSING]

    assert [(p.message, p.stop_id) for p in problems] == [
        ("No meal is planned at mealtime in Tucson, AZ on March 2.", plan.tucson.pk),
        ("No meal is planned at mealtime in Tucson, AZ on March 4.", plan.tucson.pk),
    ]
