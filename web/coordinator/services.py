"""Writes the coordinators' pages make: stops typed by place, seats and beds within capacity,
host applications decided.

Each is a plain function inside a transaction; capacity is checked after locking the vehicle or
lodging row (select_for_update), so two coordinators cannot both take the last seat.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from journey.models import Journey, Route, RouteStop
from journey.services import append_stop
from participants.models import BedAssignment, Participant, SeatAssignment, Vehicle
from stops.models import HostAlly, HostStatus, Lodging, Stop


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


def _positions(route_id: int) -> dict[int, int]:
    return dict(RouteStop.objects.filter(route_id=route_id).values_list("stop_id", "position"))


@transaction.atomic
def assign_seat(
    *, participant: Participant, vehicle: Vehicle, from_stop: Stop, to_stop: Stop, is_driver=False
) -> SeatAssignment:
    """Seat the participant in the vehicle from one stop to another, if a seat is free on
    every leg between them (drivers take no passenger seat)."""
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    seat = SeatAssignment(
        participant=participant,
        vehicle=vehicle,
        from_stop=from_stop,
        to_stop=to_stop,
        is_driver=is_driver,
    )
    seat.full_clean()
    positions = _positions(vehicle.route_id)
    start, end = positions[from_stop.pk], positions[to_stop.pk]
    others = list(
        SeatAssignment.objects.filter(vehicle__route_id=vehicle.route_id).values_list(
            "vehicle_id", "participant_id", "from_stop_id", "to_stop_id", "is_driver"
        )
    )
    for _vehicle, participant_id, first, last, _driver in others:
        if participant_id != participant.pk:
            continue
        if positions.get(first, 0) < end and start < positions.get(last, 0):
            raise ValidationError(
                _("%(name)s already has a seat on part of this ride.")
                % {"name": participant.display_name}
            )
    if not is_driver:
        taken = [
            (positions.get(first, 0), positions.get(last, 0))
            for vehicle_id, _participant, first, last, driver in others
            if vehicle_id == vehicle.pk and not driver
        ]
        for position in range(start, end):
            used = sum(1 for first, last in taken if first <= position < last)
            if used >= vehicle.seats:
                raise ValidationError(
                    _(
                        "%(vehicle)s is full on part of this ride: %(used)d of %(seats)d "
                        "seats are taken."
                    )
                    % {"vehicle": vehicle.name, "used": used, "seats": vehicle.seats}
                )
    seat.save()
    return seat


@transaction.atomic
def assign_bed(*, participant: Participant, lodging: Lodging, night: date) -> BedAssignment:
    """Give the participant a bed in the lodging on a night (moving them if they had another
    bed that night), if one is left."""
    lodging = Lodging.objects.select_for_update().select_related("stop").get(pk=lodging.pk)
    existing = BedAssignment.objects.filter(participant=participant, night=night).first()
    if existing is not None and existing.lodging_id == lodging.pk:
        return existing
    used = BedAssignment.objects.filter(lodging=lodging, night=night).count()
    if used >= lodging.capacity:
        raise ValidationError(
            _("%(lodging)s has no bed left on %(night)s: %(used)d of %(capacity)d are taken.")
            % {
                "lodging": lodging.name,
                "night": night.isoformat(),
                "used": used,
                "capacity": lodging.capacity,
            }
        )
    bed = existing or BedAssignment(participant=participant, night=night)
    bed.lodging = lodging
    bed.full_clean()
    bed.save()
    return bed


@transaction.atomic
def approve_host(
    *, host: HostAlly, stop: Stop, lodging: dict | None = None
) -> tuple[HostAlly, Lodging | None]:
    """Approve a host application for a stop; ``lodging`` (name, kind, address, capacity,
    check_in, check_out) turns its offer of beds into a lodging at that stop."""
    host.stop = stop
    host.status = HostStatus.APPROVED
    host.decided_at = timezone.now()
    host.full_clean()
    host.save()
    created = None
    if lodging is not None:
        created = Lodging(stop=stop, host=host, **lodging)
        created.full_clean()
        created.save()
    return host, created


@transaction.atomic
def decline_host(*, host: HostAlly) -> HostAlly:
    host.status = HostStatus.DECLINED
    host.decided_at = timezone.now()
    host.save(update_fields=["status", "decided_at"])
    return host


def coordinated_journeys(user):
    """The journeys this login coordinates (every journey for a superuser)."""
    if user.is_superuser:
        return Journey.objects.all()
    return Journey.objects.coordinated_by(user)
