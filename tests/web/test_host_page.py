"""A host's page by secret link: what it opens (their stop, counts, never a name), to whom,
and how coordinators give, rotate and switch off the link."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from journey.access import Role, Via, access_for_host_link
from journey.models import RetiredToken
from journey.tokens import revoke_host_token, rotate_host_token
from stops.models import HostAlly
from stops.services import approve_host
from tests.factories import HostAllyFactory, LodgingFactory, MealFactory
from tests.journey.test_feeds import people
from tests.journey.test_pdf import PRIVATE_PDF, build_pdf_scenario, pages

RIDER_NAMES = ("rider name", "rider full name", "accented rider", "accented full name")
RIDER_PHONES = ("rider phone", "rider phone (2)")


@pytest.fixture
def scenario(db):
    return build_pdf_scenario()


def make_host(scenario, stop_key="phoenix", **fields):
    host = HostAllyFactory(
        journey=scenario.journey,
        stop=scenario.stops[stop_key],
        organization=f"Host of {stop_key}",
        contact_name="Rosa Delgado",
        email=f"{stop_key}@example.org",
        status="approved",
        offers_beds=30,
        offers_meals=True,
        **fields,
    )
    rotate_host_token(host=host)
    return host


def page_url(host):
    return reverse("web:host_page", kwargs={"token": host.secret_token})


def pdf_url(host):
    return reverse("journey:host_link_day_sheet", kwargs={"token": host.secret_token})


def rooming_text(client, scenario) -> str:
    client.force_login(people(scenario.base)["coordinator"])
    body = client.get(
        reverse("journey:team_rooming", kwargs={"slug": scenario.journey.slug})
    ).content
    client.logout()
    return "\n".join(line for page in pages(body) for line in page)


# --- the access it gives ----------------------------------------------------------------------


def test_a_host_link_gives_the_hosts_view_of_their_own_stop_only(scenario):
    host = make_host(scenario)

    access = access_for_host_link(host.secret_token)

    assert (access.role, access.via, access.host_ids, access.hosted_stop_ids) == (
        Role.HOST,
        Via.HOST_LINK,
        frozenset({host.pk}),
        frozenset({scenario.stops["phoenix"].pk}),
    )
    assert [
        access.can("stop.view_host_sheet", scenario.stops[key]) for key in ("phoenix", "el_paso")
    ] == [True, False]
    assert (access.can("journey.view_team"), access.participant_fields(scenario.base.rider)) == (
        False,
        frozenset(),
    )


# --- the access matrix ----------------------------------------------------------------------


def test_the_host_page_shows_their_stop_and_counts_and_no_rider(client, scenario):
    host = make_host(scenario)
    LodgingFactory(stop=scenario.stops["phoenix"], host=host, name="Salon Guadalupe", capacity=25)
    rooming = rooming_text(client, scenario)

    response = client.get(page_url(host))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Hosting the caravan in Phoenix, AZ" in html
    assert "Mar 1, 20:30 MST" in html  # arrival in the stop's zone
    assert "Salon Guadalupe: 25 beds" in html  # what was accepted
    assert "vegetarian: 2" in html  # dietary counts, no names
    assert PRIVATE_PDF["coordinator phone"] in html  # the team's contact
    assert "Red de Respuesta Rápida (Rapid-response network)" in html  # local contacts
    assert "Las Américas" not in html  # El Paso's
    names = [PRIVATE_PDF[key] for key in RIDER_NAMES]
    # The names are in the team's rooming list, and nowhere on the host's page.
    assert [name in rooming for name in names] == [True] * len(names)
    assert [name in html for name in names] == [False] * len(names)
    assert [PRIVATE_PDF[key] in html for key in RIDER_PHONES] == [False, False]
    # No other stop: not the next one, not a stop kept off the public pages.
    assert [city in html for city in ("El Paso", "San Antonio", "Houston")] == [False] * 3
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_host_page_lists_the_meals_with_counts_and_who_provides_them(client, scenario):
    host = make_host(scenario)
    phoenix = scenario.stops["phoenix"]
    MealFactory(stop=phoenix, kind="dinner", starts_at=phoenix.arrival, provided_by=host)
    MealFactory(stop=phoenix, kind="breakfast", starts_at=phoenix.departure, place="Plaza")

    html = client.get(page_url(host)).content.decode()

    rows = [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r'<tr class="meal">(.*?)</tr>', html, re.S)
    ]
    assert rows == [
        "Mar 1, 20:30 MST Dinner Parish hall 4 vegetarian: 2 wheelchair: 1 You",
        "Mar 2, 09:00 MST Breakfast Plaza 4 vegetarian: 2 wheelchair: 1 the team",
    ]


def test_the_day_sheet_by_host_link_has_counts_and_no_rider(client, scenario):
    host = make_host(scenario)
    rooming = rooming_text(client, scenario)

    response = client.get(pdf_url(host))

    assert response.status_code == 200
    text = "\n".join(line for page in pages(response.content) for line in page)
    assert "Day sheet for hosts: Phoenix, AZ" in text
    names = [PRIVATE_PDF[key] for key in RIDER_NAMES]
    assert [name in rooming for name in names] == [True] * len(names)
    assert [name in text for name in names] == [False] * len(names)
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("url", [page_url, pdf_url])
def test_a_host_link_opens_only_the_hosts_own_stop(client, scenario, url):
    phoenix = make_host(scenario, "phoenix")
    houston = make_host(scenario, "houston")

    phoenix_page = client.get(url(phoenix))
    houston_page = client.get(url(houston))

    assert (phoenix_page.status_code, houston_page.status_code) == (200, 200)
    first = phoenix_page.content if url is pdf_url else phoenix_page.content.decode()
    if url is page_url:
        assert ("Phoenix" in first, "Houston" in first) == (True, False)


@pytest.mark.parametrize("url", [page_url, pdf_url])
def test_a_revoked_or_rotated_host_link_is_not_found(client, scenario, url):
    host = make_host(scenario)
    old = url(host)
    rotate_host_token(host=host)
    rotated = client.get(old).status_code
    current = url(host)
    revoke_host_token(host=host)

    assert (rotated, client.get(current).status_code) == (404, 404)
    # Old links are retired, not guesses: a calendar of old links locks nobody out.
    assert RetiredToken.objects.count() == 2


@pytest.mark.parametrize("url", ["/host/not-a-token/", "/host/not-a-token/day-sheet.pdf"])
def test_an_unknown_host_link_is_not_found(client, scenario, url):
    make_host(scenario)

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("status", ["pending", "declined"])
def test_a_host_no_longer_approved_loses_the_page(client, scenario, status):
    host = make_host(scenario)
    HostAlly.objects.filter(pk=host.pk).update(status=status)

    assert (client.get(page_url(host)).status_code, client.get(pdf_url(host)).status_code) == (
        404,
        404,
    )


def test_an_anonymous_visitor_without_the_link_sees_no_day_sheet(client, scenario):
    make_host(scenario)
    url = reverse(
        "journey:host_day_sheet",
        kwargs={"slug": scenario.journey.slug, "stop_id": scenario.stops["phoenix"].pk},
    )

    assert client.get(url).status_code == 404


# --- approval and the coordinators' controls --------------------------------------------------


def test_approval_emails_the_link_in_the_hosts_language(
    scenario, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://caravana.example.org"
    host = HostAllyFactory(
        journey=scenario.journey, status="pending", language="es", email="casa@example.org"
    )

    with django_capture_on_commit_callbacks(execute=True):
        approved, _ = approve_host(host=host, stop=scenario.stops["phoenix"])

    link = f"https://caravana.example.org/host/{approved.secret_token}/"
    assert approved.secret_token
    assert [(m.to, link in m.body, m.extra_headers["Content-Language"]) for m in mail.outbox] == [
        (["casa@example.org"], True, "es")
    ]


def test_approving_again_keeps_the_hosts_link(scenario):
    host = make_host(scenario)
    token = host.secret_token

    approved, _ = approve_host(host=host)

    assert approved.secret_token == token


def test_a_coordinator_rotates_and_switches_off_the_link(client, scenario):
    host = make_host(scenario)
    old = host.secret_token
    client.force_login(people(scenario.base)["coordinator"])
    review = reverse("web:plan_host", kwargs={"slug": scenario.journey.slug, "pk": host.pk})

    shown = client.get(review).content.decode()
    client.post(review, {"action": "rotate_link"})
    rotated = HostAlly.objects.get(pk=host.pk).secret_token
    client.post(review, {"action": "revoke_link"})

    assert f"/host/{old}/" in shown
    assert (rotated != old, bool(rotated)) == (True, True)
    assert HostAlly.objects.get(pk=host.pk).secret_token is None


@pytest.mark.parametrize("who", ["rider", "coordinator of another journey", "anonymous"])
def test_only_the_journeys_coordinators_rotate_a_link(client, scenario, who):
    host = make_host(scenario)
    user = people(scenario.base)[who]
    if user is not None:
        client.force_login(user)
    review = reverse("web:plan_host", kwargs={"slug": scenario.journey.slug, "pk": host.pk})

    client.post(review, {"action": "rotate_link"})

    assert HostAlly.objects.get(pk=host.pk).secret_token == host.secret_token


def test_the_day_sheet_names_no_stop_kept_off_the_public_pages(client, scenario):
    host = make_host(scenario, "el_paso")

    text = "\n".join(line for page in pages(client.get(pdf_url(host)).content) for line in page)

    # Coming from Phoenix (public); going on to San Antonio, which is not public.
    assert ("Phoenix, AZ" in text, PRIVATE_PDF["non-public stop"] in text) == (True, False)


def test_polling_a_retired_host_link_locks_nobody_out(client, scenario, settings):
    settings.CARAVANA_LINK_RATE_UNKNOWN = 3
    host = make_host(scenario)
    old = page_url(host)
    rotate_host_token(host=host)

    retired = [client.get(old).status_code for _ in range(5)]
    guesses = [client.get(f"/host/guess-{n}/").status_code for n in range(3)]

    # Old links are not guesses; three unknown ones are, and then every link is refused.
    assert (retired, guesses) == ([404] * 5, [404] * 3)
    assert client.get(page_url(host)).status_code == 429
