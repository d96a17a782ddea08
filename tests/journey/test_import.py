"""Importing a route from CSV: good files, every kind of bad row, and the command."""

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal
from io import StringIO
from itertools import pairwise
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from journey.checks import find_problems
from journey.formatting import format_distance, format_duration
from journey.importers import ImportFailed, import_route, model_errors, read_route
from journey.models import Journey, Leg, Route, RouteStop
from journey.problems import Kind
from stops.models import Stop
from tests.factories import JourneyFactory, RouteFactory, StopFactory, local

DATA = Path(__file__).parent / "data"
GOOD = DATA / "route_good.csv"
HEADER = "city,state,arrival,departure,kind,latitude,longitude\n"
LA_ROW = "Los Angeles,CA,2026-07-01 07:00,2026-07-01 08:00,,34.052235,-118.243683\n"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def run_import(content, **options):
    """Import CSV text (or bytes) into the journey "tps-2026"."""
    data = content if isinstance(content, bytes) else content.encode()
    return import_route(journey_slug="tps-2026", file=data, **options)


def import_errors(content, **options) -> list[str]:
    with pytest.raises(ImportFailed) as failure:
        run_import(content, **options)
    return [str(error) for error in failure.value.errors]


def saved_rows():
    return (Journey.objects.count(), Route.objects.count(), Stop.objects.count())


def route_stops(route):
    return [rs.stop for rs in RouteStop.objects.filter(route=route).select_related("stop")]


# --- A good file -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_good_file_creates_the_journey_with_its_stops_in_file_order():
    with GOOD.open("rb") as file:
        result = import_route(journey_slug="tps-2026", file=file)

    stops = route_stops(result.route)
    assert result.journey_created is True
    assert (result.journey.name, result.journey.slug) == ("Tps 2026", "tps-2026")
    assert result.journey.home_timezone == "America/Los_Angeles"
    assert (result.journey.start_date, result.journey.end_date) == (
        date(2026, 7, 1),
        date(2026, 7, 9),
    )
    assert result.route.name == "Main"
    assert result.stops == stops
    assert [(s.city, s.state, s.timezone, s.kind) for s in stops] == [
        ("Los Angeles", "CA", "America/Los_Angeles", "rally"),
        ("Phoenix", "AZ", "America/Phoenix", "overnight"),
        ("El Paso", "TX", "America/Denver", "overnight"),
        ("San Antonio", "TX", "America/Chicago", "overnight"),
        ("New Orleans", "LA", "America/Chicago", "overnight"),
        ("Washington", "DC", "America/New_York", "meeting"),
        ("Richmond", "VA", "America/New_York", "rest"),
        ("Washington", "DC", "America/New_York", "rally"),
    ]
    assert [(s.arrival, s.departure) for s in stops] == [
        (utc(2026, 7, 1, 14), utc(2026, 7, 1, 15)),  # PDT, UTC-7
        (utc(2026, 7, 1, 23), utc(2026, 7, 2, 15)),  # Phoenix keeps MST, UTC-7
        (utc(2026, 7, 2, 23), utc(2026, 7, 3, 13)),  # El Paso on MDT, UTC-6
        (utc(2026, 7, 4, 0), utc(2026, 7, 5, 12)),  # CDT, UTC-5
        (utc(2026, 7, 6, 0), utc(2026, 7, 6, 11)),
        (utc(2026, 7, 7, 16), utc(2026, 7, 8, 13)),  # EDT, UTC-4
        (utc(2026, 7, 8, 15), utc(2026, 7, 8, 19)),
        (utc(2026, 7, 8, 22), utc(2026, 7, 9, 14)),
    ]
    assert (stops[0].venue, stops[0].private_notes, stops[0].public_notes) == (
        "Olvera Street",
        "Send-off rally",
        "",
    )
    assert (stops[5].venue, stops[5].address) == ("Union Station", "50 Massachusetts Ave NE")
    assert (stops[1].latitude, stops[1].longitude) == (Decimal("33.448376"), Decimal("-112.074036"))
    assert problems_of(result.journey) == border_warnings(result.journey)


@pytest.mark.django_db
def test_good_file_gets_one_leg_between_each_pair_of_stops():
    result = run_import(GOOD.read_bytes())

    legs = list(Leg.objects.filter(route=result.route).order_by("position"))
    assert [(leg.origin, leg.destination) for leg in legs] == list(pairwise(result.stops))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("index", "expected"),
    [(3, (29.4241, -98.4936)), (6, (37.5538, -77.4603)), (7, (38.8951, -77.0364))],
    ids=["San Antonio", "Richmond", "Washington again"],
)
def test_rows_without_coordinates_are_geocoded_by_city_and_state(index, expected):
    result = run_import(GOOD.read_bytes())

    stop = result.stops[index]
    assert abs(float(stop.latitude) - expected[0]) < 0.1
    assert abs(float(stop.longitude) - expected[1]) < 0.1


@pytest.mark.django_db
def test_the_same_city_twice_is_two_stops():
    result = run_import(GOOD.read_bytes())

    washington = Stop.objects.filter(journey=result.journey, city="Washington")
    assert [stop.pk for stop in washington] == [result.stops[5].pk, result.stops[7].pk]


TWO_STOPS = HEADER + LA_ROW + "Phoenix,AZ,2026-07-01 16:00,2026-07-02 08:00,rally,,\n"
TWO_STOPS_SAVED = [
    ("Los Angeles", "CA", utc(2026, 7, 1, 14), utc(2026, 7, 1, 15), "overnight"),
    ("Phoenix", "AZ", utc(2026, 7, 1, 23), utc(2026, 7, 2, 15), "rally"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        "\ufeff" + TWO_STOPS.replace("\n", "\r\n"),  # Excel: BOM and CRLF
        TWO_STOPS.replace(",", ";"),  # Excel in a Spanish-language locale
        TWO_STOPS.replace("\n", "\n\n"),  # blank lines
        TWO_STOPS.replace("\n", ",,\n"),  # empty trailing columns
        TWO_STOPS.replace(",", " ,  ").replace("Los Angeles", "Los   Angeles"),  # spaces
        "LONGITUDE,Arrival,City,kind,STATE,Departure,latitude\n"
        "-118.243683,2026-07-01 07:00,Los Angeles,,CA,2026-07-01 08:00,34.052235\n"
        ",2026-07-01 16:00,Phoenix,rally,AZ,2026-07-02 08:00,\n",  # header in any case and order
    ],
    ids=["bom-crlf", "semicolons", "blank-lines", "trailing-empty", "spaces", "header"],
)
def test_spreadsheet_quirks_import_the_same_stops(content):
    result = run_import(content)

    assert [(s.city, s.state, s.arrival, s.departure, s.kind) for s in result.stops] == (
        TWO_STOPS_SAVED
    )
    assert result.warnings == []


@pytest.mark.django_db
def test_unknown_columns_are_ignored_with_a_warning():
    text = "city,state,arrival,departure,latitude,longitude,host,phone\n" + (
        "Los Angeles,CA,2026-07-01 07:00,2026-07-01 08:00,34.052235,-118.243683,Ana,555\n"
    )

    result = run_import(text)

    assert [stop.city for stop in result.stops] == ["Los Angeles"]
    assert result.warnings == ["Ignored columns the import does not know: host, phone."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("", "overnight"),
        ("rally", "rally"),
        ("RALLY", "rally"),
        ("Rest / fuel", "rest"),
        ("rest/fuel", "rest"),
        ("Meeting", "meeting"),
        ("mitin", "rally"),
        ("Reunión", "meeting"),
        ("reunion", "meeting"),
        ("Descanso / combustible", "rest"),
        ("pernocta", "overnight"),
    ],
)
def test_kind_is_a_value_or_an_english_or_spanish_label(typed, kind):
    result = run_import(HEADER + LA_ROW.replace(",,34", f",{typed},34"))

    assert [stop.kind for stop in result.stops] == [kind]


@pytest.mark.django_db
def test_state_is_stored_as_its_code():
    result = run_import(HEADER + LA_ROW.replace(",CA,", ",california,"))

    assert [stop.state for stop in result.stops] == ["CA"]


@pytest.mark.django_db
def test_an_ambiguous_local_time_is_its_first_occurrence():
    # Nov 1, 2026: Houston's clocks go from 01:59 CDT back to 01:00 CST.
    text = HEADER + "Houston,TX,2026-11-01 01:30,2026-11-01 09:00,,29.760427,-95.369804\n"

    run_import(text)

    assert [stop.arrival for stop in Stop.objects.all()] == [utc(2026, 11, 1, 6, 30)]  # CDT


@pytest.mark.django_db
def test_notes_keep_their_line_breaks_and_stay_private():
    text = "city,state,arrival,departure,latitude,longitude,notes\n" + (
        'Los Angeles,CA,2026-07-01 07:00,2026-07-01 08:00,34.05,-118.24," Meet at the park\n'
        'Bring water "\n'
    )

    result = run_import(text)

    assert [(s.private_notes, s.public_notes) for s in result.stops] == [
        ("Meet at the park\nBring water", "")
    ]


@pytest.mark.django_db
def test_a_text_file_object_imports_too():
    with GOOD.open(encoding="utf-8") as file:
        result = import_route(journey_slug="tps-2026", file=file)

    assert len(result.stops) == 8


def problems_of(journey):
    return [(p.kind, p.leg_id) for p in find_problems(journey)]


def border_warnings(journey):
    """The preparation warnings a route through the border zone gets until the legal team is set."""
    legs = Leg.objects.filter(route__journey=journey).order_by("position")
    return [
        (Kind.BORDER_UNPREPARED, leg.pk) for leg in legs if leg.in_border_zone or leg.checkpoints
    ]


# --- Well formed, but a poor plan: imported, and the checks say why ---------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "kinds"),
    [
        (
            "Phoenix,AZ,2026-07-01 10:00,2026-07-02 08:00,,33.448376,-112.074036\n",
            [Kind.DRIVE_DOES_NOT_FIT],
        ),
        (
            "Phoenix,AZ,2026-06-30 10:00,2026-07-02 08:00,,33.448376,-112.074036\n",
            [Kind.OUT_OF_ORDER],
        ),
    ],
    ids=["drive-too-short", "out-of-order"],
)
def test_a_poor_plan_is_imported_and_the_checks_report_it(rows, kinds):
    result = run_import(HEADER + LA_ROW + rows)

    assert len(result.stops) == 2
    # Los Angeles to Phoenix runs through the border zone: the checks also ask for preparation.
    assert [problem.kind for problem in find_problems(result.journey)] == [
        *kinds,
        Kind.BORDER_UNPREPARED,
    ]


@pytest.mark.django_db
def test_sample_file_with_a_short_drive_imports():
    result = run_import((DATA / "route_short_drive.csv").read_bytes())

    assert [p.kind for p in find_problems(result.journey)] == [
        Kind.DRIVE_DOES_NOT_FIT,
        Kind.BORDER_UNPREPARED,
    ]


# --- Bad files: every problem reported, nothing saved -----------------------------------------


# Every error of tests/journey/data/route_bad.csv, in file order.
BAD_FILE_ERRORS = [
    'line 3, city: no place called "Springfieldx, IL" was found; check the spelling and '
    "the state, or give latitude and longitude",
    'line 4, arrival: "2026-13-01 10:00" is not a date and time as YYYY-MM-DD HH:MM',
    'line 6, departure: "2026-07-03 07:00" is before the arrival, "2026-07-03 19:00"',
    "line 7, longitude: empty; give both latitude and longitude, or neither",
    'line 8, latitude: "95" is out of range; latitude goes from -90 to 90',
    'line 9, kind: "party" is not a kind of stop; use one of overnight, rally, rest, '
    "meeting (or their English or Spanish names)",
    'line 10, arrival: "2026-03-08 02:30" does not exist in America/Chicago: the clocks '
    "skip that hour when daylight saving time begins",
]


@pytest.mark.django_db
def test_every_bad_row_is_reported_and_nothing_is_saved():
    with pytest.raises(ImportFailed) as failure:
        run_import((DATA / "route_bad.csv").read_bytes())

    assert [str(error) for error in failure.value.errors] == BAD_FILE_ERRORS
    assert saved_rows() == (0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "line", "field"),
    [
        ("Springfieldx,IL,2026-07-01 16:00,2026-07-02 08:00,,,", 3, "city"),
        ("Phoenix,Arizonia,2026-07-01 16:00,2026-07-02 08:00,,,", 3, "state"),
        (",AZ,2026-07-01 16:00,2026-07-02 08:00,,33.4,-112.0", 3, "city"),
        ("Phoenix,AZ,07/01/2026 16:00,2026-07-02 08:00,,33.4,-112.0", 3, "arrival"),
        ("Phoenix,AZ,2026-07-01 16:00,2026-07-01 15:59,,33.4,-112.0", 3, "departure"),
        ("Phoenix,AZ,2026-07-01 16:00,,,33.4,-112.0", 3, "departure"),
        ("Phoenix,AZ,2026-07-01 16:00,2026-07-02 08:00,,33.4,", 3, "longitude"),
        ("Phoenix,AZ,2026-07-01 16:00,2026-07-02 08:00,,,-112.0", 3, "latitude"),
        ("Phoenix,AZ,2026-07-01 16:00,2026-07-02 08:00,,-90.5,-112.0", 3, "latitude"),
        ("Phoenix,AZ,2026-07-01 16:00,2026-07-02 08:00,,33.4,-181", 3, "longitude"),
        ("Phoenix,AZ,2026-07-01 16:00,2026-07-02 08:00,,33.4.1,-112.0", 3, "latitude"),
        ("Phoenix,AZ,2026-07-01 16:00,2026-07-02 08:00,,35.0,-40.0", 3, "latitude"),  # at sea
        ("Phoenix,AZ,2026-07-01 16:00,2026-07-02 08:00,fiesta,33.4,-112.0", 3, "kind"),
        ("Phoenix,AZ,2026-07-01 16:00,2026-07-02 08:00,,33.4,-112.0,extra", 3, ""),
        ("Chicago,IL,2026-03-08 02:00,2026-03-08 09:00,,41.88,-87.63", 3, "arrival"),
    ],
    ids=[
        "unknown-place",
        "unknown-state",
        "no-city",
        "bad-date",
        "departure-before-arrival",
        "no-departure",
        "lat-without-lon",
        "lon-without-lat",
        "latitude-out-of-range",
        "longitude-out-of-range",
        "not-a-number",
        "at-sea",
        "bad-kind",
        "too-many-values",
        "nonexistent-local-time",
    ],
)
def test_a_bad_row_names_its_line_and_field(row, line, field):
    with pytest.raises(ImportFailed) as failure:
        run_import(HEADER + LA_ROW + row + "\n")

    assert [(e.line, e.field) for e in failure.value.errors] == [(line, field)]
    assert saved_rows() == (0, 0, 0)


@pytest.mark.django_db
def test_line_numbers_are_physical_lines_of_the_file():
    text = (
        HEADER
        + '"Los Angeles",CA,2026-07-01 07:00,2026-07-01 08:00,"rally",34.05,-118.24\n'
        + "\n"
        + 'Phoenix,AZ,2026-07-01 16:00,2026-07-02 08:00,"over\nnight",33.4,-112.0\n'
        + "Tucson,AZ,2026-07-02 12:00,2026-07-02 11:00,,32.2,-110.9\n"
    )

    assert import_errors(text) == [
        'line 4, kind: "over night" is not a kind of stop; use one of overnight, rally, rest, '
        "meeting (or their English or Spanish names)",
        'line 6, departure: "2026-07-02 11:00" is before the arrival, "2026-07-02 12:00"',
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "city,arrival,latitude\n" + LA_ROW,
            [
                "line 1: missing columns: state, departure (the first line must name city, "
                "state, arrival, departure)"
            ],
        ),
        (
            "\n\ncity,state,arrival\n",
            [
                "line 3: missing columns: departure (the first line must name city, state, "
                "arrival, departure)"
            ],
        ),
        (
            "city,state,arrival,departure,lattitude,longitude\n" + LA_ROW,
            ["line 1, lattitude: unknown column; did you mean latitude?"],
        ),
        (
            "city,state,arrival,departure,city\n",
            ["line 1: columns named more than once: city"],
        ),
        (
            "",
            [
                "line 1: the file is empty; the first line must name the columns city, state, "
                "arrival, departure"
            ],
        ),
        (
            "\r\n  \r\n,,,\r\n",
            [
                "line 1: the file is empty; the first line must name the columns city, state, "
                "arrival, departure"
            ],
        ),
        (HEADER, ["the file names its columns but has no stops"]),
        (
            (HEADER + "San José,CA,2026-07-01 07:00,2026-07-01 08:00,,,\n").encode("cp1252"),
            [
                "line 2: the file is not UTF-8 text; in a spreadsheet, save it as “CSV UTF-8” "
                "and try again"
            ],
        ),
    ],
    ids=[
        "missing-columns",
        "header-after-blank-lines",
        "misspelt-column",
        "repeated-column",
        "empty-file",
        "blank-file",
        "header-only",
        "not-utf8",
    ],
)
def test_a_bad_file_is_one_error(content, expected):
    assert import_errors(content) == expected
    assert saved_rows() == (0, 0, 0)


PHOENIX = "Phoenix,AZ,2026-07-01 16:00,2026-07-02 08:00,,33.4,-112.0\n"


@pytest.mark.django_db
def test_a_cell_over_128_kib_is_an_error_naming_its_line_and_column():
    huge = "x" * (128 * 1024 + 1)
    text = (
        "city,state,arrival,departure,kind,latitude,longitude,notes\n"
        + LA_ROW.replace("\n", f',"{huge}"\n')
        + PHOENIX.replace("\n", ",fine\n")
    )

    assert import_errors(text) == [
        "line 2, notes: 131073 characters; a cell may hold at most 10000"
    ]
    assert saved_rows() == (0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arrival", "departure"),
    [("0001-01-01 00:00", "0001-01-01 08:00"), ("9999-12-31 20:00", "9999-12-31 23:59")],
    ids=["year-1", "year-9999"],
)
def test_a_year_out_of_range_is_an_error_not_a_crash(arrival, departure):
    row = f"Phoenix,AZ,{arrival},{departure},,33.4,-112.0\n"

    assert import_errors(HEADER + LA_ROW + row) == [
        f'line 3, arrival: "{arrival}": the year must be between 1970 and 2100',
        f'line 3, departure: "{departure}": the year must be between 1970 and 2100',
    ]
    assert saved_rows() == (0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ('Phoenix,AZ,2026-07-01 16:00,2026-07-02 08:00,,33.4,"-112.0\x00"', "longitude"),
        ("Phoenix,AZ,2026-07-01 16:00,2026-07-02 08:00,,1E+999999999,-112.0", "latitude"),
        ("Phoenix,AZ,2026-07-01 16:00,2026-07-02 08:00,,sNaN,-112.0", "latitude"),
        ("Phoenix,AZ,2026-07-01 16:00,2026-07-02 08:00,,0.0000001,1E-999999999", "latitude"),
        ("Phoenix,AZ,2026-07-01 16:00,2026-07-02 08:00,,,,,,,,,,,,,,x", ""),
        ("Phoenix,AZ,2026-07-01 16:00,2026-07-02 08:00,,33.4,-112.0,x" * 300, ""),
        ("Phoenix,AZ,99999-07-01 16:00,2026-07-02 08:00,,33.4,-112.0", "arrival"),
        ("Phoenix,AZ,2026-07-01 16:00:00.5,2026-07-02 08:00,,33.4,-112.0", "arrival"),
    ],
    ids=[
        "nul",
        "huge-exponent",
        "snan",
        "at-sea-tiny",
        "extra-empty",
        "long-row",
        "year-5",
        "secs",
    ],
)
def test_odd_values_are_errors_naming_line_and_column(row, expected):
    with pytest.raises(ImportFailed) as failure:
        run_import(HEADER + LA_ROW + row + "\n")

    assert [(e.line, e.field) for e in failure.value.errors] == [(3, expected)]
    assert saved_rows() == (0, 0, 0)


@pytest.mark.django_db
def test_a_stray_quote_is_an_error_naming_line_and_column():
    text = HEADER + LA_ROW + 'Phoenix,AZ,2026-07-01 16:00,"2026-07-02 08:00"x,,33.4,-112.0\n'

    assert import_errors(text) == [
        'line 3, departure: "2026-07-02 08:00x" is not a date and time as YYYY-MM-DD HH:MM'
    ]


@pytest.mark.django_db
def test_identical_rows_are_reported_as_duplicates_with_both_lines():
    tucson = "Tucson,AZ,2026-07-02 12:00,2026-07-02 13:00,rest,32.2,-110.9\n"
    same_written_otherwise = (
        "Phoenix,Arizona,2026-07-01 16:00,2026-07-02 08:00,overnight,33.40,-112\n"
    )
    text = HEADER + LA_ROW + PHOENIX + tucson + PHOENIX + same_written_otherwise

    assert import_errors(text) == [
        "line 5: the same stop as line 3 (every value is equal); remove one",
        "line 6: the same stop as line 3 (every value is equal); remove one",
    ]
    assert saved_rows() == (0, 0, 0)


def test_the_stop_models_own_validation_runs_on_every_row():
    """Values that only the model's validators and choices would catch are refused too."""
    good = import_row_of(HEADER + LA_ROW)
    odd = dataclasses.replace(good, timezone="Mars/Olympus_Mons", kind="party")

    assert [str(error) for error in model_errors(odd)] == [
        "line 2, timezone: Mars/Olympus_Mons is not an IANA time zone such as America/Chicago.",
        "line 2, kind: Value 'party' is not a valid choice.",
    ]
    assert model_errors(good) == []


def import_row_of(text: str):
    rows, errors, _warnings = read_route(text)
    assert errors == []
    return rows[0]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["Bad Slug!", "x" * 101])
def test_the_journey_slug_is_validated(slug):
    with pytest.raises(ImportFailed) as failure:
        import_route(journey_slug=slug, file=GOOD.read_bytes())

    assert [str(error) for error in failure.value.errors] == [
        f'"{slug}" is not a journey slug: use up to 100 letters, numbers, hyphens and underscores'
    ]
    assert saved_rows() == (0, 0, 0)


# --- Existing journeys and routes -------------------------------------------------------------


@pytest.mark.django_db
def test_existing_journey_gets_the_stops_on_its_first_route_unchanged_otherwise():
    journey = JourneyFactory(slug="tps-2026", name="TPS Caravan", home_timezone="America/Chicago")
    first = RouteFactory(journey=journey, name="North")
    RouteFactory(journey=journey, name="South")

    result = run_import(HEADER + LA_ROW, journey_name="Another name")

    journey.refresh_from_db()
    assert (result.journey, result.route, result.journey_created) == (journey, first, False)
    assert route_stops(first) == result.stops
    assert (journey.name, journey.home_timezone, journey.start_date) == (
        "TPS Caravan",
        "America/Chicago",
        None,
    )
    assert result.warnings == ["The journey already exists: its name stays “TPS Caravan”."]


@pytest.mark.django_db
def test_a_named_route_is_created_when_missing():
    journey = JourneyFactory(slug="tps-2026")
    RouteFactory(journey=journey, name="Main")

    result = run_import(HEADER + LA_ROW, route_name="Return")

    assert [route.name for route in journey.routes.all()] == ["Main", "Return"]
    assert route_stops(result.route) == result.stops


@pytest.mark.django_db
def test_a_new_journey_takes_the_given_name_and_route():
    result = run_import(HEADER + LA_ROW, journey_name="TPS Caravan", route_name="West")

    assert (result.journey.name, result.route.name) == ("TPS Caravan", "West")


@pytest.mark.django_db
def test_a_route_with_stops_is_refused_without_replace():
    first = run_import(GOOD.read_bytes())

    assert import_errors(HEADER + LA_ROW) == [
        'route "Main" of journey "tps-2026" already has 8 stops; import with --replace to '
        "delete them and load the file"
    ]
    assert route_stops(first.route) == first.stops


@pytest.mark.django_db
def test_replace_deletes_the_routes_stops_and_keeps_those_on_other_routes():
    first = run_import(GOOD.read_bytes())
    other = RouteFactory(journey=first.journey, name="Other")
    shared = first.stops[0]
    RouteStop.objects.create(route=other, stop=shared, position=0)

    result = run_import(HEADER + LA_ROW, replace=True)

    assert result.replaced_stops == 8
    assert route_stops(first.route) == result.stops
    assert list(Stop.objects.order_by("pk")) == [shared, *result.stops]
    assert list(Leg.objects.filter(route=first.route)) == []


@pytest.mark.django_db
def test_a_failed_replace_keeps_the_old_stops():
    first = run_import(GOOD.read_bytes())

    import_errors(HEADER + LA_ROW.replace("07:00", "7 am"), replace=True)

    assert route_stops(first.route) == first.stops
    assert Leg.objects.filter(route=first.route).count() == 7


@pytest.mark.django_db
def test_an_existing_stop_elsewhere_does_not_block_the_import():
    journey = JourneyFactory(slug="tps-2026")
    StopFactory(journey=journey, arrival=local("America/Phoenix", 2026, 6, 1, 9))

    result = run_import(HEADER + LA_ROW)

    assert result.route.name == "Main"
    assert Stop.objects.filter(journey=journey).count() == 2


# --- The command ------------------------------------------------------------------------------


def run_command(*args):
    out, err = StringIO(), StringIO()
    call_command("import_route", *args, stdout=out, stderr=err, no_color=True)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_command_prints_a_summary():
    out, err = run_command("tps-2026", str(GOOD), "--name", "TPS Caravan")

    journey = Journey.objects.get(slug="tps-2026")
    legs = list(Leg.objects.filter(route__journey=journey))
    distance = format_distance(sum(leg.distance_km for leg in legs), "mi")
    driving = format_duration(sum(leg.driving_minutes for leg in legs))
    assert out.splitlines() == [
        "Created the journey “TPS Caravan” (tps-2026).",
        "Imported 8 stops into route “Main”.",
        f"Driving: {distance} in {driving} over 7 legs.",
        f"Schedule checks: {len(border_warnings(journey))} problems.",
        *[f"- {p.message}" for p in find_problems(journey)[:5]],
        f"… and {len(border_warnings(journey)) - 5} more.",
    ]
    assert err == ""


@pytest.mark.django_db
def test_command_lists_the_first_schedule_problems(tmp_path):
    # Each stop is reached an hour before the previous one is left: six stops out of order.
    rows = "".join(
        f"Stop {n},AZ,2026-07-01 {10 + n}:00,2026-07-01 {12 + n}:00,,33.4,-112.0\n"
        for n in range(7)
    )
    path = tmp_path / "route.csv"
    path.write_text(HEADER + rows)

    out, _err = run_command("tps-2026", str(path))

    lines = out.splitlines()
    assert lines[3] == "Schedule checks: 6 problems."
    assert lines[4:] == [
        f"- Main: arrival in Stop {n}, AZ (Jul 1, {10 + n}:00 MST) is before the departure "
        f"from Stop {n - 1}, AZ (Jul 1, {11 + n}:00 MST)."
        for n in range(1, 6)
    ] + ["… and 1 more."]


@pytest.mark.django_db
def test_command_fails_with_every_error_and_status_1():
    with pytest.raises(CommandError) as failure:
        run_command("tps-2026", str(DATA / "route_bad.csv"))

    assert str(failure.value) == "Nothing was imported: 7 problems."
    assert failure.value.returncode == 1
    assert saved_rows() == (0, 0, 0)


@pytest.mark.django_db
def test_command_prints_each_error_on_its_own_line():
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_route", "tps-2026", str(DATA / "route_bad.csv"), stdout=StringIO(), stderr=err
        )

    assert err.getvalue().splitlines() == BAD_FILE_ERRORS


@pytest.mark.django_db
def test_command_refuses_a_full_route_and_replaces_with_the_flag():
    run_command("tps-2026", str(GOOD))

    with pytest.raises(CommandError) as failure:
        run_command("tps-2026", str(DATA / "route_short_drive.csv"))
    out, _err = run_command("tps-2026", str(DATA / "route_short_drive.csv"), "--replace")

    assert str(failure.value) == "Nothing was imported: 1 problem."
    assert out.splitlines()[:2] == [
        "Removed 8 stops from route “Main”.",
        "Imported 2 stops into route “Main”.",
    ]
    assert out.splitlines()[3:5] == [
        "Schedule checks: 2 problems.",
        "- Los Angeles → Phoenix needs about 6 h 32 min with breaks, but only 2 h lie between "
        "departure and arrival.",
    ]


@pytest.mark.django_db
def test_command_prints_warnings_on_stderr(tmp_path):
    path = tmp_path / "route.csv"
    path.write_text(HEADER.replace("\n", ",host\n") + LA_ROW.replace("\n", ",Ana\n"))

    _out, err = run_command("tps-2026", str(path))

    assert err.splitlines() == ["Ignored columns the import does not know: host."]


def test_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError) as failure:
        run_command("tps-2026", str(tmp_path / "nowhere.csv"))

    assert str(failure.value) == (
        f"Cannot read {tmp_path / 'nowhere.csv'}: No such file or directory"
    )
