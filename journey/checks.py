"""Schedule checks: where the plan breaks, as structured data.

``find_problems(journey)`` loads the plan once (journey.plan) and runs every
check in CHECKS over it. Each check is a plain function from a Plan to
problems, so a new rule is one new function added to the list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from django.utils import timezone as dj_timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from journey.border import check_border_preparedness
from journey.formatting import format_duration, format_local
from journey.plan import Plan, load_plan
from journey.problems import Kind, Problem, Severity
from participants.occupancy import Occupants, plan_occupancy
from stops.models import HostStatus, StopKind, StopStatus

# US hours-of-service rules for drivers of passenger-carrying vehicles (49 CFR 395.5).
MAX_DRIVING_MINUTES = 10 * 60
MAX_DUTY_MINUTES = 15 * 60
MIN_OFF_DUTY_MINUTES = 8 * 60


Check = Callable[[Plan], Iterable[Problem]]


def _night(day: date) -> str:
    return day.strftime("%Y-%m-%d")


def _names(people) -> str:
    names = [p.display_name for p in people]
    shown = ", ".join(names[:5])
    return shown + (_(" and %(n)d more") % {"n": len(names) - 5} if len(names) > 5 else "")


# --- Stops and activities ----------------------------------------------------


def check_stop_times(plan: Plan) -> Iterable[Problem]:
    for stop in plan.stops:
        if stop.status != StopStatus.CANCELLED and stop.departure < stop.arrival:
            yield Problem(
                Kind.DEPARTURE_BEFORE_ARRIVAL,
                Severity.ERROR,
                _("%(stop)s: departure %(dep)s is before arrival %(arr)s.")
                % {
                    "stop": stop.place_name,
                    "dep": format_local(stop.departure, stop.tzinfo),
                    "arr": format_local(stop.arrival, stop.tzinfo),
                },
                stop_id=stop.pk,
            )


def check_route_order(plan: Plan) -> Iterable[Problem]:
    for route_plan in plan.routes:
        for previous, stop in pairwise(route_plan.stops):
            if stop.arrival < previous.departure:
                yield Problem(
                    Kind.OUT_OF_ORDER,
                    Severity.ERROR,
                    _(
                        "%(route)s: arrival in %(stop)s (%(arr)s) is before the departure "
                        "from %(prev)s (%(dep)s)."
                    )
                    % {
                        "route": route_plan.route.name,
                        "stop": stop.place_name,
                        "arr": format_local(stop.arrival, stop.tzinfo),
                        "prev": previous.place_name,
                        "dep": format_local(previous.departure, previous.tzinfo),
                    },
                    stop_id=stop.pk,
                )


def check_activities(plan: Plan) -> Iterable[Problem]:
    for stop_id, activities in plan.activities_by_stop.items():
        stop = plan.stops_by_id[stop_id]
        if stop.status == StopStatus.CANCELLED:
            continue
        for activity in activities:
            if activity.starts_at < stop.arrival or activity.ends_at > stop.departure:
                yield Problem(
                    Kind.ACTIVITY_OUTSIDE_STOP,
                    Severity.WARNING,
                    _("%(title)s (%(start)s) is outside the caravan's time in %(stop)s.")
                    % {
                        "title": activity.title,
                        "start": format_local(activity.starts_at, stop.tzinfo),
                        "stop": stop.place_name,
                    },
                    stop_id=stop.pk,
                    activity_id=activity.pk,
                )
        ordered = sorted(activities, key=lambda a: (a.starts_at, a.pk))
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                if second.starts_at >= first.ends_at:
                    break
                yield Problem(
                    Kind.ACTIVITY_OVERLAP,
                    Severity.WARNING,
                    _("%(a)s and %(b)s overlap in %(stop)s (%(when)s).")
                    % {
                        "a": first.title,
                        "b": second.title,
                        "stop": stop.place_name,
                        "when": format_local(second.starts_at, stop.tzinfo),
                    },
                    stop_id=stop.pk,
                    activity_id=second.pk,
                )


def check_meals(plan: Plan) -> Iterable[Problem]:
    """A meal the stop's times moved away from, a meal left to a host who did not
    offer meals or is not (or no longer) approved: someone must cook it; and a meal with
    more eaters (who is at the stop) than its host said they can feed."""
    present: dict[int, int] = {}
    for meal in plan.meals:
        stop = meal.stop
        if stop.status == StopStatus.CANCELLED:
            continue
        label = _("%(meal)s in %(stop)s (%(when)s)") % {
            "meal": meal.get_kind_display(),
            "stop": stop.place_name,
            "when": format_local(meal.starts_at, stop.tzinfo),
        }
        if not stop.arrival <= meal.starts_at <= stop.departure:
            yield Problem(
                Kind.MEAL_OUTSIDE_STOP,
                Severity.WARNING,
                _("%(meal)s is outside the caravan's time there.") % {"meal": label},
                stop_id=stop.pk,
            )
        host = meal.provided_by
        if host is not None and (not host.offers_meals or host.status != HostStatus.APPROVED):
            yield Problem(
                Kind.MEAL_NOT_OFFERED,
                Severity.WARNING,
                _("%(meal)s is left to %(host)s, who did not offer meals or is not approved.")
                % {"meal": label, "host": host.organization},
                stop_id=stop.pk,
            )
        if host is not None and host.meals_capacity is not None:
            if stop.pk not in present:
                present[stop.pk] = len(plan.present_at(stop.pk))
            eaters = present[stop.pk]
            if eaters > host.meals_capacity:
                yield Problem(
                    Kind.MEAL_OVER_CAPACITY,
                    Severity.WARNING,
                    _("%(meal)s: %(eaters)d people eat, %(host)s can feed %(capacity)d.")
                    % {
                        "meal": label,
                        "eaters": eaters,
                        "host": host.organization,
                        "capacity": host.meals_capacity,
                    },
                    stop_id=stop.pk,
                )


#: Mealtimes, local to each stop: (first, last). A meal of the stop that starts in one of
#: them (inclusive) is a meal at mealtime.
MEALTIMES = ((time(7), time(9)), (time(12), time(14)), (time(18), time(20)))


def check_mealtimes(plan: Plan) -> Iterable[Problem]:
    """A day at an overnight stop where meals are planned with no meal at mealtime: the
    caravan is at the stop for a whole mealtime (breakfast 7-9, lunch 12-14, dinner 18-20,
    local) that day and no meal of the stop starts in any of that day's mealtimes. Stops
    without any meal planned are left alone (the team plans food elsewhere)."""
    by_stop: dict[int, list] = defaultdict(list)
    for meal in plan.meals:
        by_stop[meal.stop_id].append(meal)
    for stop_id, meals in by_stop.items():
        stop = plan.stops_by_id[stop_id]
        if stop.status == StopStatus.CANCELLED or stop.kind != StopKind.OVERNIGHT:
            continue
        tz = stop.tzinfo
        first = dj_timezone.localtime(stop.arrival, tz).date()
        last = dj_timezone.localtime(stop.departure, tz).date()
        starts = [dj_timezone.localtime(meal.starts_at, tz) for meal in meals]
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            windows = [
                (datetime.combine(day, begins, tzinfo=tz), datetime.combine(day, ends, tzinfo=tz))
                for begins, ends in MEALTIMES
            ]
            windows = [w for w in windows if stop.arrival <= w[0] and w[1] <= stop.departure]
            fed = any(begins <= start <= ends for begins, ends in windows for start in starts)
            if windows and not fed:
                yield Problem(
                    Kind.MEAL_MISSING,
                    Severity.WARNING,
                    _("No meal is planned at mealtime in %(stop)s on %(day)s.")
                    % {"stop": stop.place_name, "day": date_format(day, "MONTH_DAY_FORMAT")},
                    stop_id=stop.pk,
                    night=day,
                )


def check_leg_fits(plan: Plan) -> Iterable[Problem]:
    for route_plan in plan.routes:
        for leg in route_plan.legs:
            available = (leg.destination.arrival - leg.origin.departure).total_seconds() / 60
            if available < 0:
                continue  # reported as out of order
            if leg.total_minutes > available:
                yield Problem(
                    Kind.DRIVE_DOES_NOT_FIT,
                    Severity.ERROR,
                    _(
                        "%(leg)s needs about %(need)s with breaks, but only %(have)s lie "
                        "between departure and arrival."
                    )
                    % {
                        "leg": str(leg),
                        "need": format_duration(leg.total_minutes),
                        "have": format_duration(int(available)),
                    },
                    leg_id=leg.pk,
                    stop_id=leg.destination_id,
                )


# --- Lodging ---------------------------------------------------------------------


def check_lodging(plan: Plan) -> Iterable[Problem]:
    for (stop_id, night), sleepers in sorted(plan.sleepers.items(), key=lambda kv: kv[0][1]):
        stop = plan.stops_by_id[stop_id]
        lodgings = [lo for lo in plan.lodgings_by_stop.get(stop_id, []) if night in lo.nights]
        params = {"stop": stop.place_name, "night": _night(night), "n": len(sleepers)}
        if not lodgings:
            yield Problem(
                Kind.NO_LODGING,
                Severity.ERROR,
                ngettext(
                    "%(stop)s, night of %(night)s: %(n)d person and no lodging.",
                    "%(stop)s, night of %(night)s: %(n)d people and no lodging.",
                    len(sleepers),
                )
                % params,
                stop_id=stop_id,
                night=night,
                participant_ids=tuple(p.pk for p in sleepers),
            )
            continue
        beds = sum(lo.capacity for lo in lodgings)
        if beds < len(sleepers):
            yield Problem(
                Kind.BEDS_SHORT,
                Severity.ERROR,
                ngettext(
                    "%(stop)s, night of %(night)s: %(n)d person and %(beds)d beds.",
                    "%(stop)s, night of %(night)s: %(n)d people and %(beds)d beds.",
                    len(sleepers),
                )
                % (params | {"beds": beds}),
                stop_id=stop_id,
                night=night,
            )
        unassigned = [p for p in sleepers if (p.pk, night) not in plan.beds_by_participant_night]
        if unassigned:
            yield Problem(
                Kind.BED_UNASSIGNED,
                Severity.WARNING,
                _("%(stop)s, night of %(night)s: no bed assigned to %(names)s.")
                % (params | {"names": _names(unassigned)}),
                stop_id=stop_id,
                night=night,
                participant_ids=tuple(p.pk for p in unassigned),
            )


def check_bed_assignments(plan: Plan) -> Iterable[Problem]:
    per_lodging_night = defaultdict(list)
    for bed in plan.beds:
        per_lodging_night[(bed.lodging_id, bed.night)].append(bed)
        sleepers = plan.sleepers.get((bed.lodging.stop_id, bed.night), [])
        if bed.participant not in sleepers:
            yield Problem(
                Kind.BED_ELSEWHERE,
                Severity.WARNING,
                _(
                    "%(name)s has a bed at %(lodging)s on %(night)s "
                    "but is not in %(stop)s that night."
                )
                % {
                    "name": bed.participant.display_name,
                    "lodging": bed.lodging.name,
                    "night": _night(bed.night),
                    "stop": bed.lodging.stop.place_name,
                },
                stop_id=bed.lodging.stop_id,
                lodging_id=bed.lodging_id,
                night=bed.night,
                participant_ids=(bed.participant_id,),
            )
    for (lodging_id, night), beds in sorted(per_lodging_night.items(), key=lambda kv: kv[0][1]):
        lodging = beds[0].lodging
        if len(beds) > lodging.capacity:
            yield Problem(
                Kind.LODGING_OVERBOOKED,
                Severity.ERROR,
                ngettext(
                    "%(lodging)s, night of %(night)s: %(n)d person assigned to %(beds)d beds.",
                    "%(lodging)s, night of %(night)s: %(n)d people assigned to %(beds)d beds.",
                    len(beds),
                )
                % {
                    "lodging": lodging.name,
                    "night": _night(night),
                    "n": len(beds),
                    "beds": lodging.capacity,
                },
                stop_id=lodging.stop_id,
                lodging_id=lodging_id,
                night=night,
                participant_ids=tuple(b.participant_id for b in beds),
            )


# --- Vehicles ------------------------------------------------------------------------


def check_vehicles(plan: Plan) -> Iterable[Problem]:
    load = plan_occupancy(plan)
    for vehicle in plan.vehicles:
        route_plan = plan.route_plans.get(vehicle.route_id)
        for index, leg in enumerate(route_plan.legs if route_plan else []):
            occupants = load.get((vehicle.pk, index)) or Occupants()
            passengers = [seat.participant for seat in occupants.passengers]
            drivers = occupants.drivers
            if len(passengers) > vehicle.seats:
                yield Problem(
                    Kind.VEHICLE_OVER_CAPACITY,
                    Severity.ERROR,
                    _("%(vehicle)s, %(leg)s: %(n)d passengers for %(seats)d seats.")
                    % {
                        "vehicle": vehicle.name,
                        "leg": str(leg),
                        "n": len(passengers),
                        "seats": vehicle.seats,
                    },
                    leg_id=leg.pk,
                    vehicle_id=vehicle.pk,
                    participant_ids=tuple(p.pk for p in passengers),
                )
            if passengers and not drivers:
                yield Problem(
                    Kind.NO_DRIVER,
                    Severity.WARNING,
                    ngettext(
                        "%(vehicle)s, %(leg)s: %(n)d passenger and no driver assigned.",
                        "%(vehicle)s, %(leg)s: %(n)d passengers and no driver assigned.",
                        len(passengers),
                    )
                    % {"vehicle": vehicle.name, "leg": str(leg), "n": len(passengers)},
                    leg_id=leg.pk,
                    vehicle_id=vehicle.pk,
                )


def check_riders_have_vehicles(plan: Plan) -> Iterable[Problem]:
    covered = set()
    for seat in plan.seats:
        route_plan = plan.route_plans.get(seat.vehicle.route_id)
        if route_plan is not None and seat.vehicle.route_id == seat.participant.route_id:
            for index in route_plan.leg_index_between(seat.from_stop_id, seat.to_stop_id):
                covered.add((seat.participant_id, index))
    for route_plan in plan.routes:
        for index, leg in enumerate(route_plan.legs):
            missing = [
                p
                for p in plan.riders_of_leg(route_plan.route.pk, index)
                if (p.pk, index) not in covered
            ]
            if missing:
                yield Problem(
                    Kind.NO_VEHICLE,
                    Severity.ERROR,
                    _("%(leg)s: no vehicle for %(names)s.")
                    % {"leg": str(leg), "names": _names(missing)},
                    leg_id=leg.pk,
                    participant_ids=tuple(p.pk for p in missing),
                )


# --- Drivers' hours ------------------------------------------------------------------


@dataclass
class _Shift:
    start: datetime
    end: datetime
    driving: float  # minutes
    leg_ids: list[int]


def _driver_shifts(plan: Plan) -> dict[int, list[_Shift]]:
    """Per driver, each driven leg as (start, end, share of the driving)."""
    load = plan_occupancy(plan)
    shifts = defaultdict(list)
    for seat in plan.seats:
        if not seat.is_driver:
            continue
        route_plan = plan.route_plans.get(seat.vehicle.route_id)
        if route_plan is None:
            continue
        for index in route_plan.leg_index_between(seat.from_stop_id, seat.to_stop_id):
            leg = route_plan.legs[index]
            team = len(load[(seat.vehicle_id, index)].drivers)
            start = leg.origin.departure
            end = max(leg.destination.arrival, start + timedelta(minutes=leg.total_minutes))
            shifts[seat.participant_id].append(
                _Shift(start, end, leg.driving_minutes / team, [leg.pk])
            )
    return shifts


def _duty_periods(shifts: list[_Shift]) -> list[_Shift]:
    """Merge driven legs into duty periods separated by at least 8 hours off."""
    periods: list[_Shift] = []
    for shift in sorted(shifts, key=lambda s: s.start):
        if periods and shift.start - periods[-1].end < timedelta(minutes=MIN_OFF_DUTY_MINUTES):
            current = periods[-1]
            current.end = max(current.end, shift.end)
            current.driving += shift.driving
            current.leg_ids.extend(shift.leg_ids)
        else:
            periods.append(_Shift(shift.start, shift.end, shift.driving, list(shift.leg_ids)))
    return periods


def check_driver_hours(plan: Plan) -> Iterable[Problem]:
    people = {p.pk: p for p in plan.participants}
    tz = plan.journey.tzinfo
    legs_by_id = {leg.pk: leg for rp in plan.routes for leg in rp.legs}
    for driver_id, shifts in _driver_shifts(plan).items():
        driver = people[driver_id]
        for period in _duty_periods(shifts):
            first_leg = legs_by_id[period.leg_ids[0]]
            start_tz = first_leg.origin.tzinfo
            params = {
                "name": driver.display_name,
                "start": format_local(period.start, start_tz),
                "end": format_local(period.end, legs_by_id[period.leg_ids[-1]].destination.tzinfo),
            }
            if period.driving > MAX_DRIVING_MINUTES:
                yield Problem(
                    Kind.DRIVING_OVER_LIMIT,
                    Severity.ERROR,
                    _("%(name)s drives %(hours)s between %(start)s and %(end)s (limit 10 h).")
                    % (params | {"hours": format_duration(round(period.driving))}),
                    leg_id=period.leg_ids[-1],
                    participant_ids=(driver_id,),
                )
            duty = (period.end - period.start).total_seconds() / 60
            if duty > MAX_DUTY_MINUTES:
                yield Problem(
                    Kind.DUTY_OVER_LIMIT,
                    Severity.ERROR,
                    _("%(name)s is on duty %(hours)s from %(start)s to %(end)s (limit 15 h).")
                    % (params | {"hours": format_duration(round(duty))}),
                    leg_id=period.leg_ids[-1],
                    participant_ids=(driver_id,),
                )
        # A short rest merges two days into one duty period; say so explicitly.
        ordered = sorted(shifts, key=lambda s: s.start)
        for before, after in pairwise(ordered):
            gap = after.start - before.end
            crosses_day = before.end.astimezone(tz).date() != after.start.astimezone(tz).date()
            if crosses_day and timedelta(0) <= gap < timedelta(minutes=MIN_OFF_DUTY_MINUTES):
                leg = legs_by_id[after.leg_ids[0]]
                yield Problem(
                    Kind.SHORT_REST,
                    Severity.ERROR,
                    _("%(name)s has only %(rest)s off before driving %(leg)s (at least 8 h).")
                    % {
                        "name": driver.display_name,
                        "rest": format_duration(int(gap.total_seconds() // 60)),
                        "leg": str(leg),
                    },
                    leg_id=leg.pk,
                    participant_ids=(driver_id,),
                )


CHECKS: list[Check] = [
    check_stop_times,
    check_route_order,
    check_leg_fits,
    check_activities,
    check_lodging,
    check_bed_assignments,
    check_vehicles,
    check_riders_have_vehicles,
    check_driver_hours,
    check_border_preparedness,
    check_meals,
    check_mealtimes,
]


def find_problems(journey, *, plan: Plan | None = None) -> list[Problem]:
    """Every problem of the journey's plan, errors first."""
    plan = plan or load_plan(journey)
    problems = [problem for check in CHECKS for problem in check(plan)]
    return sorted(problems, key=lambda p: (p.severity != Severity.ERROR,))
