"""Day-by-day rows shared by the booklet and the personal itinerary.

A ``journey.itinerary.Day`` holds entries (arrival, departure, activity,
night) in time order; ``day_rows`` turns them into table rows (time, what),
writing every field the itinerary carries for its audience: the privacy rules
were applied when the itinerary was built, so a public itinerary simply has
no lodging, vehicle or private note to write.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.platypus import Flowable, Paragraph

from journey.counts import NeedCount
from journey.exporters.pdf.base import (
    clock,
    clock_span,
    esc,
    grid,
    join,
    rich,
    styles,
    when,
)
from journey.exporters.pdf.contacts import HostContact
from journey.formatting import format_distance, format_duration
from journey.itinerary import (
    ActivityItem,
    Day,
    DayEntry,
    EntryKind,
    Itinerary,
    LegItem,
    LodgingItem,
    NightItem,
    StopVisit,
)
from journey.meals import MealItem


def where_on(itinerary: Itinerary, day: date) -> str:
    """Where the caravan is on a local date: "Phoenix, AZ → El Paso, TX"."""
    places = []
    for stop in itinerary.stops:
        if stop.is_cancelled:
            continue
        if stop.arrival.date() <= day <= stop.departure.date() and stop.place_name not in places:
            places.append(stop.place_name)
    if places:
        return " → ".join(places)
    if any(leg.departure.date() <= day <= leg.arrival.date() for leg in itinerary.legs):
        return _("On the road")
    return ""


def drive_summary(leg: LegItem, unit: str) -> str:
    """ "560 mi · 6 h 10 min driving · 30 min of breaks"."""
    parts = [
        format_distance(leg.distance_km, unit),
        _("%(time)s driving") % {"time": format_duration(leg.driving_minutes)},
    ]
    if leg.break_minutes:
        parts.append(_("%(time)s of breaks") % {"time": format_duration(leg.break_minutes)})
    return join(*parts)


def lodging_line(lodging: LodgingItem) -> str:
    return join(lodging.name, str(lodging.kind_label), lodging.address, separator=", ")


def needs_text(needs: tuple[NeedCount, ...]) -> str:
    """ "vegetarian: 3, halal: 1" (most common first), or a dash."""
    return ", ".join(f"{n.need}: {n.count}" for n in needs) or "–"


def meal_markup(meal: MealItem) -> str:
    """ "<b>Dinner at Parish hall</b> · 12 people · vegetarian: 2 · by Iglesia" (markup)."""
    people = ngettext("%(n)d person", "%(n)d people", meal.headcount) % {"n": meal.headcount}
    provider = _("provided by %(who)s") % {"who": meal.provider_name}
    line = f"<b>{esc(meal.title)}</b> · {esc(people)}"
    if meal.dietary_needs:
        line += f" · {esc(needs_text(meal.dietary_needs))}"
    line += f" · {esc(provider)}"
    if meal.notes:
        line += f"<br/>{esc(meal.notes)}"
    return line


def _stop_markup(stop: StopVisit, hosts: Mapping[int, tuple[HostContact, ...]]) -> str:
    head = _("Arrive in %(place)s") % {"place": stop.place_name}
    lines = [f"<b>{esc(head)}</b>"]
    if stop.is_cancelled:
        lines[0] += f" <font color='#b00020'><b>{esc(_('Cancelled'))}</b></font>"
    where = join(stop.venue, stop.address, separator=", ")
    if where:
        lines.append(esc(where))
    lines.append(esc(_("Leaves %(when)s") % {"when": when(stop.departure)}))
    if stop.in_border_zone:
        lines.append(esc(_("Within the 100-mile border zone.")))
    if stop.public_notes:
        lines.append(esc(stop.public_notes))
    if stop.private_notes:
        lines.append(esc(_("Private notes: %(notes)s") % {"notes": stop.private_notes}))
    for host in hosts.get(stop.id, ()):
        label = _("Host") if host.is_approved else _("Host (not confirmed)")
        contact = join(host.contact_name, host.phone, host.email, separator=", ")
        lines.append(f"{esc(label)}: <b>{esc(host.organization)}</b>, {esc(contact)}")
    return "<br/>".join(lines)


def _leg_markup(leg: LegItem, unit: str, *, personal: bool) -> str:
    head = _("Leave for %(place)s") % {"place": leg.destination.place_name}
    lines = [
        f"<b>{esc(head)}</b>",
        esc(_("Arrive %(when)s") % {"when": when(leg.arrival)}),
        esc(drive_summary(leg, unit)),
    ]
    if leg.in_border_zone:
        lines.append(esc(_("This drive passes through the 100-mile border zone.")))
    for checkpoint in leg.checkpoints:
        lines.append(
            esc(_("Border Patrol checkpoint: %(checkpoint)s") % {"checkpoint": checkpoint})
        )
    for vehicle in leg.vehicles:
        label = _("Your vehicle") if personal else _("Vehicle")
        name = join(vehicle.vehicle.name, vehicle.vehicle.plate, separator=", ")
        drivers = ", ".join(vehicle.drivers) or _("no driver assigned yet")
        text = _("%(label)s: %(vehicle)s; driver: %(drivers)s") % {
            "label": label,
            "vehicle": name,
            "drivers": drivers,
        }
        if not personal:
            text += "; " + ngettext(
                "%(count)d passenger", "%(count)d passengers", vehicle.passengers
            ) % {"count": vehicle.passengers}
        lines.append(esc(text))
    return "<br/>".join(lines)


def _activity_markup(activity: ActivityItem, *, team: bool) -> str:
    title = f"<b>{esc(activity.title)}</b> · {esc(activity.kind_label)}"
    if team and not activity.is_public:
        not_public = _("not public")  # outside the f-string, where makemessages finds it
        title += f" · {esc(not_public)}"
    lines = [title]
    where = join(activity.venue, activity.address, separator=", ")
    if where:
        lines.append(esc(where))
    if activity.description:
        lines.append(esc(activity.description))
    if activity.private_notes:
        lines.append(esc(_("Private notes: %(notes)s") % {"notes": activity.private_notes}))
    return "<br/>".join(lines)


def _night_markup(night: NightItem, *, personal: bool) -> str:
    head = _("Night in %(place)s") % {"place": night.stop.place_name}
    lines = [f"<b>{esc(head)}</b>"]
    if personal:
        if night.bed is not None:
            bed = _("You sleep at: %(lodging)s") % {"lodging": lodging_line(night.bed)}
            lines.append(esc(bed))
        else:
            lines.append(esc(_("Your bed is not assigned yet: ask a coordinator.")))
        return "<br/>".join(lines)
    for lodging in night.lodgings:
        beds = ngettext("%(count)d bed", "%(count)d beds", lodging.capacity) % {
            "count": lodging.capacity
        }
        lines.append(esc(join(lodging_line(lodging), beds, separator=", ")))
    if night.headcount is not None:
        sleepers = ngettext(
            "%(count)d person sleeps here", "%(count)d people sleep here", night.headcount
        ) % {"count": night.headcount}
        lines.append(esc(sleepers))
        if not night.lodgings:
            lines.append(esc(_("No lodging booked for this night.")))
    return "<br/>".join(lines)


def entry_row(
    entry: DayEntry,
    *,
    unit: str,
    team: bool = False,
    personal: bool = False,
    hosts: Mapping[int, tuple[HostContact, ...]] | None = None,
) -> list[Paragraph]:
    s = styles()
    item = entry.item
    if entry.kind == EntryKind.ARRIVAL:
        at, markup = clock(item.arrival), _stop_markup(item, hosts or {})
    elif entry.kind == EntryKind.DEPARTURE:
        at, markup = clock(item.departure), _leg_markup(item, unit, personal=personal)
    elif entry.kind == EntryKind.ACTIVITY:
        at = clock_span(item.starts_at, item.ends_at, separator="\n– ")
        markup = _activity_markup(item, team=team)
    else:
        at, markup = _("Night"), _night_markup(item, personal=personal)
    return [at, rich(markup, s.cell)]


def day_table(day: Day, width: float, **options) -> Flowable:
    rows = [entry_row(entry, **options) for entry in day.entries]
    return grid(rows, [0.2 * width, 0.8 * width], header=False, bold_columns=(0,))
