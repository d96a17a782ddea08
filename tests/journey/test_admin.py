"""The journey, route and leg admin, and every admin page rendering for a populated journey."""

import re
from dataclasses import dataclass
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journey.formatting import format_duration
from journey.models import Journey, Leg, Route, RouteStop
from journey.services import append_stop
from participants.models import BedAssignment, Participant, SeatAssignment, Vehicle
from stops.models import Activity, HostAlly, LocalContact, Lodging, Meal, Stop
from tests.factories import (
    ActivityFactory,
    BedAssignmentFactory,
    HostAllyFactory,
    JourneyFactory,
    LodgingFactory,
    MealFactory,
    ParticipantFactory,
    RouteFactory,
    SeatAssignmentFactory,
    StopFactory,
    UserFactory,
    VehicleFactory,
    local,
)

PT, MT = "America/Los_Angeles", "America/Phoenix"


@dataclass
class Trip:
    """Los Angeles → Phoenix → Tucson with a bus, a driver, a rider, lodging and a host."""

    journey: Journey
    route: Route
    la: Stop
    phoenix: Stop
    tucson: Stop
    bus: Vehicle
    driver: Participant
    rider: Participant


@pytest.fixture
def trip(journey, route, add_stop):
    la = add_stop(route, "Los Angeles", local(PT, 2026, 3, 1, 8), local(PT, 2026, 3, 1, 9))
    phoenix = add_stop(route, "Phoenix", local(MT, 2026, 3, 1, 20, 30), local(MT, 2026, 3, 2, 9))
    tucson = add_stop(route, "Tucson", local(MT, 2026, 3, 2, 12), local(MT, 2026, 3, 3, 10))
    bus = VehicleFactory(journey=journey, route=route, name="Bus 1", seats=3)
    driver = ParticipantFactory(journey=journey, route=route, display_name="Dora", role="driver")
    rider = ParticipantFactory(journey=journey, route=route, display_name="Ana")
    for person in (driver, rider):
        SeatAssignmentFactory(
            participant=person,
            vehicle=bus,
            from_stop=la,
            to_stop=tucson,
            is_driver=person is driver,
        )
    host = HostAllyFactory(journey=journey, stop=phoenix, organization="Casa Phoenix")
    for stop in (phoenix, tucson):
        lodging = LodgingFactory(stop=stop, host=host if stop is phoenix else None, capacity=5)
        for person in (driver, rider):
            BedAssignmentFactory(participant=person, lodging=lodging, night=stop.nights[0])
    ActivityFactory(
        stop=phoenix,
        title="Vigil",
        starts_at=local(MT, 2026, 3, 1, 21),
        ends_at=local(MT, 2026, 3, 1, 22),
    )
    # The route runs through the border zone: the legal team is ready for every leg.
    Leg.objects.filter(route=route).update(legal_contact_on_call="Legal team", riders_briefed=True)
    return Trip(journey, route, la, phoenix, tucson, bus, driver, rider)


def admin_page(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def plain(html: str) -> str:
    """The text of some HTML, tags stripped and whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def texts(html: str, pattern: str) -> list[str]:
    """The text of every match of ``pattern``'s group."""
    return [plain(found) for found in re.findall(pattern, html, flags=re.S)]


def links(html: str, pattern: str) -> list[list[str]]:
    return [re.findall(r'href="([^"]+)"', found) for found in re.findall(pattern, html, re.S)]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- Every page ----------------------------------------------------------------------------

ALL_MODELS = [
    Journey,
    Route,
    Leg,
    Stop,
    Activity,
    HostAlly,
    Lodging,
    Participant,
    Vehicle,
    SeatAssignment,
    BedAssignment,
]


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_changelist_and_change_page_render(admin_client, trip, model):
    obj = model.objects.order_by("pk").first()

    listing = admin_client.get(admin_page(model, "changelist"))
    change = admin_client.get(admin_page(model, "change", obj.pk))

    assert (listing.status_code, change.status_code) == (200, 200)
    assert listing.context["cl"].result_count == model.objects.count()


@pytest.mark.parametrize(
    ("model", "status"),
    [(model, 403 if model is Leg else 200) for model in ALL_MODELS],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_add_page_renders_except_for_computed_legs(admin_client, db, model, status):
    response = admin_client.get(admin_page(model, "add"))

    assert response.status_code == status


@pytest.mark.parametrize("model", [Journey, Stop, Participant], ids=lambda m: m.__name__)
def test_a_user_who_is_not_staff_is_sent_to_the_login_page(client, db, model):
    client.force_login(UserFactory(username="rider", is_staff=False))
    url = admin_page(model, "changelist")

    response = client.get(url)

    assert (response.status_code, response.url) == (302, f"/admin/login/?next={url}")


# --- Journey ---------------------------------------------------------------------------------


def test_journey_list_counts_stops_and_participants(admin_client, trip):
    JourneyFactory(name="Empty journey")

    response = admin_client.get(admin_page(Journey, "changelist"))

    rows = [
        (journey.name, journey.stop_count, journey.participant_count)
        for journey in response.context["cl"].result_list
    ]
    assert sorted(rows) == [("Empty journey", 0, 0), ("TPS Journey", 3, 2)]


def journey_with_people(n):
    journey = JourneyFactory()
    route = RouteFactory(journey=journey, name="Main")
    append_stop(route=route, stop=StopFactory(journey=journey, city="Phoenix"))
    ParticipantFactory(journey=journey, route=route, display_name=f"P{n}")
    return journey


@pytest.mark.parametrize("model", [Journey, Route], ids=lambda m: m.__name__)
def test_lists_need_the_same_queries_for_3_or_30_rows(
    admin_client, db, model, django_assert_max_num_queries
):
    for n in range(3):
        journey_with_people(n)
    url = admin_page(model, "changelist")
    few = count_queries(admin_client, url)
    for n in range(3, 30):
        journey_with_people(n)

    with django_assert_max_num_queries(few):
        response = admin_client.get(url)

    assert response.context["cl"].result_count == 30


def test_journey_page_needs_the_same_queries_for_many_stops_and_people(
    admin_client, journey, route, add_stop, django_assert_max_num_queries
):
    def add(n):
        stop = add_stop(
            route, "Phoenix", local(MT, 2026, 3, 1 + n, 9), local(MT, 2026, 3, 1 + n, 10)
        )
        LodgingFactory(stop=stop, capacity=1)
        ParticipantFactory(journey=journey, route=route, display_name=f"P{n}")

    for n in range(3):
        add(n)
    url = admin_page(Journey, "change", journey.pk)
    few = count_queries(admin_client, url)
    for n in range(3, 25):
        add(n)

    with django_assert_max_num_queries(few):
        admin_client.get(url)


def test_journey_page_lists_stops_in_route_order_with_local_times(admin_client, trip):
    # A second route through Tucson and a stop on no route come after the first route's stops.
    north = RouteFactory(journey=trip.journey, name="North")
    RouteStop.objects.create(route=north, stop=trip.tucson, position=0)
    StopFactory(
        journey=trip.journey,
        city="El Paso",
        arrival=local("America/Denver", 2026, 2, 28, 12),
        departure=local("America/Denver", 2026, 2, 28, 13),
    )

    html = admin_client.get(admin_page(Journey, "change", trip.journey.pk)).content.decode()

    assert texts(html, r'<td class="field-city">(.*?)</td>') == [
        "Los Angeles",
        "Phoenix",
        "Tucson",
        "El Paso",
    ]
    assert texts(html, r'<td class="field-route_positions">(.*?)</td>') == [
        "Main: 0",
        "Main: 1",
        "Main: 2, North: 0",
        "",
    ]
    assert texts(html, r'<td class="field-local_arrival">(.*?)</td>') == [
        "Mar 1, 08:00 PST",
        "Mar 1, 20:30 MST",
        "Mar 2, 12:00 MST",
        "Feb 28, 12:00 MST",
    ]
    assert f'href="{admin_page(Stop, "change", trip.phoenix.pk)}"' in html


def readonly_field(html: str, name: str) -> str:
    return re.search(
        rf'<div class="form-row field-{name}">.*?<div class="readonly">(.*?)</div>\s*</div>\s*'
        r"</div>\s*</div>",
        html,
        re.S,
    ).group(1)


def test_journey_page_shows_schedule_problems_errors_first_with_links(admin_client, trip):
    # Phoenix moves to noon: the six-hour drive from Los Angeles no longer fits.
    trip.phoenix.arrival = local(MT, 2026, 3, 1, 12)
    trip.phoenix.save()
    # The vigil now starts before the caravan reaches Phoenix.
    vigil = Activity.objects.get(title="Vigil")
    vigil.starts_at = local(MT, 2026, 3, 1, 11)
    vigil.save()
    leg = Leg.objects.get(origin=trip.la, destination=trip.phoenix)

    html = admin_client.get(admin_page(Journey, "change", trip.journey.pk)).content.decode()

    panel = readonly_field(html, "schedule_problems")
    assert texts(panel, r"<h4[^>]*>(.*?)</h4>") == ["Error (1)", "Warning (1)"]
    assert texts(panel, r"<li>(.*?)</li>") == [
        f"Los Angeles → Phoenix needs about {format_duration(leg.total_minutes)} with breaks, "
        "but only 2 h lie between departure and arrival. "
        "· stop: Phoenix, AZ · leg: Los Angeles → Phoenix",
        "Vigil (Mar 1, 11:00 MST) is outside the caravan's time in Phoenix, AZ. "
        "· stop: Phoenix, AZ · activity: Vigil",
    ]
    assert links(panel, r"<li>(.*?)</li>") == [
        [admin_page(Stop, "change", trip.phoenix.pk), admin_page(Leg, "change", leg.pk)],
        [admin_page(Stop, "change", trip.phoenix.pk), admin_page(Activity, "change", vigil.pk)],
    ]
    assert plain(readonly_field(html, "problem_counts")) == "1 error, 1 warning"


def test_journey_page_links_the_people_a_problem_names(admin_client, trip):
    Lodging.objects.filter(stop=trip.tucson).delete()

    html = admin_client.get(admin_page(Journey, "change", trip.journey.pk)).content.decode()

    panel = readonly_field(html, "schedule_problems")
    assert texts(panel, r"<li>(.*?)</li>") == [
        "Tucson, AZ, night of 2026-03-02: 2 people and no lodging. "
        "· stop: Tucson, AZ · participants: 2 people"
    ]
    people = sorted([trip.driver.pk, trip.rider.pk])
    url = links(panel, r"<li>(.*?)</li>")[0][1]
    listed = admin_client.get(unescape(url)).context["cl"].result_list
    assert sorted(p.pk for p in listed) == people


def test_journey_page_sums_up_the_legs(admin_client, trip):
    Leg.objects.filter(origin=trip.la).update(
        override_distance_km=600, override_driving_minutes=330, override_reason="Map"
    )
    Leg.objects.filter(origin=trip.phoenix).update(
        override_distance_km=190, override_driving_minutes=110, override_reason="Map"
    )
    # Breaks follow the overriding times: 330 min → one 30-minute break, 110 min → none.
    Leg.objects.filter(origin=trip.la).update(break_minutes=30)
    Leg.objects.filter(origin=trip.phoenix).update(break_minutes=0)

    html = admin_client.get(admin_page(Journey, "change", trip.journey.pk)).content.decode()

    assert plain(readonly_field(html, "leg_summary")) == (
        "2 legs: 491 mi, 7 h 20 min driving and 30 min of rest breaks."
    )
    overview = readonly_field(html, "legs_overview")
    assert texts(overview, r"<tr>(.*?)</tr>") == [
        "Leg Distance Driving Breaks Overridden",
        "Los Angeles → Phoenix 373 mi 5 h 30 min 30 min Yes: Map",
        "Phoenix → Tucson 118 mi 1 h 50 min 0 min Yes: Map",
    ]


def management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": total,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def test_the_journey_page_links_its_documents_and_feeds(admin_client, trip):
    journey = trip.journey
    journey.is_published = True
    journey.save()

    html = admin_client.get(admin_page(Journey, "change", journey.pk)).content.decode()

    panel = readonly_field(html, "documents")
    assert [unescape(url) for url in re.findall(r'href="([^"]+)"', panel)] == [
        f"/journeys/{journey.slug}/team/{journey.team_feed_token}.ics",
        f"/journeys/{journey.slug}/team/booklet.pdf",
        f"/journeys/{journey.slug}/team/rooming.pdf",
        f"/journeys/{journey.slug}/team/manifest.pdf",
        f"/journeys/{journey.slug}/calendar.ics",
        f"/journeys/{journey.slug}/booklet.pdf",
    ]


def test_rotating_the_team_link_retires_the_old_one(admin_client, trip):
    old = trip.journey.team_feed_token

    admin_client.post(
        admin_page(Journey, "changelist"),
        {"action": "rotate_team_link", "_selected_action": [trip.journey.pk]},
    )

    trip.journey.refresh_from_db()
    assert trip.journey.team_feed_token not in (old, None)
    assert admin_client.get(f"/journeys/{trip.journey.slug}/team/{old}.ics").status_code == 404


def test_saving_the_journey_with_a_new_speed_refreshes_its_legs(admin_client, trip):
    journey = trip.journey
    stops = list(journey.stops.order_by("pk"))
    data = {
        "name": journey.name,
        "slug": journey.slug,
        "description": "",
        "start_date": "",
        "end_date": "",
        "home_timezone": journey.home_timezone,
        "road_factor": journey.road_factor,
        "average_speed_kmh": 50,
        "break_every_minutes": 240,
        "break_minutes": 30,
        "distance_unit": "km",
        "day_start": "08:00",
        "day_end": "20:00",
        "retention_days": 30,
        **management("routes", 1),
        "routes-0-id": trip.route.pk,
        "routes-0-journey": journey.pk,
        "routes-0-name": trip.route.name,
        "routes-0-color": trip.route.color,
        **management("stops", len(stops)),
        **{f"stops-{i}-id": stop.pk for i, stop in enumerate(stops)},
        **{f"stops-{i}-journey": journey.pk for i in range(len(stops))},
    }

    response = admin_client.post(admin_page(Journey, "change", journey.pk), data)

    assert response.status_code == 302
    leg = Leg.objects.get(origin=trip.phoenix)
    assert leg.computed_driving_minutes == round(leg.computed_distance_km / 50 * 60)


def test_journey_add_page_hides_the_plan_panels(admin_client, db):
    response = admin_client.get(admin_page(Journey, "add"))

    names = [
        name for _, options in response.context["adminform"].fieldsets for name in options["fields"]
    ]
    assert "schedule_problems" not in names


# --- Routes ------------------------------------------------------------------------------------


def route_post(route, orders: dict, new_stop=None, new_order=""):
    """The route change form's data: ``orders`` maps each route stop to its typed position."""
    route_stops = list(route.route_stops.order_by("position"))
    data = {
        "name": route.name,
        "color": route.color,
        "route_stops-TOTAL_FORMS": len(route_stops) + 1,
        "route_stops-INITIAL_FORMS": len(route_stops),
        "route_stops-MIN_NUM_FORMS": 0,
        "route_stops-MAX_NUM_FORMS": 1000,
        "legs-TOTAL_FORMS": 0,
        "legs-INITIAL_FORMS": 0,
        "legs-MIN_NUM_FORMS": 0,
        "legs-MAX_NUM_FORMS": 0,
    }
    for i, rs in enumerate(route_stops):
        data |= {
            f"route_stops-{i}-id": rs.pk,
            f"route_stops-{i}-route": route.pk,
            f"route_stops-{i}-order": orders.get(rs.stop, rs.position),
        }
    last = len(route_stops)
    data |= {f"route_stops-{last}-route": route.pk}
    if new_stop is not None:
        data |= {f"route_stops-{last}-stop": new_stop.pk, f"route_stops-{last}-order": new_order}
    return data


def route_order(route):
    return [(rs.stop.city, rs.position) for rs in route.route_stops.order_by("position")]


def leg_cities(route):
    return [(leg.origin.city, leg.destination.city) for leg in route.legs.order_by("position")]


def test_swapping_two_positions_reorders_the_route_and_its_legs(admin_client, trip):
    url = admin_page(Route, "change", trip.route.pk)

    response = admin_client.post(url, route_post(trip.route, {trip.phoenix: 2, trip.tucson: 1}))

    assert response.status_code == 302
    assert route_order(trip.route) == [("Los Angeles", 0), ("Tucson", 1), ("Phoenix", 2)]
    assert leg_cities(trip.route) == [("Los Angeles", "Tucson"), ("Tucson", "Phoenix")]


def test_a_stop_added_on_the_route_page_takes_its_position(admin_client, trip):
    el_paso = StopFactory(journey=trip.journey, city="El Paso")
    url = admin_page(Route, "change", trip.route.pk)

    data = route_post(trip.route, {trip.phoenix: 1, trip.tucson: 3}, new_stop=el_paso, new_order=2)
    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert route_order(trip.route) == [
        ("Los Angeles", 0),
        ("Phoenix", 1),
        ("El Paso", 2),
        ("Tucson", 3),
    ]
    assert leg_cities(trip.route) == [
        ("Los Angeles", "Phoenix"),
        ("Phoenix", "El Paso"),
        ("El Paso", "Tucson"),
    ]


def test_two_stops_cannot_share_a_position(admin_client, trip):
    url = admin_page(Route, "change", trip.route.pk)

    response = admin_client.post(url, route_post(trip.route, {trip.phoenix: 2}))

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors() == [
        "Two stops cannot have the same position (2)."
    ]
    assert route_order(trip.route) == [("Los Angeles", 0), ("Phoenix", 1), ("Tucson", 2)]


def test_route_page_offers_only_the_journeys_stops(admin_client, trip):
    StopFactory(journey=JourneyFactory(), city="Houston")

    response = admin_client.get(admin_page(Route, "change", trip.route.pk))

    formset = response.context["inline_admin_formsets"][0].formset
    offered = [label for value, label in formset.empty_form.fields["stop"].choices if value]
    assert offered == [str(s) for s in (trip.la, trip.phoenix, trip.tucson)]


def test_route_page_needs_the_same_queries_for_many_stops(
    admin_client, journey, route, add_stop, django_assert_max_num_queries
):
    def add(n):
        day = 1 + n
        add_stop(route, "Phoenix", local(MT, 2026, 3, day, 9), local(MT, 2026, 3, day, 10))

    for n in range(3):
        add(n)
    url = admin_page(Route, "change", route.pk)
    few = count_queries(admin_client, url)
    for n in range(3, 25):
        add(n)

    with django_assert_max_num_queries(few):
        admin_client.get(url)


# --- Legs --------------------------------------------------------------------------------------


def leg_post(**fields):
    return {
        "override_distance_km": "",
        "override_driving_minutes": "",
        "override_reason": "",
        **fields,
    }


@pytest.mark.parametrize(
    ("minutes", "breaks"),
    [(200, 0), (300, 30), (500, 60)],
)
def test_overriding_a_legs_driving_time_recomputes_its_breaks(admin_client, trip, minutes, breaks):
    leg = Leg.objects.get(origin=trip.la)

    response = admin_client.post(
        admin_page(Leg, "change", leg.pk),
        leg_post(override_driving_minutes=minutes, override_reason="Route planner"),
    )

    leg.refresh_from_db()
    assert response.status_code == 302
    assert (leg.driving_minutes, leg.break_minutes) == (minutes, breaks)


def test_an_override_needs_a_reason(admin_client, trip):
    leg = Leg.objects.get(origin=trip.la)

    response = admin_client.post(
        admin_page(Leg, "change", leg.pk), leg_post(override_driving_minutes=300)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "override_reason": ["Say where the overriding figures come from."]
    }


def test_leg_list_needs_the_same_queries_for_many_legs(
    admin_client, journey, route, add_stop, django_assert_max_num_queries
):
    def add(n):
        day = 1 + n
        city = "Phoenix" if n % 2 else "Tucson"
        add_stop(route, city, local(MT, 2026, 3, day, 9), local(MT, 2026, 3, day, 10))

    for n in range(4):
        add(n)
    url = admin_page(Leg, "changelist")
    few = count_queries(admin_client, url)
    for n in range(4, 30):
        add(n)

    with django_assert_max_num_queries(few):
        admin_client.get(url)


@pytest.fixture
def coordinator_client(client, trip, django_user_model):
    """A staff coordinator of the trip's journey, with every model permission of the apps."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("coord", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["journey", "stops", "participants"])
    )
    trip.journey.coordinators.add(user)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Journey, "name"),
        (Stop, "city"),
        (Participant, "display_name"),
        (Lodging, "name"),
    ],
)
def test_a_coordinator_sees_only_their_journeys_in_the_admin(
    coordinator_client, trip, model, field
):
    other = JourneyFactory(name="Other journey", slug="other")
    other_stop = StopFactory(journey=other, city="El Paso")
    hidden = {
        Journey: other,
        Stop: other_stop,
        Participant: ParticipantFactory(journey=other, display_name="Secret rider"),
        Lodging: LodgingFactory(stop=other_stop, name="Secret hall"),
    }[model]

    listed = coordinator_client.get(admin_page(model, "changelist"))
    opened = coordinator_client.get(admin_page(model, "change", hidden.pk))

    shown = [getattr(row, field) for row in listed.context["cl"].result_list]
    assert getattr(hidden, field) not in shown
    assert shown  # their own journey's rows are there
    assert opened.status_code == 302  # Django's admin sends a missing object back to the list


def test_a_coordinator_can_only_choose_their_journeys(coordinator_client, trip):
    JourneyFactory(name="Other journey", slug="other")

    form = coordinator_client.get(admin_page(Participant, "add")).context["adminform"].form

    assert list(form.fields["journey"].queryset) == [trip.journey]


def test_a_coordinator_who_starts_a_journey_coordinates_it(coordinator_client, django_user_model):
    response = coordinator_client.post(
        admin_page(Journey, "add"),
        {
            "name": "New caravan",
            "slug": "new-caravan",
            "home_timezone": "America/Chicago",
            "road_factor": "1.10",
            "average_speed_kmh": 95,
            "break_every_minutes": 240,
            "break_minutes": 30,
            "distance_unit": "mi",
            "day_start": "08:00",
            "day_end": "20:00",
            "retention_days": 30,
            **management("routes", 0),
        },
    )

    assert response.status_code == 302
    journey = Journey.objects.get(slug="new-caravan")
    assert list(journey.coordinators.values_list("username", flat=True)) == ["coord"]


def test_the_admin_refuses_a_retention_of_three_million_days(coordinator_client):
    response = coordinator_client.post(
        admin_page(Journey, "add"),
        {
            "name": "New caravan",
            "slug": "new-caravan",
            "home_timezone": "America/Chicago",
            "road_factor": "1.10",
            "average_speed_kmh": 95,
            "break_every_minutes": 240,
            "break_minutes": 30,
            "distance_unit": "mi",
            "day_start": "08:00",
            "day_end": "20:00",
            "retention_days": 3_000_000,
            **management("routes", 0),
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "retention_days": ["Ensure this value is less than or equal to 3650."]
    }
    assert not Journey.objects.filter(slug="new-caravan").exists()


# --- What a coordinator of another journey sees: nothing of it -----------------------------
#
# Each journey is planted with its own marker in every label the admin can show (journey,
# route, stop city, lodging, host, vehicle, rider, activity, contact, login). Each
# coordinator opens every changelist, add page and change page (of their own rows) and must
# find their own marker there and never the other journey's, nor a login of nobody's.

SCOPED_MODELS = [*ALL_MODELS, LocalContact, Meal]
STRANGER = "Zk9-stranger"


def plant(prefix: str, django_user_model):
    """A journey whose every label carries ``prefix``, and its staff coordinator."""
    from django.contrib.auth.models import Permission

    coordinator = django_user_model.objects.create_user(f"{prefix}-coord", is_staff=True)
    coordinator.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["journey", "stops", "participants"])
    )
    journey = JourneyFactory(name=f"{prefix} Journey", slug=prefix.lower())
    colleague = UserFactory(username=f"{prefix}-colleague", is_staff=True)
    journey.coordinators.add(coordinator, colleague)
    # A second journey, so that the journey filters have a choice to make.
    JourneyFactory(name=f"{prefix} Later journey").coordinators.add(coordinator)
    route = RouteFactory(journey=journey, name=f"{prefix} Route")
    RouteFactory(journey=journey, name=f"{prefix} Spare route")  # offered by "add to route"
    stops = [
        StopFactory(
            journey=journey,
            city=f"{prefix} City {n}",
            state="AZ",
            latitude=Decimal("33.45"),
            longitude=Decimal("-112.07"),
            arrival=local(MT, 2026, 3, n, 18),
            departure=local(MT, 2026, 3, n + 1, 9),
        )
        for n in (1, 2)
    ]
    for stop in stops:
        append_stop(route=route, stop=stop)
    login = UserFactory(username=f"{prefix}-linked")
    rider = ParticipantFactory(
        journey=journey, route=route, display_name=f"{prefix} Rider", user=login
    )
    bus = VehicleFactory(journey=journey, route=route, name=f"{prefix} Bus")
    SeatAssignmentFactory(participant=rider, vehicle=bus, from_stop=stops[0], to_stop=stops[1])
    host = HostAllyFactory(journey=journey, stop=stops[0], organization=f"{prefix} Host")
    lodging = LodgingFactory(stop=stops[0], host=host, name=f"{prefix} Lodging")
    LodgingFactory(stop=stops[1], name=f"{prefix} Hall")
    BedAssignmentFactory(participant=rider, lodging=lodging, night=stops[0].nights[0])
    ActivityFactory(stop=stops[0], title=f"{prefix} Activity")
    LocalContact.objects.create(stop=stops[0], kind="legal", name=f"{prefix} Lawyer", phone="1")
    MealFactory(stop=stops[0], provided_by=host, place=f"{prefix} Meal hall")
    return journey, coordinator


def test_every_admin_of_the_journey_apps_is_scoped_and_checked_below():
    from django.contrib import admin as django_admin

    from journey.admin_scope import CoordinatedOnly

    ours = {
        model: model_admin
        for model, model_admin in django_admin.site._registry.items()
        if model._meta.app_label in {"journey", "stops", "participants"}
    }

    assert sorted(m.__name__ for m in ours) == sorted(m.__name__ for m in SCOPED_MODELS)
    assert [m.__name__ for m, a in ours.items() if not isinstance(a, CoordinatedOnly)] == []


@pytest.fixture
def two_journeys(db, django_user_model):
    UserFactory(username=STRANGER, is_staff=True)  # a login in no journey
    return {prefix: plant(prefix, django_user_model) for prefix in ("Aa1", "Qx7")}


def own_row(model, user):
    from journey.access import coordinated_rows

    return coordinated_rows(model.objects.order_by("pk"), user).first()


def content(response) -> str:
    """The page below the header (the header names the signed-in user)."""
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    return html[html.index('id="content"') :]


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize(("mine", "theirs"), [("Aa1", "Qx7"), ("Qx7", "Aa1")])
def test_a_coordinator_sees_no_label_of_another_journey(client, two_journeys, model, mine, theirs):
    _journey, coordinator = two_journeys[mine]
    client.force_login(coordinator)
    pages = {
        "changelist": admin_page(model, "changelist"),
        "change": admin_page(model, "change", own_row(model, coordinator).pk),
    }
    if model is not Leg:  # legs follow the routes' stops: no add page
        pages["add"] = admin_page(model, "add")

    shown = {view: content(client.get(url)) for view, url in pages.items()}

    assert {view: mine in html for view, html in shown.items()} == dict.fromkeys(pages, True)
    assert {view: theirs in html for view, html in shown.items()} == dict.fromkeys(pages, False)
    assert {view: STRANGER in html for view, html in shown.items()} == dict.fromkeys(pages, False)


def filter_labels(response, title: str) -> list[str]:
    specs = {str(spec.title): spec for spec in response.context["cl"].filter_specs}
    assert title in specs, list(specs)
    spec = specs[title]
    return [choice["display"] for choice in spec.choices(response.context["cl"])][1:]


@pytest.mark.parametrize("mine", ["Aa1", "Qx7"])
def test_the_admins_filters_and_choices_offer_only_the_coordinators_journey(
    client, two_journeys, mine
):
    journey, coordinator = two_journeys[mine]
    client.force_login(coordinator)
    stop = journey.stops.order_by("arrival").first()

    beds = client.get(admin_page(BedAssignment, "changelist"))
    journeys = client.get(admin_page(Journey, "changelist"))
    people = client.get(admin_page(Participant, "changelist"))
    new_stop = client.get(admin_page(Stop, "add")).context["adminform"].form
    old_stop = client.get(admin_page(Stop, "change", stop.pk)).context["adminform"].form
    new_rider = client.get(admin_page(Participant, "add")).context["adminform"].form

    assert filter_labels(beds, "lodging") == [
        f"{mine} Lodging ({mine} City 1)",
        f"{mine} Hall ({mine} City 2)",
    ]
    assert filter_labels(beds, "journey") == [f"{mine} Journey", f"{mine} Later journey"]
    assert filter_labels(journeys, "coordinators") == [f"{mine}-colleague", f"{mine}-coord", "-"]
    assert filter_labels(people, "journey") == [f"{mine} Journey", f"{mine} Later journey"]
    assert [str(r) for r in new_stop.fields["add_to_route"].queryset] == [
        f"{mine} Journey · {mine} Route",
        f"{mine} Journey · {mine} Spare route",
    ]
    assert [str(r) for r in old_stop.fields["add_to_route"].queryset] == [
        f"{mine} Journey · {mine} Spare route"
    ]
    # A login is linked by its owner, never picked (nor typed) in the admin.
    assert "user" not in new_rider.fields


def test_a_superuser_still_sees_every_journey_in_the_filters(admin_client, two_journeys):
    beds = admin_client.get(admin_page(BedAssignment, "changelist"))

    assert filter_labels(beds, "lodging") == [
        "Aa1 Lodging (Aa1 City 1)",
        "Aa1 Hall (Aa1 City 2)",
        "Qx7 Lodging (Qx7 City 1)",
        "Qx7 Hall (Qx7 City 2)",
    ]


def test_a_coordinator_cannot_link_a_login_to_a_participant(client, two_journeys):
    journey, coordinator = two_journeys["Aa1"]
    client.force_login(coordinator)
    rider = journey.participants.get()
    stranger = get_user_model().objects.get(username=STRANGER)

    page = client.get(admin_page(Participant, "change", rider.pk))
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update({"journey": journey.pk, "user": stranger.pk, "_save": "Save"})
    data.update({**management("seats", 0), **management("beds", 0)})
    response = client.post(admin_page(Participant, "change", rider.pk), data)

    rider.refresh_from_db()
    assert response.status_code == 302
    assert rider.user.username == "Aa1-linked"
    assert "Aa1-linked" in content(page)  # shown, read-only


BIG = "9" * 20


@pytest.mark.parametrize(
    ("model", "query"),
    [
        (Participant, f"id__in={BIG}"),
        (Participant, f"id__in=1,{BIG}"),
        (Participant, f"journey={BIG}"),
        (Stop, f"id__in={BIG}"),
        (Stop, f"journey__id__exact={BIG}"),
        (BedAssignment, "night__year=99999999999"),
        (BedAssignment, f"night__year=2026&night__month={BIG}"),
        (Leg, f"route__id__exact={BIG}"),
        (Leg, f"route__id__exact={'9' * 5000}"),  # past what int() reads from a string
    ],
)
def test_a_number_the_database_cannot_hold_is_a_bad_filter_not_a_500(
    client, two_journeys, model, query
):
    _journey, coordinator = two_journeys["Aa1"]
    client.force_login(coordinator)
    client.raise_request_exception = False

    response = client.get(f"{admin_page(model, 'changelist')}?{query}")
    again = client.get(f"{admin_page(model, 'changelist')}?{query}&e=1")

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
    assert again.status_code == 200  # Django's own page for filters it cannot apply


@pytest.mark.parametrize(
    ("model", "field", "data"),
    [
        (Journey, "coordinators", {"name": "x", "slug": "x", "coordinators": [BIG]}),
        (Stop, "journey", {"journey": BIG, "city": "Phoenix"}),
        (BedAssignment, "lodging", {"lodging": BIG, "night": "2026-03-01"}),
    ],
)
@pytest.mark.parametrize("who", ["coordinator", "superuser"])
def test_a_posted_id_the_database_cannot_hold_is_an_invalid_choice(
    client, admin_user, two_journeys, model, field, data, who
):
    client.force_login(two_journeys["Aa1"][1] if who == "coordinator" else admin_user)
    client.raise_request_exception = False

    response = client.post(admin_page(model, "add"), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors[field]
    assert errors == (
        [f"“{BIG}” is not a valid value."]
        if field == "coordinators"
        else ["Select a valid choice. That choice is not one of the available choices."]
    )
