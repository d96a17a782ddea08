"""A visitor's place in a journey: journey.access resolves it, journey.rules' predicates
answer from it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from journey.access import access_for_user, accesses_for_user, visible_journeys


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
    assert access_for_user(world.users[user], world.a).role == role


def test_an_anonymous_visitor(world):
    assert access_for_user(AnonymousUser(), world.a).role == "anonymous"


def test_a_host_login_matches_the_email_ignoring_case(world):
    access = access_for_user(world.users["host"], world.a)

    assert (access.host_ids, access.hosted_stop_ids) == (
        frozenset({world.host.pk}),
        frozenset({world.stops["phoenix"].pk}),
    )


@pytest.mark.parametrize("status", ["pending", "declined"])
def test_a_host_ally_not_approved_gives_no_access(world, status):
    world.host.status = status
    world.host.save()

    assert access_for_user(world.users["host"], world.a).role == "outsider"


def test_a_login_without_email_is_nobodys_host(world):
    world.host.email = ""
    world.host.save()
    user = world.users["host"]
    user.email = ""
    user.save()

    assert access_for_user(user, world.a).host_ids == frozenset()


def test_an_unpublished_journey_is_seen_by_its_team_only(world):
    visible = {
        role: access_for_user(user, world.b).can("journey.view")
        for role, user in world.users.items()
    }

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
    journeys = visible_journeys(world.users[user]).order_by("slug")

    assert list(journeys.values_list("slug", flat=True)) == slugs


def test_a_rider_of_an_unpublished_journey_sees_it(world):
    world.rider.journey = world.b
    world.rider.route = None
    world.rider.save()

    assert list(visible_journeys(world.users["rider"]).order_by("slug")) == [
        world.a,
        world.b,
    ]


def test_the_host_sheet_is_for_the_hosts_own_stop(world):
    access = access_for_user(world.users["host"], world.a)

    assert (
        access.can("stop.view_host_sheet", world.stops["phoenix"]),
        access.can("stop.view_host_sheet", world.stops["el_paso"]),
        access.can("stop.view_host_sheet", world.other["stops"]["houston"]),
    ) == (True, False, False)


@pytest.mark.parametrize("user", ["coordinator", "rider", "host", "coordinator_b"])
def test_resolving_access_costs_one_query(world, user, django_assert_num_queries):
    with django_assert_num_queries(1):
        access_for_user(world.users[user], world.a)


def test_access_to_many_journeys_costs_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        accesses = accesses_for_user(world.users["coordinator_b"], [world.a, world.b])

    assert {pk: access.role for pk, access in accesses.items()} == {
        world.a.pk: "outsider",
        world.b.pk: "coordinator",
    }


def test_an_inactive_coordinator_is_nobody(world):
    user = world.users["coordinator"]
    user.is_active = False
    user.save()

    access = access_for_user(user, world.a)

    assert (access.role, access.can("journey.change")) == ("anonymous", False)


@pytest.mark.parametrize(
    ("user", "audiences"),
    [
        ("coordinator", ["host", "personal", "public", "team"]),
        ("rider", ["personal", "public"]),
        ("host", ["host", "public"]),
        ("coordinator_b", ["public"]),
        ("anonymous", ["public"]),
    ],
)
def test_the_audiences_each_role_may_read(world, user, audiences):
    visitor = world.users.get(user) or AnonymousUser()

    assert sorted(access_for_user(visitor, world.a).audiences) == audiences


def test_a_team_link_opens_the_team_view_only(world):
    from journey.access import access_for_team_link

    access = access_for_team_link(world.a, world.a.team_feed_token)

    assert (
        sorted(access.audiences),
        access.can("journey.view_team"),
        access.can("journey.change"),
        access_for_team_link(world.a, "not-the-token"),
    ) == (["team"], False, False, None)
