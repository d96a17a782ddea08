"""Tokens (created and revoked by their owner), sessions, and anonymous host applications."""

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from stops.models import HostAlly
from tests.factories import UserFactory
from web.public.forms import HostApplicationForm

TOKEN_URL = "/api/auth/token/"


@pytest.fixture
def ana(db):
    user = UserFactory(username="ana")
    user.set_password("a long passphrase 42")
    user.save()
    return user


def test_a_token_is_created_for_a_username_and_password(ana):
    client = APIClient()

    first = client.post(
        TOKEN_URL, {"username": "ana", "password": "a long passphrase 42"}, format="json"
    )
    again = client.post(
        TOKEN_URL, {"username": "ana", "password": "a long passphrase 42"}, format="json"
    )

    key = Token.objects.get(user=ana).key
    assert (first.status_code, first.json()["token"]) == (201, key)
    assert (again.status_code, again.json()["token"]) == (200, key)


def test_a_wrong_password_gets_no_token(ana):
    response = APIClient().post(TOKEN_URL, {"username": "ana", "password": "guess"}, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"non_field_errors": ["Unable to sign in with these credentials."]},
    )
    assert Token.objects.count() == 0


def test_a_signed_in_session_gets_its_token(ana):
    client = APIClient()
    client.force_login(ana)

    response = client.post(TOKEN_URL, {}, format="json")

    assert (response.status_code, response.json()["token"]) == (201, Token.objects.get().key)


def test_the_owner_revokes_their_token(ana):
    token = Token.objects.create(user=ana)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    revoked = client.delete(TOKEN_URL)
    after = client.get(reverse("api:me"))

    assert (revoked.status_code, after.status_code) == (204, 401)
    assert Token.objects.count() == 0


def test_an_unknown_token_is_refused_even_on_public_data(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    response = client.get(reverse("api:journey-list"))

    assert (response.status_code, response["WWW-Authenticate"]) == (401, "Token")


def test_anonymous_requests_are_told_how_to_authenticate(world):
    url = reverse("api:participant-list", kwargs={"journey_slug": world.a.slug})

    response = APIClient().get(url)

    assert (response.status_code, response["WWW-Authenticate"]) == (401, "Token")


# --- host applications -------------------------------------------------------------------------

APPLICATION = {
    "organization": "Sunrise Church",
    "contact_name": "Rosa Díaz",
    "email": "rosa@sunrise.example.org",
    "city": "Tucson",
    "state": "AZ",
    "offers_beds": 12,
    "offers_meals": True,
    "status": "approved",  # ignored: a coordinator decides
}


def applications_url(journey):
    return reverse("api:host-application-list", kwargs={"journey_slug": journey.slug})


def test_anyone_may_offer_to_host_a_published_journey(world):
    response = APIClient().post(applications_url(world.a), APPLICATION, format="json")

    host = HostAlly.objects.get(organization="Sunrise Church")
    assert (response.status_code, response.json()["status"]) == (201, "pending")
    assert (host.journey, host.status, host.offers_beds, host.stop) == (
        world.a,
        "pending",
        12,
        None,
    )


def test_an_application_needs_an_email(world):
    body = {**APPLICATION, "email": ""}

    response = APIClient().post(applications_url(world.a), body, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"email": ["This field may not be blank."]},
    )


NO_OFFER = (
    "Tell us at least one thing you can offer: beds, meals, a venue, transport or something else."
)
PHONE = "Write a phone number with 7 to 15 digits, for example +1 602 555 0123."


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"offers_beds": 0, "offers_meals": False, "offers_other": "  "},
            "non_field_errors",
            NO_OFFER,
        ),
        ({"phone": "call me maybe"}, "phone", PHONE),
        ({"phone": "+1 602"}, "phone", PHONE),
        ({"phone": "1234567890123456"}, "phone", PHONE),
        ({"website": "http://spam.example"}, "website", "Leave this field empty."),
    ],
)
def test_an_application_is_checked_as_the_web_form_checks_it(world, changes, field, message):
    body = {**APPLICATION, **changes}

    response = APIClient().post(applications_url(world.a), body, format="json")
    form = HostApplicationForm(
        data={**body, "offers_meals": "on" if body["offers_meals"] else ""}, journey=world.a
    )

    assert (response.status_code, response.json()) == (400, {field: [message]})
    assert HostAlly.objects.filter(organization="Sunrise Church").count() == 0
    if field != "website":  # the page drops a robot's application before its form
        assert form.errors == {"__all__" if field == "non_field_errors" else field: [message]}


def test_a_phone_in_a_good_format_is_kept_trimmed(world):
    body = {**APPLICATION, "phone": " +1 (520) 555-0199 "}

    response = APIClient().post(applications_url(world.a), body, format="json")

    assert response.status_code == 201
    assert HostAlly.objects.get(organization="Sunrise Church").phone == "+1 (520) 555-0199"


def test_an_application_by_api_is_confirmed_by_email_like_the_forms(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = APIClient().post(
            applications_url(world.a), APPLICATION, format="json", HTTP_ACCEPT_LANGUAGE="es"
        )

    host = HostAlly.objects.get(organization="Sunrise Church")
    assert (response.status_code, host.language) == (201, "es")
    confirmation = mail.outbox[0]
    assert (confirmation.to, confirmation.extra_headers["Content-Language"]) == (
        ["rosa@sunrise.example.org"],
        "es",
    )


def test_an_unpublished_journey_takes_no_applications(world):
    response = APIClient().post(applications_url(world.b), APPLICATION, format="json")

    assert response.status_code == 404
    assert HostAlly.objects.filter(organization="Sunrise Church").count() == 0


def test_its_own_coordinator_cannot_apply_before_publishing(world):
    response = world.client("coordinator_b").post(applications_url(world.b), APPLICATION)

    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Applications open once the journey is published."},
    )


def test_anonymous_applications_are_throttled(world):
    client = APIClient()
    statuses = [
        client.post(applications_url(world.a), APPLICATION, format="json").status_code
        for _ in range(21)
    ]

    assert statuses == [201] * 20 + [429]


def test_a_session_write_needs_the_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users["coordinator"])
    url = reverse("api:route-list", kwargs={"journey_slug": world.a.slug})

    response = client.post(url, {"name": "North"}, format="json")

    assert (response.status_code, response.json()) == (
        403,
        {"detail": "CSRF Failed: CSRF cookie not set."},
    )
