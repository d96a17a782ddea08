"""A visitor's place in a journey (api.permissions.JourneyAccess over journey.rules)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from api.permissions import JourneyAccess
from journey import rules


@pytest.mark.parametrize(
    ("user", "role"),
    [
        ("coordinator", "coordinator"),
        ("rider", "participant"),
        ("driver", "participant"),
        ("host", "host"),
        ("coordinator_b", "outsider"),
    ],
)
def test_each_login_has_one_role_in_journey_a(world, user, role):
    assert JourneyAccess.of(world.users[user], world.a).role == role


def test_an_anonymous_visitor(world):
    assert JourneyAccess.of(AnonymousUser(), world.a).role == "anonymous"


def test_a_host_login_matches_the_email_ignoring_case(world):
    assert rules.host_records(world.users["host"], world.a) == [world.host]


@pytest.mark.parametrize("status", ["pending", "declined"])
def test_a_host_ally_not_approved_gives_no_access(world, status):
    world.host.status = status
    world.host.save()

    assert JourneyAccess.of(world.users["host"], world.a).role == "outsider"


def test_a_login_without_email_is_nobodys_host(world):
    world.host.email = ""
    world.host.save()
    user = world.users["host"]
    user.email = ""
    user.save()

    assert rules.host_records(user, world.a) == []


def test_an_unpublished_journey_is_seen_by_its_team_only(world):
    visible = {role: rules.can_view_journey(user, world.b) for role, user in world.users.items()}

    assert visible == {
        "coordinator": False,
        "rider": False,
        "driver": False,
        "host": False,
        "coordinator_b": True,
    }


@pytest.mark.parametrize(
    ("user", "slugs"),
    [
        ("coordinator", ["caravan-a"]),
        ("coordinator_b", ["caravan-a", "caravan-b"]),
        ("rider", ["caravan-a"]),
    ],
)
def test_visible_journeys(world, user, slugs):
    journeys = rules.visible_journeys(world.users[user]).order_by("slug")

    assert list(journeys.values_list("slug", flat=True)) == slugs


def test_a_rider_of_an_unpublished_journey_sees_it(world):
    world.rider.journey = world.b
    world.rider.route = None
    world.rider.save()

    assert list(rules.visible_journeys(world.users["rider"]).order_by("slug")) == [
        world.a,
        world.b,
    ]


def test_the_host_sheet_is_for_the_hosts_own_stop(world):
    host = world.users["host"]

    assert (
        rules.can_view_host_sheet(host, world.a, world.stops["phoenix"]),
        rules.can_view_host_sheet(host, world.a, world.stops["el_paso"]),
    ) == (True, False)
