import logging
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from geopy.location import Location

from geo.geocoding import (
    OfflineGeocoder,
    geocode_city,
    geocode_offline,
    geocode_place,
    parse_query,
)

EXAMPLES = [
    ("Phoenix, AZ", "Phoenix", "AZ", 33.45, -112.07, "geonames"),
    ("Phoenix, Arizona", "Phoenix", "AZ", 33.45, -112.07, "geonames"),
    ("phoenix az", "Phoenix", "AZ", 33.45, -112.07, "geonames"),
    ("Homestead, FL", "Homestead", "FL", 25.47, -80.48, "geonames"),
    ("85001", "Phoenix", "AZ", 33.45, -112.07, "zip"),
    ("Tucson, AZ 85701", "Tucson", "AZ", 32.21, -110.97, "zip"),
    ("Washington, DC", "Washington", "DC", 38.90, -77.04, "geonames"),
    ("St. Louis, MO", "St. Louis", "MO", 38.63, -90.20, "geonames"),
    ("Saint Louis, Missouri", "St. Louis", "MO", 38.63, -90.20, "geonames"),
    ("El Paso, TX, USA", "El Paso", "TX", 31.76, -106.49, "geonames"),
    ("Washington D.C.", "Washington", "DC", 38.90, -77.04, "geonames"),
    ("New York, NY", "New York City", "NY", 40.71, -74.01, "geonames"),
    ("Charleston West Virginia", "Charleston", "WV", 38.35, -81.63, "geonames"),
    ("Ft Worth TX", "Fort Worth", "TX", 32.73, -97.32, "geonames"),
    ("Tucson AZ 85701-1234 United States", "Tucson", "AZ", 32.21, -110.97, "zip"),
    ("San Juan, Puerto Rico", "San Juan", "PR", 18.47, -66.11, "geonames"),
]


@pytest.mark.parametrize(("query", "name", "state", "latitude", "longitude", "source"), EXAMPLES)
def test_offline_geocoder(query, name, state, latitude, longitude, source):
    location = OfflineGeocoder().geocode(query)

    assert isinstance(location, Location)
    assert location.address == f"{name}, {state}, US"
    assert location.latitude == pytest.approx(latitude, abs=0.1)
    assert location.longitude == pytest.approx(longitude, abs=0.1)
    assert (location.raw["name"], location.raw["state"]) == (name, state)
    assert (location.raw["country"], location.raw["source"]) == ("US", source)


@pytest.mark.parametrize(("query", "name", "state", "latitude", "longitude", "source"), EXAMPLES)
def test_geocode_place(query, name, state, latitude, longitude, source):
    place = geocode_place(query)

    assert (place.name, place.state, place.source) == (name, state, source)
    assert place.latitude == pytest.approx(latitude, abs=0.1)
    assert place.longitude == pytest.approx(longitude, abs=0.1)


@pytest.mark.parametrize(
    "query", ["Xyzzyville", "Paris, France", "Phoenix, Narnia", "", "   ", ",", "00000", "USA"]
)
def test_unknown_places_are_none(query):
    assert OfflineGeocoder().geocode(query) is None
    assert geocode_place(query) is None


def test_geocode_many_candidates_most_populous_first():
    locations = OfflineGeocoder().geocode("Springfield", exactly_one=False, limit=3)

    assert [location.address for location in locations] == [
        "Springfield, MO, US",
        "Springfield, MA, US",
        "Springfield, IL, US",
    ]


def test_geocode_many_unknown_is_empty():
    assert OfflineGeocoder().geocode("Xyzzyville", exactly_one=False) == []


@pytest.mark.parametrize(
    ("query", "address"),
    [
        ({"city": "Phoenix", "state": "Arizona"}, "Phoenix, AZ, US"),
        ({"postalcode": "85701"}, "Tucson, AZ, US"),
        ({"city": "Paris", "country": "France"}, None),
    ],
)
def test_geocode_structured_query(query, address):
    location = OfflineGeocoder().geocode(query)

    assert (location.address if location else None) == address


@pytest.mark.parametrize(
    ("query", "address"),
    [("33.45, -112.07", "Phoenix, AZ, US"), ((32.2, -110.95), "South Tucson, AZ, US")],
)
def test_reverse(query, address):
    assert OfflineGeocoder().reverse(query).address == address


def test_reverse_at_sea_is_none():
    assert OfflineGeocoder().reverse((30.0, -140.0)) is None


def test_a_zip_in_another_state_than_typed_is_ignored():
    # 85701 is in Arizona: the ZIP contradicts the state, the city answers.
    assert geocode_offline("El Paso, TX 85701").label == "El Paso, TX"


def test_parse_query():
    parsed = parse_query("phoenix az 85001, USA")

    assert parsed.readings == (("phoenix", "AZ"), ("phoenix az", ""))
    assert (parsed.zip_code, parsed.state) == ("85001", "AZ")


@pytest.mark.parametrize(
    ("city", "state", "country", "label"),
    [
        ("Phoenix", "AZ", "US", "Phoenix, AZ"),
        ("phoenix", "arizona", "USA", "Phoenix, AZ"),
        ("Washington", "", "US", "Washington, DC"),
        ("Saint Louis", "MO", "United States", "St. Louis, MO"),
        ("Tucson, AZ", "", "US", "Tucson, AZ"),
        ("85701", "", "", "Tucson, AZ"),
        ("San Juan", "", "PR", "San Juan, PR"),
    ],
)
def test_geocode_city(city, state, country, label):
    assert geocode_city(city, state, country).label == label


@pytest.mark.parametrize(
    ("city", "state", "country"),
    [("Paris", "", "FR"), ("Toronto", "Ontario", "CA"), ("Phoenix", "Vermont", "US"), ("", "", "")],
)
def test_geocode_city_unknown(city, state, country):
    assert geocode_city(city, state, country) is None


def test_nominatim_falls_back_to_offline_when_the_network_fails(settings, caplog):
    # No mock: this machine has no network, so the request fails at once (name resolution).
    settings.CARAVANA_GEOCODER = "nominatim"
    settings.CARAVANA_GEOCODER_USER_AGENT = "caravana-tests"
    settings.CARAVANA_GEOCODER_TIMEOUT = 2
    started = time.perf_counter()

    with caplog.at_level(logging.WARNING, logger="geo.geocoding"):
        place = geocode_place("Phoenix, AZ")
        city = geocode_city("Tucson", "AZ")

    assert time.perf_counter() - started < 10
    assert (place.label, place.source) == ("Phoenix, AZ", "geonames")
    assert (city.label, city.source) == ("Tucson, AZ", "geonames")
    messages = [record.getMessage() for record in caplog.records if record.name == "geo.geocoding"]
    assert len(messages) == 2
    assert messages[0].startswith("Nominatim failed for 'Phoenix, AZ', using the offline")
    assert messages[1].startswith(
        "Nominatim failed for {'city': 'Tucson', 'state': 'Arizona', 'country': 'US'}, using"
    )


def test_unknown_backend_fails_loudly(settings):
    settings.CARAVANA_GEOCODER = "google"

    with pytest.raises(ImproperlyConfigured, match="CARAVANA_GEOCODER"):
        geocode_place("Phoenix, AZ")
