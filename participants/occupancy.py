"""Who occupies each leg of a vehicle: the one place seat occupancy is computed.

A seat runs from one stop to another of its vehicle's route. Given the route's stop order (the
route position of each stop) and which positions start a leg, a seat occupies the legs from its
first stop up to, not including, its last: a seat ending where another begins never shares a
leg with it. Drivers are counted apart from passengers (they take no passenger seat).

The schedule checks (journey.checks), the itineraries and the manifest (journey.itinerary), the
coordinators' seat page and the capacity check on save (participants.capacity) all ask here.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass
class Occupants:
    """The seats on one vehicle on one leg, in the order they were given."""

    seats: list = field(default_factory=list)

    @property
    def passengers(self) -> list:
        return [seat for seat in self.seats if not seat.is_driver]

    @property
    def drivers(self) -> list:
        return [seat for seat in self.seats if seat.is_driver]


def legs_ridden(
    from_position: int | None, to_position: int | None, leg_positions: Sequence[int]
) -> range:
    """Indexes of the legs between two route positions.

    ``leg_positions`` are the route positions of the stops the legs join, increasing (leg
    ``i`` joins ``leg_positions[i]`` and ``leg_positions[i + 1]``); a seat from or to a
    position between them (a cancelled stop) covers the legs it spans. Unknown ends: no leg.
    """
    if from_position is None or to_position is None:
        return range(0)
    first = bisect_left(leg_positions, from_position)
    last = bisect_right(leg_positions, to_position) - 1
    return range(first, last) if last > first else range(0)


def occupancy(
    seats: Iterable, *, positions: Mapping[int, int], leg_positions: Sequence[int]
) -> dict[tuple[int, int], Occupants]:
    """``(vehicle id, leg index) -> Occupants`` for seats of vehicles on one route.

    ``positions`` maps each stop id of the route to its position (cancelled stops too);
    ``leg_positions`` as in ``legs_ridden``.
    """
    result: dict[tuple[int, int], Occupants] = defaultdict(Occupants)
    for seat in seats:
        span = legs_ridden(
            positions.get(seat.from_stop_id), positions.get(seat.to_stop_id), leg_positions
        )
        for index in span:
            result[(seat.vehicle_id, index)].seats.append(seat)
    return result


def plan_occupancy(plan, seats: Iterable | None = None) -> dict[tuple[int, int], Occupants]:
    """``(vehicle id, leg index) -> Occupants`` over a loaded plan (journey.plan), leg
    indexes as in each route's ``RoutePlan.legs``; ``seats`` default to all of the plan's."""
    by_route = defaultdict(list)
    for seat in plan.seats if seats is None else seats:
        by_route[seat.vehicle.route_id].append(seat)
    result: dict[tuple[int, int], Occupants] = defaultdict(Occupants)
    for route_id, route_seats in by_route.items():
        route_plan = plan.route_plans.get(route_id)
        if route_plan is None:
            continue
        result.update(
            occupancy(
                route_seats,
                positions=route_plan.all_positions,
                leg_positions=route_plan.active_positions,
            )
        )
    return result


def seats_by_route_leg(plan, seats: Iterable | None = None) -> dict[tuple[int, int], list]:
    """``(route id, leg index) -> seats`` of every vehicle of the route on that leg."""
    seats = list(plan.seats if seats is None else seats)
    vehicle_routes = {seat.vehicle_id: seat.vehicle.route_id for seat in seats}
    result: dict[tuple[int, int], list] = defaultdict(list)
    for (vehicle_id, index), occupants in plan_occupancy(plan, seats).items():
        result[(vehicle_routes[vehicle_id], index)].extend(occupants.seats)
    return result
