"""The IANA time zone of a coordinate, answered offline by timezonefinder.

timezonefinder's land zones already reach 12 nautical miles (22 km) out to sea, the territorial
waters, so a stop on a pier, a beach or a ferry near the coast gets its land zone directly. Beyond
them lie the nautical zones (``Etc/GMT+8`` and so on) that no traveller uses. For a point out there
we look for the nearest land zone within ``COAST_SEARCH_KM`` and, when there is none, raise
``ValueError``: a US stop never gets an ``Etc/GMT`` zone.

Why not "fall back to ``TimezoneFinder.timezone_at``": ``timezone_at_land`` is exactly
``timezone_at`` with the nautical zones turned into ``None``, so that fallback could only ever
return an ``Etc/GMT`` zone.
"""

import math
import threading

from timezonefinder import TimezoneFinder

__all__ = ["COAST_SEARCH_KM", "timezone_at"]

#: How far beyond the territorial waters a point may lie and still get the coast's zone.
COAST_SEARCH_KM = 50.0

# Rings of probes around a point at sea: nearer rings first, eight compass bearings each.
_PROBE_RING_KM = (5.0, 10.0, 25.0, COAST_SEARCH_KM)
_PROBE_BEARINGS = tuple(range(0, 360, 45))
_KM_PER_DEGREE = 111.195

_finder: TimezoneFinder | None = None
_finder_lock = threading.Lock()


def _get_finder() -> TimezoneFinder:
    """One TimezoneFinder per process, created on first use (about 0.25 s)."""
    global _finder
    if _finder is None:
        with _finder_lock:
            if _finder is None:
                _finder = TimezoneFinder()
    return _finder


def timezone_at(latitude: float, longitude: float) -> str:
    """Return the IANA time zone name at a coordinate, such as ``"America/Phoenix"``.

    Raise ``ValueError`` for coordinates out of range and for open water farther than
    ``COAST_SEARCH_KM`` beyond any coast's territorial waters.
    """
    lat, lng = float(latitude), float(longitude)
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lng <= 180.0):
        raise ValueError(f"Coordinates out of range: latitude {lat}, longitude {lng}.")
    finder = _get_finder()
    zone = finder.timezone_at_land(lat=lat, lng=lng)
    if zone:
        return zone
    zone = _nearest_land_zone(finder, lat, lng)
    if zone:
        return zone
    nautical = finder.timezone_at(lat=lat, lng=lng)
    raise ValueError(
        f"No land time zone within {COAST_SEARCH_KM:g} km of latitude {lat}, longitude {lng}: "
        f"open water (nautical zone {nautical})."
    )


def _nearest_land_zone(finder: TimezoneFinder, lat: float, lng: float) -> str | None:
    """The land zone seen most often on the nearest ring of probes that sees any land."""
    for radius_km in _PROBE_RING_KM:
        seen: dict[str, int] = {}
        for bearing in _PROBE_BEARINGS:
            probe_lat, probe_lng = _offset(lat, lng, radius_km, bearing)
            zone = finder.timezone_at_land(lat=probe_lat, lng=probe_lng)
            if zone:
                seen[zone] = seen.get(zone, 0) + 1
        if seen:
            # max() keeps the first of equal counts: the order of the bearings breaks ties.
            return max(seen, key=seen.__getitem__)
    return None


def _offset(
    lat: float, lng: float, distance_km: float, bearing_degrees: float
) -> tuple[float, float]:
    """A point about ``distance_km`` away (flat-earth step, fine for tens of kilometres)."""
    bearing = math.radians(bearing_degrees)
    new_lat = lat + distance_km * math.cos(bearing) / _KM_PER_DEGREE
    new_lat = max(-90.0, min(90.0, new_lat))
    cos_lat = max(math.cos(math.radians(lat)), 0.01)
    new_lng = lng + distance_km * math.sin(bearing) / (_KM_PER_DEGREE * cos_lat)
    new_lng = (new_lng + 180.0) % 360.0 - 180.0
    return new_lat, new_lng
