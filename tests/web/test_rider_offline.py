"""The rider's page offline, from the server's side: the manifest and the service worker
under the rider's own link, the lines the page compares from one look to the next, the page of
a link that no longer works, the know-your-rights sheet and the route files on the page.
(The browser side is in test_browser_offline.py.)"""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from journey.models import Leg
from journey.tokens import revoke_participant_token
from participants.models import Participant
from stops.models import Stop
from tests.factories import BedAssignmentFactory
from tests.web.conftest import PT, SECRETS


def _at(tz, *parts):
    return time_machine.travel(datetime(*parts, tzinfo=ZoneInfo(tz)), tick=False)


@pytest.fixture
def english(trip):
    Participant.objects.filter(pk=trip.rider.pk).update(language="en")
    trip.rider.refresh_from_db()
    return trip


def page(client, rider):
    return client.get(reverse("web:my_itinerary", args=[rider.secret_token]))


def lines_of(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="itinerary-lines" type="application/json">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def version_of(response) -> str:
    return response.content.decode().split('data-version="', 1)[1].split('"', 1)[0]


# --- the manifest and the worker ----------------------------------------------------------------


def test_the_manifest_makes_the_riders_own_link_installable(client, trip):
    scope = f"/my/{trip.rider.secret_token}/"

    response = client.get(reverse("web:rider_manifest", args=[trip.rider.secret_token]))

    data = json.loads(response.content)
    assert response["Content-Type"] == "application/manifest+json"
    assert {key: data[key] for key in ("start_url", "scope", "id", "display", "lang")} == {
        "start_url": scope,
        "scope": scope,
        "id": scope,
        "display": "standalone",
        "lang": "es",
    }
    assert data["icons"][0]["src"] == "/static/web/caravana-icon.svg"


def test_the_worker_is_served_inside_the_link_and_keeps_only_its_files(client, trip):
    scope = f"/my/{trip.rider.secret_token}/"

    response = client.get(reverse("web:rider_worker", args=[trip.rider.secret_token]))

    first, rest = response.content.decode().split("\n", 1)
    kept = json.loads(first.removeprefix("const CARAVANA = ").removesuffix(";"))
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "private, no-cache"
    assert kept == {
        "kept": [scope, f"{scope}itinerary.pdf", f"{scope}manifest.webmanifest"],
        "assets": [
            "/static/web/caravana.css",
            "/static/web/rider-offline.js",
            "/static/web/caravana-icon.svg",
        ],
    }
    assert 'self.addEventListener("fetch"' in rest


@pytest.mark.parametrize("name", ["web:rider_manifest", "web:rider_worker"])
def test_a_revoked_link_has_no_manifest_and_no_worker(client, trip, name):
    url = reverse(name, args=[trip.rider.secret_token])
    revoke_participant_token(participant=trip.rider)

    assert client.get(url).status_code == 404


# --- the page ------------------------------------------------------------------------------------


def test_the_page_links_its_manifest_and_worker_and_says_when_it_was_made(client, english):
    token = english.rider.secret_token

    with _at(PT, 2027, 3, 1, 22):
        response = page(client, english.rider)

    html = response.content.decode()
    assert f'<link rel="manifest" href="/my/{token}/manifest.webmanifest">' in html
    assert f'data-worker="/my/{token}/sw.js"' in html
    assert '<script src="/static/web/rider-offline.js" defer></script>' in html
    assert '<time datetime="2027-03-02T06:00:00+00:00">Last updated Mar 1, 22:00 PST</time>' in html


def test_the_lines_hold_the_riders_own_itinerary_and_nobody_elses(client, english):
    lines = lines_of(page(client, english.rider))
    text = json.dumps(lines)

    assert lines[f"stop:{english.phoenix.pk}"] == (
        "Phoenix, AZ: from Mar 2, 16:00 MST to Mar 3, 08:00 MST · Wesley Park"
    )
    assert lines["night:20270301"] == (
        f"Night of Monday, March 1 in Los Angeles, CA: {SECRETS['lodging name']}, "
        f"{SECRETS['lodging address']}"
    )
    for other in ("driver name", "coordinator phone", "rider phone", "vehicle plate"):
        assert SECRETS[other] not in text


def test_the_version_moves_with_the_riders_own_itinerary_only(client, english):
    first = version_of(page(client, english.rider))
    BedAssignmentFactory(
        participant=english.driver, lodging=english.lodging_la, night=english.la.nights[0]
    )
    after_someone_elses_bed = version_of(page(client, english.rider))
    Stop.objects.filter(pk=english.phoenix.pk).update(
        arrival=english.phoenix.arrival + timedelta(hours=1)
    )
    after_their_stop_moved = version_of(page(client, english.rider))

    assert after_someone_elses_bed == first
    assert after_their_stop_moved != first


def test_a_signed_in_riders_page_is_not_the_offline_one(client, english):
    client.force_login(english.rider_user)

    html = client.get(reverse("web:me")).content.decode()

    assert ("My itinerary" in html, 'id="offline"' in html, "manifest" in html) == (
        True,
        False,
        False,
    )


@pytest.mark.parametrize("revoked", [True, False])
def test_a_link_that_opens_nothing_says_it_is_no_longer_valid(client, trip, revoked):
    token = trip.rider.secret_token if revoked else "never-issued-token-0123456789"
    if revoked:
        revoke_participant_token(participant=trip.rider)

    response = client.get(reverse("web:my_itinerary", args=[token]))

    html = response.content.decode()
    assert (response.status_code, "This link is no longer valid" in html) == (404, True)
    assert token not in html
    assert 'caches.delete("caravana-rider-v1 " + scope)' in html


def test_the_know_your_rights_sheet_is_on_the_page_when_the_route_meets_the_border_zone(
    client, english
):
    Stop.objects.filter(journey=english.journey).update(in_border_zone=False)
    Leg.objects.filter(route=english.route).update(in_border_zone=False, checkpoints=[])
    before = page(client, english.rider).content.decode()
    Stop.objects.filter(pk=english.el_paso.pk).update(in_border_zone=True)

    after = page(client, english.rider).content.decode()

    assert ('id="rights"' in before, 'id="rights"' in after) == (False, True)
    assert "Know your rights on the road" in after


def test_the_page_links_the_riders_route_files(client, english):
    token = english.rider.secret_token

    html = page(client, english.rider).content.decode()

    assert f'href="/my/{token}/route.gpx"' in html
    assert f'href="/my/{token}/route.kml"' in html
