from datetime import date

import pytest

from journey.plan import load_plan
from tests.factories import ParticipantFactory, local

MT = "America/Phoenix"


@pytest.fixture
def stops(route, add_stop):
    return [
        add_stop(route, "Phoenix", local(MT, 2026, 3, 1, 18), local(MT, 2026, 3, 2, 8)),
        add_stop(route, "Tucson", local(MT, 2026, 3, 2, 11), local(MT, 2026, 3, 3, 8)),
        add_stop(route, "El Paso", local(MT, 2026, 3, 3, 16), local(MT, 2026, 3, 4, 8)),
        add_stop(route, "San Antonio", local(MT, 2026, 3, 4, 18), local(MT, 2026, 3, 5, 8)),
    ]


def cities(stop_list):
    return [stop.city for stop in stop_list]


def test_a_rider_without_join_or_leave_rides_the_whole_route(journey, route, stops):
    rider = ParticipantFactory(journey=journey, route=route)

    segment = load_plan(journey).segment(rider)

    assert cities(segment.stops) == ["Phoenix", "Tucson", "El Paso", "San Antonio"]
    assert [str(leg) for leg in segment.legs] == [
        "Phoenix → Tucson",
        "Tucson → El Paso",
        "El Paso → San Antonio",
    ]


def test_a_segment_runs_from_join_to_leave_inclusive(journey, route, stops):
    rider = ParticipantFactory(
        journey=journey, route=route, join_stop=stops[1], leave_stop=stops[2]
    )

    segment = load_plan(journey).segment(rider)

    assert cities(segment.stops) == ["Tucson", "El Paso"]
    assert [str(leg) for leg in segment.legs] == ["Tucson → El Paso"]
    assert [(stop.city, night) for stop, night in segment.nights()] == [
        ("Tucson", date(2026, 3, 2)),
        ("El Paso", date(2026, 3, 3)),
    ]


def test_a_cancelled_join_stop_starts_the_segment_at_the_next_stop(journey, route, stops):
    stops[1].status = "cancelled"
    stops[1].save()
    rider = ParticipantFactory(journey=journey, route=route, join_stop=stops[1])

    segment = load_plan(journey).segment(rider)

    assert cities(segment.stops) == ["El Paso", "San Antonio"]


def test_people_who_do_not_ride_have_no_segment(journey, stops):
    coordinator = ParticipantFactory(journey=journey, role="coordinator", route=None)

    assert load_plan(journey).segment(coordinator) is None


def test_sleepers_are_the_people_at_the_stop_that_night(journey, route, stops):
    whole = ParticipantFactory(journey=journey, route=route, display_name="Ana")
    part = ParticipantFactory(journey=journey, route=route, display_name="Beto", join_stop=stops[2])

    sleepers = load_plan(journey).sleepers

    assert sleepers[(stops[1].pk, date(2026, 3, 2))] == [whole]
    assert sleepers[(stops[2].pk, date(2026, 3, 3))] == [whole, part]


def test_the_plan_loads_in_a_fixed_number_of_queries(journey, stops, django_assert_num_queries):
    with django_assert_num_queries(9):
        plan = load_plan(journey)
    with django_assert_num_queries(1):
        assert plan.beds == []  # read on first use
