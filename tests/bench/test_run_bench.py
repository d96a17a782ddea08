"""Smoke test of bench/run.py: the whole benchmark at a tiny size, so that it cannot rot.

Times are never asserted (they depend on the machine). One run, on SQLite only (the load
test starts gunicorn on 127.0.0.1 for about half a second per endpoint), feeds every
assertion: the table has a row for each measure, with a verdict on each.
"""

import contextlib
import io

from api.urls import in_journey
from bench import run
from journey.exporters import exporters

FIXED_ROWS = [
    "team calendar (ICS) vs bare icalendar",
    "team booklet (PDF) vs bare reportlab",
    "manifest of one stop vs bare LongTable",
    "queries: itinerary API, rider",
    "queries: itinerary API, coordinator",
    "queries: itinerary API, anonymous",
    "queries: list journeys",
    "rider itinerary API vs plain values() view",
    "SQLite: hello-world view, requests/s",
    "SQLite: rider itinerary API vs hello",
    "SQLite: plain values() itinerary vs hello",
    "SQLite: public journey page vs hello",
    "SQLite: personal calendar feed vs hello",
    "SQLite: rider itinerary API p99/p50",
    "PostgreSQL: hello-world view, requests/s",
    "PostgreSQL: rider itinerary API vs hello",
    "PostgreSQL: plain values() itinerary vs hello",
    "PostgreSQL: public journey page vs hello",
    "PostgreSQL: personal calendar feed vs hello",
    "PostgreSQL: rider itinerary API p99/p50",
    "PostgreSQL vs SQLite: rider itinerary API",
    "PostgreSQL vs SQLite: public journey page",
    "PostgreSQL vs SQLite: personal calendar feed",
    "route planner, 40 stops: time",
    "route planner, 40 stops: distance vs long run",
]
TINY = [
    "--stops", "4", "--participants", "12", "--small-stops", "3", "--small-participants", "8",
    "--rounds", "1", "--load-rounds", "1", "--duration", "0.5", "--no-postgres",
    "--planner-limit", "0.3", "--planner-long", "0.5", "--planner-runs", "1",
]  # fmt: skip


def table(output: str) -> dict[str, str]:
    """what -> verdict, for each row of the table."""
    lines = output.splitlines()
    start = lines.index(run.TABLE_HEADER) + 1
    rows = lines[start : lines.index("", start)]
    return {row[: run.COLUMNS[0]].rstrip(): row.rsplit("  ", 1)[1] for row in rows}


def test_the_benchmark_prints_one_table_with_a_verdict_on_every_row(db):
    buffer = io.StringIO()

    with contextlib.redirect_stdout(buffer):
        run.main(TINY)

    verdicts = table(buffer.getvalue())
    exported = {(cls.format, cls.document) for cls in exporters()}
    measured = {
        tuple(what.removeprefix("queries: ").split(" (")[0].split(" ", 1))
        for what in verdicts
        if what.startswith(
            ("queries: ics", "queries: csv", "queries: pdf", "queries: gpx", "queries: kml")
        )
    }
    assert measured == exported
    lists = {
        f"queries: list {prefix}"
        for prefix, viewset, _basename in in_journey.registry
        if hasattr(viewset, "list")
    }
    assert set(FIXED_ROWS) | lists <= set(verdicts)
    assert set(verdicts.values()) <= set(run.VERDICTS)
    assert {verdicts[what] for what in FIXED_ROWS if what.startswith("PostgreSQL")} == {"skipped"}
    assert "skipped" not in {verdicts[what] for what in FIXED_ROWS if what.startswith("SQLite")}
    assert "bare output identical: yes" in buffer.getvalue()
    assert "the plain view answers the same JSON as the API: yes" in buffer.getvalue()
