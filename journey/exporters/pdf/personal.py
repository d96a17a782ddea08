"""One participant's itinerary, to print and carry: one page per day, in their language.

Paper: US Letter (the default in the United States), one day per page. The
most important lines (date, where, times, bed, who to call) come first, so a
page folded in half and in half again (4.25 x 5.5 in; marks in the margins)
shows them on the outside and fits a pocket.

The first page holds a QR code of the participant's personal calendar feed
(``/my/<token>/calendar.ics``: a phone that scans it subscribes and gets
updates without asking for much data) with that address written out, both as
https and webcal; there is no HTML "my itinerary" page yet. Each day page
repeats the code small. Then the coordinators to call, and the local
rapid-response, legal-aid and medical numbers of the participant's stops.

When the segment meets the 100-mile border zone or passes a Border Patrol
checkpoint (``journey.border.touches_border_zone``), the know-your-rights sheet
of ``journey.kyr`` closes the document, in the reader's language (English,
Spanish or Haitian Creole; others read English), with its notice, the places in the zone and the
checkpoints on the way.

Only the participant's segment is printed: ``build_itinerary`` with
``Audience.PERSONAL`` gives nothing else.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from journey.border import touches_border_zone
from journey.exporters import ExportRequest, fallback_note
from journey.exporters.pdf.base import (
    CELL_SIZE,
    FONT,
    SHADE,
    PdfDocument,
    PdfExporter,
    esc,
    grid,
    join,
    long_date,
    para,
    rich,
    short_date,
    styles,
)
from journey.exporters.pdf.booklet import contacts_table
from journey.exporters.pdf.contacts import LocalContactItem, local_contacts
from journey.exporters.pdf.days import day_table, where_on
from journey.itinerary import Audience, Itinerary, StopVisit, build_itinerary
from journey.kyr import know_your_rights_sheet
from journey.plan import Plan
from journey.tokens import SubscriptionUrls


@dataclass(frozen=True)
class PersonalExportRequest(ExportRequest):
    """A personal export that knows the participant's links (a view builds them from
    the request it answers). Without it, links come from ``settings.SITE_URL``."""

    links: SubscriptionUrls | None = None


@dataclass(frozen=True)
class PersonalData:
    itinerary: Itinerary
    links: SubscriptionUrls | None  # None: the link is revoked or no site address is known
    local_contacts: dict[int, tuple[LocalContactItem, ...]] = field(default_factory=dict)
    # The segment meets the border zone or passes a checkpoint (journey.border.touches_border_zone).
    in_border_zone: bool = False
    # For a reader of French or Portuguese: the line saying, in their language, that it is English.
    language_note: str = ""


def links_from_settings(participant) -> SubscriptionUrls | None:
    """The personal feed's URLs from ``settings.SITE_URL`` ("https://caravana.example.org"),
    for exports made outside a request (the command line)."""
    base = getattr(settings, "SITE_URL", "") or ""
    if not base or not participant.secret_token:
        return None
    path = reverse("journey:personal_feed", kwargs={"token": participant.secret_token})
    url = base.rstrip("/") + path
    return SubscriptionUrls(https=url, webcal="webcal://" + url.split("://", 1)[1])


# --- QR code ---------------------------------------------------------------------------------

QR_UNITS = 100.0  # the QR form is drawn in a 100 x 100 box, then scaled


class QrCode(Flowable):
    """A QR code drawn once per document as a form XObject ("FormXob.qr<hash>") and
    placed on every page that shows it (a few hundred bytes each time)."""

    def __init__(self, value: str, size: float):
        super().__init__()
        self.value = value
        self.size = size
        self.width = self.height = size
        self.form_name = "qr" + hashlib.sha1(value.encode()).hexdigest()[:12]

    def wrap(self, avail_width, avail_height):
        return self.size, self.size

    def _define(self) -> None:
        canvas = self.canv
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(self.value)
        code.make()
        count = code.getModuleCount()
        quiet = 2  # modules of white margin (the box around is white too)
        cell = QR_UNITS / (count + 2 * quiet)
        canvas.beginForm(self.form_name, 0, 0, QR_UNITS, QR_UNITS)
        canvas.setFillColor(colors.white)
        canvas.rect(0, 0, QR_UNITS, QR_UNITS, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        for row_index, row in enumerate(code.modules):
            y = QR_UNITS - (row_index + quiet + 1) * cell
            column = 0
            while column < count:
                if row[column]:
                    start = column
                    while column < count and row[column]:
                        column += 1
                    canvas.rect(
                        (start + quiet) * cell,
                        y,
                        (column - start) * cell,
                        cell * 1.02,
                        stroke=0,
                        fill=1,
                    )
                else:
                    column += 1
        canvas.endForm()

    def draw(self):
        if not self.canv.hasForm(self.form_name):
            self._define()
        self.canv.saveState()
        self.canv.scale(self.size / QR_UNITS, self.size / QR_UNITS)
        self.canv.doForm(self.form_name)
        self.canv.restoreState()


# --- the document ------------------------------------------------------------------------------


class PersonalPdf(PdfExporter):
    document = "personal"
    audiences = frozenset({Audience.PERSONAL})

    def gather(self, plan: Plan, request: ExportRequest) -> PersonalData:
        itinerary = build_itinerary(
            plan, audience=Audience.PERSONAL, participant=request.participant
        )
        if isinstance(request, PersonalExportRequest):
            links = request.links
        else:
            links = links_from_settings(request.participant)
        contacts = local_contacts(s.id for s in itinerary.stops)
        segment = plan.segment(request.participant)  # cached by pk: any copy will do
        in_zone = segment is not None and touches_border_zone(segment)
        note = fallback_note(request.participant.language)
        return PersonalData(itinerary, links, contacts, in_zone, language_note=note)

    def make_document(self, data: PersonalData) -> PdfDocument:
        name = data.itinerary.participant.display_name
        return PdfDocument(
            journey_name=data.itinerary.journey.name,
            title=_("Itinerary of %(name)s") % {"name": name},
            home_timezone=data.itinerary.journey.home_timezone,
            fold_marks=True,
        )

    def story(self, data: PersonalData, doc: PdfDocument) -> list[Flowable]:
        story = self._first_page(data, doc)
        days = data.itinerary.days
        for number, day in enumerate(days, start=1):
            story.append(PageBreak())
            story += self._day_page(data, doc, day, number, len(days))
        if data.in_border_zone:
            story.append(PageBreak())
            story += self._rights(data)
        return story

    # pages ------------------------------------------------------------------------------

    def _first_page(self, data: PersonalData, doc: PdfDocument) -> list[Flowable]:
        s = styles()
        itinerary = data.itinerary
        name = itinerary.participant.display_name
        story: list[Flowable] = [para(data.language_note, s.muted)] if data.language_note else []
        story += [
            para(_("Itinerary of %(name)s") % {"name": name}, s.cover_title),
            para(itinerary.journey.name, s.cover_subtitle),
        ]
        stops = [stop for stop in itinerary.stops if not stop.is_cancelled]
        if stops:
            first, last = stops[0], stops[-1]
            story.append(
                para(
                    _("From %(start)s (%(start_date)s) to %(end)s (%(end_date)s)")
                    % {
                        "start": first.place_name,
                        "start_date": short_date(first.arrival.date()),
                        "end": last.place_name,
                        "end_date": short_date(last.departure.date()),
                    },
                    s.big,
                )
            )
        else:
            story.append(para(_("You are not on a route of this journey yet."), s.big))
        story.append(
            para(
                _(
                    "One page per day. Every time is the local time of the place, with its "
                    "time zone. Fold a page in half, then in half again, to carry it in a pocket."
                ),
                s.muted,
            )
        )
        story.append(Spacer(1, 6))
        story.append(self._links_block(data, doc, large=True))
        if data.in_border_zone:
            story.append(
                para(
                    _(
                        "Part of your trip is in the 100-mile border zone or passes a Border "
                        "Patrol checkpoint. Read your rights at the end of this itinerary and "
                        "keep them with you."
                    ),
                    s.alert,
                )
            )
        story += self._who_to_call(data, doc, stops)
        return story

    def _links_block(self, data: PersonalData, doc: PdfDocument, *, large: bool) -> Flowable:
        s = styles()
        if data.links is None:
            return para(_("Ask a coordinator for the link to your itinerary and calendar."), s.body)
        size = 118 if large else 64
        text = [
            para(
                _(
                    "Scan the code with your phone to add your itinerary to its calendar. "
                    "It updates itself when the plan changes and uses very little data."
                )
                if large
                else _("Your calendar (scan the code):"),
                s.body if large else s.small,
            ),
            para(_("Calendar link:"), s.cell_bold),
            para(data.links.https, s.url),
            para(_("Subscribe:"), s.cell_bold),
            para(data.links.webcal, s.url),
        ]
        table = Table(
            [[QrCode(data.links.https, size), text]],
            colWidths=[size + 10, doc.frame_width - size - 10],
            hAlign="LEFT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, CELL_SIZE),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("BACKGROUND", (1, 0), (1, 0), SHADE if large else colors.white),
                    ("LEFTPADDING", (1, 0), (1, 0), 6),
                ]
            )
        )
        return table

    def _who_to_call(
        self, data: PersonalData, doc: PdfDocument, stops: list[StopVisit]
    ) -> list[Flowable]:
        s = styles()
        story: list[Flowable] = []
        if data.itinerary.contacts:
            story += [
                para(_("Who to call"), s.h2),
                contacts_table(data.itinerary.contacts, doc.frame_width),
            ]
        rows = [
            [
                _("Place"),
                _("Local help"),
                _("Phone"),
            ]
        ]
        for stop in stops:
            for contact in data.local_contacts.get(stop.id, ()):
                what = f"<b>{esc(contact.kind_label)}</b>: {esc(contact.name)}"
                if contact.notes:
                    what += f"<br/>{esc(contact.notes)}"
                rows.append(
                    [
                        para(stop.place_name, s.cell),
                        rich(what, s.cell),
                        contact.phone,
                    ]
                )
        if len(rows) > 1:
            width = doc.frame_width
            story += [
                para(_("Local help at your stops"), s.h2),
                grid(rows, [0.28 * width, 0.47 * width, 0.25 * width], bold_columns=(2,)),
            ]
        return story

    def _day_page(
        self, data: PersonalData, doc: PdfDocument, day, number: int, total: int
    ) -> list[Flowable]:
        s = styles()
        itinerary = data.itinerary
        story: list[Flowable] = [
            para(_("Day %(number)d of %(total)d") % {"number": number, "total": total}, s.muted),
            para(long_date(day.date), s.title),
        ]
        where = where_on(itinerary, day.date)
        if where:
            story.append(para(where, s.big))
        story.append(
            day_table(day, doc.frame_width, unit=itinerary.journey.distance_unit, personal=True)
        )
        today = [
            stop
            for stop in itinerary.stops
            if not stop.is_cancelled and stop.arrival.date() <= day.date <= stop.departure.date()
        ]
        calls = []
        for contact in itinerary.contacts:
            calls.append(
                f"{esc(_('Coordinator'))}: <b>{esc(contact.name)}</b> {esc(contact.phone)}"
            )
        for stop in today:
            for contact in data.local_contacts.get(stop.id, ()):
                calls.append(
                    f"{esc(contact.kind_label)} ({esc(stop.city)}): "
                    f"<b>{esc(contact.name)}</b> {esc(contact.phone)}"
                )
        block: list[Flowable] = [Spacer(1, 8)]
        if calls:
            block += [para(_("Who to call"), s.h3), rich("<br/>".join(calls), s.body)]
        block.append(self._links_block(data, doc, large=False))
        story.append(KeepTogether(block))
        return story

    def _rights(self, data: PersonalData) -> list[Flowable]:
        s = styles()
        sheet = know_your_rights_sheet(get_language())
        story: list[Flowable] = [para(sheet.title, s.title), para(sheet.notice, s.muted)]
        places = [stop.place_name for stop in data.itinerary.stops if stop.in_border_zone]
        places += [
            join(leg.origin.place_name, leg.destination.place_name, separator=" → ")
            for leg in data.itinerary.legs
            if leg.in_border_zone
            and not (leg.origin.in_border_zone or leg.destination.in_border_zone)
        ]
        if places:
            story.append(
                para(
                    _("In the 100-mile border zone: %(places)s") % {"places": ", ".join(places)},
                    s.alert,
                )
            )
        checkpoints = [name for leg in data.itinerary.legs for name in leg.checkpoints]
        if checkpoints:
            story.append(
                para(
                    _("Border Patrol checkpoints on your drives: %(checkpoints)s")
                    % {"checkpoints": "; ".join(checkpoints)},
                    s.alert,
                )
            )
        for section in sheet.sections:
            story.append(para(section.heading, s.h2))
            story += [Paragraph(esc(point), s.bullet, bulletText="•") for point in section.points]
        return story
