"""Requests to ride (participants.RideApplication): the coordinators' queue under
/plan/<slug>/rides/, pending first; approve (creates the participant and emails their link in
their language) or decline. Same access check as every /plan/ page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from participants.applications import (
    NotPending,
    application_errors,
    approve_ride_application,
    decline_ride_application,
)
from participants.models import ApplicationStatus, RideApplication
from web.coordinator.views.base import _journey, login_required


@login_required
@require_safe
def ride_queue(request, slug: str):
    journey = _journey(request, slug)
    pending_first = Case(
        When(status=ApplicationStatus.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    applications = (
        RideApplication.objects.filter(journey=journey)
        .select_related("route", "join_stop", "leave_stop", "participant")
        .order_by(pending_first, "-created_at", "-pk")
    )
    return render(
        request,
        "web/coordinator/rides.html",
        {"journey": journey, "applications": applications},
    )


@login_required
@require_POST
def ride_decide(request, slug: str, pk: int):
    journey = _journey(request, slug)
    application = RideApplication.objects.filter(journey=journey, pk=pk).first()
    if application is None:
        raise Http404
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            base_url = settings.SITE_URL.rstrip("/") or request.build_absolute_uri("/")[:-1]
            participant = approve_ride_application(application=application, base_url=base_url)
            messages.success(
                request,
                _("%(name)s is now a participant.") % {"name": participant.display_name},
            )
        elif decision == "decline":
            decline_ride_application(application=application)
            messages.success(
                request, _("The request of %(name)s was declined.") % {"name": application}
            )
        else:
            messages.error(request, _("Choose approve or decline."))
    except NotPending:
        messages.error(request, _("This request was already answered."))
    except ValidationError as error:
        for message in application_errors(error):
            messages.error(request, message)
    return redirect("web:plan_rides", slug=journey.slug)
