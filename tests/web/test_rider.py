"""The rider's "My itinerary": by secret link or login, only their own data, in their language,
relative to now (frozen with time-machine)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from journey.tokens import revoke_participant_token
from tests.factories import (
    BedAssignmentFactory,
    JourneyFactory,
    LodgingFactory,
    MealFactory,
    ParticipantFactory,
    RouteFactory,
    UserFactory,
    local,
)
from tests.web.conftest import AZ, MT, PT, SECRETS


def _at(tz, *parts):
    return time_machine.travel(datetime(*parts, tzinfo=ZoneInfo(tz)), tick=False)


def _page(client, rider):
    return client.get(reverse("web:my_itinerary", args=[rider.secret_token]))


def _summary(context):
    departure = context["next_departure"]
    night = context["night"]
    return {
        "not started": context["not_started"],
        "over": context["is_over"],
        "next departure": departure and (departure["when"], departure["leg"].origin.venue),
        "night": night and (night.date.isoformat(), context["is_tonight"]),
        "bed": context["bed"] and context["bed"].address,
        "activities": [a["item"].title for a in context["activities"]],
    }


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (
            (PT, 2027, 2, 28, 9),
            {
                "not started": True,
                "over": False,
                "next departure": ("Mar 2, 08:00 PST", "Placita Olvera"),
                "night": ("2027-03-01", False),
                "bed": SECRETS["lodging address"],
                "activities": ["Rally at City Hall", SECRETS["private activity"]],
            },
        ),
        (
            (PT, 2027, 3, 1, 22),
            {
                "not started": False,
                "over": False,
                "next departure": ("Mar 2, 08:00 PST", "Placita Olvera"),
                "night": ("2027-03-01", True),
                "bed": SECRETS["lodging address"],
                "activities": [SECRETS["private activity"]],
            },
        ),
        (  # after midnight the night of Mar 1 is still "tonight"
            (PT, 2027, 3, 2, 2),
            {
                "not started": False,
                "over": False,
                "next departure": ("Mar 2, 08:00 PST", "Placita Olvera"),
                "night": ("2027-03-01", True),
                "bed": SECRETS["lodging address"],
                "activities": [SECRETS["private activity"]],
            },
        ),
        (  # in Phoenix: tonight's bed is the Phoenix hall
            (AZ, 2027, 3, 2, 20),
            {
                "not started": False,
                "over": False,
                "next departure": ("Mar 3, 08:00 MST", "Wesley Park"),
                "night": ("2027-03-02", True),
                "bed": SECRETS["second lodging address"],
                "activities": [],
            },
        ),
        (  # El Paso tonight, no bed yet
            (MT, 2027, 3, 3, 21),
            {
                "not started": False,
                "over": False,
                "next departure": None,
                "night": ("2027-03-03", True),
                "bed": None,
                "activities": [],
            },
        ),
        (
            (MT, 2027, 3, 5, 12),
            {
                "not started": False,
                "over": True,
                "next departure": None,
                "night": None,
                "bed": None,
                "activities": [],
            },
        ),
    ],
)
def test_the_itinerary_follows_the_clock(client, trip, now, expected):
    client.cookies["django_language"] = "en"
    with _at(*now):
        response = _page(client, trip.rider)

    assert response.status_code == 200
    assert _summary(response.context) == expected


def test_the_page_shows_where_the_bus_leaves_from_and_who_to_call(client, trip):
    client.cookies["django_language"] = "en"
    with _at(PT, 2027, 3, 1, 22):
        html = _page(client, trip.rider).content.decode()

    assert "Placita Olvera, 845 N Alameda St" in html
    assert "Mar 2, 08:00 PST" in html
    assert f'<a href="tel:{SECRETS["coordinator phone"]}">' in html
    assert '<a href="tel:915-555-0100">915-555-0100</a>' in html
    assert '<a href="tel:602-555-0123">602-555-0123</a>' in html
    assert SECRETS["lodging address"] in html


def test_the_page_lists_the_meals_ahead_without_counts(client, trip):
    MealFactory(stop=trip.la, kind="breakfast", starts_at=local(PT, 2027, 3, 2, 7))
    MealFactory(stop=trip.phoenix, starts_at=local(AZ, 2027, 3, 2, 18, 30), place="Wesley Park")
    client.cookies["django_language"] = "en"

    with _at(PT, 2027, 3, 2, 7, 30):
        response = _page(client, trip.rider)

    # Breakfast in Los Angeles is over; dinner in Phoenix is next.
    assert [(str(m["item"].title), m["when"]) for m in response.context["meals"]] == [
        ("Dinner at Wesley Park", "Mar 2, 18:30 MST")
    ]
    html = response.content.decode()
    assert ("Dinner at Wesley Park" in html, "people" in html) == (True, False)


def test_local_contacts_of_stops_already_left_are_not_listed(client, trip):
    with _at(AZ, 2027, 3, 3, 9):
        response = _page(client, trip.rider)

    assert [
        (stop.city, [c.name for c in contacts])
        for stop, contacts in response.context["local_contacts"]
    ] == [("El Paso", [SECRETS["local contact"]])]


def test_download_and_subscribe_links(client, trip):
    token = trip.rider.secret_token
    with _at(PT, 2027, 3, 1, 22):
        html = _page(client, trip.rider).content.decode()

    assert f'href="/my/{token}/itinerary.pdf"' in html
    assert f'href="webcal://testserver/my/{token}/calendar.ics"' in html
    assert f'href="http://testserver/my/{token}/calendar.ics"' in html


@pytest.mark.parametrize(
    "secret",
    [
        "stop private notes",
        "activity private notes",
        "legal contact on the leg",
        "rider full name",
        "driver name",
        "vehicle plate",
    ],
)
def test_team_only_values_stay_off_the_riders_page(client, trip, secret):
    with _at(PT, 2027, 2, 28, 9):
        html = _page(client, trip.rider).content.decode()

    assert SECRETS[secret] not in html


def test_another_riders_data_stays_off_the_page(client, trip):
    other = ParticipantFactory(
        journey=trip.journey, route=trip.route, display_name="Olga", phone="555-0444"
    )
    lodging = LodgingFactory(stop=trip.la, name="Other Hotel", address="9 Elsewhere Rd")
    BedAssignmentFactory(participant=other, lodging=lodging, night=trip.la.nights[0])

    with _at(PT, 2027, 2, 28, 9):
        html = _page(client, trip.rider).content.decode()

    assert ["Olga" in html, "555-0444" in html, "9 Elsewhere Rd" in html] == [False, False, False]


def test_the_page_is_private(client, trip):
    response = _page(client, trip.rider)

    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_a_revoked_or_unknown_link_is_404(client, trip):
    token = trip.rider.secret_token
    revoke_participant_token(participant=trip.rider)

    revoked = client.get(reverse("web:my_itinerary", args=[token]))
    unknown = client.get(reverse("web:my_itinerary", args=["not-a-token"]))

    assert (revoked.status_code, unknown.status_code) == (404, 404)


# --- language ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preferred", "cookie", "shown"),
    [
        ("es", None, "es"),  # the participant's language by default
        ("en", None, "en"),
        ("fr", None, "en"),  # not offered by the site: English
        ("es", "en", "en"),  # the switcher wins
        ("en", "es", "es"),
    ],
)
def test_the_page_speaks_the_riders_language_unless_they_switch(
    client, trip, preferred, cookie, shown
):
    trip.rider.language = preferred
    trip.rider.save()
    if cookie:
        client.cookies["django_language"] = cookie

    response = _page(client, trip.rider)

    assert response.headers["Content-Language"] == shown
    assert f'<html lang="{shown}">' in response.content.decode()


def test_spanish_page_reads_in_spanish(client, trip):
    with _at(PT, 2027, 3, 1, 22):
        html = _page(client, trip.rider).content.decode()

    assert "Mi itinerario" in html
    assert "2 de marzo, 08:00 PST" in html


def test_the_switcher_sets_the_language_for_the_next_visit(client, trip):
    path = reverse("web:my_itinerary", args=[trip.rider.secret_token])

    switched = client.post(reverse("set_language"), {"language": "en", "next": path})
    response = client.get(path)

    assert switched.status_code == 302
    assert response.headers["Content-Language"] == "en"


# --- by login ---------------------------------------------------------------------------------


def test_me_needs_a_login(client, trip):
    response = client.get(reverse("web:me"))

    assert response.status_code == 302
    assert response.headers["Location"] == f"{reverse('admin:login')}?next=/me/"


def test_me_shows_the_riders_own_itinerary(client, trip):
    client.force_login(trip.rider_user)

    response = client.get(reverse("web:me"))

    assert response.status_code == 200
    assert response.context["participant"] == trip.rider


def test_me_lists_several_records_to_choose_from(client, trip):
    second = ParticipantFactory(
        journey=JourneyFactory(name="Second Journey"), user=trip.rider_user, display_name="M"
    )
    client.force_login(trip.rider_user)

    listing = client.get(reverse("web:me"))
    chosen = client.get(reverse("web:me_detail", args=[second.pk]))

    assert [p.journey.name for p in listing.context["records"]] == [
        "Caravan for Justice",
        "Second Journey",
    ]
    assert chosen.context["participant"] == second


def test_me_without_records_says_so(client, trip):
    client.force_login(trip.coordinator_user)

    response = client.get(reverse("web:me"))

    assert response.context["records"] == []


def test_someone_elses_record_is_404(client, trip):
    outsider = UserFactory(username="outsider")
    client.force_login(outsider)

    assert client.get(reverse("web:me_detail", args=[trip.rider.pk])).status_code == 404


def test_a_login_with_a_revoked_link_still_sees_the_itinerary_without_downloads(client, trip):
    revoke_participant_token(participant=trip.rider)
    client.force_login(trip.rider_user)

    response = client.get(reverse("web:me"))

    assert (response.status_code, response.context["pdf_url"], response.context["feed_url"]) == (
        200,
        "",
        "",
    )


# --- cost ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 20])
def test_rider_page_queries_do_not_grow_with_stops(
    client, db, add_stop, django_assert_num_queries, count
):
    journey = JourneyFactory(slug="sized")
    route = RouteFactory(journey=journey)
    stops = [
        add_stop(route, "Phoenix", local(AZ, 2027, 4, 1 + d, 18), local(AZ, 2027, 4, 2 + d, 8))
        for d in range(count)
    ]
    rider = ParticipantFactory(journey=journey, route=route)
    lodging = LodgingFactory(stop=stops[0])
    BedAssignmentFactory(participant=rider, lodging=lodging, night=stops[0].nights[0])

    # The token, the plan's routes, stops, legs and activities (5), the rider's own beds, the
    # seats alongside theirs and the coordinators (3), the meals, the local contacts.
    with _at(AZ, 2027, 3, 1, 9), django_assert_num_queries(11):
        response = _page(client, rider)

    assert len(response.context["itinerary"].stops) == count
