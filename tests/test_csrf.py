"""Every form of the web app, and every session write to the API, needs the CSRF token."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from rest_framework.test import APIClient

from tests.factories import JourneyFactory, RouteFactory, UserFactory

# The forms people fill in; the walk below must find each of them.
FORMS = {
    "set_language",
    "admin:login",
    "web:host_register",
    "web:plan_route",
    "web:plan_route_move",
    "web:plan_route_planner",
    "web:plan_route_planner_accept",
    "web:plan_stop",
    "web:plan_participant_add",
    "web:plan_participant",
    "web:plan_assign",
    "web:plan_host",
    "web:plan_roster",
    "web:plan_ride",
    "web:ride_apply",
}


def _named_routes(patterns, prefix=""):
    """(namespaced name, converters) of every named URL outside the API."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "api":
                continue  # DRF's views are csrf_exempt; SessionAuthentication checks (below)
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _named_routes(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", entry.pattern.converters


def web_urls() -> dict[str, str]:
    found = {}
    for name, converters in _named_routes(get_resolver().url_patterns):
        if name.startswith("admin:") and name not in {"admin:login", "admin:logout"}:
            continue  # the admin's own forms: its login and logout stand for them
        if name in found:
            continue
        kwargs = {
            key: 1 if isinstance(converter, IntConverter) else "caravan"
            for key, converter in converters.items()
        }
        found[name] = reverse(name, kwargs=kwargs)
    return found


@pytest.fixture
def coordinator(db):
    user = UserFactory(username="coord", is_staff=True)
    journey = JourneyFactory(slug="caravan", is_published=True)
    RouteFactory(journey=journey)
    journey.coordinators.add(user)
    return user


def test_the_walk_finds_every_form():
    assert set(web_urls()) >= FORMS


def test_no_page_takes_a_post_without_the_csrf_token(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)

    codes = {name: client.post(url, {"x": "1"}).status_code for name, url in web_urls().items()}

    assert {name: code for name, code in codes.items() if code != 403} == {}


def test_anonymous_posts_need_the_token_too(db):
    client = Client(enforce_csrf_checks=True)
    urls = web_urls()

    codes = {
        name: client.post(urls[name], {"x": "1"}).status_code
        for name in ("set_language", "admin:login", "web:host_register", "web:ride_apply")
    }

    assert set(codes.values()) == {403}


def test_with_the_token_the_same_forms_answer(db):
    """The 403s above come from the missing token, not from the pages themselves."""
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("admin:login"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value

    switched = client.post(
        reverse("set_language"), {"language": "es", "next": "/", "csrfmiddlewaretoken": token}
    )
    login = client.post(
        reverse("admin:login"),
        {"username": "nobody", "password": "wrong", "csrfmiddlewaretoken": token},
    )

    assert (switched.status_code, login.status_code) == (302, 200)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_api_session_writes_need_the_csrf_token(coordinator, method):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(coordinator)
    route = coordinator.coordinated_journeys.get().routes.get()
    url = (
        reverse("api:route-list", kwargs={"journey_slug": "caravan"})
        if method == "post"
        else reverse("api:route-detail", kwargs={"journey_slug": "caravan", "pk": route.pk})
    )

    response = getattr(client, method)(url, {"name": "North"}, format="json")

    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")


def test_an_api_session_write_with_the_token_goes_through(coordinator):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(coordinator)
    client.get(reverse("web:home"))  # its language switcher sets the CSRF cookie
    token = client.cookies["csrftoken"].value

    response = client.post(
        reverse("api:route-list", kwargs={"journey_slug": "caravan"}),
        {"name": "North"},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == 201
