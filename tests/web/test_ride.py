"""Ask to ride: the public form, and the coordinators' queue that approves or declines."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from participants.models import Participant, RideApplication
from participants.retention import purge_expired
from tests.factories import JourneyFactory, UserFactory
from tests.web.conftest import SECRETS


def form_url(trip) -> str:
    return reverse("web:ride_apply", kwargs={"slug": trip.journey.slug})


def queue_url(trip) -> str:
    return reverse("web:plan_rides", kwargs={"slug": trip.journey.slug})


def answer(trip, **changes) -> dict:
    data = {
        "display_name": "Yesenia",
        "phone": "(602) 555-0177",
        "email": "yesenia@example.org",
        "language": "es",
        "route": trip.route.pk,
        "join_stop": trip.phoenix.pk,
        "leave_stop": trip.el_paso.pk,
        "dietary_needs": "vegetariana",
        "accessibility_needs": "",
        "website": "",
    }
    return {**data, **changes}


def application(trip, **changes) -> RideApplication:
    values = answer(trip, **{"phone": "+16025550177", **changes})
    values.pop("website")
    for name in ("route", "join_stop", "leave_stop"):
        values[f"{name}_id"] = values.pop(name)
    return RideApplication.objects.create(journey=trip.journey, **values)


# --- the public form -----------------------------------------------------------------------


def test_the_form_in_spanish_offers_only_public_stops_and_says_what_is_kept(client, trip):
    response = client.get(form_url(trip), HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["language"] == "es"
    assert [s.city for s in form.fields["join_stop"].queryset] == [
        "Los Angeles",
        "Phoenix",
        "El Paso",
    ]
    text = response.content.decode()
    assert SECRETS["non-public stop"] not in text
    assert SECRETS["cancelled stop"] not in text
    assert "Solo los coordinadores de este viaje ven su solicitud." in text


def test_the_journey_page_links_to_the_form(client, trip):
    response = client.get(reverse("web:journey", kwargs={"slug": trip.journey.slug}))

    assert form_url(trip).encode() in response.content


def test_a_request_is_kept_pending_with_its_phone_normalised(client, trip):
    response = client.post(form_url(trip), answer(trip))

    assert response.status_code == 302
    [saved] = RideApplication.objects.all()
    assert (saved.status, saved.phone, saved.join_stop, saved.leave_stop) == (
        "pending",
        "+16025550177",
        trip.phoenix,
        trip.el_paso,
    )
    assert Participant.objects.filter(display_name="Yesenia").count() == 0
    # The coordinator with an address is told, without the applicant's data.
    [notice] = mail.outbox
    assert notice.to == [trip.coordinator_user.email]
    assert f"/plan/{trip.journey.slug}/rides/" in notice.body
    assert "Yesenia" not in notice.body + notice.subject
    assert "555" not in notice.body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "", "email": ""}, "phone"),
        ({"phone": "123"}, "phone"),
        ({"email": "nope"}, "email"),
        ({"display_name": ""}, "display_name"),
        ({"join_stop": "el_paso", "leave_stop": "phoenix"}, "leave_stop"),
    ],
)
def test_bad_answers_are_shown_per_field_and_nothing_is_kept(client, trip, changes, field):
    stops = {"el_paso": trip.el_paso.pk, "phoenix": trip.phoenix.pk}
    changes = {k: stops.get(v, v) for k, v in changes.items()}

    response = client.post(form_url(trip), answer(trip, **changes))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert RideApplication.objects.count() == 0


def test_a_private_stop_cannot_be_chosen(client, trip):
    response = client.post(form_url(trip), answer(trip, join_stop=trip.tucson.pk))

    assert list(response.context["form"].errors) == ["join_stop"]


def test_the_honeypot_keeps_nothing(client, trip):
    response = client.post(form_url(trip), answer(trip, website="http://spam.example"))

    assert (response.status_code, RideApplication.objects.count()) == (302, 0)


@override_settings(CARAVANA_FORM_RATE_PER_ADDRESS=2)
def test_requests_are_rate_limited_per_address(client, trip):
    statuses = [client.post(form_url(trip), answer(trip)).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]


def test_an_unpublished_journey_has_no_form(client, db):
    journey = JourneyFactory(slug="hidden", is_published=False)

    assert client.get(reverse("web:ride_apply", kwargs={"slug": journey.slug})).status_code == 404


# --- the coordinators' queue ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("coordinator", 200), ("rider", 404), ("other", 404), ("anonymous", 302)]
)
def test_the_queue_is_for_the_journeys_coordinators(client, trip, who, status):
    application(trip)
    if who == "coordinator":
        client.force_login(trip.coordinator_user)
    elif who == "rider":
        client.force_login(trip.rider_user)
    elif who == "other":
        user = UserFactory(username="elsewhere")
        JourneyFactory(slug="elsewhere").coordinators.add(user)
        client.force_login(user)

    response = client.get(queue_url(trip))

    assert response.status_code == status
    assert (b"+16025550177" in response.content) == (status == 200)


def test_approval_creates_the_participant_and_emails_their_link_in_their_language(client, trip):
    pending = application(trip)
    client.force_login(trip.coordinator_user)
    url = reverse("web:plan_ride", kwargs={"slug": trip.journey.slug, "pk": pending.pk})

    client.post(url, {"decision": "approve"})
    again = client.post(url, {"decision": "approve"}, follow=True)

    person = Participant.objects.get(journey=trip.journey, display_name="Yesenia")
    assert (person.role, person.language, person.phone, person.route) == (
        "rider",
        "es",
        "+16025550177",
        trip.route,
    )
    assert (person.join_stop, person.leave_stop, person.dietary_needs) == (
        trip.phoenix,
        trip.el_paso,
        "vegetariana",
    )
    pending.refresh_from_db()
    assert (pending.status, pending.participant) == ("approved", person)
    [message] = mail.outbox
    assert (message.to, message.extra_headers["Content-Language"]) == (
        ["yesenia@example.org"],
        "es",
    )
    assert f"/my/{person.secret_token}/" in message.body
    assert [str(m) for m in again.context["messages"]] == [
        "Yesenia is now a participant.",
        "This request was already answered.",
    ]
    assert Participant.objects.filter(display_name="Yesenia").count() == 1


def test_a_rider_cannot_approve(client, trip):
    pending = application(trip)
    client.force_login(trip.rider_user)
    url = reverse("web:plan_ride", kwargs={"slug": trip.journey.slug, "pk": pending.pk})

    response = client.post(url, {"decision": "approve"})

    pending.refresh_from_db()
    assert (response.status_code, pending.status, len(mail.outbox)) == (404, "pending", 0)


def test_declining_creates_nobody_and_sends_nothing(client, trip):
    pending = application(trip)
    client.force_login(trip.coordinator_user)
    url = reverse("web:plan_ride", kwargs={"slug": trip.journey.slug, "pk": pending.pk})

    client.post(url, {"decision": "decline"})

    pending.refresh_from_db()
    assert (pending.status, pending.participant, len(mail.outbox)) == ("declined", None, 0)
    assert not Participant.objects.filter(display_name="Yesenia").exists()


# --- retention -----------------------------------------------------------------------------


def test_requests_follow_the_journeys_retention(trip):
    application(trip)
    trip.journey.end_date = date(2027, 3, 10)
    trip.journey.retention_days = 30
    trip.journey.save()

    purge_expired(today=date(2027, 4, 9))
    kept = RideApplication.objects.count()
    purge_expired(today=date(2027, 4, 10))

    assert (kept, RideApplication.objects.count()) == (1, 0)


def test_a_declined_request_is_erased_thirty_days_after_the_answer(trip):
    old = application(trip, display_name="Old", status="declined")
    recent = application(trip, display_name="Recent", status="declined")
    RideApplication.objects.filter(pk=old.pk).update(decided_at=timezone.now() - timedelta(days=31))
    RideApplication.objects.filter(pk=recent.pk).update(
        decided_at=timezone.now() - timedelta(days=29)
    )

    purge_expired()

    assert list(RideApplication.objects.values_list("display_name", flat=True)) == ["Recent"]
