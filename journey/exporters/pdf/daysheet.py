"""The day sheet for the host of one stop: times, head counts and needs, no names.

From ``journey.itinerary.host_day_sheet``: arrival and departure, the drives
arriving and leaving, the day's timeline (arrival, activities, meals with their
counts, departure) in local time, each night's head count with counts of
dietary and accessibility needs, the lodgings at the stop, the local contacts
and the coordinators to call. The data holds no participant's name, so none can be
printed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from django.utils.translation import gettext as _
from reportlab.platypus import Flowable, Spacer

from journey.exporters import ExportRequest
from journey.exporters.pdf.base import (
    PdfDocument,
    PdfExporter,
    esc,
    grid,
    join,
    para,
    rich,
    short_date,
    styles,
    when,
    when_span,
)
from journey.exporters.pdf.booklet import contacts_table
from journey.exporters.pdf.contacts import local_contacts
from journey.exporters.pdf.days import drive_summary, lodging_line, meal_markup, needs_text
from journey.itinerary import Audience, HostDaySheet, host_day_sheet
from journey.plan import Plan


def timeline(data: HostDaySheet) -> list[tuple[datetime, str, str]]:
    """The visit in time order: (moment, when as printed, what as markup): the arrival,
    activities, meals and the departure, each in the stop's local time."""
    stop = data.stop
    rows = [(stop.arrival, when(stop.arrival), "<b>" + esc(_("The caravan arrives")) + "</b>")]
    for activity in data.activities:
        what = f"<b>{esc(activity.title)}</b> · {esc(activity.kind_label)}"
        place = join(activity.venue, activity.address, separator=", ")
        if place:
            what += f"<br/>{esc(place)}"
        rows.append((activity.starts_at, when_span(activity.starts_at, activity.ends_at), what))
    for meal in data.meals:
        rows.append((meal.starts_at, when(meal.starts_at), meal_markup(meal)))
    leaves = "<b>" + esc(_("The caravan leaves")) + "</b>"
    rows.append((stop.departure, when(stop.departure), leaves))
    # Stable: at the same minute, the arrival first and the departure last.
    return sorted(rows, key=lambda row: row[0])


class DaySheetPdf(PdfExporter):
    document = "daysheet"
    # Coordinators print it for their hosts (TEAM); HOST is the host's own view.
    audiences = frozenset({Audience.TEAM, Audience.HOST})
    needs_stop = True

    def gather(self, plan: Plan, request: ExportRequest) -> HostDaySheet:
        sheet = host_day_sheet(plan, request.stop.pk)
        local = local_contacts([request.stop.pk]).get(request.stop.pk, ())
        return replace(sheet, local_contacts=local)

    def make_document(self, data: HostDaySheet) -> PdfDocument:
        return PdfDocument(
            journey_name=data.journey.name,
            title=_("Day sheet for hosts: %(place)s") % {"place": data.stop.place_name},
            home_timezone=data.journey.home_timezone,
        )

    def story(self, data: HostDaySheet, doc: PdfDocument) -> list[Flowable]:
        s = styles()
        stop = data.stop
        width = doc.frame_width
        unit = data.journey.distance_unit
        story: list[Flowable] = [
            para(_("Day sheet for hosts"), s.muted),
            para(stop.place_name, s.cover_title),
        ]
        where = join(stop.venue, stop.address, separator=", ")
        if where:
            story.append(para(where, s.big))
        if stop.is_cancelled:
            story.append(para(_("This stop is cancelled."), s.alert))
        rows = [
            [_("Arrival"), when(stop.arrival)],
            [_("Departure"), when(stop.departure)],
        ]
        for leg in data.incoming:
            rows.append(
                [
                    _("Coming from"),
                    para(
                        join(
                            leg.origin.place_name,
                            _("leaves %(when)s") % {"when": when(leg.departure)},
                            drive_summary(leg, unit),
                        ),
                        s.cell,
                    ),
                ]
            )
        for leg in data.outgoing:
            rows.append(
                [
                    _("Going to"),
                    para(
                        join(
                            leg.destination.place_name,
                            _("arrives %(when)s") % {"when": when(leg.arrival)},
                            drive_summary(leg, unit),
                        ),
                        s.cell,
                    ),
                ]
            )
        if stop.public_notes:
            rows.append([_("Notes"), para(stop.public_notes, s.cell)])
        story += [
            Spacer(1, 4),
            grid(rows, [0.22 * width, 0.78 * width], header=False, bold_columns=(0,)),
        ]

        story.append(para(_("People each night"), s.h1))
        if data.nights:
            nights = [
                [
                    _("Night"),
                    _("People"),
                    _("Dietary needs"),
                    _("Accessibility needs"),
                ]
            ]
            for night in data.nights:
                nights.append(
                    [
                        short_date(night.date),
                        str(night.headcount),
                        para(needs_text(night.dietary_needs), s.cell),
                        para(needs_text(night.accessibility_needs), s.cell),
                    ]
                )
            story.append(grid(nights, [0.18 * width, 0.12 * width, 0.35 * width, 0.35 * width]))
            story.append(para(_("Counts only: the names stay with the coordinators."), s.muted))
        else:
            story.append(para(_("Nobody spends the night here."), s.body))

        story.append(para(_("The day"), s.h1))
        rows = [[_("When"), _("What")]]
        for _moment, shown, markup in timeline(data):
            rows.append([shown, rich(markup, s.cell)])
        story.append(grid(rows, [0.34 * width, 0.66 * width]))

        if data.lodgings:
            story.append(para(_("Lodging"), s.h1))
            rows = [
                [
                    _("Where"),
                    _("Beds"),
                    _("Check-in"),
                    _("Check-out"),
                ]
            ]
            for lodging in data.lodgings:
                where = esc(lodging_line(lodging))
                if lodging.accessibility_notes:
                    where += f"<br/>{esc(lodging.accessibility_notes)}"
                rows.append(
                    [
                        rich(where, s.cell),
                        str(lodging.capacity),
                        when(lodging.check_in),
                        when(lodging.check_out),
                    ]
                )
            story.append(grid(rows, [0.46 * width, 0.1 * width, 0.22 * width, 0.22 * width]))

        if data.local_contacts:
            story.append(para(_("Local contacts"), s.h1))
            rows = [[_("Who"), _("Phone")]]
            for contact in data.local_contacts:
                who = f"<b>{esc(contact.name)}</b> · {esc(contact.kind_label)}"
                if contact.notes:
                    who += f"<br/>{esc(contact.notes)}"
                rows.append([rich(who, s.cell), contact.phone])
            story.append(grid(rows, [0.7 * width, 0.3 * width]))

        story.append(para(_("Coordinators to call"), s.h1))
        if data.contacts:
            story.append(contacts_table(data.contacts, width))
        else:
            story.append(para(_("No coordinator phone is on file yet."), s.body))
        return story
