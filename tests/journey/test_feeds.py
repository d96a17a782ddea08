"""Calendar feed URLs: who gets which feed, secret links, conditional requests, query counts."""

from datetime import timedelta

import icalendar
import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from journey.tokens import (
    revoke_participant_token,
    revoke_team_token,
    rotate_participant_token,
    rotate_team_token,
    subscription_urls,
)
from participants.models import BedAssignment
from tests.factories import (
    HostAllyFactory,
    JourneyFactory,
    LodgingFactory,
    MealFactory,
    ParticipantFactory,
    UserFactory,
)
from tests.journey.test_itinerary import CREATED, build_scenario, grow_route


@pytest.fixture
def scenario(db):
    return build_scenario()


def public_url(journey):
    return reverse("journey:public_feed", kwargs={"slug": journey.slug})


def team_url(journey, token=None):
    token = journey.team_feed_token if token is None else token
    return reverse("journey:team_feed_by_token", kwargs={"slug": journey.slug, "token": token})


def personal_url(token):
    return reverse("journey:personal_feed", kwargs={"token": token})


def event_count(response) -> int:
    return len(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))


# --- the three feeds ---------------------------------------------------------------------


def test_public_feed(client, scenario):
    response = client.get(public_url(scenario.journey))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="tps-journey.ics"'
    assert event_count(response) == 8


def test_public_feed_of_an_unpublished_journey_is_not_found(client, db):
    scenario = build_scenario(published=False)

    assert client.get(public_url(scenario.journey)).status_code == 404


def test_public_feed_of_an_unknown_journey_is_not_found(client, db):
    assert client.get("/journeys/nowhere/calendar.ics").status_code == 404


def test_team_feed_by_secret_link(client, scenario):
    response = client.get(team_url(scenario.journey))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="tps-journey-team.ics"'
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert event_count(response) == 16


@pytest.mark.parametrize("token", ["wrong-token", "x" * 43])
def test_team_feed_with_a_wrong_token_is_not_found(client, scenario, token):
    assert client.get(team_url(scenario.journey, token)).status_code == 404


def test_team_feed_token_of_another_journey_does_not_open_this_one(client, scenario):
    other = JourneyFactory(slug="other-journey")

    response = client.get(team_url(scenario.journey, other.team_feed_token))

    assert response.status_code == 404


def test_rotating_the_team_link_closes_the_old_one(client, scenario):
    old = scenario.journey.team_feed_token

    rotate_team_token(journey=scenario.journey)

    assert client.get(team_url(scenario.journey, old)).status_code == 404
    assert client.get(team_url(scenario.journey)).status_code == 200


def test_a_revoked_team_link_is_not_found(client, scenario):
    old = scenario.journey.team_feed_token

    revoke_team_token(journey=scenario.journey)

    assert client.get(team_url(scenario.journey, old)).status_code == 404


def people(scenario):
    """A coordinator, a rider of the same journey, a coordinator of another journey,
    a superuser and an anonymous visitor."""
    rider_user = UserFactory(username="rider")
    ParticipantFactory(journey=scenario.journey, user=rider_user, display_name="Rider login")
    other_coordinator = UserFactory(username="elsewhere")
    JourneyFactory(slug="elsewhere").coordinators.add(other_coordinator)
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    return {
        "coordinator": scenario.coordinator_user,
        "rider": rider_user,
        "coordinator of another journey": other_coordinator,
        "superuser": admin,
        "anonymous": None,
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("superuser", 200),
        ("rider", 404),
        ("coordinator of another journey", 404),
        ("anonymous", 404),
    ],
)
def test_team_feed_by_login_is_for_coordinators(client, scenario, who, status):
    user = people(scenario)[who]
    if user is not None:
        client.force_login(user)

    response = client.get(reverse("journey:team_feed", kwargs={"slug": scenario.journey.slug}))

    assert response.status_code == status


def test_personal_feed(client, scenario):
    response = client.get(personal_url(scenario.rider.secret_token))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="tps-journey-my-itinerary.ics"'
    assert event_count(response) == 7


def test_a_revoked_personal_link_is_not_found(client, scenario):
    old = scenario.rider.secret_token

    revoke_participant_token(participant=scenario.rider)

    scenario.rider.refresh_from_db()
    assert scenario.rider.secret_token is None
    assert client.get(personal_url(old)).status_code == 404


def test_rotating_a_personal_link_closes_the_old_one(client, scenario):
    old = scenario.rider.secret_token

    new = rotate_participant_token(participant=scenario.rider)

    assert new != old
    assert client.get(personal_url(old)).status_code == 404
    assert client.get(personal_url(new)).status_code == 200


@pytest.mark.parametrize("token", ["unknown-token", "None", "x" * 80])
def test_an_unknown_personal_link_is_not_found(client, scenario, token):
    assert client.get(personal_url(token)).status_code == 404


def test_feeds_answer_only_reads(client, scenario):
    assert client.post(public_url(scenario.journey)).status_code == 405
    assert client.head(public_url(scenario.journey)).status_code == 200


def test_subscription_urls_offer_https_and_webcal(scenario, settings):
    settings.ALLOWED_HOSTS = ["caravana.example.org"]
    request = RequestFactory().get("/", secure=True, HTTP_HOST="caravana.example.org")
    token = scenario.rider.secret_token

    urls = subscription_urls(request, scenario.rider)

    assert urls.https == f"https://caravana.example.org/my/{token}/calendar.ics"
    assert urls.webcal == f"webcal://caravana.example.org/my/{token}/calendar.ics"


def test_no_subscription_urls_for_a_revoked_link(scenario):
    revoke_participant_token(participant=scenario.rider)

    assert subscription_urls(RequestFactory().get("/"), scenario.rider) is None


# --- conditional requests -----------------------------------------------------------------


@pytest.mark.parametrize("feed", ["public", "team", "personal"])
def test_an_unchanged_feed_answers_304_to_its_etag(
    client, scenario, feed, django_assert_num_queries
):
    url = {
        "public": public_url(scenario.journey),
        "team": team_url(scenario.journey),
        "personal": personal_url(scenario.rider.secret_token),
    }[feed]
    first = client.get(url)

    with django_assert_num_queries(2):  # who is asking, and the version of the journey
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert (again.status_code, again.content) == (304, b"")
    assert again["ETag"] == first["ETag"]


def test_an_unchanged_feed_answers_304_to_if_modified_since(client, scenario):
    first = client.get(public_url(scenario.journey))

    again = client.get(public_url(scenario.journey), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert first["Last-Modified"] == "Sun, 01 Feb 2026 12:00:00 GMT"
    assert again.status_code == 304


def test_an_edited_journey_answers_200_with_a_new_etag(client, scenario):
    first = client.get(public_url(scenario.journey))
    with time_machine.travel(CREATED + timedelta(days=1), tick=False):
        scenario.activities["rally"].title = "Rally at Discovery Green"
        scenario.activities["rally"].save()

    again = client.get(public_url(scenario.journey), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert again["Last-Modified"] == "Mon, 02 Feb 2026 12:00:00 GMT"


def test_a_moved_bed_changes_the_etag_though_beds_have_no_timestamp(client, scenario):
    with time_machine.travel(CREATED, tick=False):
        other = LodgingFactory(stop=scenario.stops["el_paso"], name="Second Hall")
    url = personal_url(scenario.rider.secret_token)
    first = client.get(url)

    BedAssignment.objects.filter(participant=scenario.rider, night="2026-03-02").update(
        lodging=other
    )
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["Last-Modified"] == first["Last-Modified"]
    assert b"Noche: Second Hall" in again.content  # the rider reads Spanish: "Sleep:" is "Noche:"


def test_the_etag_differs_between_languages(client, scenario):
    english = client.get(public_url(scenario.journey), HTTP_ACCEPT_LANGUAGE="en")
    spanish = client.get(public_url(scenario.journey), HTTP_ACCEPT_LANGUAGE="es")

    assert english["ETag"] != spanish["ETag"]
    assert "Accept-Language" in spanish["Vary"]


# --- cost --------------------------------------------------------------------------------

# Who is asking and the journey's version (2), then the plan's routes, stops, legs and
# activities (5); the team feed also reads the lodgings, participants, vehicles and seats
# (4), a personal feed only the rider's own beds, seats alongside and the coordinators (3);
# both then the meals (1).
FEED_QUERIES = {"public": 2 + 5, "team": 2 + 5 + 4 + 1, "personal": 2 + 5 + 3 + 1}


@pytest.mark.parametrize("stops", [3, 12])
@pytest.mark.parametrize("feed", ["public", "team", "personal"])
def test_a_feed_costs_the_same_queries_at_any_size(
    client, journey, route, feed, stops, django_assert_num_queries
):
    journey.is_published = True
    journey.save()
    grow_route(journey, route, stops)
    rider = ParticipantFactory(journey=journey, route=route, display_name="Rider")
    url = {
        "public": public_url(journey),
        "team": team_url(journey),
        "personal": personal_url(rider.secret_token),
    }[feed]

    with django_assert_num_queries(FEED_QUERIES[feed]):
        response = client.get(url)

    assert response.status_code == 200
    assert event_count(response) == {"public": 3, "team": 4, "personal": 4}[feed] * stops - 1


# --- meals ---------------------------------------------------------------------------------


def meal_events(response) -> list[tuple[str, str, str]]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return [
        (str(e["summary"]), e.decoded("dtstart").isoformat(), str(e.get("description", "")))
        for e in calendar.walk("VEVENT")
        if str(e["uid"]).startswith("meal-")
    ]


def test_meals_at_the_riders_stops_are_in_their_feed_without_counts(client, scenario):
    phoenix, houston = scenario.stops["phoenix"], scenario.stops["houston"]
    host = HostAllyFactory(journey=scenario.journey, stop=phoenix, organization="Iglesia")
    MealFactory(stop=phoenix, starts_at=phoenix.arrival + timedelta(hours=1), provided_by=host)
    MealFactory(stop=houston, kind="lunch", starts_at=houston.arrival, notes="Team only")

    mine = meal_events(client.get(personal_url(scenario.rider.secret_token)))
    team = meal_events(client.get(team_url(scenario.journey)))
    public = meal_events(client.get(public_url(scenario.journey)))

    # The rider rides Phoenix to El Paso: Houston's lunch is not theirs. Their feed is in their
    # language (Spanish).
    assert mine == [("Cena en Parish hall", "2026-03-01T21:30:00-07:00", "A cargo de Iglesia")]
    assert team == [
        ("Dinner at Parish hall", "2026-03-01T21:30:00-07:00", "Provided by Iglesia\nPeople: 3"),
        (
            "Lunch at Parish hall",
            "2026-03-07T10:00:00-06:00",
            "Provided by the team\nPeople: 2\nTeam only",
        ),
    ]
    assert public == []
