"""Confidential team lists as CSV: the rooming list and the vehicle manifest.

Both hold names, phones and addresses, so both are team only and say so in
their first row. Files are UTF-8 with a byte-order mark, which Excel needs to
read accents right; dates are ISO (sortable) and times are local to each stop
with the zone's abbreviation. A cell that a spreadsheet would run as a formula
(``=``, ``+``, ``-``, ``@``, tab, carriage return) starts with ``'`` (``safe_cell``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from journey.exporters import Exporter, ExportRequest
from journey.itinerary import Audience, ManifestLeg, RoomingNight, manifest, rooming_list
from journey.plan import Plan


def _local(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M %Z")


# A cell starting with one of these is read as a formula by spreadsheets (OWASP, "CSV
# injection"): a host's organization "=HYPERLINK(...)" would become a live link.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The text of one CSV cell, with a leading ``'`` when a spreadsheet would run it.

    Phone numbers such as ``+1 555 0100`` are neutralised this way too, never refused: the
    spreadsheet shows them as text.
    """
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def write_csv(header: list[str], rows: Iterable[list[str]]) -> bytes:
    """Every CSV export is written here, so every cell goes through ``safe_cell``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    lines = [
        [_("CONFIDENTIAL: team only. Holds names, phones and addresses; do not share.")],
        header,
        *rows,
    ]
    writer.writerows([safe_cell(cell) for cell in line] for line in lines)
    return buffer.getvalue().encode("utf-8-sig")


class RoomingListCsv(Exporter):
    format = "csv"
    document = "rooming"
    content_type = "text/csv; charset=utf-8"
    extension = "csv"
    audiences = frozenset({Audience.TEAM})
    uses_stop = True

    def gather(self, plan: Plan, request: ExportRequest) -> tuple[RoomingNight, ...]:
        return rooming_list(plan, stop_id=request.stop.pk if request.stop else None)

    def render(self, data: tuple[RoomingNight, ...], *, language: str) -> bytes:
        with translation.override(language):
            header = [
                pgettext("CSV column", "Night"),
                pgettext("CSV column", "Stop"),
                pgettext("CSV column", "Lodging"),
                pgettext("CSV column", "Address"),
                pgettext("CSV column", "Name"),
                pgettext("CSV column", "Full name"),
                pgettext("CSV column", "Phone"),
                pgettext("CSV column", "Dietary needs"),
                pgettext("CSV column", "Accessibility needs"),
            ]
            rows = []
            for entry in data:
                where = [
                    entry.night.isoformat(),
                    entry.stop.place_name,
                    entry.lodging.name,
                    entry.lodging.address,
                ]
                if not entry.sleepers:
                    rows.append([*where, "", "", "", "", ""])
                for person in entry.sleepers:
                    rows.append(
                        [
                            *where,
                            person.display_name,
                            person.full_name,
                            person.phone,
                            person.dietary_needs,
                            person.accessibility_needs,
                        ]
                    )
            return write_csv(header, rows)


class ManifestCsv(Exporter):
    format = "csv"
    document = "manifest"
    content_type = "text/csv; charset=utf-8"
    extension = "csv"
    audiences = frozenset({Audience.TEAM})
    uses_stop = True

    def gather(self, plan: Plan, request: ExportRequest) -> tuple[ManifestLeg, ...]:
        return manifest(plan, stop_id=request.stop.pk if request.stop else None)

    def render(self, data: tuple[ManifestLeg, ...], *, language: str) -> bytes:
        with translation.override(language):
            header = [
                pgettext("CSV column", "Departure"),
                pgettext("CSV column", "From"),
                pgettext("CSV column", "To"),
                pgettext("CSV column", "Vehicle"),
                pgettext("CSV column", "Plate"),
                pgettext("CSV column", "Role"),
                pgettext("CSV column", "Name"),
                pgettext("CSV column", "Full name"),
                pgettext("CSV column", "Phone"),
                pgettext("CSV column", "Emergency contact"),
                pgettext("CSV column", "Emergency phone"),
            ]
            rows = []
            for entry in data:
                leg = entry.leg
                where = [
                    _local(leg.departure),
                    leg.origin.place_name,
                    leg.destination.place_name,
                    entry.vehicle.name,
                    entry.vehicle.plate,
                ]
                people = [(pgettext("role in a vehicle", "Driver"), p) for p in entry.drivers]
                people += [
                    (pgettext("role in a vehicle", "Passenger"), p) for p in entry.passengers
                ]
                for role, person in people:
                    rows.append(
                        [
                            *where,
                            role,
                            person.display_name,
                            person.full_name,
                            person.phone,
                            person.emergency_contact_name,
                            person.emergency_contact_phone,
                        ]
                    )
            return write_csv(header, rows)
