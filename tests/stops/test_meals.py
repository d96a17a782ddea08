"""Meals: where and when they may be, and how many eat (never who)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from journey.counts import NeedCount
from journey.meals import meal_items
from journey.plan import load_plan
from stops.models import Meal
from tests.factories import HostAllyFactory, JourneyFactory, MealFactory
from tests.journey.test_pdf import build_pdf_scenario


@pytest.fixture
def scenario(db):
    return build_pdf_scenario()


def errors_of(meal) -> dict:
    with pytest.raises(ValidationError) as caught:
        meal.full_clean()
    return caught.value.message_dict


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "moment",
    [
        lambda stop: stop.arrival - timedelta(minutes=1),
        lambda stop: stop.departure + timedelta(minutes=1),
    ],
)
def test_a_meal_outside_the_visit_is_refused_on_its_time(scenario, moment):
    phoenix = scenario.stops["phoenix"]
    meal = Meal(stop=phoenix, kind="dinner", starts_at=moment(phoenix))

    assert errors_of(meal) == {
        "starts_at": [
            "The meal is outside the visit to Phoenix, AZ (Mar 1, 20:30 MST to Mar 2, 09:00 MST)."
        ]
    }
    assert Meal.objects.count() == 0


def test_a_meal_at_the_arrival_or_the_departure_is_fine(scenario):
    phoenix = scenario.stops["phoenix"]
    for moment in (phoenix.arrival, phoenix.departure):
        Meal(stop=phoenix, kind="snack", starts_at=moment).full_clean()


def test_a_provider_of_another_journey_is_refused_on_its_field(scenario):
    phoenix = scenario.stops["phoenix"]
    stranger = HostAllyFactory(journey=JourneyFactory(slug="other"), status="approved")
    meal = Meal(
        stop=phoenix,
        kind="lunch",
        starts_at=phoenix.arrival + timedelta(hours=1),
        provided_by=stranger,
    )

    assert errors_of(meal) == {"provided_by": ["The host belongs to another journey."]}


def test_a_meal_needs_a_known_kind(scenario):
    phoenix = scenario.stops["phoenix"]
    meal = Meal(stop=phoenix, kind="brunch", starts_at=phoenix.arrival)

    assert list(errors_of(meal)) == ["kind"]


# --- head counts ---------------------------------------------------------------------------


def test_the_head_count_follows_who_joins_and_leaves(scenario):
    stops = scenario.stops
    for key in ("la", "phoenix", "el_paso", "houston"):
        MealFactory(stop=stops[key], starts_at=stops[key].arrival)

    meals = meal_items(load_plan(scenario.journey))

    # Los Angeles: the driver and Beto. Phoenix: Xiomara and Begoña join. El Paso: they
    # leave there, Mirlène joins. Houston: Dieunè joins.
    assert [(m.place_name, m.headcount) for m in meals] == [
        ("Los Angeles, CA", 2),
        ("Phoenix, AZ", 4),
        ("El Paso, TX", 5),
        ("Houston, TX", 4),
    ]
    assert [m.dietary_needs for m in meals] == [
        (),
        (NeedCount("vegetarian", 2),),
        (NeedCount("vegetarian", 2),),
        (),
    ]


def test_a_meal_item_carries_no_name(scenario):
    phoenix = scenario.stops["phoenix"]
    MealFactory(stop=phoenix, starts_at=phoenix.arrival, notes="Kitchen closes at 22:00")

    [meal] = meal_items(load_plan(scenario.journey), with_notes=True)

    names = {p.display_name for p in load_plan(scenario.journey).participants}
    text = repr(meal)
    assert [name in text for name in sorted(names)] == [False] * len(names)
    assert (str(meal.title), meal.notes) == ("Dinner at Parish hall", "Kitchen closes at 22:00")


def test_meals_of_a_cancelled_stop_are_left_out(scenario):
    tucson = scenario.stops["tucson"]
    MealFactory(stop=tucson, starts_at=tucson.arrival)

    assert meal_items(load_plan(scenario.journey)) == ()
