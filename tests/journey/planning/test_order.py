"""The proposed order against the best order found by trying every order."""

from dataclasses import replace

import pytest

from journey.planning.data import FlagKind, PlanStop, build_matrix
from journey.planning.order import propose_order
from tests.factories import local
from tests.journey.planning.cases import (
    CT,
    MT,
    activity,
    best_by_brute_force,
    names,
    plains,
    southwest,
)

# Short: small problems converge in a fraction of this.
LIMIT = 0.3


CASES = {
    "one day through the plains": plains(
        "Alpha", "Echo", "Bravo", "Golf", "Charlie", "Foxtrot", "Delta"
    ),
    "a window sends the caravan to Golf first": plains(
        "Alpha",
        "Bravo",
        "Charlie",
        "Golf",
        "Echo",
        "Delta",
        windows={"Golf": {"latest_arrival": local(CT, 2026, 3, 2, 12, 45)}},
    ),
    "an activity at Bravo in the afternoon": plains(
        "Alpha",
        "Bravo",
        "Charlie",
        "Delta",
        "Foxtrot",
        "Echo",
        windows={
            "Bravo": {
                "activities": (
                    activity("Rally", local(CT, 2026, 3, 2, 15), local(CT, 2026, 3, 2, 16)),
                )
            }
        },
    ),
    "six nights from Los Angeles to New Orleans": southwest(
        ["Los Angeles", "Houston", "Tucson", "San Antonio", "Phoenix", "El Paso", "New Orleans"]
    ),
    "Phoenix not before the second day": southwest(
        Phoenix={"earliest_arrival": local(MT, 2026, 3, 2, 8)}
    ),
}


@pytest.mark.parametrize("problem", CASES.values(), ids=CASES.keys())
def test_the_proposal_is_as_short_as_the_best_order(problem):
    matrix = build_matrix(problem)
    best_distance, _order = best_by_brute_force(problem, matrix)

    proposal = propose_order(problem, time_limit=LIMIT, matrix=matrix)

    assert proposal.proposed.fits
    assert round(proposal.proposed.distance_km, 3) == round(best_distance, 3)
    assert proposal.explanations == ()


def test_a_window_changes_the_shortest_order():
    free = propose_order(plains("Alpha", "Bravo", "Charlie", "Golf", "Echo"), time_limit=LIMIT)
    problem = plains(
        "Alpha",
        "Bravo",
        "Charlie",
        "Golf",
        "Echo",
        windows={"Charlie": {"latest_arrival": local(CT, 2026, 3, 2, 10, 50)}},
    )

    proposal = propose_order(problem, time_limit=LIMIT)

    assert names(problem, free.proposed.stop_ids) == ["Alpha", "Bravo", "Charlie", "Golf", "Echo"]
    assert names(problem, proposal.proposed.stop_ids) == [
        "Alpha",
        "Charlie",
        "Bravo",
        "Golf",
        "Echo",
    ]
    [window] = proposal.windows
    assert (window.name, window.met) == ("Charlie", True)
    assert window.arrival == local(CT, 2026, 3, 2, 10, 47)


def test_phoenix_waits_for_its_window_and_tucson_comes_first():
    problem = southwest(Phoenix={"earliest_arrival": local(MT, 2026, 3, 2, 8)})

    proposal = propose_order(problem, time_limit=LIMIT)

    assert names(problem, proposal.proposed.stop_ids) == [
        "Los Angeles",
        "Tucson",
        "Phoenix",
        "El Paso",
        "San Antonio",
        "Houston",
        "New Orleans",
    ]
    assert [(m.name, m.old_position, m.new_position) for m in proposal.moves] == [
        ("Phoenix", 2, 3),
        ("Tucson", 3, 2),
    ]
    [window] = proposal.windows
    assert window.met
    assert window.arrival.astimezone(window.earliest.tzinfo).date() == window.earliest.date()


def test_the_current_order_stays_when_it_is_already_the_shortest():
    problem = southwest()

    proposal = propose_order(problem, time_limit=LIMIT)

    assert proposal.changed is False
    assert proposal.proposed.stop_ids == proposal.current.stop_ids
    assert proposal.moves == ()
    assert proposal.distance_saved_km == 0


def test_the_comparison_shows_both_totals():
    problem = southwest(
        ["Los Angeles", "Tucson", "Phoenix", "El Paso", "San Antonio", "Houston", "New Orleans"]
    )

    proposal = propose_order(problem, time_limit=LIMIT)

    assert proposal.changed
    assert proposal.current.fits
    assert [(m.name, m.old_position, m.new_position) for m in proposal.moves] == [
        ("Tucson", 2, 3),
        ("Phoenix", 3, 2),
    ]
    assert proposal.distance_saved_km == pytest.approx(
        proposal.current.distance_km - proposal.proposed.distance_km
    )
    assert proposal.distance_saved_km > 0
    assert proposal.driving_saved_minutes == (
        proposal.current.driving_minutes - proposal.proposed.driving_minutes
    )


@pytest.mark.parametrize(
    ("hour", "tight"),
    [(12, False), (10, True)],
)
def test_a_window_with_little_slack_is_tight(hour, tight):
    # Alpha -> Bravo: 61 minutes from 09:30, so the caravan is in Bravo at 10:31.
    problem = plains(
        "Alpha",
        "Bravo",
        "Charlie",
        "Echo",
        windows={"Bravo": {"latest_arrival": local(CT, 2026, 3, 2, hour, 45)}},
    )

    proposal = propose_order(problem, time_limit=LIMIT)

    [window] = proposal.windows
    assert window.arrival == local(CT, 2026, 3, 2, 10, 31)
    assert window.slack_minutes == (hour - 10) * 60 + 14
    assert window.tight is tight


def test_an_impossible_window_is_explained():
    problem = plains(
        "Alpha",
        "Bravo",
        "Golf",
        "Echo",
        windows={"Golf": {"latest_arrival": local(CT, 2026, 3, 2, 10)}},
    )

    proposal = propose_order(problem, time_limit=LIMIT)

    assert proposal.proposed is None
    [flag] = proposal.explanations
    assert (flag.kind, flag.stop_id) == (FlagKind.WINDOW_UNREACHABLE, 3)
    assert flag.message == (
        "Golf must be reached by Mar 2, 10:00 CST but the earliest possible arrival is "
        "Mar 2, 12:27 CST (driving straight from Alpha)."
    )
    # The comparison still shows the current plan and its broken window.
    assert [w.met for w in proposal.windows] == [False]


def test_two_windows_that_exclude_each_other_are_explained():
    eleven = local(CT, 2026, 3, 2, 11)
    problem = plains(
        "Alpha",
        "Bravo",
        "Foxtrot",
        "Echo",
        windows={"Bravo": {"latest_arrival": eleven}, "Foxtrot": {"latest_arrival": eleven}},
    )

    proposal = propose_order(problem, time_limit=LIMIT)

    assert proposal.proposed is None
    assert [(f.kind, f.message) for f in proposal.explanations] == [
        (
            FlagKind.WINDOWS_CONFLICT,
            "The windows of Bravo and Foxtrot cannot both be met: whichever comes first, "
            "the other is reached too late.",
        )
    ]


def test_a_window_after_the_planned_nights_is_explained():
    problem = southwest(Houston={"earliest_arrival": local(CT, 2026, 3, 9, 8)})

    proposal = propose_order(problem, time_limit=LIMIT)

    assert proposal.proposed is None
    [flag] = proposal.explanations
    assert (flag.kind, flag.stop_id) == (FlagKind.WINDOW_UNREACHABLE, 6)
    assert flag.message == (
        "Houston cannot be reached before Mar 9, 08:00 CDT: with the planned stays (4 nights "
        "before it at most) the caravan is there by 2026-03-05. Add nights or move the window."
    )


def test_a_stop_a_day_away_from_all_others_is_explained():
    plain = plains("Alpha", "Bravo", "Charlie", "Echo")
    key_west = PlanStop(
        id=9,
        name="Key West",
        latitude=24.55,
        longitude=-81.78,
        timezone="America/New_York",
        arrival=local("America/New_York", 2026, 3, 2, 9),
        departure=local("America/New_York", 2026, 3, 2, 10),
    )
    problem = replace(plain, stops=(*plain.stops[:2], key_west, *plain.stops[2:]))

    proposal = propose_order(problem, time_limit=LIMIT)

    assert proposal.proposed is None
    [flag] = proposal.explanations
    assert (flag.kind, flag.stop_id) == (FlagKind.STOP_TOO_FAR, 9)
    assert flag.message == (
        "Key West is more than 10 h of driving from the other stops (nearest: 20 h 58 min), "
        "so no day can reach or leave it."
    )
