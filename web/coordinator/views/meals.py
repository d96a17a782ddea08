"""A stop's meals for its coordinators: the list with head counts, add one, remove one.

Times are typed in the stop's local time; a meal outside the visit or from another
journey's host is refused on its field (``Meal.clean``) and nothing is saved. Counts come
from ``journey.meals`` (who is at the stop), never typed.
"""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from journey.formatting import format_local
from journey.forms import MealAdminForm
from journey.meals import meal_items
from journey.plan import load_plan
from stops.models import HostAlly, HostStatus, Meal, Stop
from web.coordinator.forms import zone_label
from web.coordinator.views.base import _journey, login_required


class MealForm(MealAdminForm):
    """A meal at the stop being edited (the stop is not chosen here)."""

    class Meta(MealAdminForm.Meta):
        fields = ("kind", "starts_at", "place", "provided_by", "notes")
        widgets = {"notes": django_forms.Textarea(attrs={"rows": 2})}


def _stop(journey, stop_id: int) -> Stop:
    stop = Stop.objects.filter(pk=stop_id, journey=journey).first()
    if stop is None:
        raise Http404
    return stop


@login_required
def stop_meals(request, slug: str, stop_id: int):
    journey = _journey(request, slug)
    stop = _stop(journey, stop_id)
    action = request.POST.get("action") if request.method == "POST" else None
    form = MealForm(
        request.POST if action == "add" else None,
        instance=Meal(stop=stop),
        zone=stop.tzinfo,
        journey_id=journey.pk,
    )
    form.fields["provided_by"].queryset = HostAlly.objects.filter(
        journey=journey, status=HostStatus.APPROVED
    ).order_by("organization")
    form.fields["provided_by"].empty_label = _("The team")
    if action == "add" and form.is_valid():
        meal = form.save()
        messages.success(request, _("%(meal)s was added.") % {"meal": meal.get_kind_display()})
        return redirect("web:plan_stop_meals", slug=journey.slug, stop_id=stop.pk)
    if action == "delete":
        deleted, _rows = Meal.objects.filter(stop=stop, pk=request.POST.get("meal") or 0).delete()
        if deleted:
            messages.success(request, _("The meal was removed."))
        return redirect("web:plan_stop_meals", slug=journey.slug, stop_id=stop.pk)
    meals = [
        {"item": meal, "when": format_local(meal.starts_at, meal.tz)}
        for meal in meal_items(load_plan(journey), stop_ids=[stop.pk], with_notes=True)
    ]
    return render(
        request,
        "web/coordinator/stop_meals.html",
        {
            "journey": journey,
            "stop": stop,
            "form": form,
            "meals": meals,
            "zone": zone_label(stop.tzinfo),
        },
        status=400 if action == "add" else 200,
    )
