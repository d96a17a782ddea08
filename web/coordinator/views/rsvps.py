"""The coordinators' list of RSVPs to the journey's activities, with counts per activity.

Visitors' names and contacts are here and nowhere else (hosts see counts on their page).
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, Sum
from django.shortcuts import render
from django.views.decorators.http import require_safe

from stops.models import Activity, Rsvp, RsvpStatus
from web.coordinator.views.base import _journey, login_required


def rsvp_counts(activities):
    """Annotate activities with confirmed and waitlisted people and the RSVPs' number."""
    return activities.annotate(
        confirmed=Sum("rsvps__party_size", filter=Q(rsvps__status=RsvpStatus.CONFIRMED)),
        waitlisted=Sum("rsvps__party_size", filter=Q(rsvps__status=RsvpStatus.WAITLISTED)),
        rsvp_count=Count("rsvps", filter=~Q(rsvps__status=RsvpStatus.CANCELLED)),
    )


@login_required
@require_safe
def rsvp_list(request, slug: str):
    journey = _journey(request, slug)
    activities = rsvp_counts(
        Activity.objects.filter(stop__journey=journey, is_public=True)
        .select_related("stop")
        .prefetch_related(Prefetch("rsvps", queryset=Rsvp.objects.order_by("created_at", "pk")))
        .order_by("starts_at", "pk")
    )
    return render(
        request, "web/coordinator/rsvps.html", {"journey": journey, "activities": activities}
    )
