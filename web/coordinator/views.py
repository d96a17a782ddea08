"""The coordinators' pages: dashboard, route editing, participants, host applications, exports.

Every page asks the access model (``journey.access``) for ``journey.change``: anyone else
gets 404 (the journey's existence is not revealed); an anonymous visitor is sent to the login
page. The dashboard loads the plan once and renders the team itinerary (journey.itinerary),
never its own idea of who sees what.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required as _login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from caravana.params import parse_moment
from journey.access import coordinated_journeys, request_access
from journey.changes import journey_changes
from journey.checks import find_problems
from journey.exporters import ExportError, ExportRequest, get_exporter
from journey.exporters.serve import ExportTarget, serve_export
from journey.formatting import (
    day_month,
    format_distance,
    format_duration,
    format_local,
    weekday_day_month,
)
from journey.itinerary import Audience, EntryKind, build_itinerary
from journey.models import Journey, Route, RouteStop
from journey.plan import load_plan
from journey.problems import Severity
from journey.services import add_stop_by_place, set_route_order
from journey.tokens import (
    host_page_url,
    revoke_host_token,
    rotate_host_token,
    team_subscription_urls,
)
from participants import services as seat_services
from participants.models import BedAssignment, Participant, SeatAssignment
from participants.notifications import notify_itinerary_changes
from participants.occupancy import plan_occupancy
from stops import services as host_services
from stops.models import HostAlly, HostStatus, Lodging, Stop
from web.coordinator import forms

try:  # the other half of the web app draws the map; without it the dashboard lists stops
    from web.map import route_map_svg
except ImportError:  # pragma: no cover
    route_map_svg = None


def login_required(view):
    """Signed in, and never kept by a cache: these pages hold names, phones and addresses."""
    return never_cache(_login_required(view))


HISTORY_PAGE = 100


def _journey(request, slug: str) -> Journey:
    journey = Journey.objects.filter(slug=slug).first()
    if journey is None or not request_access(request, journey).can("journey.change"):
        raise Http404
    return journey


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
        "personal_links": [
            (p, reverse("journey:personal_pdf", kwargs={"token": p.secret_token}))
            for p in plan.participants
            if p.secret_token
        ],
        "team_feed": team_subscription_urls(request, journey),
    }
    return render(request, "web/coordinator/dashboard.html", context)


# --- Route editing ----------------------------------------------------------------------------


def _route(journey: Journey, route_id: int) -> Route:
    route = Route.objects.filter(pk=route_id, journey=journey).first()
    if route is None:
        raise Http404
    route.journey = journey
    return route


def _route_rows(route: Route) -> list[RouteStop]:
    return list(RouteStop.objects.filter(route=route).select_related("stop").order_by("position"))


@login_required
def route_edit(request, slug: str, route_id: int):
    journey = _journey(request, slug)
    route = _route(journey, route_id)
    form = forms.AddStopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            stop = add_stop_by_place(
                route=route,
                place=form.place_found,
                arrival=data["arrival"],
                departure=data["departure"],
                kind=data["kind"],
                venue=data["venue"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(place)s was added at the end of the route.") % {"place": stop.place_name},
            )
            return redirect(request.path)
    rows = _route_rows(route)
    return render(
        request,
        "web/coordinator/route.html",
        {
            "journey": journey,
            "route": route,
            "rows": [
                {
                    "stop": rs.stop,
                    "arrival": format_local(rs.stop.arrival, rs.stop.tzinfo),
                    "departure": format_local(rs.stop.departure, rs.stop.tzinfo),
                    "first": i == 0,
                    "last": i == len(rows) - 1,
                }
                for i, rs in enumerate(rows)
            ],
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def route_move(request, slug: str, route_id: int):
    journey = _journey(request, slug)
    route = _route(journey, route_id)
    form = forms.MoveStopForm(request.POST)
    order = [rs.stop_id for rs in RouteStop.objects.filter(route=route).order_by("position")]
    if not form.is_valid() or form.cleaned_data["stop"] not in order:
        raise Http404
    index = order.index(form.cleaned_data["stop"])
    other = index - 1 if form.cleaned_data["direction"] == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
        set_route_order(route=route, stop_ids=order)
        messages.success(request, _("The order of the stops was changed."))
    return redirect(
        reverse("web:plan_route", kwargs={"slug": journey.slug, "route_id": route.pk})
        + f"#stop-{form.cleaned_data['stop']}"
    )


@login_required
def stop_edit(request, slug: str, stop_id: int):
    journey = _journey(request, slug)
    stop = Stop.objects.filter(pk=stop_id, journey=journey).first()
    if stop is None:
        raise Http404
    form = forms.StopEditForm(request.POST or None, instance=stop, journey_id=journey.pk)
    if request.method == "POST":
        # One transaction: the form's version check locks the stop's row until it is saved.
        with transaction.atomic():
            saved = form.is_valid()
            if saved:
                form.save()
        if saved:
            messages.success(request, _("%(place)s was saved.") % {"place": stop.place_name})
            return redirect("web:plan_dashboard", slug=journey.slug)
    return render(
        request,
        "web/coordinator/stop_edit.html",
        {
            "journey": journey,
            "stop": stop,
            "form": form,
            "zone": forms.zone_label(stop.tzinfo),
            "routes": Route.objects.filter(route_stops__stop=stop).order_by("pk"),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Participants ---------------------------------------------------------------------------


@login_required
@require_safe
def participant_list(request, slug: str):
    journey = _journey(request, slug)
    form = forms.ParticipantFilterForm(request.GET or None, journey=journey)
    plan = load_plan(journey)
    people = plan.participants
    vehicles_of = defaultdict(list)
    for seat in plan.seats:
        if seat.vehicle.name not in vehicles_of[seat.participant_id]:
            vehicles_of[seat.participant_id].append(seat.vehicle.name)
    if form.is_valid():
        wanted = form.cleaned_data
        if wanted["role"]:
            people = [p for p in people if p.role == wanted["role"]]
        if wanted["language"]:
            people = [p for p in people if p.language == wanted["language"]]
        if wanted["route"]:
            people = [p for p in people if p.route_id == wanted["route"].pk]
        if wanted["stop"]:
            stop_id = wanted["stop"].pk
            people = [
                p
                for p in people
                if (segment := plan.segment(p)) and any(s.pk == stop_id for s in segment.stops)
            ]
        if wanted["vehicle"]:
            riders = {s.participant_id for s in plan.seats if s.vehicle_id == wanted["vehicle"].pk}
            people = [p for p in people if p.pk in riders]
    routes = {rp.route.pk: rp.route for rp in plan.routes}
    rows = []
    for p in people:
        segment = plan.segment(p)
        rows.append(
            {
                "participant": p,
                "route": routes.get(p.route_id),
                "joins": segment.stops[0].place_name if segment else "",
                "leaves": segment.stops[-1].place_name if segment else "",
                "vehicles": ", ".join(vehicles_of[p.pk]),
                "pdf": reverse("journey:personal_pdf", kwargs={"token": p.secret_token})
                if p.secret_token
                else "",
            }
        )
    return render(
        request,
        "web/coordinator/participants.html",
        {"journey": journey, "form": form, "rows": rows, "total": len(plan.participants)},
    )


@login_required
def participant_edit(request, slug: str, pk: int | None = None):
    journey = _journey(request, slug)
    if pk is None:
        participant = Participant(journey=journey)
    else:
        participant = Participant.objects.filter(pk=pk, journey=journey).first()
        if participant is None:
            raise Http404
    form = forms.ParticipantForm(request.POST or None, instance=participant, journey_id=journey.pk)
    if request.method == "POST" and form.is_valid():
        participant = form.save()
        messages.success(request, _("%(name)s was saved.") % {"name": participant.display_name})
        return redirect("web:plan_participants", slug=journey.slug)
    return render(
        request,
        "web/coordinator/participant_form.html",
        {"journey": journey, "participant": participant, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _bed_options(plan, participant) -> list[tuple[int, date, str]]:
    """Each (lodging, night) where the participant could sleep, with the beds left."""
    segment = plan.segment(participant)
    if segment is None:
        return []
    used = defaultdict(int)
    for bed in plan.beds:
        used[(bed.lodging_id, bed.night)] += 1
    options = []
    for stop, night in segment.nights():
        for lodging in plan.lodgings_by_stop.get(stop.pk, ()):
            if night not in lodging.nights:
                continue
            left = lodging.capacity - used[(lodging.pk, night)]
            label = _("%(lodging)s — %(left)d of %(capacity)d beds left on %(night)s") % {
                "lodging": lodging.name,
                "left": max(left, 0),
                "capacity": lodging.capacity,
                "night": day_month(night),
            }
            options.append((lodging.pk, night, f"{stop.place_name}: {label}"))
    return options


def _seats_left(plan) -> list[dict]:
    """Per vehicle, the fewest seats left on any leg of its route."""
    load = plan_occupancy(plan)
    rows = []
    for vehicle in plan.vehicles:
        route_plan = plan.route_plans.get(vehicle.route_id)
        if route_plan is None:
            continue
        fullest = max(
            (len(load[(vehicle.pk, i)].passengers) for i in range(len(route_plan.legs))),
            default=0,
        )
        rows.append({"vehicle": vehicle, "left": vehicle.seats - fullest})
    return rows


@login_required
def participant_assign(request, slug: str, pk: int):
    journey = _journey(request, slug)
    participant = Participant.objects.filter(pk=pk, journey=journey).first()
    if participant is None:
        raise Http404
    action = request.POST.get("action") if request.method == "POST" else None
    plan = load_plan(journey)
    seat_form = forms.SeatForm(
        request.POST if action == "seat" else None, journey=journey, prefix="seat"
    )
    bed_form = forms.BedForm(
        request.POST if action == "bed" else None,
        options=_bed_options(plan, participant),
        prefix="bed",
    )
    here = reverse("web:plan_assign", kwargs={"slug": journey.slug, "pk": participant.pk})
    if action == "seat" and seat_form.is_valid():
        data = seat_form.cleaned_data
        try:
            seat_services.assign_seat(
                participant=participant,
                vehicle=data["vehicle"],
                from_stop=data["from_stop"],
                to_stop=data["to_stop"],
                is_driver=data["is_driver"],
            )
        except ValidationError as error:
            seat_form.add_error(None, error.messages)
        else:
            messages.success(request, _("The seat was assigned."))
            return redirect(here)
    elif action == "bed" and bed_form.is_valid():
        lodging_id, night = bed_form.cleaned_data["bed"]
        lodging = Lodging.objects.filter(pk=lodging_id, stop__journey=journey).first()
        if lodging is None:
            raise Http404
        try:
            seat_services.assign_bed(participant=participant, lodging=lodging, night=night)
        except ValidationError as error:
            bed_form.add_error(None, error.messages)
        else:
            messages.success(request, _("The bed was assigned."))
            return redirect(here)
    elif action in ("remove-seat", "remove-bed"):
        model = SeatAssignment if action == "remove-seat" else BedAssignment
        ids = [value for value in request.POST.getlist("id") if value.isascii() and value.isdigit()]
        for row in model.objects.filter(pk__in=ids[:1], participant=participant):
            if action == "remove-seat":
                seat_services.free_seat(seat=row)
            else:
                seat_services.free_bed(bed=row)
        messages.success(request, _("The assignment was removed."))
        return redirect(here)
    seats = [s for s in plan.seats if s.participant_id == participant.pk]
    for seat in seats:
        seat.from_stop = plan.stops_by_id[seat.from_stop_id]
        seat.to_stop = plan.stops_by_id[seat.to_stop_id]
    beds = [b for b in plan.beds if b.participant_id == participant.pk]
    return render(
        request,
        "web/coordinator/assign.html",
        {
            "journey": journey,
            "participant": participant,
            "seat_form": seat_form,
            "bed_form": bed_form,
            "seats": seats,
            "beds": beds,
            "vehicles": _seats_left(plan),
        },
        status=400 if action else 200,
    )


# --- Host applications ----------------------------------------------------------------------


@login_required
@require_safe
def host_queue(request, slug: str):
    journey = _journey(request, slug)
    hosts = (
        HostAlly.objects.filter(journey=journey)
        .select_related("stop")
        .annotate(
            pending_first=Case(
                When(status=HostStatus.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("pending_first", "-created_at", "-pk")
    )
    return render(request, "web/coordinator/hosts.html", {"journey": journey, "hosts": hosts})


@login_required
def host_review(request, slug: str, pk: int):
    journey = _journey(request, slug)
    host = HostAlly.objects.filter(pk=pk, journey=journey).select_related("stop").first()
    if host is None:
        raise Http404
    host.journey = journey
    action = request.POST.get("action") if request.method == "POST" else None
    approve = forms.ApproveHostForm(
        request.POST if action == "approve" else None, journey=journey, host=host
    )
    decline = forms.DeclineHostForm(request.POST if action == "decline" else None)
    if action == "approve" and approve.is_valid():
        try:
            host, _lodging = host_services.approve_host(
                host=host,
                stop=approve.cleaned_data["stop"],
                lodging=approve.lodging_fields(),
                base_url=host_services.site_base_url(request),
            )
        except ValidationError as error:
            approve.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(host)s was approved and told by email.") % {"host": host.organization},
            )
            return redirect("web:plan_hosts", slug=journey.slug)
    elif action in ("rotate_link", "revoke_link") and host.status == HostStatus.APPROVED:
        if action == "rotate_link":
            rotate_host_token(host=host)
            messages.success(
                request,
                _("%(host)s has a new link to their page; the old one no longer works.")
                % {"host": host.organization},
            )
        else:
            revoke_host_token(host=host)
            messages.success(
                request,
                _("The link to the page of %(host)s was switched off.")
                % {"host": host.organization},
            )
        return redirect("web:plan_host", slug=journey.slug, pk=host.pk)
    elif action == "decline" and decline.is_valid():
        host_services.decline_host(host=host, note=decline.cleaned_data["note"])
        messages.success(
            request, _("%(host)s was declined and told by email.") % {"host": host.organization}
        )
        return redirect("web:plan_hosts", slug=journey.slug)
    return render(
        request,
        "web/coordinator/host_review.html",
        {
            "journey": journey,
            "host": host,
            "approve": approve,
            "decline": decline,
            "host_page_url": request.build_absolute_uri(host_page_url(host))
            if host.secret_token
            else "",
        },
        status=400 if action else 200,
    )


# --- Exports --------------------------------------------------------------------------------


@login_required
@require_safe
def export_csv(request, slug: str, document: str):
    """The confidential CSV lists (rooming, manifest) from the export registry."""
    journey = _journey(request, slug)
    try:
        exporter = get_exporter("csv", document)
    except ExportError:
        raise Http404 from None
    target = ExportTarget(
        exporter,
        ExportRequest(Audience.TEAM),
        get_language(),
        f"{journey.slug}-{document}-{timezone.now():%Y%m%d}",
    )
    return serve_export(request, request_access(request, journey), target)


# --- Riders' notifications ----------------------------------------------------------------


@login_required
@require_POST
def notify_riders(request, slug: str):
    """Email every rider whose own itinerary changed, now: the coordinator says the edits are
    done, so the quiet period (participants.notifications) is not awaited. Counts only."""
    journey = _journey(request, slug)
    result = notify_itinerary_changes(
        journey=journey,
        wait_for_quiet=False,
        site_url=settings.SITE_URL or request.build_absolute_uri("/"),
    )
    messages.success(
        request,
        ngettext(
            "%(count)d rider was emailed what changed in their itinerary.",
            "%(count)d riders were emailed what changed in their itinerary.",
            result.emailed,
        )
        % {"count": result.emailed},
    )
    missed = result.unreachable + result.failed
    if missed:
        messages.warning(
            request,
            ngettext(
                "%(count)d rider whose itinerary changed could not be emailed: tell them "
                "another way.",
                "%(count)d riders whose itinerary changed could not be emailed: tell them "
                "another way.",
                missed,
            )
            % {"count": missed},
        )
    return redirect("web:plan_dashboard", slug=journey.slug)


# --- History ------------------------------------------------------------------------------------


@login_required
@require_safe
def history(request, slug: str):
    """Who changed what in the plan, newest first (100 a page; older pages by date)."""
    journey = _journey(request, slug)
    before = None
    if request.GET.get("before"):
        try:
            before = parse_moment(request.GET["before"])
        except ValueError:
            raise Http404 from None
    changes = journey_changes(journey, limit=HISTORY_PAGE, before=before)
    older = changes[-1].when.isoformat() if len(changes) == HISTORY_PAGE else None
    home = ZoneInfo(journey.home_timezone)
    return render(
        request,
        "web/coordinator/history.html",
        {
            "journey": journey,
            "changes": [(format_local(c.when, home), c) for c in changes],
            "older": older,
        },
    )
