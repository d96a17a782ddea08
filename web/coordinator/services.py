"""Writes only the coordinators' pages make: a stop typed by place.

Seats and beds are given by ``participants.services``, host applications decided by
``stops.services``: the API and the admin call those same functions.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction

from journey.models import Journey, Route
from journey.services import append_stop
from stops.models import Stop


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


def coordinated_journeys(user):
    """The journeys this login coordinates (every journey for a superuser)."""
    if user.is_superuser:
        return Journey.objects.all()
    return Journey.objects.coordinated_by(user)
