"""Route editing: the stops of a route, their order, and one stop's details."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from journey.formatting import format_local
from journey.models import Route, RouteStop
from journey.services import add_stop_by_place, set_route_order
from stops.models import Stop
from web.coordinator import forms
from web.coordinator.views.base import _journey, _route, login_required


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
