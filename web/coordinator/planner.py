"""The route planner's page: the proposed order, schedule and drivers, and accepting the order.

The page runs ``journey.planning.services.plan_route`` (nothing changes on GET) and shows it
as the ``plan_route`` command does, times in each stop's zone. The form carries the proposed
order and the order it was proposed for; accepting it checks that the route still has that
order (``accept_order`` checks again under a row lock) and applies it. Same access rules as
the other coordinators' pages.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from journey.formatting import format_distance, format_duration, format_local
from journey.planning.order import DEFAULT_TIME_LIMIT, OrderProposal, OrderSummary
from journey.planning.services import (
    StaleProposal,
    accept_order,
    load_problem,
    plan_route,
    submitted_proposal,
)
from web.coordinator.views.base import _journey, _route, login_required

#: The page's solver time limit in seconds (``?time_limit=``), brought into this range.
MIN_TIME_LIMIT, MAX_TIME_LIMIT = 1, 5


class _StopIds(forms.Field):
    """Stop ids as hidden inputs, one per id, in order."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> tuple[int, ...]:
        if not value:
            return ()
        if isinstance(value, str):
            value = [value]
        try:
            return tuple(int(item) for item in value)
        except (TypeError, ValueError):
            raise ValidationError(_("Enter a list of stop ids."), code="invalid") from None

    def prepare_value(self, value):
        return [str(item) for item in value or ()]


class AcceptOrderForm(forms.Form):
    stops = _StopIds()
    current = _StopIds()


def time_limit(request) -> float:
    """``?time_limit=`` in whole seconds, within the page's range; the default otherwise."""
    try:
        seconds = int(request.GET.get("time_limit", ""))
    except ValueError:
        return DEFAULT_TIME_LIMIT
    return float(min(max(seconds, MIN_TIME_LIMIT), MAX_TIME_LIMIT))


# --- Presenting the planning ----------------------------------------------------------------


def _totals(summary: OrderSummary, unit: str) -> dict:
    return {
        "distance": format_distance(summary.distance_km, unit),
        "driving": format_duration(summary.driving_minutes),
    }


def _window_text(window) -> str:
    if window.earliest and window.latest:
        return _("%(from)s – %(to)s") % {
            "from": format_local(window.earliest, window.timezone),
            "to": format_local(window.latest, window.timezone),
        }
    if window.earliest:
        return _("from %(from)s") % {"from": format_local(window.earliest, window.timezone)}
    return _("by %(to)s") % {"to": format_local(window.latest, window.timezone)}


def _windows(order: OrderProposal) -> list[dict]:
    return [
        {
            "name": window.name,
            "arrival": format_local(window.arrival, window.timezone),
            "window": _window_text(window),
            "met": window.met,
            "tight": window.met and window.tight,
            "slack": (
                format_duration(window.slack_minutes)
                if window.met and window.slack_minutes is not None
                else ""
            ),
        }
        for window in order.windows
    ]


def _days(schedule, unit: str) -> list[dict]:
    entries = {entry.stop.id: entry for entry in schedule.stops}
    days = []
    for day in schedule.days:
        legs = []
        for index in day.leg_indexes:
            leg = schedule.legs[index]
            entry = entries[leg.destination.id]
            legs.append(
                {
                    "departure": format_local(leg.departure, leg.origin.tzinfo),
                    "origin": leg.origin.name,
                    "arrival": format_local(leg.arrival, leg.destination.tzinfo),
                    "destination": leg.destination.name,
                    "distance": format_distance(leg.distance_km, unit),
                    "driving": format_duration(leg.driving_minutes),
                    "breaks": format_duration(leg.break_minutes) if leg.break_minutes else "",
                    "wait": format_duration(entry.wait_minutes) if entry.wait_minutes else "",
                }
            )
        last = entries[day.last_stop.id]
        night = ""
        if last.nights and last.departure is not None:
            night = ngettext(
                "%(n)d night in %(stop)s, leaving %(departure)s",
                "%(n)d nights in %(stop)s, leaving %(departure)s",
                last.nights,
            ) % {
                "n": last.nights,
                "stop": last.stop.name,
                "departure": format_local(last.departure, last.stop.tzinfo),
            }
        days.append(
            {
                "number": day.index + 1,
                "date": format_local(day.start, day.first_stop.tzinfo),
                "first": day.first_stop.name,
                "last": day.last_stop.name,
                "driving": format_duration(day.driving_minutes),
                "legs": legs,
                "night": night,
            }
        )
    return days


def _drivers(planning) -> dict:
    plan, schedule = planning.drivers, planning.schedule
    names = {driver.id: driver.name for driver in planning.team}
    vehicles = [
        {
            "name": vehicle.name,
            "legs": [
                {
                    "departure": format_local(leg.departure, leg.origin.tzinfo),
                    "origin": leg.origin.name,
                    "destination": leg.destination.name,
                    "who": ", ".join(names[i] for i in plan.drivers_of(leg.index, vehicle.id)),
                }
                for leg in schedule.legs
            ],
        }
        for vehicle in planning.vehicles
    ]
    duties = [
        {
            "name": duty.name,
            "start": format_local(duty.start, schedule.legs[duty.leg_indexes[0]].origin.tzinfo),
            "driving": format_duration(duty.driving_minutes),
            "duty": format_duration(duty.duty_minutes),
        }
        for duty in plan.duties
    ]
    return {"vehicles": vehicles, "duties": duties, "flags": [f.message for f in plan.flags]}


def _context(planning, unit: str) -> dict:
    order = planning.order
    if order is None:
        return {"order": None}
    names = planning.problem.stops_by_id
    shown = order.proposed or order.current
    moved = {move.stop_id: move for move in order.moves}
    context = {
        "order": order,
        "current_totals": _totals(order.current, unit),
        "current_fits": order.current.fits,
        "proposed_totals": _totals(order.proposed, unit) if order.proposed else None,
        "saved_distance": format_distance(max(order.distance_saved_km, 0.0), unit),
        "saved_driving": format_duration(max(order.driving_saved_minutes, 0)),
        "current_names": [names[i].name for i in order.current.stop_ids],
        "proposed": [{"name": names[i].name, "move": moved.get(i)} for i in shown.stop_ids],
        "moves": order.moves,
        "windows": _windows(order),
        "explanations": [flag.message for flag in order.explanations],
        "seconds": f"{order.solve_seconds:.1f}",
        "days": _days(planning.schedule, unit),
        "schedule_flags": [flag.message for flag in planning.schedule.flags],
        "drivers": _drivers(planning),
        "form": None,
    }
    if order.changed:
        context["form"] = AcceptOrderForm(
            initial={"stops": order.proposed.stop_ids, "current": order.current.stop_ids}
        )
    return context


# --- Views ------------------------------------------------------------------------------------


@login_required
@require_safe
def route_planner(request, slug: str, route_id: int):
    journey = _journey(request, slug)
    route = _route(journey, route_id)
    limit = time_limit(request)
    planning = plan_route(journey=journey, route=route, time_limit=limit)
    context = {"journey": journey, "route": route, "time_limit": int(limit)}
    context |= _context(planning, journey.distance_unit)
    return render(request, "web/coordinator/planner.html", context)


@login_required
@require_POST
def route_planner_accept(request, slug: str, route_id: int):
    journey = _journey(request, slug)
    route = _route(journey, route_id)
    planner_url = reverse("web:plan_route_planner", kwargs={"slug": slug, "route_id": route.pk})
    stale = _(
        "The route changed since this order was proposed: nothing was changed. "
        "Here is a new proposal."
    )
    form = AcceptOrderForm(request.POST)
    if not form.is_valid():
        messages.error(request, stale)
        return redirect(planner_url)
    problem = load_problem(journey=journey, route=route)
    stops, current = form.cleaned_data["stops"], form.cleaned_data["current"]
    if len(problem.stops) < 2 or current != problem.stop_ids or sorted(stops) != sorted(current):
        messages.error(request, stale)
        return redirect(planner_url)
    try:
        accept_order(route=route, proposal=submitted_proposal(problem, stops))
    except StaleProposal:
        messages.error(request, stale)
        return redirect(planner_url)
    messages.success(request, _("The proposed order is now the route's order."))
    return redirect("web:plan_route", slug=journey.slug, route_id=route.pk)
