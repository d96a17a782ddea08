"""One row of a route CSV: read, checked and validated (``journey.importers`` reads the file).

Every problem is a ``RowError`` naming the file's physical line and the column. A row is read
cell by cell (``RowReader``), then the Stop model's own validation runs on it
(``model_errors``), so whatever the admin refuses the import refuses too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from geo import gazetteer
from geo.geocoding import geocode_city
from geo.timezones import timezone_at
from journey.models import Journey
from stops.models import Stop, StopKind

REQUIRED_COLUMNS = ("city", "state", "arrival", "departure")
OPTIONAL_COLUMNS = ("venue", "address", "latitude", "longitude", "kind", "notes")
KNOWN_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

TIME_FORMAT = "%Y-%m-%d %H:%M"

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


class RowReader:
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


def new_stop(row: StopRow, journey: Journey | None = None) -> Stop:
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
        new_stop(row).full_clean(exclude=["journey"], validate_unique=False)
    except ValidationError as invalid:
        return [
            RowError(row.line, _COLUMN_OF_FIELD.get(name, name), message)
            for name, messages in invalid.message_dict.items()
            for message in messages
        ]
    return []


def cell_errors_of(line: int, names: list[str], values: list[str]) -> list[RowError]:
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
