"""Writes the coordinators' pages make: stops typed by place, seats and beds within capacity,
host applications decided.

Each is a plain function inside a transaction. Capacity is the models' own rule
(participants.capacity): checked in ``full_clean`` for a clear error, and again in ``save``
after locking the vehicle or lodging row, so two coordinators cannot both take the last seat.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from journey.models import Journey, Route
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


@transaction.atomic
def assign_seat(
    *, participant: Participant, vehicle: Vehicle, from_stop: Stop, to_stop: Stop, is_driver=False
) -> SeatAssignment:
    """Seat the participant in the vehicle from one stop to another, if a seat is free on
    every leg between them (drivers take no passenger seat)."""
    seat = SeatAssignment(
        participant=participant,
        vehicle=vehicle,
        from_stop=from_stop,
        to_stop=to_stop,
        is_driver=is_driver,
    )
    seat.full_clean()
    seat.save()  # checks the capacity again with the vehicle row locked
    return seat


@transaction.atomic
def assign_bed(*, participant: Participant, lodging: Lodging, night: date) -> BedAssignment:
    """Give the participant a bed in the lodging on a night (moving them if they had another
    bed that night), if one is left."""
    existing = BedAssignment.objects.filter(participant=participant, night=night).first()
    if existing is not None and existing.lodging_id == lodging.pk:
        return existing
    bed = existing or BedAssignment(participant=participant, night=night)
    bed.lodging = lodging
    bed.full_clean()
    bed.save()  # checks the capacity again with the lodging row locked
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
