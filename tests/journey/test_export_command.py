"""`manage.py export_itinerary`, the exporter registry and the CSV lists it writes."""

import csv
import io

import icalendar
import pytest
from django.core.management import CommandError, call_command

from journey.exporters import ExportError, get_exporter
from journey.exporters.csv import safe_cell
from stops.services import approve_host
from tests.factories import HostAllyFactory
from tests.journey.test_itinerary import build_scenario

CONFIDENTIAL = "CONFIDENTIAL: team only. Holds names, phones and addresses; do not share."


@pytest.fixture
def scenario(db):
    return build_scenario()


def run(*args) -> str:
    out = io.StringIO()
    call_command("export_itinerary", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# --- calendar -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "events", "name"),
    [
        ((), 16, "TPS Journey (team)"),
        (("--audience", "public"), 8, "TPS Journey"),
        (("--audience", "team"), 16, "TPS Journey (team)"),
    ],
)
def test_writes_the_journey_calendar(scenario, tmp_path, extra, events, name):
    target = tmp_path / "feed.ics"

    run("tps-journey", "--format", "ics", *extra, "-o", str(target))

    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    assert (len(calendar.walk("VEVENT")), str(calendar["X-WR-CALNAME"])) == (events, name)


def test_writes_a_personal_calendar_to_standard_output(scenario):
    text = run("tps-journey", "--format", "ics", "--participant", str(scenario.rider.pk))

    calendar = icalendar.Calendar.from_ical(text)
    assert len(calendar.walk("VEVENT")) == 7
    assert len(calendar.walk("VALARM")) == 1


# --- CSV lists ------------------------------------------------------------------------------


def test_writes_the_rooming_list(scenario, tmp_path):
    target = tmp_path / "rooming.csv"

    run("tps-journey", "--format", "csv", "--document", "rooming", "-o", str(target))

    raw = target.read_bytes()
    phoenix = ["2026-03-01", "Phoenix, AZ", "Sanctuary Hall", "417 Quiet Alley"]
    el_paso = ["2026-03-02", "El Paso, TX", "Casa Anunciacion", "325 Leon St"]
    houston = ["2026-03-07", "Houston, TX", "Bayou Fellowship", "5 Canal St"]
    beto = ["Beto", "", "", "", "wheelchair"]
    dagoberto = ["Dagoberto", "", "", "", ""]
    xiomara = ["Xiomara", "Xiomara Quetzal Ruiz", "'+1 555 0199", "vegetarian", ""]
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the mark
    assert rows(raw.decode("utf-8-sig")) == [
        [CONFIDENTIAL],
        [
            "Night",
            "Stop",
            "Lodging",
            "Address",
            "Name",
            "Full name",
            "Phone",
            "Dietary needs",
            "Accessibility needs",
        ],
        [*phoenix, *beto],
        [*phoenix, *dagoberto],
        [*phoenix, *xiomara],
        [*el_paso, *beto],
        [*el_paso, *dagoberto],
        [*el_paso, *xiomara],
        [*houston, *beto],
        [*houston, *dagoberto],
    ]


def test_a_lodging_with_nobody_assigned_still_has_its_row(scenario):
    scenario.lodgings["houston"].beds.all().delete()

    text = run(
        "tps-journey",
        "--format",
        "csv",
        "--document",
        "rooming",
        "--stop",
        str(scenario.stops["houston"].pk),
    )

    assert rows(text)[2:] == [
        ["2026-03-07", "Houston, TX", "Bayou Fellowship", "5 Canal St", "", "", "", "", ""]
    ]


def test_writes_the_manifest_for_one_stop(scenario):
    text = run(
        "tps-journey",
        "--format",
        "csv",
        "--document",
        "manifest",
        "--stop",
        str(scenario.stops["phoenix"].pk),
    )

    where_la = ["2026-03-01 09:00 PST", "Los Angeles, CA", "Phoenix, AZ", "Bus Aztlan", "CRV-0042"]
    where_phx = ["2026-03-02 09:00 MST", "Phoenix, AZ", "El Paso, TX", "Bus Aztlan", "CRV-0042"]
    xiomara = ["Xiomara", "Xiomara Quetzal Ruiz", "'+1 555 0199", "Rosalind Ruiz", "'+1 555 0198"]
    assert rows(text) == [
        [CONFIDENTIAL],
        [
            "Departure",
            "From",
            "To",
            "Vehicle",
            "Plate",
            "Role",
            "Name",
            "Full name",
            "Phone",
            "Emergency contact",
            "Emergency phone",
        ],
        [*where_la, "Driver", "Dagoberto", "", "", "", ""],
        [*where_la, "Passenger", "Beto", "", "", "", ""],
        [*where_phx, "Driver", "Dagoberto", "", "", "", ""],
        [*where_phx, "Passenger", "Beto", "", "", "", ""],
        [*where_phx, "Passenger", *xiomara],
    ]


# --- formula injection (OWASP: a leading ' keeps a spreadsheet from running a cell) ----------

EVIL_HOST = '=HYPERLINK("http://evil.test","Iglesia")'


@pytest.fixture
def poisoned(scenario):
    """An anonymous host's application, approved into lodging at Houston, and rider data
    that a spreadsheet would run: a name, a plate and needs (the notes of the lists)."""
    houston = scenario.stops["houston"]
    host = HostAllyFactory(journey=scenario.journey, organization=EVIL_HOST, city="Houston")
    _host, lodging = approve_host(
        host=host,
        stop=houston,
        lodging={
            "name": host.organization,  # what the approval form proposes
            "kind": "church",
            "address": "@SUM(1+1)*cmd|' /C calc'!A0",
            "capacity": 5,
            "check_in": houston.arrival,
            "check_out": houston.departure,
        },
    )
    scenario.lodgings["houston"].beds.update(lodging=lodging)
    beto = scenario.beto
    beto.display_name = "-2+3+cmd|' /C calc'!A0"
    beto.dietary_needs = "\t=1+1"
    beto.accessibility_needs = "\r=1+1"
    beto.save()
    scenario.bus.plate = "+1-1"
    scenario.bus.save()
    return scenario


def test_no_rooming_cell_is_a_formula(poisoned):
    houston = str(poisoned.stops["houston"].pk)

    text = run("tps-journey", "--format", "csv", "--document", "rooming", "--stop", houston)

    where = ["2026-03-07", "Houston, TX", "'" + EVIL_HOST, "'@SUM(1+1)*cmd|' /C calc'!A0"]
    assert rows(text)[2:] == [
        [*where, "'-2+3+cmd|' /C calc'!A0", "", "", "'\t=1+1", "'\r=1+1"],
        [*where, "Dagoberto", "", "", "", ""],
        ["2026-03-07", "Houston, TX", "Bayou Fellowship", "5 Canal St", "", "", "", "", ""],
    ]


def test_no_manifest_cell_is_a_formula_and_plain_values_stay(poisoned):
    phoenix = str(poisoned.stops["phoenix"].pk)

    text = run("tps-journey", "--format", "csv", "--document", "manifest", "--stop", phoenix)

    where = ["2026-03-02 09:00 MST", "Phoenix, AZ", "El Paso, TX", "Bus Aztlan", "'+1-1"]
    assert rows(text)[-3:] == [
        [*where, "Driver", "Dagoberto", "", "", "", ""],
        [*where, "Passenger", "'-2+3+cmd|' /C calc'!A0", "", "", "", ""],
        [
            *where,
            "Passenger",
            "Xiomara",
            "Xiomara Quetzal Ruiz",
            "'+1 555 0199",
            "Rosalind Ruiz",
            "'+1 555 0198",
        ],
    ]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1 555 0100", "'+1 555 0100"),
        ("-5", "'-5"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Iglesia =1", "Iglesia =1"),
        ("", ""),
        (None, ""),
    ],
)
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("nowhere", "--format", "ics"),
            "No journey with the slug “nowhere”.",
        ),
        (
            ("tps-journey", "--format", "docx"),
            "The docx format is not available. Available formats: csv, gpx, ics, kml, pdf.",
        ),
        (
            ("tps-journey", "--format", "csv"),
            "Choose a document of the csv format: rooming, manifest.",
        ),
        (
            ("tps-journey", "--format", "csv", "--document", "seating"),
            "There is no seating document in csv. Available: rooming, manifest.",
        ),
        (
            ("tps-journey", "--format", "csv", "--document", "rooming", "--audience", "public"),
            "The rooming csv export is not for the public.",
        ),
        (
            ("tps-journey", "--format", "ics", "--participant", "999999"),
            "No participant 999999 in the journey “tps-journey”.",
        ),
        (
            ("tps-journey", "--format", "ics", "--stop", "999999"),
            "No stop 999999 in the journey “tps-journey”.",
        ),
    ],
)
def test_clear_errors(scenario, args, message):
    with pytest.raises(CommandError) as error:
        run(*args)

    assert str(error.value) == message


def test_a_personal_export_takes_no_audience(scenario):
    with pytest.raises(CommandError) as error:
        run(
            "tps-journey",
            "--format",
            "ics",
            "--participant",
            str(scenario.rider.pk),
            "--audience",
            "public",
        )

    assert str(error.value) == "--participant and --audience cannot be used together."


def test_a_csv_list_is_not_for_one_participant(scenario):
    with pytest.raises(CommandError) as error:
        run(
            "tps-journey",
            "--format",
            "csv",
            "--document",
            "manifest",
            "--participant",
            str(scenario.rider.pk),
        )

    assert str(error.value) == "The manifest csv export is not for one participant."


def test_the_calendar_covers_the_whole_journey(scenario):
    with pytest.raises(CommandError) as error:
        run("tps-journey", "--format", "ics", "--stop", str(scenario.stops["phoenix"].pk))

    assert str(error.value) == "This export covers the whole journey; it takes no stop."


def test_the_registry_finds_each_exporter_by_format_and_document():
    found = [
        (get_exporter(f, d).identifier(), get_exporter(f, d).content_type)
        for f, d in [("ics", None), ("ics", "calendar"), ("csv", "rooming"), ("csv", "manifest")]
    ]

    assert found == [
        ("ics-calendar", "text/calendar; charset=utf-8"),
        ("ics-calendar", "text/calendar; charset=utf-8"),
        ("csv-rooming", "text/csv; charset=utf-8"),
        ("csv-manifest", "text/csv; charset=utf-8"),
    ]
    with pytest.raises(ExportError):
        get_exporter("docx")
