"""The itinerary as plain data: what each audience gets, built in a fixed number of queries.

``build_scenario`` is imported by the feed, calendar and export-command tests too.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import cycle

import pytest
import time_machine

from journey.itinerary import (
    Audience,
    EntryKind,
    NeedCount,
    build_itinerary,
    host_day_sheet,
    manifest,
    rooming_list,
)
from journey.plan import load_plan
from journey.services import append_stop
from tests.factories import (
    PLACES,
    ActivityFactory,
    BedAssignmentFactory,
    JourneyFactory,
    LodgingFactory,
    ParticipantFactory,
    RouteFactory,
    SeatAssignmentFactory,
    StopFactory,
    UserFactory,
    VehicleFactory,
    local,
)

PT, MT, MTN, CT = "America/Los_Angeles", "America/Phoenix", "America/Denver", "America/Chicago"
CREATED = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
# load_plan (5), then on first use the lodgings, participants, vehicles and seats (4), the
# personal itinerary's own beds (1), for the rooming list every bed (1), and the meals (1).
PLAN_QUERIES = 12

# Values that must never reach a public feed (searched for in the raw bytes).
PRIVATE = {
    "lodging name": "Sanctuary Hall",
    "lodging address": "417 Quiet Alley",
    "rider name": "Xiomara",
    "rider full name": "Xiomara Quetzal Ruiz",
    "rider phone": "+1 555 0199",
    "driver name": "Dagoberto",
    "coordinator name": "Yolotl",
    "coordinator phone": "+1 555 0100",
    "emergency contact": "Rosalind Ruiz",
    "stop private note": "GATE-CODE-4471",
    "activity private note": "BRING-PAPERS-9",
    "private activity": "Closed meeting with counsel",
    "non-public stop": "San Antonio",
    "cancelled stop": "Tucson",
    "vehicle": "Bus Aztlan",
    "plate": "CRV-0042",
    "parking address": "12 Depot Yard",
}


@dataclass
class Scenario:
    """Los Angeles → Phoenix → (Tucson, cancelled) → El Paso → (San Antonio, not public)
    → Houston, across the 2026-03-08 DST change, one bus.

    Xiomara (Spanish) rides Phoenix → El Paso; Dagoberto drives and Beto rides
    the whole way; Yolotl coordinates from home.
    """

    journey: object
    route: object
    stops: dict
    lodgings: dict
    activities: dict
    bus: object
    rider: object
    driver: object
    beto: object
    coordinator: object
    coordinator_user: object


def build_scenario(*, published=True) -> Scenario:
    with time_machine.travel(CREATED, tick=False):
        journey = JourneyFactory(
            name="TPS Journey",
            slug="tps-journey",
            home_timezone=PT,
            is_published=published,
        )
        route = RouteFactory(journey=journey, name="Main")
        coordinator_user = UserFactory(username="coordinator")
        journey.coordinators.add(coordinator_user)

        def stop(city, arrival, departure, **fields):
            made = StopFactory(
                journey=journey, city=city, arrival=arrival, departure=departure, **fields
            )
            append_stop(route=route, stop=made)
            return made

        stops = {
            "la": stop(
                "Los Angeles", local(PT, 2026, 3, 1, 8), local(PT, 2026, 3, 1, 9), kind="rally"
            ),
            "phoenix": stop(
                "Phoenix",
                local(MT, 2026, 3, 1, 20, 30),
                local(MT, 2026, 3, 2, 9),
                venue="Wesley Bolin Plaza",
                address=PRIVATE["parking address"],
                private_notes=PRIVATE["stop private note"],
                public_notes="Bring water.",
            ),
            "tucson": stop(
                "Tucson",
                local(MT, 2026, 3, 2, 11),
                local(MT, 2026, 3, 2, 12),
                kind="rest",
                status="cancelled",
            ),
            "el_paso": stop("El Paso", local(MTN, 2026, 3, 2, 18), local(MTN, 2026, 3, 3, 8)),
            "san_antonio": stop(
                "San Antonio",
                local(CT, 2026, 3, 6, 12),
                local(CT, 2026, 3, 6, 13),
                kind="rest",
                is_public=False,
            ),
            "houston": stop("Houston", local(CT, 2026, 3, 7, 10), local(CT, 2026, 3, 8, 10)),
        }
        lodgings = {
            "phoenix": LodgingFactory(
                stop=stops["phoenix"],
                name=PRIVATE["lodging name"],
                address=PRIVATE["lodging address"],
            ),
            "el_paso": LodgingFactory(
                stop=stops["el_paso"], name="Casa Anunciacion", address="325 Leon St"
            ),
            "houston": LodgingFactory(
                stop=stops["houston"], name="Bayou Fellowship", address="5 Canal St"
            ),
        }
        activities = {
            "vigil": ActivityFactory(
                stop=stops["phoenix"],
                kind="vigil",
                title="Vigil at the Capitol",
                is_public=True,
                starts_at=local(MT, 2026, 3, 1, 21, 30),
                ends_at=local(MT, 2026, 3, 1, 22, 30),
                venue="Capitol lawn",
                private_notes=PRIVATE["activity private note"],
            ),
            "counsel": ActivityFactory(
                stop=stops["phoenix"],
                kind="meeting",
                title=PRIVATE["private activity"],
                is_public=False,
                starts_at=local(MT, 2026, 3, 2, 7),
                ends_at=local(MT, 2026, 3, 2, 8),
            ),
            "rally": ActivityFactory(
                stop=stops["houston"],
                kind="rally",
                title="Rally at City Hall",
                is_public=True,
                starts_at=local(CT, 2026, 3, 8, 9),
                ends_at=local(CT, 2026, 3, 8, 9, 45),
                venue="City Hall",
                address="901 Bagby St",
            ),
        }
        bus = VehicleFactory(
            journey=journey, route=route, name=PRIVATE["vehicle"], plate=PRIVATE["plate"]
        )
        coordinator = ParticipantFactory(
            journey=journey,
            display_name=PRIVATE["coordinator name"],
            role="coordinator",
            phone=PRIVATE["coordinator phone"],
            language="en",
        )
        driver = ParticipantFactory(
            journey=journey, route=route, display_name=PRIVATE["driver name"], role="driver"
        )
        beto = ParticipantFactory(
            journey=journey,
            route=route,
            display_name="Beto",
            language="en",
            accessibility_needs="wheelchair",
        )
        rider = ParticipantFactory(
            journey=journey,
            route=route,
            display_name=PRIVATE["rider name"],
            full_name=PRIVATE["rider full name"],
            phone=PRIVATE["rider phone"],
            emergency_contact_name=PRIVATE["emergency contact"],
            emergency_contact_phone="+1 555 0198",
            dietary_needs="vegetarian",
            language="es",
            join_stop=stops["phoenix"],
            leave_stop=stops["el_paso"],
        )
        for person, start, end in (
            (driver, "la", "houston"),
            (beto, "la", "houston"),
            (rider, "phoenix", "el_paso"),
        ):
            SeatAssignmentFactory(
                participant=person,
                vehicle=bus,
                from_stop=stops[start],
                to_stop=stops[end],
                is_driver=person is driver,
            )
        for person in (driver, beto, rider):
            for key in ("phoenix", "el_paso", "houston"):
                if person is rider and key == "houston":
                    continue
                BedAssignmentFactory(
                    participant=person, lodging=lodgings[key], night=stops[key].nights[0]
                )
    return Scenario(
        journey,
        route,
        stops,
        lodgings,
        activities,
        bus,
        rider,
        driver,
        beto,
        coordinator,
        coordinator_user,
    )


def grow_route(journey, route, count: int):
    """Add ``count`` stops a day apart after the journey's stops, cycling through PLACES."""
    cities = cycle(PLACES)
    for day in range(count):
        city = next(cities)
        made = StopFactory(
            journey=journey,
            city=city,
            arrival=datetime(2026, 4, 1, 17, tzinfo=UTC) + timedelta(days=day),
            departure=datetime(2026, 4, 2, 15, tzinfo=UTC) + timedelta(days=day),
        )
        append_stop(route=route, stop=made)
        LodgingFactory(stop=made)
        ActivityFactory(stop=made, is_public=True)


@pytest.fixture
def scenario(db):
    return build_scenario()


def names(items):
    return [item.place_name for item in items]


def leg_names(legs):
    return [(leg.origin.city, leg.destination.city) for leg in legs]


# --- audiences --------------------------------------------------------------------


def test_public_itinerary_holds_only_public_things(scenario):
    itinerary = build_itinerary(load_plan(scenario.journey), audience=Audience.PUBLIC)

    assert names(itinerary.stops) == [
        "Los Angeles, CA",
        "Phoenix, AZ",
        "El Paso, TX",
        "Houston, TX",
    ]
    assert leg_names(itinerary.legs) == [("Los Angeles", "Phoenix"), ("Phoenix", "El Paso")]
    assert [a.title for a in itinerary.activities] == ["Vigil at the Capitol", "Rally at City Hall"]
    assert (itinerary.lodgings, itinerary.nights, itinerary.vehicles, itinerary.contacts) == (
        (),
        (),
        (),
        (),
    )
    assert [leg.vehicles for leg in itinerary.legs] == [(), ()]
    assert [s.address for s in itinerary.stops] == ["", "", "", ""]
    assert [s.private_notes for s in itinerary.stops] == ["", "", "", ""]
    assert [s.lodgings for s in itinerary.stops] == [(), (), (), ()]
    assert [a.private_notes for a in itinerary.activities] == ["", ""]
    assert itinerary.participant is None


def test_public_itinerary_of_an_unpublished_journey_is_empty(db):
    scenario = build_scenario(published=False)

    itinerary = build_itinerary(load_plan(scenario.journey), audience=Audience.PUBLIC)

    assert (itinerary.stops, itinerary.legs, itinerary.activities, itinerary.days) == (
        (),
        (),
        (),
        (),
    )
    assert (itinerary.first_date, itinerary.last_date, itinerary.timezones) == (None, None, ())


def test_team_itinerary_holds_everything(scenario):
    itinerary = build_itinerary(load_plan(scenario.journey), audience=Audience.TEAM)

    assert [(s.city, s.is_cancelled) for s in itinerary.stops] == [
        ("Los Angeles", False),
        ("Phoenix", False),
        ("Tucson", True),
        ("El Paso", False),
        ("San Antonio", False),
        ("Houston", False),
    ]
    assert leg_names(itinerary.legs) == [
        ("Los Angeles", "Phoenix"),
        ("Phoenix", "El Paso"),
        ("El Paso", "San Antonio"),
        ("San Antonio", "Houston"),
    ]
    assert [
        [(v.vehicle.name, v.drivers, v.passengers) for v in leg.vehicles] for leg in itinerary.legs
    ] == [
        [("Bus Aztlan", ("Dagoberto",), 1)],
        [("Bus Aztlan", ("Dagoberto",), 2)],
        [("Bus Aztlan", ("Dagoberto",), 1)],
        [("Bus Aztlan", ("Dagoberto",), 1)],
    ]
    assert len(itinerary.activities) == 3
    assert [lo.name for lo in itinerary.lodgings] == [
        "Sanctuary Hall",
        "Casa Anunciacion",
        "Bayou Fellowship",
    ]
    assert [(n.date, n.stop.city, n.headcount) for n in itinerary.nights] == [
        (date(2026, 3, 1), "Phoenix", 3),
        (date(2026, 3, 2), "El Paso", 3),
        (date(2026, 3, 7), "Houston", 2),
    ]
    assert itinerary.stops[1].private_notes == "GATE-CODE-4471"
    assert [(c.name, c.phone) for c in itinerary.contacts] == [("Yolotl", "+1 555 0100")]
    assert itinerary.timezones == (CT, MTN, PT, MT)


def test_personal_itinerary_covers_only_the_segment(scenario):
    plan = load_plan(scenario.journey)

    itinerary = build_itinerary(plan, audience=Audience.PERSONAL, participant=scenario.rider)

    assert names(itinerary.stops) == ["Phoenix, AZ", "El Paso, TX"]
    assert leg_names(itinerary.legs) == [("Phoenix", "El Paso")]
    assert [(v.vehicle.name, v.vehicle.plate, v.drivers) for v in itinerary.legs[0].vehicles] == [
        ("Bus Aztlan", "CRV-0042", ("Dagoberto",))
    ]
    assert [a.title for a in itinerary.activities] == [
        "Vigil at the Capitol",
        "Closed meeting with counsel",
    ]
    assert [a.private_notes for a in itinerary.activities] == ["", ""]
    assert [(n.date, n.bed.name, n.bed.address) for n in itinerary.nights] == [
        (date(2026, 3, 1), "Sanctuary Hall", "417 Quiet Alley"),
        (date(2026, 3, 2), "Casa Anunciacion", "325 Leon St"),
    ]
    assert [s.private_notes for s in itinerary.stops] == ["", ""]
    assert itinerary.language == "es"
    assert itinerary.timezones == (MTN, MT)
    assert (itinerary.first_date, itinerary.last_date) == (date(2026, 3, 1), date(2026, 3, 3))


def test_personal_night_without_a_bed_says_so(scenario):
    scenario.rider.beds.filter(night=date(2026, 3, 2)).delete()

    itinerary = build_itinerary(
        load_plan(scenario.journey), audience=Audience.PERSONAL, participant=scenario.rider
    )

    assert [(n.date, n.bed) for n in itinerary.nights][1] == (date(2026, 3, 2), None)
    assert [lo.name for lo in itinerary.lodgings] == ["Sanctuary Hall"]


def test_personal_itinerary_of_someone_who_does_not_ride(scenario):
    itinerary = build_itinerary(
        load_plan(scenario.journey), audience=Audience.PERSONAL, participant=scenario.coordinator
    )

    assert (itinerary.stops, itinerary.legs, itinerary.nights) == ((), (), ())
    assert [c.name for c in itinerary.contacts] == ["Yolotl"]


def test_personal_needs_a_participant_of_the_journey(scenario):
    plan = load_plan(scenario.journey)
    stranger = ParticipantFactory(display_name="Stranger")

    with pytest.raises(ValueError, match="needs a participant"):
        build_itinerary(plan, audience=Audience.PERSONAL)
    with pytest.raises(ValueError, match="another journey"):
        build_itinerary(plan, audience=Audience.PERSONAL, participant=stranger)


# --- times and days ------------------------------------------------------------------


def test_times_are_in_each_stops_zone(scenario):
    itinerary = build_itinerary(load_plan(scenario.journey), audience=Audience.TEAM)
    houston = itinerary.stops[-1]
    leg = itinerary.legs[0]

    assert (houston.arrival.isoformat(), houston.departure.isoformat()) == (
        "2026-03-07T10:00:00-06:00",
        "2026-03-08T10:00:00-05:00",
    )
    assert (leg.departure.isoformat(), leg.arrival.isoformat()) == (
        "2026-03-01T09:00:00-08:00",
        "2026-03-01T20:30:00-07:00",
    )


def test_days_group_items_by_their_own_local_date(scenario):
    itinerary = build_itinerary(
        load_plan(scenario.journey), audience=Audience.PERSONAL, participant=scenario.rider
    )

    assert [
        (day.date, [(e.kind, getattr(e.item, "title", "")) for e in day.entries])
        for day in itinerary.days
    ] == [
        (
            date(2026, 3, 1),
            [
                (EntryKind.ARRIVAL, ""),
                (EntryKind.ACTIVITY, "Vigil at the Capitol"),
                (EntryKind.NIGHT, ""),
            ],
        ),
        (
            date(2026, 3, 2),
            [
                (EntryKind.ACTIVITY, "Closed meeting with counsel"),
                (EntryKind.DEPARTURE, ""),
                (EntryKind.ARRIVAL, ""),
                (EntryKind.NIGHT, ""),
            ],
        ),
    ]


# --- host, rooming list, manifest ---------------------------------------------------------


def test_host_day_sheet_counts_people_and_needs_without_names(scenario):
    sheet = host_day_sheet(load_plan(scenario.journey), scenario.stops["phoenix"])

    assert [(n.date, n.headcount) for n in sheet.nights] == [(date(2026, 3, 1), 3)]
    assert sheet.nights[0].dietary_needs == (NeedCount("vegetarian", 1),)
    assert sheet.nights[0].accessibility_needs == (NeedCount("wheelchair", 1),)
    assert leg_names(sheet.incoming) == [("Los Angeles", "Phoenix")]
    assert leg_names(sheet.outgoing) == [("Phoenix", "El Paso")]
    assert sheet.stop.private_notes == ""
    assert [lo.address for lo in sheet.lodgings] == ["417 Quiet Alley"]


def test_rooming_list_names_sleepers_per_lodging_and_night(scenario):
    rows = rooming_list(load_plan(scenario.journey))

    assert [(r.night, r.lodging.name, [p.display_name for p in r.sleepers]) for r in rows] == [
        (date(2026, 3, 1), "Sanctuary Hall", ["Beto", "Dagoberto", "Xiomara"]),
        (date(2026, 3, 2), "Casa Anunciacion", ["Beto", "Dagoberto", "Xiomara"]),
        (date(2026, 3, 7), "Bayou Fellowship", ["Beto", "Dagoberto"]),
    ]


def test_manifest_lists_drivers_and_passengers_per_vehicle_and_leg(scenario):
    rows = manifest(load_plan(scenario.journey), stop_id=scenario.stops["el_paso"].pk)

    assert [
        (
            r.vehicle.name,
            r.leg.origin.city,
            [p.display_name for p in r.drivers],
            [(p.display_name, p.emergency_contact_name) for p in r.passengers],
        )
        for r in rows
    ] == [
        ("Bus Aztlan", "Phoenix", ["Dagoberto"], [("Beto", ""), ("Xiomara", "Rosalind Ruiz")]),
        ("Bus Aztlan", "El Paso", ["Dagoberto"], [("Beto", "")]),
    ]


# --- cost ----------------------------------------------------------------------------


@pytest.mark.parametrize("extra_stops", [0, 9])
def test_building_every_audience_costs_only_the_plans_queries(
    scenario, extra_stops, django_assert_num_queries
):
    grow_route(scenario.journey, scenario.route, extra_stops)

    with django_assert_num_queries(PLAN_QUERIES):
        plan = load_plan(scenario.journey)
        for audience in (Audience.PUBLIC, Audience.TEAM):
            build_itinerary(plan, audience=audience)
        build_itinerary(plan, audience=Audience.PERSONAL, participant=scenario.rider)
        rooming_list(plan)
        manifest(plan)
        host_day_sheet(plan, scenario.stops["houston"])
