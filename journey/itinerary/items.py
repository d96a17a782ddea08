"""Model rows to the itinerary's items, one row at a time.

Shared by the audiences' assembly (``journey.itinerary.audiences``) and the team and host
lists (``journey.itinerary.lists``). Times are converted to the zone of the item they belong
to; ``team`` (or the audience) decides which private notes an item carries.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone as dj_timezone

from journey.border import leg_checkpoints
from journey.itinerary.types import (
    ActivityItem,
    Audience,
    ContactItem,
    JourneyInfo,
    LegItem,
    LodgingItem,
    StopVisit,
    VehicleItem,
    VehicleOnLeg,
)
from journey.plan import Plan
from participants.models import VehicleKind
from stops.models import Activity, ActivityKind, Lodging, LodgingKind, Stop, StopKind


def _local(moment: datetime, tz: str) -> datetime:
    return dj_timezone.localtime(moment, ZoneInfo(tz))


def journey_info(plan: Plan) -> JourneyInfo:
    """The journey's own fields (name, slug, home zone...), for documents that carry
    lists without an itinerary around them (rooming list, manifest)."""
    journey = plan.journey
    return JourneyInfo(
        id=journey.pk,
        name=journey.name,
        slug=journey.slug,
        description=journey.description,
        home_timezone=journey.home_timezone,
        distance_unit=journey.distance_unit,
        is_published=journey.is_published,
        updated_at=journey.updated_at,
    )


def activity_item(activity: Activity, *, team: bool) -> ActivityItem:
    stop = activity.stop
    return ActivityItem(
        id=activity.pk,
        stop_id=stop.pk,
        kind=activity.kind,
        kind_label=ActivityKind(activity.kind).label,
        title=activity.title,
        starts_at=_local(activity.starts_at, stop.timezone),
        ends_at=_local(activity.ends_at, stop.timezone),
        tz=stop.timezone,
        venue=activity.venue,
        address=activity.address,
        place_name=stop.place_name,
        latitude=float(stop.latitude),
        longitude=float(stop.longitude),
        description=activity.description,
        is_public=activity.is_public,
        is_cancelled=stop.is_cancelled,
        private_notes=activity.private_notes if team else "",
        updated_at=activity.updated_at,
    )


def lodging_item(lodging: Lodging, *, team: bool) -> LodgingItem:
    stop = lodging.stop
    return LodgingItem(
        id=lodging.pk,
        stop_id=stop.pk,
        name=lodging.name,
        kind=lodging.kind,
        kind_label=LodgingKind(lodging.kind).label,
        address=lodging.address,
        place_name=stop.place_name,
        latitude=float(stop.latitude),
        longitude=float(stop.longitude),
        capacity=lodging.capacity,
        check_in=_local(lodging.check_in, stop.timezone),
        check_out=_local(lodging.check_out, stop.timezone),
        tz=stop.timezone,
        accessibility_notes=lodging.accessibility_notes,
        notes=lodging.notes if team else "",
        nights=tuple(lodging.nights),
        updated_at=lodging.updated_at,
    )


def stop_visit(
    stop: Stop,
    *,
    audience: Audience,
    activities: tuple[ActivityItem, ...] = (),
    lodgings: tuple[LodgingItem, ...] = (),
) -> StopVisit:
    public = audience in (Audience.PUBLIC, Audience.HOST)
    return StopVisit(
        id=stop.pk,
        city=stop.city,
        state=stop.state,
        country=stop.country,
        place_name=stop.place_name,
        venue=stop.venue,
        address="" if audience == Audience.PUBLIC else stop.address,
        latitude=float(stop.latitude),
        longitude=float(stop.longitude),
        tz=stop.timezone,
        arrival=_local(stop.arrival, stop.timezone),
        departure=_local(stop.departure, stop.timezone),
        kind=stop.kind,
        kind_label=StopKind(stop.kind).label,
        status=stop.status,
        is_cancelled=stop.is_cancelled,
        nights=tuple(stop.nights),
        public_notes=stop.public_notes,
        private_notes="" if public or audience == Audience.PERSONAL else stop.private_notes,
        activities=activities,
        lodgings=lodgings,
        updated_at=stop.updated_at,
        in_border_zone=bool(getattr(stop, "in_border_zone", False)),
    )


def vehicle_item(vehicle) -> VehicleItem:
    return VehicleItem(
        id=vehicle.pk,
        name=vehicle.name,
        kind=vehicle.kind,
        kind_label=VehicleKind(vehicle.kind).label,
        plate=vehicle.plate,
    )


def leg_item(leg, visits: dict[int, StopVisit], vehicles=()) -> LegItem:
    origin, destination = visits[leg.origin_id], visits[leg.destination_id]
    return LegItem(
        id=leg.pk,
        route_id=leg.route_id,
        route_name=leg.route.name,
        position=leg.position,
        origin=origin,
        destination=destination,
        departure=origin.departure,
        arrival=destination.arrival,
        distance_km=leg.distance_km,
        driving_minutes=leg.driving_minutes,
        break_minutes=leg.break_minutes,
        vehicles=tuple(vehicles),
        updated_at=max(
            leg.updated_at,
            origin.updated_at,
            destination.updated_at,
            *(v.updated_at for v in vehicles if v.updated_at),
        ),
        route_color=leg.route.color,
        in_border_zone=bool(getattr(leg, "in_border_zone", False)),
        checkpoints=_checkpoint_names(leg),
    )


def _checkpoint_names(leg) -> tuple[str, ...]:
    if not getattr(leg, "checkpoints", None):
        return ()
    return tuple(f"{c.name} ({c.highway}, {c.state})" for c in leg_checkpoints(leg))


def vehicles_on_leg(seats, *, only_vehicle_ids=None) -> list[VehicleOnLeg]:
    by_vehicle = defaultdict(list)
    for seat in seats:
        if only_vehicle_ids is None or seat.vehicle_id in only_vehicle_ids:
            by_vehicle[seat.vehicle_id].append(seat)
    result = []
    for vehicle_seats in by_vehicle.values():
        vehicle = vehicle_seats[0].vehicle
        drivers = sorted(s.participant.display_name for s in vehicle_seats if s.is_driver)
        passengers = sum(1 for s in vehicle_seats if not s.is_driver)
        changed = max(vehicle.updated_at, *(s.updated_at for s in vehicle_seats))
        result.append(
            VehicleOnLeg(vehicle_item(vehicle), tuple(drivers), passengers, updated_at=changed)
        )
    return sorted(result, key=lambda v: v.vehicle.name)


def coordinator_contacts(plan: Plan) -> tuple[ContactItem, ...]:
    return tuple(
        ContactItem(p.pk, p.display_name, p.phone, p.email) for p in plan.coordinators if p.phone
    )
