"""python manage.py plan_route: the printed proposal, --accept, and bad arguments."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from journey.models import RouteStop
from participants.models import SeatAssignment
from tests.factories import local

LIMIT = "0.3"


def plan(*args):
    out = StringIO()
    call_command("plan_route", *args, "--time-limit", LIMIT, stdout=out, no_color=True)
    return out.getvalue().splitlines()


def section(lines, title):
    """The lines under a heading, up to the next blank line."""
    start = lines.index(title) + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def route_cities(route):
    return list(
        RouteStop.objects.filter(route=route)
        .order_by("position")
        .values_list("stop__city", flat=True)
    )


def test_the_proposal_is_printed_next_to_the_current_plan(southwest_route):
    lines = plan("tps-journey")

    assert lines[0] == "Route “Main” of TPS Journey: 7 stops."
    order = [line for line in section(lines, "Order") if "Time searched" not in line]
    assert order == [
        "  Current plan:  2,092 mi, 32 h 04 min of driving",
        "  Proposed plan: 1,913 mi, 29 h 20 min of driving (179 mi and 2 h 44 min less)",
        "  Stops that move:",
        "    Tucson, AZ: 2 → 3",
        "    Phoenix, AZ: 3 → 2",
    ]
    assert section(lines, "Schedule of the proposed order")[:5] == [
        "  Day 1, Mar 1, 08:00 PST: Los Angeles, CA → Phoenix, AZ, 6 h 02 min of driving",
        "    Mar 1, 08:00 PST Los Angeles, CA → Mar 1, 15:32 MST Phoenix, AZ "
        "(393 mi, 6 h 02 min + 30 min of breaks)",
        "    1 night in Phoenix, AZ, leaving Mar 2, 08:00 MST",
        "  Day 2, Mar 2, 08:00 MST: Phoenix, AZ → Tucson, AZ, 1 h 47 min of driving",
        "    Mar 2, 08:00 MST Phoenix, AZ → Mar 2, 09:47 MST Tucson, AZ (117 mi, 1 h 47 min)",
    ]
    assert section(lines, "Drivers")[:3] == [
        "  Bus 1",
        "    Mar 1, 08:00 PST Los Angeles, CA → Phoenix, AZ: Ana",
        "    Mar 2, 08:00 MST Phoenix, AZ → Tucson, AZ: Ana",
    ]
    # Nothing changes without --accept.
    assert route_cities(southwest_route.route)[1:3] == ["Tucson", "Phoenix"]


def test_accept_applies_the_proposed_order(southwest_route):
    lines = plan("tps-journey", "--route", "Main", "--accept")

    assert lines[-1] == "The proposed order is now the route's order."
    assert route_cities(southwest_route.route)[1:3] == ["Phoenix", "Tucson"]


def test_a_window_shows_its_slack(southwest_route):
    phoenix = southwest_route.stops["Phoenix"]
    phoenix.latest_arrival = local("America/Phoenix", 2026, 3, 1, 17)
    phoenix.save()

    lines = plan("tps-journey")

    assert section(lines, "Order")[-2:] == [
        "  Windows:",
        "    Phoenix, AZ: arrives Mar 1, 15:32 MST; window by Mar 1, 17:00 MST; "
        "only 1 h 28 min to spare (tight)",
    ]


def test_an_impossible_window_is_explained_and_nothing_applied(southwest_route):
    houston = southwest_route.stops["Houston"]
    houston.latest_arrival = local("America/Chicago", 2026, 3, 1, 20)
    houston.save()

    lines = plan("tps-journey", "--accept")

    assert section(lines, "Order")[1:3] == [
        "  No order fits the windows and day limits:",
        "    - Houston, TX must be reached by Mar 1, 20:00 CST but the earliest possible "
        "arrival is Mar 3, 11:09 CST (driving straight from Los Angeles, CA).",
    ]
    assert "Schedule of the current order" in lines
    assert lines[-1] == "Nothing to apply: no new order is proposed."
    assert route_cities(southwest_route.route)[1:3] == ["Tucson", "Phoenix"]


def test_a_team_too_small_is_flagged(southwest_route):
    SeatAssignment.objects.filter(participant=southwest_route.driver).delete()
    southwest_route.driver.role = "rider"
    southwest_route.driver.save()

    lines = plan("tps-journey")

    drivers = section(lines, "Drivers")
    assert drivers[1] == "    Mar 1, 08:00 PST Los Angeles, CA → Phoenix, AZ: nobody"
    assert drivers[-2:] == [
        "  Driver problems:",
        "    - Bus 1 needs 1 more driver to stay within the hours of service; legs without a "
        "driver: Los Angeles, CA → Phoenix, AZ (Mar 1, 08:00 PST), Phoenix, AZ → Tucson, AZ "
        "(Mar 2, 08:00 MST), Tucson, AZ → El Paso, TX (Mar 3, 08:00 MST), El Paso, TX → "
        "San Antonio, TX (Mar 4, 08:00 MST), San Antonio, TX → Houston, TX (Mar 5, 08:00 CST) "
        "and 1 more.",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere"], "No journey has the slug “nowhere”."),
        (["tps-journey", "--route", "Side"], "The journey has no route called “Side”."),
        (
            ["tps-journey", "--time-limit", "0"],
            "The time limit must be between 0 and 3600 seconds.",
        ),
    ],
)
def test_bad_arguments_are_refused(southwest_route, args, message):
    with pytest.raises(CommandError) as error:
        call_command("plan_route", *args, stdout=StringIO())

    assert str(error.value) == message
