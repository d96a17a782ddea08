"""The coordinators' pages: who may open them, and what the dashboard shows."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journey.services import append_stop
from tests.factories import (
    PLACES,
    HostAllyFactory,
    JourneyFactory,
    LodgingFactory,
    ParticipantFactory,
    RouteFactory,
    SeatAssignmentFactory,
    StopFactory,
    UserFactory,
    VehicleFactory,
)


def page_urls(trip) -> dict[str, str]:
    slug = trip.journey.slug
    host = HostAllyFactory(journey=trip.journey, organization="Sanctuary Church")
    return {
        "dashboard": reverse("web:plan_dashboard", kwargs={"slug": slug}),
        "route": reverse("web:plan_route", kwargs={"slug": slug, "route_id": trip.route.pk}),
        "stop": reverse("web:plan_stop", kwargs={"slug": slug, "stop_id": trip.phoenix.pk}),
        "meals": reverse("web:plan_stop_meals", kwargs={"slug": slug, "stop_id": trip.phoenix.pk}),
        "participants": reverse("web:plan_participants", kwargs={"slug": slug}),
        "add participant": reverse("web:plan_participant_add", kwargs={"slug": slug}),
        "edit participant": reverse(
            "web:plan_participant", kwargs={"slug": slug, "pk": trip.rider.pk}
        ),
        "assign": reverse("web:plan_assign", kwargs={"slug": slug, "pk": trip.rider.pk}),
        "hosts": reverse("web:plan_hosts", kwargs={"slug": slug}),
        "host": reverse("web:plan_host", kwargs={"slug": slug, "pk": host.pk}),
        "rooming csv": reverse("web:plan_export_csv", kwargs={"slug": slug, "document": "rooming"}),
        "manifest csv": reverse(
            "web:plan_export_csv", kwargs={"slug": slug, "document": "manifest"}
        ),
        "roster": reverse("web:plan_roster", kwargs={"slug": slug}),
        "roster csv": reverse("web:plan_roster_export", kwargs={"slug": slug, "format": "csv"}),
        "requests to ride": reverse("web:plan_rides", kwargs={"slug": slug}),
    }


def visitor(trip, who: str):
    if who == "coordinator":
        return trip.coordinator_user
    if who == "superuser":
        return UserFactory(username="admin", is_superuser=True, is_staff=True)
    if who == "rider":
        return trip.rider_user
    if who == "coordinator of another journey":
        user = UserFactory(username="elsewhere")
        JourneyFactory(slug="elsewhere").coordinators.add(user)
        return user
    return None


PAGES = [
    "dashboard",
    "route",
    "stop",
    "meals",
    "participants",
    "add participant",
    "edit participant",
    "assign",
    "hosts",
    "host",
    "rooming csv",
    "manifest csv",
    "roster",
    "roster csv",
    "requests to ride",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("superuser", 200),
        ("rider", 404),
        ("coordinator of another journey", 404),
    ],
)
def test_journey_pages_are_for_its_coordinators(client, trip, page, who, status):
    url = page_urls(trip)[page]
    client.force_login(visitor(trip, who))

    response = client.get(url)

    assert response.status_code == status


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, trip, page):
    url = page_urls(trip)[page]

    response = client.get(url)

    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('admin:login')}?next={url}",
    )


def test_the_journey_list_shows_only_the_journeys_one_coordinates(client, trip):
    JourneyFactory(slug="other", name="Other Caravan")
    client.force_login(trip.coordinator_user)

    response = client.get(reverse("web:plan_journeys"))

    assert [j.name for j in response.context["journeys"]] == ["Caravan for Justice"]


def test_the_journey_list_is_empty_for_a_rider(client, trip):
    client.force_login(trip.rider_user)

    response = client.get(reverse("web:plan_journeys"))

    assert (response.status_code, list(response.context["journeys"])) == (200, [])


# --- dashboard --------------------------------------------------------------------------------


def test_the_dashboard_lists_errors_first_each_with_a_link_to_fix_it(client, trip):
    client.force_login(trip.coordinator_user)

    response = client.get(reverse("web:plan_dashboard", kwargs={"slug": "caravan"}))

    rows = response.context["problems"]
    assert [(r["problem"].kind, r["problem"].severity, r["link"]) for r in rows[:3]] == [
        ("no_lodging", "error", f"/plan/caravan/stops/{trip.el_paso.pk}/"),
        ("bed_unassigned", "warning", f"/plan/caravan/participants/{trip.driver.pk}/assign/"),
        ("bed_unassigned", "warning", f"/plan/caravan/participants/{trip.driver.pk}/assign/"),
    ]


def test_the_dashboard_shows_totals_timeline_and_occupancy(client, trip):
    client.force_login(trip.coordinator_user)

    response = client.get(reverse("web:plan_dashboard", kwargs={"slug": "caravan"}))

    context = response.context
    assert (context["total_distance"], context["total_driving"]) == ("802 mi", "12 h 18 min")
    assert [row["text"] for row in context["days"][1]["rows"]] == [
        "Drive Los Angeles, CA → Phoenix, AZ: 393 mi, 6 h 02 min driving; arrive Mar 2, 16:00 MST",
        "Arrive in Phoenix, AZ (Overnight), leave Mar 3, 08:00 MST",
        "Meeting: PRIVATE-MEETING",
    ]
    assert [(n["place"], n["people"], n["beds"]) for n in context["nights"]] == [
        ("Los Angeles, CA", 2, 5),
        ("Phoenix, AZ", 2, 5),
        ("El Paso, TX", 2, 0),
    ]
    assert [(v["leg"], v["passengers"], v["seats"]) for v in context["vehicle_legs"]] == [
        ("Los Angeles, CA → Phoenix, AZ", 1, 50),
        ("Phoenix, AZ → Tucson, AZ", 1, 50),
        ("Tucson, AZ → El Paso, TX", 1, 50),
    ]


def test_the_dashboard_links_every_export(client, trip):
    client.force_login(trip.coordinator_user)

    html = client.get(reverse("web:plan_dashboard", kwargs={"slug": "caravan"})).content.decode()

    expected = [
        "/journeys/caravan/team/booklet.pdf",
        "/journeys/caravan/team/rooming.pdf",
        "/journeys/caravan/team/manifest.pdf",
        "/plan/caravan/export/rooming.csv",
        "/plan/caravan/export/manifest.csv",
        "/journeys/caravan/booklet.pdf",
        "/journeys/caravan/calendar.ics",
        f"/journeys/caravan/team/stops/{trip.phoenix.pk}/day-sheet.pdf",
        f"/my/{trip.rider.secret_token}/itinerary.pdf",
        f"/journeys/caravan/team/{trip.journey.team_feed_token}.ics",
    ]
    assert [url for url in expected if f'{url}"' not in html] == []


def test_the_rooming_csv_downloads_as_an_attachment(client, trip):
    client.force_login(trip.coordinator_user)

    response = client.get(
        reverse("web:plan_export_csv", kwargs={"slug": "caravan", "document": "rooming"})
    )

    assert (response["Content-Type"], response["Cache-Control"]) == (
        "text/csv; charset=utf-8",
        "private, no-store, max-age=0, no-cache, must-revalidate",
    )
    assert response["Content-Disposition"].startswith('attachment; filename="caravan-rooming-')


def test_the_rooming_csv_is_made_once_per_plan_version(client, trip):
    client.force_login(trip.coordinator_user)
    url = reverse("web:plan_export_csv", kwargs={"slug": "caravan", "document": "rooming"})
    first = client.get(url).content

    with CaptureQueriesContext(connection) as again:
        second = client.get(url).content
    trip.lodging_phoenix.name = "Casa Renamed"
    trip.lodging_phoenix.save()
    third = client.get(url).content.decode()

    assert second == first
    assert not any("stops_lodging" in q["sql"] for q in again)  # answered from the cache
    assert "Casa Renamed" in third


def test_an_unknown_csv_document_is_not_found(client, trip):
    client.force_login(trip.coordinator_user)

    response = client.get(
        reverse("web:plan_export_csv", kwargs={"slug": "caravan", "document": "secrets"})
    )

    assert response.status_code == 404


# --- no N+1 -----------------------------------------------------------------------------------


def build_journey(size: int):
    """A journey of ``size`` stops a day apart, each with lodging, and ``size`` riders on a bus."""
    coordinator = UserFactory(username=f"coordinator-{size}")
    journey = JourneyFactory(slug=f"size-{size}")
    journey.coordinators.add(coordinator)
    route = RouteFactory(journey=journey, name="Main")
    cities = list(PLACES)
    stops = []
    for day in range(size):
        stop = StopFactory(
            journey=journey,
            city=cities[day % len(cities)],
            arrival=datetime(2026, 4, 1, 17, tzinfo=UTC) + timedelta(days=day),
            departure=datetime(2026, 4, 2, 15, tzinfo=UTC) + timedelta(days=day),
        )
        append_stop(route=route, stop=stop)
        LodgingFactory(stop=stop, capacity=5)
        stops.append(stop)
    bus = VehicleFactory(journey=journey, route=route, name="Bus", seats=40)
    for n in range(size):
        rider = ParticipantFactory(journey=journey, route=route, display_name=f"Rider {n}")
        SeatAssignmentFactory(participant=rider, vehicle=bus, from_stop=stops[0], to_stop=stops[-1])
    HostAllyFactory.create_batch(size, journey=journey)
    return journey, coordinator


@pytest.mark.parametrize(
    ("page", "queries"),
    [("web:plan_dashboard", 15), ("web:plan_participants", 16), ("web:plan_hosts", 5)],
)
@pytest.mark.parametrize("size", [3, 12])
def test_pages_read_a_fixed_number_of_queries(
    client, db, django_assert_num_queries, page, queries, size
):
    journey, coordinator = build_journey(size)
    client.force_login(coordinator)
    url = reverse(page, kwargs={"slug": journey.slug})

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


def test_coordinator_pages_are_never_cached(client, trip):
    client.force_login(trip.coordinator_user)

    response = client.get(reverse("web:plan_participants", kwargs={"slug": "caravan"}))

    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
