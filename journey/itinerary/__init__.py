"""The itinerary of a journey as plain data, with the privacy rules applied once.

Every export (calendar feeds, CSV lists, PDF booklets and day sheets) reads
its data from the functions here and only writes what it gets. Nothing in
this package touches the database: it reads a ``journey.plan.Plan`` (loaded in
a fixed number of queries by ``load_plan``) and returns frozen dataclasses.

Modules
-------
``types``       the frozen dataclasses and enums (``Audience``, ``Itinerary``...); no
                Django, so low-level modules import ``Audience`` without the rest
``items``       one model row to one item (a stop visit, a leg, an activity...)
``days``        an itinerary's entries grouped into local days
``audiences``   the public, team and personal assembly: ``build_itinerary``
``lists``       ``host_day_sheet``, ``rooming_list``, ``manifest``

Import the names below from ``journey.itinerary``: that is the package's interface. The
data classes are read from ``types`` at once; the functions load their module on first use,
so importing ``journey.itinerary`` (or ``journey.itinerary.types``) for ``Audience`` does not
import the plan, the models or the assembly.

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
    departure, the incoming and outgoing legs, the activities and lodgings at
    the stop, and per night a head count with counts of dietary and
    accessibility needs. No names.

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

import importlib
from typing import TYPE_CHECKING

from journey.itinerary.types import (
    ActivityItem,
    Audience,
    ContactItem,
    Day,
    DayEntry,
    EntryKind,
    HostDaySheet,
    HostNight,
    Itinerary,
    JourneyInfo,
    LegItem,
    LodgingItem,
    ManifestLeg,
    NeedCount,
    NightItem,
    ParticipantInfo,
    PersonRow,
    RoomingNight,
    StopVisit,
    VehicleItem,
    VehicleOnLeg,
)

if TYPE_CHECKING:
    from journey.itinerary.audiences import build_itinerary
    from journey.itinerary.items import journey_info
    from journey.itinerary.lists import host_day_sheet, manifest, rooming_list

# The functions, by the module that defines them (imported on first use, see above).
_FUNCTIONS = {
    "build_itinerary": "journey.itinerary.audiences",
    "route_stops": "journey.itinerary.audiences",
    "journey_info": "journey.itinerary.items",
    "host_day_sheet": "journey.itinerary.lists",
    "rooming_list": "journey.itinerary.lists",
    "manifest": "journey.itinerary.lists",
}

__all__ = [
    "ActivityItem",
    "Audience",
    "ContactItem",
    "Day",
    "DayEntry",
    "EntryKind",
    "HostDaySheet",
    "HostNight",
    "Itinerary",
    "JourneyInfo",
    "LegItem",
    "LodgingItem",
    "ManifestLeg",
    "NeedCount",
    "NightItem",
    "ParticipantInfo",
    "PersonRow",
    "RoomingNight",
    "StopVisit",
    "VehicleItem",
    "VehicleOnLeg",
    "build_itinerary",
    "host_day_sheet",
    "journey_info",
    "manifest",
    "rooming_list",
    "route_stops",
]


def __getattr__(name: str):
    module = _FUNCTIONS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_FUNCTIONS})
