"""Border-zone and checkpoint flags on a route, what to prepare, the schedule check, the sheet."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from journey.border import (
    BORDER_UNPREPARED,
    Preparation,
    check_border_preparedness,
    flag_route,
    preparation_for,
    touches_border_zone,
)
from journey.kyr import LANGUAGES, know_your_rights, know_your_rights_sheet, sheet_language
from journey.models import Leg
from journey.plan import load_plan
from journey.problems import Severity
from stops.models import Stop
from tests.factories import ParticipantFactory, local

MT, CT = "America/Denver", "America/Chicago"
DENVER = {"latitude": Decimal("39.739200"), "longitude": Decimal("-104.990300"), "state": "CO"}
KANSAS_CITY = {"latitude": Decimal("39.099700"), "longitude": Decimal("-94.578600"), "state": "MO"}
SAN_DIEGO = {"latitude": Decimal("32.715700"), "longitude": Decimal("-117.161100"), "state": "CA"}

NEEDS_CONTACT = (
    "Name a legal contact on call during the drive, whom riders and drivers call if the "
    "caravan is stopped."
)
NEEDS_BRIEFING = (
    "Brief the riders on their rights before the leg (the know-your-rights sheet is in their "
    "itineraries) and agree who speaks for the group."
)


@dataclass
class Trip:
    """El Paso → San Antonio → Denver → Kansas City."""

    journey: object
    route: object
    stops: list


@pytest.fixture
def trip(journey, route, add_stop):
    stops = [
        add_stop(route, "El Paso", local(MT, 2026, 3, 1, 8), local(MT, 2026, 3, 1, 9)),
        add_stop(route, "San Antonio", local(CT, 2026, 3, 1, 21), local(CT, 2026, 3, 2, 8)),
        add_stop(route, "Denver", local(MT, 2026, 3, 3, 8), local(MT, 2026, 3, 4, 8), **DENVER),
        add_stop(
            route, "Kansas City", local(CT, 2026, 3, 4, 20), local(CT, 2026, 3, 5, 8), **KANSAS_CITY
        ),
    ]
    flag_route(route=route)
    return Trip(journey, route, stops)


def legs_of(route):
    return list(Leg.objects.filter(route=route).order_by("position"))


def test_stops_are_flagged_inside_the_border_zone(trip):
    flags = dict(Stop.objects.filter(journey=trip.journey).values_list("city", "in_border_zone"))

    assert flags == {"El Paso": True, "San Antonio": False, "Denver": False, "Kansas City": False}


def test_legs_are_flagged_for_the_zone_and_the_checkpoints_they_pass(trip):
    flags = [(str(leg), leg.in_border_zone, leg.checkpoints) for leg in legs_of(trip.route)]

    assert flags == [
        ("El Paso → San Antonio", True, ["tx-i10-sierra-blanca"]),
        ("San Antonio → Denver", False, []),
        ("Denver → Kansas City", False, []),
    ]


def test_flags_follow_a_stop_that_moves(trip):
    denver = trip.stops[2]
    Stop.objects.filter(pk=denver.pk).update(city="San Diego", **SAN_DIEGO)

    flag_route(route=trip.route)

    denver.refresh_from_db()
    assert denver.in_border_zone is True
    assert [leg.in_border_zone for leg in legs_of(trip.route)] == [True, True, True]


def test_flagging_an_unchanged_route_only_reads(trip, django_assert_num_queries):
    # A savepoint, the route's stops, its legs, the release: nothing is written.
    with django_assert_num_queries(4):
        flag_route(route=trip.route)


def test_an_unprepared_flagged_leg_is_a_warning_that_says_what_to_prepare(trip):
    [problem] = check_border_preparedness(load_plan(trip.journey))

    assert (problem.kind, problem.severity) == (BORDER_UNPREPARED, Severity.WARNING)
    assert problem.leg_id == legs_of(trip.route)[0].pk
    assert problem.stop_id == trip.stops[0].pk
    assert problem.message == (
        "El Paso → San Antonio is in the 100-mile border zone and passes the Sierra Blanca "
        f"checkpoint (I-10, TX). {NEEDS_CONTACT} {NEEDS_BRIEFING}"
    )


@pytest.mark.parametrize(
    ("contact", "briefed", "still_needed"),
    [
        ("Ana, 915-555-0100", False, NEEDS_BRIEFING),
        ("", True, NEEDS_CONTACT),
        ("   ", True, NEEDS_CONTACT),  # blanks are no contact
    ],
)
def test_a_half_prepared_leg_lists_only_what_is_missing(trip, contact, briefed, still_needed):
    Leg.objects.filter(route=trip.route).update(
        legal_contact_on_call=contact, riders_briefed=briefed
    )

    [problem] = check_border_preparedness(load_plan(trip.journey))

    assert problem.message.split(". ", 1)[1] == still_needed


def test_a_prepared_leg_is_not_a_problem(trip):
    Leg.objects.filter(route=trip.route).update(
        legal_contact_on_call="Ana, 915-555-0100", riders_briefed=True
    )

    assert list(check_border_preparedness(load_plan(trip.journey))) == []


def test_a_leg_only_in_the_zone_says_so(journey, route, add_stop):
    add_stop(route, "Phoenix", local(MT, 2026, 3, 1, 8), local(MT, 2026, 3, 1, 9))
    add_stop(route, "Tucson", local(MT, 2026, 3, 1, 12), local(MT, 2026, 3, 2, 9))
    flag_route(route=route)

    [problem] = check_border_preparedness(load_plan(journey))

    assert problem.message == (
        f"Phoenix → Tucson is in the 100-mile border zone. {NEEDS_CONTACT} {NEEDS_BRIEFING}"
    )


def test_preparation_for_a_flagged_leg(trip):
    leg = legs_of(trip.route)[0]
    leg.legal_contact_on_call = "Ana, 915-555-0100"

    assert preparation_for(leg) == [
        Preparation(
            "legal_contact", "Legal contact on call during the drive: Ana, 915-555-0100", True
        ),
        Preparation("riders_briefed", NEEDS_BRIEFING, False),
    ]


def test_nothing_to_prepare_for_a_leg_away_from_the_border(trip):
    assert preparation_for(legs_of(trip.route)[2]) == []


@pytest.mark.parametrize(
    ("join", "leave", "expected"),
    [
        (None, None, True),  # the whole route, from El Paso
        (1, None, False),  # from San Antonio: no stop and no leg near the border
        (0, 0, True),  # only at El Paso: a stop in the zone, no leg
    ],
)
def test_a_segment_touches_the_border_zone(trip, join, leave, expected):
    rider = ParticipantFactory(
        journey=trip.journey,
        route=trip.route,
        join_stop=None if join is None else trip.stops[join],
        leave_stop=None if leave is None else trip.stops[leave],
    )
    plan = load_plan(trip.journey)

    assert touches_border_zone(plan.segment(plan_participant(plan, rider))) is expected


def plan_participant(plan, participant):
    return next(p for p in plan.participants if p.pk == participant.pk)


# --- Know your rights ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "headings"),
    [
        (
            "en",
            "Know your rights on the road",
            [
                "Your rights with any officer",
                "At a Border Patrol checkpoint",
                "Stay safe",
                "The legal team",
            ],
        ),
        (
            "es",
            "Conozca sus derechos en el camino",
            [
                "Sus derechos ante cualquier agente",
                "En un puesto de control de la Patrulla Fronteriza",
                "Cuídese",
                "El equipo legal",
            ],
        ),
    ],
)
def test_know_your_rights_in_english_and_spanish(language, title, headings):
    assert know_your_rights_sheet(language).title == title
    assert [section.heading for section in know_your_rights(language)] == headings


def test_every_language_has_the_same_points_and_says_it_is_not_legal_advice():
    sheets = [know_your_rights_sheet(language) for language in LANGUAGES]

    assert {tuple(len(s.points) for s in sheet.sections) for sheet in sheets} == {(5, 6, 4, 4)}
    assert [sheet.notice.split(".")[0] for sheet in sheets] == [
        "General information, not legal advice",
        "Información general, no es asesoría legal",
        "Sa a se enfòmasyon jeneral, se pa konsèy legal",
    ]


def test_the_sheet_starts_with_the_right_to_remain_silent():
    assert know_your_rights("en")[0].points[0] == (
        "You have the right to remain silent. You can say: “I want to remain silent.”"
    )
    assert know_your_rights("ht")[0].points[0] == (
        "Ou gen dwa pou w rete an silans. Ou ka di: « Mwen vle rete an silans. »"
    )


@pytest.mark.parametrize(
    ("language", "given"),
    [("es-MX", "es"), ("es_US", "es"), ("ht", "ht"), ("fr", "en"), ("", "en")],
)
def test_readers_of_other_languages_get_the_closest_sheet(language, given):
    assert sheet_language(language) == given
