"""Participants: the list with its filters, one participant's record, their seats and beds."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from journey.formatting import day_month
from journey.plan import load_plan
from participants import services as seat_services
from participants.models import BedAssignment, Participant, SeatAssignment
from participants.occupancy import plan_occupancy
from stops.models import Lodging
from web.coordinator import forms
from web.coordinator.views.base import _journey, login_required


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
