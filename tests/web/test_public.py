"""The home page and a published journey's public page: what anyone may see, and nothing more."""

from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from journey.itinerary import Audience, build_itinerary
from journey.plan import load_plan
from tests.factories import JourneyFactory, RouteFactory, local
from tests.web.conftest import PT, SECRETS
from web.map import route_map_svg


def test_home_lists_published_journeys_with_their_dates(client, trip):
    JourneyFactory(name="Secret Planning Trip", slug="draft", is_published=False)

    response = client.get(reverse("web:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert [row["journey"].slug for row in response.context["rows"]] == ["caravan"]
    assert (response.context["rows"][0]["first"].isoformat(),) == ("2027-03-01",)
    assert (response.context["rows"][0]["last"].isoformat(),) == ("2027-03-04",)
    assert 'href="/j/caravan/"' in html
    assert "Secret Planning Trip" not in html
    assert f'href="{reverse("admin:login")}?next=/plan/"' in html


def test_journey_page_shows_public_cities_with_local_times_and_activities(client, trip):
    response = client.get(reverse("web:journey", args=["caravan"]))

    assert response.status_code == 200
    stops = response.context["stops"]
    assert [row["visit"].place_name for row in stops] == [
        "Los Angeles, CA",
        "Phoenix, AZ",
        "El Paso, TX",
    ]
    assert [(row["arrival"], row["departure"]) for row in stops] == [
        ("Mar 1, 12:00 PST", "Mar 2, 08:00 PST"),
        ("Mar 2, 16:00 MST", "Mar 3, 08:00 MST"),
        ("Mar 3, 20:00 MST", "Mar 4, 09:00 MST"),
    ]
    assert [(a["item"].title, a["when"]) for a in stops[0]["activities"]] == [
        ("Rally at City Hall", "Mar 1, 14:00–16:00 PST")
    ]
    html = response.content.decode()
    assert "<svg" in html
    assert 'href="webcal://testserver/journeys/caravan/calendar.ics"' in html
    assert 'href="http://testserver/journeys/caravan/calendar.ics"' in html
    assert 'href="/journeys/caravan/booklet.pdf"' in html
    assert 'href="/j/caravan/host/"' in html


@pytest.mark.parametrize("secret", sorted(SECRETS))
def test_journey_page_never_shows_private_values(client, trip, secret):
    response = client.get(reverse("web:journey", args=["caravan"]))

    assert SECRETS[secret] not in response.content.decode()


def test_journey_page_in_spanish(client, trip):
    client.cookies["django_language"] = "es"

    response = client.get(reverse("web:journey", args=["caravan"]))

    assert response.headers["Content-Language"] == "es"
    assert response.context["stops"][0]["arrival"] == "1 de marzo, 12:00 PST"
    assert "Ofrecer hospedaje" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["journey", "host_register", "host_thanks", "ride_apply", "ride_thanks"]
)
def test_unpublished_and_unknown_journeys_do_not_exist(client, trip, name):
    trip.journey.is_published = False
    trip.journey.save()

    unpublished = client.get(reverse(f"web:{name}", args=["caravan"]))
    unknown = client.get(reverse(f"web:{name}", args=["no-such-journey"]))

    assert (unpublished.status_code, unknown.status_code) == (404, 404)


def test_unpublished_journey_is_hidden_from_its_coordinator_too(client, trip):
    """The public page is the public view: coordinators plan in their own pages."""
    trip.journey.is_published = False
    trip.journey.save()
    client.force_login(trip.coordinator_user)

    assert client.get(reverse("web:journey", args=["caravan"])).status_code == 404


def test_map_labels_are_escaped(client, db, add_stop):
    journey = JourneyFactory(slug="escape", is_published=True)
    route = RouteFactory(journey=journey)
    add_stop(
        route,
        "<script>alert(1)</script>",
        local(PT, 2027, 3, 1, 12),
        local(PT, 2027, 3, 2, 8),
        state="CA",
        latitude=Decimal("34.05"),
        longitude=Decimal("-118.24"),
    )

    html = client.get(reverse("web:journey", args=["escape"])).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _published_journey_with_stops(add_stop, slug, count):
    journey = JourneyFactory(slug=slug, is_published=True)
    route = RouteFactory(journey=journey)
    for day in range(count):
        add_stop(
            route,
            "Phoenix",
            local("America/Phoenix", 2027, 4, 1 + day, 18),
            local("America/Phoenix", 2027, 4, 2 + day, 8),
        )
    return journey


@pytest.mark.parametrize("count", [2, 20])
def test_journey_page_queries_do_not_grow_with_stops(
    client, db, add_stop, django_assert_num_queries, count
):
    _published_journey_with_stops(add_stop, "sized", count)

    # The journey, then the plan's routes, stops, legs and activities (5): a public page reads
    # no lodging, participant, vehicle, seat or bed.
    with django_assert_num_queries(6):
        response = client.get(reverse("web:journey", args=["sized"]))

    assert len(response.context["stops"]) == count


@pytest.mark.parametrize("count", [1, 10])
def test_home_queries_do_not_grow_with_journeys(client, db, django_assert_num_queries, count):
    for n in range(count):
        JourneyFactory(slug=f"j{n}", is_published=True)

    with django_assert_num_queries(1):
        response = client.get(reverse("web:home"))

    assert len(response.context["rows"]) == count


def test_route_map_draws_the_public_stops_and_legs(trip):
    itinerary = build_itinerary(load_plan(trip.journey), audience=Audience.PUBLIC)

    svg = ElementTree.fromstring(str(route_map_svg(itinerary, highlight_stop_id=trip.phoenix.pk)))

    ns = {"svg": "http://www.w3.org/2000/svg"}
    labels = sorted(t.text for t in svg.findall("svg:text", ns))
    assert svg.find("svg:desc", ns).text == "Los Angeles, CA → Phoenix, AZ → El Paso, TX"
    assert labels == [
        "El Paso",
        "Los Angeles",
        "Outline: US Census Bureau, via us-atlas.",
        "Phoenix",
    ]
    # Only Los Angeles → Phoenix joins two public stops; Tucson is private.
    assert len(svg.findall("svg:line", ns)) == 1
    assert len(svg.findall("svg:circle[@class='map-next']", ns)) == 1
