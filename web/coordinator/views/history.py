"""Who changed what in the plan, newest first."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from caravana.params import parse_moment
from journey.changes import journey_changes
from journey.formatting import format_local
from web.coordinator.views.base import _journey, login_required

HISTORY_PAGE = 100


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
