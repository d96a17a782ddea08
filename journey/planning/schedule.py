"""Departure and arrival times for an order of stops, with the days that do not fit.

``propose_schedule(problem, order)`` walks the order once, as early as the rules allow:

* the caravan leaves the first stop at its planned departure, not before the morning hour;
* a leg takes its driving time plus its rest breaks (``geo.distance.rest_break_minutes``);
* at a stop it passes through, it stays the planned time, longer if an activity there ends
  later; at a stop where the plan spends nights, it stays those nights and leaves at the
  morning hour, later if an activity there ends later;
* when it would arrive before a stop's window opens (or too early to stay for its
  activities), it leaves the previous stop later; a wait that crosses a night is flagged;
* each day (from a morning departure to the next overnight stop) is checked: arrivals not
  after the evening hour, at most ``MAX_DRIVING_MINUTES`` of driving, windows and activity
  starts met, nights only at stops with lodging.

The result is data (aware datetimes, flags); callers show times in each stop's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from journey.formatting import format_duration, format_local
from journey.planning.data import (
    ORDER_BLOCKING,
    Flag,
    FlagKind,
    PlanStop,
    RouteProblem,
    TravelMatrix,
    arrival_bounds,
    build_matrix,
    minutes,
    sleeps_at,
)


@dataclass(frozen=True)
class ScheduledStop:
    stop: PlanStop
    arrival: datetime | None  # None at the first stop
    departure: datetime | None  # None at the last stop
    nights: int  # nights spent here; 0 when passing through
    wait_minutes: int = 0  # time added here to meet a window farther on


@dataclass(frozen=True)
class ScheduledLeg:
    index: int
    origin: PlanStop
    destination: PlanStop
    departure: datetime
    arrival: datetime
    distance_km: float
    driving_minutes: int
    break_minutes: int
    day: int  # index into Schedule.days

    @property
    def total_minutes(self) -> int:
        return self.driving_minutes + self.break_minutes


@dataclass(frozen=True)
class ScheduleDay:
    """A day on the road: from a morning departure to the next night."""

    index: int
    date: date  # local date of the first departure
    start: datetime
    end: datetime
    first_stop: PlanStop
    last_stop: PlanStop
    driving_minutes: int
    leg_indexes: tuple[int, ...]

    @property
    def duty_minutes(self) -> int:
        return minutes(self.end - self.start)


@dataclass(frozen=True)
class Schedule:
    stops: tuple[ScheduledStop, ...]
    legs: tuple[ScheduledLeg, ...]
    days: tuple[ScheduleDay, ...]
    flags: tuple[Flag, ...]

    @property
    def stop_ids(self) -> tuple[int, ...]:
        return tuple(entry.stop.id for entry in self.stops)

    @property
    def distance_km(self) -> float:
        return sum(leg.distance_km for leg in self.legs)

    @property
    def driving_minutes(self) -> int:
        return sum(leg.driving_minutes for leg in self.legs)

    @property
    def blocking_flags(self) -> tuple[Flag, ...]:
        return tuple(flag for flag in self.flags if flag.kind in ORDER_BLOCKING)

    @property
    def fits(self) -> bool:
        """No window missed, no day too long: the order is acceptable."""
        return not self.blocking_flags

    def arrival_at(self, stop_id: int) -> datetime | None:
        for entry in self.stops:
            if entry.stop.id == stop_id:
                return entry.arrival
        return None


def propose_schedule(
    problem: RouteProblem, order=None, *, matrix: TravelMatrix | None = None
) -> Schedule:
    """Times for the stops of ``problem`` in ``order`` (stop ids; default: the current order)."""
    ids = list(problem.stop_ids if order is None else order)
    if sorted(ids) != sorted(problem.stop_ids):
        raise ValueError("order must list each stop of the problem exactly once")
    if matrix is None:
        matrix = build_matrix(problem)
    by_id = problem.stops_by_id
    return _Walk(problem, matrix).run([by_id[stop_id] for stop_id in ids])


class _Walk:
    def __init__(self, problem: RouteProblem, matrix: TravelMatrix):
        self.rules = problem.rules
        self.matrix = matrix
        self.position = {stop_id: i for i, stop_id in enumerate(matrix.stop_ids)}
        self.flags: list[Flag] = []
        self.legs: list[ScheduledLeg] = []
        self.days: list[ScheduleDay] = []
        self.start_departure = problem.start_departure

    # --- days -------------------------------------------------------------------
    def _open_day(self, stop: PlanStop, departure: datetime) -> None:
        self.day_stop = stop
        self.day_start = departure
        self.day_date = departure.astimezone(stop.tzinfo).date()
        self.day_legs: list[int] = []
        self.day_driving = 0

    def _close_day(self, stop: PlanStop, end: datetime) -> None:
        if not self.day_legs:
            return
        day = ScheduleDay(
            index=len(self.days),
            date=self.day_date,
            start=self.day_start,
            end=end,
            first_stop=self.day_stop,
            last_stop=stop,
            driving_minutes=self.day_driving,
            leg_indexes=tuple(self.day_legs),
        )
        self.days.append(day)
        limit = self.rules.max_driving_minutes
        if day.driving_minutes > limit:
            self.flags.append(
                Flag(
                    FlagKind.DRIVING_OVER_LIMIT,
                    _("%(date)s, %(first)s → %(last)s: %(driving)s of driving (limit %(limit)s).")
                    % {
                        "date": format_local(day.start, day.first_stop.tzinfo),
                        "first": day.first_stop.name,
                        "last": day.last_stop.name,
                        "driving": format_duration(day.driving_minutes),
                        "limit": format_duration(limit),
                    },
                    stop_id=stop.id,
                    day=day.date,
                )
            )

    # --- the walk ---------------------------------------------------------------
    def run(self, stops: list[PlanStop]) -> Schedule:
        count = len(stops)
        first = stops[0]
        departure = self.start_departure
        entries = [[first, None, departure, 0, 0]]  # stop, arrival, departure, nights, wait
        self._open_day(first, departure)
        for position in range(1, count):
            origin, stop = stops[position - 1], stops[position]
            overnight = sleeps_at(stop, position, count)
            i, j = self.position[origin.id], self.position[stop.id]
            driving = self.matrix.driving_minutes[i][j]
            breaks = self.matrix.break_minutes[i][j]
            travel = timedelta(minutes=driving + breaks)
            earliest, latest = arrival_bounds(stop, overnight=overnight)

            if earliest is not None and departure + travel < earliest:
                waited = self._leave_later(origin, departure, earliest - travel, stop)
                entries[-1][4] += minutes(waited - departure)
                entries[-1][2] = departure = waited
            arrival = departure + travel

            self.legs.append(
                ScheduledLeg(
                    index=len(self.legs),
                    origin=origin,
                    destination=stop,
                    departure=departure,
                    arrival=arrival,
                    distance_km=self.matrix.distance_km[i][j],
                    driving_minutes=driving,
                    break_minutes=breaks,
                    day=len(self.days),
                )
            )
            self.day_legs.append(len(self.legs) - 1)
            self.day_driving += driving
            self._check_arrival(stop, arrival, latest)

            if position == count - 1:
                entries.append([stop, arrival, None, 0, 0])
                break
            if overnight:
                departure = self._stay_overnight(stop, arrival)
                entries.append([stop, arrival, departure, stop.nights, 0])
                self._close_day(stop, arrival)
                self._open_day(stop, departure)
            else:
                departure = arrival + timedelta(minutes=stop.stay_minutes)
                end = stop.last_activity_end
                if end is not None and end > departure:
                    departure = end
                entries.append([stop, arrival, departure, 0, 0])
        self._close_day(stops[-1], entries[-1][1] or departure)
        return Schedule(
            stops=tuple(ScheduledStop(*entry) for entry in entries),
            legs=tuple(self.legs),
            days=tuple(self.days),
            flags=tuple(self.flags),
        )

    def _leave_later(
        self, origin: PlanStop, departure: datetime, target: datetime, waiting_for: PlanStop
    ) -> datetime:
        """Leave ``origin`` at ``target`` if that is still the same day; otherwise the
        caravan spends an unplanned night there and leaves on a later morning."""
        rules, tz = self.rules, origin.tzinfo
        today = departure.astimezone(tz).date()
        if target <= rules.ends_at(today, tz):
            if not self.day_legs:
                self.day_start = target
            return target
        day = target.astimezone(tz).date()
        if target > rules.ends_at(day, tz):
            day += timedelta(days=1)
        leave = max(target, rules.starts_at(day, tz))
        self.flags.append(
            Flag(
                FlagKind.UNPLANNED_NIGHT,
                _("The caravan waits in %(stop)s until %(when)s to meet the window of %(next)s.")
                % {
                    "stop": origin.name,
                    "when": format_local(leave, tz),
                    "next": waiting_for.name,
                },
                stop_id=origin.id,
                day=today,
            )
        )
        self._close_day(origin, departure)
        self._open_day(origin, leave)
        return leave

    def _check_arrival(self, stop: PlanStop, arrival: datetime, latest: datetime | None) -> None:
        tz = stop.tzinfo
        day_end = self.rules.ends_at(self.day_date, tz)
        if arrival > day_end:
            self.flags.append(
                Flag(
                    FlagKind.LATE_ARRIVAL,
                    _(
                        "%(stop)s: the caravan arrives %(arrival)s, after %(end)s "
                        "(the day started in %(from)s at %(start)s)."
                    )
                    % {
                        "stop": stop.name,
                        "arrival": format_local(arrival, tz),
                        "end": format_local(day_end, tz),
                        "from": self.day_stop.name,
                        "start": format_local(self.day_start, self.day_stop.tzinfo),
                    },
                    stop_id=stop.id,
                    day=self.day_date,
                )
            )
        if stop.latest_arrival is not None and arrival > stop.latest_arrival:
            self.flags.append(
                Flag(
                    FlagKind.WINDOW_MISSED,
                    _("%(stop)s must be reached by %(latest)s; the caravan arrives %(arrival)s.")
                    % {
                        "stop": stop.name,
                        "latest": format_local(stop.latest_arrival, tz),
                        "arrival": format_local(arrival, tz),
                    },
                    stop_id=stop.id,
                    day=self.day_date,
                )
            )
        for activity in stop.activities:
            if arrival > activity.starts_at:
                self.flags.append(
                    Flag(
                        FlagKind.ACTIVITY_MISSED,
                        _("%(stop)s: %(title)s starts %(start)s; the caravan arrives %(arrival)s.")
                        % {
                            "stop": stop.name,
                            "title": activity.title,
                            "start": format_local(activity.starts_at, tz),
                            "arrival": format_local(arrival, tz),
                        },
                        stop_id=stop.id,
                        day=self.day_date,
                    )
                )

    def _stay_overnight(self, stop: PlanStop, arrival: datetime) -> datetime:
        """The planned nights, then the morning hour (later if an activity ends later)."""
        tz = stop.tzinfo
        if not stop.has_lodging:
            self.flags.append(
                Flag(
                    FlagKind.NIGHT_WITHOUT_LODGING,
                    _("%(stop)s: the caravan spends the night but the stop has no lodging.")
                    % {"stop": stop.name},
                    stop_id=stop.id,
                    day=arrival.astimezone(tz).date(),
                )
            )
        morning = self.rules.starts_at(
            arrival.astimezone(tz).date() + timedelta(days=stop.nights), tz
        )
        end = stop.last_activity_end
        if end is None or end <= morning:
            return morning
        if end.astimezone(tz).date() > morning.astimezone(tz).date():
            self.flags.append(
                Flag(
                    FlagKind.UNPLANNED_NIGHT,
                    _("%(stop)s: the caravan stays until %(end)s for its activities.")
                    % {"stop": stop.name, "end": format_local(end, tz)},
                    stop_id=stop.id,
                    day=arrival.astimezone(tz).date(),
                )
            )
        return end
