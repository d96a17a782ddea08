"""Why no order of a route's stops fits: the explanations the planner gives.

Structural reasons first (a day too short for a drive, nights that cannot be reached), then
each arrival window checked alone against the earliest possible arrival, then pairs of
windows; ``journey.planning.order`` asks when its search finds no order within the rules.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from journey.formatting import format_duration, format_local
from journey.planning.data import (
    Flag,
    FlagKind,
    PlanStop,
    RouteProblem,
    TravelMatrix,
    arrival_bounds,
    local_clock,
    minutes,
    sleeps_at,
)

if TYPE_CHECKING:
    from journey.planning.order import OrderSummary


def why_no_order_fits(
    problem: RouteProblem, matrix: TravelMatrix, found: OrderSummary
) -> list[Flag]:
    """Name what cannot be met: structural reasons first, then each window checked alone
    against the earliest possible arrival, then pairs of windows; failing all of those, what
    the best order found still breaks."""
    rules = problem.rules
    if rules.span_minutes <= 0:
        return [
            Flag(
                FlagKind.BAD_DAY_HOURS,
                _("The latest arrival (%(end)s) is not after the earliest departure (%(start)s).")
                % {
                    "end": rules.day_end.strftime("%H:%M"),
                    "start": rules.day_start.strftime("%H:%M"),
                },
            )
        ]
    flags = _too_far(problem, matrix)
    flags += _unreachable_windows(problem, matrix)
    if not flags:
        flags = _conflicting_windows(problem, matrix)
    if not flags:
        reasons = found.schedule.blocking_flags
        flags = [
            Flag(
                FlagKind.NO_FEASIBLE_ORDER,
                _(
                    "No order was found that meets every window within the day limits; "
                    "the best order found still has these problems:"
                ),
            ),
            *reasons,
        ]
    return flags


def _too_far(problem: RouteProblem, matrix: TravelMatrix) -> list[Flag]:
    """Stops more than a day's driving from every possible neighbour."""
    limit = problem.rules.max_driving_minutes
    count = len(problem.stops)
    flags = []
    for i, stop in enumerate(problem.stops):
        drives = sorted(matrix.driving_minutes[i][j] for j in range(count) if j != i)
        needed = 1 if i in (0, count - 1) else 2  # the first and last stops have one leg
        if len(drives) >= needed and drives[needed - 1] > limit:
            flags.append(
                Flag(
                    FlagKind.STOP_TOO_FAR,
                    _(
                        "%(stop)s is more than %(limit)s of driving from the other stops "
                        "(nearest: %(nearest)s), so no day can reach or leave it."
                    )
                    % {
                        "stop": stop.name,
                        "limit": format_duration(limit),
                        "nearest": format_duration(drives[0]),
                    },
                    stop_id=stop.id,
                )
            )
    return flags


def earliest_arrival(
    problem: RouteProblem,
    departure: datetime,
    origin: PlanStop,
    destination: PlanStop,
    driving: int,
) -> datetime:
    """A lower bound on the arrival after ``driving`` minutes from ``departure``: as if the
    caravan could sleep anywhere, drives up to the daily limit between the morning and the
    evening hour (of whichever of the two zones makes the day longest), and takes its breaks
    only on the last day."""
    rules = problem.rules
    zones = (origin.tzinfo, destination.tzinfo)
    moment, left = departure, driving
    day = min(local_clock(departure, zone)[0] for zone in zones)
    while True:
        opens = min(rules.starts_at(day, zone) for zone in zones)
        closes = max(rules.ends_at(day, zone) for zone in zones)
        moment = max(moment, opens)
        available = min(rules.max_driving_minutes, minutes(closes - moment))
        if left <= available:
            return moment + timedelta(minutes=left + rules.breaks_for(left))
        left -= max(available, 0)
        day += timedelta(days=1)


def _unreachable_windows(problem: RouteProblem, matrix: TravelMatrix) -> list[Flag]:
    """Each window alone: the direct drive from the first stop, and on to the last stop."""
    stops = problem.stops
    count = len(stops)
    first, last = stops[0], stops[-1]
    start = problem.start_departure
    _last_earliest, last_latest = arrival_bounds(last, overnight=False)
    flags = []
    for i in range(1, count):
        stop = stops[i]
        earliest, latest = arrival_bounds(stop, overnight=sleeps_at(stop, i, count))
        if latest is not None:
            soonest = earliest_arrival(problem, start, first, stop, matrix.driving_minutes[0][i])
            if soonest > latest:
                flags.append(_window_flag(stop, latest, soonest, first))
                continue
        if earliest is not None and last_latest is not None and 0 < i < count - 1:
            leave = earliest + timedelta(minutes=stop.stay_minutes)
            soonest = earliest_arrival(
                problem, leave, stop, last, matrix.driving_minutes[i][count - 1]
            )
            if soonest > last_latest:
                flags.append(
                    Flag(
                        FlagKind.WINDOW_UNREACHABLE,
                        _(
                            "%(stop)s cannot be visited from %(earliest)s and %(last)s still "
                            "be reached by %(latest)s: the earliest possible arrival there "
                            "would be %(soonest)s."
                        )
                        % {
                            "stop": stop.name,
                            "earliest": format_local(earliest, stop.tzinfo),
                            "last": last.name,
                            "latest": format_local(last_latest, last.tzinfo),
                            "soonest": format_local(soonest, last.tzinfo),
                        },
                        stop_id=stop.id,
                    )
                )
    flags += _nights_do_not_reach(problem)
    return flags


def _window_flag(stop: PlanStop, latest: datetime, soonest: datetime, first: PlanStop) -> Flag:
    return Flag(
        FlagKind.WINDOW_UNREACHABLE,
        _(
            "%(stop)s must be reached by %(latest)s but the earliest possible arrival "
            "is %(soonest)s (driving straight from %(first)s)."
        )
        % {
            "stop": stop.name,
            "latest": format_local(latest, stop.tzinfo),
            "soonest": format_local(soonest, stop.tzinfo),
            "first": first.name,
        },
        stop_id=stop.id,
    )


def _nights_do_not_reach(problem: RouteProblem) -> list[Flag]:
    """A window that opens after every date the planned nights can bring the caravan to."""
    stops = problem.stops
    count = len(stops)
    first_date, _clock = local_clock(problem.start_departure, stops[0].tzinfo)
    flags = []
    for i in range(1, count):
        stop = stops[i]
        earliest, _latest = arrival_bounds(stop, overnight=sleeps_at(stop, i, count))
        if earliest is None:
            continue
        if i == count - 1:
            nights_before = sum(s.nights for k, s in enumerate(stops) if sleeps_at(s, k, count))
        else:
            nights_before = sum(
                s.nights for k, s in enumerate(stops) if k != i and sleeps_at(s, k, count)
            )
        latest_date = first_date + timedelta(days=nights_before)
        if local_clock(earliest, stop.tzinfo)[0] > latest_date:
            flags.append(
                Flag(
                    FlagKind.WINDOW_UNREACHABLE,
                    _(
                        "%(stop)s cannot be reached before %(earliest)s: with the planned "
                        "stays (%(nights)d nights before it at most) the caravan is there by "
                        "%(date)s. Add nights or move the window."
                    )
                    % {
                        "stop": stop.name,
                        "earliest": format_local(earliest, stop.tzinfo),
                        "nights": nights_before,
                        "date": _date(latest_date),
                    },
                    stop_id=stop.id,
                )
            )
    return flags


def _conflicting_windows(problem: RouteProblem, matrix: TravelMatrix) -> list[Flag]:
    """Two windows that cannot both be met, whichever of the two stops comes first."""
    stops = problem.stops
    count = len(stops)
    start = problem.start_departure
    windowed = []
    for i in range(1, count - 1):
        stop = stops[i]
        overnight = sleeps_at(stop, i, count)
        earliest, latest = arrival_bounds(stop, overnight=overnight)
        if earliest is None and latest is None:
            continue
        soonest = earliest_arrival(problem, start, stops[0], stop, matrix.driving_minutes[0][i])
        arrive = max(soonest, earliest) if earliest else soonest
        if overnight:
            leave = problem.rules.starts_at(
                arrive.astimezone(stop.tzinfo).date() + timedelta(days=stop.nights), stop.tzinfo
            )
        else:
            leave = arrive + timedelta(minutes=stop.stay_minutes)
        windowed.append((i, stop, latest, leave))
    flags = []
    for a, (i, stop_i, latest_i, leave_i) in enumerate(windowed):
        for j, stop_j, latest_j, leave_j in windowed[a + 1 :]:
            if latest_i is None and latest_j is None:
                continue
            i_first = latest_j is None or (
                earliest_arrival(problem, leave_i, stop_i, stop_j, matrix.driving_minutes[i][j])
                <= latest_j
            )
            j_first = latest_i is None or (
                earliest_arrival(problem, leave_j, stop_j, stop_i, matrix.driving_minutes[j][i])
                <= latest_i
            )
            if not i_first and not j_first:
                flags.append(
                    Flag(
                        FlagKind.WINDOWS_CONFLICT,
                        _(
                            "The windows of %(a)s and %(b)s cannot both be met: whichever "
                            "comes first, the other is reached too late."
                        )
                        % {"a": stop_i.name, "b": stop_j.name},
                        stop_id=stop_j.id,
                    )
                )
    return flags


def _date(day: date) -> str:
    return day.strftime("%Y-%m-%d")
