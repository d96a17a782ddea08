"""Benchmark of the route planner: 40 stops across the southern US with a few date windows.

Run from the project's root:  python bench/planner.py [--limit 3] [--long 60] [--runs 3]

It times ``propose_order`` with the default time limit, runs it again for a long time, and
prints the total distance of each against the best of the long run, with the goal: under 5
seconds and within 2% of the long run's best. It needs no database (plain data only).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import django  # noqa: E402
from django.apps import apps  # noqa: E402

if not apps.ready:  # run as a script (bench/run.py and tests have set Django up already)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caravana.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret-0123456789abcdefghijklmnop")
    os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
    django.setup()

from geo.gazetteer import find_place  # noqa: E402
from journey.planning.data import DayRules, PlanStop, RouteProblem, build_matrix  # noqa: E402
from journey.planning.order import DEFAULT_TIME_LIMIT, propose_order  # noqa: E402
from journey.planning.schedule import propose_schedule  # noqa: E402

GOAL_SECONDS = 5.0
GOAL_GAP = 0.02

# West to east; "rest" stops are passed through (a two-hour stop), the others are nights.
CITIES = [
    ("Los Angeles", "CA", "night"),
    ("San Diego", "CA", "night"),
    ("Yuma", "AZ", "rest"),
    ("Phoenix", "AZ", "night"),
    ("Tucson", "AZ", "night"),
    ("Las Cruces", "NM", "rest"),
    ("El Paso", "TX", "night"),
    ("Albuquerque", "NM", "night"),
    ("Amarillo", "TX", "rest"),
    ("Lubbock", "TX", "night"),
    ("Midland", "TX", "night"),
    ("San Angelo", "TX", "rest"),
    ("San Antonio", "TX", "night"),
    ("Austin", "TX", "night"),
    ("Waco", "TX", "rest"),
    ("Dallas", "TX", "night"),
    ("Houston", "TX", "night"),
    ("Beaumont", "TX", "rest"),
    ("Baton Rouge", "LA", "night"),
    ("New Orleans", "LA", "night"),
    ("Hattiesburg", "MS", "rest"),
    ("Jackson", "MS", "night"),
    ("Memphis", "TN", "night"),
    ("Tupelo", "MS", "rest"),
    ("Birmingham", "AL", "night"),
    ("Montgomery", "AL", "night"),
    ("Mobile", "AL", "rest"),
    ("Tallahassee", "FL", "night"),
    ("Atlanta", "GA", "night"),
    ("Chattanooga", "TN", "rest"),
    ("Nashville", "TN", "night"),
    ("Knoxville", "TN", "night"),
    ("Asheville", "NC", "rest"),
    ("Charlotte", "NC", "night"),
    ("Columbia", "SC", "night"),
    ("Raleigh", "NC", "rest"),
    ("Richmond", "VA", "night"),
    ("Charlottesville", "VA", "night"),
    ("Baltimore", "MD", "rest"),
    ("Washington", "DC", "night"),
]
# Date windows (arrive between 08:00 and 20:00 local on that day): a rally in Phoenix on the
# 3rd, and four dates that pull the shortest order away from plain west to east.
WINDOWS = {
    "Phoenix": date(2026, 3, 3),
    "El Paso": date(2026, 3, 4),
    "Dallas": date(2026, 3, 10),
    "Birmingham": date(2026, 3, 18),
    "Atlanta": date(2026, 3, 19),
}
FIRST_DAY = date(2026, 3, 2)


def reference_stops() -> list[PlanStop]:
    """The 40 stops with their planned stays: one night at a night stop, two hours at a rest
    stop. Their dates are rough (one stop a day); only the stays matter to the planner."""
    stops = []
    for number, (city, state, kind) in enumerate(CITIES, start=1):
        place = find_place(city, state)
        if place is None:
            raise SystemExit(f"{city}, {state} is not in the gazetteer")
        tz = ZoneInfo(place.timezone)
        day = FIRST_DAY + timedelta(days=number - 1)
        arrival = datetime.combine(day, datetime.min.time(), tz) + timedelta(hours=16)
        stay = timedelta(hours=16) if kind == "night" else timedelta(hours=2)
        if number == 1:  # leave at 09:00 on the first day
            arrival = datetime.combine(FIRST_DAY, datetime.min.time(), tz) + timedelta(hours=8)
            stay = timedelta(hours=1)
        stops.append(
            PlanStop(
                id=number,
                name=place.label,
                latitude=place.latitude,
                longitude=place.longitude,
                timezone=place.timezone,
                arrival=arrival,
                departure=arrival + stay,
                has_lodging=kind == "night",
            )
        )
    return stops


def benchmark_problem(seed: int = 7) -> tuple[RouteProblem, RouteProblem]:
    """(the stops west to east, the benchmark problem: the same stops with the windows, the
    ones between the first and the last shuffled, as a coordinator's rough first draft)."""
    rules = DayRules()
    stops = []
    for stop in reference_stops():
        day = WINDOWS.get(stop.name.split(",")[0])
        if day is not None:
            stop = replace(
                stop,
                earliest_arrival=datetime.combine(day, rules.day_start, stop.tzinfo),
                latest_arrival=datetime.combine(day, rules.day_end, stop.tzinfo),
            )
        stops.append(stop)
    middle = stops[1:-1]
    random.Random(seed).shuffle(middle)
    return (
        RouteProblem(tuple(stops), rules),
        RouteProblem((stops[0], *middle, stops[-1]), rules),
    )


@dataclass(frozen=True)
class PlannerResult:
    runs: list[tuple[float, float]]  # (seconds, km) of each run with the default limit
    long_seconds: float
    best: float  # km: the best distance found, the long run's or a default run's

    @property
    def worst_seconds(self) -> float:
        return max(seconds for seconds, _distance in self.runs)

    @property
    def worst_gap(self) -> float:
        return max(distance / self.best - 1 for _seconds, distance in self.runs)

    @property
    def met(self) -> bool:
        return self.worst_seconds < GOAL_SECONDS and self.worst_gap <= GOAL_GAP


def measure(*, limit: float, long: float, runs: int, say=print) -> PlannerResult:
    """Time ``propose_order`` ``runs`` times with ``limit``, then once with ``long``;
    ``say`` gets each line of the story."""
    reference, problem = benchmark_problem()
    began = time.perf_counter()
    matrix = build_matrix(problem)
    matrix_seconds = time.perf_counter() - began
    windows = [f"{city} on {day:%b %d}" for city, day in WINDOWS.items()]
    say(f"{len(problem.stops)} stops, date windows: {'; '.join(windows)}")
    say(f"travel matrix: {matrix_seconds:.2f} s")
    current = propose_schedule(problem, matrix=matrix)
    say(f"current (shuffled) order: {current.distance_km:,.0f} km, fits: {current.fits}")
    ref = propose_schedule(problem, reference.stop_ids, matrix=matrix)
    say(f"west-to-east order: {ref.distance_km:,.0f} km, fits: {ref.fits}")

    measured = []
    for run in range(runs):
        began = time.perf_counter()
        proposal = propose_order(problem, time_limit=limit, matrix=matrix)
        seconds = time.perf_counter() - began + matrix_seconds
        distance = proposal.proposed.distance_km if proposal.proposed else float("inf")
        measured.append((seconds, distance))
        say(
            f"run {run + 1} with the default limit ({limit:g} s): {seconds:.2f} s "
            f"(matrix included), {distance:,.1f} km"
        )

    began = time.perf_counter()
    long_run = propose_order(problem, time_limit=long, matrix=matrix)
    long_seconds = time.perf_counter() - began
    best = min(
        [long_run.proposed.distance_km if long_run.proposed else float("inf")]
        + [distance for _seconds, distance in measured]
    )
    say(f"long run ({long:g} s): {long_seconds:.1f} s, {best:,.1f} km (best found)")
    return PlannerResult(measured, long_seconds, best)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=DEFAULT_TIME_LIMIT, help="seconds")
    parser.add_argument("--long", type=float, default=60.0, help="seconds of the long run")
    parser.add_argument("--runs", type=int, default=3, help="runs with the default limit")
    args = parser.parse_args(argv)

    result = measure(limit=args.limit, long=args.long, runs=args.runs)
    print(
        f"worst default run: {result.worst_seconds:.2f} s, {result.worst_gap:.2%} above the "
        f"best; goal (under {GOAL_SECONDS:g} s, within {GOAL_GAP:.0%}): "
        f"{'met' if result.met else 'NOT met'}"
    )
    return 0 if result.met else 1


if __name__ == "__main__":
    sys.exit(main())
