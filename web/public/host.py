"""A host's page by secret link (``/host/<token>/``), no account needed.

What an approved host of one stop needs to prepare the visit: the dates, how many people
sleep there each night with counts of dietary and accessibility needs, what they offered
and what was accepted, the team's phones, and their day sheet PDF. It reads
``journey.itinerary.host_day_sheet`` (the host's view, built without names), so no rider's
name, phone or other stop can reach it. A revoked, rotated or unknown link answers 404 and
counts as a guess (``caravana.throttle``) unless it was once issued.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from caravana import throttle
from journey.access import access_for_host_link
from journey.exporters import reader_language
from journey.exporters.pdf.contacts import local_contacts
from journey.formatting import format_local
from journey.itinerary import host_day_sheet
from journey.plan import load_plan
from stops.models import Rsvp, RsvpStatus
from web.public.views import _time_range


def _language(request, host) -> str:
    """The language chosen with the switcher (its cookie), else the host's own."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return reader_language(host.language)


def host_page_context(access, token: str) -> dict:
    host = access.link_host
    plan = load_plan(access.journey)
    sheet = host_day_sheet(plan, host.stop_id)
    stop = sheet.stop
    accepted = [
        {
            "name": lodging.name,
            "beds": lodging.capacity,
            "check_in": format_local(lodging.check_in, stop.tz),
            "check_out": format_local(lodging.check_out, stop.tz),
        }
        for lodging in plan.lodgings_by_stop[host.stop_id]
        if lodging.host_id == host.pk
    ]
    counts = {
        row["activity_id"]: row["people"]
        for row in Rsvp.objects.filter(activity__stop_id=host.stop_id, status=RsvpStatus.CONFIRMED)
        .values("activity_id")
        .annotate(people=Sum("party_size"))
    }
    # The host of the stop sees who said they come to its public activities (names and party
    # sizes; contacts stay with the coordinators), as the coordinators do.
    guests: dict[int, list] = {}
    for guest in (
        Rsvp.objects.filter(activity__stop_id=host.stop_id, activity__is_public=True)
        .exclude(status=RsvpStatus.CANCELLED)
        .order_by("created_at", "pk")
    ):
        guests.setdefault(guest.activity_id, []).append(guest)
    return {
        "host": host,
        "journey": access.journey,
        "sheet": sheet,
        "stop": stop,
        "arrival": format_local(stop.arrival, stop.tz),
        "departure": format_local(stop.departure, stop.tz),
        "activities": [
            {
                "item": a,
                "when": _time_range(a.starts_at, a.ends_at, a.tz),
                "rsvps": counts.get(a.id, 0) if a.is_public else None,
                "guests": guests.get(a.id, []) if a.is_public else [],
            }
            for a in sheet.activities
        ],
        "accepted_lodgings": accepted,
        "local_contacts": local_contacts([host.stop_id]).get(host.stop_id, ()),
        "meals": [{"item": m, "when": format_local(m.starts_at, m.tz)} for m in sheet.meals],
        "pdf_url": reverse("journey:host_link_day_sheet", kwargs={"token": token}),
    }


@throttle.secret_link
@require_safe
def host_page(request, token: str):
    """The host's page through their secret link (revoked or unknown: 404)."""
    access = access_for_host_link(token)
    if access is None or not access.can("stop.view_host_sheet", access.link_host.stop):
        raise Http404
    language = _language(request, access.link_host)
    with translation.override(language):
        response = render(request, "web/host/page.html", host_page_context(access, token))
    response["Content-Language"] = language
    # Head counts and addresses: never kept by a shared cache, never indexed, and the
    # secret link in this page's address is never sent to another site.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    patch_vary_headers(response, ["Cookie"])
    return response
