"""Benchmark of the exports against the bare libraries they are written with.

Run from the project's root:
    python bench/exports.py [--stops 60] [--participants 1000] [--rounds 5] [--list-rounds 1]

It builds a large journey (bench/data.py: two routes across four time zones, participants
who join and leave, buses, lodging and beds), then, in each round, times side by side:

* the team calendar through the exporter registry, ``load_plan`` and ``build_itinerary``
  included (what a user waits for), against bare icalendar: a ``Calendar`` built from plain
  tuples holding the same events (same properties, times with TZID, the same VTIMEZONE
  components built once) and ``to_ical()``; the two outputs are compared byte for byte;
* the team booklet, the rooming list and the vehicle manifest PDFs through the registry
  against a bare reportlab platypus build of the same content: the same paragraphs (markup
  and styles), tables (cells, widths, the house table style), page breaks, page size,
  margins and embedded DejaVu font, with a plain header and footer ("Page N", no "of M").
  The bare booklet has no route map: an empty space of the map's height stands in for it
  (so both documents have the same pages) and the map's own drawing time is printed apart.

It prints the median and the min–max of the rounds, the ratio of the medians against the
goal (within 1.5x of the bare library), and the SQL queries of each export at a small size
(5 stops, 50 participants) and at the full size, which must be the same.

Outside a test it sets Django up itself: caravana.settings with DEBUG on, and a temporary
SQLite database (deleted at the end) unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import django  # noqa: E402
from django.apps import apps  # noqa: E402

_TEMP_DIR: str | None = None
if not apps.ready:  # run as a script: configure Django here (a test has done it already)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caravana.settings")
    os.environ.setdefault("DEBUG", "true")
    if "DATABASE_URL" not in os.environ:
        _TEMP_DIR = tempfile.mkdtemp(prefix="caravana-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{_TEMP_DIR}/bench.sqlite3"
    django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402
from icalendar import Calendar, Event  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    LongTable,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from bench.data import build_journey  # noqa: E402
from journey.exporters import ExportRequest, get_exporter, reader_language  # noqa: E402
from journey.exporters.ics import REFRESH_INTERVAL, vtimezone  # noqa: E402
from journey.exporters.pdf import base  # noqa: E402
from journey.exporters.pdf.routemap import RouteMap  # noqa: E402
from journey.itinerary import Audience  # noqa: E402
from journey.plan import load_plan  # noqa: E402

GOAL_RATIO = 1.5
SMALL = (5, 50)  # stops, participants of the journey whose query counts are compared
LANGUAGE = "en"
# (label, format, document): the exports measured against a bare build.
EXPORTS = [
    ("team calendar (ICS)", "ics", "calendar"),
    ("team booklet (PDF)", "pdf", "booklet"),
    ("rooming list (PDF)", "pdf", "rooming"),
    ("manifest (PDF)", "pdf", "manifest"),
]
LISTS = ("rooming", "manifest")
TABLE_HEADER = (
    f"{'export':<22} {'ours: median (min-max)':>26} {'bare: median (min-max)':>26} "
    f"{'ratio':>6}  goal"
)


def export(journey, format: str, document: str, stop=None) -> bytes:
    """The export as a user gets it: load the plan, gather, render."""
    plan = load_plan(journey)
    return get_exporter(format, document).export(
        plan, ExportRequest(audience=Audience.TEAM, stop=stop), language=LANGUAGE
    )


# --- bare icalendar ---------------------------------------------------------------------------

EVENT_FIELDS = [
    "uid",
    "dtstamp",
    "last-modified",
    "sequence",
    "dtstart",
    "dtend",
    "summary",
    "description",
    "location",
    "geo",
    "status",
    "transp",
    "class",
]


@dataclass(frozen=True)
class CalendarContent:
    header: list[tuple[str, object]]  # calendar properties, in order
    zones: list  # VTIMEZONE components, built once
    events: list[tuple]  # one tuple per event: a plain value per EVENT_FIELDS (None: absent)


def calendar_content(ics: bytes) -> CalendarContent:
    """The events of a feed as plain values (str, int, aware datetime, float pairs)."""
    calendar = Calendar.from_ical(ics)
    header = [
        (name, str(calendar[name]))
        for name in ("prodid", "version", "calscale", "name", "x-wr-calname", "x-wr-timezone")
    ]
    years = set()
    events = []
    for event in calendar.walk("VEVENT"):
        values = []
        for name in EVENT_FIELDS:
            if name not in event:
                values.append(None)
            elif name == "geo":
                values.append((event["geo"].latitude, event["geo"].longitude))
            elif name in ("dtstamp", "last-modified", "dtstart", "dtend", "sequence"):
                values.append(event.decoded(name))
            else:
                values.append(str(event[name]))
        years.update((values[4].year, values[5].year))
        events.append(tuple(values))
    tzids = sorted(str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE"))
    zones = [vtimezone(tzid, min(years), max(years)) for tzid in tzids]
    return CalendarContent(header, zones, events)


def bare_calendar(content: CalendarContent) -> bytes:
    calendar = Calendar()
    for name, value in content.header:
        calendar.add(name, value)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for zone in content.zones:
        calendar.add_component(zone)
    for values in content.events:
        event = Event()
        for name, value in zip(EVENT_FIELDS, values, strict=True):
            if value is not None:
                event.add(name, value)
        calendar.add_component(event)
    return calendar.to_ical()


# --- bare reportlab ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfContent:
    journey_name: str
    title: str
    header_lines: tuple[str, ...]  # confidential line, generated line
    story: list[tuple]  # plain tuples, see pdf_content
    map_height: float  # 0 when the document has no map
    route_map: RouteMap | None


def _plain(flowable, frame_width: float, frame_height: float):
    if isinstance(flowable, Paragraph):
        return ("p", flowable.text, flowable.style)
    if isinstance(flowable, Table):
        cells = [
            [("p", c.text, c.style) if isinstance(c, Paragraph) else c for c in row]
            for row in flowable._cellvalues
        ]
        header = flowable.repeatRows == 1
        zebra = len(flowable._bkgrndcmds) > 1
        return ("t", cells, list(flowable._argW), header, zebra)
    if isinstance(flowable, KeepTogether):
        return ("k", [_plain(f, frame_width, frame_height) for f in flowable._content])
    if isinstance(flowable, CondPageBreak):
        return ("c", flowable.height)
    if isinstance(flowable, PageBreak):
        return ("b",)
    if isinstance(flowable, Spacer):
        return ("s", flowable.width, flowable.height)
    if isinstance(flowable, RouteMap):
        return ("m", flowable.wrap(frame_width, frame_height)[1])
    raise TypeError(f"no plain form for {type(flowable).__name__}")


def pdf_content(journey, document: str, stop=None) -> PdfContent:
    """The story of a PDF export as plain tuples (texts, styles, cells, widths)."""
    plan = load_plan(journey)
    exporter = get_exporter("pdf", document)
    data = exporter.gather(plan, ExportRequest(audience=Audience.TEAM, stop=stop))
    with translation.override(LANGUAGE):
        doc = exporter.make_document(data)
        story = exporter.story(data, doc)
    route_map = next((f for f in story if isinstance(f, RouteMap)), None)
    plain = [_plain(f, doc.frame_width, doc.frame_height) for f in story]
    map_height = next((f[1] for f in plain if f[0] == "m"), 0.0)
    lines = (doc.confidential_label if doc.confidential else "", doc.generated)
    return PdfContent(doc.journey_name, doc.title, lines, plain, map_height, route_map)


def _house_style(rows: int, header: bool, zebra: bool) -> TableStyle:
    commands = [
        ("FONT", (0, 0), (-1, -1), base.FONT, base.CELL_SIZE, base.CELL_LEADING),
        ("TEXTCOLOR", (0, 0), (-1, -1), base.INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, base.RULE),
    ]
    if header:
        commands += [
            ("FONT", (0, 0), (-1, 0), base.FONT_BOLD, base.CELL_SIZE, base.CELL_LEADING),
            ("BACKGROUND", (0, 0), (-1, 0), base.SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.75, base.MUTED),
        ]
    else:
        commands.append(
            ("FONT", (0, 0), (0, -1), base.FONT_BOLD, base.CELL_SIZE, base.CELL_LEADING)
        )
    if zebra:
        start = 2 if header else 1
        commands += [("BACKGROUND", (0, r), (-1, r), base.SHADE) for r in range(start, rows, 2)]
    return TableStyle(commands)


def _flowable(item):
    kind = item[0]
    if kind == "p":
        return Paragraph(item[1], item[2])
    if kind in ("t", "lt"):
        _kind, cells, widths, header, zebra = item
        rows = [[_flowable(c) if isinstance(c, tuple) else c for c in row] for row in cells]
        kind_of_table = LongTable if kind == "lt" else Table
        table = kind_of_table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
        table.setStyle(_house_style(len(rows), header, zebra))
        return table
    if kind == "k":
        return KeepTogether([_flowable(f) for f in item[1]])
    if kind == "c":
        return CondPageBreak(item[1])
    if kind == "b":
        return PageBreak()
    if kind == "s":
        return Spacer(item[1], item[2])
    return Spacer(1, item[1])  # the route map's place


def bare_pdf(content: PdfContent) -> bytes:
    buffer = io.BytesIO()
    width, height = base.PAGE_SIZE
    confidential, generated = content.header_lines

    def decorate(canvas, doc):
        canvas.saveState()
        top = height - base.MARGIN_TOP + 0.3 * base.inch
        canvas.setFont(base.FONT_BOLD, 8.5)
        canvas.drawString(base.MARGIN_X, top, content.journey_name)
        canvas.setFont(base.FONT, 8.5)
        canvas.drawRightString(width - base.MARGIN_X, top, content.title)
        canvas.line(base.MARGIN_X, top - 5, width - base.MARGIN_X, top - 5)
        if confidential:
            canvas.setFont(base.FONT_BOLD, 8)
            canvas.drawCentredString(width / 2, top + 13, confidential)
        bottom = base.MARGIN_BOTTOM - 0.38 * base.inch
        canvas.line(base.MARGIN_X, bottom + 10, width - base.MARGIN_X, bottom + 10)
        canvas.setFont(base.FONT, 7.5)
        canvas.drawString(base.MARGIN_X, bottom, generated)
        canvas.drawRightString(width - base.MARGIN_X, bottom, f"Page {doc.page}")
        canvas.restoreState()

    template = BaseDocTemplate(
        buffer,
        pagesize=base.PAGE_SIZE,
        leftMargin=base.MARGIN_X,
        rightMargin=base.MARGIN_X,
        topMargin=base.MARGIN_TOP,
        bottomMargin=base.MARGIN_BOTTOM,
        title=content.title,
        initialFontName=base.FONT,
        initialFontSize=base.CELL_SIZE,
        initialLeading=base.CELL_LEADING,
    )
    frame = Frame(
        base.MARGIN_X,
        base.MARGIN_BOTTOM,
        width - 2 * base.MARGIN_X,
        height - base.MARGIN_TOP - base.MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    template.addPageTemplates([PageTemplate("page", [frame], onPage=decorate)])
    template.build([_flowable(item) for item in content.story])
    return buffer.getvalue()


def one_long_table(content: PdfContent) -> PdfContent:
    """The same content as a title and ONE ``LongTable`` holding the rows of every table of
    the story (the header row once, repeated on each page): the least a library user
    would write for a list such as the manifest, without its headings per vehicle and leg."""
    title = next(item for item in content.story if item[0] == "p")
    tables = [item for item in _walk(content.story) if item[0] == "t"]
    header = tables[0][1][0]
    rows = [row for table in tables for row in table[1][1:]]
    story = [title, ("lt", [header, *rows], tables[0][2], True, True)]
    return PdfContent(content.journey_name, content.title, content.header_lines, story, 0.0, None)


def table_rows(content: PdfContent) -> int:
    """The rows of every table of the story, header rows left out."""
    return sum(len(item[1]) - 1 for item in _walk(content.story) if item[0] == "t")


def _walk(story):
    for item in story:
        if item[0] == "k":
            yield from _walk(item[1])
        else:
            yield item


def map_drawing_seconds(content: PdfContent) -> float:
    """The route map's own drawing time, on a throwaway canvas."""
    if content.route_map is None:
        return 0.0
    canvas = Canvas(io.BytesIO(), pagesize=base.PAGE_SIZE)
    frame_width = base.PAGE_SIZE[0] - 2 * base.MARGIN_X
    began = time.perf_counter()
    content.route_map.wrapOn(canvas, frame_width, content.map_height)
    content.route_map.drawOn(canvas, base.MARGIN_X, base.MARGIN_BOTTOM)
    return time.perf_counter() - began


def pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page>")


# --- measuring --------------------------------------------------------------------------------


def timed(function: Callable[[], bytes]) -> tuple[float, bytes]:
    began = time.perf_counter()
    result = function()
    return time.perf_counter() - began, result


def staged(
    journey, format: str, document: str, stop=None
) -> tuple[tuple[float, float, float], bytes]:
    """``export`` with its stages timed: (load_plan, gather, render) seconds, and the file."""
    began = time.perf_counter()
    plan = load_plan(journey)
    loaded = time.perf_counter()
    exporter = get_exporter(format, document)
    request = ExportRequest(audience=Audience.TEAM, stop=stop)
    exporter.check(request)
    data = exporter.gather(plan, request)
    gathered = time.perf_counter()
    result = exporter.render(data, language=reader_language(LANGUAGE))
    done = time.perf_counter()
    return (loaded - began, gathered - loaded, done - gathered), result


def queries(journey, format: str, document: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        export(journey, format, document)
    return len(captured)


def _ms(values: list[float]) -> str:
    median = statistics.median(values) * 1000
    return f"{median:,.0f} ms ({min(values) * 1000:,.0f}-{max(values) * 1000:,.0f})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stops", type=int, default=60)
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--list-rounds",
        type=int,
        default=1,
        help="rounds of the rooming list and manifest (hundreds of pages each at full size)",
    )
    args = parser.parse_args(argv)

    began = time.perf_counter()
    full = build_journey(stops=args.stops, participants=args.participants)
    small = build_journey(stops=SMALL[0], participants=SMALL[1])
    print(
        f"journey: {full.stops} stops on 2 routes, {full.participants} participants "
        f"(drivers included), {full.seats} seats, {full.beds} bed-nights; "
        f"built in {time.perf_counter() - began:.1f} s"
    )
    journey = full.journey

    # Plain content for the bare builds, taken once from the exports themselves.
    calendar = calendar_content(export(journey, "ics", "calendar"))
    contents = {document: pdf_content(journey, document) for _l, f, document in EXPORTS[1:]}
    bare: dict[str, Callable[[], bytes]] = {"calendar": lambda: bare_calendar(calendar)}
    for document, content in contents.items():
        bare[document] = lambda content=content: bare_pdf(content)

    ours_times = {document: [] for _l, _f, document in EXPORTS}
    stage_times = {document: [] for _l, _f, document in EXPORTS}
    bare_times = {document: [] for _l, _f, document in EXPORTS}
    outputs: dict[str, tuple[bytes, bytes]] = {}
    for number in range(max(args.rounds, args.list_rounds)):
        for _label, format, document in EXPORTS:
            rounds = args.list_rounds if document in LISTS else args.rounds
            if number >= rounds:
                continue
            stages, ours = staged(journey, format, document)
            ours_times[document].append(sum(stages))
            stage_times[document].append(stages)
            seconds, theirs = timed(bare[document])
            bare_times[document].append(seconds)
            outputs[document] = (ours, theirs)

    ours_ics, bare_ics = outputs["calendar"]
    print(
        f"calendar: {len(calendar.events)} events, {len(calendar.zones)} time zones, "
        f"{len(ours_ics):,} bytes; bare output identical: "
        f"{'yes' if ours_ics == bare_ics else 'no'}"
    )
    for document in contents:
        ours_pdf, bare_out = outputs[document]
        print(
            f"{document}: {pages(ours_pdf)} pages ({len(ours_pdf):,} bytes), "
            f"bare {pages(bare_out)} pages ({len(bare_out):,} bytes)"
        )
    print(
        f"booklet route map (left out of the bare build): "
        f"{map_drawing_seconds(contents['booklet']) * 1000:,.0f} ms to draw"
    )
    print()
    print(
        f"time over {args.rounds} round(s) ({args.list_rounds} for the rooming list and "
        f"the manifest), median (min-max):"
    )
    print(TABLE_HEADER)
    all_met = True
    for label, _format, document in EXPORTS:
        ratio = statistics.median(ours_times[document]) / statistics.median(bare_times[document])
        met = ratio <= GOAL_RATIO
        all_met &= met
        print(
            f"{label:<22} {_ms(ours_times[document]):>26} {_ms(bare_times[document]):>26} "
            f"{ratio:>5.2f}x  {'met' if met else 'NOT met'}"
        )

    print()
    print("where our time goes (medians): load_plan + gather (itinerary) + render")
    for label, _format, document in EXPORTS:
        load, gather, render = (
            statistics.median(stage[i] for stage in stage_times[document]) * 1000 for i in range(3)
        )
        print(
            f"{label:<22} {load:>7,.0f} ms + {gather:>6,.0f} ms + {render:>7,.0f} ms "
            f"(render alone: {render / statistics.median(bare_times[document]) / 1000:.2f}x bare)"
        )

    print()
    small_label = f"{SMALL[0]} stops, {SMALL[1]} people"
    full_label = f"{args.stops} stops, {args.participants} people"
    print("SQL queries per export (load_plan included):")
    print(f"{'export':<22} {small_label:>22} {full_label:>24}  constant")
    constant = True
    for label, format, document in EXPORTS:
        counts = (queries(small.journey, format, document), queries(journey, format, document))
        same = counts[0] == counts[1]
        constant &= same
        print(f"{label:<22} {counts[0]:>22} {counts[1]:>24}  {'yes' if same else 'no'}")
    print()
    print(
        f"goal: each export within {GOAL_RATIO:g}x of the bare library: "
        f"{'met' if all_met else 'NOT met'}"
    )
    print(
        f"goal: query count constant in stops and participants: {'met' if constant else 'NOT met'}"
    )
    return 0 if all_met and constant else 1


if __name__ == "__main__":
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        status = main()
    finally:
        if _TEMP_DIR:
            shutil.rmtree(_TEMP_DIR, ignore_errors=True)
    sys.exit(status)
