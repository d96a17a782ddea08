"""Who drives which leg: the hours-of-service limits and a team that is too small."""

from datetime import time
from itertools import pairwise

from journey.checks import MAX_DRIVING_MINUTES, MAX_DUTY_MINUTES, MIN_OFF_DUTY_MINUTES
from journey.planning.data import DayRules, FlagKind, RouteProblem
from journey.planning.drivers import DriverInfo, VehicleInfo, propose_drivers
from journey.planning.schedule import propose_schedule
from tests.factories import local
from tests.journey.planning.cases import MT, PT, city_stop, southwest

BUS = VehicleInfo(10, "Bus 1")
VAN = VehicleInfo(11, "Van")
ANA, BETO, CARLA = DriverInfo(1, "Ana"), DriverInfo(2, "Beto"), DriverInfo(3, "Carla")

LONG_DAY = DayRules(day_start=time(6), day_end=time(23))


def two_long_legs():
    """Los Angeles -> Phoenix (an hour's stop) -> El Paso in one day: 11 h 52 min of driving."""
    return propose_schedule(
        RouteProblem(
            (
                city_stop(1, "Los Angeles", local(PT, 2026, 3, 1, 7), local(PT, 2026, 3, 1, 8)),
                city_stop(2, "Phoenix", local(MT, 2026, 3, 1, 15), local(MT, 2026, 3, 1, 16)),
                city_stop(3, "El Paso", local(MT, 2026, 3, 1, 22), local(MT, 2026, 3, 2, 8)),
            ),
            LONG_DAY,
        )
    )


def drivers_by_leg(plan, schedule, vehicle):
    return [plan.drivers_of(leg.index, vehicle.id) for leg in schedule.legs]


def assert_within_limits(plan, schedule):
    for duty in plan.duties:
        assert duty.driving_minutes <= MAX_DRIVING_MINUTES
        assert duty.duty_minutes <= MAX_DUTY_MINUTES
    for driver_id in {duty.driver_id for duty in plan.duties}:
        periods = [duty for duty in plan.duties if duty.driver_id == driver_id]
        for before, after in pairwise(periods):
            assert (after.start - before.end).total_seconds() / 60 >= MIN_OFF_DUTY_MINUTES


def test_one_driver_drives_a_route_of_short_days():
    schedule = propose_schedule(southwest())

    plan = propose_drivers(schedule, vehicles=[BUS], drivers=[ANA])

    assert plan.flags == ()
    assert drivers_by_leg(plan, schedule, BUS) == [(1,)] * 6
    assert [(duty.name, duty.driving_minutes) for duty in plan.duties] == [
        ("Ana", day.driving_minutes) for day in schedule.days
    ]
    assert_within_limits(plan, schedule)


def test_a_day_over_ten_hours_needs_a_second_driver():
    schedule = two_long_legs()

    plan = propose_drivers(schedule, vehicles=[BUS], drivers=[ANA])

    # Ana takes the shorter leg (the plan balances hours); the other has nobody.
    assert drivers_by_leg(plan, schedule, BUS) == [(), (1,)]
    assert plan.missing_drivers == {BUS.id: 1}
    [flag] = plan.flags
    assert (flag.kind, flag.vehicle_id) == (FlagKind.TEAM_TOO_SMALL, BUS.id)
    assert flag.message == (
        "Bus 1 needs 1 more driver to stay within the hours of service; legs without a "
        "driver: Los Angeles → Phoenix (Mar 1, 08:00 PST)."
    )


def test_two_drivers_share_a_long_day():
    schedule = two_long_legs()

    plan = propose_drivers(schedule, vehicles=[BUS], drivers=[ANA, BETO])

    assert plan.flags == ()
    assert sorted(drivers_by_leg(plan, schedule, BUS)) == [(1,), (2,)]
    assert_within_limits(plan, schedule)


def test_a_day_over_fifteen_hours_on_duty_needs_a_second_driver():
    # Los Angeles 06:00 PST -> Phoenix 13:32 MST, seven hours there, -> Tucson 22:19 MST:
    # under 8 hours of driving but 15 h 19 min on duty.
    problem = RouteProblem(
        (
            city_stop(1, "Los Angeles", local(PT, 2026, 3, 1, 5), local(PT, 2026, 3, 1, 6)),
            city_stop(2, "Phoenix", local(MT, 2026, 3, 1, 13), local(MT, 2026, 3, 1, 20)),
            city_stop(3, "Tucson", local(MT, 2026, 3, 1, 22), local(MT, 2026, 3, 2, 8)),
        ),
        LONG_DAY,
    )
    schedule = propose_schedule(problem)

    alone = propose_drivers(schedule, vehicles=[BUS], drivers=[ANA])
    two = propose_drivers(schedule, vehicles=[BUS], drivers=[ANA, BETO])

    assert (schedule.days[0].driving_minutes, schedule.days[0].duty_minutes) == (469, 919)
    assert alone.missing_drivers == {BUS.id: 1}
    assert two.flags == ()
    assert sorted(drivers_by_leg(two, schedule, BUS)) == [(1,), (2,)]


def test_every_vehicle_gets_its_own_drivers():
    schedule = propose_schedule(southwest())
    ana_on_the_bus = DriverInfo(1, "Ana", vehicle_ids=frozenset({BUS.id}))

    plan = propose_drivers(schedule, vehicles=[BUS, VAN], drivers=[ana_on_the_bus, BETO])

    assert plan.flags == ()
    assert drivers_by_leg(plan, schedule, BUS) == [(1,)] * 6
    assert drivers_by_leg(plan, schedule, VAN) == [(2,)] * 6


def test_a_vehicle_without_drivers_is_flagged_with_the_number_missing():
    schedule = propose_schedule(southwest())
    ana_on_the_bus = DriverInfo(1, "Ana", vehicle_ids=frozenset({BUS.id}))

    plan = propose_drivers(schedule, vehicles=[BUS, VAN], drivers=[ana_on_the_bus])

    assert plan.missing_drivers == {VAN.id: 1}
    assert drivers_by_leg(plan, schedule, VAN) == [()] * 6
    assert [a.missing for a in plan.assignments if a.vehicle_id == VAN.id] == [1] * 6


def test_a_driver_drives_only_where_they_travel():
    schedule = propose_schedule(southwest())
    # Stops 1-7 from Los Angeles; Beto joins in El Paso (4), Carla leaves in El Paso.
    beto = DriverInfo(2, "Beto", joins_at=4)
    carla = DriverInfo(3, "Carla", leaves_at=4)

    plan = propose_drivers(schedule, vehicles=[BUS], drivers=[beto, carla])

    assert plan.flags == ()
    assert drivers_by_leg(plan, schedule, BUS) == [(3,)] * 3 + [(2,)] * 3


def test_a_route_without_vehicles_is_flagged():
    schedule = propose_schedule(southwest())

    plan = propose_drivers(schedule, vehicles=[], drivers=[ANA, CARLA])

    assert [flag.kind for flag in plan.flags] == [FlagKind.NO_VEHICLE]
