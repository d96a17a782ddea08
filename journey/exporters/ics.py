"""Calendar feeds (iCalendar, RFC 5545) built from an Itinerary.

One event per stop visit, leg and activity; the team feed adds one per
lodging, the personal feed one per night ("Sleep: <lodging> (address)") and a
reminder (VALARM) before each departure. The privacy rules were applied when
the itinerary was built: this module writes every item it gets.

Times: each event is written in its stop's own zone (a leg departs in its
origin's zone and arrives in its destination's), with one VTIMEZONE for every
zone used and no other.

Updates: UIDs depend only on what an item is (``stop-12@caravana``), never on
when it was exported. SEQUENCE and LAST-MODIFIED come from the item's
``updated_at``, so an edited item reaches subscribed calendars as an update;
DTSTAMP equals LAST-MODIFIED (the feed has no METHOD), which keeps the output
identical for as long as nothing changes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, Timezone

from journey.exporters import Exporter, ExportRequest
from journey.formatting import format_distance, format_duration, format_local
from journey.itinerary import (
    ActivityItem,
    Audience,
    Itinerary,
    LegItem,
    LodgingItem,
    NightItem,
    StopVisit,
    build_itinerary,
)
from journey.meals import MealItem, meal_items
from journey.plan import Plan

PRODID = "-//Caravana//Itinerary feed//EN"
# SEQUENCE is the number of seconds from this moment to the item's last change:
# it grows with every change and fits a signed 32-bit integer until 2092.
SEQUENCE_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
REMINDER_BEFORE_DEPARTURE = timedelta(minutes=60)
REFRESH_INTERVAL = timedelta(hours=1)
MEAL_LENGTH = timedelta(hours=1)


@lru_cache(maxsize=256)
def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of a zone for whole calendar years, built once per process.

    Whole years (rather than the default 1970–2038) keep the block short: long
    RDATE lists make some clients (ical.js) misplace DST times. Building the
    block is about half the cost of a feed, hence the cache; the component
    is shared between calendars and never modified.
    """
    return Timezone.from_tzid(
        tzid, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )


def sequence(updated_at: datetime) -> int:
    return max(0, int((updated_at - SEQUENCE_EPOCH).total_seconds()))


def _in_zone(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz))


def _join(*parts: str, separator: str = ", ") -> str:
    return separator.join(p for p in parts if p)


class _Builder:
    """Turns one itinerary into one Calendar; call inside translation.override."""

    def __init__(self, itinerary: Itinerary, uid_domain: str, meals: tuple[MealItem, ...] = ()):
        self.itinerary = itinerary
        self.meals = meals
        self.uid_domain = uid_domain
        self.zones: set[str] = set()
        self.unit = itinerary.journey.distance_unit
        self.private = itinerary.audience != Audience.PUBLIC

    # --- one event ------------------------------------------------------------
    def event(
        self,
        *,
        uid: str,
        summary: str,
        start: datetime,
        end: datetime,
        start_tz: str,
        end_tz: str,
        updated_at: datetime,
        description: str,
        location: str,
        geo: tuple[float, float],
        status: str = "CONFIRMED",
        busy: bool = True,
    ) -> Event:
        event = Event()
        stamp = updated_at.astimezone(UTC).replace(microsecond=0)
        event.add("uid", f"{uid}@{self.uid_domain}")
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("sequence", sequence(updated_at))
        event.add("dtstart", _in_zone(start, start_tz))
        event.add("dtend", _in_zone(end, end_tz))
        self.zones.update((start_tz, end_tz))
        event.add("summary", summary)
        if description:
            event.add("description", description)
        if location:
            event.add("location", location)
        event.add("geo", geo)
        event.add("status", status)
        event.add("transp", "OPAQUE" if busy else "TRANSPARENT")
        event.add("class", "PRIVATE" if self.private else "PUBLIC")
        return event

    # --- items ----------------------------------------------------------------
    def stop(self, stop: StopVisit) -> Event:
        place = stop.place_name
        lines = [
            str(stop.kind_label),
            _("Arrival: %(time)s") % {"time": format_local(stop.arrival, stop.tz)},
            _("Departure: %(time)s") % {"time": format_local(stop.departure, stop.tz)},
            stop.public_notes,
        ]
        if stop.private_notes:
            lines.append(_("Team notes: %(notes)s") % {"notes": stop.private_notes})
        if stop.is_cancelled:
            summary = _("Cancelled: caravan at %(place)s") % {"place": place}
        else:
            summary = _("Caravan at %(place)s") % {"place": place}
        return self.event(
            uid=f"stop-{stop.id}",
            summary=summary,
            start=stop.arrival,
            end=stop.departure,
            start_tz=stop.tz,
            end_tz=stop.tz,
            updated_at=stop.updated_at,
            description=_join(*lines, separator="\n"),
            location=_join(stop.venue, stop.address, place),
            geo=(stop.latitude, stop.longitude),
            status=self.status(stop.status),
            busy=False,  # a visit spans nights; its legs and activities block time
        )

    def leg(self, leg: LegItem, *, reminder: bool) -> Event:
        origin, destination = leg.origin, leg.destination
        title = _("Drive: %(origin)s → %(destination)s") % {
            "origin": origin.place_name,
            "destination": destination.place_name,
        }
        lines = [
            _("Departs %(departure)s, arrives %(arrival)s")
            % {
                "departure": format_local(leg.departure, origin.tz),
                "arrival": format_local(leg.arrival, destination.tz),
            },
            _("Distance: %(distance)s") % {"distance": format_distance(leg.distance_km, self.unit)},
            _("Driving time: %(driving)s, plus %(breaks)s of rest breaks")
            % {
                "driving": format_duration(leg.driving_minutes),
                "breaks": format_duration(leg.break_minutes),
            },
        ]
        for on_leg in leg.vehicles:
            vehicle = on_leg.vehicle
            lines.append(
                _("Vehicle: %(vehicle)s") % {"vehicle": _join(vehicle.name, vehicle.plate)}
            )
            if on_leg.drivers:
                lines.append(_("Drivers: %(drivers)s") % {"drivers": ", ".join(on_leg.drivers)})
        event = self.event(
            uid=f"leg-{leg.id}",
            summary=title,
            start=leg.departure,
            end=leg.arrival,
            start_tz=origin.tz,
            end_tz=destination.tz,
            updated_at=leg.updated_at,
            description="\n".join(lines),
            location=_join(origin.venue, origin.address, origin.place_name),
            geo=(origin.latitude, origin.longitude),
        )
        if reminder:
            alarm = Alarm()
            alarm.add("uid", f"leg-{leg.id}-reminder@{self.uid_domain}")
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -REMINDER_BEFORE_DEPARTURE)
            alarm.add(
                "description",
                _("In one hour: %(leg)s, from %(place)s")
                % {"leg": title, "place": _join(origin.venue, origin.address, origin.place_name)},
            )
            event.add_component(alarm)
        return event

    def activity(self, activity: ActivityItem) -> Event:
        lines = [str(activity.kind_label), activity.description]
        if activity.private_notes:
            lines.append(_("Team notes: %(notes)s") % {"notes": activity.private_notes})
        summary = activity.title
        if activity.is_cancelled:
            summary = _("Cancelled: %(title)s") % {"title": activity.title}
        return self.event(
            uid=f"activity-{activity.id}",
            summary=summary,
            start=activity.starts_at,
            end=activity.ends_at,
            start_tz=activity.tz,
            end_tz=activity.tz,
            updated_at=activity.updated_at,
            description=_join(*lines, separator="\n"),
            location=_join(activity.venue, activity.address, activity.place_name),
            geo=(activity.latitude, activity.longitude),
            status="CANCELLED" if activity.is_cancelled else "CONFIRMED",
        )

    def meal(self, meal: MealItem) -> Event:
        """ "Dinner at Casa del Pueblo": an hour from its start (a meal has no end time)."""
        lines = [_("Provided by %(who)s") % {"who": meal.provider_name}]
        if self.itinerary.audience == Audience.TEAM:
            lines.append(_("People: %(count)d") % {"count": meal.headcount})
            if meal.notes:
                lines.append(meal.notes)
        return self.event(
            uid=f"meal-{meal.id}",
            summary=str(meal.title),
            start=meal.starts_at,
            end=meal.starts_at + MEAL_LENGTH,
            start_tz=meal.tz,
            end_tz=meal.tz,
            updated_at=meal.updated_at,
            description=_join(*lines, separator="\n"),
            location=_join(meal.place, meal.place_name),
            geo=self.geo_of(meal.stop_id),
            busy=False,
        )

    def geo_of(self, stop_id: int) -> tuple[float, float]:
        stop = next(s for s in self.itinerary.stops if s.id == stop_id)
        return (stop.latitude, stop.longitude)

    def lodging(self, lodging: LodgingItem) -> Event:
        lines = [
            str(lodging.kind_label),
            lodging.address,
            _("Beds: %(count)d") % {"count": lodging.capacity},
            lodging.accessibility_notes,
        ]
        if lodging.notes:
            lines.append(_("Team notes: %(notes)s") % {"notes": lodging.notes})
        return self.event(
            uid=f"lodging-{lodging.id}",
            summary=_("Lodging: %(lodging)s") % {"lodging": lodging.name},
            start=lodging.check_in,
            end=lodging.check_out,
            start_tz=lodging.tz,
            end_tz=lodging.tz,
            updated_at=lodging.updated_at,
            description=_join(*lines, separator="\n"),
            location=_join(lodging.name, lodging.address, lodging.place_name),
            geo=(lodging.latitude, lodging.longitude),
            busy=False,
        )

    def night(self, night: NightItem, participant_id: int) -> Event:
        stop, bed = night.stop, night.bed
        tz = ZoneInfo(stop.tz)
        if bed is None:
            start = datetime.combine(night.date, time(21), tz)
            end = datetime.combine(night.date + timedelta(days=1), time(7), tz)
            summary = _("Sleep: lodging in %(place)s not assigned yet") % {"place": stop.place_name}
            return self.event(
                uid=f"night-{participant_id}-{night.date:%Y%m%d}-none",
                summary=summary,
                start=start,
                end=end,
                start_tz=stop.tz,
                end_tz=stop.tz,
                updated_at=stop.updated_at,
                description=_("Ask a coordinator where you sleep this night."),
                location=stop.place_name,
                geo=(stop.latitude, stop.longitude),
                status="TENTATIVE",
                busy=False,
            )
        # From the check-in time on the night's evening to the check-out time next morning.
        start = max(bed.check_in, datetime.combine(night.date, bed.check_in.time(), tz))
        end = min(
            bed.check_out,
            datetime.combine(night.date + timedelta(days=1), bed.check_out.time(), tz),
        )
        if end <= start:
            start, end = bed.check_in, bed.check_out
        lines = [
            bed.address,
            _("Check-in: %(time)s") % {"time": format_local(bed.check_in, bed.tz)},
            _("Check-out: %(time)s") % {"time": format_local(bed.check_out, bed.tz)},
            bed.accessibility_notes,
        ]
        return self.event(
            uid=f"night-{participant_id}-{night.date:%Y%m%d}-{bed.id}",
            summary=_("Sleep: %(lodging)s (%(address)s)")
            % {"lodging": bed.name, "address": bed.address},
            start=start,
            end=end,
            start_tz=bed.tz,
            end_tz=bed.tz,
            # The UID names the lodging; a bed moved there (or changed) is newer than both.
            updated_at=max(bed.updated_at, stop.updated_at, night.bed_updated_at or bed.updated_at),
            description=_join(*lines, separator="\n"),
            location=_join(bed.name, bed.address, bed.place_name),
            geo=(bed.latitude, bed.longitude),
            busy=False,
        )

    @staticmethod
    def status(stop_status: str) -> str:
        return {"cancelled": "CANCELLED", "planned": "TENTATIVE"}.get(stop_status, "CONFIRMED")

    # --- the calendar --------------------------------------------------------------
    def calendar_name(self) -> str:
        journey = self.itinerary.journey.name
        if self.itinerary.audience == Audience.TEAM:
            return _("%(journey)s (team)") % {"journey": journey}
        if self.itinerary.audience == Audience.PERSONAL:
            return _("%(journey)s: my itinerary") % {"journey": journey}
        return journey

    def build(self) -> Calendar:
        itinerary = self.itinerary
        personal = itinerary.audience == Audience.PERSONAL
        events = [self.stop(stop) for stop in itinerary.stops]
        events += [self.leg(leg, reminder=personal) for leg in itinerary.legs]
        events += [self.activity(activity) for activity in itinerary.activities]
        if itinerary.audience == Audience.TEAM:
            events += [self.lodging(lodging) for lodging in itinerary.lodgings]
        if personal:
            events += [self.night(night, itinerary.participant.id) for night in itinerary.nights]
        shown = {stop.id for stop in itinerary.stops}
        events += [self.meal(meal) for meal in self.meals if meal.stop_id in shown]

        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        name = self.calendar_name()
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        home = itinerary.stops[0].tz if itinerary.stops else itinerary.journey.home_timezone
        calendar.add("x-wr-timezone", home)
        calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
        if itinerary.first_date and itinerary.last_date:
            for tzid in sorted(self.zones):
                calendar.add_component(
                    vtimezone(tzid, itinerary.first_date.year, itinerary.last_date.year)
                )
        for event in events:
            calendar.add_component(event)
        return calendar


def render_calendar(
    itinerary: Itinerary,
    *,
    language: str,
    uid_domain: str = "caravana",
    meals: tuple[MealItem, ...] = (),
) -> bytes:
    """The itinerary as an iCalendar file, texts in ``language``; ``meals`` at its stops
    become events ("Dinner at …")."""
    with translation.override(language):
        return _Builder(itinerary, uid_domain, meals).build().to_ical()


class CalendarExporter(Exporter):
    """The journey feed (public or team) or a participant's personal feed."""

    format = "ics"
    document = "calendar"
    content_type = "text/calendar; charset=utf-8"
    extension = "ics"
    audiences = frozenset({Audience.PUBLIC, Audience.TEAM, Audience.PERSONAL})

    def gather(self, plan: Plan, request: ExportRequest) -> tuple[Itinerary, str, tuple]:
        itinerary = build_itinerary(
            plan, audience=request.audience, participant=request.participant
        )
        meals = ()
        if request.audience != Audience.PUBLIC and itinerary.stops:
            team = request.audience == Audience.TEAM
            meals = meal_items(
                plan,
                stop_ids=[stop.id for stop in itinerary.stops],
                with_notes=team,
                with_counts=team,
            )
        return itinerary, request.uid_domain, meals

    def render(self, data: tuple[Itinerary, str, tuple], *, language: str) -> bytes:
        itinerary, uid_domain, meals = data
        return render_calendar(itinerary, language=language, uid_domain=uid_domain, meals=meals)
