"""The plan's history: coordinators see who changed what and when; nobody else does, and no
personal data of participants is kept in it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journey.changes import journey_changes
from journey.history import paused
from journey.models import Journey
from participants.models import Participant
from stops.models import Stop
from tests.factories import (
    JourneyFactory,
    LodgingFactory,
    ParticipantFactory,
    UserFactory,
    local,
)

MT = "America/Denver"


def history_url(slug="caravan"):
    return reverse("web:plan_history", kwargs={"slug": slug})


@pytest.fixture
def coordinator(client, trip):
    trip.coordinator_user.first_name, trip.coordinator_user.last_name = "Rosa", "Diaz"
    trip.coordinator_user.save()
    client.force_login(trip.coordinator_user)
    return client


def edit_stop_page(client, stop, **changes):
    url = reverse("web:plan_stop", kwargs={"slug": "caravan", "stop_id": stop.pk})
    data = {
        "venue": stop.venue,
        "arrival": f"{stop.local_arrival:%Y-%m-%dT%H:%M}",
        "departure": f"{stop.local_departure:%Y-%m-%dT%H:%M}",
        "kind": stop.kind,
        "status": stop.status,
        "is_public": "on",
        "based_on_version": stop.version,
        **changes,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    return response


def test_a_change_shows_who_made_it_and_the_old_and_new_local_times(coordinator, trip):
    edit_stop_page(coordinator, trip.el_paso, arrival="2027-03-03T21:15")

    page = coordinator.get(history_url())

    [change, *_older] = page.context["changes"]
    _when, change = change
    assert (change.who, change.action, change.kind, change.label) == (
        "Rosa Diaz",
        "changed",
        "stop",
        "El Paso, TX",
    )
    assert [(f.field, f.old, f.new) for f in change.fields] == [
        ("arrival", "Mar 3, 20:00 MST", "Mar 3, 21:15 MST")
    ]
    assert "Rosa Diaz" in page.content.decode()


def test_bed_and_seat_changes_name_the_person_lodging_and_night(coordinator, trip):
    lodging = LodgingFactory(stop=trip.el_paso, name="Annunciation House", capacity=4)
    url = reverse("web:plan_assign", kwargs={"slug": "caravan", "pk": trip.rider.pk})
    night = trip.el_paso.nights[0]
    coordinator.post(url, {"action": "bed", "bed-bed": f"{lodging.pk}:{night.isoformat()}"})

    [latest, *_] = journey_changes(trip.journey)

    assert (latest.who, latest.action, latest.kind) == ("Rosa Diaz", "created", "bed assignment")
    assert latest.label == f"{trip.rider.display_name} · Annunciation House · {night:%Y-%m-%d}"


def test_history_keeps_no_personal_data_of_participants(trip):
    person = trip.rider
    person.phone, person.notes = "+1 915 555 0199", "Needs insulin at 8 pm"
    person.save()

    rows = list(Participant.history.filter(id=person.pk).values())

    assert rows
    assert all("phone" not in row and "notes" not in row for row in rows)
    assert all("secret_token" not in row and "display_name" not in row for row in rows)
    assert "555 0199" not in repr(rows) and "insulin" not in repr(rows)


def test_only_the_journeys_coordinators_see_its_history(client, trip):
    assert client.get(history_url()).status_code == 302  # to the login page
    client.force_login(UserFactory(username="elsewhere"))
    other = JourneyFactory(slug="other")
    other.coordinators.add(UserFactory(username="elsewhere"))
    assert client.get(history_url()).status_code == 404
    client.force_login(trip.rider_user)
    assert client.get(history_url()).status_code == 404


def test_another_journeys_changes_do_not_appear(coordinator, trip):
    other = JourneyFactory(slug="other")
    Stop.objects.create(
        journey=other,
        city="Secret City",
        latitude="31.76",
        longitude="-106.48",
        arrival=local(MT, 2027, 3, 1, 9),
        departure=local(MT, 2027, 3, 1, 10),
    )

    labels = {c.label for c in journey_changes(trip.journey)}

    assert "Secret City" not in labels
    assert "El Paso, TX" in labels


def test_the_page_reads_the_same_number_of_queries_for_few_and_many_changes(coordinator, trip):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert coordinator.get(history_url()).status_code == 200
        return len(queries)

    edit_stop_page(coordinator, trip.el_paso, venue="Plaza 1")
    few = count()
    for i in range(2, 12):
        trip.el_paso.refresh_from_db()
        edit_stop_page(coordinator, trip.el_paso, venue=f"Plaza {i}")
        ParticipantFactory(journey=trip.journey, display_name=f"New {i}")

    assert count() == few


def test_older_changes_are_on_the_next_page(coordinator, trip, monkeypatch):
    monkeypatch.setattr("web.coordinator.views.history.HISTORY_PAGE", 3)
    for i in range(5):
        trip.el_paso.refresh_from_db()
        edit_stop_page(coordinator, trip.el_paso, venue=f"Plaza {i}")

    first = coordinator.get(history_url())
    second = coordinator.get(history_url(), {"before": first.context["older"]})

    def venues(page):
        return [c.fields[0].new for _when, c in page.context["changes"] if c.fields]

    assert venues(first) == ["Plaza 4", "Plaza 3", "Plaza 2"]
    assert venues(second)[:2] == ["Plaza 1", "Plaza 0"]


@pytest.mark.parametrize(
    "before",
    [
        "0001-01-01T00:00:00+05:00",
        "0001-01-01T00:00:00+00:00",
        "9999-12-31T23:59:59-05:00",
        "9999-12-31T23:59:59+00:00",
        "1899-12-31T23:59:59+00:00",
        "2026-03-01T10:00:00",
        "yesterday",
    ],
)
def test_a_page_before_a_moment_out_of_range_or_malformed_is_not_found(coordinator, trip, before):
    coordinator.raise_request_exception = False

    response = coordinator.get(history_url(), {"before": before})

    assert response.status_code == 404


def test_deleting_a_journey_deletes_its_history_without_a_row_per_deleted_row(trip):
    journey_id = trip.journey.pk
    Stop.objects.filter(pk=trip.el_paso.pk).update(venue="x")
    trip.el_paso.save()
    assert Stop.history.filter(history_journey_id=journey_id).exists()

    Journey.objects.filter(pk=journey_id).delete()

    assert not Stop.history.filter(history_journey_id=journey_id).exists()
    assert not Participant.history.filter(history_journey_id=journey_id).exists()


def test_work_done_with_history_paused_leaves_none(trip):
    before = Stop.history.count()
    with paused():
        trip.el_paso.venue = "Quiet"
        trip.el_paso.save()
    assert Stop.history.count() == before


def test_a_meal_added_on_the_stops_page_is_in_the_history(coordinator, trip):
    url = reverse("web:plan_stop_meals", kwargs={"slug": "caravan", "stop_id": trip.el_paso.pk})
    coordinator.post(
        url, {"action": "add", "kind": "dinner", "starts_at": "2027-03-03T21:00", "place": "Hall"}
    )

    [latest, *_] = journey_changes(trip.journey)

    assert (latest.who, latest.action, latest.kind, latest.label) == (
        "Rosa Diaz",
        "created",
        "meal",
        "Dinner · El Paso, TX",
    )
