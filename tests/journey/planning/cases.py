"""Small planning problems on plain data, with coordinates written out."""

import itertools
from datetime import timedelta

from journey.planning.data import Appointment, DayRules, PlanStop, RouteProblem
from journey.planning.schedule import propose_schedule
from tests.factories import PLACES, local

CT, MT, PT = "America/Chicago", "America/Phoenix", "America/Los_Angeles"

# Invented places on the plains of Kansas, all in Central time, an hour or two apart.
PLAINS = {
    "Alpha": (38.0, -98.0),
    "Bravo": (38.6, -97.2),
    "Charlie": (38.0, -96.6),
    "Delta": (38.9, -96.2),
    "Echo": (38.3, -95.5),
    "Foxtrot": (37.6, -97.0),
    "Golf": (38.2, -94.8),
}

#: Where each city of tests.factories.PLACES keeps its clocks.
ZONES = {
    "Los Angeles": PT,
    "Phoenix": MT,
    "Tucson": MT,
    "El Paso": "America/Denver",
    "San Antonio": CT,
    "Houston": CT,
    "New Orleans": CT,
}


def plains_stop(number, name, *, stay=30, hour=9, **fields):
    """A stop passed through on Mar 2 (the times only give the stay: ``stay`` minutes)."""
    latitude, longitude = PLAINS[name]
    arrival = local(CT, 2026, 3, 2, hour)
    return PlanStop(
        id=number,
        name=name,
        latitude=latitude,
        longitude=longitude,
        timezone=CT,
        arrival=arrival,
        departure=arrival + timedelta(minutes=stay),
        **fields,
    )


def plains(*names, windows=None, rules=None, **fields) -> RouteProblem:
    """A one-day problem over the given PLAINS in that (current) order."""
    windows = windows or {}
    return RouteProblem(
        stops=tuple(
            plains_stop(number, name, **(fields | windows.get(name, {})))
            for number, name in enumerate(names, start=1)
        ),
        rules=rules or DayRules(),
    )


def city_stop(number, city, arrival, departure, **fields):
    _state, latitude, longitude = PLACES[city]
    return PlanStop(
        id=number,
        name=city,
        latitude=float(latitude),
        longitude=float(longitude),
        timezone=ZONES[city],
        arrival=arrival,
        departure=departure,
        **fields,
    )


def southwest(order=None, *, rules=None, **by_city) -> RouteProblem:
    """Los Angeles to New Orleans over five nights (one in each stop between them)."""
    plan = {
        "Los Angeles": (local(PT, 2026, 3, 1, 7), local(PT, 2026, 3, 1, 8)),
        "Phoenix": (local(MT, 2026, 3, 1, 17), local(MT, 2026, 3, 2, 8)),
        "Tucson": (local(MT, 2026, 3, 2, 11), local(MT, 2026, 3, 3, 8)),
        "El Paso": (
            local("America/Denver", 2026, 3, 3, 15),
            local("America/Denver", 2026, 3, 4, 8),
        ),
        "San Antonio": (local(CT, 2026, 3, 4, 18), local(CT, 2026, 3, 5, 8)),
        "Houston": (local(CT, 2026, 3, 5, 12), local(CT, 2026, 3, 6, 8)),
        "New Orleans": (local(CT, 2026, 3, 6, 15), local(CT, 2026, 3, 7, 9)),
    }
    names = order or list(plan)
    numbers = {city: number for number, city in enumerate(plan, start=1)}
    return RouteProblem(
        stops=tuple(
            city_stop(
                numbers[city], city, *plan[city], **({"has_lodging": True} | by_city.get(city, {}))
            )
            for city in names
        ),
        rules=rules or DayRules(),
    )


def activity(title, starts_at, ends_at):
    return Appointment(title, starts_at, ends_at)


def best_by_brute_force(problem, matrix):
    """(distance, order) of the shortest order that fits, trying every order."""
    first, *middle, last = problem.stop_ids
    best = None
    for middle_order in itertools.permutations(middle):
        order = (first, *middle_order, last)
        schedule = propose_schedule(problem, order, matrix=matrix)
        if schedule.fits and (best is None or schedule.distance_km < best[0]):
            best = (schedule.distance_km, order)
    return best


def names(problem, stop_ids):
    by_id = problem.stops_by_id
    return [by_id[stop_id].name for stop_id in stop_ids]
