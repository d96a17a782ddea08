"""The coordinator's journeys and each journey's dashboard.

The dashboard loads the plan once and renders the team itinerary (journey.itinerary), never
its own idea of who sees what.
"""

from __future__ import annotations

from datetime import date

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from journey.access import coordinated_journeys
from journey.checks import find_problems
from journey.formatting import (
    format_distance,
    format_duration,
    format_local,
    weekday_day_month,
)
from journey.itinerary import Audience, EntryKind, build_itinerary
from journey.models import Journey
from journey.plan import load_plan
from journey.problems import Severity
from journey.tokens import team_subscription_urls
from web.coordinator.views.base import _journey, login_required

try:  # the other half of the web app draws the map; without it the dashboard lists stops
    from web.map import route_map_svg
except ImportError:  # pragma: no cover
    route_map_svg = None


def _day(value: date) -> str:
    return weekday_day_month(value)


def _short_day(value: date) -> str:
    return weekday_day_month(value, short=True)


# --- Journeys ------------------------------------------------------------------------------


@login_required
@require_safe
def journey_list(request):
    journeys = coordinated_journeys(request.user).order_by("-start_date", "name")
    return render(request, "web/coordinator/journey_list.html", {"journeys": journeys})


# --- Dashboard ----------------------------------------------------------------------------


def _problem_link(journey: Journey, problem) -> str:
    """Where a problem is fixed: our own pages where they exist, else the admin."""
    if problem.participant_ids and problem.kind in (
        "bed_unassigned",
        "bed_elsewhere",
        "no_vehicle",
    ):
        return reverse(
            "web:plan_assign", kwargs={"slug": journey.slug, "pk": problem.participant_ids[0]}
        )
    if problem.lodging_id:
        return reverse("admin:stops_lodging_change", args=[problem.lodging_id])
    if problem.activity_id:
        return reverse("admin:stops_activity_change", args=[problem.activity_id])
    if problem.vehicle_id:
        return reverse("admin:participants_vehicle_change", args=[problem.vehicle_id])
    if problem.leg_id:
        return reverse("admin:journey_leg_change", args=[problem.leg_id])
    if problem.stop_id:
        return reverse("web:plan_stop", kwargs={"slug": journey.slug, "stop_id": problem.stop_id})
    return reverse("web:plan_participants", kwargs={"slug": journey.slug})


def _timeline(itinerary, unit: str) -> list[dict]:
    days = []
    for day in itinerary.days:
        rows = []
        for entry in day.entries:
            item = entry.item
            if entry.kind == EntryKind.ARRIVAL:
                rows.append(
                    {
                        "kind": "arrival",
                        "when": format_local(item.arrival, item.tz),
                        "text": _("Arrive in %(place)s (%(kind)s), leave %(departure)s")
                        % {
                            "place": item.place_name,
                            "kind": item.kind_label,
                            "departure": format_local(item.departure, item.tz),
                        },
                        "cancelled": item.is_cancelled,
                        "stop_id": item.id,
                    }
                )
            elif entry.kind == EntryKind.DEPARTURE:
                rows.append(
                    {
                        "kind": "leg",
                        "when": format_local(item.departure, item.origin.tz),
                        "text": _(
                            "Drive %(origin)s → %(destination)s: %(distance)s, %(time)s "
                            "driving; arrive %(arrival)s"
                        )
                        % {
                            "origin": item.origin.place_name,
                            "destination": item.destination.place_name,
                            "distance": format_distance(item.distance_km, unit),
                            "time": format_duration(item.driving_minutes),
                            "arrival": format_local(item.arrival, item.destination.tz),
                        },
                    }
                )
            elif entry.kind == EntryKind.ACTIVITY:
                rows.append(
                    {
                        "kind": "activity",
                        "when": format_local(item.starts_at, item.tz),
                        "text": f"{item.kind_label}: {item.title}",
                    }
                )
        if rows:
            days.append({"date": _day(day.date), "rows": rows})
    return days


def _occupancy(plan, itinerary):
    nights = []
    for night in itinerary.nights:
        beds = sum(lodging.capacity for lodging in night.lodgings)
        nights.append(
            {
                "date": _short_day(night.date),
                "place": night.stop.place_name,
                "people": night.headcount or 0,
                "beds": beds,
                "short": (night.headcount or 0) > beds,
            }
        )
    vehicles = []
    for leg in itinerary.legs:
        for on_leg in leg.vehicles:
            seats = plan.vehicles_by_id[on_leg.vehicle.id].seats
            vehicles.append(
                {
                    "vehicle": on_leg.vehicle.name,
                    "leg": f"{leg.origin.place_name} → {leg.destination.place_name}",
                    "date": format_local(leg.departure, leg.origin.tz),
                    "passengers": on_leg.passengers,
                    "seats": seats,
                    "drivers": ", ".join(on_leg.drivers),
                    "over": on_leg.passengers > seats,
                }
            )
    return nights, vehicles


@login_required
@require_safe
def dashboard(request, slug: str):
    journey = _journey(request, slug)
    plan = load_plan(journey)
    problems = sorted(find_problems(journey, plan=plan), key=lambda p: p.severity != Severity.ERROR)
    itinerary = build_itinerary(plan, audience=Audience.TEAM)
    unit = journey.distance_unit
    nights, vehicle_legs = _occupancy(plan, itinerary)
    distance = sum(leg.distance_km for leg in itinerary.legs)
    driving = sum(leg.driving_minutes for leg in itinerary.legs)
    context = {
        "journey": journey,
        "routes": [rp.route for rp in plan.routes],
        "map": route_map_svg(itinerary, title=journey.name) if route_map_svg else None,
        "stops": [s for s in itinerary.stops if not s.is_cancelled],
        "days": _timeline(itinerary, unit),
        "total_distance": format_distance(distance, unit),
        "total_driving": format_duration(driving),
        "problems": [
            {"problem": p, "link": _problem_link(journey, p), "is_error": p.severity == "error"}
            for p in problems
        ],
        "error_count": sum(1 for p in problems if p.severity == Severity.ERROR),
        "nights": nights,
        "vehicle_legs": vehicle_legs,
        "day_sheets": [s for s in plan.stops if not s.is_cancelled],
        "vehicles": plan.vehicles,
        "personal_links": [
            (p, reverse("journey:personal_pdf", kwargs={"token": p.secret_token}))
            for p in plan.participants
            if p.secret_token
        ],
        "team_feed": team_subscription_urls(request, journey),
    }
    return render(request, "web/coordinator/dashboard.html", context)
