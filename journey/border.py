"""Legal preparedness on the route: border-zone and checkpoint flags, and what to prepare.

``flag_route(route=...)`` computes ``Stop.in_border_zone``, ``Leg.in_border_zone`` and
``Leg.checkpoints`` from coordinates (geo.border) and stores the changes in bulk; it runs at
the end of ``journey.services.refresh_legs``, so flags follow the route like distances do.

A leg is *flagged* when it enters the 100-mile border zone or passes a known interior
checkpoint. For a flagged leg coordinators prepare two things, which the leg records: a legal
contact on call during the drive (``Leg.legal_contact_on_call``) and riders briefed on their
rights (``Leg.riders_briefed``). ``preparation_for(leg)`` lists them with their state and
``check_border_preparedness`` is the schedule check that warns about a flagged leg that is not
ready.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from geo import border as geo_border
from journey.models import Leg, Route, RouteStop
from journey.problems import Kind, Problem, Severity
from stops.models import Stop

if TYPE_CHECKING:
    from journey.plan import Plan, Segment

BORDER_UNPREPARED = Kind.BORDER_UNPREPARED


@dataclass(frozen=True)
class Preparation:
    """One thing to prepare for a flagged leg, and whether it is done."""

    key: str  # "legal_contact" or "riders_briefed": the Leg field it reads
    label: str
    done: bool


# --- Flags -------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _leg_flags(origin: tuple[float, float], destination: tuple[float, float]):
    """(in the zone, checkpoint ids) of the drive between two places; cached per process."""
    in_zone = geo_border.leg_in_border_zone(origin, destination)
    passed = [c.id for c in geo_border.checkpoints_near_leg(origin, destination)]
    return in_zone, passed


@transaction.atomic
def flag_route(*, route: Route) -> None:
    """Store the border-zone flag of every stop of the route and the flags of every leg.

    Two reads and at most two bulk updates; only rows whose flags change are written (their
    ``updated_at`` is left alone: the flags follow from the coordinates, which already count).
    """
    stops = {
        rs.stop.pk: rs.stop
        for rs in RouteStop.objects.filter(route=route).select_related("stop").order_by("position")
    }
    located = [s for s in stops.values() if s.latitude is not None and s.longitude is not None]
    distances = geo_border.distances_to_boundary_km([s.coordinates for s in located])
    in_zone = {
        s.pk: d <= geo_border.BORDER_ZONE_KM for s, d in zip(located, distances, strict=True)
    }
    changed_stops = []
    for stop in located:
        if stop.in_border_zone != in_zone[stop.pk]:
            stop.in_border_zone = in_zone[stop.pk]
            changed_stops.append(stop)
    Stop.objects.bulk_update(changed_stops, ["in_border_zone"])

    changed_legs = []
    for leg in Leg.objects.filter(route=route).order_by("position"):
        if leg.origin_id not in in_zone or leg.destination_id not in in_zone:
            continue  # an end without coordinates (or not on the route any more)
        origin, destination = stops[leg.origin_id], stops[leg.destination_id]
        leg_in_zone, passed = _leg_flags(origin.coordinates, destination.coordinates)
        # An end in the zone puts the leg in it, whatever the rounding of the two tests.
        leg_in_zone = leg_in_zone or in_zone[origin.pk] or in_zone[destination.pk]
        if (leg.in_border_zone, leg.checkpoints) != (leg_in_zone, passed):
            leg.in_border_zone, leg.checkpoints = leg_in_zone, list(passed)
            changed_legs.append(leg)
    Leg.objects.bulk_update(changed_legs, ["in_border_zone", "checkpoints"])


def is_flagged(leg: Leg) -> bool:
    """Whether the leg needs legal preparation: in the border zone or past a checkpoint."""
    return bool(leg.in_border_zone or leg.checkpoints)


def leg_checkpoints(leg: Leg) -> list[geo_border.Checkpoint]:
    """The checkpoints the leg passes, in driving order (identifiers no longer known skipped)."""
    known = geo_border.checkpoints_by_id()
    return [known[cid] for cid in leg.checkpoints if cid in known]


def touches_border_zone(segment: Segment) -> bool:
    """Whether a participant's part of the route meets the zone or a checkpoint, so their
    personal itinerary carries the know-your-rights sheet (journey.kyr)."""
    return any(stop.in_border_zone for stop in segment.stops) or any(
        is_flagged(leg) for leg in segment.legs
    )


# --- What to prepare ---------------------------------------------------------------------------


def preparation_for(leg: Leg) -> list[Preparation]:
    """What coordinators prepare for the leg, each marked done or not; empty if not flagged."""
    if not is_flagged(leg):
        return []
    contact = leg.legal_contact_on_call.strip()
    return [
        Preparation(
            key="legal_contact",
            label=(
                _("Legal contact on call during the drive: %(contact)s") % {"contact": contact}
                if contact
                else _(
                    "Name a legal contact on call during the drive, whom riders and drivers "
                    "call if the caravan is stopped."
                )
            ),
            done=bool(contact),
        ),
        Preparation(
            key="riders_briefed",
            label=(
                _("Riders were briefed on their rights before the leg.")
                if leg.riders_briefed
                else _(
                    "Brief the riders on their rights before the leg (the know-your-rights "
                    "sheet is in their itineraries) and agree who speaks for the group."
                )
            ),
            done=leg.riders_briefed,
        ),
    ]


def _why(leg: Leg) -> str:
    checkpoints = leg_checkpoints(leg)
    params = {
        "leg": str(leg),
        "checkpoints": ", ".join(
            _("the %(name)s checkpoint (%(highway)s, %(state)s)")
            % {"name": c.name, "highway": c.highway, "state": c.state}
            for c in checkpoints
        ),
    }
    if checkpoints and leg.in_border_zone:
        return _("%(leg)s is in the 100-mile border zone and passes %(checkpoints)s.") % params
    if checkpoints:
        return _("%(leg)s passes %(checkpoints)s.") % params
    return _("%(leg)s is in the 100-mile border zone.") % params


def check_border_preparedness(plan: Plan) -> Iterable[Problem]:
    """Schedule check: warn about each flagged leg without a legal contact on call or a
    briefing; the message says what to prepare."""
    for route_plan in plan.routes:
        for leg in route_plan.legs:
            missing = [p for p in preparation_for(leg) if not p.done]
            if not missing:
                continue
            yield Problem(
                BORDER_UNPREPARED,
                Severity.WARNING,
                " ".join([_why(leg), *(p.label for p in missing)]),
                leg_id=leg.pk,
                stop_id=leg.origin_id,
            )
