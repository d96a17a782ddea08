"""What the coordinators send out: the confidential CSV lists and the riders' notifications."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.views.decorators.http import require_POST, require_safe

from journey.access import request_access
from journey.exporters import ExportError, ExportRequest, get_exporter
from journey.exporters.serve import ExportTarget, serve_export
from journey.itinerary import Audience
from participants.notifications import notify_itinerary_changes
from web.coordinator.views.base import _journey, login_required

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
