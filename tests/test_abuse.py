"""Rate limits on what anyone can reach (sign-ins, the API token, secret links) and the
limit on request sizes: each limit bites, lifts after its window, and spares normal use."""

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from caravana.throttle import client_address
from journey.models import Journey
from journey.services import append_stop
from journey.tokens import (
    revoke_participant_token,
    revoke_team_token,
    rotate_participant_token,
    rotate_team_token,
)
from participants.retention import erase_participant
from stops.models import HostAlly
from tests.factories import (
    JourneyFactory,
    ParticipantFactory,
    RouteFactory,
    StopFactory,
    UserFactory,
)

LOGIN_URL = "/admin/login/"
TOKEN_URL = "/api/auth/token/"
PASSWORD = "a long passphrase 42"
# The counters expire in the cache; to watch them expire by travelling in time, the counts
# must be in this process's memory, not in Redis (which keeps its own clock).
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def ana(db):
    user = UserFactory(username="ana", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, username, password, address="203.0.113.1"):
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- sign-ins ------------------------------------------------------------------------------


@override_settings(CARAVANA_LOGIN_RATE_PER_ADDRESS=3, CARAVANA_LOGIN_RATE_PER_USERNAME=100)
def test_failed_sign_ins_from_one_address_lock_it_out(client, ana):
    failures = [sign_in(client, f"guess{n}", "wrong").status_code for n in range(3)]

    refused = sign_in(client, "ana", PASSWORD)

    assert failures == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "900"
    assert "Too many failed sign-ins" in refused.content.decode()
    assert "Please try again in 15 minutes." in refused.content.decode()
    assert not signed_in(client)


@override_settings(CARAVANA_LOGIN_RATE_PER_ADDRESS=3, CARAVANA_LOGIN_RATE_PER_USERNAME=100)
def test_another_address_still_signs_in(client, ana):
    for n in range(3):
        sign_in(client, f"guess{n}", "wrong", address="203.0.113.1")

    response = sign_in(client, "ana", PASSWORD, address="203.0.113.2")

    assert response.status_code == 302
    assert signed_in(client)


@override_settings(CARAVANA_LOGIN_RATE_PER_ADDRESS=100, CARAVANA_LOGIN_RATE_PER_USERNAME=3)
def test_guessing_one_account_from_many_addresses_locks_the_account(client, ana):
    for n in range(3):
        sign_in(client, "ANA", f"guess{n}", address=f"198.51.100.{n}")

    refused = sign_in(client, "ana", PASSWORD, address="203.0.113.9")

    assert refused.status_code == 429
    assert not signed_in(client)


@override_settings(CARAVANA_LOGIN_RATE_PER_ADDRESS=100, CARAVANA_LOGIN_RATE_PER_USERNAME=3)
def test_the_api_token_endpoint_counts_with_the_admin_sign_in(ana):
    api = APIClient()
    sign_in(api, "ana", "wrong once")
    tries = [
        api.post(TOKEN_URL, {"username": "ana", "password": f"guess{n}"}, format="json")
        for n in range(3)
    ]

    assert [t.status_code for t in tries] == [400, 400, 429]
    assert tries[-1]["Retry-After"] == "900"
    assert "Too many failed sign-ins" in tries[-1].json()["detail"]
    refused = api.post(TOKEN_URL, {"username": "ana", "password": PASSWORD}, format="json")
    assert refused.status_code == 429
    assert Token.objects.count() == 0


@override_settings(CARAVANA_LOGIN_RATE_PER_ADDRESS=3, CARAVANA_LOGIN_RATE_PER_USERNAME=3)
def test_a_person_who_mistypes_twice_signs_in_and_starts_over(client, ana):
    codes = [sign_in(client, "ana", "typo").status_code for _ in range(2)]
    codes.append(sign_in(client, "ana", PASSWORD).status_code)
    client.logout()
    # Their count started over: two more typos (from elsewhere) and they still get in.
    for _ in range(2):
        sign_in(client, "ana", "typo", address="203.0.113.50")
    codes.append(sign_in(client, "ana", PASSWORD, address="203.0.113.50").status_code)

    assert codes == [200, 200, 302, 302]


@override_settings(
    CACHES=LOCAL_CACHE, CARAVANA_LOGIN_RATE_PER_ADDRESS=3, CARAVANA_LOGIN_RATE_PER_USERNAME=3
)
def test_a_lockout_lifts_after_its_window(client, ana):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(3):
            sign_in(client, "ana", "wrong")
        locked = sign_in(client, "ana", PASSWORD).status_code
        traveller.shift(timedelta(seconds=901))
        again = sign_in(client, "ana", PASSWORD).status_code

    assert (locked, again) == (429, 302)


@override_settings(CARAVANA_LOGIN_RATE_PER_ADDRESS=1)
def test_the_lockout_page_is_in_the_visitors_language(client, ana):
    sign_in(client, "ana", "wrong")

    refused = client.post(
        LOGIN_URL,
        {"username": "ana", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.1",
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert (refused.status_code, refused["Content-Language"]) == (429, "es")
    assert '<html lang="es">' in refused.content.decode()


def test_reading_the_sign_in_page_is_never_limited(client, db):
    with override_settings(CARAVANA_LOGIN_RATE_PER_ADDRESS=1):
        sign_in(client, "ana", "wrong")
        codes = {client.get(LOGIN_URL).status_code for _ in range(5)}

    assert codes == {200}


# --- client addresses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.1"),  # no proxy: a forwarded header is anyone's lie
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client prepended a forgery
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (1, "", "10.0.0.1"),
    ],
)
def test_the_client_address_believes_only_the_trusted_proxies(rf, proxies, forwarded, expected):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    with override_settings(CARAVANA_PROXY_COUNT=proxies):
        assert client_address(request) == expected


# --- secret links --------------------------------------------------------------------------


@pytest.fixture
def rider(db):
    journey = JourneyFactory(slug="caravan", is_published=True)
    route = RouteFactory(journey=journey)
    append_stop(route=route, stop=StopFactory(journey=journey, city="Phoenix"))
    rotate_team_token(journey=journey)
    return ParticipantFactory(journey=journey, route=route, display_name="Marisol")


def link_urls(token: str, journey) -> dict[str, str]:
    return {
        "page": reverse("web:my_itinerary", kwargs={"token": token}),
        "feed": reverse("journey:personal_feed", kwargs={"token": token}),
        "pdf": reverse("journey:personal_pdf", kwargs={"token": token}),
        "team feed": reverse(
            "journey:team_feed_by_token", kwargs={"slug": journey.slug, "token": token}
        ),
    }


@pytest.mark.parametrize("kind", ["page", "feed", "pdf", "team feed"])
@override_settings(CARAVANA_LINK_RATE_UNKNOWN=3)
def test_guessing_secret_links_stops_the_guesser(client, rider, kind):
    guesses = [
        client.get(link_urls(f"guess-{n}", rider.journey)[kind]).status_code for n in range(3)
    ]

    refused = client.get(reverse("web:my_itinerary", kwargs={"token": rider.secret_token}))
    elsewhere = client.get(
        reverse("web:my_itinerary", kwargs={"token": rider.secret_token}),
        REMOTE_ADDR="198.51.100.20",
    )

    assert guesses == [404, 404, 404]
    # Past the limit even the right link is refused: 200 against 429 would reveal a hit.
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "Too many requests for personal links" in refused.content.decode()
    assert rider.secret_token not in refused.content.decode()
    assert elsewhere.status_code == 200


@override_settings(CARAVANA_LINK_RATE_UNKNOWN=3)
def test_a_phone_polling_its_calendar_is_never_taken_for_a_guesser(client, rider):
    feed = link_urls(rider.secret_token, rider.journey)["feed"]

    codes = {client.get(feed).status_code for _ in range(30)}

    assert codes == {200}


@override_settings(CARAVANA_LINK_RATE_PER_ADDRESS=5)
def test_the_overall_limit_per_address_caps_even_good_links(client, rider):
    urls = link_urls(rider.secret_token, rider.journey)

    codes = [client.get(urls["feed"]).status_code for _ in range(6)]

    assert codes == [200] * 5 + [429]


@override_settings(CACHES=LOCAL_CACHE, CARAVANA_LINK_RATE_UNKNOWN=2)
def test_a_link_lockout_lifts_after_its_window(client, rider):
    page = reverse("web:my_itinerary", kwargs={"token": rider.secret_token})
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for n in range(2):
            client.get(reverse("web:my_itinerary", kwargs={"token": f"guess-{n}"}))
        locked = client.get(page).status_code
        traveller.shift(timedelta(seconds=3601))
        again = client.get(page).status_code

    assert (locked, again) == (429, 200)


def _retire(rider, how: str) -> tuple[str, str]:
    """Retire one of the rider's links; (the old link's URL, a link that still works)."""
    journey = rider.journey
    old_feed = link_urls(rider.secret_token, journey)["feed"]
    old_team = link_urls(journey.team_feed_token, journey)["team feed"]
    if how == "rotated":
        rotate_participant_token(participant=rider)
        return old_feed, link_urls(rider.secret_token, journey)["feed"]
    if how == "revoked":
        revoke_participant_token(participant=rider)
        return old_feed, link_urls(journey.team_feed_token, journey)["team feed"]
    if how == "erased":
        erase_participant(participant=rider)
        return old_feed, link_urls(journey.team_feed_token, journey)["team feed"]
    if how == "deleted":
        rider.delete()
        return old_feed, link_urls(journey.team_feed_token, journey)["team feed"]
    keep = ParticipantFactory(journey=journey, route=rider.route)
    if how == "team rotated":
        rotate_team_token(journey=journey)
    else:
        revoke_team_token(journey=journey)
    return old_team, link_urls(keep.secret_token, journey)["feed"]


@pytest.mark.parametrize(
    "how", ["rotated", "revoked", "erased", "deleted", "team rotated", "team revoked"]
)
def test_an_old_link_still_polled_is_not_a_guess(client, rider, how):
    old, working = _retire(rider, how)

    polls = {client.get(old).status_code for _ in range(50)}
    still = client.get(working)

    assert polls == {404}
    assert still.status_code == 200


def test_guessing_is_still_stopped_after_links_were_retired(client, rider):
    rotate_participant_token(participant=rider)

    guesses = [
        client.get(link_urls(f"guess-{n}", rider.journey)["feed"]).status_code for n in range(25)
    ]
    refused = client.get(link_urls(rider.secret_token, rider.journey)["feed"])

    assert guesses == [404] * 20 + [429] * 5
    assert refused.status_code == 429


def test_the_default_limits_leave_a_busload_of_phones_room():
    from django.conf import settings

    # 60 riders behind one bus hotspot, each phone polling every 5 minutes: 720 an hour.
    per_hour = settings.CARAVANA_LINK_RATE_PER_ADDRESS * 3600 / settings.CARAVANA_LINK_RATE_WINDOW
    assert per_hour >= 60 * 12


# --- request size --------------------------------------------------------------------------


@pytest.fixture
def host_form(db):
    journey = JourneyFactory(slug="caravan", is_published=True)
    route = RouteFactory(journey=journey)
    append_stop(route=route, stop=StopFactory(journey=journey, city="Phoenix"))
    return reverse("web:host_register", kwargs={"slug": "caravan"})


def offer(**fields):
    return {
        "organization": "Casa Mariposa",
        "contact_name": "Lupe Ortega",
        "email": "lupe@example.org",
        "phone": "+1 602 555 0123",
        "city": "Phoenix",
        "state": "AZ",
        "stop": "",
        "offers_beds": "12",
        "website": "",
        **fields,
    }


@override_settings(CARAVANA_MAX_UPLOAD_BYTES=2048)
def test_a_body_over_the_limit_is_refused_with_the_limit_named(client, host_form):
    response = client.post(host_form, offer(notes="x" * 3000))

    assert response.status_code == 413
    assert "at most 2.0\xa0KB is accepted" in response.content.decode()
    assert HostAlly.objects.count() == 0


@override_settings(CARAVANA_MAX_UPLOAD_BYTES=2048)
def test_an_uploaded_file_over_the_limit_is_refused_before_it_is_read(client, host_form):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("route.csv", b"city,state\n" * 400, content_type="text/csv")

    response = client.post(host_form, {**offer(), "attachment": upload})

    assert response.status_code == 413
    assert HostAlly.objects.count() == 0


@override_settings(CARAVANA_MAX_UPLOAD_BYTES=2048)
def test_an_api_body_over_the_limit_is_refused(ana):
    api = APIClient()

    response = api.post(TOKEN_URL, {"username": "ana", "password": "x" * 3000}, format="json")

    assert response.status_code == 413
    assert Token.objects.count() == 0


def test_a_form_with_too_many_fields_is_refused(client, host_form):
    from django.conf import settings

    padding = {f"extra{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = client.post(host_form, {**offer(), **padding})

    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert HostAlly.objects.count() == 0


def test_an_ordinary_offer_is_well_within_the_limits(client, host_form):
    response = client.post(host_form, offer(notes="We have a kitchen. " * 40))

    assert response.status_code == 302
    assert HostAlly.objects.count() == 1


NESTED_BODIES = {
    "3,000 objects deep": '{"a":' * 3000 + "1" + "}" * 3000,
    "50,000 open brackets": "[" * 50000,
    "33 lists deep": "[" * 33 + "]" * 33,
}


@pytest.mark.parametrize("body", NESTED_BODIES.values(), ids=NESTED_BODIES.keys())
@pytest.mark.parametrize("endpoint", ["token", "host application", "stop (coordinator)"])
def test_a_json_body_nested_too_deeply_is_a_400(host_form, ana, body, endpoint):
    api = APIClient()
    api.raise_request_exception = False
    journey = Journey.objects.get(slug="caravan")
    journey.coordinators.add(ana)
    url = {
        "token": TOKEN_URL,
        "host application": reverse(
            "api:host-application-list", kwargs={"journey_slug": "caravan"}
        ),
        "stop (coordinator)": reverse("api:stop-list", kwargs={"journey_slug": "caravan"}),
    }[endpoint]
    if endpoint.endswith("(coordinator)"):
        api.force_authenticate(ana)

    response = api.post(url, data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "JSON parse error - the document is nested more than 32 levels deep."
    }
    assert (Token.objects.count(), HostAlly.objects.count()) == (0, 0)


def test_a_json_body_nested_within_the_limit_is_read(host_form, ana):
    api = APIClient()
    body = {"username": "ana", "password": PASSWORD, "padding": [[[[[[[[["deep"]]]]]]]]]}

    response = api.post(TOKEN_URL, body, format="json")

    assert response.status_code == 201
    assert response.json()["token"] == Token.objects.get(user=ana).key


@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/form-data",
        "multipart/form-data; boundary=xx",
        "application/x-www-form-urlencoded",
    ],
)
@pytest.mark.parametrize("url", [TOKEN_URL, "/j/caravan/host/"])
def test_a_malformed_form_post_is_never_a_500(client, host_form, url, content_type):
    client.raise_request_exception = False

    codes = {
        client.post(url, data=body, content_type=content_type).status_code
        for body in NESTED_BODIES.values()
    }

    assert max(codes) < 500
    assert HostAlly.objects.count() == 0


def test_the_size_limits_are_set_deliberately():
    from django.conf import settings

    assert (
        settings.CARAVANA_MAX_UPLOAD_BYTES,
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
    ) == (5 * 1024 * 1024, 1024 * 1024, 1000, 5 * 1024 * 1024)
