"""Plain data for the route planner: the problem, the travel matrix and the flags.

Nothing here touches the database. ``journey.planning.services.load_problem`` fills a
``RouteProblem`` from a journey's route; the benchmark and the tests may build one by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy

from geo.distance import (
    DEFAULT_BREAK_EVERY_MINUTES,
    DEFAULT_BREAK_MINUTES,
    DEFAULT_ROAD_FACTOR,
    DEFAULT_SPEED_KMH,
    estimate_leg,
    rest_break_minutes,
)
from journey.checks import MAX_DRIVING_MINUTES
from stops.models import local_nights


@dataclass(frozen=True)
class Appointment:
    """An activity at a stop, at its fixed time."""

    title: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class PlanStop:
    """A stop as the planner sees it.

    ``arrival`` and ``departure`` are the current plan: they give the length of the stay and
    the nights spent there, which the planner keeps whatever the order.
    """

    id: int
    name: str
    latitude: float
    longitude: float
    timezone: str
    arrival: datetime
    departure: datetime
    earliest_arrival: datetime | None = None
    latest_arrival: datetime | None = None
    has_lodging: bool = False  # an overnight stop, or a stop with a lodging
    activities: tuple[Appointment, ...] = ()

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def coordinates(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)

    @property
    def nights(self) -> int:
        """Nights the current plan spends here (local dates between arrival and departure)."""
        return len(local_nights(self.arrival, self.departure, self.tzinfo))

    @property
    def stay_minutes(self) -> int:
        return max(0, int((self.departure - self.arrival).total_seconds() // 60))

    @property
    def visit_minutes(self) -> int:
        """The planned stay, or longer if the activities here take longer."""
        start, end = self.first_activity_start, self.last_activity_end
        if start is None:
            return self.stay_minutes
        return max(self.stay_minutes, minutes(end - start))

    @property
    def first_activity_start(self) -> datetime | None:
        return min((a.starts_at for a in self.activities), default=None)

    @property
    def last_activity_end(self) -> datetime | None:
        return max((a.ends_at for a in self.activities), default=None)

    @property
    def has_window(self) -> bool:
        return self.earliest_arrival is not None or self.latest_arrival is not None


@dataclass(frozen=True)
class DayRules:
    """How a day on the road may look: the journey's settings and the hours-of-service limit."""

    day_start: time = time(8, 0)
    day_end: time = time(20, 0)
    road_factor: float = DEFAULT_ROAD_FACTOR
    speed_kmh: float = DEFAULT_SPEED_KMH
    break_every_minutes: int = DEFAULT_BREAK_EVERY_MINUTES
    break_minutes: int = DEFAULT_BREAK_MINUTES
    max_driving_minutes: int = MAX_DRIVING_MINUTES

    @property
    def start_minutes(self) -> int:
        return self.day_start.hour * 60 + self.day_start.minute

    @property
    def span_minutes(self) -> int:
        """Minutes between the earliest departure and the latest arrival of a day."""
        return self.day_end.hour * 60 + self.day_end.minute - self.start_minutes

    def starts_at(self, day: date, tz: ZoneInfo) -> datetime:
        return datetime.combine(day, self.day_start, tzinfo=tz)

    def ends_at(self, day: date, tz: ZoneInfo) -> datetime:
        return datetime.combine(day, self.day_end, tzinfo=tz)

    def breaks_for(self, driving_minutes: int) -> int:
        return rest_break_minutes(
            driving_minutes,
            break_every_minutes=self.break_every_minutes,
            break_minutes=self.break_minutes,
        )


@dataclass(frozen=True)
class LegFigures:
    """A known leg's distance and driving time (a coordinator's override wins)."""

    distance_km: float
    driving_minutes: int


@dataclass(frozen=True)
class RouteProblem:
    """A route to plan: its active stops in the current order, first and last fixed."""

    stops: tuple[PlanStop, ...]
    rules: DayRules = DayRules()
    route_id: int | None = None
    route_name: str = ""
    distance_unit: str = "mi"
    #: (origin id, destination id) -> figures of the route's current legs.
    known_legs: Mapping[tuple[int, int], LegFigures] = field(default_factory=dict)

    @property
    def stop_ids(self) -> tuple[int, ...]:
        return tuple(stop.id for stop in self.stops)

    @property
    def stops_by_id(self) -> dict[int, PlanStop]:
        return {stop.id: stop for stop in self.stops}

    @property
    def start_departure(self) -> datetime:
        """When the caravan leaves the first stop: the planned departure, not before the
        morning hour of that day."""
        start = self.stops[0]
        local = start.departure.astimezone(start.tzinfo)
        return max(start.departure, self.rules.starts_at(local.date(), start.tzinfo))


@dataclass(frozen=True)
class TravelMatrix:
    """Distance, driving and rest-break minutes between every two stops of a problem."""

    stop_ids: tuple[int, ...]
    distance_km: list[list[float]]
    driving_minutes: list[list[int]]
    break_minutes: list[list[int]]

    def index(self, stop_id: int) -> int:
        return self.stop_ids.index(stop_id)


def build_matrix(problem: RouteProblem) -> TravelMatrix:
    """Estimate every pair once from the coordinates (``geo.distance.estimate_leg``).

    A pair joined by one of the route's current legs takes that leg's figures (with the
    coordinator's override) in both directions.
    """
    stops = problem.stops
    rules = problem.rules
    n = len(stops)
    distance = [[0.0] * n for _ in range(n)]
    driving = [[0] * n for _ in range(n)]
    breaks = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            known = problem.known_legs.get((stops[i].id, stops[j].id)) or problem.known_legs.get(
                (stops[j].id, stops[i].id)
            )
            if known is None:
                estimate = estimate_leg(
                    stops[i].coordinates,
                    stops[j].coordinates,
                    road_factor=rules.road_factor,
                    speed_kmh=rules.speed_kmh,
                    break_every_minutes=rules.break_every_minutes,
                    break_minutes=rules.break_minutes,
                )
                known = LegFigures(estimate.distance_km, estimate.driving_minutes)
            distance[i][j] = distance[j][i] = known.distance_km
            driving[i][j] = driving[j][i] = known.driving_minutes
            breaks[i][j] = breaks[j][i] = rules.breaks_for(known.driving_minutes)
    return TravelMatrix(tuple(s.id for s in stops), distance, driving, breaks)


class FlagKind(models.TextChoices):
    # The day structure and the windows (schedule).
    WINDOW_MISSED = "window_missed", gettext_lazy("Window missed")
    ACTIVITY_MISSED = "activity_missed", gettext_lazy("Arrival after an activity starts")
    LATE_ARRIVAL = "late_arrival", gettext_lazy("Day does not fit")
    DRIVING_OVER_LIMIT = "driving_over_limit", gettext_lazy("Over 10 hours of driving in a day")
    UNPLANNED_NIGHT = "unplanned_night", gettext_lazy("Unplanned night")
    NIGHT_WITHOUT_LODGING = "night_without_lodging", gettext_lazy("Night at a stop without lodging")
    # Why no order fits (order).
    WINDOW_UNREACHABLE = "window_unreachable", gettext_lazy("Window cannot be met")
    WINDOWS_CONFLICT = "windows_conflict", gettext_lazy("Windows cannot both be met")
    STOP_TOO_FAR = "stop_too_far", gettext_lazy("Stop too far from the others")
    BAD_DAY_HOURS = "bad_day_hours", gettext_lazy("Day hours leave no time to drive")
    NO_FEASIBLE_ORDER = "no_feasible_order", gettext_lazy("No order fits")
    # Drivers.
    NO_VEHICLE = "no_vehicle", gettext_lazy("No vehicle on the route")
    TEAM_TOO_SMALL = "team_too_small", gettext_lazy("Too few drivers")
    LEG_TOO_LONG = "leg_too_long", gettext_lazy("Leg longer than a duty day")


#: Flags that make an order unacceptable: the proposal must be free of them.
ORDER_BLOCKING = frozenset(
    {
        FlagKind.WINDOW_MISSED,
        FlagKind.ACTIVITY_MISSED,
        FlagKind.LATE_ARRIVAL,
        FlagKind.DRIVING_OVER_LIMIT,
        FlagKind.UNPLANNED_NIGHT,
    }
)


@dataclass(frozen=True)
class Flag:
    """Something the coordinator should know: a kind to filter on and a sentence to read."""

    kind: str
    message: str
    stop_id: int | None = None
    day: date | None = None
    leg_index: int | None = None
    vehicle_id: int | None = None


def local_clock(moment: datetime, tz: ZoneInfo) -> tuple[date, int]:
    """The local date and the minute of that day (0..1439) of a moment."""
    local = moment.astimezone(tz)
    return local.date(), local.hour * 60 + local.minute


def minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def sleeps_at(stop: PlanStop, position: int, count: int) -> bool:
    """Whether the caravan spends the night at the stop at ``position`` of ``count`` stops.

    It sleeps where the current plan spends nights, except at the first stop (the plan starts
    with the departure from it) and the last (the plan ends with the arrival there).
    """
    return 0 < position < count - 1 and stop.nights > 0


def arrival_bounds(stop: PlanStop, *, overnight: bool) -> tuple[datetime | None, datetime | None]:
    """The earliest and latest arrival the stop allows: its window and its activities.

    The caravan must arrive before the first activity starts. At a stop it passes through, it
    stays until the last activity ends, so it need not arrive earlier than that end minus the
    visit (``visit_minutes``). (At an overnight stop the departure waits for the activities.)
    """
    earliest, latest = stop.earliest_arrival, stop.latest_arrival
    start, end = stop.first_activity_start, stop.last_activity_end
    if start is not None:
        latest = start if latest is None else min(latest, start)
    if end is not None and not overnight:
        floor = end - timedelta(minutes=stop.visit_minutes)
        earliest = floor if earliest is None else max(earliest, floor)
    return earliest, latest
