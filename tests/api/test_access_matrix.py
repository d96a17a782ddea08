"""Every API endpoint x every role x every method, against one table of expected statuses.

Writes send an empty body: a role that may write gets past the permission check and is
stopped by validation (400), or changes nothing (PATCH {} answers 200; a stop's PATCH needs
the version it is based on, so it answers 400), or deletes (204).
Roles are called from the weakest to the strongest, so a coordinator's DELETE comes last.

``test_every_api_route_is_in_the_table`` walks the URL resolver: a new endpoint without
a row here fails the suite.
"""

import pytest
from django.urls import get_resolver, reverse

from tests.api.conftest import ROLES

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
NO = "405 405 405 405 405 405"  # the method is not served: same answer for everyone

# Roles, in this order:  coordinator  rider  driver  host  coordinator_b  anonymous
TABLE = {
    "journey-list": {
        "GET": "200 200 200 200 200 200",
        "POST": "400 403 403 403 403 401",
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "journey-detail": {
        "GET": "200 200 200 200 200 200",
        "POST": NO,
        "PUT": "400 403 403 403 403 401",
        "PATCH": "200 403 403 403 403 401",
        "DELETE": "204 403 403 403 403 401",
    },
    "journey-itinerary": {
        "GET": "200 200 200 200 200 200",
        "POST": NO,
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "route-list": {
        "GET": "200 200 200 200 200 200",
        "POST": "400 403 403 403 403 401",
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "route-detail": {
        "GET": "200 200 200 200 200 200",
        "POST": NO,
        "PUT": "400 403 403 403 403 401",
        "PATCH": "200 403 403 403 403 401",
        "DELETE": "204 403 403 403 403 401",
    },
    "route-order": {
        "GET": NO,
        "POST": "400 403 403 403 403 401",
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "route-plan": {  # the planner's proposal: coordinators only, like problems
        "GET": "200 403 403 403 404 401",
        "POST": NO,
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "route-plan-accept": {
        "GET": NO,
        "POST": "400 403 403 403 404 401",
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "stop-list": {
        "GET": "200 200 200 200 200 200",
        "POST": "400 403 403 403 403 401",
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "stop-detail": {
        "GET": "200 200 200 200 200 200",
        "POST": NO,
        "PUT": "400 403 403 403 403 401",
        "PATCH": "400 403 403 403 403 401",
        "DELETE": "204 403 403 403 403 401",
    },
    "stop-host-sheet": {
        "GET": "200 403 403 200 404 401",
        "POST": NO,
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "activity-list": {
        "GET": "200 200 200 200 200 200",
        "POST": "400 403 403 403 403 401",
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "activity-detail": {
        "GET": "200 200 200 200 200 200",
        "POST": NO,
        "PUT": "400 403 403 403 403 401",
        "PATCH": "200 403 403 403 403 401",
        "DELETE": "204 403 403 403 403 401",
    },
    "leg-list": {
        "GET": "200 200 200 200 200 200",
        "POST": NO,
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "leg-detail": {
        "GET": "200 200 200 200 200 200",
        "POST": NO,
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "lodging-list": {
        "GET": "200 200 200 200 404 401",
        "POST": "400 403 403 403 404 401",
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "lodging-detail": {  # where the rider sleeps, at the stop the host serves
        "GET": "200 200 404 200 404 401",
        "POST": NO,
        "PUT": "400 403 403 403 404 401",
        "PATCH": "200 403 403 403 404 401",
        "DELETE": "204 403 403 403 404 401",
    },
    "vehicle-list": {
        "GET": "200 200 200 403 404 401",
        "POST": "400 403 403 403 404 401",
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "vehicle-detail": {
        "GET": "200 200 200 403 404 401",
        "POST": NO,
        "PUT": "400 403 403 403 404 401",
        "PATCH": "200 403 403 403 404 401",
        "DELETE": "204 403 403 403 404 401",
    },
    "participant-list": {
        "GET": "200 200 200 403 404 401",
        "POST": "400 403 403 403 404 401",
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "participant-detail": {  # the rider's record
        "GET": "200 200 200 403 404 401",
        "POST": NO,
        "PUT": "400 403 403 403 404 401",
        "PATCH": "200 403 403 403 404 401",
        "DELETE": "204 403 403 403 404 401",
    },
    "participant-import-list": {  # a roster file: coordinators only
        "GET": NO,
        "POST": "400 403 403 403 404 401",
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "seat-list": {
        "GET": "200 200 200 403 404 401",
        "POST": "400 403 403 403 404 401",
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "seat-detail": {  # the rider's seat
        "GET": "200 200 404 403 404 401",
        "POST": NO,
        "PUT": "400 403 403 403 404 401",
        "PATCH": "200 403 403 403 404 401",
        "DELETE": "204 403 403 403 404 401",
    },
    "bed-list": {
        "GET": "200 200 200 403 404 401",
        "POST": "400 403 403 403 404 401",
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "bed-detail": {  # the rider's bed
        "GET": "200 200 404 403 404 401",
        "POST": NO,
        "PUT": "400 403 403 403 404 401",
        "PATCH": "200 403 403 403 404 401",
        "DELETE": "204 403 403 403 404 401",
    },
    "host-list": {
        "GET": "200 403 403 200 404 401",
        "POST": "400 403 403 403 404 401",
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "host-detail": {  # the approved host of Phoenix
        "GET": "200 403 403 200 404 401",
        "POST": NO,
        "PUT": "400 403 403 403 404 401",
        "PATCH": "200 403 403 403 404 401",
        "DELETE": "204 403 403 403 404 401",
    },
    "host-application-list": {
        "GET": NO,
        "POST": "400 400 400 400 400 400",
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "problem-list": {
        "GET": "200 403 403 403 404 401",
        "POST": NO,
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "export-list": {
        "GET": "200 200 200 200 200 200",
        "POST": NO,
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "export-detail": {  # the calendar: team, personal, or public, by role
        "GET": "200 200 200 200 200 200",
        "POST": NO,
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "me": {
        "GET": "200 200 200 200 200 401",
        "POST": NO,
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "me-itinerary": {
        "GET": "200 200 200 200 200 401",
        "POST": NO,
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "auth-token": {
        "GET": NO,
        "POST": "200 200 200 200 200 401",
        "PUT": NO,
        "PATCH": NO,
        "DELETE": "204 204 204 204 204 401",
    },
    "schema": {
        "GET": "200 200 200 200 200 200",
        "POST": NO,
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
    "docs": {
        "GET": "200 200 200 200 200 200",
        "POST": NO,
        "PUT": NO,
        "PATCH": NO,
        "DELETE": NO,
    },
}


def url_kwargs(world, name: str) -> dict:
    """The URL arguments of each endpoint: journey A, and one row of each kind."""
    in_a = {"journey_slug": world.a.slug}
    detail = {
        "route": world.route,
        "stop": world.stops["phoenix"],
        "activity": world.activities["public"],
        "leg": world.leg,
        "lodging": world.lodgings["phoenix"],
        "vehicle": world.bus,
        "participant": world.rider,
        "seat": world.seats["rider"],
        "bed": world.beds["rider"],
        "host": world.host,
    }
    resource, _, kind = name.rpartition("-")
    if name.startswith("journey-"):
        return {} if kind == "list" else {"slug": world.a.slug}
    if name == "export-detail":
        return {**in_a, "identifier": "ics-calendar"}
    if name == "stop-host-sheet":
        return {**in_a, "pk": world.stops["phoenix"].pk}
    if name in ("route-order", "route-plan", "route-plan-accept"):
        return {**in_a, "pk": world.route.pk}
    if kind == "list":
        return in_a
    if kind == "detail":
        return {**in_a, "pk": detail[resource].pk}
    return {}


def call(client, method: str, url: str):
    if method in ("POST", "PUT", "PATCH"):
        return getattr(client, method.lower())(url, {}, format="json")
    return getattr(client, method.lower())(url)


CASES = [(name, method) for name, methods in TABLE.items() for method in METHODS]


@pytest.mark.parametrize(("name", "method"), CASES, ids=[f"{n}-{m}" for n, m in CASES])
def test_access(world, name, method):
    url = reverse(f"api:{name}", kwargs=url_kwargs(world, name))
    expected = dict(zip(ROLES, (int(s) for s in TABLE[name][method].split()), strict=True))

    actual = {}
    for role in reversed(ROLES):  # the coordinator's DELETE last
        actual[role] = call(world.client(role), method, url).status_code

    assert {role: actual[role] for role in ROLES} == expected


def api_route_names() -> set[str]:
    _prefix, resolver = get_resolver().namespace_dict["api"]
    return {key for key in resolver.reverse_dict if isinstance(key, str)}


def test_every_api_route_is_in_the_table():
    assert api_route_names() == set(TABLE)


def test_every_row_covers_every_method():
    assert {name: sorted(methods) for name, methods in TABLE.items()} == {
        name: sorted(METHODS) for name in TABLE
    }


# --- the other journey: unpublished, it does not exist for anyone outside its team ----------


def other_kwargs(world, name: str) -> dict | None:
    other = world.other
    in_b = {"journey_slug": other["journey"].slug}
    detail = {
        "route": other["route"],
        "stop": other["stops"]["houston"],
        "activity": other["activity"],
        "leg": other["leg"],
        "lodging": other["lodging"],
        "vehicle": other["bus"],
        "participant": other["participant"],
        "seat": other["seat"],
        "bed": other["bed"],
        "host": other["host"],
    }
    resource, _, kind = name.rpartition("-")
    if name in ("journey-detail", "journey-itinerary"):
        return {"slug": other["journey"].slug}
    if name == "export-detail":
        return {**in_b, "identifier": "ics-calendar"}
    if name in ("stop-host-sheet", "route-order", "route-plan", "route-plan-accept"):
        return {**in_b, "pk": detail[resource.split("-")[0]].pk}
    if kind == "list" and resource != "journey":
        return in_b
    if kind == "detail":
        return {**in_b, "pk": detail[resource].pk}
    return None  # not about one journey


JOURNEY_ROUTES = [
    name
    for name in TABLE
    if name not in ("journey-list", "me", "me-itinerary", "auth-token", "schema", "docs")
]


@pytest.mark.parametrize("name", JOURNEY_ROUTES)
def test_an_unpublished_journey_is_not_found_outside_its_team(world, name):
    url = reverse(f"api:{name}", kwargs=other_kwargs(world, name))
    outside = [role for role in ROLES if role != "coordinator_b"]

    statuses = {role: call(world.client(role), "GET", url).status_code for role in outside}

    assert statuses == dict.fromkeys(outside, 404)
