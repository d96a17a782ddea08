"""The whole plan of a journey, loaded in a fixed number of queries.

Schedule checks, itineraries and exports read the plan from here instead of
walking relations row by row, so their query count does not grow with the
number of stops or participants.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from journey.models import Journey, Leg, Route, RouteStop
from participants.models import BedAssignment, Participant, Role, SeatAssignment, Vehicle
from participants.occupancy import legs_ridden
from stops.models import Activity, HostAlly, LocalContact, Lodging, Meal, Stop, StopStatus


@dataclass
class RoutePlan:
    route: Route
    stops: list[Stop]  # active stops in route order
    legs: list[Leg]  # legs[i] joins stops[i] and stops[i + 1]
    all_positions: dict[int, int]  # every stop on the route (cancelled too) -> position

    @cached_property
    def index(self) -> dict[int, int]:
        return {stop.pk: i for i, stop in enumerate(self.stops)}

    def leg_index_between(self, from_stop_id: int, to_stop_id: int) -> range:
        """Indexes of the legs ridden from one stop to another (by route position)."""
        return legs_ridden(
            self.all_positions.get(from_stop_id),
            self.all_positions.get(to_stop_id),
            self.active_positions,
        )

    @cached_property
    def active_positions(self) -> list[int]:
        """The route positions of ``stops`` (increasing)."""
        return [self.all_positions[stop.pk] for stop in self.stops]

    def _active_span(self, start_pos: int, end_pos: int, *, legs: bool) -> tuple[int, int]:
        # By bisection: this runs for every participant of the journey.
        first = bisect_left(self.active_positions, start_pos)
        last = bisect_right(self.active_positions, end_pos) - 1
        if last < first:
            return (0, 0)
        return (first, last) if legs else (first, last + 1)


@dataclass
class Segment:
    """The part of a route one participant travels: stops first..last inclusive."""

    participant: Participant
    route_plan: RoutePlan
    first: int
    last: int

    @property
    def stops(self) -> list[Stop]:
        return self.route_plan.stops[self.first : self.last + 1]

    @property
    def legs(self) -> list[Leg]:
        return self.route_plan.legs[self.first : self.last]

    @property
    def leg_indexes(self) -> range:
        return range(self.first, self.last)

    def nights(self) -> list[tuple[Stop, date]]:
        return [(stop, night) for stop in self.stops for night in stop.nights]


@dataclass
class Plan:
    """The routes, stops, legs and activities, read by ``load_plan``; lodgings,
    participants, vehicles, seats and beds each read on first use (one query each).

    A public itinerary needs none of the latter, and one participant's itinerary only a
    few of their rows, which ``beds_of``, ``seats_alongside``, ``coordinators`` and
    ``participant`` read alone unless the whole table is read already.
    """

    journey: Journey
    routes: list[RoutePlan]
    stops: list[Stop]  # every stop of the journey, cancelled too, by arrival
    activities: list[Activity]
    _segments: dict[int, Segment | None] = field(default_factory=dict, repr=False)
    _beds_of: dict[int, dict[date, BedAssignment]] = field(default_factory=dict, repr=False)

    def is_read(self, name: str) -> bool:
        """Whether the rows of ``name`` ("participants", "seats", ...) are read already."""
        return name in self.__dict__

    # --- read on first use -----------------------------------------------------
    @cached_property
    def lodgings(self) -> list[Lodging]:
        lodgings = list(
            Lodging.objects.filter(stop__journey=self.journey).order_by("stop_id", "name")
        )
        for lodging in lodgings:
            lodging.stop = self.stops_by_id[lodging.stop_id]
        return lodgings

    @cached_property
    def meals(self) -> list[Meal]:
        """Every meal with its provider, by time (one query, on first use)."""
        meals = list(
            Meal.objects.filter(stop__journey=self.journey)
            .select_related("provided_by")
            .order_by("starts_at", "pk")
        )
        for meal in meals:
            meal.stop = self.stops_by_id[meal.stop_id]
        return meals

    def present_at(self, stop_id: int) -> list[Participant]:
        """The participants whose part of a route (``segment``) takes them to this stop:
        who is there while it lasts, those who join or leave there included."""
        return [
            p
            for p in self.participants
            if (segment := self.segment(p)) is not None
            and any(stop.pk == stop_id for stop in segment.stops)
        ]

    @cached_property
    def participants(self) -> list[Participant]:
        return list(Participant.objects.filter(journey=self.journey).order_by("display_name", "pk"))

    @cached_property
    def vehicles(self) -> list[Vehicle]:
        return list(Vehicle.objects.filter(journey=self.journey).order_by("name"))

    @cached_property
    def seats(self) -> list[SeatAssignment]:
        seats = list(SeatAssignment.objects.filter(vehicle__journey=self.journey).order_by("pk"))
        people = {p.pk: p for p in self.participants}
        for seat in seats:
            seat.participant = people[seat.participant_id]
            seat.vehicle = self.vehicles_by_id[seat.vehicle_id]
        return seats

    # --- one participant's rows ---------------------------------------------------
    def participant(self, pk: int) -> Participant | None:
        """The journey's participant ``pk`` (None: not in this journey)."""
        if self.is_read("participants"):
            return next((p for p in self.participants if p.pk == pk), None)
        return Participant.objects.filter(journey=self.journey, pk=pk).first()

    @cached_property
    def coordinators(self) -> list[Participant]:
        """The participants who coordinate the journey, by name."""
        if self.is_read("participants"):
            return [p for p in self.participants if p.role == Role.COORDINATOR]
        return list(
            Participant.objects.filter(journey=self.journey, role=Role.COORDINATOR).order_by(
                "display_name", "pk"
            )
        )

    def seats_alongside(self, participant: Participant) -> list[SeatAssignment]:
        """Every seat of the vehicles ``participant`` has a seat in (their drivers and
        fellow passengers), by pk: from ``seats`` when read, else one query."""
        if self.is_read("seats"):
            mine = {s.vehicle_id for s in self.seats if s.participant_id == participant.pk}
            return [s for s in self.seats if s.vehicle_id in mine]
        theirs = SeatAssignment.objects.filter(participant_id=participant.pk).values("vehicle_id")
        return list(
            SeatAssignment.objects.filter(vehicle__journey=self.journey, vehicle_id__in=theirs)
            .select_related("participant", "vehicle")
            .order_by("pk")
        )

    # --- lookups ------------------------------------------------------------
    @cached_property
    def stops_by_id(self) -> dict[int, Stop]:
        return {stop.pk: stop for stop in self.stops}

    @cached_property
    def route_plans(self) -> dict[int, RoutePlan]:
        return {rp.route.pk: rp for rp in self.routes}

    @cached_property
    def vehicles_by_id(self) -> dict[int, Vehicle]:
        return {vehicle.pk: vehicle for vehicle in self.vehicles}

    @cached_property
    def lodgings_by_stop(self) -> dict[int, list[Lodging]]:
        grouped = defaultdict(list)
        for lodging in self.lodgings:
            grouped[lodging.stop_id].append(lodging)
        return grouped

    @cached_property
    def activities_by_stop(self) -> dict[int, list[Activity]]:
        grouped = defaultdict(list)
        for activity in self.activities:
            grouped[activity.stop_id].append(activity)
        return grouped

    @cached_property
    def beds(self) -> list[BedAssignment]:
        """Every bed assignment, read on first use (one query): most of a large plan's rows,
        which calendars and booklets do not need."""
        return self._attach_beds(
            BedAssignment.objects.filter(lodging__stop__journey=self.journey).order_by(
                "night", "pk"
            )
        )

    def _attach_beds(self, rows) -> list[BedAssignment]:
        people = {p.pk: p for p in self.participants}
        lodging_by_id = {lodging.pk: lodging for lodging in self.lodgings}
        beds = list(rows)
        for bed in beds:
            bed.participant = people[bed.participant_id]
            bed.lodging = lodging_by_id[bed.lodging_id]
        return beds

    @cached_property
    def beds_by_participant_night(self) -> dict[tuple[int, date], BedAssignment]:
        return {(bed.participant_id, bed.night): bed for bed in self.beds}

    @cached_property
    def _all_beds_by_participant(self) -> dict[int, dict[date, BedAssignment]]:
        """Every participant's beds by night, indexed in one pass over ``beds``."""
        index: dict[int, dict[date, BedAssignment]] = {}
        for bed in self.beds:
            index.setdefault(bed.participant_id, {})[bed.night] = bed
        return index

    def beds_of(self, participant: Participant) -> dict[date, BedAssignment]:
        """One participant's beds by night. Taken from ``beds`` when those are read already,
        else one query for that participant's rows alone: a rider's itinerary need not read
        the 17,000 bed-nights of a 1,000-person journey."""
        if self.is_read("beds"):
            return self._all_beds_by_participant.get(participant.pk, {})
        if participant.pk not in self._beds_of:
            rows = list(
                BedAssignment.objects.filter(
                    participant_id=participant.pk, lodging__stop__journey=self.journey
                )
                .select_related("lodging")
                .order_by("night", "pk")
            )
            lodgings = {lo.pk: lo for lo in self.lodgings} if self.is_read("lodgings") else {}
            for bed in rows:
                bed.participant = participant
                if bed.lodging_id in lodgings:
                    bed.lodging = lodgings[bed.lodging_id]
                else:
                    bed.lodging.stop = self.stops_by_id[bed.lodging.stop_id]
            self._beds_of[participant.pk] = {bed.night: bed for bed in rows}
        return self._beds_of[participant.pk]

    def segment(self, participant: Participant) -> Segment | None:
        """Where the participant travels, or None for someone who does not ride."""
        if participant.pk in self._segments:
            return self._segments[participant.pk]
        result = None
        route_plan = self.route_plans.get(participant.route_id)
        if route_plan and route_plan.stops:
            positions = route_plan.all_positions
            start = positions.get(participant.join_stop_id, min(positions.values()))
            end = positions.get(participant.leave_stop_id, max(positions.values()))
            first, stop_after = route_plan._active_span(start, end, legs=False)
            if stop_after > first:
                result = Segment(participant, route_plan, first, stop_after - 1)
        self._segments[participant.pk] = result
        return result

    @cached_property
    def sleepers(self) -> dict[tuple[int, date], list[Participant]]:
        """(stop id, night) -> the participants who spend that night at that stop."""
        grouped = defaultdict(list)
        for participant in self.participants:
            segment = self.segment(participant)
            if segment is None:
                continue
            for stop, night in segment.nights():
                grouped[(stop.pk, night)].append(participant)
        return grouped

    def riders_of_leg(self, route_id: int, leg_index: int) -> list[Participant]:
        return [
            p
            for p in self.participants
            if p.route_id == route_id
            and (segment := self.segment(p)) is not None
            and leg_index in segment.leg_indexes
        ]


def load_plan(journey: Journey) -> Plan:
    """Load a journey's plan in a fixed number of queries: 5 for its routes, stops, legs and
    activities, and one for each of the lodgings, participants, vehicles, seats and beds
    when something first asks for them (9 for what a team itinerary reads, 10 with the
    beds; see ``Plan``)."""
    stops = list(Stop.objects.filter(journey=journey).order_by("arrival", "pk"))
    by_id = {stop.pk: stop for stop in stops}
    routes = list(Route.objects.filter(journey=journey).order_by("pk"))
    route_stops = RouteStop.objects.filter(route__journey=journey).order_by("route_id", "position")
    positions: dict[int, dict[int, int]] = defaultdict(dict)
    ordered: dict[int, list[Stop]] = defaultdict(list)
    for rs in route_stops:
        positions[rs.route_id][rs.stop_id] = rs.position
        stop = by_id[rs.stop_id]
        if stop.status != StopStatus.CANCELLED:
            ordered[rs.route_id].append(stop)
    legs_by_route: dict[int, list[Leg]] = defaultdict(list)
    for leg in Leg.objects.filter(route__journey=journey).order_by("route_id", "position"):
        leg.origin, leg.destination = by_id[leg.origin_id], by_id[leg.destination_id]
        legs_by_route[leg.route_id].append(leg)
    route_plans = []
    for route in routes:
        route.journey = journey
        route_plans.append(
            RoutePlan(route, ordered[route.pk], legs_by_route[route.pk], positions[route.pk])
        )
    for leg_list in legs_by_route.values():
        for leg in leg_list:
            leg.route = next(rp.route for rp in route_plans if rp.route.pk == leg.route_id)

    activities = list(Activity.objects.filter(stop__journey=journey).order_by("starts_at", "pk"))
    for activity in activities:
        activity.stop = by_id[activity.stop_id]
    return Plan(journey=journey, routes=route_plans, stops=stops, activities=activities)


# --- The plan's version: what every cached export is keyed by --------------------------------


@dataclass(frozen=True)
class PlanVersion:
    """Where a journey's plan stands: a tag that changes with any change, and when it last did."""

    tag: str
    last_modified: datetime


def _scalar(queryset, journey_path: str, value):
    """A subquery giving one aggregate of ``queryset`` for the outer journey."""
    return Subquery(
        queryset.filter(**{journey_path: OuterRef("pk")})
        .order_by()
        .values(journey_path)
        .annotate(value=value)
        .values("value")[:1]
    )


# The rows every export is built from that carry ``updated_at``, with the path to their journey.
_STAMPED = {
    "stops": (Stop, "journey"),
    "legs": (Leg, "route__journey"),
    "activities": (Activity, "stop__journey"),
    "lodgings": (Lodging, "stop__journey"),
    "contacts": (LocalContact, "stop__journey"),
    "meals": (Meal, "stop__journey"),
    "participants": (Participant, "journey"),
    "vehicles": (Vehicle, "journey"),
    "seats": (SeatAssignment, "vehicle__journey"),
    "beds": (BedAssignment, "lodging__stop__journey"),
}


def plan_version(journey_id: int) -> PlanVersion | None:
    """The version of everything a journey's feeds and documents are built from, in one query.

    For each kind of row that has ``updated_at``: the latest one and the count (so a
    deletion counts too). Seats and beds also get a checksum of where they point, since
    moving people around in bulk (``QuerySet.update()``) skips ``updated_at``. Rows
    without it: the order of stops on each route (a checksum of positions), the routes
    (their history's latest date: a rename or a new colour) and the host allies (count,
    latest application and decision). Any other change made with ``update()`` shows once
    the cached copy expires (``CARAVANA_EXPORT_CACHE_SECONDS``).
    """
    annotations = {}
    for name, (model, path) in _STAMPED.items():
        annotations[f"v_{name}_max"] = _scalar(model.objects.all(), path, Max("updated_at"))
        annotations[f"v_{name}_count"] = _scalar(model.objects.all(), path, Count("pk"))
    checksum = IntegerField()
    annotations["v_seats_sum"] = _scalar(
        SeatAssignment.objects.all(),
        "vehicle__journey",
        Sum(
            F("pk") * 7 + F("vehicle_id") * 5 + F("from_stop_id") * 3 + F("to_stop_id"),
            output_field=checksum,
        )
        + Coalesce(Sum("pk", filter=Q(is_driver=True)), 0),
    )
    annotations["v_beds_sum"] = _scalar(
        BedAssignment.objects.all(),
        "lodging__stop__journey",
        Sum(F("pk") * 3 + F("lodging_id") + F("participant_id") * 11, output_field=checksum),
    )
    annotations["v_route_stops"] = _scalar(
        RouteStop.objects.all(),
        "route__journey",
        Sum(F("stop_id") * (F("position") + 1), output_field=checksum) + Count("pk"),
    )
    annotations["v_routes"] = _scalar(
        Route.history.model.objects.all(), "history_journey_id", Max("history_date")
    )
    annotations["v_hosts_count"] = _scalar(HostAlly.objects.all(), "journey", Count("pk"))
    annotations["v_hosts_created"] = _scalar(HostAlly.objects.all(), "journey", Max("created_at"))
    annotations["v_hosts_decided"] = _scalar(HostAlly.objects.all(), "journey", Max("decided_at"))
    row = (
        Journey.objects.filter(pk=journey_id)
        .annotate(**annotations)
        .values("updated_at", "is_published", *annotations)
        .first()
    )
    if row is None:
        return None
    stamps = [row["updated_at"]] + [row[f"v_{name}_max"] for name in _STAMPED]
    last_modified = max(stamp for stamp in stamps if stamp is not None)
    fingerprint = repr(sorted(row.items())).encode()
    return PlanVersion(hashlib.sha256(fingerprint).hexdigest()[:40], last_modified)
