"""Lists for one reader and one purpose: the host's day sheet, the rooming list, the manifest.

``host_day_sheet`` carries counts and no names (``Audience.HOST``); ``rooming_list`` and
``manifest`` are confidential team lists with names, phones and emergency contacts.
"""

from __future__ import annotations

from collections import defaultdict

from journey.counts import need_counts
from journey.itinerary.items import (
    activity_item,
    coordinator_contacts,
    journey_info,
    leg_item,
    lodging_item,
    stop_visit,
    vehicle_item,
    vehicles_on_leg,
)
from journey.itinerary.types import (
    Audience,
    HostDaySheet,
    HostNight,
    ManifestLeg,
    PersonRow,
    RoomingNight,
    StopVisit,
)
from journey.meals import meal_items
from journey.plan import Plan
from participants.models import Participant
from participants.occupancy import seats_by_route_leg
from stops.models import Stop


def host_day_sheet(plan: Plan, stop: Stop | int) -> HostDaySheet:
    """The host's view of one stop: times, legs, activities, lodgings and counts, no names."""
    stop_id = stop if isinstance(stop, int) else stop.pk
    found = plan.stops_by_id.get(stop_id)
    if found is None:
        raise ValueError("The stop is not part of this journey.")
    activities = tuple(
        activity_item(a, team=False) for a in plan.activities if a.stop_id == stop_id
    )
    lodgings = tuple(lodging_item(lo, team=False) for lo in plan.lodgings_by_stop[stop_id])
    visit = stop_visit(found, audience=Audience.HOST, activities=activities, lodgings=lodgings)
    incoming, outgoing = [], []
    for route_plan in plan.routes:
        for leg in route_plan.legs:
            if stop_id not in (leg.origin_id, leg.destination_id):
                continue
            other = leg.origin if leg.destination_id == stop_id else leg.destination
            if not other.is_shown_publicly:
                continue  # a host learns nothing of a stop kept off the public pages
            visits = {stop_id: visit, other.pk: stop_visit(other, audience=Audience.HOST)}
            item = leg_item(leg, visits)
            (incoming if leg.destination_id == stop_id else outgoing).append(item)
    nights = []
    if not found.is_cancelled:
        for night in found.nights:
            sleepers = plan.sleepers.get((stop_id, night), ())
            nights.append(
                HostNight(
                    date=night,
                    headcount=len(sleepers),
                    dietary_needs=need_counts((p.dietary_needs for p in sleepers), "dietary"),
                    accessibility_needs=need_counts(
                        (p.accessibility_needs for p in sleepers), "accessibility"
                    ),
                )
            )
    return HostDaySheet(
        journey=journey_info(plan),
        stop=visit,
        incoming=tuple(incoming),
        outgoing=tuple(outgoing),
        activities=activities,
        lodgings=lodgings,
        nights=tuple(nights),
        contacts=coordinator_contacts(plan),
        meals=meal_items(plan, stop_ids=[stop_id], with_notes=True),
    )


def _person_row(p: Participant) -> PersonRow:
    return PersonRow(
        participant_id=p.pk,
        display_name=p.display_name,
        full_name=p.full_name,
        role=p.role,
        phone=p.phone,
        emergency_contact_name=p.emergency_contact_name,
        emergency_contact_phone=p.emergency_contact_phone,
        dietary_needs=p.dietary_needs,
        accessibility_needs=p.accessibility_needs,
    )


def _by_name(people) -> tuple[PersonRow, ...]:
    return tuple(_person_row(p) for p in sorted(people, key=lambda p: (p.display_name, p.pk)))


def rooming_list(plan: Plan, *, stop_id: int | None = None) -> tuple[RoomingNight, ...]:
    """Confidential (team only): who sleeps in each lodging each night.

    Every lodging and booked night is listed, also those with nobody assigned
    yet, ordered by night then lodging name.
    """
    sleepers = defaultdict(list)
    for bed in plan.beds:
        sleepers[(bed.lodging_id, bed.night)].append(bed.participant)
    visits: dict[int, StopVisit] = {}
    rows = []
    for lodging in plan.lodgings:
        if stop_id is not None and lodging.stop_id != stop_id:
            continue
        stop = lodging.stop
        if stop.pk not in visits:
            visits[stop.pk] = stop_visit(stop, audience=Audience.TEAM)
        item = lodging_item(lodging, team=True)
        for night in item.nights:
            people = _by_name(sleepers.get((lodging.pk, night), ()))
            rows.append(RoomingNight(item, visits[stop.pk], night, people))
    rows.sort(key=lambda r: (r.night, r.lodging.name, r.lodging.id))
    return tuple(rows)


def manifest(plan: Plan, *, stop_id: int | None = None) -> tuple[ManifestLeg, ...]:
    """Confidential (team only): per vehicle per leg, drivers and passengers.

    With ``stop_id``, only the legs leaving or arriving at that stop.
    Ordered by departure, then vehicle name.
    """
    visits = {s.pk: stop_visit(s, audience=Audience.TEAM) for s in plan.stops}
    seats = seats_by_route_leg(plan)
    rows = []
    for route_plan in plan.routes:
        for index, leg in enumerate(route_plan.legs):
            if stop_id is not None and stop_id not in (leg.origin_id, leg.destination_id):
                continue
            on_leg = seats.get((route_plan.route.pk, index), ())
            by_vehicle = defaultdict(list)
            for seat in on_leg:
                by_vehicle[seat.vehicle_id].append(seat)
            for vehicle_seats in by_vehicle.values():
                vehicle = vehicle_seats[0].vehicle
                rows.append(
                    ManifestLeg(
                        vehicle=vehicle_item(vehicle),
                        leg=leg_item(leg, visits, vehicles_on_leg(vehicle_seats)),
                        drivers=_by_name(s.participant for s in vehicle_seats if s.is_driver),
                        passengers=_by_name(
                            s.participant for s in vehicle_seats if not s.is_driver
                        ),
                    )
                )
    rows.sort(key=lambda r: (r.leg.departure, r.vehicle.name, r.vehicle.id))
    return tuple(rows)
