from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from geopy.distance import geodesic

from journey.models import Leg, RouteStop
from journey.services import (
    append_stop,
    create_journey,
    deferred_leg_refresh,
    refresh_legs,
    set_route_order,
)
from stops.models import Stop
from tests.factories import StopFactory, local

PT, MT, CT = "America/Los_Angeles", "America/Phoenix", "America/Chicago"


def leg_pairs(route):
    return [
        (leg.origin.city, leg.destination.city)
        for leg in Leg.objects.filter(route=route).select_related("origin", "destination")
    ]


@pytest.fixture
def three_stops(route, add_stop):
    return [
        add_stop(route, "Los Angeles", local(PT, 2026, 3, 1, 8), local(PT, 2026, 3, 1, 9)),
        add_stop(route, "Phoenix", local(MT, 2026, 3, 1, 20), local(MT, 2026, 3, 2, 9)),
        add_stop(route, "Tucson", local(MT, 2026, 3, 2, 12), local(MT, 2026, 3, 3, 9)),
    ]


def test_create_journey_makes_its_first_route(db):
    journey = create_journey(name="TPS Journey", slug="tps", home_timezone="America/Chicago")

    assert [r.name for r in journey.routes.all()] == ["Main"]


def test_create_journey_validates(db):
    with pytest.raises(Exception, match="time zone"):
        create_journey(name="Bad", slug="bad", home_timezone="Mars/Olympus")


def test_legs_follow_the_route_as_stops_are_added(route, three_stops):
    assert leg_pairs(route) == [("Los Angeles", "Phoenix"), ("Phoenix", "Tucson")]
    leg = Leg.objects.get(origin=three_stops[0])
    straight = geodesic(three_stops[0].coordinates, three_stops[1].coordinates).km
    assert round(straight) == 575  # Los Angeles to Phoenix as the crow flies
    assert leg.distance_km == round(straight * float(route.journey.road_factor), 1)
    assert leg.driving_minutes == round(leg.distance_km / route.journey.average_speed_kmh * 60)
    assert leg.break_minutes == 30


def test_cancelling_a_stop_drops_it_from_the_legs(route, three_stops):
    phoenix = three_stops[1]
    phoenix.status = "cancelled"
    phoenix.save()

    assert leg_pairs(route) == [("Los Angeles", "Tucson")]


def test_moving_a_stop_recomputes_its_legs(route, three_stops):
    tucson = three_stops[2]
    before = Leg.objects.get(destination=tucson).distance_km
    tucson.latitude, tucson.longitude = 31.761878, -106.485022  # El Paso
    tucson.save()

    after = Leg.objects.get(destination=tucson).distance_km
    assert after > before * 2


def test_reordering_keeps_positions_unique_and_rebuilds_legs(route, three_stops):
    la, phoenix, tucson = three_stops
    set_route_order(route=route, stop_ids=[la.pk, tucson.pk, phoenix.pk])

    assert list(RouteStop.objects.filter(route=route).values_list("stop_id", flat=True)) == [
        la.pk,
        tucson.pk,
        phoenix.pk,
    ]
    assert leg_pairs(route) == [("Los Angeles", "Tucson"), ("Tucson", "Phoenix")]


def test_reordering_must_list_every_stop(route, three_stops):
    with pytest.raises(ValueError):
        set_route_order(route=route, stop_ids=[three_stops[0].pk])


def test_an_override_survives_a_refresh_and_sets_the_breaks(route, three_stops):
    leg = Leg.objects.get(origin=three_stops[0])
    leg.override_distance_km = 600.0
    leg.override_driving_minutes = 500
    leg.override_reason = "Route planner"
    leg.save()

    refresh_legs(route=route)
    leg.refresh_from_db()

    assert (leg.distance_km, leg.driving_minutes, leg.break_minutes) == (600.0, 500, 60)


def test_changing_the_journey_speed_recomputes_the_legs(route, three_stops):
    leg = Leg.objects.get(origin=three_stops[0])
    journey = route.journey
    journey.average_speed_kmh = journey.average_speed_kmh // 2
    journey.save()

    leg.refresh_from_db()
    assert leg.driving_minutes == round(leg.computed_distance_km / journey.average_speed_kmh * 60)


def test_unchanged_legs_keep_their_modification_time(route, three_stops):
    first, second = Leg.objects.filter(route=route).order_by("position")
    tucson = three_stops[2]
    tucson.latitude, tucson.longitude = 31.761878, -106.485022
    tucson.save()

    assert Leg.objects.get(pk=first.pk).updated_at == first.updated_at
    assert Leg.objects.get(pk=second.pk).updated_at > second.updated_at


def test_deferred_refresh_computes_legs_once_at_the_end(route, django_assert_max_num_queries):
    with deferred_leg_refresh():
        for day, city in enumerate(["Los Angeles", "Phoenix", "Tucson", "El Paso"]):
            stop = StopFactory(
                journey=route.journey,
                city=city,
                arrival=local(CT, 2026, 3, 1 + day, 8),
                departure=local(CT, 2026, 3, 1 + day, 9),
            )
            append_stop(route=route, stop=stop)
        assert Leg.objects.filter(route=route).count() == 0

    assert leg_pairs(route) == [
        ("Los Angeles", "Phoenix"),
        ("Phoenix", "Tucson"),
        ("Tucson", "El Paso"),
    ]


def test_a_stop_on_two_routes_has_legs_on_both(journey, route, add_stop):
    from tests.factories import RouteFactory

    florida = RouteFactory(journey=journey, name="Florida")
    atlanta = add_stop(route, "Atlanta", local(CT, 2026, 3, 5, 8), local(CT, 2026, 3, 5, 9))
    washington = add_stop(
        route, "Washington", local(CT, 2026, 3, 6, 8), local(CT, 2026, 3, 6, 9) + timedelta(days=1)
    )
    add_stop(florida, "New Orleans", local(CT, 2026, 3, 4, 8), local(CT, 2026, 3, 4, 9))
    append_stop(route=florida, stop=washington)

    assert leg_pairs(route) == [("Atlanta", "Washington")]
    assert leg_pairs(florida) == [("New Orleans", "Washington")]
    assert set(washington.routes.all()) == {route, florida}
    assert atlanta.routes.get() == route


def test_editing_a_stops_notes_leaves_its_legs_alone(route, three_stops):
    phoenix = Stop.objects.get(pk=three_stops[1].pk)
    phoenix.private_notes = "Parking behind the church"

    with CaptureQueriesContext(connection) as queries:
        phoenix.save()

    # The UPDATE and its history row: no leg refresh.
    assert [q["sql"].split()[:3] for q in queries] == [
        ["UPDATE", '"stops_stop"', "SET"],
        ["INSERT", "INTO", '"stops_historicalstop"'],
    ]


def test_moving_a_loaded_stop_still_refreshes_its_legs(route, three_stops):
    tucson = Stop.objects.get(pk=three_stops[2].pk)
    before = Leg.objects.get(destination=tucson).distance_km
    tucson.latitude, tucson.longitude = Decimal("31.761878"), Decimal("-106.485022")
    tucson.save()

    assert Leg.objects.get(destination=tucson).distance_km > before * 2
