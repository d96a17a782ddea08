from dataclasses import dataclass

import pytest

from tests.factories import (
    ParticipantFactory,
    SeatAssignmentFactory,
    VehicleFactory,
    local,
)

PT, MT, CT = "America/Los_Angeles", "America/Phoenix", "America/Chicago"
DENVER = "America/Denver"


@dataclass
class Southwest:
    """Los Angeles to New Orleans with Tucson and Phoenix swapped in the current order."""

    journey: object
    route: object
    stops: dict
    bus: object
    driver: object


@pytest.fixture
def southwest_route(journey, route, add_stop):
    stops = {}
    for city, arrival, departure in [
        ("Los Angeles", local(PT, 2026, 3, 1, 7), local(PT, 2026, 3, 1, 8)),
        ("Tucson", local(MT, 2026, 3, 1, 17), local(MT, 2026, 3, 2, 8)),
        ("Phoenix", local(MT, 2026, 3, 2, 11), local(MT, 2026, 3, 3, 8)),
        ("El Paso", local(DENVER, 2026, 3, 3, 15), local(DENVER, 2026, 3, 4, 8)),
        ("San Antonio", local(CT, 2026, 3, 4, 18), local(CT, 2026, 3, 5, 8)),
        ("Houston", local(CT, 2026, 3, 5, 12), local(CT, 2026, 3, 6, 8)),
        ("New Orleans", local(CT, 2026, 3, 6, 15), local(CT, 2026, 3, 7, 9)),
    ]:
        stops[city] = add_stop(route, city, arrival, departure)
    bus = VehicleFactory(journey=journey, route=route, name="Bus 1")
    driver = ParticipantFactory(journey=journey, route=route, display_name="Ana", role="driver")
    SeatAssignmentFactory(
        participant=driver,
        vehicle=bus,
        from_stop=stops["Los Angeles"],
        to_stop=stops["New Orleans"],
        is_driver=True,
    )
    return Southwest(journey, route, stops, bus, driver)
