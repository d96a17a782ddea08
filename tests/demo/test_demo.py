"""The demo journey: realistic, deterministic, and broken exactly where it says."""

import re
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from demo.build import DEMO_SLUG, build_demo
from journey.checks import find_problems
from journey.formatting import format_local
from journey.models import Journey, Leg, RouteStop
from participants.models import BedAssignment, Participant, SeatAssignment, Vehicle
from stops.models import Activity, HostAlly, Lodging, Meal, Stop
from tests.factories import UserFactory

FAKE_PHONE = re.compile(r"^\(\d{3}\) 555-01\d\d$")


@pytest.fixture
def demo(db):
    return build_demo()


def cities(route):
    return [
        rs.stop.city
        for rs in RouteStop.objects.filter(route=route).select_related("stop").order_by("position")
    ]


def counts(journey):
    return {
        "stops": Stop.objects.filter(journey=journey).count(),
        "route stops": RouteStop.objects.filter(route__journey=journey).count(),
        "legs": Leg.objects.for_journey(journey).count(),
        "activities": Activity.objects.filter(stop__journey=journey).count(),
        "hosts": HostAlly.objects.filter(journey=journey).count(),
        "lodgings": Lodging.objects.filter(stop__journey=journey).count(),
        "participants": Participant.objects.filter(journey=journey).count(),
        "vehicles": Vehicle.objects.filter(journey=journey).count(),
        "seats": SeatAssignment.objects.filter(vehicle__journey=journey).count(),
        "beds": BedAssignment.objects.filter(lodging__stop__journey=journey).count(),
    }


def found(journey):
    """Each problem as (kind, stop city, leg, night, number of people), sorted."""
    city = dict(Stop.objects.filter(journey=journey).values_list("pk", "city"))
    legs = Leg.objects.for_journey(journey).select_related("origin", "destination")
    leg = {each.pk: str(each) for each in legs}
    return sorted(
        (
            problem.kind,
            city.get(problem.stop_id, ""),
            leg.get(problem.leg_id, ""),
            problem.night.isoformat() if problem.night else "",
            len(problem.participant_ids),
        )
        for problem in find_problems(journey)
    )


# --- The route ---------------------------------------------------------------------------


def test_the_bus_crosses_the_country_in_28_stops(demo):
    main = demo.routes.get(name="Main")

    assert cities(main) == [
        "Los Angeles",
        "Blythe",
        "Phoenix",
        "Tucson",
        "Lordsburg",
        "El Paso",
        "Fort Stockton",
        "Sonora",
        "San Antonio",
        "Houston",
        "Beaumont",
        "Lafayette",
        "New Orleans",
        "Mobile",
        "Selma",
        "Montgomery",
        "Birmingham",
        "Atlanta",
        "Chattanooga",
        "Nashville",
        "Knoxville",
        "Asheville",
        "Charlotte",
        "Greensboro",
        "Durham",
        "Richmond",
        "Fredericksburg",
        "Washington",
    ]
    assert Counter(main.stops.values_list("kind", flat=True)) == {
        "overnight": 16,
        "rest": 9,
        "rally": 3,
    }


def test_the_florida_van_meets_the_bus_at_the_same_washington_stop(demo):
    main, florida = demo.routes.get(name="Main"), demo.routes.get(name="Florida caravan")

    assert cities(florida) == [
        "Homestead",
        "Miami",
        "Orlando",
        "Savannah",
        "Florence",
        "Fayetteville",
        "Washington",
    ]
    finale = RouteStop.objects.filter(route=main).order_by("position").last().stop
    assert RouteStop.objects.filter(route=florida).order_by("position").last().stop == finale
    assert Stop.objects.filter(journey=demo, city="Washington").count() == 1


def test_the_journey_is_published_bilingual_and_dated(demo):
    assert (demo.slug, demo.is_published, demo.home_timezone) == (
        DEMO_SLUG,
        True,
        "America/New_York",
    )
    assert (demo.start_date.isoformat(), demo.end_date.isoformat()) == ("2027-03-01", "2027-03-29")
    assert "Washington, DC, to ask Congress" in demo.description
    assert "Estatus de Protección Temporal" in demo.description


def test_the_stops_span_five_time_zones(demo):
    zones = set(Stop.objects.filter(journey=demo).values_list("timezone", flat=True))

    assert zones == {
        "America/Los_Angeles",
        "America/Phoenix",
        "America/Denver",
        "America/Chicago",
        "America/New_York",
    }


def test_departures_are_local_times_across_the_change_to_daylight_time(demo):
    overnight = Stop.objects.filter(journey=demo, kind="overnight").order_by("arrival")

    departures = {stop.city: format_local(stop.departure, stop.tzinfo) for stop in overnight}

    assert departures == {
        "Los Angeles": "Mar 2, 07:30 PST",
        "Phoenix": "Mar 4, 08:00 MST",  # Arizona keeps standard time
        "Tucson": "Mar 5, 08:00 MST",
        "El Paso": "Mar 7, 06:00 MST",
        "San Antonio": "Mar 9, 09:00 CST",
        "Houston": "Mar 11, 08:00 CST",
        "New Orleans": "Mar 13, 08:00 CST",
        "Montgomery": "Mar 14, 12:30 CDT",  # the morning the clocks went forward
        "Birmingham": "Mar 16, 08:00 CDT",
        "Atlanta": "Mar 18, 08:30 EDT",
        "Nashville": "Mar 20, 09:00 CDT",
        "Knoxville": "Mar 21, 08:00 EDT",
        "Homestead": "Mar 21, 08:30 EDT",
        "Orlando": "Mar 22, 08:00 EDT",
        "Charlotte": "Mar 23, 08:30 EDT",
        "Savannah": "Mar 23, 08:30 EDT",
        "Durham": "Mar 24, 08:30 EDT",
        "Richmond": "Mar 25, 10:30 EDT",
        "Fayetteville": "Mar 25, 06:30 EDT",
        "Washington": "Mar 29, 10:00 EDT",
    }


def test_an_arrival_is_the_previous_departure_plus_the_drive_rounded_to_a_quarter_hour(demo):
    legs = Leg.objects.for_journey(demo).select_related("origin", "destination")
    slack = {
        str(leg): (leg.destination.arrival - leg.origin.departure).total_seconds() / 60
        - leg.total_minutes
        for leg in legs
    }

    assert slack.pop("Nashville → Knoxville") < 0  # the deliberate mistake
    assert slack.pop("Fayetteville → Washington") >= 10  # the van waits there for the bus
    assert (min(slack.values()) >= 10, max(slack.values()) < 25) == (True, True)


# --- The problems ------------------------------------------------------------------------


def test_the_checks_find_exactly_the_deliberate_problems(demo):
    assert found(demo) == [
        ("activity_overlap", "Atlanta", "", "", 0),
        ("bed_unassigned", "Houston", "", "2027-03-10", 4),
        ("beds_short", "Houston", "", "2027-03-10", 0),
        ("border_unprepared", "El Paso", "El Paso → Fort Stockton", "", 0),
        ("drive_does_not_fit", "Knoxville", "Nashville → Knoxville", "", 0),
        ("driving_over_limit", "", "Sonora → San Antonio", "", 1),
        # Rest days where the hosts cook only the dinner of arrival and the last breakfast.
        ("meal_missing", "El Paso", "", "2027-03-06", 0),
        ("meal_missing", "Phoenix", "", "2027-03-03", 0),
        ("no_lodging", "Birmingham", "", "2027-03-15", 30),
        ("vehicle_over_capacity", "", "Orlando → Savannah", "", 14),
    ]


def test_the_driver_over_the_limit_is_rafael_on_the_longest_day(demo):
    (problem,) = [p for p in find_problems(demo) if p.kind == "driving_over_limit"]

    assert Participant.objects.get(pk=problem.participant_ids[0]).display_name == "Rafael"
    driven = SeatAssignment.objects.filter(participant__display_name="Rafael", is_driver=True)
    assert [(seat.from_stop.city, seat.to_stop.city) for seat in driven.order_by("from_stop")] == [
        ("Los Angeles", "Phoenix"),
        ("El Paso", "San Antonio"),
        ("New Orleans", "Montgomery"),
        ("Atlanta", "Nashville"),
        ("Charlotte", "Durham"),
    ]


# --- People, hosts, lodging ------------------------------------------------------------------


def test_about_sixty_people_join_and_leave_along_the_way(demo):
    people = Participant.objects.filter(journey=demo)

    assert Counter(people.values_list("role", flat=True)) == {
        "rider": 49,
        "driver": 5,
        "coordinator": 4,
        "medic": 1,
        "press": 2,
    }
    assert Counter(people.values_list("language", flat=True)) == {"es": 39, "ht": 12, "en": 10}
    assert people.filter(route__isnull=True).count() == 1
    assert people.filter(route__isnull=False, join_stop=None, leave_stop=None).count() == 33
    assert people.exclude(join_stop=None).count() == 22
    assert people.exclude(leave_stop=None).count() == 13
    assert Counter(people.filter(route__name="Florida caravan").values_list("role", flat=True)) == {
        "rider": 12,
        "driver": 2,
        "coordinator": 1,
    }


def test_names_keep_their_accents_and_phones_are_fictional(demo):
    people = Participant.objects.filter(journey=demo)
    hosts = HostAlly.objects.filter(journey=demo)

    assert {"Begoña", "José", "Mirlène", "Frantz", "Rosalba", "Dieunè"} <= set(
        people.values_list("display_name", flat=True)
    )
    phones = [
        *people.values_list("phone", flat=True),
        *people.values_list("emergency_contact_phone", flat=True),
        *hosts.values_list("phone", flat=True),
    ]
    assert [phone for phone in phones if not FAKE_PHONE.match(phone)] == []
    emails = [*people.exclude(email="").values_list("email", flat=True)]
    emails += list(hosts.values_list("email", flat=True))
    assert [email for email in emails if not email.endswith("@example.org")] == []


def test_hosts_are_mostly_approved_and_lodge_the_caravan(demo):
    hosts = HostAlly.objects.filter(journey=demo)

    assert Counter(hosts.values_list("status", flat=True)) == {
        "approved": 28,
        "pending": 2,
        "declined": 1,
    }
    assert set(
        Lodging.objects.filter(stop__journey=demo).values_list("host__status", flat=True)
    ) == {"approved"}
    overnight = Stop.objects.filter(journey=demo, kind="overnight")
    assert overnight.filter(lodgings=None).count() == 0
    assert overnight.filter(hosts=None).count() == 0


def test_meals_are_planned_and_one_host_opens_their_page_by_link(demo, client):
    meals = Meal.objects.filter(stop__journey=demo)
    [host] = HostAlly.objects.filter(journey=demo, secret_token__isnull=False)

    page = client.get(f"/host/{host.secret_token}/")

    assert Counter(meals.values_list("kind", flat=True)) == {
        "dinner": 4,
        "breakfast": 4,
        "lunch": 1,
    }
    assert meals.filter(provided_by=None).count() == 1  # the team's lunch
    assert page.status_code == 200
    assert host.stop.city in page.content.decode()


def test_everyone_who_rides_has_a_seat_and_nearly_every_night_a_bed(demo):
    assert counts(demo) | {"legs": 0} == {
        "stops": 34,
        "route stops": 35,
        "legs": 0,
        "activities": 47,
        "hosts": 31,
        "lodgings": 22,
        "participants": 61,
        "vehicles": 2,
        "seats": 94,
        "beds": 959,
    }
    assert Leg.objects.for_journey(demo).count() == 27 + 6


def test_every_row_of_the_demo_passes_model_validation(demo):
    rows = [
        demo,
        *Stop.objects.filter(journey=demo),
        *RouteStop.objects.filter(route__journey=demo),
        *Activity.objects.filter(stop__journey=demo),
        *HostAlly.objects.filter(journey=demo),
        *Lodging.objects.filter(stop__journey=demo),
        *Participant.objects.filter(journey=demo),
        *Vehicle.objects.filter(journey=demo),
        *SeatAssignment.objects.filter(vehicle__journey=demo),
        *list(BedAssignment.objects.filter(lodging__stop__journey=demo))[::20],
        *Meal.objects.filter(stop__journey=demo),
    ]

    for row in rows:
        row.full_clean()


# --- Rebuilding --------------------------------------------------------------------------------


def test_building_again_replaces_the_demo_and_keeps_its_coordinators(demo):
    before, problems = counts(demo), found(demo)
    coordinator = UserFactory(username="marisol")
    demo.coordinators.add(coordinator)

    again = build_demo()

    assert Journey.objects.filter(slug=DEMO_SLUG).count() == 1
    assert not Journey.objects.filter(pk=demo.pk).exists()
    assert counts(again) == before
    assert list(again.coordinators.all()) == [coordinator]
    assert found(again) == problems


def test_the_rebuild_writes_in_bulk(demo, django_assert_max_num_queries):
    # About 2,000 rows; row-by-row saves would take thousands of queries.
    with django_assert_max_num_queries(310):  # 301 since RSVPs: one more table to clear
        build_demo()


# --- The command -----------------------------------------------------------------------------


def run(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_a_summary(db):
    output = run()

    assert "Stops: 34 on 2 routes." in output
    assert "Participants: 61." in output
    assert "Schedule problems: 10 (deliberate, for the checks to find):" in output
    assert "Password" not in output


def test_the_command_creates_a_coordinator_who_can_log_in(db, client):
    output = run("--coordinator", "demo")

    password = re.search(r"^Password: (\S+)$", output, re.MULTILINE).group(1)
    assert "Log in at http://127.0.0.1:8000/admin/" in output
    assert "Username: demo" in output
    user = get_user_model().objects.get(username="demo")
    assert (user.is_staff, user.is_superuser) == (True, False)
    assert user.has_perm("stops.change_lodging")
    assert user.has_perm("participants.delete_bedassignment")
    assert list(user.coordinated_journeys.values_list("slug", flat=True)) == [DEMO_SLUG]
    assert client.login(username="demo", password=password)
    assert client.get("/admin/").status_code == 200


def test_the_command_sets_the_given_password_on_an_existing_user(db, client):
    UserFactory(username="demo", is_staff=False)

    output = run("--coordinator", "demo", "--password", "caravana-2027")

    assert "Password: caravana-2027" in output
    assert client.login(username="demo", password="caravana-2027")
    assert get_user_model().objects.get(username="demo").is_staff


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--password", "x"), "--password needs --coordinator."),
        (
            ("--coordinator", "root"),
            "root is a superuser; choose another name for the demo coordinator.",
        ),
    ],
)
def test_the_command_refuses(db, args, message):
    UserFactory(username="root", is_superuser=True)

    with pytest.raises(CommandError) as error:
        run(*args)

    assert str(error.value) == message
    assert not Journey.objects.filter(slug=DEMO_SLUG).exists()


def test_the_send_off_rally_takes_rsvps_with_a_waiting_list(demo):
    rally = Activity.objects.get(stop__journey=demo, title="Send-off rally")

    assert rally.capacity == 8
    assert sorted(rally.rsvps.values_list("status", "party_size")) == [
        ("confirmed", 1),
        ("confirmed", 2),
        ("confirmed", 4),
        ("waitlisted", 5),
    ]
