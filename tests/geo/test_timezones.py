import re

import pytest

from geo.timezones import timezone_at


@pytest.mark.parametrize(
    ("latitude", "longitude", "zone"),
    [
        (33.4484, -112.0740, "America/Phoenix"),
        (31.7587, -106.4869, "America/Denver"),  # El Paso: Mountain time in Texas
        (39.7684, -86.1581, "America/Indiana/Indianapolis"),
        (43.6150, -116.2023, "America/Boise"),
        (41.8781, -87.6298, "America/Chicago"),
        (40.7128, -74.0060, "America/New_York"),
        (34.0522, -118.2437, "America/Los_Angeles"),
        (21.3069, -157.8583, "Pacific/Honolulu"),
        (61.2181, -149.9003, "America/Anchorage"),
        (18.4663, -66.1057, "America/Puerto_Rico"),
    ],
)
def test_timezone_at_cities(latitude, longitude, zone):
    assert timezone_at(latitude, longitude) == zone


def test_decimal_coordinates():
    from decimal import Decimal

    assert timezone_at(Decimal("33.448376"), Decimal("-112.074036")) == "America/Phoenix"


def test_sea_off_california_resolves_to_the_coast():
    # In the Santa Barbara Channel, beyond the territorial waters: a nautical zone (Etc/GMT+8)
    # for timezonefinder, the nearest coast's zone for us.
    assert timezone_at(33.7, -119.0) == "America/Los_Angeles"


@pytest.mark.parametrize(
    ("latitude", "longitude", "nautical_zone"),
    [(37.5, -124.0, "Etc/GMT+8"), (30.0, -140.0, "Etc/GMT+9")],
)
def test_open_ocean_raises(latitude, longitude, nautical_zone):
    with pytest.raises(ValueError, match=re.escape(f"open water (nautical zone {nautical_zone})")):
        timezone_at(latitude, longitude)


@pytest.mark.parametrize(("latitude", "longitude"), [(91, 0), (0, 181), (-90.5, -100)])
def test_out_of_range_raises(latitude, longitude):
    with pytest.raises(ValueError, match="out of range"):
        timezone_at(latitude, longitude)
