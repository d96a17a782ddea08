"""The rooming list (confidential, team only): who sleeps where, each lodging each night.

From ``journey.itinerary.rooming_list``: every lodging and booked night, also
those with nobody assigned yet, by night then lodging. It holds names, phones
and needs, hence the red line on every page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.platypus import Flowable, KeepTogether

from journey.exporters import ExportRequest
from journey.exporters.pdf.base import (
    PdfDocument,
    PdfExporter,
    grid,
    join,
    long_date,
    para,
    styles,
)
from journey.itinerary import Audience, JourneyInfo, RoomingNight, journey_info, rooming_list
from journey.plan import Plan


@dataclass(frozen=True)
class RoomingData:
    journey: JourneyInfo
    nights: tuple[RoomingNight, ...]


class RoomingListPdf(PdfExporter):
    document = "rooming"
    audiences = frozenset({Audience.TEAM})
    uses_stop = True

    def gather(self, plan: Plan, request: ExportRequest) -> RoomingData:
        stop_id = request.stop.pk if request.stop else None
        return RoomingData(journey_info(plan), rooming_list(plan, stop_id=stop_id))

    def make_document(self, data: RoomingData) -> PdfDocument:
        return PdfDocument(
            journey_name=data.journey.name,
            title=_("Rooming list"),
            home_timezone=data.journey.home_timezone,
            confidential=True,
        )

    def story(self, data: RoomingData, doc: PdfDocument) -> list[Flowable]:
        s = styles()
        width = doc.frame_width
        story: list[Flowable] = [para(_("Rooming list"), s.title)]
        if not data.nights:
            story.append(para(_("No lodging is booked yet."), s.body))
            return story
        current = None
        for entry in data.nights:
            if entry.night != current:
                current = entry.night
                story.append(para(_("Night of %(date)s") % {"date": long_date(entry.night)}, s.h1))
            lodging = entry.lodging
            taken = len(entry.sleepers)
            beds = ngettext(
                "%(taken)d of %(count)d bed taken",
                "%(taken)d of %(count)d beds taken",
                lodging.capacity,
            ) % {"taken": taken, "count": lodging.capacity}
            heading = para(join(lodging.name, entry.stop.place_name, beds), s.h2)
            address = para(join(lodging.address, lodging.kind_label, separator=", "), s.muted)
            if not entry.sleepers:
                story.append(
                    KeepTogether([heading, address, para(_("Nobody assigned yet."), s.body)])
                )
                continue
            rows = [
                [
                    _("Name"),
                    _("Full name"),
                    _("Phone"),
                    _("Dietary needs"),
                    _("Accessibility needs"),
                ]
            ]
            for person in entry.sleepers:
                rows.append(
                    [
                        para(person.display_name, s.cell_bold),
                        para(person.full_name, s.cell),
                        person.phone,
                        para(person.dietary_needs, s.cell),
                        para(person.accessibility_needs, s.cell),
                    ]
                )
            table = grid(
                rows,
                [0.18 * width, 0.25 * width, 0.17 * width, 0.2 * width, 0.2 * width],
                zebra=True,
            )
            story.append(KeepTogether([heading, address, table]))
        return story
