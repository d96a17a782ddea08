from decimal import Decimal

import pytest

from geo.distance import (
    DEFAULT_ROAD_FACTOR,
    DEFAULT_SPEED_KMH,
    LegEstimate,
    estimate_leg,
    geodesic_km,
    km_to_miles,
    miles_to_km,
    rest_break_minutes,
    rest_breaks,
)

PHOENIX = (33.44838, -112.07404)
TUCSON = (32.22174, -110.92648)


def test_geodesic_km_phoenix_tucson():
    assert geodesic_km(PHOENIX, TUCSON) == pytest.approx(173.35, abs=0.01)


def test_estimate_leg_formula():
    estimate = estimate_leg(
        PHOENIX,
        TUCSON,
        road_factor=1.2,
        speed_kmh=90,
        break_every_minutes=60,
        break_minutes=15,
    )

    # 173.35 km x 1.2 = 208.01 km; / 90 km/h = 138.7 min -> 139; ceil(139 / 60) - 1 = 2 breaks.
    assert estimate.distance_km == pytest.approx(208.01, abs=0.01)
    assert (estimate.driving_minutes, estimate.break_minutes) == (139, 30)
    assert estimate.total_minutes == 169


def test_estimate_leg_defaults():
    estimate = estimate_leg(PHOENIX, TUCSON)

    # 173.35 km x 1.1 = 190.68 km; / 105 km/h = 108.96 min -> 109, under 240: no break.
    assert (DEFAULT_ROAD_FACTOR, DEFAULT_SPEED_KMH) == (1.1, 105.0)
    assert estimate.distance_km == pytest.approx(190.68, abs=0.01)
    assert (estimate.driving_minutes, estimate.break_minutes) == (109, 0)


def test_estimate_leg_accepts_decimals():
    as_decimals = tuple(Decimal(str(value)) for value in PHOENIX)

    assert estimate_leg(as_decimals, TUCSON) == estimate_leg(PHOENIX, TUCSON)


def test_estimate_leg_same_place():
    assert estimate_leg(PHOENIX, PHOENIX) == LegEstimate(0.0, 0, 0)


@pytest.mark.parametrize(
    ("driving", "breaks"),
    [(0, 0), (1, 0), (239, 0), (240, 0), (241, 1), (479, 1), (480, 1), (481, 2), (720, 2)],
)
def test_rest_breaks_at_the_boundaries(driving, breaks):
    assert rest_breaks(driving, break_every_minutes=240) == breaks
    assert rest_break_minutes(driving, break_every_minutes=240, break_minutes=30) == breaks * 30


@pytest.mark.parametrize(("driving", "total"), [(239, 239), (240, 240), (241, 271), (481, 541)])
def test_total_minutes_include_breaks(driving, total):
    # A straight east-west leg along the equator: 1 degree of longitude is 111.32 km.
    speed = 111.3195 / driving * 60
    estimate = estimate_leg((0.0, 0.0), (0.0, 1.0), road_factor=1.0, speed_kmh=speed)

    assert estimate.driving_minutes == driving
    assert estimate.total_minutes == total


@pytest.mark.parametrize(
    ("keyword", "value"),
    [("road_factor", 0.9), ("speed_kmh", 0), ("break_every_minutes", 0), ("break_minutes", -5)],
)
def test_estimate_leg_rejects_bad_parameters(keyword, value):
    with pytest.raises(ValueError, match=keyword):
        estimate_leg(PHOENIX, TUCSON, **{keyword: value})


def test_miles_and_km():
    assert miles_to_km(100) == pytest.approx(160.9344)
    assert km_to_miles(160.9344) == pytest.approx(100)
    assert estimate_leg(PHOENIX, TUCSON).distance_miles == pytest.approx(118.48, abs=0.01)
