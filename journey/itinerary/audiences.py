"""The journey for one audience (public, team, personal): ``build_itinerary``.

Each audience picks the rows it may see from the plan and turns them into items
(``journey.itinerary.items``); ``_assemble`` adds what every itinerary carries (days, zones,
date range, last change). The host's view of one stop is in ``journey.itinerary.lists``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime

from journey.itinerary.days import group_into_days
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
    ActivityItem,
    Audience,
    ContactItem,
    Itinerary,
    LegItem,
    LodgingItem,
    NightItem,
    ParticipantInfo,
    StopVisit,
    VehicleItem,
)
from journey.plan import Plan, RoutePlan
from participants.models import Participant
from participants.occupancy import seats_by_route_leg
from stops.models import Lodging


def _moments(stops, legs, activities, lodgings) -> list[datetime]:
    moments = []
    for stop in stops:
        moments += [stop.arrival, stop.departure]
    for leg in legs:
        moments += [leg.departure, leg.arrival]
    for activity in activities:
        moments += [activity.starts_at, activity.ends_at]
    for lodging in lodgings:
        moments += [lodging.check_in, lodging.check_out]
    return moments


def _assemble(
    plan: Plan,
    audience: Audience,
    *,
    participant: ParticipantInfo | None,
    stops: tuple[StopVisit, ...],
    legs: tuple[LegItem, ...],
    activities: tuple[ActivityItem, ...],
    lodgings: tuple[LodgingItem, ...],
    nights: tuple[NightItem, ...],
    vehicles: tuple[VehicleItem, ...],
    contacts: tuple[ContactItem, ...],
) -> Itinerary:
    journey = journey_info(plan)
    moments = _moments(stops, legs, activities, lodgings)
    dates = [m.date() for m in moments] + [n.date for n in nights]
    zones = {s.tz for s in stops} | {a.tz for a in activities} | {lo.tz for lo in lodgings}
    stamps = [journey.updated_at]
    stamps += [s.updated_at for s in stops]
    stamps += [leg.updated_at for leg in legs]
    stamps += [a.updated_at for a in activities]
    stamps += [lo.updated_at for lo in lodgings]
    if participant is not None:
        stamps.append(participant.updated_at)
    return Itinerary(
        journey=journey,
        audience=audience,
        participant=participant,
        stops=stops,
        legs=tuple(sorted(legs, key=lambda leg: (leg.departure, leg.route_id, leg.position))),
        activities=tuple(sorted(activities, key=lambda a: (a.starts_at, a.id))),
        lodgings=lodgings,
        nights=nights,
        vehicles=vehicles,
        contacts=contacts,
        days=group_into_days(stops, legs, activities, nights),
        timezones=tuple(sorted(zones)),
        first_date=min(dates, default=None),
        last_date=max(dates, default=None),
        last_modified=max(stamps),
    )


def build_itinerary(
    plan: Plan, *, audience: Audience, participant: Participant | None = None
) -> Itinerary:
    """The journey for one audience, with that audience's privacy rules applied.

    ``participant`` is required for ``Audience.PERSONAL`` and ignored otherwise.
    For ``Audience.HOST`` use ``host_day_sheet``.
    """
    audience = Audience(audience)
    if audience == Audience.PUBLIC:
        return _public(plan)
    if audience == Audience.TEAM:
        return _team(plan)
    if audience == Audience.PERSONAL:
        if participant is None:
            raise ValueError("A personal itinerary needs a participant.")
        if participant.journey_id != plan.journey.pk:
            raise ValueError("The participant belongs to another journey.")
        return _personal(plan, participant)
    raise ValueError("Use host_day_sheet(plan, stop) for the host's view of one stop.")


def _public(plan: Plan) -> Itinerary:
    empty = dict(stops=(), legs=(), activities=(), lodgings=(), nights=(), vehicles=(), contacts=())
    if not plan.journey.is_published:
        return _assemble(plan, Audience.PUBLIC, participant=None, **empty)
    shown = [s for s in plan.stops if s.is_shown_publicly]
    shown_ids = {s.pk for s in shown}
    activities_by_stop = defaultdict(list)
    activities = []
    for activity in plan.activities:
        if activity.is_public and activity.stop_id in shown_ids:
            item = activity_item(activity, team=False)
            activities.append(item)
            activities_by_stop[activity.stop_id].append(item)
    visits = {
        s.pk: stop_visit(s, audience=Audience.PUBLIC, activities=tuple(activities_by_stop[s.pk]))
        for s in shown
    }
    legs = [
        leg_item(leg, visits)
        for route_plan in plan.routes
        for leg in route_plan.legs
        if leg.origin_id in shown_ids and leg.destination_id in shown_ids
    ]
    return _assemble(
        plan,
        Audience.PUBLIC,
        participant=None,
        stops=tuple(visits[s.pk] for s in shown),
        legs=tuple(legs),
        activities=tuple(activities),
        lodgings=(),
        nights=(),
        vehicles=(),
        contacts=(),
    )


def _headcounts(plan: Plan, visits: dict[int, StopVisit]) -> dict[tuple[int, date], int]:
    """(stop id, night) -> how many participants sleep there: ``len(plan.sleepers[...])``.

    Counted per route position (a participant's segment is a run of positions) instead
    of listing every participant's nights: with 1,000 participants and 60 stops this
    is about 20 times faster, and each stop's nights are read once (from its visit).
    """
    riders: dict[int, list[int]] = {rp.route.pk: [0] * (len(rp.stops) + 1) for rp in plan.routes}
    for participant in plan.participants:
        segment = plan.segment(participant)
        if segment is None:
            continue
        changes = riders[segment.route_plan.route.pk]
        changes[segment.first] += 1
        changes[segment.last + 1] -= 1
    counts: dict[tuple[int, date], int] = defaultdict(int)
    for route_plan in plan.routes:
        on_board = 0
        changes = riders[route_plan.route.pk]
        for index, stop in enumerate(route_plan.stops):
            on_board += changes[index]
            if on_board:
                for night in visits[stop.pk].nights:
                    counts[(stop.pk, night)] += on_board
    return counts


def _team(plan: Plan) -> Itinerary:
    activities_by_stop = defaultdict(list)
    activities = []
    for activity in plan.activities:
        item = activity_item(activity, team=True)
        activities.append(item)
        activities_by_stop[activity.stop_id].append(item)
    lodgings_by_stop = defaultdict(list)
    lodgings = []
    for lodging in plan.lodgings:
        item = lodging_item(lodging, team=True)
        lodgings.append(item)
        lodgings_by_stop[lodging.stop_id].append(item)
    visits = {
        s.pk: stop_visit(
            s,
            audience=Audience.TEAM,
            activities=tuple(activities_by_stop[s.pk]),
            lodgings=tuple(lodgings_by_stop[s.pk]),
        )
        for s in plan.stops
    }
    seats = seats_by_route_leg(plan)
    legs = [
        leg_item(leg, visits, vehicles_on_leg(seats.get((route_plan.route.pk, index), ())))
        for route_plan in plan.routes
        for index, leg in enumerate(route_plan.legs)
    ]
    nights = []
    headcounts = _headcounts(plan, visits)
    for stop in plan.stops:
        if stop.is_cancelled:
            continue
        visit = visits[stop.pk]
        for night in visit.nights:
            booked = tuple(lo for lo in lodgings_by_stop[stop.pk] if night in lo.nights)
            headcount = headcounts.get((stop.pk, night), 0)
            nights.append(NightItem(night, visit, booked, None, headcount))
    return _assemble(
        plan,
        Audience.TEAM,
        participant=None,
        stops=tuple(visits[s.pk] for s in plan.stops),
        legs=tuple(legs),
        activities=tuple(activities),
        lodgings=tuple(lodgings),
        nights=tuple(nights),
        vehicles=tuple(vehicle_item(v) for v in plan.vehicles),
        contacts=coordinator_contacts(plan),
    )


def _personal(plan: Plan, participant: Participant) -> Itinerary:
    # The plan's copy of the participant when it has read them all (any copy will do for
    # the segment, cached by pk): a rider's itinerary reads only the rows it shows.
    person = participant
    if plan.is_read("participants"):
        person = next((p for p in plan.participants if p.pk == participant.pk), participant)
    info = ParticipantInfo(
        id=person.pk,
        display_name=person.display_name,
        language=person.language,
        role=person.role,
        updated_at=person.updated_at,
    )
    segment = plan.segment(person)
    if segment is None:
        return _assemble(
            plan,
            Audience.PERSONAL,
            participant=info,
            stops=(),
            legs=(),
            activities=(),
            lodgings=(),
            nights=(),
            vehicles=(),
            contacts=coordinator_contacts(plan),
        )
    stops = segment.stops
    stop_ids = {s.pk for s in stops}
    # Their beds, on the nights of their segment.
    beds: dict[date, Lodging] = {}
    bed_changed: dict[date, datetime] = {}
    own_beds = plan.beds_of(person)
    for _stop, night in segment.nights():
        bed = own_beds.get(night)
        if bed is not None:
            beds[night] = bed.lodging
            bed_changed[night] = bed.updated_at
    lodging_items = {
        lodging.pk: lodging_item(lodging, team=False)
        for lodging in sorted(beds.values(), key=lambda lo: (lo.check_in, lo.pk))
    }
    activities_by_stop = defaultdict(list)
    activities = []
    for activity in plan.activities:
        if activity.stop_id in stop_ids:
            item = activity_item(activity, team=False)
            activities.append(item)
            activities_by_stop[activity.stop_id].append(item)
    visits = {
        s.pk: stop_visit(
            s,
            audience=Audience.PERSONAL,
            activities=tuple(activities_by_stop[s.pk]),
            lodgings=tuple(lo for lo in lodging_items.values() if lo.stop_id == s.pk),
        )
        for s in stops
    }
    seats = seats_by_route_leg(plan, plan.seats_alongside(person))
    route_plan: RoutePlan = segment.route_plan
    legs, vehicle_ids = [], {}
    for index in segment.leg_indexes:
        on_leg = seats.get((route_plan.route.pk, index), ())
        mine = {s.vehicle_id for s in on_leg if s.participant_id == person.pk}
        vehicles = vehicles_on_leg(on_leg, only_vehicle_ids=mine)
        for v in vehicles:
            vehicle_ids.setdefault(v.vehicle.id, v.vehicle)
        item = leg_item(route_plan.legs[index], visits, vehicles)
        # The person's own record dates what no remaining row does (a seat taken away).
        legs.append(replace(item, updated_at=max(item.updated_at, person.updated_at)))
    nights = []
    for stop, night in segment.nights():
        lodging = beds.get(night)
        bed = lodging_items[lodging.pk] if lodging is not None else None
        nights.append(
            NightItem(
                night,
                visits[stop.pk],
                (bed,) if bed else (),
                bed,
                None,
                bed_updated_at=bed_changed.get(night),
            )
        )
    return _assemble(
        plan,
        Audience.PERSONAL,
        participant=info,
        stops=tuple(visits[s.pk] for s in stops),
        legs=tuple(legs),
        activities=tuple(activities),
        lodgings=tuple(lodging_items.values()),
        nights=tuple(nights),
        vehicles=tuple(vehicle_ids.values()),
        contacts=coordinator_contacts(plan),
    )


def route_stops(plan: Plan, route_id: int) -> tuple[StopVisit, ...]:
    """TEAM: the active stops of one route in route order, without activities or lodgings
    (a vehicle's route in a driver's navigation file)."""
    route_plan = plan.route_plans.get(route_id)
    if route_plan is None:
        return ()
    return tuple(stop_visit(stop, audience=Audience.TEAM) for stop in route_plan.stops)
