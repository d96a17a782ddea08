"""Two people editing the same stop: the later save, based on what it read before the first
was saved, is refused with a clear message instead of silently undoing the first one.

Covered for the coordinators' stop page, the admin and the API; the row lock that makes the
check safe under truly concurrent saves is tested on PostgreSQL at the end.
"""

from datetime import datetime

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from journey.concurrency import StaleEdit, check_version
from stops.models import Stop
from tests.concurrency import run_together
from tests.factories import UserFactory


def stop_page(trip, stop):
    return reverse("web:plan_stop", kwargs={"slug": "caravan", "stop_id": stop.pk})


def edit(form, **changes):
    """What a browser sends back for the form as shown, with some fields changed."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, datetime):
            value = f"{value:%Y-%m-%dT%H:%M}"
        data[field.html_name] = str(value)
    data.update(changes)
    return data


@pytest.fixture
def two_coordinators(trip):
    ana, ben = Client(), Client()
    ana.force_login(trip.coordinator_user)
    second = UserFactory(username="ben", first_name="Ben", last_name="Ortiz")
    trip.journey.coordinators.add(second)
    ben.force_login(second)
    return ana, ben


def test_the_second_of_two_edits_from_the_same_version_is_refused(trip, two_coordinators):
    ana, ben = two_coordinators
    url = stop_page(trip, trip.el_paso)
    ana_form = ana.get(url).context["form"]
    ben_form = ben.get(url).context["form"]

    first = ben.post(url, edit(ben_form, venue="San Jacinto Plaza"))
    second = ana.post(url, edit(ana_form, public_notes="Bring water"))

    trip.el_paso.refresh_from_db()
    assert first.status_code == 302
    assert second.status_code == 400
    [message] = second.context["form"].non_field_errors()
    assert message.startswith("Ben Ortiz changed this stop at ")
    assert "MST" in message or "MDT" in message  # when, in the stop's own time zone
    assert "Your changes were not saved" in message
    assert (trip.el_paso.venue, trip.el_paso.public_notes) == ("San Jacinto Plaza", "")


def test_after_reloading_the_edit_goes_through(trip, two_coordinators):
    ana, ben = two_coordinators
    url = stop_page(trip, trip.el_paso)
    stale = ana.get(url).context["form"]
    ben.post(url, edit(ben.get(url).context["form"], venue="San Jacinto Plaza"))
    assert ana.post(url, edit(stale, public_notes="Bring water")).status_code == 400

    reloaded = ana.get(url).context["form"]
    response = ana.post(url, edit(reloaded, public_notes="Bring water"))

    trip.el_paso.refresh_from_db()
    assert response.status_code == 302
    assert (trip.el_paso.venue, trip.el_paso.public_notes) == ("San Jacinto Plaza", "Bring water")


def test_every_save_moves_the_version(trip):
    stop = trip.el_paso
    before = stop.version
    stop.public_notes = "x"
    stop.save(update_fields=["public_notes"])
    stop.refresh_from_db()
    assert stop.version == before + 1


def test_the_admin_refuses_a_stale_save_too(trip, admin_client):
    url = reverse("admin:stops_stop_change", args=[trip.el_paso.pk])
    form = admin_client.get(url).context["adminform"].form
    assert form["based_on_version"].value() == trip.el_paso.version
    stop = Stop.objects.get(pk=trip.el_paso.pk)
    stop.venue = "Changed meanwhile"
    stop.save()

    data = edit(form, public_notes="Stale notes")
    for prefix in ("activities", "lodgings", "contacts"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = admin_client.post(url, data)

    stop.refresh_from_db()
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert "Your changes were not saved" in errors[0]
    assert (stop.venue, stop.public_notes) == ("Changed meanwhile", "")


@pytest.fixture
def api(trip):
    client = APIClient()
    token = Token.objects.create(user=trip.coordinator_user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def stop_api(trip, stop):
    return reverse("api:stop-detail", kwargs={"journey_slug": "caravan", "pk": stop.pk})


def test_the_api_needs_the_version_a_change_is_based_on(trip, api):
    before = trip.el_paso.venue
    response = api.patch(stop_api(trip, trip.el_paso), {"venue": "Plaza"}, format="json")

    trip.el_paso.refresh_from_db()
    assert response.status_code == 400
    assert list(response.json()) == ["version"]
    assert trip.el_paso.venue == before != "Plaza"


def test_the_api_refuses_a_change_based_on_an_old_version(trip, api):
    url = stop_api(trip, trip.el_paso)
    read = api.get(url).json()["version"]
    first = api.patch(url, {"venue": "Plaza", "version": read}, format="json")
    second = api.patch(url, {"public_notes": "late", "version": read}, format="json")

    trip.el_paso.refresh_from_db()
    assert first.status_code == 200
    assert first.json()["version"] == read + 1
    assert second.status_code == 400
    assert "Your changes were not saved" in second.json()["version"][0]
    assert (trip.el_paso.venue, trip.el_paso.public_notes) == ("Plaza", "")


@pytest.mark.django_db(transaction=True)
@pytest.mark.needs_postgresql
def test_of_simultaneous_saves_of_one_version_exactly_one_wins(transactional_db):
    from tests.factories import StopFactory

    stop = StopFactory(city="Tucson")
    seen = stop.version
    count = 8

    def save(i):
        mine = Stop.objects.get(pk=stop.pk)
        with transaction.atomic():
            check_version(mine, seen)
            mine.public_notes = f"edit {i}"
            mine.save()

    outcomes = [
        "saved" if outcome == "ok" else "refused" if isinstance(outcome, StaleEdit) else outcome
        for outcome in run_together(save, count)
    ]

    stop.refresh_from_db()
    assert sorted(outcomes) == ["refused"] * (count - 1) + ["saved"]
    assert stop.version == seen + 1
