"""The vehicle manifest (confidential, team only): who rides in each vehicle on each leg.

From ``journey.itinerary.manifest``: per vehicle per leg, by departure, the
drivers then the passengers, with phone and emergency contact. It holds names
and phones, hence the red line on every page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.platypus import Flowable, KeepTogether

from journey.exporters import ExportRequest
from journey.exporters.pdf.base import (
    PdfDocument,
    PdfExporter,
    grid,
    join,
    para,
    styles,
    when,
)
from journey.exporters.pdf.days import drive_summary
from journey.itinerary import Audience, JourneyInfo, ManifestLeg, journey_info, manifest
from journey.plan import Plan


@dataclass(frozen=True)
class ManifestData:
    journey: JourneyInfo
    legs: tuple[ManifestLeg, ...]


class ManifestPdf(PdfExporter):
    document = "manifest"
    audiences = frozenset({Audience.TEAM})
    uses_stop = True

    def gather(self, plan: Plan, request: ExportRequest) -> ManifestData:
        stop_id = request.stop.pk if request.stop else None
        return ManifestData(journey_info(plan), manifest(plan, stop_id=stop_id))

    def make_document(self, data: ManifestData) -> PdfDocument:
        return PdfDocument(
            journey_name=data.journey.name,
            title=_("Vehicle manifest"),
            home_timezone=data.journey.home_timezone,
            confidential=True,
        )

    def story(self, data: ManifestData, doc: PdfDocument) -> list[Flowable]:
        s = styles()
        width = doc.frame_width
        story: list[Flowable] = [para(_("Vehicle manifest"), s.title)]
        if not data.legs:
            story.append(para(_("Nobody is assigned to a vehicle yet."), s.body))
            return story
        for entry in data.legs:
            leg, vehicle = entry.leg, entry.vehicle
            heading = para(
                join(
                    join(vehicle.name, vehicle.plate, separator=", "),
                    join(leg.origin.place_name, leg.destination.place_name, separator=" → "),
                ),
                s.h2,
            )
            times = para(
                join(
                    _("Leaves %(when)s") % {"when": when(leg.departure)},
                    _("arrives %(when)s") % {"when": when(leg.arrival)},
                    drive_summary(leg, data.journey.distance_unit),
                ),
                s.muted,
            )
            rows = [
                [
                    _("Role"),
                    _("Name"),
                    _("Full name"),
                    _("Phone"),
                    _("Emergency contact"),
                ]
            ]
            people = [(pgettext("role in a vehicle", "Driver"), p) for p in entry.drivers]
            people += [(pgettext("role in a vehicle", "Passenger"), p) for p in entry.passengers]
            for role, person in people:
                emergency = join(
                    person.emergency_contact_name, person.emergency_contact_phone, separator=", "
                )
                rows.append(
                    [
                        role,
                        para(person.display_name, s.cell_bold),
                        para(person.full_name, s.cell),
                        person.phone,
                        para(emergency, s.cell),
                    ]
                )
            table = grid(
                rows,
                [0.13 * width, 0.17 * width, 0.24 * width, 0.17 * width, 0.29 * width],
                zebra=True,
            )
            story.append(KeepTogether([heading, times, table]))
        return story
