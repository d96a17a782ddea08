"""Coordinators plan a stop's meals on its page: local times, field-level refusals."""

import pytest
from django.urls import reverse

from stops.models import Meal
from tests.factories import HostAllyFactory, JourneyFactory, local
from tests.web.conftest import AZ


def meals_url(trip):
    return reverse(
        "web:plan_stop_meals", kwargs={"slug": trip.journey.slug, "stop_id": trip.phoenix.pk}
    )


def post(client, trip, **fields):
    data = {"action": "add", "kind": "dinner", "place": "Wesley Park", "notes": "", **fields}
    return client.post(meals_url(trip), data)


def test_a_coordinator_adds_a_meal_in_the_stops_local_time(client, trip):
    host = HostAllyFactory(journey=trip.journey, stop=trip.phoenix, status="approved")
    client.force_login(trip.coordinator_user)

    response = post(client, trip, starts_at="2027-03-02T18:30", provided_by=host.pk)
    page = client.get(meals_url(trip)).content.decode()

    assert response.status_code == 302
    meal = Meal.objects.get()
    assert (meal.stop, meal.starts_at, meal.provided_by) == (
        trip.phoenix,
        local(AZ, 2027, 3, 2, 18, 30),
        host,
    )
    assert "Dinner at Wesley Park" in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"starts_at": "2027-03-05T18:30"},
            "starts_at",
            "The meal is outside the visit to Phoenix, AZ (Mar 2, 16:00 MST to Mar 3, 08:00 MST).",
        ),
        ({"starts_at": "2027-03-02T18:30", "kind": "brunch"}, "kind", None),
        ({"starts_at": "2027-03-02T18:30", "provided_by": "other"}, "provided_by", None),
    ],
)
def test_a_bad_meal_is_refused_on_its_field_and_nothing_is_saved(
    client, trip, fields, field, message
):
    if fields.get("provided_by") == "other":
        fields["provided_by"] = HostAllyFactory(
            journey=JourneyFactory(slug="elsewhere"), status="approved"
        ).pk
    client.force_login(trip.coordinator_user)

    response = post(client, trip, **fields)

    errors = response.context["form"].errors
    assert (response.status_code, list(errors)) == (400, [field])
    if message:
        assert errors[field] == [message]
    assert Meal.objects.count() == 0


def test_a_coordinator_removes_a_meal_of_this_stop_only(client, trip):
    client.force_login(trip.coordinator_user)
    post(client, trip, starts_at="2027-03-02T18:30")
    meal = Meal.objects.get()
    other = Meal.objects.create(stop=trip.la, kind="lunch", starts_at=trip.la.arrival)

    client.post(meals_url(trip), {"action": "delete", "meal": other.pk})
    client.post(meals_url(trip), {"action": "delete", "meal": meal.pk})

    assert list(Meal.objects.all()) == [other]
