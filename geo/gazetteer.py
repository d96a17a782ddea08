"""The offline US gazetteer: places and ZIP codes from the files in ``geo/data``.

The files are read lazily, once per process: the places (about 22,000) on the first place
lookup, the ZIP codes (about 41,000) on the first ZIP lookup, the nearest-place grid on the
first reverse lookup. After that every lookup is a dictionary access.

Names are compared after ``normalize_name``: case, accents and punctuation do not matter, and
"St."/"Saint", "Ft"/"Fort", "Mt"/"Mount" are the same word.
"""

import gzip
import math
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

__all__ = [
    "DATA_DIR",
    "Place",
    "ascii_name",
    "find_place",
    "find_places",
    "find_zip",
    "nearest_places",
    "normalize_name",
    "normalize_zip",
    "state_code",
    "state_name",
    "states",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
PLACES_FILE = DATA_DIR / "us_places.tsv.gz"
ZIPS_FILE = DATA_DIR / "us_zips.tsv.gz"
STATES_FILE = DATA_DIR / "us_states.tsv"

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True, slots=True)
class Place:
    """A named point: a GeoNames populated place or the centre of a ZIP code."""

    name: str
    state: str  # two-letter USPS code: "AZ", "DC", "PR"
    country: str  # ISO code of the country: always "US" offline
    latitude: float
    longitude: float
    timezone: str  # IANA name, such as "America/Phoenix"
    population: int | None  # None for ZIP codes and web results
    source: str  # "geonames", "zip" or "nominatim"

    @property
    def label(self) -> str:
        """Name and state, such as "Phoenix, AZ"."""
        return f"{self.name}, {self.state}" if self.state else self.name

    @property
    def coordinates(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)


# --- Normalization ---------------------------------------------------------------

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "mtn": "mountain"}
# Apostrophes, okinas and backticks join the letters around them ("O'Fallon" = "OFallon").
_JOINERS = dict.fromkeys(map(ord, "'`\u2018\u2019\u02bb\u02bc\u00b4"), None)
_AS_APOSTROPHE = dict.fromkeys(_JOINERS, "'")
# Everything else that is not a letter or a digit separates words.
_FOLD_TABLE = {code: " " for code in range(128) if not chr(code).isalnum()} | _JOINERS


def ascii_name(text: str) -> str:
    """The name in plain ASCII: accents dropped, curly quotes and okinas as "'"."""
    if text.isascii():
        return text
    text = text.translate(_AS_APOSTROPHE)
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


def _fold(text: str) -> list[str]:
    """Lower-case ASCII words without punctuation."""
    return ascii_name(text).lower().translate(_FOLD_TABLE).split()


def normalize_name(text: str) -> str:
    """The key under which a place name is looked up: "St. Louis" -> "saint louis"."""
    words = _fold(text)
    if not _ABBREVIATIONS.keys().isdisjoint(words):
        words = [_ABBREVIATIONS.get(word, word) for word in words]
    return " ".join(words)


def normalize_zip(text: str) -> str | None:
    """The five digits of a ZIP code ("85701", "85701-1234", "857011234"), or None."""
    digits = str(text).strip().replace(" ", "")
    if len(digits) == 10 and digits[5] == "-":
        digits = digits[:5] + digits[6:]
    if len(digits) in (5, 9) and digits.isascii() and digits.isdigit():
        return digits[:5]
    return None


# --- Loading once per process ---------------------------------------------------------

_T = TypeVar("_T")
_load_lock = threading.RLock()  # re-entrant: the grid is built from the places
_loaded: dict[str, object] = {}


def _once(key: str, build: Callable[[], _T]) -> _T:
    try:
        return _loaded[key]  # type: ignore[return-value]
    except KeyError:
        pass
    with _load_lock:
        if key not in _loaded:
            _loaded[key] = build()
        return _loaded[key]  # type: ignore[return-value]


class _StateTable:
    def __init__(self):
        lines = STATES_FILE.read_text(encoding="utf-8").splitlines()[1:]  # after the header
        rows = [line.split("\t") for line in lines]
        self.names: dict[str, str] = {code: name for code, name in rows}
        self.by_key: dict[str, str] = {}
        for code, name in rows:
            self.by_key[code.lower()] = code
            self.by_key[" ".join(_fold(name))] = code


class _PlaceIndex:
    """Row numbers of the places file by normalized name, most populous first.

    Rows stay text lines until asked for: a ``Place`` is made per lookup (microseconds), which
    keeps the load time and the memory (about 10 MB) low.
    """

    def __init__(self):
        lines = gzip.decompress(PLACES_FILE.read_bytes()).decode("utf-8").splitlines()
        del lines[0]  # the header
        self.lines = lines
        self.states: list[str] = []
        self.by_name: dict[str, list[int]] = {}
        # Alternate names ("New York" for New York City) answer only when no main name does.
        self.alt_by_name: dict[str, list[int]] = {}
        by_name, alt_by_name, states = self.by_name, self.alt_by_name, self.states
        populations: list[int] = []
        intern = sys.intern
        for number, line in enumerate(lines):
            _, _, asciiname, state, _, _, population, _, alternates = line.split("\t")
            states.append(intern(state))
            populations.append(int(population))
            key = normalize_name(asciiname)
            by_name.setdefault(key, []).append(number)
            if alternates:
                keys = {key}
                for alternate in alternates.split("|"):
                    alt_key = normalize_name(alternate)
                    if alt_key not in keys:
                        keys.add(alt_key)
                        alt_by_name.setdefault(alt_key, []).append(number)
        for index in (by_name, alt_by_name):
            for numbers in index.values():
                if len(numbers) > 1:
                    numbers.sort(key=lambda number: -populations[number])

    def place(self, number: int) -> Place:
        _, name, _, state, lat, lng, population, timezone, _ = self.lines[number].split("\t")
        return Place(
            name, state, "US", float(lat), float(lng), timezone, int(population), "geonames"
        )

    def find(self, key: str, state: str | None, limit: int | None = None) -> list[Place]:
        numbers = self.by_name.get(key, ())
        if state:
            numbers = [n for n in numbers if self.states[n] == state]
        if not numbers:
            numbers = self.alt_by_name.get(key, ())
            if state:
                numbers = [n for n in numbers if self.states[n] == state]
        return [self.place(number) for number in numbers[:limit]]

    def all_places(self) -> list[Place]:
        return [self.place(number) for number in range(len(self.lines))]


class _ZipIndex:
    """ZIP code -> the rest of its line ("city\tstate\tlatitude\tlongitude"), parsed on use."""

    def __init__(self):
        lines = gzip.decompress(ZIPS_FILE.read_bytes()).decode("utf-8").splitlines()
        self.lines: dict[str, str] = dict(line.split("\t", 1) for line in lines[1:])
        # Places already asked for: each costs a time zone lookup the first time.
        self.places: dict[str, Place | None] = {}


_GRID_DEGREES = 1.0


class _Grid:
    """Places bucketed by whole degrees of latitude and longitude, for nearest-place search."""

    def __init__(self, places: list[Place]):
        self.cells: dict[tuple[int, int], list[Place]] = {}
        for place in places:
            self.cells.setdefault(_cell(place.latitude, place.longitude), []).append(place)


def _states() -> _StateTable:
    return _once("states", _StateTable)


def _places() -> _PlaceIndex:
    return _once("places", _PlaceIndex)


def _zips() -> _ZipIndex:
    return _once("zips", _ZipIndex)


def _grid() -> _Grid:
    return _once("grid", lambda: _Grid(_places().all_places()))


# --- States -----------------------------------------------------------------------------


def state_code(text: str) -> str | None:
    """Two-letter code of a state given by code or full name, any case: "arizona" -> "AZ".

    The 50 states, DC ("DC", "D.C.", "District of Columbia") and Puerto Rico.
    """
    words = _fold(text)
    compact = "".join(words)
    # "AZ", "az", "D.C.": two letters however written; otherwise the full name.
    return _states().by_key.get(compact if len(compact) == 2 else " ".join(words))


def state_name(code: str) -> str | None:
    """Full name of a state code: "AZ" -> "Arizona"."""
    return _states().names.get(code.upper())


def states() -> dict[str, str]:
    """Every state code with its full name."""
    return dict(_states().names)


# --- Lookups -----------------------------------------------------------------------------


def find_places(name: str, state: str = "", *, limit: int | None = None) -> list[Place]:
    """Places called ``name`` (in ``state``, code or full name, when given), most populous first.

    Main names answer before alternate names. A ``state`` that is not a US state gives [].
    """
    key = normalize_name(name)
    if not key:
        return []
    code = None
    if state:
        code = state_code(state)
        if code is None:
            return []
    return _places().find(key, code, limit)


def find_place(name: str, state: str = "") -> Place | None:
    """The most populous place called ``name`` (in ``state`` when given), or None."""
    places = find_places(name, state, limit=1)
    return places[0] if places else None


def find_zip(zip_code: str) -> Place | None:
    """The centre of a ZIP code ("85701" or ZIP+4 "85701-1234"), or None.

    The ZIP's time zone comes from its coordinates (``geo.timezones.timezone_at``).
    """
    code = normalize_zip(zip_code)
    if code is None:
        return None
    index = _zips()
    try:
        return index.places[code]
    except KeyError:
        pass
    place = None
    line = index.lines.get(code)
    if line is not None:
        from geo.timezones import timezone_at

        city, state, lat, lng = line.split("\t")
        latitude, longitude = float(lat), float(lng)
        place = Place(
            city, state, "US", latitude, longitude, timezone_at(latitude, longitude), None, "zip"
        )
    index.places[code] = place
    return place


def nearest_places(
    latitude: float, longitude: float, *, limit: int = 1, max_km: float = 100.0
) -> list[tuple[Place, float]]:
    """The ``limit`` places nearest a coordinate within ``max_km``, nearest first, with km."""
    lat, lng = float(latitude), float(longitude)
    cells = _grid().cells
    center_row, center_col = _cell(lat, lng)
    # Cells of one degree are at least this wide anywhere we search (1 degree of longitude
    # shrinks with latitude); rings farther than max_km cannot hold an answer.
    widest_lat = min(89.0, abs(lat) + max_km / 111.0 + 1.0)
    cell_km = 111.0 * math.cos(math.radians(widest_lat)) * _GRID_DEGREES
    max_ring = int(max_km / cell_km) + 1
    found: list[tuple[float, Place]] = []
    for ring in range(max_ring + 1):
        # Anything in this ring is at least (ring - 1) cells away.
        if len(found) >= limit and (ring - 1) * cell_km > found[limit - 1][0]:
            break
        for row, col in _ring(center_row, center_col, ring):
            for place in cells.get((row, col), ()):
                distance = haversine_km(lat, lng, place.latitude, place.longitude)
                if distance <= max_km:
                    found.append((distance, place))
        found.sort(key=lambda item: item[0])
    return [(place, distance) for distance, place in found[:limit]]


def _cell(lat: float, lng: float) -> tuple[int, int]:
    return (math.floor(lat / _GRID_DEGREES), math.floor(lng / _GRID_DEGREES))


def _ring(row: int, col: int, ring: int) -> Iterator[tuple[int, int]]:
    if ring == 0:
        yield row, col
        return
    half_turn = int(180 / _GRID_DEGREES)
    for d_row in range(-ring, ring + 1):
        for d_col in range(-ring, ring + 1):
            if max(abs(d_row), abs(d_col)) == ring:
                # Wrap around the 180th meridian (the Aleutians straddle it).
                yield row + d_row, (col + d_col + half_turn) % (2 * half_turn) - half_turn


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance on a sphere (within 0.5% of the geodesic): for ranking only."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
