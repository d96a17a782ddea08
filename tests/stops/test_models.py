from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from stops.models import Stop, local_nights
from tests.factories import ActivityFactory, LodgingFactory, StopFactory, local

CT = "America/Chicago"


@pytest.mark.parametrize(
    ("city", "zone"),
    [
        ("Phoenix", "America/Phoenix"),
        ("El Paso", "America/Denver"),
        ("Indianapolis", "America/Indiana/Indianapolis"),
        ("Houston", "America/Chicago"),
        ("Los Angeles", "America/Los_Angeles"),
        ("Washington", "America/New_York"),
    ],
)
def test_a_stop_takes_its_time_zone_from_its_coordinates(journey, city, zone):
    stop = StopFactory(journey=journey, city=city)

    assert Stop.objects.get(pk=stop.pk).timezone == zone


def test_moving_a_stop_moves_its_time_zone(journey):
    stop = StopFactory(journey=journey, city="Phoenix")
    stop.latitude, stop.longitude = Decimal("31.761878"), Decimal("-106.485022")
    stop.save(update_fields=["latitude", "longitude"])

    assert Stop.objects.get(pk=stop.pk).timezone == "America/Denver"


def test_clean_geocodes_a_stop_typed_by_name(journey):
    stop = Stop(
        journey=journey,
        city="Tucson",
        state="AZ",
        arrival=local(CT, 2026, 3, 1, 8),
        departure=local(CT, 2026, 3, 1, 9),
    )
    stop.full_clean()
    stop.save()

    assert abs(float(stop.latitude) - 32.22) < 0.1
    assert abs(float(stop.longitude) - -110.93) < 0.1
    assert stop.timezone == "America/Phoenix"


def test_clean_names_the_field_of_an_unknown_place(journey):
    stop = Stop(
        journey=journey,
        city="Nowheresville",
        state="AZ",
        arrival=local(CT, 2026, 3, 1, 8),
        departure=local(CT, 2026, 3, 1, 9),
    )
    with pytest.raises(ValidationError) as error:
        stop.full_clean()

    assert list(error.value.message_dict) == ["city"]
    assert "Nowheresville, AZ" in error.value.message_dict["city"][0]


def test_clean_refuses_a_departure_before_the_arrival(journey):
    stop = StopFactory.build(
        journey=journey, arrival=local(CT, 2026, 3, 1, 9), departure=local(CT, 2026, 3, 1, 8)
    )
    with pytest.raises(ValidationError) as error:
        stop.full_clean()

    assert error.value.message_dict == {"departure": ["The departure is before the arrival."]}


def test_clean_wants_both_coordinates_or_neither(journey):
    stop = StopFactory.build(journey=journey, latitude=Decimal("33.4"), longitude=None)
    with pytest.raises(ValidationError) as error:
        stop.full_clean()

    assert "longitude" in error.value.message_dict


@pytest.mark.parametrize(
    ("arrival", "departure", "nights"),
    [
        ((2026, 3, 1, 18), (2026, 3, 3, 8), [date(2026, 3, 1), date(2026, 3, 2)]),
        ((2026, 3, 1, 14), (2026, 3, 1, 15), []),
        ((2026, 3, 1, 23, 30), (2026, 3, 2, 6), [date(2026, 3, 1)]),
        # The night the clocks spring forward is still one night.
        ((2026, 3, 7, 20), (2026, 3, 8, 8), [date(2026, 3, 7)]),
        ((2026, 11, 1, 0, 30), (2026, 11, 1, 23), []),
    ],
)
def test_nights_are_local_evenings(arrival, departure, nights):
    zone = ZoneInfo(CT)
    assert local_nights(local(CT, *arrival), local(CT, *departure), zone) == nights


def test_a_stop_shows_its_times_in_its_own_zone(journey):
    stop = StopFactory(
        journey=journey,
        city="Phoenix",
        arrival=local("UTC", 2026, 7, 1, 1),
        departure=local("UTC", 2026, 7, 1, 15),
    )

    assert stop.local_arrival.strftime("%Y-%m-%d %H:%M %Z") == "2026-06-30 18:00 MST"
    assert str(stop) == "Phoenix, AZ (Jun 30)"
    assert stop.nights == [date(2026, 6, 30)]


def test_lodging_nights_follow_check_in_and_out(journey):
    stop = StopFactory(
        journey=journey,
        city="Houston",
        arrival=local(CT, 2026, 3, 7, 17),
        departure=local(CT, 2026, 3, 10, 8),
    )
    lodging = LodgingFactory(
        stop=stop, check_in=local(CT, 2026, 3, 8, 16), check_out=local(CT, 2026, 3, 10, 8)
    )

    assert lodging.nights == [date(2026, 3, 8), date(2026, 3, 9)]


def test_lodging_checks_out_after_it_checks_in(journey):
    stop = StopFactory(journey=journey)
    lodging = LodgingFactory.build(stop=stop, check_in=stop.departure, check_out=stop.arrival)

    with pytest.raises(ValidationError) as error:
        lodging.full_clean()
    assert error.value.message_dict == {"check_out": ["Check-out must be after check-in."]}


def test_activity_ends_after_it_starts(journey):
    activity = ActivityFactory.build(stop=StopFactory(journey=journey))
    activity.ends_at = activity.starts_at.replace(hour=0)

    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert list(error.value.message_dict) == ["ends_at"]


def test_public_stops_need_a_published_journey(journey):
    shown = StopFactory(journey=journey)
    StopFactory(journey=journey, is_public=False)
    StopFactory(journey=journey, status="cancelled")

    assert list(Stop.objects.public()) == []
    journey.is_published = True
    journey.save()
    assert list(Stop.objects.public()) == [shown]


def test_coordinates_in_the_open_ocean_are_refused(journey):
    stop = StopFactory.build(journey=journey, latitude=Decimal("37.5"), longitude=Decimal("-124.0"))

    with pytest.raises(ValidationError) as error:
        stop.full_clean()
    assert list(error.value.message_dict) == ["latitude"]
