"""The host registration form: a good offer is saved pending and confirmed by email;
every kind of bad input says what is wrong on the field and saves nothing."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from stops.models import HostAlly, HostStatus

URL = "/j/caravan/host/"


@pytest.fixture
def offer(trip):
    """A complete, valid offer for the Phoenix stop."""
    return {
        "organization": "Casa Mariposa",
        "contact_name": "Lupe Ortega",
        "email": "lupe@example.org",
        "phone": "+1 602 555 0123",
        "city": "Phoenix",
        "state": "AZ",
        "stop": str(trip.phoenix.pk),
        "available_from": "2027-03-02",
        "available_until": "2027-03-03",
        "offers_beds": "12",
        "offers_meals": "on",
        "offers_other": "",
        "accessibility": "Step-free entrance.",
        "notes": "",
        "website": "",
    }


def test_the_form_offers_only_the_journeys_public_stops(client, trip):
    response = client.get(URL)

    assert response.status_code == 200
    choices = [label for _value, label in response.context["form"].fields["stop"].choices]
    assert choices == [
        "Not sure yet",
        "Los Angeles, CA (Mar 1, 12:00 PST)",
        "Phoenix, AZ (Mar 2, 16:00 MST)",
        "El Paso, TX (Mar 3, 20:00 MST)",
    ]


def test_a_good_offer_is_saved_pending_and_confirmed_by_email(
    client, trip, offer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, offer)

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("web:host_thanks", args=["caravan"])
    host = HostAlly.objects.get()
    assert (host.journey, host.stop, host.status) == (trip.journey, trip.phoenix, "pending")
    assert (host.organization, host.offers_beds, host.offers_meals) == ("Casa Mariposa", 12, True)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["lupe@example.org"], "We received your offer to host Caravan for Justice"),
        (["coord@example.org"], "New host offer: Casa Mariposa (Phoenix)"),
    ]
    assert f"http://testserver/plan/caravan/hosts/{host.pk}/" in mail.outbox[1].body
    assert "http://testserver/j/caravan/" in mail.outbox[0].body


def test_the_confirmation_is_in_the_pages_language(
    client, trip, offer, django_capture_on_commit_callbacks
):
    client.cookies["django_language"] = "es"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, offer)

    assert [m.subject for m in mail.outbox] == [
        "Recibimos su oferta de hospedaje para Caravan for Justice",
        "New host offer: Casa Mariposa (Phoenix)",  # coordinators: the site's language
    ]
    assert mail.outbox[0].extra_headers["Content-Language"] == "es"


def test_the_thank_you_page(client, trip):
    response = client.get(reverse("web:host_thanks", args=["caravan"]))

    assert response.status_code == 200
    assert "Thank you for your offer" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"organization": ""}, "organization", "Give the name of your organization."),
        ({"contact_name": ""}, "contact_name", "Tell us who to contact."),
        ({"email": ""}, "email", "Give an email address so we can answer you."),
        ({"email": "lupe-at-example"}, "email", "Enter a valid email address."),
        (
            {"phone": "call me"},
            "phone",
            "Write a phone number with 7 to 15 digits, for example +1 602 555 0123.",
        ),
        ({"city": ""}, "city", "Give the city where you can help."),
        (
            {"stop": "999999"},
            "stop",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
        ({"available_from": "March 2nd"}, "available_from", "Enter a valid date."),
        (
            {"available_until": "2027-03-01"},
            "available_until",
            "The last available day is before the first.",
        ),
        ({"offers_beds": "-1"}, "offers_beds", "The number of beds cannot be negative."),
        ({"offers_beds": "many"}, "offers_beds", "Enter a whole number."),
        (
            {"meals_capacity": "0"},
            "meals_capacity",
            "Ensure this value is greater than or equal to 1.",
        ),
        (
            {"offers_beds": "0", "offers_meals": ""},
            "__all__",
            "Tell us at least one thing you can offer: beds, meals, a venue, transport or "
            "something else.",
        ),
    ],
)
def test_bad_input_is_explained_on_its_field_and_nothing_is_saved(
    client, offer, changes, field, message
):
    response = client.post(URL, {**offer, **changes})

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert HostAlly.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("stop", ["tucson", "houston"])
def test_a_hidden_or_cancelled_stop_cannot_be_chosen(client, trip, offer, stop):
    response = client.post(URL, {**offer, "stop": str(getattr(trip, stop).pk)})

    assert list(response.context["form"].errors) == ["stop"]
    assert HostAlly.objects.count() == 0


def test_another_journeys_stop_cannot_be_chosen(client, trip, offer, add_stop):
    from tests.factories import JourneyFactory, RouteFactory, local

    other = RouteFactory(journey=JourneyFactory(is_published=True))
    stop = add_stop(
        other,
        "Atlanta",
        local("America/New_York", 2027, 3, 1, 9),
        local("America/New_York", 2027, 3, 1, 10),
    )

    response = client.post(URL, {**offer, "stop": str(stop.pk)})

    assert list(response.context["form"].errors) == ["stop"]


def test_errors_are_tied_to_their_fields_for_screen_readers(client, offer):
    html = client.post(URL, {**offer, "email": ""}).content.decode()

    assert 'aria-invalid="true"' in html
    assert 'role="alert"' in html


def test_a_filled_honeypot_is_thanked_but_nothing_is_kept(client, offer):
    response = client.post(URL, {**offer, "website": "http://spam.example"})

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("web:host_thanks", args=["caravan"])
    assert HostAlly.objects.count() == 0
    assert mail.outbox == []


@override_settings(CARAVANA_FORM_RATE_PER_ADDRESS=3)
def test_too_many_posts_from_one_address_get_429(client, offer):
    codes = [client.post(URL, {**offer, "organization": f"Org {n}"}).status_code for n in range(4)]
    refused = client.post(URL, offer)

    assert codes == [302, 302, 302, 429]
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "3600"
    assert "Too many attempts" in refused.content.decode()
    assert HostAlly.objects.count() == 3


@override_settings(CARAVANA_FORM_RATE_PER_ADDRESS=3)
def test_the_limit_is_per_address(client, offer):
    for n in range(3):
        client.post(URL, {**offer, "organization": f"Org {n}"}, REMOTE_ADDR="203.0.113.1")

    other = client.post(URL, offer, REMOTE_ADDR="203.0.113.2")

    assert other.status_code == 302
    assert HostAlly.objects.count() == 4


@override_settings(CARAVANA_FORM_RATE_PER_ADDRESS=100, CARAVANA_FORM_RATE_GLOBAL=2)
def test_a_global_cap_stops_a_flood_from_many_addresses(client, offer):
    codes = [client.post(URL, offer, REMOTE_ADDR=f"203.0.113.{n}").status_code for n in range(1, 4)]

    assert codes == [302, 302, 429]


def test_reading_the_form_is_not_limited(client, trip):
    codes = {client.get(URL).status_code for _ in range(15)}

    assert codes == {200}


def test_the_coordinator_sees_the_application_in_the_queue(client, trip, offer):
    client.post(URL, offer)

    assert list(
        HostAlly.objects.filter(journey=trip.journey, status=HostStatus.PENDING).values_list(
            "organization", flat=True
        )
    ) == ["Casa Mariposa"]


def test_the_application_remembers_the_language_it_was_made_in(client, trip, offer, settings):
    from stops.models import HostAlly

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    client.post(URL, offer)

    assert list(HostAlly.objects.values_list("language", flat=True)) == ["es"]


def test_a_host_says_how_many_people_they_can_feed(client, offer):
    client.post(URL, {**offer, "meals_capacity": "40"})
    client.post(URL, {**offer, "organization": "Second", "email": "b@example.org"})

    assert list(HostAlly.objects.order_by("pk").values_list("meals_capacity", flat=True)) == [
        40,
        None,
    ]
