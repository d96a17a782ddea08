"""The journey booklet: a cover with the route map, the stops, then day by day.

Two editions from the same code:

* public (a published journey): public stops and activities, times and
  distances; no lodging, names, phones, vehicles or private notes, because
  the public itinerary holds none;
* team: everything the team itinerary holds (cancelled stops marked, private
  notes, lodgings with addresses and head counts, vehicles and drivers) plus
  the coordinators and the hosts of each stop; marked confidential.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer

from journey.exporters import ExportRequest
from journey.exporters.pdf.base import (
    PdfDocument,
    PdfExporter,
    clock,
    date_range,
    esc,
    grid,
    join,
    long_date,
    para,
    rich,
    styles,
    when,
)
from journey.exporters.pdf.contacts import HostContact, host_contacts
from journey.exporters.pdf.days import day_table, meal_markup, where_on
from journey.exporters.pdf.routemap import RouteMap
from journey.formatting import format_distance
from journey.itinerary import Audience, ContactItem, Itinerary, build_itinerary
from journey.meals import MealItem, meal_items
from journey.plan import Plan


@dataclass(frozen=True)
class BookletData:
    itinerary: Itinerary
    hosts: dict[int, tuple[HostContact, ...]] = field(default_factory=dict)  # team only
    meals: tuple[MealItem, ...] = ()  # team only

    @property
    def is_team(self) -> bool:
        return self.itinerary.audience == Audience.TEAM


def contacts_table(contacts: tuple[ContactItem, ...], width: float) -> Flowable:
    s = styles()
    rows = [
        [
            _("Coordinator"),
            _("Phone"),
            _("Email"),
        ]
    ]
    rows += [[para(c.name, s.cell), c.phone, para(c.email, s.cell)] for c in contacts]
    return grid(rows, [0.35 * width, 0.3 * width, 0.35 * width])


def _keep_with_next(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_kwn", parent=style, keepWithNext=1)


class BookletPdf(PdfExporter):
    document = "booklet"
    audiences = frozenset({Audience.PUBLIC, Audience.TEAM})

    def gather(self, plan: Plan, request: ExportRequest) -> BookletData:
        itinerary = build_itinerary(plan, audience=request.audience)
        hosts, meals = {}, ()
        if itinerary.audience == Audience.TEAM:
            hosts = host_contacts(plan.journey.pk, [s.id for s in itinerary.stops])
            meals = meal_items(plan, with_notes=True)
        return BookletData(itinerary, hosts, meals)

    def make_document(self, data: BookletData) -> PdfDocument:
        title = _("Journey booklet (team copy)") if data.is_team else _("Journey booklet")
        return PdfDocument(
            journey_name=data.itinerary.journey.name,
            title=title,
            home_timezone=data.itinerary.journey.home_timezone,
            confidential=data.is_team,
        )

    def story(self, data: BookletData, doc: PdfDocument) -> list[Flowable]:
        itinerary = data.itinerary
        story = self._cover(data, doc)
        if data.is_team and itinerary.contacts:
            story += [
                CondPageBreak(120),
                para(_("Coordinators to call"), styles().h1),
                contacts_table(itinerary.contacts, doc.frame_width),
            ]
        if itinerary.stops:
            story += [CondPageBreak(140), para(_("Stops"), styles().h1), self._stops(data, doc)]
        if itinerary.days:
            story += [PageBreak(), para(_("Day by day"), styles().h1)]
            story += self._days(data, doc)
        return story

    def _cover(self, data: BookletData, doc: PdfDocument) -> list[Flowable]:
        s = styles()
        itinerary = data.itinerary
        journey = itinerary.journey
        story: list[Flowable] = [para(journey.name, s.cover_title)]
        if journey.description:
            story.append(para(journey.description, s.cover_subtitle))
        if not itinerary.stops:
            story.append(para(_("No stops to show yet."), s.big))
            return story
        distance = sum(leg.distance_km for leg in itinerary.legs)
        stops = [stop for stop in itinerary.stops if not stop.is_cancelled]
        facts = join(
            date_range(itinerary.first_date, itinerary.last_date),
            ngettext("%(count)d stop", "%(count)d stops", len(stops)) % {"count": len(stops)},
            format_distance(distance, journey.distance_unit),
        )
        story.append(para(facts, s.big))
        edition = (
            _("Team copy: everything, with lodging, people and private notes.")
            if data.is_team
            else _("Public edition: public stops and activities only.")
        )
        story.append(para(edition, s.muted))
        story.append(
            para(
                _("Every time is the local time of the place, with its time zone."),
                s.muted,
            )
        )
        story.append(Spacer(1, 8))
        story.append(RouteMap(itinerary.stops, itinerary.legs, max_height=doc.frame_height))
        return story

    def _stops(self, data: BookletData, doc: PdfDocument) -> Flowable:
        s = styles()
        width = doc.frame_width
        rows = [
            [
                "#",
                _("Place"),
                _("Arrives"),
                _("Leaves"),
                _("Nights"),
            ]
        ]
        number = 0
        for stop in data.itinerary.stops:
            if stop.is_cancelled:
                place = (
                    f"<b>{esc(stop.place_name)}</b> "
                    f"<font color='#b00020'>{esc(_('Cancelled'))}</font>"
                )
                mark = ""
            else:
                number += 1
                place = f"<b>{esc(stop.place_name)}</b>"
                mark = str(number)
            details = join(stop.venue, stop.kind_label if stop.kind != "overnight" else "")
            if details:
                place += f"<br/><font size='7.5' color='#5b636b'>{esc(details)}</font>"
            rows.append(
                [
                    mark,
                    rich(place, s.cell),
                    when(stop.arrival),
                    when(stop.departure),
                    str(len(stop.nights)) if stop.nights else "",
                ]
            )
        return grid(
            rows, [0.06 * width, 0.42 * width, 0.2 * width, 0.2 * width, 0.12 * width], zebra=True
        )

    def _days(self, data: BookletData, doc: PdfDocument) -> list[Flowable]:
        s = styles()
        itinerary = data.itinerary
        heading = _keep_with_next(s.h2)
        place = _keep_with_next(s.muted)
        story: list[Flowable] = []
        meals_by_day = defaultdict(list)
        for meal in data.meals:
            meals_by_day[meal.starts_at.date()].append(meal)
        for day in itinerary.days:
            story.append(para(long_date(day.date), heading))
            where = where_on(itinerary, day.date)
            if where:
                story.append(para(where, place))
            story.append(
                day_table(
                    day,
                    doc.frame_width,
                    unit=itinerary.journey.distance_unit,
                    team=data.is_team,
                    hosts=data.hosts,
                )
            )
            meals = meals_by_day.get(day.date)
            if meals:
                lines = [f"{esc(clock(meal.starts_at))} · {meal_markup(meal)}" for meal in meals]
                story.append(rich("<br/>".join(lines), s.cell))
        return story
