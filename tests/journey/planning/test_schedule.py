"""Departure and arrival times for an order, and the days that do not fit."""

from dataclasses import replace
from datetime import time

import pytest

from journey.planning.data import DayRules, FlagKind, RouteProblem
from journey.planning.schedule import propose_schedule
from tests.factories import local
from tests.journey.planning.cases import CT, MT, PT, activity, city_stop, plains, southwest


def times(schedule, tz):
    """(stop, arrival, departure) as local "HH:MM" (with the day of the month)."""

    def show(moment):
        return moment.astimezone(tz).strftime("%d %H:%M") if moment else None

    return [
        (entry.stop.name, show(entry.arrival), show(entry.departure)) for entry in schedule.stops
    ]


def kinds(schedule):
    return [flag.kind for flag in schedule.flags]


def test_each_day_starts_at_the_morning_hour_after_the_planned_night():
    schedule = propose_schedule(southwest())

    assert schedule.flags == ()
    assert [
        (entry.stop.name, entry.arrival, entry.departure, entry.nights)
        for entry in schedule.stops[:3]
    ] == [
        ("Los Angeles", None, local(PT, 2026, 3, 1, 8), 0),
        # 6 h 02 min of driving and a 30-minute break.
        ("Phoenix", local(MT, 2026, 3, 1, 15, 32), local(MT, 2026, 3, 2, 8), 1),
        ("Tucson", local(MT, 2026, 3, 2, 9, 47), local(MT, 2026, 3, 3, 8), 1),
    ]
    assert [(day.date.day, day.first_stop.name, day.last_stop.name) for day in schedule.days] == [
        (1, "Los Angeles", "Phoenix"),
        (2, "Phoenix", "Tucson"),
        (3, "Tucson", "El Paso"),
        (4, "El Paso", "San Antonio"),
        (5, "San Antonio", "Houston"),
        (6, "Houston", "New Orleans"),
    ]
    assert schedule.days[0].driving_minutes == 362
    assert schedule.days[0].duty_minutes == 392


def test_the_morning_hour_is_the_journeys():
    problem = southwest(rules=DayRules(day_start=time(9, 30), day_end=time(19)))

    schedule = propose_schedule(problem)

    assert [entry.departure for entry in schedule.stops[:2]] == [
        local(PT, 2026, 3, 1, 9, 30),
        local(MT, 2026, 3, 2, 9, 30),
    ]


def test_the_first_departure_is_not_before_the_morning_hour():
    problem = southwest()
    early = replace(problem.stops[0], departure=local(PT, 2026, 3, 1, 6))
    problem = replace(problem, stops=(early, *problem.stops[1:]))

    schedule = propose_schedule(problem)

    assert schedule.stops[0].departure == local(PT, 2026, 3, 1, 8)


def test_an_arrival_after_the_evening_hour_is_flagged():
    problem = plains("Alpha", "Golf", "Bravo", rules=DayRules(day_end=time(12)))

    schedule = propose_schedule(problem)

    # Alpha 09:30 -> Golf 12:27 -> 12:57 -> Bravo 15:12.
    assert [(flag.kind, flag.stop_id) for flag in schedule.flags] == [
        (FlagKind.LATE_ARRIVAL, 2),
        (FlagKind.LATE_ARRIVAL, 3),
    ]
    assert schedule.flags[0].message == (
        "Golf: the caravan arrives Mar 2, 12:27 CST, after Mar 2, 12:00 CST "
        "(the day started in Alpha at Mar 2, 09:30 CST)."
    )
    assert schedule.fits is False


def test_more_than_ten_hours_of_driving_in_a_day_is_flagged():
    la, _phoenix, _tucson, el_paso, *_rest = southwest().stops
    problem = RouteProblem((la, el_paso), DayRules(day_start=time(6), day_end=time(23)))

    schedule = propose_schedule(problem)

    [flag] = schedule.flags
    assert flag.kind == FlagKind.DRIVING_OVER_LIMIT
    assert flag.message == (
        "Mar 1, 08:00 PST, Los Angeles → El Paso: 11 h 49 min of driving (limit 10 h)."
    )


def test_the_caravan_stays_for_an_activity_and_arrives_in_time_for_it():
    rally = activity("Rally", local(CT, 2026, 3, 2, 15), local(CT, 2026, 3, 2, 16))
    problem = plains("Alpha", "Bravo", "Charlie", windows={"Bravo": {"activities": (rally,)}})

    schedule = propose_schedule(problem)

    assert schedule.flags == ()
    assert times(schedule, problem.stops[0].tzinfo) == [
        ("Alpha", None, "02 13:59"),
        ("Bravo", "02 15:00", "02 16:00"),
        ("Charlie", "02 16:53", None),
    ]
    assert schedule.stops[0].wait_minutes == 269


def test_arriving_after_an_activity_starts_is_flagged():
    rally = activity("Rally", local(CT, 2026, 3, 2, 10), local(CT, 2026, 3, 2, 11))
    problem = plains("Alpha", "Golf", "Echo", windows={"Golf": {"activities": (rally,)}})

    schedule = propose_schedule(problem)

    [flag] = schedule.flags
    assert (flag.kind, flag.stop_id) == (FlagKind.ACTIVITY_MISSED, 2)
    assert (
        flag.message == "Golf: Rally starts Mar 2, 10:00 CST; the caravan arrives Mar 2, 12:27 CST."
    )


def test_a_missed_window_is_flagged():
    problem = plains(
        "Alpha", "Golf", "Echo", windows={"Golf": {"latest_arrival": local(CT, 2026, 3, 2, 12)}}
    )

    schedule = propose_schedule(problem)

    [flag] = schedule.flags
    assert (flag.kind, flag.stop_id) == (FlagKind.WINDOW_MISSED, 2)
    assert flag.message == (
        "Golf must be reached by Mar 2, 12:00 CST; the caravan arrives Mar 2, 12:27 CST."
    )


def test_waiting_overnight_for_a_window_is_an_unplanned_night():
    problem = plains(
        "Alpha",
        "Bravo",
        "Charlie",
        windows={"Bravo": {"earliest_arrival": local(CT, 2026, 3, 3, 10)}},
    )

    schedule = propose_schedule(problem)

    [flag] = schedule.flags
    assert (flag.kind, flag.stop_id) == (FlagKind.UNPLANNED_NIGHT, 1)
    assert flag.message == (
        "The caravan waits in Alpha until Mar 3, 08:59 CST to meet the window of Bravo."
    )
    assert schedule.stops[1].arrival == local(CT, 2026, 3, 3, 10)


def test_a_night_at_a_stop_without_lodging_is_flagged():
    problem = southwest(Tucson={"has_lodging": False})

    schedule = propose_schedule(problem)

    [flag] = schedule.flags
    assert (flag.kind, flag.stop_id) == (FlagKind.NIGHT_WITHOUT_LODGING, 3)
    assert schedule.fits  # the order is not to blame


def test_a_morning_activity_delays_the_departure_from_an_overnight_stop():
    press = activity("Press", local(MT, 2026, 3, 2, 9), local(MT, 2026, 3, 2, 10, 30))
    problem = southwest(Phoenix={"activities": (press,)})

    schedule = propose_schedule(problem)

    assert schedule.flags == ()
    assert schedule.stops[1].departure == local(MT, 2026, 3, 2, 10, 30)


@pytest.mark.parametrize("order", [[1, 2], [1, 2, 3, 3], [1, 2, 4]])
def test_the_order_must_list_every_stop_once(order):
    problem = plains("Alpha", "Bravo", "Charlie")

    with pytest.raises(ValueError, match="each stop"):
        propose_schedule(problem, order)


def test_a_stop_in_another_zone_keeps_its_own_clock():
    problem = RouteProblem(
        (
            city_stop(1, "Phoenix", local(MT, 2026, 3, 1, 7), local(MT, 2026, 3, 1, 8)),
            city_stop(2, "Los Angeles", local(PT, 2026, 3, 1, 20), local(PT, 2026, 3, 2, 8)),
        )
    )

    schedule = propose_schedule(problem)

    # 6 h 32 min on the road, an hour gained on the clock.
    assert schedule.stops[1].arrival == local(PT, 2026, 3, 1, 13, 32)
