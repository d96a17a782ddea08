"""Load a journey's route for the planner, plan it, and apply an accepted order."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from journey.models import Journey, Leg, Route, RouteStop
from journey.planning.data import (
    Appointment,
    DayRules,
    LegFigures,
    PlanStop,
    RouteProblem,
    build_matrix,
)
from journey.planning.drivers import DriverInfo, DriverPlan, VehicleInfo, propose_drivers
from journey.planning.order import DEFAULT_TIME_LIMIT, OrderProposal, OrderSummary, propose_order
from journey.planning.schedule import Schedule, propose_schedule
from journey.services import set_route_order
from participants.models import Participant, Role, SeatAssignment, Vehicle
from stops.models import Activity, Lodging, StopKind, StopStatus


class StaleProposal(Exception):
    """The route changed since the proposal was made: plan again."""


@dataclass(frozen=True)
class RoutePlanning:
    """Everything ``plan_route`` proposes for one route."""

    journey: Journey
    route: Route
    problem: RouteProblem
    order: OrderProposal
    schedule: Schedule  # of the proposed order, or of the current one when none fits
    drivers: DriverPlan
    vehicles: tuple[VehicleInfo, ...]
    team: tuple[DriverInfo, ...]


def default_route(journey: Journey) -> Route | None:
    return Route.objects.filter(journey=journey).order_by("pk").first()


def load_problem(*, journey: Journey, route: Route) -> RouteProblem:
    """The route's active stops in their current order, with windows, stays, activities,
    lodging and the current legs' figures (4 queries)."""
    route_stops = (
        RouteStop.objects.filter(route=route)
        .exclude(stop__status=StopStatus.CANCELLED)
        .select_related("stop")
        .order_by("position")
    )
    stops = [rs.stop for rs in route_stops]
    ids = [stop.pk for stop in stops]
    lodged = set(Lodging.objects.filter(stop_id__in=ids).values_list("stop_id", flat=True))
    activities = defaultdict(list)
    for activity in Activity.objects.filter(stop_id__in=ids).order_by("starts_at", "pk"):
        activities[activity.stop_id].append(
            Appointment(activity.title, activity.starts_at, activity.ends_at)
        )
    known = {
        (leg.origin_id, leg.destination_id): LegFigures(leg.distance_km, leg.driving_minutes)
        for leg in Leg.objects.filter(route=route)
    }
    rules = DayRules(
        day_start=journey.day_start,
        day_end=journey.day_end,
        road_factor=float(journey.road_factor),
        speed_kmh=float(journey.average_speed_kmh),
        break_every_minutes=journey.break_every_minutes,
        break_minutes=journey.break_minutes,
    )
    return RouteProblem(
        stops=tuple(
            PlanStop(
                id=stop.pk,
                name=stop.place_name,
                latitude=float(stop.latitude),
                longitude=float(stop.longitude),
                timezone=stop.timezone or "UTC",
                arrival=stop.arrival,
                departure=stop.departure,
                earliest_arrival=stop.earliest_arrival,
                latest_arrival=stop.latest_arrival,
                has_lodging=stop.kind == StopKind.OVERNIGHT or stop.pk in lodged,
                activities=tuple(activities[stop.pk]),
            )
            for stop in stops
        ),
        rules=rules,
        route_id=route.pk,
        route_name=route.name,
        distance_unit=journey.distance_unit,
        known_legs=known,
    )


def load_team(*, route: Route) -> tuple[tuple[VehicleInfo, ...], tuple[DriverInfo, ...]]:
    """The route's vehicles and the drivers who travel on it (3 queries).

    A driver seated as a driver on some vehicles drives those; one without a driver's seat
    may drive any vehicle of the route."""
    vehicles = tuple(
        VehicleInfo(v.pk, v.name) for v in Vehicle.objects.filter(route=route).order_by("name")
    )
    seats = defaultdict(set)
    for participant_id, vehicle_id in SeatAssignment.objects.filter(
        vehicle__route=route, is_driver=True
    ).values_list("participant_id", "vehicle_id"):
        seats[participant_id].add(vehicle_id)
    drivers = tuple(
        DriverInfo(
            id=p.pk,
            name=p.display_name,
            vehicle_ids=frozenset(seats[p.pk]),
            joins_at=p.join_stop_id,
            leaves_at=p.leave_stop_id,
        )
        for p in Participant.objects.filter(route=route, role=Role.DRIVER).order_by(
            "display_name", "pk"
        )
    )
    return vehicles, drivers


def plan_route(
    *,
    journey: Journey,
    route: Route | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> RoutePlanning:
    """Propose an order, its schedule and its drivers for one route (default: the first)."""
    route = route or default_route(journey)
    if route is None or route.journey_id != journey.pk:
        raise ValueError("the route must belong to the journey")
    problem = load_problem(journey=journey, route=route)
    vehicles, team = load_team(route=route)
    if len(problem.stops) < 2:
        order = None
        schedule = propose_schedule(problem) if problem.stops else Schedule((), (), (), ())
        drivers = DriverPlan((), (), {}, ())
    else:
        order = propose_order(problem, time_limit=time_limit)
        schedule = (order.proposed or order.current).schedule
        drivers = propose_drivers(schedule, vehicles=vehicles, drivers=team)
    return RoutePlanning(journey, route, problem, order, schedule, drivers, vehicles, team)


@transaction.atomic
def accept_order(*, route: Route, proposal: OrderProposal) -> None:
    """Put the route's stops in the proposed order (legs refresh on their own).

    Cancelled stops keep their place after the stop they followed. Raises StaleProposal if
    the proposal is for another route, has no order, or the route changed since."""
    if proposal.route_id != route.pk or proposal.proposed is None:
        raise StaleProposal(_("This proposal has no order to apply to this route."))
    rows = list(
        RouteStop.objects.select_for_update()
        .filter(route=route)
        .select_related("stop")
        .order_by("position")
    )
    active = tuple(rs.stop_id for rs in rows if rs.stop.status != StopStatus.CANCELLED)
    if active != proposal.current.stop_ids:
        raise StaleProposal(_("The route changed since this proposal was made: plan it again."))
    # Cancelled stops ride along behind the active stop they follow now.
    followers = defaultdict(list)
    leader = None
    for rs in rows:
        if rs.stop.status == StopStatus.CANCELLED:
            followers[leader].append(rs.stop_id)
        else:
            leader = rs.stop_id
    order = list(followers[None])
    for stop_id in proposal.proposed.stop_ids:
        order.append(stop_id)
        order.extend(followers[stop_id])
    set_route_order(route=route, stop_ids=order)


def submitted_proposal(problem: RouteProblem, stop_ids: tuple[int, ...]) -> OrderProposal:
    """An order a coordinator submits (from the page or the API) as a proposal that
    ``accept_order`` can apply. No search runs: the order is the one they got from the plan
    (or chose); its schedule is computed so the proposal holds true figures, and
    ``accept_order`` refuses it if the route's stops changed since ``problem`` was read."""
    matrix = build_matrix(problem)
    return OrderProposal(
        route_id=problem.route_id,
        current=OrderSummary(problem.stop_ids, propose_schedule(problem, matrix=matrix)),
        proposed=OrderSummary(stop_ids, propose_schedule(problem, stop_ids, matrix=matrix)),
        moves=(),
        windows=(),
        explanations=(),
        solve_seconds=0.0,
    )
