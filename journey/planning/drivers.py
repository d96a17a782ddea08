"""Who drives which leg, within the hours-of-service limits (CP-SAT).

``propose_drivers(schedule, vehicles=..., drivers=...)`` gives every leg of the schedule, for
every vehicle of the route, a driver (two or more on a leg longer than the daily driving
limit, who share it) so that, in each duty period, nobody drives more than
``MAX_DRIVING_MINUTES`` or is on duty (first departure to last arrival) more than
``MAX_DUTY_MINUTES``, and duty periods are at least ``MIN_OFF_DUTY_MINUTES`` apart: the rules
``journey.checks.check_driver_hours`` applies to the seat assignments.

Duty periods: consecutive legs less than ``MIN_OFF_DUTY_MINUTES`` apart belong to the same
period for everyone (usually one day); a driver's legs in one period count together even if
the driver rests long in between (stricter than the check, never looser).

When the team is too small, the model adds stand-in drivers to each vehicle at a high cost;
the plan then says how many more drivers each vehicle needs and which legs they would drive.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ortools.sat.python import cp_model

from journey.checks import MAX_DRIVING_MINUTES, MAX_DUTY_MINUTES, MIN_OFF_DUTY_MINUTES
from journey.formatting import format_duration, format_local
from journey.planning.data import Flag, FlagKind, minutes
from journey.planning.schedule import Schedule, ScheduledLeg

DEFAULT_TIME_LIMIT = 3.0
_STAND_IN_COST = 1_000_000  # per stand-in driver: far above any balance of hours
_BALANCE_GAP_MINUTES = 60


@dataclass(frozen=True)
class VehicleInfo:
    id: int
    name: str


@dataclass(frozen=True)
class DriverInfo:
    """A participant who may drive.

    ``vehicle_ids``: the vehicles the person is seated on as a driver (empty: any vehicle of
    the route). ``joins_at`` / ``leaves_at``: stop ids where the person joins and leaves the
    route (None: from the start, to the end)."""

    id: int
    name: str
    vehicle_ids: frozenset[int] = frozenset()
    joins_at: int | None = None
    leaves_at: int | None = None


@dataclass(frozen=True)
class LegDrivers:
    leg_index: int
    vehicle_id: int
    driver_ids: tuple[int, ...]
    missing: int  # drivers still needed on this leg

    @property
    def covered(self) -> bool:
        return self.missing == 0


@dataclass(frozen=True)
class DutyPeriod:
    """One driver's legs in one duty period."""

    driver_id: int
    name: str
    start: datetime
    end: datetime
    driving_minutes: int
    leg_indexes: tuple[int, ...]

    @property
    def duty_minutes(self) -> int:
        return minutes(self.end - self.start)


@dataclass(frozen=True)
class DriverPlan:
    assignments: tuple[LegDrivers, ...]
    duties: tuple[DutyPeriod, ...]
    missing_drivers: dict[int, int]  # vehicle id -> drivers to add
    flags: tuple[Flag, ...]

    @property
    def fits(self) -> bool:
        return not self.flags

    def drivers_of(self, leg_index: int, vehicle_id: int) -> tuple[int, ...]:
        for assignment in self.assignments:
            if assignment.leg_index == leg_index and assignment.vehicle_id == vehicle_id:
                return assignment.driver_ids
        return ()


def duty_blocks(legs) -> list[list[int]]:
    """Leg indexes grouped into duty periods: a gap of ``MIN_OFF_DUTY_MINUTES`` starts a new one."""
    blocks: list[list[int]] = []
    for leg in legs:
        if blocks and minutes(leg.departure - legs[blocks[-1][-1]].arrival) < MIN_OFF_DUTY_MINUTES:
            blocks[-1].append(leg.index)
        else:
            blocks.append([leg.index])
    return blocks


def propose_drivers(
    schedule: Schedule,
    *,
    vehicles,
    drivers,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> DriverPlan:
    """A driver for every vehicle on every leg of ``schedule``, or how many are missing."""
    legs = schedule.legs
    if not legs:
        return DriverPlan((), (), {}, ())
    vehicles = list(vehicles)
    if not vehicles:
        return DriverPlan(
            (),
            (),
            {},
            (
                Flag(
                    FlagKind.NO_VEHICLE,
                    _("The route has no vehicle: add one to plan who drives."),
                ),
            ),
        )
    return _Assignment(schedule, vehicles, list(drivers), time_limit).solve()


class _Assignment:
    def __init__(self, schedule: Schedule, vehicles, drivers, time_limit: float):
        self.schedule = schedule
        self.legs: tuple[ScheduledLeg, ...] = schedule.legs
        self.vehicles: list[VehicleInfo] = vehicles
        self.drivers: list[DriverInfo] = drivers
        self.time_limit = time_limit
        self.blocks = duty_blocks(self.legs)
        self.need = [
            math.ceil(leg.driving_minutes / MAX_DRIVING_MINUTES) if leg.driving_minutes else 0
            for leg in self.legs
        ]
        # Each driver's share of a leg (minutes, rounded up).
        self.share = [
            -(-leg.driving_minutes // need) if need else 0
            for leg, need in zip(self.legs, self.need, strict=True)
        ]

    def _eligible_legs(self, driver: DriverInfo) -> range:
        position = {stop_id: i for i, stop_id in enumerate(self.schedule.stop_ids)}
        first = position.get(driver.joins_at, 0) if driver.joins_at else 0
        last = (
            position.get(driver.leaves_at, len(position) - 1)
            if driver.leaves_at
            else len(position) - 1
        )
        return range(first, last)  # leg i joins stops i and i + 1

    def _too_long_pairs(self, block: list[int]) -> list[tuple[int, int]]:
        """Pairs of legs of a block that no one can drive both of (duty over the limit)."""
        pairs = []
        for a_pos, a in enumerate(block):
            for b in block[a_pos + 1 :]:
                if minutes(self.legs[b].arrival - self.legs[a].departure) > MAX_DUTY_MINUTES:
                    pairs.append((a, b))
        return pairs

    def solve(self) -> DriverPlan:
        model = cp_model.CpModel()
        vehicle_ids = [v.id for v in self.vehicles]
        # x[(person, vehicle, leg)]; a person is ("d", driver id) or ("s", vehicle, number).
        x: dict[tuple, cp_model.IntVar] = {}
        people: list[tuple] = []
        for driver in self.drivers:
            person = ("d", driver.id)
            people.append(person)
            allowed = [v for v in vehicle_ids if not driver.vehicle_ids or v in driver.vehicle_ids]
            for leg in self._eligible_legs(driver):
                for vehicle in allowed:
                    x[(person, vehicle, leg)] = model.new_bool_var("")
        stand_in_count = max(1, max(sum(self.need[leg] for leg in block) for block in self.blocks))
        used = {}
        for vehicle in vehicle_ids:
            previous = None
            for number in range(stand_in_count):
                person = ("s", vehicle, number)
                people.append(person)
                used[person] = model.new_bool_var("")
                if previous is not None:  # fill stand-ins in order (fewer symmetric solutions)
                    model.add_implication(used[person], used[previous])
                previous = person
                for leg in range(len(self.legs)):
                    var = model.new_bool_var("")
                    x[(person, vehicle, leg)] = var
                    model.add_implication(var, used[person])

        by_leg = defaultdict(list)  # (vehicle, leg) -> vars
        by_person_leg = defaultdict(list)  # (person, leg) -> vars
        for (person, vehicle, leg), var in x.items():
            by_leg[(vehicle, leg)].append(var)
            by_person_leg[(person, leg)].append(var)
        for vehicle in vehicle_ids:
            for leg in range(len(self.legs)):
                model.add(sum(by_leg[(vehicle, leg)]) == self.need[leg])
        for person_leg_vars in by_person_leg.values():
            model.add_at_most_one(person_leg_vars)

        totals = []
        for person in people:
            for block in self.blocks:
                driven = [
                    self.share[leg] * var
                    for leg in block
                    for var in by_person_leg.get((person, leg), [])
                ]
                if driven:
                    model.add(sum(driven) <= MAX_DRIVING_MINUTES)
                for a, b in self._too_long_pairs(block):
                    pair = by_person_leg.get((person, a), []) + by_person_leg.get((person, b), [])
                    if len(pair) > 1:
                        model.add(sum(pair) <= 1)
            if person[0] == "d":
                totals.append(
                    sum(
                        self.share[leg] * var
                        for leg in range(len(self.legs))
                        for var in by_person_leg.get((person, leg), [])
                    )
                )
        most = model.new_int_var(0, sum(self.share) + 1, "most")
        for total in totals:
            model.add(most >= total)
        model.minimize(_STAND_IN_COST * sum(used.values()) + most)

        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = self.time_limit
        # Stop once the busiest driver is proven within an hour of the best possible balance.
        solver.parameters.absolute_gap_limit = _BALANCE_GAP_MINUTES
        solver.parameters.num_workers = 1
        # The LP relaxation bounds the busiest driver's hours: proofs take milliseconds.
        solver.parameters.linearization_level = 2
        solver.parameters.random_seed = 0
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return DriverPlan(
                (),
                (),
                {},
                (
                    Flag(
                        FlagKind.TEAM_TOO_SMALL,
                        _("No driver plan was found in %(seconds)s seconds.")
                        % {"seconds": f"{self.time_limit:g}"},
                    ),
                ),
            )
        chosen = {key for key, var in x.items() if solver.value(var)}
        return self._plan(chosen)

    def _plan(self, chosen: set[tuple]) -> DriverPlan:
        names = {driver.id: driver.name for driver in self.drivers}
        assignments = []
        stand_in_legs = defaultdict(list)  # vehicle -> legs needing a stand-in
        stand_ins = defaultdict(set)
        for vehicle in self.vehicles:
            for leg in range(len(self.legs)):
                real = tuple(
                    sorted(
                        person[1]
                        for person, v, index in chosen
                        if v == vehicle.id and index == leg and person[0] == "d"
                    )
                )
                missing = self.need[leg] - len(real)
                for person, v, index in chosen:
                    if v == vehicle.id and index == leg and person[0] == "s":
                        stand_ins[vehicle.id].add(person)
                if missing:
                    stand_in_legs[vehicle.id].append(leg)
                assignments.append(LegDrivers(leg, vehicle.id, real, missing))

        duties = []
        for driver in self.drivers:
            for block in self.blocks:
                driven = [
                    leg
                    for leg in block
                    if any(p == ("d", driver.id) and i == leg for p, _v, i in chosen)
                ]
                if driven:
                    duties.append(
                        DutyPeriod(
                            driver_id=driver.id,
                            name=names[driver.id],
                            start=self.legs[driven[0]].departure,
                            end=self.legs[driven[-1]].arrival,
                            driving_minutes=sum(self.share[leg] for leg in driven),
                            leg_indexes=tuple(driven),
                        )
                    )

        flags = []
        for leg in self.legs:
            if leg.total_minutes > MAX_DUTY_MINUTES:
                flags.append(
                    Flag(
                        FlagKind.LEG_TOO_LONG,
                        _(
                            "%(origin)s → %(destination)s takes %(time)s: longer than a "
                            "%(limit)s duty day even for a team of drivers."
                        )
                        % {
                            "origin": leg.origin.name,
                            "destination": leg.destination.name,
                            "time": format_duration(leg.total_minutes),
                            "limit": format_duration(MAX_DUTY_MINUTES),
                        },
                        leg_index=leg.index,
                    )
                )
        missing_drivers = {}
        for vehicle in self.vehicles:
            count = len(stand_ins[vehicle.id])
            if not count:
                continue
            missing_drivers[vehicle.id] = count
            legs = stand_in_legs[vehicle.id]
            shown = ", ".join(
                _("%(origin)s → %(destination)s (%(when)s)")
                % {
                    "origin": self.legs[leg].origin.name,
                    "destination": self.legs[leg].destination.name,
                    "when": format_local(self.legs[leg].departure, self.legs[leg].origin.tzinfo),
                }
                for leg in legs[:5]
            )
            if len(legs) > 5:
                shown += _(" and %(n)d more") % {"n": len(legs) - 5}
            flags.append(
                Flag(
                    FlagKind.TEAM_TOO_SMALL,
                    ngettext(
                        "%(vehicle)s needs %(n)d more driver to stay within the hours of "
                        "service; legs without a driver: %(legs)s.",
                        "%(vehicle)s needs %(n)d more drivers to stay within the hours of "
                        "service; legs without a driver: %(legs)s.",
                        count,
                    )
                    % {"vehicle": vehicle.name, "n": count, "legs": shown},
                    vehicle_id=vehicle.id,
                )
            )
        return DriverPlan(tuple(assignments), tuple(duties), missing_drivers, tuple(flags))
