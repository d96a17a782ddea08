"""Multi-row writes for journeys and routes."""

from __future__ import annotations

import contextlib
import contextvars
from datetime import datetime
from decimal import Decimal
from itertools import pairwise

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from geo.distance import estimate_leg, rest_break_minutes
from journey.border import flag_route
from journey.models import Journey, Leg, Route, RouteStop
from stops.models import Stop

# While a bulk operation runs (an import, the demo), routes whose legs need a
# refresh are collected here and refreshed once at the end.
_deferred_routes: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar(
    "deferred_leg_refresh", default=None
)


@contextlib.contextmanager
def deferred_leg_refresh():
    """Refresh every touched route's legs once, when the block ends."""
    if _deferred_routes.get() is not None:  # already deferring: the outer block refreshes
        yield
        return
    token = _deferred_routes.set(set())
    try:
        yield
        route_ids = _deferred_routes.get()
    finally:
        _deferred_routes.reset(token)
    for route in Route.objects.filter(pk__in=route_ids).select_related("journey"):
        refresh_legs(route=route)


def request_leg_refresh(*, route_ids) -> None:
    """Refresh these routes now, or at the end of the enclosing deferred block."""
    pending = _deferred_routes.get()
    if pending is not None:
        pending.update(route_ids)
        return
    for route in Route.objects.filter(pk__in=list(route_ids)).select_related("journey"):
        refresh_legs(route=route)


@transaction.atomic
def refresh_legs(*, route: Route) -> list[Leg]:
    """Make the route's legs match its current order of (not cancelled) stops.

    Legs between the same two stops keep their identity and any override; legs
    that no longer join consecutive stops are deleted; estimates are recomputed
    from the coordinates and the journey's estimate settings.
    """
    from stops.models import StopStatus

    journey = route.journey
    stops = [
        rs.stop
        for rs in RouteStop.objects.filter(route=route).select_related("stop").order_by("position")
        if rs.stop.status != StopStatus.CANCELLED
    ]
    existing = {(leg.origin_id, leg.destination_id): leg for leg in Leg.objects.filter(route=route)}
    to_create, to_update, kept = [], [], []
    now = timezone.now()
    for position, (origin, destination) in enumerate(pairwise(stops)):
        estimate = estimate_leg(
            origin.coordinates,
            destination.coordinates,
            road_factor=float(journey.road_factor),
            speed_kmh=float(journey.average_speed_kmh),
            break_every_minutes=journey.break_every_minutes,
            break_minutes=journey.break_minutes,
        )
        leg = existing.pop((origin.pk, destination.pk), None)
        if leg is None:
            leg = Leg(route=route, origin=origin, destination=destination)
            to_create.append(leg)
        before = (
            leg.position,
            leg.computed_distance_km,
            leg.computed_driving_minutes,
            leg.break_minutes,
        )
        leg.position = position
        leg.computed_distance_km = round(estimate.distance_km, 1)
        leg.computed_driving_minutes = estimate.driving_minutes
        leg.break_minutes = rest_break_minutes(
            leg.driving_minutes,
            break_every_minutes=journey.break_every_minutes,
            break_minutes=journey.break_minutes,
        )
        after = (
            leg.position,
            leg.computed_distance_km,
            leg.computed_driving_minutes,
            leg.break_minutes,
        )
        if leg.pk is not None and before != after:
            leg.updated_at = now
            to_update.append(leg)
        kept.append(leg)
    if existing:
        Leg.objects.filter(pk__in=[leg.pk for leg in existing.values()]).delete()
    Leg.objects.bulk_create(to_create)
    Leg.objects.bulk_update(
        to_update,
        [
            "position",
            "computed_distance_km",
            "computed_driving_minutes",
            "break_minutes",
            "updated_at",
        ],
    )
    flag_route(route=route)
    return kept


@transaction.atomic
def create_journey(*, name: str, slug: str, route_name: str = "Main", **fields) -> Journey:
    """A journey with its first route, ready for stops."""
    journey = Journey(name=name, slug=slug, **fields)
    journey.full_clean()
    journey.save()
    Route.objects.create(journey=journey, name=route_name)
    return journey


@transaction.atomic
def append_stop(*, route: Route, stop) -> RouteStop:
    """Put a stop at the end of a route."""
    last = RouteStop.objects.filter(route=route).aggregate(m=Max("position"))["m"]
    return RouteStop.objects.create(
        route=route, stop=stop, position=0 if last is None else last + 1
    )


@transaction.atomic
def set_route_order(*, route: Route, stop_ids: list[int]) -> None:
    """Reorder a route's stops; ``stop_ids`` must list exactly the route's stops."""
    current = list(RouteStop.objects.select_for_update().filter(route=route))
    if sorted(rs.stop_id for rs in current) != sorted(stop_ids):
        raise ValueError("stop_ids must list each stop of the route exactly once")
    with deferred_leg_refresh():
        # Two passes keep (route, position) unique at every step.
        bump = max(rs.position for rs in current) + 1
        for rs in current:
            rs.position += bump
        RouteStop.objects.bulk_update(current, ["position"])
        by_stop = {rs.stop_id: rs for rs in current}
        for position, stop_id in enumerate(stop_ids):
            by_stop[stop_id].position = position
        RouteStop.objects.bulk_update(current, ["position"])
        request_leg_refresh(route_ids=[route.pk])


@transaction.atomic
def add_stop_by_place(
    *, route: Route, place, arrival: datetime, departure: datetime, kind: str, venue: str = ""
) -> Stop:
    """A new stop at a geocoded place (geo.geocoding.Place), put at the end of the route."""
    stop = Stop(
        journey=route.journey,
        city=place.name,
        state=place.state or "",
        country=getattr(place, "country", "") or "US",
        latitude=Decimal(str(round(place.latitude, 6))),
        longitude=Decimal(str(round(place.longitude, 6))),
        arrival=arrival,
        departure=departure,
        kind=kind,
        venue=venue,
    )
    stop.full_clean()
    stop.save()
    append_stop(route=route, stop=stop)
    return stop
