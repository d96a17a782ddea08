"""Caravana against its limits: one command, one table of ratios, each target met or not.

Run from the project's root (several minutes; the README's "Performance" section shows the
last table):

    python bench/run.py [--stops 60] [--participants 1000] [--rounds 5] [--duration 5] ...

It builds a 60-stop journey with 1,000 participants on two routes and a 5-stop journey
(bench/data.py), then measures, each side by side in the same run (median of the rounds,
min-max in brackets):

* exports against the bare library (bench/exports.py): the team calendar against bare
  icalendar serializing the same events with the time zones built once; the team booklet
  against a bare reportlab build of the same content; the manifest of the stop with the
  most rows (about 1,000) against a bare ``LongTable`` of the same rows. Ours is timed
  through the exporter (``load_plan``, gather, render): the uncached code path;
* SQL queries of every export (exporter path), of the itinerary API (rider, coordinator,
  anonymous) and of each list endpoint of the API (as a coordinator, whole requests with
  token authentication), at 5 and at 60 stops;
* the rider's itinerary API against a plain ``values()`` + ``JsonResponse`` view of the
  same data (bench/views.py), in process, after checking that both answer the same JSON;
* under gunicorn (bench/load.py: 2 workers on 127.0.0.1, a bounded load from a Python
  client): requests per second and p50/p99 latency of the rider's itinerary API, the
  public journey page and the rider's calendar feed, each against a hello-world view of
  the same server in the same run; on SQLite (a temporary file) and on PostgreSQL
  (``--postgres-url``, persistent connections; skipped with the reason when it cannot be
  reached);
* the route planner on 40 stops (bench/planner.py): time and distance against the best of
  a long run.

Each row says whether its target is met. Exit status 0 when every target is met.

Outside a test it sets Django up itself: bench/settings.py (DEBUG off, the cache off, rate
limits raised) and a temporary SQLite database, deleted at the end, unless DATABASE_URL
is set. The load test always builds its own databases.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import django  # noqa: E402
from django.apps import apps  # noqa: E402

_TEMP_DIR: str | None = None
if not apps.ready:  # run as a script: configure Django here (a test has done it already)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    if "DATABASE_URL" not in os.environ:
        _TEMP_DIR = tempfile.mkdtemp(prefix="caravana-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{_TEMP_DIR}/bench.sqlite3"
    django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench import exports, load, planner  # noqa: E402
from bench.data import BenchAccess, add_access, build_journey  # noqa: E402
from journey.exporters import ExportError, ExportRequest, exporters  # noqa: E402
from journey.exporters.pdf.personal import PersonalExportRequest  # noqa: E402
from journey.itinerary import Audience, manifest  # noqa: E402
from journey.plan import load_plan  # noqa: E402
from participants.models import Participant  # noqa: E402
from stops.models import Stop  # noqa: E402

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/caravana_bench"

# Targets (issue #9).
EXPORT_RATIO = 1.5  # calendar and booklet against the bare library
MANIFEST_RATIO = 1.3  # the manifest against a bare LongTable
EXPORT_QUERIES, ITINERARY_QUERIES, LIST_QUERIES = 3, 5, 2
PLAIN_RATIO = 3.0  # itinerary API against the plain view
THROUGHPUT_RATIO = 0.08  # itinerary API requests per second against hello-world
TAIL_RATIO = 2.0  # p99 against p50
POSTGRES_RATIO = 0.85  # PostgreSQL requests per second against SQLite

COLUMNS = (48, 24, 24, 9, 20)
TABLE_HEADER = (
    f"{'what':<{COLUMNS[0]}} {'ours':>{COLUMNS[1]}} {'reference':>{COLUMNS[2]}} "
    f"{'result':>{COLUMNS[3]}} {'target':>{COLUMNS[4]}}  verdict"
)
VERDICTS = ("met", "NOT met", "skipped", "-")
SECTIONS = ("exports", "queries", "plain", "load", "planner")


@dataclass(frozen=True)
class Row:
    what: str
    ours: str
    reference: str
    result: str
    target: str
    met: bool | None  # None: no target, or not measured (``skipped``)
    skipped: bool = False

    @property
    def verdict(self) -> str:
        if self.skipped:
            return "skipped"
        if self.met is None:
            return "-"
        return "met" if self.met else "NOT met"

    def line(self) -> str:
        cells = (self.what, self.ours, self.reference, self.result, self.target)
        widths = COLUMNS
        return (
            f"{cells[0]:<{widths[0]}} {cells[1]:>{widths[1]}} {cells[2]:>{widths[2]}} "
            f"{cells[3]:>{widths[3]}} {cells[4]:>{widths[4]}}  {self.verdict}"
        )


def _ms(values: list[float]) -> str:
    """Median (min-max) of seconds, in milliseconds."""
    median = statistics.median(values) * 1000
    low, high = min(values) * 1000, max(values) * 1000
    digits = 1 if high < 100 else 0
    return f"{median:,.{digits}f} ms ({low:,.{digits}f}-{high:,.{digits}f})"


def _ratio(ours: list[float], reference: list[float]) -> float:
    return statistics.median(ours) / statistics.median(reference)


@contextmanager
def settled():
    """Leave what is built so far (both journeys, the bare builds' content) out of the garbage
    collector's full passes while timing, as caravana/wsgi.py does for a server's start-up:
    a pass over the benchmark's own data would land in a random round."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


# --- exports against the bare libraries ---------------------------------------------------------


def manifest_stop(journey) -> tuple[Stop, int]:
    """The stop whose manifest (legs arriving and leaving) has the most rows, and how many."""
    plan = load_plan(journey)
    best, rows = None, -1
    for stop in plan.stops:
        count = sum(
            len(entry.drivers) + len(entry.passengers) for entry in manifest(plan, stop_id=stop.pk)
        )
        if count > rows:
            best, rows = stop, count
    return best, rows


def export_rows(journey, rounds: int, say) -> list[Row]:
    stop, _rows = manifest_stop(journey)
    calendar = exports.calendar_content(exports.export(journey, "ics", "calendar"))
    booklet = exports.pdf_content(journey, "booklet")
    listed = exports.pdf_content(journey, "manifest", stop)
    long_table = exports.one_long_table(listed)
    cases = [
        # (label, format, document, stop, bare build, target)
        (
            "team calendar (ICS) vs bare icalendar",
            "ics",
            "calendar",
            None,
            lambda: exports.bare_calendar(calendar),
            EXPORT_RATIO,
        ),
        (
            "team booklet (PDF) vs bare reportlab",
            "pdf",
            "booklet",
            None,
            lambda: exports.bare_pdf(booklet),
            EXPORT_RATIO,
        ),
        (
            "manifest of one stop vs bare LongTable",
            "pdf",
            "manifest",
            stop,
            lambda: exports.bare_pdf(long_table),
            MANIFEST_RATIO,
        ),
    ]
    ours: dict[str, list[float]] = {case[0]: [] for case in cases}
    stage_times: dict[str, list[tuple[float, float, float]]] = {case[0]: [] for case in cases}
    bare: dict[str, list[float]] = {case[0]: [] for case in cases}
    outputs: dict[str, tuple[bytes, bytes]] = {}
    with settled():
        for _round in range(rounds):
            for label, format, document, limit, build, _target in cases:
                stages, file = exports.staged(journey, format, document, limit)
                ours[label].append(sum(stages))
                stage_times[label].append(stages)
                seconds, theirs = exports.timed(build)
                bare[label].append(seconds)
                outputs[label] = (file, theirs)
    ics, bare_ics = outputs[cases[0][0]]
    say(
        f"team calendar: {len(calendar.events)} events, {len(calendar.zones)} time zones; "
        f"bare output identical: {'yes' if ics == bare_ics else 'no'}"
    )
    pdf, bare_booklet = outputs[cases[1][0]]
    say(
        f"team booklet: {exports.pages(pdf)} pages, bare {exports.pages(bare_booklet)} pages "
        f"(the route map, {exports.map_drawing_seconds(booklet) * 1000:,.0f} ms to draw, "
        f"left out of the bare build)"
    )
    pdf, bare_manifest = outputs[cases[2][0]]
    say(
        f"manifest of {stop.place_name}: {exports.table_rows(listed):,} rows, "
        f"{exports.pages(pdf)} pages; bare LongTable {exports.pages(bare_manifest)} pages"
    )
    rows = []
    for label, _format, _document, _stop, _build, target in cases:
        load, gather, render = (
            statistics.median(stages[i] for stages in stage_times[label]) for i in range(3)
        )
        say(
            f"{label.split(' vs ')[0]}: load_plan {load * 1000:,.0f} ms + gather "
            f"{gather * 1000:,.0f} ms + render {render * 1000:,.0f} ms (render alone "
            f"{render / statistics.median(bare[label]):.2f}x bare)"
        )
        ratio = _ratio(ours[label], bare[label])
        rows.append(
            Row(
                label,
                _ms(ours[label]),
                _ms(bare[label]),
                f"{ratio:.2f}x",
                f"<= {target:g}x",
                ratio <= target,
            )
        )
    return rows


# --- SQL queries ------------------------------------------------------------------------------


def export_cases(journey, access: BenchAccess) -> list[tuple[str, str, str, ExportRequest]]:
    """(label, format, document, request) of every export in the registry, per audience."""
    rider = Participant.objects.get(pk=access.rider_id)
    stop = (
        Stop.objects.filter(journey=journey, lodgings__isnull=False)
        .order_by("arrival", "pk")
        .first()
    )
    cases = []
    for cls in exporters():
        for audience in sorted(cls.audiences):
            if audience == Audience.PERSONAL and cls.document == "personal":
                request = PersonalExportRequest(audience, participant=rider)
            elif audience == Audience.PERSONAL:
                request = ExportRequest(audience, participant=rider)
            else:
                request = ExportRequest(audience, stop=stop if cls.needs_stop else None)
            try:
                cls().check(request)
            except ExportError:
                continue
            label = f"{cls.format} {cls.document} ({audience})"
            cases.append((label, cls.format, cls.document, request))
    return cases


def export_queries(journey, request: ExportRequest, format: str, document: str) -> int:
    cls = next(c for c in exporters() if c.format == format and c.document == document)
    with CaptureQueriesContext(connection) as captured:
        cls().export(load_plan(journey), request, language=exports.LANGUAGE)
    return len(captured)


def api_requests(journey, access: BenchAccess) -> list[tuple[str, str, str | None, int]]:
    """(label, url, token, target) of the itinerary API and every list endpoint."""
    from api.urls import in_journey

    slug = journey.slug
    itinerary = reverse("api:journey-itinerary", args=[slug])
    found = [
        ("itinerary API, rider", itinerary, access.rider_api_token, ITINERARY_QUERIES),
        ("itinerary API, coordinator", itinerary, access.coordinator_api_token, ITINERARY_QUERIES),
        ("itinerary API, anonymous", itinerary, None, ITINERARY_QUERIES),
        ("list journeys", reverse("api:journey-list"), access.coordinator_api_token, LIST_QUERIES),
    ]
    for prefix, viewset, basename in in_journey.registry:
        if hasattr(viewset, "list"):
            url = reverse(f"api:{basename}-list", kwargs={"journey_slug": slug})
            found.append((f"list {prefix}", url, access.coordinator_api_token, LIST_QUERIES))
    return found


def api_queries(url: str, token: str | None) -> int:
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
    client.get(url, **headers)  # warm: what is read once per process is not the journey's size
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url}: HTTP {response.status_code}")
    return len(captured)


def query_rows(small, small_access, full, full_access, sizes: tuple[str, str]) -> list[Row]:
    rows = []
    small_cases = export_cases(small, small_access)
    full_cases = {label: rest for label, *rest in export_cases(full, full_access)}
    for label, format, document, request in small_cases:
        counts = (
            export_queries(small, request, format, document),
            export_queries(full, full_cases[label][2], format, document),
        )
        rows.append(_query_row(f"queries: {label}", counts, EXPORT_QUERIES, sizes))
    full_api = {
        label: (url, token) for label, url, token, _target in api_requests(full, full_access)
    }
    for label, url, token, target in api_requests(small, small_access):
        counts = (api_queries(url, token), api_queries(*full_api[label]))
        rows.append(_query_row(f"queries: {label}", counts, target, sizes))
    return rows


def _query_row(what: str, counts: tuple[int, int], most: int, sizes: tuple[str, str]) -> Row:
    small, full = counts
    return Row(
        what,
        f"{small} at {sizes[0]}",
        f"{full} at {sizes[1]}",
        f"{small} / {full}",
        f"equal, <= {most}",
        small == full and full <= most,
    )


# --- the itinerary API against a plain view ----------------------------------------------------


def plain_rows(journey, access: BenchAccess, rounds: int, say) -> list[Row]:
    api = reverse("api:journey-itinerary", args=[journey.slug])
    plain = reverse("bench-plain-itinerary", args=[journey.slug, access.rider_id])
    client = Client()
    token = {"HTTP_AUTHORIZATION": f"Token {access.rider_api_token}"}
    same = client.get(api, **token).json() == client.get(plain).json()
    say(
        "rider itinerary: the plain view answers the same JSON as the API: "
        f"{'yes' if same else 'NO'}"
    )
    per_round = 5
    ours, bare = [], []
    with settled():
        for _round in range(rounds):
            for times, call in (
                (ours, lambda: client.get(api, **token)),
                (bare, lambda: client.get(plain)),
            ):
                began = time.perf_counter()
                for _request in range(per_round):
                    call()
                times.append((time.perf_counter() - began) / per_round)
    ratio = _ratio(ours, bare)
    return [
        Row(
            "rider itinerary API vs plain values() view",
            _ms(ours),
            _ms(bare),
            f"{ratio:.2f}x",
            f"<= {PLAIN_RATIO:g}x",
            ratio <= PLAIN_RATIO and same,
        )
    ]


# --- under load ---------------------------------------------------------------------------------

LOADED = [key for key, _label in load.ENDPOINTS if key != "hello"]
PAGES = [key for key in LOADED if key != "plain"]  # Caravana's own (plain is a yardstick)
LABELS = dict(load.ENDPOINTS)


def _rps(result: load.EndpointResult) -> str:
    low, high = result.spread(lambda s: s.rps)
    return f"{result.median(lambda s: s.rps):,.0f}/s ({low:,.0f}-{high:,.0f})"


def _latency(result: load.EndpointResult) -> str:
    p50 = result.median(lambda s: s.percentile(0.5)) * 1000
    p99 = result.median(lambda s: s.percentile(0.99)) * 1000
    return f"p50 {p50:,.1f} p99 {p99:,.1f} ms"


def load_rows(label: str, measured: load.DatabaseResult | None, reason: str) -> list[Row]:
    """The rows of one database; all skipped (with ``reason``) when ``measured`` is None."""
    what = f"{label}: {{}}"
    if measured is None:
        rows = [Row(what.format("hello-world view, requests/s"), "", "", "", "", None, True)]
        for key in LOADED:
            rows.append(Row(what.format(f"{LABELS[key]} vs hello"), "", reason, "", "", None, True))
        rows.append(Row(what.format("rider itinerary API p99/p50"), "", "", "", "", None, True))
        return rows
    results = measured.endpoints
    hello = results["hello"]
    rows = [
        Row(
            what.format("hello-world view, requests/s"),
            _rps(hello),
            _latency(hello),
            "",
            "",
            None,
        )
    ]
    for key in LOADED:
        ratio = results[key].median(lambda s: s.rps) / hello.median(lambda s: s.rps)
        target = key == "itinerary"
        rows.append(
            Row(
                what.format(f"{LABELS[key]} vs hello"),
                _rps(results[key]),
                _latency(results[key]),
                f"{ratio:.3f}x",
                f">= {THROUGHPUT_RATIO:g}x" if target else "",
                ratio >= THROUGHPUT_RATIO if target else None,
            )
        )
    itinerary = results["itinerary"]
    p50 = itinerary.median(lambda s: s.percentile(0.5))
    p99 = itinerary.median(lambda s: s.percentile(0.99))
    rows.append(
        Row(
            what.format("rider itinerary API p99/p50"),
            f"p99 {p99 * 1000:,.1f} ms",
            f"p50 {p50 * 1000:,.1f} ms",
            f"{p99 / p50:.2f}x",
            f"<= {TAIL_RATIO:g}x",
            p99 / p50 <= TAIL_RATIO,
        )
    )
    return rows


def postgres_rows(sqlite: load.DatabaseResult | None, pg: load.DatabaseResult | None) -> list[Row]:
    rows = []
    for key in PAGES:
        what = f"PostgreSQL vs SQLite: {LABELS[key]}"
        if sqlite is None or pg is None:
            rows.append(Row(what, "", "", "", f">= {POSTGRES_RATIO:g}x", None, True))
            continue
        ours, theirs = pg.endpoints[key], sqlite.endpoints[key]
        ratio = ours.median(lambda s: s.rps) / theirs.median(lambda s: s.rps)
        rows.append(
            Row(
                what,
                _rps(ours),
                _rps(theirs),
                f"{ratio:.2f}x",
                f">= {POSTGRES_RATIO:g}x",
                ratio >= POSTGRES_RATIO,
            )
        )
    return rows


# --- the route planner ----------------------------------------------------------------------------


def planner_rows(limit: float, long: float, runs: int, say) -> list[Row]:
    result = planner.measure(
        limit=limit, long=long, runs=runs, say=lambda text: say(f"planner: {text}")
    )
    seconds = [s for s, _km in result.runs]
    distances = [km for _s, km in result.runs]
    return [
        Row(
            "route planner, 40 stops: time",
            f"{statistics.median(seconds):.2f} s ({min(seconds):.2f}-{max(seconds):.2f})",
            f"limit {limit:g} s",
            f"{result.worst_seconds:.2f} s",
            f"< {planner.GOAL_SECONDS:g} s",
            result.worst_seconds < planner.GOAL_SECONDS,
        ),
        Row(
            "route planner, 40 stops: distance vs long run",
            f"{max(distances):,.0f} km",
            f"{result.best:,.0f} km ({long:g} s)",
            f"+{result.worst_gap:.2%}",
            f"<= {planner.GOAL_GAP:.0%}",
            result.worst_gap <= planner.GOAL_GAP,
        ),
    ]


# --- the whole run ------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_argument_group("sizes")
    size.add_argument("--stops", type=int, default=60)
    size.add_argument("--participants", type=int, default=1000)
    size.add_argument("--small-stops", type=int, default=5, help="the journey for comparison")
    size.add_argument("--small-participants", type=int, default=50)
    timing = parser.add_argument_group("rounds and load")
    timing.add_argument("--rounds", type=int, default=5, help="rounds of the in-process timings")
    timing.add_argument("--load-rounds", type=int, default=3)
    timing.add_argument(
        "--duration", type=float, default=5.0, help="seconds per endpoint and round"
    )
    timing.add_argument("--concurrency", type=int, default=4, help="client threads")
    timing.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    timing.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    timing.add_argument("--no-postgres", action="store_true", help="load test on SQLite only")
    plan = parser.add_argument_group("route planner")
    plan.add_argument("--planner-limit", type=float, default=planner.DEFAULT_TIME_LIMIT)
    plan.add_argument("--planner-long", type=float, default=60.0)
    plan.add_argument("--planner-runs", type=int, default=3)
    parser.add_argument(
        "--skip",
        action="append",
        choices=SECTIONS,
        default=[],
        help="leave a part out (while working on another); may be repeated",
    )
    args = parser.parse_args(argv)
    wanted = [section for section in SECTIONS if section not in args.skip]

    notes: list[str] = []

    def say(text: str) -> None:
        notes.append(text)
        print(text, flush=True)

    began = time.perf_counter()
    full = build_journey(stops=args.stops, participants=args.participants)
    small = build_journey(stops=args.small_stops, participants=args.small_participants)
    full_access, small_access = add_access(full.journey), add_access(small.journey)
    say(
        f"journey: {full.stops} stops on 2 routes, {full.participants} participants (drivers "
        f"included), {full.seats} seats, {full.beds} bed-nights; for comparison {small.stops} "
        f"stops, {small.participants} participants; built in {time.perf_counter() - began:.1f} s"
    )
    sizes = (f"{small.stops} stops", f"{full.stops} stops")

    rows: list[Row] = []
    with override_settings(ROOT_URLCONF="bench.urls"):
        if "exports" in wanted:
            rows += export_rows(full.journey, args.rounds, say)
        if "queries" in wanted:
            rows += query_rows(small.journey, small_access, full.journey, full_access, sizes)
        if "plain" in wanted:
            rows += plain_rows(full.journey, full_access, args.rounds, say)
    if "load" in wanted:
        rows += load_section(args, say)
    if "planner" in wanted:
        rows += planner_rows(args.planner_limit, args.planner_long, args.planner_runs, say)
    if args.skip:
        say(f"left out: {', '.join(args.skip)}")

    print()
    print(
        f"median of {args.rounds} rounds in process, {args.load_rounds} under load "
        f"(min-max); queries at {sizes[0]} / {sizes[1]}"
    )
    print(TABLE_HEADER)
    for row in rows:
        print(row.line())
    judged = [row for row in rows if row.met is not None and not row.skipped]
    met = sum(1 for row in judged if row.met)
    print()
    print(f"targets met: {met} of {len(judged)}")
    return 0 if met == len(judged) else 1


def load_section(args, say) -> list[Row]:
    temp_dir = tempfile.mkdtemp(prefix="caravana-bench-load-")
    databases = [("SQLite", f"sqlite:///{temp_dir}/load.sqlite3")]
    reason = "--no-postgres" if args.no_postgres else None
    if reason is None:
        reason = load.postgres_ready(args.postgres_url, fresh=args.postgres_url == DEFAULT_POSTGRES)
    if reason is None:
        databases.append(("PostgreSQL", args.postgres_url))
    else:
        say(f"PostgreSQL skipped: {reason}")
    try:
        measured = load.measure_databases(
            databases,
            stops=args.stops,
            participants=args.participants,
            workers=args.workers,
            concurrency=args.concurrency,
            duration=args.duration,
            rounds=args.load_rounds,
            say=say,
        )
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)
    sqlite = measured[0]
    pg = measured[1] if len(measured) > 1 else None
    say(f"load: {sqlite.server}; SQLite and PostgreSQL servers run side by side")
    say(f"load: rate limits raised: {', '.join(sqlite.prepared.raised) or 'none'}; cache off")
    return [
        *load_rows("SQLite", sqlite, ""),
        *load_rows("PostgreSQL", pg, reason or ""),
        *postgres_rows(sqlite, pg),
    ]


if __name__ == "__main__":
    from django.core.management import call_command

    status = 1
    try:
        call_command("migrate", verbosity=0)
        status = main()
    finally:
        if _TEMP_DIR:
            shutil.rmtree(_TEMP_DIR, ignore_errors=True)
    sys.exit(status)
