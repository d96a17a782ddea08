"""Smoke test of bench/exports.py: it runs at a tiny size and prints its table and goals.

Times are never asserted (they depend on the machine). What the benchmark prints besides
times is checked: the exports it measures, a calendar rebuilt with bare icalendar that is
the same file as ours, query counts that do not grow with the journey, and the goal lines.
One run feeds every assertion: a run takes seconds even at this size.
"""

import contextlib
import io
import re

from bench import exports

LABELS = ["team calendar (ICS)", "team booklet (PDF)", "rooming list (PDF)", "manifest (PDF)"]
TIME_ROW = re.compile(r"^(.{22}) .+ ms \(.+\) .+ ms \(.+\)\s+\d+\.\d\dx  (met|NOT met)$")


def test_the_benchmark_prints_its_table_and_goals(db):
    buffer = io.StringIO()

    with contextlib.redirect_stdout(buffer):
        exports.main(["--stops", "5", "--participants", "20", "--rounds", "1"])

    lines = buffer.getvalue().splitlines()
    times = lines.index(exports.TABLE_HEADER) + 1
    labels = [TIME_ROW.match(row).group(1).strip() for row in lines[times : times + 4]]
    assert labels == LABELS
    calendar = next(line for line in lines if line.startswith("calendar: "))
    assert calendar.endswith("bare output identical: yes")
    counts = next(i for i, line in enumerate(lines) if line.endswith("  constant")) + 1
    assert [tuple(row.split()[-3:]) for row in lines[counts : counts + 4]] == [
        ("10", "10", "yes"),  # calendar: the plan without its beds, and the meals
        ("11", "11", "yes"),  # booklet: and the hosts
        ("8", "8", "yes"),  # rooming list: lodgings, participants and beds, no seats
        ("8", "8", "yes"),  # manifest: participants, vehicles and seats, no lodgings
    ]
    assert [re.sub(r": (met|NOT met)$", "", line) for line in lines[-2:]] == [
        "goal: each export within 1.5x of the bare library",
        "goal: query count constant in stops and participants",
    ]
