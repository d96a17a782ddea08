"""What every Caravana PDF shares: the font, the page, the header and the footer.

Each document module (booklet, personal itinerary, day sheet, rooming list,
manifest) only builds its story, a list of platypus flowables, from the data
``journey.itinerary`` gives it; ``PdfExporter.render`` wraps it in a
``PdfDocument``, which owns:

* the font: DejaVu Sans (regular and bold), a TrueType font shipped in
  ``journey/fonts`` and embedded (subset) in every file, so names such as
  Begoña, Mirlène or Dieunè render; the 14 base PDF fonts stop at Latin-1;
* the page: US Letter (the default paper in the United States), with margins
  that leave room for a header and a footer;
* the header on every page: the journey's name and the document's title, and
  for confidential documents a red line saying so;
* the footer on every page: the generation date (in the journey's home time
  zone) and "Page N of M".

Fonts and styles are registered once per process. A document is laid out in
one pass: "of M" is written when the last page is known, by a canvas that
holds its pages back until it saves (``_NumberedCanvas``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, partial
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from journey.exporters import Exporter
from journey.formatting import format_local, weekday_day_month

# Binary streams instead of ASCII85-encoded ones: 20% smaller files and a tenth of the
# build time saved (reportlab encodes ASCII85 in pure Python). Caravana uses reportlab
# only for these documents, so the process-wide switch is ours to set.
rl_config.useA85 = 0

FONT_DIR = Path(__file__).resolve().parents[2] / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

PAGE_SIZE = letter  # 8.5 x 11 in, the default paper in the United States
MARGIN_X = 0.6 * inch
MARGIN_TOP = 0.85 * inch
MARGIN_BOTTOM = 0.7 * inch

INK = colors.HexColor("#1f2328")
MUTED = colors.HexColor("#5b636b")
RULE = colors.HexColor("#c9ced3")
SHADE = colors.HexColor("#f1f3f5")
ACCENT = colors.HexColor("#6a1b9a")
ALERT = colors.HexColor("#b00020")
CELL_SIZE = 8.5
CELL_LEADING = 11


# --- font and styles (once per process) -----------------------------------------------


@cache
def register_fonts() -> None:
    """Register DejaVu Sans with reportlab, once per process (parsing it takes ~50 ms)."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    # No oblique face is shipped: <i> falls back to the regular face.
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


@dataclass(frozen=True)
class Styles:
    cover_title: ParagraphStyle
    cover_subtitle: ParagraphStyle
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_small: ParagraphStyle
    alert: ParagraphStyle
    big: ParagraphStyle
    url: ParagraphStyle
    bullet: ParagraphStyle


@cache
def styles() -> Styles:
    register_fonts()

    def style(name, size, *, bold=False, color=INK, leading=None, before=0, after=0, **extra):
        return ParagraphStyle(
            name,
            fontName=FONT_BOLD if bold else FONT,
            fontSize=size,
            leading=leading or round(size * 1.3, 1),
            textColor=color,
            spaceBefore=before,
            spaceAfter=after,
            alignment=TA_LEFT,
            **extra,
        )

    return Styles(
        cover_title=style("cover_title", 28, bold=True, leading=34, after=8),
        cover_subtitle=style("cover_subtitle", 13, color=MUTED, after=6),
        title=style("title", 18, bold=True, after=6),
        h1=style("h1", 14, bold=True, color=ACCENT, before=4, after=4),
        h2=style("h2", 11.5, bold=True, before=6, after=3),
        h3=style("h3", 10, bold=True, before=4, after=2),
        body=style("body", 9.5, after=3),
        small=style("small", 8),
        muted=style("muted", 8.5, color=MUTED, after=2),
        cell=style("cell", CELL_SIZE, leading=CELL_LEADING),
        cell_bold=style("cell_bold", CELL_SIZE, bold=True, leading=CELL_LEADING),
        cell_small=style("cell_small", 7.5, color=MUTED),
        alert=style("alert", 9.5, bold=True, color=ALERT, after=3),
        big=style("big", 12, leading=16, after=4),
        url=style("url", 7, leading=9),
        bullet=style("bullet", 9.5, after=2, leftIndent=11, bulletIndent=1, bulletFontName=FONT),
    )


# --- text helpers -------------------------------------------------------------------------


def esc(text: object) -> str:
    """Text made safe for a Paragraph (which reads a little XML)."""
    return escape(str(text))


def para(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(esc(text), style)


def rich(markup: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph from markup whose variable parts were already passed through ``esc``."""
    return Paragraph(markup, style)


def join(*parts: object, separator: str = " · ") -> str:
    return separator.join(str(p) for p in parts if p)


def clock(moment: datetime) -> str:
    """Local time with the zone's abbreviation: "09:00 MST" (the moment is already local)."""
    return f"{moment:%H:%M} {moment.tzname()}"


def when(moment: datetime) -> str:
    """Date and local time with the zone: "Mar 1, 09:00 MST" ("1 de marzo, 09:00 MST")."""
    return format_local(moment, moment.tzinfo)


def clock_span(start: datetime, end: datetime, *, separator: str = " – ") -> str:
    """ "09:00–09:45 CST", or with dates when the span crosses midnight."""
    if start.date() == end.date() and start.tzname() == end.tzname():
        return f"{start:%H:%M}–{end:%H:%M} {end.tzname()}"
    return f"{when(start)}{separator}{when(end)}"


def when_span(start: datetime, end: datetime) -> str:
    """ "Mar 1, 21:30–22:30 MST", or both dates when the span crosses midnight."""
    if start.date() == end.date() and start.tzname() == end.tzname():
        return f"{when(start)[: -len(clock(start))]}{start:%H:%M}–{clock(end)}"
    return f"{when(start)} – {when(end)}"


def long_date(day: date) -> str:
    """ "Monday, March 2, 2026"; "lunes, 2 de marzo de 2026" in Spanish."""
    return f"{formats.date_format(day, 'l')}, {formats.date_format(day, 'DATE_FORMAT')}"


def short_date(day: date) -> str:
    """ "Mon, Mar 2"; "lun 2 de marzo" in Spanish, "len 2 mas" in Haitian Creole."""
    return weekday_day_month(day, short=True)


def date_range(first: date | None, last: date | None) -> str:
    if first is None or last is None:
        return ""
    if first == last:
        return formats.date_format(first, "DATE_FORMAT")
    return (
        f"{formats.date_format(first, 'DATE_FORMAT')} – {formats.date_format(last, 'DATE_FORMAT')}"
    )


def generated_on(home_timezone: str) -> str:
    """When the document was made, in the journey's home zone: "March 1, 2026, 12:00 PST"."""
    now = timezone.localtime(timezone.now(), ZoneInfo(home_timezone))
    return f"{formats.date_format(now, 'DATE_FORMAT')}, {clock(now)}"


def fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis so that it fits ``width`` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def grid(
    rows: list[list],
    widths: list[float],
    *,
    header: bool = True,
    zebra: bool = False,
    bold_columns: tuple[int, ...] = (),
) -> Table:
    """A table with the house look; the header row repeats on each page.

    Cells are plain strings (one line each, drawn without any parsing: cheap)
    or Paragraphs (wrapped, with markup) for longer texts.
    """
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    commands = [
        ("FONT", (0, 0), (-1, -1), FONT, CELL_SIZE, CELL_LEADING),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
    ]
    commands += [
        ("FONT", (column, 0), (column, -1), FONT_BOLD, CELL_SIZE, CELL_LEADING)
        for column in bold_columns
    ]
    if header:
        commands += [
            ("FONT", (0, 0), (-1, 0), FONT_BOLD, CELL_SIZE, CELL_LEADING),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.75, MUTED),
        ]
    if zebra:
        start = 1 if header else 0
        commands += [
            ("BACKGROUND", (0, row), (-1, row), SHADE) for row in range(start + 1, len(rows), 2)
        ]
    table.setStyle(TableStyle(commands))
    return table


# --- the page -----------------------------------------------------------------------------


class _NumberedCanvas(Canvas):
    """A canvas that writes "Page N of M" once it knows M.

    Each finished page is held back (its drawing state kept) until ``save``,
    which then writes the page numbers on every page and emits them all.
    """

    def __init__(self, *args, page_label, footer_font, **kwargs):
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict] = []
        self._page_label = page_label
        self._footer_font = footer_font

    def showPage(self):
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._held_pages)
        width = self._pagesize[0]
        for state in self._held_pages:
            self.__dict__.update(state)
            self.setFont(self._footer_font, 7.5)
            self.setFillColor(MUTED)
            self.drawRightString(
                width - MARGIN_X,
                MARGIN_BOTTOM - 0.38 * inch,
                self._page_label(self._pageNumber, total),
            )
            super().showPage()
        super().save()


class PdfDocument:
    """One PDF: the page template, header and footer around a story of flowables.

    Create it inside ``translation.override(reader's language)``: the header
    and footer texts are read when it is built.
    """

    def __init__(
        self,
        *,
        journey_name: str,
        title: str,
        home_timezone: str,
        confidential: bool = False,
        author: str = "Caravana",
        fold_marks: bool = False,
    ):
        register_fonts()
        self.journey_name = journey_name
        self.title = title
        self.confidential = confidential
        self.fold_marks = fold_marks
        self.author = author
        self.generated = _("Generated %(date)s") % {"date": generated_on(home_timezone)}
        self.confidential_label = _(
            "CONFIDENTIAL: team only. Holds names, phones and addresses; do not share."
        )
        self.page_size = PAGE_SIZE

    @property
    def frame_width(self) -> float:
        return self.page_size[0] - 2 * MARGIN_X

    @property
    def frame_height(self) -> float:
        # Frame paddings are zero (see build), so this is the whole usable height.
        return self.page_size[1] - MARGIN_TOP - MARGIN_BOTTOM

    def _decorate(self, canvas: Canvas, _doc) -> None:
        width, height = self.page_size
        canvas.saveState()
        top = height - MARGIN_TOP + 0.3 * inch
        half = (width - 2 * MARGIN_X) / 2 - 6
        canvas.setFillColor(INK)
        canvas.setFont(FONT_BOLD, 8.5)
        canvas.drawString(MARGIN_X, top, fit(self.journey_name, FONT_BOLD, 8.5, half))
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(width - MARGIN_X, top, fit(self.title, FONT, 8.5, half))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, top - 5, width - MARGIN_X, top - 5)
        if self.confidential:
            canvas.setFillColor(ALERT)
            canvas.setFont(FONT_BOLD, 8)
            canvas.drawCentredString(
                width / 2,
                top + 13,
                fit(self.confidential_label, FONT_BOLD, 8, width - 2 * MARGIN_X),
            )
        bottom = MARGIN_BOTTOM - 0.38 * inch
        canvas.line(MARGIN_X, bottom + 10, width - MARGIN_X, bottom + 10)
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN_X, bottom, self.generated)
        if self.fold_marks:
            # Fold the page in half, then in half again: a pocket-sized card.
            canvas.setStrokeColor(RULE)
            canvas.setDash(2, 2)
            canvas.line(0, height / 2, 0.25 * inch, height / 2)
            canvas.line(width - 0.25 * inch, height / 2, width, height / 2)
            canvas.line(width / 2, 0, width / 2, 0.2 * inch)
            canvas.line(width / 2, height - 0.2 * inch, width / 2, height)
        canvas.restoreState()

    def build(self, story: list[Flowable]) -> bytes:
        buffer = io.BytesIO()
        template = BaseDocTemplate(
            buffer,
            pagesize=self.page_size,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=f"{self.journey_name}: {self.title}",
            author=self.author,
            creator="Caravana",
            lang=translation.get_language(),
            # Start every page in our font: otherwise reportlab opens each page with
            # Helvetica, which would then sit (unused) among the page's fonts.
            initialFontName=FONT,
            initialFontSize=CELL_SIZE,
            initialLeading=CELL_LEADING,
        )
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            self.frame_width,
            self.frame_height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        template.addPageTemplates([PageTemplate("page", [frame], onPage=self._decorate)])
        label = _("Page %(page)s of %(pages)s")
        template.build(
            story,
            canvasmaker=partial(
                _NumberedCanvas,
                page_label=lambda page, pages: label % {"page": page, "pages": pages},
                footer_font=FONT,
            ),
        )
        return buffer.getvalue()


# --- the exporter base ------------------------------------------------------------------------


class PdfExporter(Exporter):
    """A PDF document: subclasses say what to gather and build the story."""

    format = "pdf"
    content_type = "application/pdf"
    extension = "pdf"
    is_text = False

    def make_document(self, data) -> PdfDocument:
        raise NotImplementedError

    def story(self, data, doc: PdfDocument) -> list[Flowable]:
        raise NotImplementedError

    def render(self, data, *, language: str) -> bytes:
        with translation.override(language):
            doc = self.make_document(data)
            return doc.build(self.story(data, doc))
