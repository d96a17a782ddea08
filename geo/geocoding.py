"""Turn what a person types ("Phoenix, AZ", "85701", "St. Louis MO") into a ``Place``.

The rest of the project calls ``geocode_place`` and ``geocode_city``. They use the backend named
by the Django setting ``CARAVANA_GEOCODER``:

- ``"offline"`` (the default): the shipped US gazetteer (``geo.gazetteer``), no network.
- ``"nominatim"``: OpenStreetMap's Nominatim through geopy, for deployments with internet. When
  the service fails or finds nothing, the offline gazetteer answers instead.

``OfflineGeocoder`` is the gazetteer behind geopy's geocoder interface, for code that expects one.
"""

import dataclasses
import functools
import logging
import re
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from geopy.exc import GeopyError
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from geo import gazetteer
from geo.gazetteer import Place

__all__ = [
    "BACKENDS",
    "OfflineGeocoder",
    "ParsedQuery",
    "geocode_city",
    "geocode_offline",
    "geocode_place",
    "parse_query",
]

logger = logging.getLogger(__name__)

BACKENDS = ("offline", "nominatim")
DEFAULT_USER_AGENT = "caravana"
DEFAULT_TIMEOUT_SECONDS = 5.0

# How many candidates ``OfflineGeocoder.geocode(..., exactly_one=False)`` returns at most.
DEFAULT_CANDIDATES = 10

# "United States", "USA", "U.S.", "US", "America", once folded to lower-case words.
_US_NAMES = {"us", "usa", "united states", "united states of america", "america"}
_ZIP_RE = re.compile(r"^\d{5}(?:-?\d{4})?$")


# --- Parsing -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ParsedQuery:
    """A query split into its parts.

    ``readings`` holds the (city, state code) pairs to try in order: "phoenix az" reads as
    ("phoenix", "AZ") and, failing that, as a city called "phoenix az" anywhere.
    """

    readings: tuple[tuple[str, str], ...]
    zip_code: str = ""
    state: str = ""  # the state the query names, if any


def _folded(text: str) -> str:
    return " ".join(gazetteer.normalize_name(text).split())


def _is_us(text: str) -> bool:
    words = _folded(text.replace(".", ""))
    return words in _US_NAMES


def parse_query(query: str) -> ParsedQuery | None:
    """Split "City, ST 12345, USA" into readings, a ZIP and a state; None if not a US query.

    A trailing part that is neither a US state nor the country ("Paris, France") makes the
    query foreign: None.
    """
    parts = [part.strip() for part in str(query).split(",")]
    parts = [part for part in parts if part]
    while parts and _is_us(parts[-1]):
        parts.pop()
    if parts:  # "El Paso TX USA", "Tucson AZ 85701 United States"
        words = parts[-1].split()
        for count in (4, 3, 2, 1):  # "United States of America" has the most words
            if len(words) > count and _is_us(" ".join(words[-count:])):
                del words[-count:]
                break
        parts[-1] = " ".join(words)

    zip_code = ""
    if parts:
        words = parts[-1].split()
        if words and _ZIP_RE.match(words[-1]):
            zip_code = gazetteer.normalize_zip(words.pop()) or ""
            parts[-1] = " ".join(words)
            if not parts[-1]:
                parts.pop()
    if not parts:
        return ParsedQuery(readings=(), zip_code=zip_code) if zip_code else None

    if len(parts) >= 2:
        # "City, State" or "City, County, State": the first part is the place, the last the state.
        state = gazetteer.state_code(parts[-1])
        if state is None:
            return None
        return ParsedQuery(readings=((parts[0], state),), zip_code=zip_code, state=state)

    # One part: "phoenix az", "Saint Louis Missouri", "Washington DC" or just "Washington".
    words = parts[0].split()
    readings = []
    state = ""
    longest = min(len(words) - 1, 3)  # "District of Columbia" has the most words
    for count in range(longest, 0, -1):
        code = gazetteer.state_code(" ".join(words[-count:]))
        if code:
            readings.append((" ".join(words[:-count]), code))
            state = state or code
    readings.append((parts[0], ""))
    return ParsedQuery(readings=tuple(readings), zip_code=zip_code, state=state)


# --- Offline lookups -------------------------------------------------------------------------


def _offline_places(query: str, limit: int | None = None) -> list[Place]:
    parsed = parse_query(query)
    if parsed is None:
        return []
    if parsed.zip_code:
        place = gazetteer.find_zip(parsed.zip_code)
        # A ZIP is more precise than a city, unless it contradicts the state typed with it.
        if place is not None and (not parsed.state or place.state == parsed.state):
            return [place]
    for city, state in parsed.readings:
        places = gazetteer.find_places(city, state, limit=limit)
        if places:
            return places
    return []


def geocode_offline(query: str) -> Place | None:
    """Like ``geocode_place`` but always from the shipped gazetteer, whatever the settings."""
    places = _offline_places(query, limit=1)
    return places[0] if places else None


def _offline_city(city: str, state: str = "", country: str = "US") -> Place | None:
    country_words = _folded(country.replace(".", "")) if country else ""
    if country_words in ("pr", "puerto rico") and not state:
        state = "PR"
    elif country_words and country_words not in _US_NAMES and country_words != "pr":
        return None
    city = city.strip()
    zip_code = gazetteer.normalize_zip(city)
    if zip_code:
        return gazetteer.find_zip(zip_code)
    if not state:
        # The city field may hold a whole query: "Tucson, AZ" or "phoenix az".
        places = _offline_places(city, limit=1)
        return places[0] if places else None
    return gazetteer.find_place(city, state)


class OfflineGeocoder(Geocoder):
    """The shipped US gazetteer as a geopy geocoder: no network, answers in microseconds.

    ``geocode`` takes free text ("Phoenix, AZ", "85701", "St. Louis MO, USA") or a mapping with
    ``city``, ``state``, ``postalcode`` and ``country`` (as geopy's Nominatim does).
    ``reverse`` answers the nearest gazetteer place within ``max_km``.
    """

    def __init__(self, *, max_km: float = 100.0, **kwargs):
        super().__init__(**kwargs)
        self.max_km = max_km

    def geocode(self, query, *, exactly_one=True, timeout=None, limit=DEFAULT_CANDIDATES):
        """A ``Location`` (or a list of them, best first), or None / [] when nothing matches.

        ``timeout`` is accepted for geopy compatibility and ignored: nothing waits here.
        """
        places = self._places(query, limit=1 if exactly_one else limit)
        if exactly_one:
            return _location(places[0]) if places else None
        return [_location(place) for place in places]

    def reverse(self, query, *, exactly_one=True, timeout=None, limit=DEFAULT_CANDIDATES):
        """The gazetteer place nearest a point ("lat, lon", a pair or a ``Point``)."""
        point = Point(query)
        found = gazetteer.nearest_places(
            point.latitude, point.longitude, limit=1 if exactly_one else limit, max_km=self.max_km
        )
        if exactly_one:
            return _location(found[0][0]) if found else None
        return [_location(place) for place, _ in found]

    @staticmethod
    def _places(query, *, limit: int) -> list[Place]:
        if isinstance(query, Mapping):
            postal = str(query.get("postalcode") or "").strip()
            if postal:
                place = gazetteer.find_zip(postal)
                if place is not None:
                    return [place]
            city = str(query.get("city") or "").strip()
            if not city:
                return []
            place = _offline_city(city, str(query.get("state") or ""), query.get("country") or "")
            return [place] if place else []
        return _offline_places(str(query), limit=limit)


def _location(place: Place) -> Location:
    address = f"{place.label}, {place.country}"
    return Location(address, Point(place.latitude, place.longitude), dataclasses.asdict(place))


# --- The configured backend ---------------------------------------------------------------------


def _backend() -> str:
    if not settings.configured:
        return "offline"
    name = str(getattr(settings, "CARAVANA_GEOCODER", "offline") or "offline").strip().lower()
    if name not in BACKENDS:
        raise ImproperlyConfigured(
            f"CARAVANA_GEOCODER must be one of {', '.join(BACKENDS)}; got {name!r}."
        )
    return name


def geocode_place(query: str) -> Place | None:
    """The US place a free-text query names ("Phoenix, AZ", "85701", "El Paso, TX, USA")."""
    query = str(query or "").strip()
    if not query:
        return None
    if _backend() == "nominatim":
        place = _nominatim_place(query, country_codes=["us", "pr"])
        if place is not None:
            return place
    return geocode_offline(query)


def geocode_city(city: str, state: str = "", country: str = "US") -> Place | None:
    """The place called ``city`` in ``state`` (code or full name, optional) of ``country``.

    Offline, only US places (including Puerto Rico) are known: another country gives None.
    Without a state, the most populous place of that name answers.
    """
    city, state, country = (str(value or "").strip() for value in (city, state, country))
    if not city:
        return None
    if _backend() == "nominatim":
        # Nominatim's structured search wants "Arizona", not "AZ".
        state_name = gazetteer.state_name(state) if len(state) == 2 else None
        structured = {"city": city, "state": state_name or state, "country": country}
        place = _nominatim_place({key: value for key, value in structured.items() if value})
        if place is not None:
            return place
    return _offline_city(city, state, country)


# --- Nominatim -----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _nominatim(user_agent: str, timeout: float):
    from geopy.geocoders import Nominatim

    return Nominatim(user_agent=user_agent, timeout=timeout)


def _nominatim_place(query, **options) -> Place | None:
    """Ask Nominatim; None when it fails (logged) or finds nothing."""
    user_agent = getattr(settings, "CARAVANA_GEOCODER_USER_AGENT", "") or DEFAULT_USER_AGENT
    timeout = float(getattr(settings, "CARAVANA_GEOCODER_TIMEOUT", DEFAULT_TIMEOUT_SECONDS))
    try:
        location = _nominatim(user_agent, timeout).geocode(
            query, exactly_one=True, addressdetails=True, **options
        )
        return _nominatim_to_place(location) if location is not None else None
    except (GeopyError, OSError, ValueError) as error:
        logger.warning("Nominatim failed for %r, using the offline gazetteer: %s", query, error)
        return None


def _nominatim_to_place(location: Location) -> Place:
    from geo.timezones import timezone_at

    raw = location.raw or {}
    address = raw.get("address") or {}
    name = next(
        (
            address[key]
            for key in ("city", "town", "village", "hamlet", "municipality", "county")
            if address.get(key)
        ),
        raw.get("name") or location.address.split(",")[0],
    )
    country = str(address.get("country_code") or "").upper()
    subdivision = str(address.get("ISO3166-2-lvl4") or "")  # "US-AZ"
    state = subdivision.split("-", 1)[1] if subdivision.startswith(f"{country}-") else ""
    if country == "PR":  # Puerto Rico: a state for US addresses, a country in ISO codes
        country, state = "US", "PR"
    return Place(
        name=name,
        state=state,
        country=country,
        latitude=location.latitude,
        longitude=location.longitude,
        timezone=timezone_at(location.latitude, location.longitude),
        population=None,
        source="nominatim",
    )
