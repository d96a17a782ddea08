from datetime import date

import pytest

from journey.plan import load_plan
from tests.factories import (
    BedAssignmentFactory,
    LodgingFactory,
    ParticipantFactory,
    SeatAssignmentFactory,
    VehicleFactory,
    local,
)

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
    with django_assert_num_queries(5):  # routes, their stops, stops, legs, activities
        plan = load_plan(journey)
    with django_assert_num_queries(4):  # read on first use
        assert (plan.lodgings, plan.participants, plan.vehicles, plan.seats) == ([], [], [], [])
    with django_assert_num_queries(1):
        assert plan.beds == []


@pytest.fixture
def riding(journey, route, stops):
    """Ana rides bus 1 with Beto (who drives) and sleeps in Tucson; Cris rides bus 2."""
    people = {
        name: ParticipantFactory(journey=journey, route=route, display_name=name, role=role)
        for name, role in (("Ana", "rider"), ("Beto", "driver"), ("Cris", "rider"))
    }
    people["Dora"] = ParticipantFactory(journey=journey, route=None, role="coordinator")
    buses = [VehicleFactory(journey=journey, route=route) for _ in range(2)]
    for name, bus in (("Ana", 0), ("Beto", 0), ("Cris", 1)):
        SeatAssignmentFactory(
            participant=people[name],
            vehicle=buses[bus],
            from_stop=stops[0],
            to_stop=stops[-1],
            is_driver=name == "Beto",
        )
    tucson = LodgingFactory(stop=stops[1])
    for name in ("Ana", "Cris"):
        BedAssignmentFactory(participant=people[name], lodging=tucson, night=date(2026, 3, 2))
    return people


@pytest.mark.parametrize("whole_tables", [False, True])
def test_one_participants_rows_are_read_alone_or_taken_from_the_whole_tables(
    journey, riding, whole_tables, django_assert_num_queries
):
    plan = load_plan(journey)
    if whole_tables:
        plan.beds, plan.seats  # noqa: B018  (read the whole tables first)
    ana = riding["Ana"]

    with django_assert_num_queries(0 if whole_tables else 4):
        beds = plan.beds_of(ana)
        seats = plan.seats_alongside(ana)
        coordinators = plan.coordinators
        found = plan.participant(riding["Cris"].pk)

    assert {night: bed.lodging.stop.city for night, bed in beds.items()} == {
        date(2026, 3, 2): "Tucson"
    }
    assert [(s.participant.display_name, s.is_driver) for s in seats] == [
        ("Ana", False),
        ("Beto", True),
    ]
    assert coordinators == [riding["Dora"]]
    assert found == riding["Cris"]
    assert plan.is_read("participants") == whole_tables


def test_a_participant_of_another_journey_is_not_in_the_plan(journey, stops):
    stranger = ParticipantFactory()

    assert load_plan(journey).participant(stranger.pk) is None
