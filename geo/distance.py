"""Estimate a leg's road distance and driving time without a road network.

No offline router is installable here, so a leg is estimated from the straight line:

    distance_km     = geodesic(origin, destination) x road_factor
    driving_minutes = round(distance_km / speed_kmh x 60)          (half a minute rounds up)
    breaks          = ceil(driving_minutes / break_every_minutes) - 1   (0 for no driving)
    break_minutes   = breaks x break_minutes

So a rest is taken at each full ``break_every_minutes`` of driving that still has driving after
it: with breaks every 240 minutes, a 240-minute drive has none (it ends there), 241 minutes one.

The defaults were fitted to the route-planner figures of ``geo/data/road_benchmarks.csv`` (car
times; see ``geo.accuracy`` and docs/geography.md). A coordinator overrides them per journey,
or types a leg's real figures.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from geopy.distance import geodesic

__all__ = [
    "DEFAULT_BREAK_EVERY_MINUTES",
    "DEFAULT_BREAK_MINUTES",
    "DEFAULT_ROAD_FACTOR",
    "DEFAULT_SPEED_KMH",
    "KM_PER_MILE",
    "LegEstimate",
    "driving_minutes",
    "estimate_leg",
    "geodesic_km",
    "km_to_miles",
    "miles_to_km",
    "rest_break_minutes",
    "rest_breaks",
]

KM_PER_MILE = 1.609344

#: Road distance over straight-line distance: the least-squares fit on the benchmark pairs.
DEFAULT_ROAD_FACTOR = 1.1
#: Average speed at the wheel (65 mph), fitted on route planners' times for a car: the
#: least-squares fit is 106 km/h. Buses and vans are slower; set the journey's speed lower.
DEFAULT_SPEED_KMH = 105.0
DEFAULT_BREAK_EVERY_MINUTES = 240
DEFAULT_BREAK_MINUTES = 30


@dataclass(frozen=True)
class LegEstimate:
    distance_km: float  # estimated road distance
    driving_minutes: int  # time at the wheel
    break_minutes: int  # rest breaks on the way

    @property
    def total_minutes(self) -> int:
        return self.driving_minutes + self.break_minutes

    @property
    def distance_miles(self) -> float:
        return km_to_miles(self.distance_km)


def km_to_miles(km: float) -> float:
    return float(km) / KM_PER_MILE


def miles_to_km(miles: float) -> float:
    return float(miles) * KM_PER_MILE


def geodesic_km(origin: Sequence[float], destination: Sequence[float]) -> float:
    """Distance on the WGS-84 ellipsoid between two (latitude, longitude) pairs, in km."""
    return geodesic(_point(origin), _point(destination)).km


def driving_minutes(distance_km: float, speed_kmh: float) -> int:
    """Minutes at ``speed_kmh`` over ``distance_km``, to the nearest minute (half rounds up)."""
    if speed_kmh <= 0:
        raise ValueError(f"speed_kmh must be positive, not {speed_kmh}.")
    return math.floor(float(distance_km) / float(speed_kmh) * 60.0 + 0.5)


def rest_breaks(driving_minutes: int, *, break_every_minutes: int) -> int:
    """How many rest breaks a drive needs: ``ceil(driving / break_every) - 1``, never below 0.

    >>> [rest_breaks(m, break_every_minutes=240) for m in (0, 239, 240, 241, 480, 481)]
    [0, 0, 0, 1, 1, 2]
    """
    if break_every_minutes <= 0:
        raise ValueError(f"break_every_minutes must be positive, not {break_every_minutes}.")
    if driving_minutes <= 0:
        return 0
    return -(-int(driving_minutes) // int(break_every_minutes)) - 1  # ceil with integers


def rest_break_minutes(
    driving_minutes: int,
    *,
    break_every_minutes: int = DEFAULT_BREAK_EVERY_MINUTES,
    break_minutes: int = DEFAULT_BREAK_MINUTES,
) -> int:
    """Total rest time a drive of ``driving_minutes`` needs (see ``rest_breaks``)."""
    if break_minutes < 0:
        raise ValueError(f"break_minutes must not be negative, not {break_minutes}.")
    return rest_breaks(driving_minutes, break_every_minutes=break_every_minutes) * break_minutes


def estimate_leg(
    origin: tuple[float, float],
    destination: tuple[float, float],
    *,
    road_factor: float = DEFAULT_ROAD_FACTOR,
    speed_kmh: float = DEFAULT_SPEED_KMH,
    break_every_minutes: int = DEFAULT_BREAK_EVERY_MINUTES,
    break_minutes: int = DEFAULT_BREAK_MINUTES,
) -> LegEstimate:
    """Estimate the road distance, driving time and rest breaks between two coordinates.

    ``origin`` and ``destination`` are (latitude, longitude) pairs of floats or Decimals.
    """
    if road_factor < 1.0:
        raise ValueError(f"road_factor must be at least 1 (roads are never shorter): {road_factor}")
    distance_km = geodesic_km(origin, destination) * float(road_factor)
    minutes = driving_minutes(distance_km, speed_kmh)
    return LegEstimate(
        distance_km=distance_km,
        driving_minutes=minutes,
        break_minutes=rest_break_minutes(
            minutes, break_every_minutes=break_every_minutes, break_minutes=break_minutes
        ),
    )


def _point(coordinates: Sequence[float]) -> tuple[float, float]:
    latitude, longitude = coordinates
    return (float(latitude), float(longitude))
