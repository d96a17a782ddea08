"""The order of a route's stops that minimizes driving, with OR-Tools routing.

``propose_order(problem)`` keeps the first and last stop, and orders the others to minimize the
total distance while each day stays within the rules: at most ``MAX_DRIVING_MINUTES`` of driving
between two nights, arrivals between the morning and the evening hour, nights only where the
current plan spends them, windows and activity times met. The proposal is compared with the
current plan; when no order fits, the proposal says why.

The routing model (one vehicle from the first stop to the last; arc cost = road distance in
metres) has three dimensions:

``day``
    Nights spent before each stop: exact dates. Transit out of a stop = its planned nights.
``clock``
    Minutes since the morning hour, in the stop's local time. Transit = the stay (at a stop
    passed through) + driving + rest breaks + the change of time zone; slack = waiting. At an
    overnight stop the cumul is at least the evening limit and the transit out of it subtracts
    that limit, so the next day starts from the morning hour again.
``driving``
    Minutes of driving since the last night, reset the same way at overnight stops.

The day's limits and the windows are soft bounds with heavy penalties (a penalty of
``_PENALTY_PER_MINUTE`` per minute over, ``_PENALTY_PER_DAY`` per day outside a window), so
every order is a solution and the search moves freely; a callback keeps the shortest order the
search met without any penalty. The time limit is shared by the guided local searches of
``_SEARCHES``. Each order a search returns is checked by ``propose_schedule`` (the exact rules)
and never proposed if it breaks one; a window the model could only approximate (the time part
of a window spanning several days) is then tightened and the search runs again from that order.
docs/planner.md lists what is exact and what is approximated.
"""

from __future__ import annotations

import time as timer
from dataclasses import dataclass
from datetime import datetime

from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util import optional_boolean_pb2

from journey.planning.data import (
    Flag,
    PlanStop,
    RouteProblem,
    TravelMatrix,
    arrival_bounds,
    build_matrix,
    local_clock,
    minutes,
    sleeps_at,
)
from journey.planning.explain import why_no_order_fits
from journey.planning.schedule import Schedule, propose_schedule

#: Seconds the solver searches by default (guided local search always runs to its limit).
DEFAULT_TIME_LIMIT = 3.0
#: A window with less slack than this (minutes between arrival and its close) is tight.
TIGHT_WINDOW_MINUTES = 120
#: How many times the search may run again after tightening windows.
MAX_ROUNDS = 3

# Soft bounds: heavy enough that the best order found is free of them whenever one exists,
# light enough that the search still crosses orders that break them (see bench/planner.py).
_PENALTY_PER_MINUTE = 1_000  # a minute over costs as much as a kilometre of driving
_PENALTY_PER_DAY = 1_000_000


@dataclass(frozen=True)
class _Search:
    """One guided local search; ``propose_order`` runs each for a share of the time."""

    guided_lambda: float
    tsp_lns: bool


#: Two searches that differ in how far they wander: in trials on the benchmark, each found
#: orders the other missed within the same time, and together they were steadier than one.
_SEARCHES = (_Search(guided_lambda=0.5, tsp_lns=False), _Search(guided_lambda=0.1, tsp_lns=True))


@dataclass(frozen=True)
class OrderSummary:
    """One order of the stops with its totals and its schedule."""

    stop_ids: tuple[int, ...]
    schedule: Schedule

    @property
    def distance_km(self) -> float:
        return self.schedule.distance_km

    @property
    def driving_minutes(self) -> int:
        return self.schedule.driving_minutes

    @property
    def fits(self) -> bool:
        return self.schedule.fits


@dataclass(frozen=True)
class Move:
    """A stop whose place changes (positions count from 1)."""

    stop_id: int
    name: str
    old_position: int
    new_position: int


@dataclass(frozen=True)
class WindowCheck:
    """A stop's window against the proposed arrival."""

    stop_id: int
    name: str
    timezone: str
    earliest: datetime | None
    latest: datetime | None
    arrival: datetime
    slack_minutes: int | None  # minutes between the arrival and the window's close

    @property
    def met(self) -> bool:
        return (self.earliest is None or self.arrival >= self.earliest) and (
            self.latest is None or self.arrival <= self.latest
        )

    @property
    def tight(self) -> bool:
        return self.slack_minutes is not None and self.slack_minutes < TIGHT_WINDOW_MINUTES


@dataclass(frozen=True)
class OrderProposal:
    route_id: int | None
    current: OrderSummary
    proposed: OrderSummary | None  # None when no order fits
    moves: tuple[Move, ...]
    windows: tuple[WindowCheck, ...]  # of the proposed order (of the current one if None)
    explanations: tuple[Flag, ...]  # why no order fits
    solve_seconds: float

    @property
    def feasible(self) -> bool:
        return self.proposed is not None

    @property
    def changed(self) -> bool:
        return self.proposed is not None and self.proposed.stop_ids != self.current.stop_ids

    @property
    def distance_saved_km(self) -> float:
        return self.current.distance_km - self.proposed.distance_km if self.proposed else 0.0

    @property
    def driving_saved_minutes(self) -> int:
        return self.current.driving_minutes - self.proposed.driving_minutes if self.proposed else 0


def propose_order(
    problem: RouteProblem,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    matrix: TravelMatrix | None = None,
) -> OrderProposal:
    """The shortest order that fits the rules, next to the current one, or why none fits."""
    if time_limit <= 0:
        raise ValueError("time_limit must be positive")
    began = timer.perf_counter()
    if matrix is None:
        matrix = build_matrix(problem)
    current = _summary(problem, matrix, problem.stop_ids)
    best = current if current.fits else None
    found = current
    if len(problem.stops) > 3 and problem.rules.span_minutes > 0:
        model = _Model(problem, matrix)
        share = time_limit / len(_SEARCHES)
        for search in _SEARCHES:
            order = None
            for round_ in range(MAX_ROUNDS):
                limit = share if round_ == 0 else share / 2
                order = model.solve(limit, search, initial=order)
                if order is None:
                    break
                summary = _summary(problem, matrix, order)
                if summary.fits:
                    if best is None or summary.distance_km < best.distance_km - 1e-6:
                        best = summary
                    break
                found = summary
                if not model.tighten(summary.schedule):
                    break
    explanations = () if best is not None else tuple(why_no_order_fits(problem, matrix, found))
    shown = best or current
    return OrderProposal(
        route_id=problem.route_id,
        current=current,
        proposed=best,
        moves=_moves(problem, current.stop_ids, best.stop_ids) if best else (),
        windows=_windows(problem, shown.schedule),
        explanations=explanations,
        solve_seconds=timer.perf_counter() - began,
    )


def _summary(problem: RouteProblem, matrix: TravelMatrix, order) -> OrderSummary:
    order = tuple(order)
    return OrderSummary(order, propose_schedule(problem, order, matrix=matrix))


def _moves(problem: RouteProblem, old, new) -> tuple[Move, ...]:
    names = {stop.id: stop.name for stop in problem.stops}
    new_position = {stop_id: i for i, stop_id in enumerate(new)}
    return tuple(
        Move(stop_id, names[stop_id], i + 1, new_position[stop_id] + 1)
        for i, stop_id in enumerate(old)
        if new_position[stop_id] != i
    )


def _windows(problem: RouteProblem, schedule: Schedule) -> tuple[WindowCheck, ...]:
    checks = []
    for entry in schedule.stops:
        stop = entry.stop
        if not stop.has_window or entry.arrival is None:
            continue
        slack = minutes(stop.latest_arrival - entry.arrival) if stop.latest_arrival else None
        checks.append(
            WindowCheck(
                stop_id=stop.id,
                name=stop.name,
                timezone=stop.timezone,
                earliest=stop.earliest_arrival,
                latest=stop.latest_arrival,
                arrival=entry.arrival,
                slack_minutes=slack,
            )
        )
    return tuple(checks)


# --- The routing model ------------------------------------------------------------


@dataclass
class _Bounds:
    """A stop's arrival window as (day index, minutes after the morning hour)."""

    first_day: int | None = None
    first_minute: int = 0
    last_day: int | None = None
    last_minute: int | None = None

    @property
    def one_day(self) -> bool:
        return self.first_day is not None and self.first_day == self.last_day


class _Model:
    """The routing model of a problem; ``solve`` may run several times (after ``tighten``)."""

    def __init__(self, problem: RouteProblem, matrix: TravelMatrix):
        self.problem = problem
        self.matrix = matrix
        self.rules = rules = problem.rules
        stops = problem.stops
        self.count = count = len(stops)
        self.span = rules.span_minutes
        start = problem.start_departure
        self.first_date, clock = local_clock(start, stops[0].tzinfo)
        self.start_clock = clock - rules.start_minutes
        self.overnight = [sleeps_at(stop, i, count) for i, stop in enumerate(stops)]
        self.offsets = [
            int(stop.arrival.astimezone(stop.tzinfo).utcoffset().total_seconds() // 60)
            for stop in stops
        ]
        self.bounds = [self._bounds(i) for i in range(count)]
        self.morning = [self._morning_clock(i) for i in range(count)]
        # Stops whose window's time of day applies on every day (see ``tighten``).
        self.strict: set[int] = set()

    # --- inputs ---------------------------------------------------------------------
    def _day_and_minute(self, moment: datetime, stop: PlanStop) -> tuple[int, int]:
        day, clock = local_clock(moment, stop.tzinfo)
        return (day - self.first_date).days, clock - self.rules.start_minutes

    def _bounds(self, i: int) -> _Bounds:
        if i == 0:
            return _Bounds()
        stop = self.problem.stops[i]
        earliest, latest = arrival_bounds(stop, overnight=self.overnight[i])
        bounds = _Bounds()
        if self.overnight[i] and stop.last_activity_end is not None:
            # The departure waits for the activities, so arrive at most the nights before.
            end_day, _minute = self._day_and_minute(stop.last_activity_end, stop)
            bounds.first_day = end_day - stop.nights
        if earliest is not None:
            day, minute = self._day_and_minute(earliest, stop)
            if minute > self.span:  # after the evening hour: the next morning
                day, minute = day + 1, 0
            if bounds.first_day is None or day >= bounds.first_day:
                bounds.first_day, bounds.first_minute = day, max(0, minute)
        if latest is not None:
            day, minute = self._day_and_minute(latest, stop)
            if minute < 0:  # before the morning hour: the evening before
                day, minute = day - 1, self.span
            bounds.last_day, bounds.last_minute = day, min(minute, self.span)
        return bounds

    def _morning_clock(self, i: int) -> int:
        """Minutes after the morning hour at which the caravan leaves an overnight stop.

        The morning hour, unless an activity ends later on the planned day of departure
        (the current plan's date: the model cannot know the new one)."""
        stop = self.problem.stops[i]
        end = stop.last_activity_end
        if not self.overnight[i] or end is None:
            return 0
        end_day, end_clock = local_clock(end, stop.tzinfo)
        planned_day, _clock = local_clock(stop.departure, stop.tzinfo)
        if end_day != planned_day:
            return 0
        return min(max(0, end_clock - self.rules.start_minutes), self.span)

    def _evening(self, i: int) -> int:
        """The latest arrival at stop i, in minutes after the morning hour."""
        bounds = self.bounds[i]
        if bounds.last_minute is not None and (bounds.one_day or i in self.strict):
            return bounds.last_minute
        return self.span

    def tighten(self, schedule: Schedule) -> bool:
        """After a schedule broke a window the model approximated, apply that window's time
        of day on every day. Returns whether anything changed."""
        flagged = {flag.stop_id for flag in schedule.blocking_flags}
        changed = False
        for i, stop in enumerate(self.problem.stops):
            bounds = self.bounds[i]
            windowed = bounds.first_day is not None or bounds.last_day is not None
            if (
                i
                and i not in self.strict
                and windowed
                and not bounds.one_day
                and stop.id in flagged
            ):
                self.strict.add(i)
                changed = True
        if not changed:
            # A broken day may come from a waiting stop earlier that day: tighten those too.
            days = {flag.day for flag in schedule.blocking_flags}
            for entry in schedule.stops[1:]:
                i = self.problem.stop_ids.index(entry.stop.id)
                bounds = self.bounds[i]
                arrival_day = entry.arrival.astimezone(entry.stop.tzinfo).date()
                if (
                    i not in self.strict
                    and (bounds.first_day is not None or bounds.last_day is not None)
                    and not bounds.one_day
                    and arrival_day in days
                ):
                    self.strict.add(i)
                    changed = True
        return changed

    # --- solving --------------------------------------------------------------------
    def solve(
        self, time_limit: float, search: _Search, initial: list[int] | None = None
    ) -> list[int] | None:
        """The best order found (stop ids), or None if the solver found none."""
        count = self.count
        matrix, span = self.matrix, self.span
        max_driving = self.rules.max_driving_minutes
        stops = self.problem.stops
        manager = pywrapcp.RoutingIndexManager(count, 1, [0], [count - 1])
        routing = pywrapcp.RoutingModel(manager)

        cost = [[round(km * 1000) for km in row] for row in matrix.distance_km]
        routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(cost))

        evening = [self._evening(i) for i in range(count)]
        clock, driving = [], []
        for i in range(count):
            if self.overnight[i]:
                leave, reset_clock, reset_driving = self.morning[i], evening[i], max_driving
            else:
                leave = stops[i].visit_minutes if i else 0
                reset_clock = reset_driving = 0
            clock.append(
                [
                    0
                    if i == j
                    else leave
                    + matrix.driving_minutes[i][j]
                    + matrix.break_minutes[i][j]
                    + self.offsets[j]
                    - self.offsets[i]
                    - reset_clock
                    for j in range(count)
                ]
            )
            driving.append(
                [
                    0 if i == j else matrix.driving_minutes[i][j] - reset_driving
                    for j in range(count)
                ]
            )
        # Generous capacities: every bound that matters is a soft bound below them.
        clock_cap = (
            max(self.start_clock, 0)
            + span
            + sum(max(max(row), 0) for row in clock)
            + sum(self.morning)
            + sum(s.visit_minutes for s in stops)
        )
        driving_cap = max_driving + sum(max(max(row), 0) for row in driving)
        nights = [stops[i].nights if self.overnight[i] else 0 for i in range(count)]

        routing.AddDimension(
            routing.RegisterTransitMatrix(clock), clock_cap, clock_cap, False, "clock"
        )
        routing.AddDimension(
            routing.RegisterTransitMatrix(driving), driving_cap, driving_cap, True, "driving"
        )
        routing.AddDimension(
            routing.RegisterUnaryTransitVector(nights), 0, sum(nights) + 1, True, "day"
        )
        clock_dim = routing.GetDimensionOrDie("clock")
        driving_dim = routing.GetDimensionOrDie("driving")
        day_dim = routing.GetDimensionOrDie("day")

        clock_dim.CumulVar(routing.Start(0)).SetValue(min(max(self.start_clock, 0), clock_cap))
        for i in range(1, count):
            index = routing.End(0) if i == count - 1 else manager.NodeToIndex(i)
            if self.overnight[i]:
                # Overnight: the cumul is the evening limit or the (late) arrival.
                clock_dim.CumulVar(index).SetMin(evening[i])
                driving_dim.CumulVar(index).SetMin(max_driving)
            clock_dim.SetCumulVarSoftUpperBound(index, evening[i], _PENALTY_PER_MINUTE)
            driving_dim.SetCumulVarSoftUpperBound(index, max_driving, _PENALTY_PER_MINUTE)
            bounds = self.bounds[i]
            if bounds.first_day is not None and bounds.first_day > 0:
                day_dim.SetCumulVarSoftLowerBound(index, bounds.first_day, _PENALTY_PER_DAY)
            if bounds.last_day is not None:
                day_dim.SetCumulVarSoftUpperBound(index, max(bounds.last_day, 0), _PENALTY_PER_DAY)
            if (
                not self.overnight[i]
                and bounds.first_minute > 0
                and (bounds.one_day or i in self.strict)
            ):
                # Waiting (slack) can always reach it: a hard bound.
                clock_dim.CumulVar(index).SetMin(min(bounds.first_minute, clock_cap))

        parameters = pywrapcp.DefaultRoutingSearchParameters()
        parameters.first_solution_strategy = (
            routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
        )
        parameters.local_search_metaheuristic = (
            routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
        )
        parameters.guided_local_search_lambda_coefficient = search.guided_lambda
        if search.tsp_lns:
            parameters.local_search_operators.use_tsp_lns = optional_boolean_pb2.BOOL_TRUE
        parameters.time_limit.FromMilliseconds(max(1, round(time_limit * 1000)))

        # Moderate penalties let the search cross orders that break a bound; keep the
        # shortest order it meets without any penalty, whatever it ends on.
        clean = {"cost": None, "nodes": None}

        def at_solution():
            nodes, index, distance = [], routing.Start(0), 0
            while not routing.IsEnd(index):
                following = routing.NextVar(index).Value()
                node, next_node = manager.IndexToNode(index), manager.IndexToNode(following)
                nodes.append(node)
                distance += cost[node][next_node]
                index = following
            if routing.CostVar().Value() == distance and (
                clean["cost"] is None or distance < clean["cost"]
            ):
                clean["cost"], clean["nodes"] = distance, [*nodes, manager.IndexToNode(index)]

        routing.AddAtSolutionCallback(at_solution)
        if initial is not None:
            routing.CloseModelWithParameters(parameters)
            position = {stop_id: i for i, stop_id in enumerate(self.problem.stop_ids)}
            route = [manager.NodeToIndex(position[stop_id]) for stop_id in initial[1:-1]]
            start = routing.ReadAssignmentFromRoutes([route], True)
            solution = (
                routing.SolveFromAssignmentWithParameters(start, parameters)
                if start is not None
                else routing.SolveWithParameters(parameters)
            )
        else:
            solution = routing.SolveWithParameters(parameters)
        if clean["nodes"] is not None:
            order = clean["nodes"]
        elif solution is None:
            return None
        else:
            order, index = [], routing.Start(0)
            while not routing.IsEnd(index):
                order.append(manager.IndexToNode(index))
                index = solution.Value(routing.NextVar(index))
            order.append(manager.IndexToNode(index))
        return [self.problem.stops[node].id for node in order]
