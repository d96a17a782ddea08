"""The itinerary's data: frozen dataclasses and enums, nothing else.

No database and no Django here, so the low-level modules that only need ``Audience``
(``journey.access``, ``journey.rules``, the exporters' registry) import this module without
pulling the itinerary's assembly (``journey.itinerary.audiences``) and its imports. What each
field holds for each audience is told in the package's docstring (``journey.itinerary``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo


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
class NeedCount:
    need: str
    count: int


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
    meals: tuple = ()  # journey.meals.MealItem, with counts and notes, no names
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
