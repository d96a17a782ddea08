"""Import a journey's route of stops from a CSV file (docs/import.md describes the format).

``import_route`` reads and checks the whole file first and writes nothing unless every row is
good: then it raises ``ImportFailed`` carrying one ``RowError`` per problem, each naming the
file's physical line (the header is line 1) and the column. A file that is well formed but makes
a poor plan (a drive too long for the time between stops, stops out of time order) is imported:
``journey.checks.find_problems`` reports those.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from geo import gazetteer
from geo.geocoding import geocode_city
from geo.timezones import timezone_at
from journey.models import Journey, Route, RouteStop
from journey.services import create_journey, deferred_leg_refresh
from stops.models import Stop, StopKind

__all__ = [
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "ImportFailed",
    "ImportResult",
    "RowError",
    "import_route",
    "model_errors",
    "read_route",
]

REQUIRED_COLUMNS = ("city", "state", "arrival", "departure")
OPTIONAL_COLUMNS = ("venue", "address", "latitude", "longitude", "kind", "notes")
KNOWN_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

TIME_FORMAT = "%Y-%m-%d %H:%M"
DEFAULT_ROUTE_NAME = "Main"
SLUG_MAX_LENGTH = Journey._meta.get_field("slug").max_length

# Spanish words for the kinds of stop, accepted whatever translations are compiled: the file
# format must not change with the message catalogs.
SPANISH_KIND_WORDS = {
    StopKind.OVERNIGHT: ("pernocta", "pernoctación", "noche"),
    StopKind.RALLY: ("mitin", "manifestación"),
    StopKind.REST: ("descanso", "descanso / combustible", "combustible"),
    StopKind.MEETING: ("reunión",),
}

# Columns that end up in a Stop field of limited length.
_MAX_LENGTHS = {
    column: Stop._meta.get_field(column).max_length for column in ("city", "venue", "address")
}
# No cell may be longer (the notes have no other limit); a longer cell is refused by line and
# column before anything else is read from its row.
MAX_CELL_CHARACTERS = 10_000
# Dates outside these years are typing mistakes, and would overflow the calendar once
# converted to UTC (year 1 or 9999).
MIN_YEAR, MAX_YEAR = 1970, 2100
# Stop fields that a column of the file fills (for the models' own validation errors).
_COLUMN_OF_FIELD = {"private_notes": "notes"}


@dataclass(frozen=True)
class RowError:
    """One problem of the file: ``line`` is None for problems of no line (the journey slug)."""

    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.field}: {self.message}" if self.field else self.message
        if not self.field:
            return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}
        return _("line %(line)d, %(field)s: %(message)s") % {
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


class ImportFailed(Exception):
    """The file (or the request) is wrong; nothing was saved. ``errors`` lists every problem."""

    def __init__(self, errors: list[RowError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass(frozen=True)
class StopRow:
    """A good row of the file, ready to become a Stop."""

    line: int
    city: str
    state: str
    latitude: Decimal
    longitude: Decimal
    timezone: str
    arrival: datetime  # aware, in the stop's time zone
    departure: datetime
    kind: str
    venue: str = ""
    address: str = ""
    notes: str = ""

    @property
    def local_dates(self) -> tuple[date, date]:
        return self.arrival.date(), self.departure.date()


@dataclass
class ImportResult:
    journey: Journey
    route: Route
    stops: list[Stop]
    journey_created: bool
    replaced_stops: int = 0  # stops removed from the route by ``replace``
    warnings: list[str] = field(default_factory=list)


# --- Reading the file -------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Lower case without accents, single spaces, no spaces around "/": for matching words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"\s*/\s*", "/", " ".join(plain.split()))


def _kind_words() -> dict[str, str]:
    """Every accepted way to write a kind (folded) -> the kind's value."""
    words = {}
    for kind in StopKind:
        words[_fold(kind.value)] = kind.value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                words[_fold(str(kind.label))] = kind.value
        for word in SPANISH_KIND_WORDS.get(kind, ()):
            words[_fold(word)] = kind.value
    return words


def _decode(file: IO | bytes | str) -> tuple[str, list[RowError]]:
    """The file's text, from UTF-8 with or without a byte-order mark (Excel writes one)."""
    data = file if isinstance(file, bytes | str) else file.read()
    if isinstance(data, str):
        return data.removeprefix("\ufeff"), []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        message = _(
            "the file is not UTF-8 text; in a spreadsheet, save it as “CSV UTF-8” and try again"
        )
        return "", [RowError(line, "", message)]


class _UnreadableCsv(Exception):
    """The csv module gave up at ``line``; nothing after it can be read."""

    def __init__(self, line: int, reason: str):
        self.line, self.reason = line, reason
        super().__init__(reason)


def _records(text: str):
    """(first physical line, values) for each non-blank record of the CSV text.

    Raises ``_UnreadableCsv`` where the csv module cannot go on. Its limit on the length of
    a field (128 KiB by default) is raised to the length of the text, so that a long cell is
    reported by its column (``MAX_CELL_CHARACTERS``) instead of ending the file.
    """
    if csv.field_size_limit() <= len(text):
        csv.field_size_limit(len(text) + 1)  # only ever raised: other readers lose nothing
    lines = io.StringIO(text, newline="")
    first_line = lines.readline()
    lines.seek(0)
    # Spreadsheets in many Spanish-language locales write ";" between values.
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(lines, delimiter=delimiter)
    start = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _UnreadableCsv(start, str(error)) from error
        values = [value.strip() for value in values]
        if any(values):
            yield start, values
        start = reader.line_num + 1


def _read_header(line: int, values: list[str]) -> tuple[list[str], list[RowError], list[str]]:
    """The column names in file order, header errors, and warnings about ignored columns."""
    names = [value.casefold() for value in values]
    errors, warnings = [], []
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        errors.append(
            RowError(
                line,
                "",
                _("missing columns: %(missing)s (the first line must name %(required)s)")
                % {"missing": ", ".join(missing), "required": ", ".join(REQUIRED_COLUMNS)},
            )
        )
    repeated = sorted({name for name in names if name in KNOWN_COLUMNS and names.count(name) > 1})
    if repeated:
        errors.append(
            RowError(
                line,
                "",
                _("columns named more than once: %(columns)s") % {"columns": ", ".join(repeated)},
            )
        )
    ignored = []
    for name in names:
        if not name or name in KNOWN_COLUMNS:
            continue
        close = difflib.get_close_matches(name, KNOWN_COLUMNS, n=1, cutoff=0.8)
        if close:  # "lattitude": a typo would silently drop the coordinates
            errors.append(
                RowError(
                    line,
                    name,
                    _("unknown column; did you mean %(column)s?") % {"column": close[0]},
                )
            )
        else:
            ignored.append(name)
    if ignored:
        warnings.append(
            _("Ignored columns the import does not know: %(columns)s.")
            % {"columns": ", ".join(ignored)}
        )
    return names, errors, warnings


class _RowReader:
    """Checks rows one by one, geocoding each distinct (city, state) once per import."""

    def __init__(self):
        self.kind_words = _kind_words()
        self._places: dict[tuple[str, str], tuple[float, float] | None] = {}
        self._zones: dict[tuple[Decimal, Decimal], str | None] = {}

    def read(self, line: int, row: dict[str, str]) -> tuple[StopRow | None, list[RowError]]:
        errors: list[RowError] = []

        def error(column: str, message: str) -> None:
            errors.append(RowError(line, column, message))

        for column in REQUIRED_COLUMNS:
            if not row[column]:
                error(column, _("required, but the cell is empty"))
        for column, limit in _MAX_LENGTHS.items():
            if len(row[column]) > limit:
                error(column, _("longer than %(limit)d characters") % {"limit": limit})

        state = ""
        if row["state"]:
            state = gazetteer.state_code(row["state"]) or ""
            if not state:
                error(
                    "state",
                    _('"%(value)s" is not a US state; write its code (TX) or its name (Texas)')
                    % {"value": row["state"]},
                )

        kind = StopKind.OVERNIGHT.value
        if row["kind"]:
            kind = self.kind_words.get(_fold(row["kind"]), "")
            if not kind:
                error(
                    "kind",
                    _(
                        '"%(value)s" is not a kind of stop; use one of %(kinds)s (or their '
                        "English or Spanish names)"
                    )
                    % {"value": row["kind"], "kinds": ", ".join(StopKind.values)},
                )

        coordinates = self._coordinates(row, state, error)
        zone = self._zone(coordinates, error) if coordinates else None
        arrival = self._time(row, "arrival", zone, error)
        departure = self._time(row, "departure", zone, error)
        if arrival and departure and departure < arrival:
            error(
                "departure",
                _('"%(departure)s" is before the arrival, "%(arrival)s"')
                % {"departure": row["departure"], "arrival": row["arrival"]},
            )
        if errors:
            return None, errors
        stop = StopRow(
            line=line,
            city=row["city"],
            state=state,
            latitude=coordinates[0],
            longitude=coordinates[1],
            timezone=zone,
            arrival=arrival,
            departure=departure,
            kind=kind,
            venue=row["venue"],
            address=row["address"],
            notes=row["notes"],
        )
        errors = model_errors(stop)
        return (None, errors) if errors else (stop, [])

    def _coordinates(self, row, state, error) -> tuple[Decimal, Decimal] | None:
        """Typed coordinates (both or neither) or, without them, the geocoded city's."""
        typed_lat, typed_lon = row["latitude"], row["longitude"]
        if typed_lat or typed_lon:
            if not typed_lon:
                error("longitude", _("empty; give both latitude and longitude, or neither"))
            if not typed_lat:
                error("latitude", _("empty; give both latitude and longitude, or neither"))
            latitude = _coordinate(typed_lat, "latitude", 90, error) if typed_lat else None
            longitude = _coordinate(typed_lon, "longitude", 180, error) if typed_lon else None
            if latitude is None or longitude is None:
                return None
            return latitude, longitude
        if not row["city"] or not state:
            return None
        key = (_fold(row["city"]), state)
        if key not in self._places:
            place = geocode_city(row["city"], state)
            self._places[key] = (place.latitude, place.longitude) if place else None
        found = self._places[key]
        if found is None:
            error(
                "city",
                _(
                    'no place called "%(city)s, %(state)s" was found; check the spelling and '
                    "the state, or give latitude and longitude"
                )
                % {"city": row["city"], "state": state},
            )
            return None
        return tuple(Decimal(str(round(value, 6))) for value in found)

    def _zone(self, coordinates: tuple[Decimal, Decimal], error) -> str | None:
        if coordinates not in self._zones:
            try:
                self._zones[coordinates] = timezone_at(*coordinates)
            except ValueError:
                self._zones[coordinates] = None
        zone = self._zones[coordinates]
        if zone is None:
            error(
                "latitude",
                _("%(lat)s, %(lon)s is out at sea, in no time zone; check the coordinates")
                % {"lat": coordinates[0], "lon": coordinates[1]},
            )
        return zone

    @staticmethod
    def _time(row, column: str, zone: str | None, error) -> datetime | None:
        """The column's local time, aware in ``zone`` (naive when the zone is unknown)."""
        value = row[column]
        if not value:
            return None
        try:
            naive = datetime.strptime(value, TIME_FORMAT)
        except ValueError:
            error(
                column,
                _('"%(value)s" is not a date and time as YYYY-MM-DD HH:MM') % {"value": value},
            )
            return None
        if not MIN_YEAR <= naive.year <= MAX_YEAR:
            error(
                column,
                _('"%(value)s": the year must be between %(first)d and %(last)d')
                % {"value": value, "first": MIN_YEAR, "last": MAX_YEAR},
            )
            return None
        if zone is None:
            return naive
        # fold=0: a time that happens twice (clocks turned back) is its first occurrence.
        aware = naive.replace(tzinfo=ZoneInfo(zone))
        if aware.astimezone(UTC).astimezone(aware.tzinfo).replace(tzinfo=None) != naive:
            error(
                column,
                _(
                    '"%(value)s" does not exist in %(zone)s: the clocks skip that hour when '
                    "daylight saving time begins"
                )
                % {"value": value, "zone": zone},
            )
            return None
        return aware


def _new_stop(row: StopRow, journey: Journey | None = None) -> Stop:
    """The Stop a good row becomes (unsaved)."""
    return Stop(
        journey=journey,
        city=row.city,
        state=row.state,
        country="US",
        latitude=row.latitude,
        longitude=row.longitude,
        timezone=row.timezone,
        arrival=row.arrival,
        departure=row.departure,
        kind=row.kind,
        venue=row.venue,
        address=row.address,
        private_notes=row.notes,
    )


def model_errors(row: StopRow) -> list[RowError]:
    """The Stop model's own validation (fields, validators, choices, ``clean``) of a row."""
    try:
        _new_stop(row).full_clean(exclude=["journey"], validate_unique=False)
    except ValidationError as invalid:
        return [
            RowError(row.line, _COLUMN_OF_FIELD.get(name, name), message)
            for name, messages in invalid.message_dict.items()
            for message in messages
        ]
    return []


def _cell_errors(line: int, names: list[str], values: list[str]) -> list[RowError]:
    """Cells no row may hold: longer than ``MAX_CELL_CHARACTERS``, or with a NUL character."""
    errors = []
    for index, value in enumerate(values):
        column = names[index] if index < len(names) and names[index] else ""
        column = column or _("column %(number)d") % {"number": index + 1}
        if len(value) > MAX_CELL_CHARACTERS:
            errors.append(
                RowError(
                    line,
                    column,
                    _("%(length)d characters; a cell may hold at most %(limit)d")
                    % {"length": len(value), "limit": MAX_CELL_CHARACTERS},
                )
            )
        elif "\x00" in value:
            errors.append(RowError(line, column, _("contains a NUL character")))
    return errors


def _coordinate(value: str, column: str, limit: int, error) -> Decimal | None:
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        error(column, _('"%(value)s" is not a number') % {"value": value})
        return None
    if not -limit <= number <= limit:
        error(
            column,
            _('"%(value)s" is out of range; %(column)s goes from -%(limit)d to %(limit)d')
            % {"value": value, "column": column, "limit": limit},
        )
        return None
    return number.quantize(Decimal("0.000001"))


def read_route(file: IO | bytes | str) -> tuple[list[StopRow], list[RowError], list[str]]:
    """Every good row, every error and every warning of a route CSV. Reads, never writes."""
    text, errors = _decode(file)
    if errors:
        return [], errors, []
    records = _records(text)
    try:
        header = next(records, None)
    except _UnreadableCsv as unreadable:
        return [], [_unreadable_error(unreadable)], []
    if header is None:
        message = _("the file is empty; the first line must name the columns %(required)s") % {
            "required": ", ".join(REQUIRED_COLUMNS)
        }
        return [], [RowError(1, "", message)], []
    header_line, header_values = header
    names, errors, warnings = _read_header(header_line, header_values)
    if errors:
        return [], errors, warnings

    reader = _RowReader()
    rows: list[StopRow] = []
    first_line_of: dict[tuple, int] = {}  # a good row's values -> the line it was first on
    try:
        for line, values in records:
            _read_record(line, values, names, reader, rows, errors, first_line_of)
    except _UnreadableCsv as unreadable:
        errors.append(_unreadable_error(unreadable))
    if not rows and not errors:
        errors.append(RowError(None, "", _("the file names its columns but has no stops")))
    return rows, errors, warnings


def _unreadable_error(unreadable: _UnreadableCsv) -> RowError:
    message = _("the file is not valid CSV from here on (%(reason)s)") % {
        "reason": unreadable.reason
    }
    return RowError(unreadable.line, "", message)


def _read_record(line, values, names, reader, rows, errors, first_line_of) -> None:
    """Check one record; append its StopRow to ``rows`` or its problems to ``errors``."""
    cell_errors = _cell_errors(line, names, values)
    if cell_errors:
        errors.extend(cell_errors)
        return
    if len(values) > len(names) and any(values[len(names) :]):
        errors.append(
            RowError(
                line,
                "",
                _("%(found)d values, but the first line names %(columns)d columns")
                % {"found": len(values), "columns": len(names)},
            )
        )
        return
    row = dict.fromkeys(KNOWN_COLUMNS, "")
    row.update((name, value) for name, value in zip(names, values, strict=False) if name)
    for name in KNOWN_COLUMNS:  # single spaces, except in the notes' own lines
        if name != "notes":
            row[name] = " ".join(row[name].split())
    stop, row_errors = reader.read(line, row)
    errors.extend(row_errors)
    if stop is None:
        return
    same = dataclasses.astuple(dataclasses.replace(stop, line=0))
    if same in first_line_of:
        errors.append(
            RowError(
                line,
                "",
                _("the same stop as line %(first)d (every value is equal); remove one")
                % {"first": first_line_of[same]},
            )
        )
        return
    first_line_of[same] = line
    rows.append(stop)


# --- Writing ----------------------------------------------------------------------------------


def _slug_errors(slug: str) -> list[RowError]:
    try:
        validate_slug(slug)
        if len(slug) > SLUG_MAX_LENGTH:
            raise ValidationError("too long")
    except ValidationError:
        return [
            RowError(
                None,
                "",
                _(
                    '"%(slug)s" is not a journey slug: use up to %(n)d letters, numbers, '
                    "hyphens and underscores"
                )
                % {"slug": slug, "n": SLUG_MAX_LENGTH},
            )
        ]
    return []


def _journey_name(slug: str) -> str:
    """ "tps-caravan-2026" -> "Tps Caravan 2026"."""
    return " ".join(word.capitalize() for word in re.split(r"[-_]+", slug) if word) or slug


def import_route(
    *,
    journey_slug: str,
    file: IO | bytes | str,
    route_name: str | None = None,
    journey_name: str | None = None,
    replace: bool = False,
) -> ImportResult:
    """Append the stops of a route CSV to a route of a journey, creating the journey if needed.

    The route is ``route_name``, or else the journey's first route, or else a new route
    "Main". A route that already has stops is refused unless ``replace``: then its stops are
    deleted first (a stop that also lies on another route only leaves this one). Raise
    ``ImportFailed`` with every problem when anything is wrong; nothing is saved then.
    """
    errors = _slug_errors(journey_slug)
    journey = None if errors else Journey.objects.filter(slug=journey_slug).first()
    route = None
    if journey is not None:
        routes = journey.routes.all()
        route = routes.filter(name=route_name).first() if route_name else routes.first()
        if route is not None and not replace:
            count = RouteStop.objects.filter(route=route).count()
            if count:
                errors.append(
                    RowError(
                        None,
                        "",
                        _(
                            'route "%(route)s" of journey "%(journey)s" already has %(n)d '
                            "stops; import with --replace to delete them and load the file"
                        )
                        % {"route": route.name, "journey": journey.slug, "n": count},
                    )
                )
    rows, row_errors, warnings = read_route(file)
    errors.extend(row_errors)
    if errors:
        raise ImportFailed(errors)

    if journey is not None and journey_name and journey_name != journey.name:
        warnings.append(
            _("The journey already exists: its name stays “%(name)s”.") % {"name": journey.name}
        )
    with transaction.atomic(), deferred_leg_refresh():
        created = journey is None
        if created:
            journey = create_journey(
                name=journey_name or _journey_name(journey_slug),
                slug=journey_slug,
                route_name=route_name or DEFAULT_ROUTE_NAME,
                home_timezone=rows[0].timezone,
                start_date=min(row.local_dates[0] for row in rows),
                end_date=max(row.local_dates[1] for row in rows),
            )
            route = journey.routes.get()
        elif route is None:
            route = Route.objects.create(journey=journey, name=route_name or DEFAULT_ROUTE_NAME)
        replaced = _clear_route(route) if replace else 0
        stops = []
        for position, row in enumerate(rows):
            stop = _new_stop(row, journey)
            stop.save()
            RouteStop.objects.create(route=route, stop=stop, position=position)
            stops.append(stop)
    return ImportResult(
        journey=journey,
        route=route,
        stops=stops,
        journey_created=created,
        replaced_stops=replaced,
        warnings=warnings,
    )


def _clear_route(route: Route) -> int:
    """Take every stop off the route: deleted, unless it also lies on another route."""
    stop_ids = list(RouteStop.objects.filter(route=route).values_list("stop_id", flat=True))
    shared = set(
        RouteStop.objects.filter(stop_id__in=stop_ids)
        .exclude(route=route)
        .values_list("stop_id", flat=True)
    )
    RouteStop.objects.filter(route=route).delete()
    Stop.objects.filter(pk__in=[pk for pk in stop_ids if pk not in shared]).delete()
    return len(stop_ids)
