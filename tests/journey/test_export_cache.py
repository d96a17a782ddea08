"""Feeds and PDFs kept in the cache: a second download is a cache read, any change to the
plan makes a new copy, and nobody ever gets a copy made for someone else."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journey.models import Leg, Route, RouteStop
from journey.plan import plan_version
from journey.services import set_route_order
from journey.tokens import rotate_participant_token, rotate_team_token
from participants.models import BedAssignment, SeatAssignment
from stops.models import LocalContact
from tests.factories import HostAllyFactory
from tests.journey.test_itinerary import build_scenario


@pytest.fixture
def scenario(db):
    built = build_scenario()
    rotate_team_token(journey=built.journey)
    return built


def urls(scenario) -> dict[str, str]:
    slug = scenario.journey.slug
    token = scenario.rider.secret_token
    return {
        "public feed": reverse("journey:public_feed", kwargs={"slug": slug}),
        "team feed": reverse(
            "journey:team_feed_by_token",
            kwargs={"slug": slug, "token": scenario.journey.team_feed_token},
        ),
        "personal feed": reverse("journey:personal_feed", kwargs={"token": token}),
        "public booklet": reverse("journey:public_booklet", kwargs={"slug": slug}),
        "personal pdf": reverse("journey:personal_pdf", kwargs={"token": token}),
        "team booklet": reverse("journey:team_booklet", kwargs={"slug": slug}),
        "rooming list": reverse("journey:team_rooming", kwargs={"slug": slug}),
    }


# Who is asking (the journey, or the participant by their link) and the plan's version; the
# coordinator's documents add the session, the user and the coordinator check.
CACHED_QUERIES = {
    "public feed": 2,
    "team feed": 2,
    "personal feed": 2,
    "public booklet": 2,
    "personal pdf": 2,
    "team booklet": 5,
    "rooming list": 5,
}


@pytest.mark.parametrize("export", list(CACHED_QUERIES))
def test_a_second_download_is_read_from_the_cache(
    client, scenario, export, django_assert_num_queries
):
    client.force_login(scenario.coordinator_user)
    url = urls(scenario)[export]
    first = client.get(url)

    with django_assert_num_queries(CACHED_QUERIES[export]):
        second = client.get(url)

    assert first.status_code == second.status_code == 200
    # A PDF carries the second it was made in: equal bytes mean it was not made again.
    assert second.content == first.content


@override_settings(CARAVANA_EXPORT_CACHE_SECONDS=0)
def test_nothing_is_kept_when_the_cache_time_is_zero(client, scenario):
    url = urls(scenario)["personal feed"]
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        client.get(url)

    assert len(queries) > CACHED_QUERIES["personal feed"]


# --- any change to the plan makes a new version ----------------------------------------------


def _save(instance, **fields):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save()


CHANGES = {
    "journey": lambda s: _save(s.journey, name="TPS Journey 2027"),
    "stop": lambda s: _save(s.stops["phoenix"], venue="Margaret T. Hance Park"),
    "leg": lambda s: _save(
        Leg.objects.filter(route=s.route).first(),
        override_distance_km=600,
        override_reason="Detour by Gila Bend",
    ),
    "activity": lambda s: _save(s.activities["vigil"], title="Candlelight vigil"),
    "lodging": lambda s: _save(s.lodgings["el_paso"], name="Annunciation House"),
    "local contact": lambda s: LocalContact.objects.create(
        stop=s.stops["el_paso"], kind="legal", name="Legal aid", phone="+1 915 555 0100"
    ),
    "participant": lambda s: _save(s.beto, display_name="Roberto"),
    "vehicle": lambda s: _save(s.bus, seats=40),
    "seat removed": lambda s: SeatAssignment.objects.filter(participant=s.beto).delete(),
    "bed removed": lambda s: BedAssignment.objects.filter(participant=s.beto).delete(),
    "bed moved in bulk": lambda s: BedAssignment.objects.filter(
        participant=s.beto, lodging=s.lodgings["houston"]
    ).update(lodging=s.lodgings["el_paso"]),
    "route order": lambda s: set_route_order(
        route=s.route,
        stop_ids=list(
            RouteStop.objects.filter(route=s.route)
            .order_by("-position")
            .values_list("stop_id", flat=True)
        ),
    ),
    "route renamed": lambda s: _save(Route.objects.get(pk=s.route.pk), name="Southern"),
    "host offer": lambda s: HostAllyFactory(journey=s.journey, stop=s.stops["el_paso"]),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_change_to_the_plan_gives_a_new_version(scenario, change):
    before = plan_version(scenario.journey.pk)

    CHANGES[change](scenario)

    assert plan_version(scenario.journey.pk).tag != before.tag


def test_an_unchanged_plan_keeps_its_version(scenario):
    assert plan_version(scenario.journey.pk) == plan_version(scenario.journey.pk)


def test_a_changed_plan_is_downloaded_afresh(client, scenario):
    url = urls(scenario)["personal feed"]
    before = client.get(url).content.decode()

    CHANGES["activity"](scenario)
    after = client.get(url).content.decode()

    assert ("Vigil at the Capitol" in before, "Candlelight vigil" in after) == (True, True)
    assert "Vigil at the Capitol" not in after


# --- nobody gets someone else's copy ---------------------------------------------------------


def test_each_participant_gets_their_own_feed(client, scenario):
    def feed(person):
        return client.get(reverse("journey:personal_feed", kwargs={"token": person.secret_token}))

    alone = feed(scenario.beto).content
    cache.clear()

    riders = feed(scenario.rider).content
    betos = feed(scenario.beto).content

    assert betos == alone
    assert riders != betos


def test_each_participant_gets_their_own_pdf(client, scenario):
    def pdf(person):
        return client.get(reverse("journey:personal_pdf", kwargs={"token": person.secret_token}))

    riders = pdf(scenario.rider).content
    betos = pdf(scenario.beto).content

    assert riders != betos
    assert pdf(scenario.rider).content == riders
    assert pdf(scenario.beto).content == betos


def test_a_new_secret_link_makes_a_new_pdf(client, scenario):
    """The personal PDF prints the calendar link: a copy with the old one is never served."""
    old = client.get(urls(scenario)["personal pdf"])
    token = rotate_participant_token(participant=scenario.rider)

    new = client.get(reverse("journey:personal_pdf", kwargs={"token": token}))

    assert (old.status_code, new.status_code) == (200, 200)
    assert new.content != old.content


def test_audiences_and_languages_are_kept_apart(client, scenario):
    slug = scenario.journey.slug
    public_url = reverse("journey:public_feed", kwargs={"slug": slug})
    public = client.get(public_url).content
    team = client.get(urls(scenario)["team feed"]).content
    spanish = client.get(public_url, HTTP_ACCEPT_LANGUAGE="es").content

    assert len({public, team, spanish}) == 3
    assert client.get(public_url).content == public


# --- the real Redis ---------------------------------------------------------------------------


@pytest.mark.needs_redis
def test_exports_are_kept_in_redis(client, scenario, django_assert_num_queries):
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    redis = caches["default"]
    url = urls(scenario)["personal feed"]
    first = client.get(url)

    stored = list(
        redis._cache.get_client(write=False).scan_iter(
            match=f"{redis.key_prefix}:*:caravana:export:*"
        )
    )
    with django_assert_num_queries(CACHED_QUERIES["personal feed"]):
        second = client.get(url)

    assert isinstance(redis, RedisCache)
    assert len(stored) == 1
    assert second.content == first.content
