"""The itinerary of a journey as plain data, with the privacy rules applied once.

Every export (calendar feeds, CSV lists, PDF booklets and day sheets) reads
its data from the functions here and only writes what it gets. Nothing in
this module touches the database: it reads a ``journey.plan.Plan`` (loaded in
a fixed number of queries by ``load_plan``) and returns frozen dataclasses.

Entry points
------------
``build_itinerary(plan, *, audience, participant=None) -> Itinerary``
    The journey for one audience:

    * ``Audience.PUBLIC``: only a published journey; its public, not cancelled
      stops (city, venue and coordinates, never the parking address or any
      notes but the public ones), the legs between two public stops (no
      vehicles, no drivers), public activities. No lodging, no nights, no
      names, no phones, no contacts. An unpublished journey gives an empty
      itinerary.
    * ``Audience.TEAM``: everything, including cancelled stops (marked
      ``is_cancelled``), private notes, every lodging with its address, every
      vehicle and driver on each leg, head counts per night and coordinators.
    * ``Audience.PERSONAL`` (``participant`` required): only the participant's
      segment of their route (``Plan.segment``): its stops, its legs with the
      vehicle(s) the participant rides on each leg and their drivers' display
      names, activities at those stops (without private notes), each night
      with the participant's own bed (lodging with address), and the
      coordinators to call. A participant who does not ride gets no stops.

``host_day_sheet(plan, stop) -> HostDaySheet``
    What a host ally needs for one stop (``Audience.HOST``): arrival and
    departure, the incoming and outgoing legs (only from and to public stops),
    the activities, meals and lodgings at the stop, and per night a head count
    with counts of dietary and accessibility needs. No names. Meals:
    ``journey.meals``.

``rooming_list(plan, *, stop_id=None) -> tuple[RoomingNight, ...]``
    Team only: per lodging per night, who sleeps there (names, phone, needs).

``manifest(plan, *, stop_id=None) -> tuple[ManifestLeg, ...]``
    Team only: per vehicle per leg, drivers and passengers with phone and
    emergency contact.

Labels
------
``kind_label`` fields are lazy translations: they read in whatever language
is active when they are turned into text, so build once, render in any
language.

Times
-----
Every datetime here is aware and already converted to the zone of the item it
belongs to: a stop's arrival and departure and its activities and lodgings in
the stop's zone; a leg's departure in its origin's zone and its arrival in
its destination's zone. ``tz`` fields carry the IANA name of that zone. A
night is a local date: the date of the evening it begins.

Change tracking
---------------
``updated_at`` on each item is the latest change of every row the item is
built from (a leg also changes when its origin or destination changes), so
calendar feeds can derive SEQUENCE and LAST-MODIFIED from it.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone as dj_timezone

from journey.border import leg_checkpoints
from journey.counts import NeedCount, need_counts
from journey.meals import MealItem, meal_items
from journey.plan import Plan, RoutePlan
from participants.models import Participant, VehicleKind
from participants.occupancy import seats_by_route_leg
from stops.models import Activity, ActivityKind, Lodging, LodgingKind, Stop, StopKind


class Audience(enum.StrEnum):
    PUBLIC = "public"
    TEAM = "team"
    PERSONAL = "personal"
    HOST = "host"


class EntryKind(enum.StrEnum):
    ARRIVAL = "arrival"
    DEPARTURE = "departure"
    ACTIVITY = "activity"
    NIGHT = "night"


# --- data classes -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActivityItem:
    """Something that happens at a stop. ``private_notes`` is empty unless TEAM."""

    id: int
    stop_id: int
    kind: str  # ActivityKind value
    kind_label: str  # lazy: str() it inside translation.override(reader's language)
    title: str
    starts_at: datetime  # in ``tz``
    ends_at: datetime  # in ``tz``
    tz: str
    venue: str
    address: str
    place_name: str  # the stop's "City, ST"
    latitude: float
    longitude: float
    description: str
    is_public: bool
    is_cancelled: bool  # its stop is cancelled (TEAM only ever sees these)
    private_notes: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class LodgingItem:
    """A place to sleep. Never in PUBLIC; in PERSONAL only where the participant sleeps."""

    id: int
    stop_id: int
    name: str
    kind: str
    kind_label: str
    address: str
    place_name: str
    latitude: float  # the stop's coordinates (lodgings have none of their own)
    longitude: float
    capacity: int
    check_in: datetime  # in ``tz``
    check_out: datetime  # in ``tz``
    tz: str
    accessibility_notes: str
    notes: str  # empty unless TEAM
    nights: tuple[date, ...]
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StopVisit:
    """One visit to a place. ``address`` and ``private_notes`` are empty in PUBLIC;
    ``private_notes`` is empty in PERSONAL too."""

    id: int
    city: str
    state: str
    country: str
    place_name: str  # "Phoenix, AZ"
    venue: str
    address: str
    latitude: float
    longitude: float
    tz: str
    arrival: datetime  # in ``tz``
    departure: datetime  # in ``tz``
    kind: str  # StopKind value
    kind_label: str
    status: str  # StopStatus value
    is_cancelled: bool
    nights: tuple[date, ...]
    public_notes: str
    private_notes: str
    activities: tuple[ActivityItem, ...]
    lodgings: tuple[LodgingItem, ...]
    updated_at: datetime
    # Within 100 miles of a land border or coast (computed from the coordinates).
    in_border_zone: bool = False

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.tz)


@dataclass(frozen=True, slots=True)
class VehicleItem:
    id: int
    name: str
    kind: str
    kind_label: str
    plate: str


@dataclass(frozen=True, slots=True)
class VehicleOnLeg:
    """A vehicle driving a leg, with its drivers' display names and passenger count."""

    vehicle: VehicleItem
    drivers: tuple[str, ...]
    passengers: int
    # Latest change of the vehicle and its seat assignments on the leg (a seat moved to
    # another vehicle or a new driver moves the leg's SEQUENCE in calendar feeds).
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LegItem:
    """The drive between two consecutive stops. ``vehicles`` is empty in PUBLIC;
    in PERSONAL it holds only the vehicle(s) the participant rides on this leg."""

    id: int
    route_id: int
    route_name: str
    position: int
    origin: StopVisit
    destination: StopVisit
    departure: datetime  # in the origin's zone
    arrival: datetime  # in the destination's zone
    distance_km: float
    driving_minutes: int
    break_minutes: int
    vehicles: tuple[VehicleOnLeg, ...]
    updated_at: datetime  # latest of the leg, its origin and its destination
    route_color: str = ""  # the route's map color, "#b5179e"
    in_border_zone: bool = False  # the drive passes within 100 miles of a border or coast
    # Border Patrol interior checkpoints the drive passes, in driving order:
    # "Sierra Blanca (I-10, TX)".
    checkpoints: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NightItem:
    """A night (named by its evening's date) at a stop.

    TEAM: ``lodgings`` booked for that night and ``headcount`` of sleepers.
    PERSONAL: ``bed`` is the lodging where the participant sleeps (or None if
    unassigned) and ``lodgings`` holds just that lodging.
    """

    date: date
    stop: StopVisit
    lodgings: tuple[LodgingItem, ...]
    bed: LodgingItem | None
    headcount: int | None
    # PERSONAL: when the participant's bed assignment for this night last changed.
    bed_updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ContactItem:
    """A coordinator to call (only coordinators who have a phone)."""

    participant_id: int
    name: str
    phone: str
    email: str


@dataclass(frozen=True, slots=True)
class ParticipantInfo:
    id: int
    display_name: str
    language: str
    role: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class DayEntry:
    """One line of a day: ``item`` is a StopVisit (ARRIVAL), a LegItem (DEPARTURE),
    an ActivityItem (ACTIVITY) or a NightItem (NIGHT, ``at`` is None)."""

    kind: EntryKind
    at: datetime | None  # in the item's own zone
    item: StopVisit | LegItem | ActivityItem | NightItem


@dataclass(frozen=True, slots=True)
class Day:
    """Everything on one local date (each item's date in its own zone), in time order."""

    date: date
    entries: tuple[DayEntry, ...]


@dataclass(frozen=True, slots=True)
class JourneyInfo:
    id: int
    name: str
    slug: str
    description: str
    home_timezone: str
    distance_unit: str
    is_published: bool
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Itinerary:
    """A journey as one audience may see it (see the module docstring)."""

    journey: JourneyInfo
    audience: Audience
    participant: ParticipantInfo | None  # PERSONAL only
    stops: tuple[StopVisit, ...]  # by arrival; TEAM includes cancelled stops
    legs: tuple[LegItem, ...]  # by departure
    activities: tuple[ActivityItem, ...]  # by start
    lodgings: tuple[LodgingItem, ...]  # TEAM: all; PERSONAL: where they sleep
    nights: tuple[NightItem, ...]  # empty in PUBLIC
    vehicles: tuple[VehicleItem, ...]  # empty in PUBLIC
    contacts: tuple[ContactItem, ...]  # empty in PUBLIC
    days: tuple[Day, ...]
    timezones: tuple[str, ...]  # every zone used by an item, sorted
    first_date: date | None  # earliest local date of any item
    last_date: date | None  # latest local date of any item
    last_modified: datetime  # latest updated_at of the journey and every item

    @property
    def language(self) -> str | None:
        """The reader's language for PERSONAL; None means "the caller decides"."""
        return self.participant.language if self.participant else None


@dataclass(frozen=True, slots=True)
class HostNight:
    date: date
    headcount: int
    dietary_needs: tuple[NeedCount, ...]  # most common first
    accessibility_needs: tuple[NeedCount, ...]


@dataclass(frozen=True, slots=True)
class HostDaySheet:
    """What a host of one stop needs to know, without any name (Audience.HOST)."""

    journey: JourneyInfo
    stop: StopVisit  # no private notes
    incoming: tuple[LegItem, ...]  # legs arriving here (no vehicles)
    outgoing: tuple[LegItem, ...]
    activities: tuple[ActivityItem, ...]
    lodgings: tuple[LodgingItem, ...]
    nights: tuple[HostNight, ...]
    contacts: tuple[ContactItem, ...]
    meals: tuple[MealItem, ...] = ()  # with counts and notes, no names
    local_contacts: tuple = ()  # LocalContactItem, added by the PDF (one query)
    audience: Audience = Audience.HOST


@dataclass(frozen=True, slots=True)
class PersonRow:
    """A person on a confidential team list (rooming list or manifest)."""

    participant_id: int
    display_name: str
    full_name: str
    role: str
    phone: str
    emergency_contact_name: str
    emergency_contact_phone: str
    dietary_needs: str
    accessibility_needs: str


@dataclass(frozen=True, slots=True)
class RoomingNight:
    lodging: LodgingItem
    stop: StopVisit
    night: date
    sleepers: tuple[PersonRow, ...]  # by display name


@dataclass(frozen=True, slots=True)
class ManifestLeg:
    vehicle: VehicleItem
    leg: LegItem
    drivers: tuple[PersonRow, ...]
    passengers: tuple[PersonRow, ...]


# --- building -----------------------------------------------------------------


def _local(moment: datetime, tz: str) -> datetime:
    return dj_timezone.localtime(moment, ZoneInfo(tz))


def _journey_info(plan: Plan) -> JourneyInfo:
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


def journey_info(plan: Plan) -> JourneyInfo:
    """The journey's own fields (name, slug, home zone...), for documents that carry
    lists without an itinerary around them (rooming list, manifest)."""
    return _journey_info(plan)


def _activity_item(activity: Activity, *, team: bool) -> ActivityItem:
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


def _lodging_item(lodging: Lodging, *, team: bool) -> LodgingItem:
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


def _stop_visit(
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


def _vehicle_item(vehicle) -> VehicleItem:
    return VehicleItem(
        id=vehicle.pk,
        name=vehicle.name,
        kind=vehicle.kind,
        kind_label=VehicleKind(vehicle.kind).label,
        plate=vehicle.plate,
    )


def _leg_item(leg, visits: dict[int, StopVisit], vehicles=()) -> LegItem:
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


def _vehicles_on_leg(seats, *, only_vehicle_ids=None) -> list[VehicleOnLeg]:
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
            VehicleOnLeg(_vehicle_item(vehicle), tuple(drivers), passengers, updated_at=changed)
        )
    return sorted(result, key=lambda v: v.vehicle.name)


def _contacts(plan: Plan) -> tuple[ContactItem, ...]:
    return tuple(
        ContactItem(p.pk, p.display_name, p.phone, p.email) for p in plan.coordinators if p.phone
    )


def _days(
    stops: tuple[StopVisit, ...],
    legs: tuple[LegItem, ...],
    activities: tuple[ActivityItem, ...],
    nights: tuple[NightItem, ...],
) -> tuple[Day, ...]:
    entries: list[tuple[date, float, int, DayEntry]] = []
    for stop in stops:
        entries.append(
            (
                stop.arrival.date(),
                stop.arrival.timestamp(),
                0,
                DayEntry(EntryKind.ARRIVAL, stop.arrival, stop),
            )
        )
    for leg in legs:
        entries.append(
            (
                leg.departure.date(),
                leg.departure.timestamp(),
                1,
                DayEntry(EntryKind.DEPARTURE, leg.departure, leg),
            )
        )
    for activity in activities:
        entries.append(
            (
                activity.starts_at.date(),
                activity.starts_at.timestamp(),
                2,
                DayEntry(EntryKind.ACTIVITY, activity.starts_at, activity),
            )
        )
    for night in nights:
        entries.append((night.date, float("inf"), 3, DayEntry(EntryKind.NIGHT, None, night)))
    entries.sort(key=lambda e: e[:3])
    days: dict[date, list[DayEntry]] = {}
    for day, _instant, _order, entry in entries:
        days.setdefault(day, []).append(entry)
    return tuple(Day(day, tuple(items)) for day, items in days.items())


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
    journey = _journey_info(plan)
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
        days=_days(stops, legs, activities, nights),
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
            item = _activity_item(activity, team=False)
            activities.append(item)
            activities_by_stop[activity.stop_id].append(item)
    visits = {
        s.pk: _stop_visit(s, audience=Audience.PUBLIC, activities=tuple(activities_by_stop[s.pk]))
        for s in shown
    }
    legs = [
        _leg_item(leg, visits)
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
        item = _activity_item(activity, team=True)
        activities.append(item)
        activities_by_stop[activity.stop_id].append(item)
    lodgings_by_stop = defaultdict(list)
    lodgings = []
    for lodging in plan.lodgings:
        item = _lodging_item(lodging, team=True)
        lodgings.append(item)
        lodgings_by_stop[lodging.stop_id].append(item)
    visits = {
        s.pk: _stop_visit(
            s,
            audience=Audience.TEAM,
            activities=tuple(activities_by_stop[s.pk]),
            lodgings=tuple(lodgings_by_stop[s.pk]),
        )
        for s in plan.stops
    }
    seats = seats_by_route_leg(plan)
    legs = [
        _leg_item(leg, visits, _vehicles_on_leg(seats.get((route_plan.route.pk, index), ())))
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
        vehicles=tuple(_vehicle_item(v) for v in plan.vehicles),
        contacts=_contacts(plan),
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
            contacts=_contacts(plan),
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
        lodging.pk: _lodging_item(lodging, team=False)
        for lodging in sorted(beds.values(), key=lambda lo: (lo.check_in, lo.pk))
    }
    activities_by_stop = defaultdict(list)
    activities = []
    for activity in plan.activities:
        if activity.stop_id in stop_ids:
            item = _activity_item(activity, team=False)
            activities.append(item)
            activities_by_stop[activity.stop_id].append(item)
    visits = {
        s.pk: _stop_visit(
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
        vehicles = _vehicles_on_leg(on_leg, only_vehicle_ids=mine)
        for v in vehicles:
            vehicle_ids.setdefault(v.vehicle.id, v.vehicle)
        item = _leg_item(route_plan.legs[index], visits, vehicles)
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
        contacts=_contacts(plan),
    )


# --- host, rooming list and manifest ---------------------------------------------


def host_day_sheet(plan: Plan, stop: Stop | int) -> HostDaySheet:
    """The host's view of one stop: times, legs, activities, lodgings and counts, no names."""
    stop_id = stop if isinstance(stop, int) else stop.pk
    found = plan.stops_by_id.get(stop_id)
    if found is None:
        raise ValueError("The stop is not part of this journey.")
    activities = tuple(
        _activity_item(a, team=False) for a in plan.activities if a.stop_id == stop_id
    )
    lodgings = tuple(_lodging_item(lo, team=False) for lo in plan.lodgings_by_stop[stop_id])
    visit = _stop_visit(found, audience=Audience.HOST, activities=activities, lodgings=lodgings)
    incoming, outgoing = [], []
    for route_plan in plan.routes:
        for leg in route_plan.legs:
            if stop_id not in (leg.origin_id, leg.destination_id):
                continue
            other = leg.origin if leg.destination_id == stop_id else leg.destination
            if not other.is_shown_publicly:
                continue  # a host learns nothing of a stop kept off the public pages
            visits = {stop_id: visit, other.pk: _stop_visit(other, audience=Audience.HOST)}
            item = _leg_item(leg, visits)
            (incoming if leg.destination_id == stop_id else outgoing).append(item)
    nights = []
    if not found.is_cancelled:
        for night in found.nights:
            sleepers = plan.sleepers.get((stop_id, night), ())
            nights.append(
                HostNight(
                    date=night,
                    headcount=len(sleepers),
                    dietary_needs=need_counts(p.dietary_needs for p in sleepers),
                    accessibility_needs=need_counts(p.accessibility_needs for p in sleepers),
                )
            )
    return HostDaySheet(
        journey=_journey_info(plan),
        stop=visit,
        incoming=tuple(incoming),
        outgoing=tuple(outgoing),
        activities=activities,
        lodgings=lodgings,
        nights=tuple(nights),
        contacts=_contacts(plan),
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
            visits[stop.pk] = _stop_visit(stop, audience=Audience.TEAM)
        item = _lodging_item(lodging, team=True)
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
    visits = {s.pk: _stop_visit(s, audience=Audience.TEAM) for s in plan.stops}
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
                        vehicle=_vehicle_item(vehicle),
                        leg=_leg_item(leg, visits, _vehicles_on_leg(vehicle_seats)),
                        drivers=_by_name(s.participant for s in vehicle_seats if s.is_driver),
                        passengers=_by_name(
                            s.participant for s in vehicle_seats if not s.is_driver
                        ),
                    )
                )
    rows.sort(key=lambda r: (r.leg.departure, r.vehicle.name, r.vehicle.id))
    return tuple(rows)
