"""Public pages (home, a published journey, host registration) and the rider's itinerary.

Every page renders ``journey.itinerary`` data built for its audience (PUBLIC for the
journey page, PERSONAL for the rider), so who sees what is decided there, once. A
journey that is not published, a revoked secret link or another person's record all
answer 404.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import F, Max, Min
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from caravana import throttle
from journey.access import access_for_personal_link, public_access
from journey.border import touches_border_zone
from journey.exporters import fallback_note, reader_language
from journey.exporters.pdf.contacts import local_contacts
from journey.formatting import format_distance, format_duration, format_local
from journey.itinerary import ActivityItem, Audience, Itinerary, NightItem, build_itinerary
from journey.kyr import know_your_rights_sheet
from journey.meals import meal_items
from journey.models import Journey
from journey.plan import load_plan
from journey.tokens import subscription_urls
from participants.models import Participant
from participants.services import AlreadyLinked, claim_participant
from stops.models import shown_publicly_q
from stops.services import apply_to_host
from web.map import route_map_svg
from web.public.forms import HostApplicationForm
from web.public.offline import offline_context

# A night "tonight" still holds until this hour of the next morning, local time.
NIGHT_ENDS_HOUR = 6
UPCOMING_ACTIVITIES = 6


def _time_range(start: datetime, end: datetime, tz: str) -> str:
    """ "Mar 1, 14:00–16:00 PST", or both ends in full when it ends another day."""
    if start.date() == end.date() and start.tzname() == end.tzname():
        day_and_time = format_local(start, tz).rsplit(" ", 1)[0]
        return f"{day_and_time}–{end:%H:%M} {end.tzname()}"
    return f"{format_local(start, tz)} – {format_local(end, tz)}"


def _absolute(request, path: str) -> tuple[str, str]:
    """(https URL, webcal URL) of a calendar feed path."""
    url = request.build_absolute_uri(path)
    return url, "webcal://" + url.split("://", 1)[1]


def _published(slug: str) -> Journey:
    journey = get_object_or_404(Journey, slug=slug)
    if not public_access(journey).can("journey.view_public"):
        raise Http404
    return journey


# --- home ---------------------------------------------------------------------------------


@require_safe
def home(request):
    """Published journeys, soonest first, with the dates of their public stops."""
    shown = shown_publicly_q("stops__")
    journeys = (
        Journey.objects.published()
        .annotate(
            first_arrival=Min("stops__arrival", filter=shown),
            last_departure=Max("stops__departure", filter=shown),
        )
        .order_by(F("first_arrival").asc(nulls_last=True), "name")
    )
    rows = []
    for journey in journeys:
        first, last = journey.first_arrival, journey.last_departure
        zone = journey.home_timezone
        rows.append(
            {
                "journey": journey,
                "first": timezone.localtime(first, ZoneInfo(zone)).date() if first else None,
                "last": timezone.localtime(last, ZoneInfo(zone)).date() if last else None,
            }
        )
    return render(request, "web/public/home.html", {"rows": rows})


# --- the public journey page ------------------------------------------------------------------


@require_safe
def journey_page(request, slug: str):
    """A published journey: map, cities with local dates, public activities, downloads."""
    journey = _published(slug)
    itinerary = build_itinerary(load_plan(journey), audience=Audience.PUBLIC)
    stops = [
        {
            "visit": stop,
            "arrival": format_local(stop.arrival, stop.tz),
            "departure": format_local(stop.departure, stop.tz),
            "activities": [
                {"item": a, "when": _time_range(a.starts_at, a.ends_at, a.tz)}
                for a in stop.activities
            ],
        }
        for stop in itinerary.stops
    ]
    feed, webcal = _absolute(request, reverse("journey:public_feed", kwargs={"slug": slug}))
    distance = sum(leg.distance_km for leg in itinerary.legs)
    context = {
        "journey": journey,
        "itinerary": itinerary,
        "stops": stops,
        "map": route_map_svg(itinerary, title=journey.name),
        "feed_url": feed,
        "webcal_url": webcal,
        "booklet_url": reverse("journey:public_booklet", kwargs={"slug": slug}),
        "distance": format_distance(distance, journey.distance_unit) if distance else "",
    }
    return render(request, "web/public/journey.html", context)


# --- host registration ------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def host_register(request, slug: str):
    """The host registration form (rate-limited per address, with a honeypot)."""
    journey = _published(slug)
    if request.method == "POST":
        if not throttle.allow(request, "host-application"):
            response = render(
                request, "web/public/rate_limited.html", {"journey": journey}, status=429
            )
            response["Retry-After"] = str(throttle.retry_after())
            return response
        if request.POST.get("website"):
            # A robot filled the hidden field: thank it like anyone, keep nothing.
            return redirect("web:host_thanks", slug=slug)
        form = HostApplicationForm(request.POST, journey=journey)
        if form.is_valid():
            apply_to_host(
                journey=journey,
                data=form.cleaned_data,
                language=translation.get_language(),
                base_url=settings.SITE_URL.rstrip("/") or request.build_absolute_uri("/")[:-1],
            )
            return redirect("web:host_thanks", slug=slug)
    else:
        form = HostApplicationForm(journey=journey)
    return render(request, "web/public/host_form.html", {"journey": journey, "form": form})


@require_safe
def host_thanks(request, slug: str):
    journey = _published(slug)
    return render(request, "web/public/host_thanks.html", {"journey": journey})


# --- the rider's itinerary --------------------------------------------------------------------


def _tonight(itinerary: Itinerary, now: datetime) -> tuple[NightItem | None, bool]:
    """(night, is_tonight): the night under way or about to begin, else the next one."""
    for night in itinerary.nights:
        local = timezone.localtime(now, night.stop.tzinfo) - timedelta(hours=NIGHT_ENDS_HOUR)
        if night.date == local.date():
            return night, True
        if night.date > local.date():
            return night, False
    return None, False


def _rider_context(request, participant: Participant, now: datetime, *, offline: bool) -> dict:
    plan = load_plan(participant.journey)
    itinerary = build_itinerary(plan, audience=Audience.PERSONAL, participant=participant)
    segment = plan.segment(participant)
    in_border_zone = segment is not None and touches_border_zone(segment)
    next_leg = next((leg for leg in itinerary.legs if leg.departure > now), None)
    night, is_tonight = _tonight(itinerary, now)
    activities: list[ActivityItem] = [a for a in itinerary.activities if a.ends_at > now]
    ahead = [s for s in itinerary.stops if s.departure > now]
    contacts_by_stop = local_contacts(s.id for s in ahead)
    first = itinerary.stops[0] if itinerary.stops else None
    links = subscription_urls(request, participant)
    bed = night.bed if night else None
    return {
        "participant": participant,
        "journey": participant.journey,
        "itinerary": itinerary,
        "not_started": first is not None and first.arrival > now,
        "first_stop": first,
        "first_arrival": format_local(first.arrival, first.tz) if first else "",
        "is_over": bool(itinerary.stops) and not ahead,
        "next_departure": (
            {
                "leg": next_leg,
                "when": format_local(next_leg.departure, next_leg.origin.tz),
                "arrives": format_local(next_leg.arrival, next_leg.destination.tz),
                "duration": format_duration(next_leg.driving_minutes + next_leg.break_minutes),
            }
            if next_leg
            else None
        ),
        "night": night,
        "is_tonight": is_tonight,
        "bed": bed,
        "check_in": format_local(bed.check_in, bed.tz) if bed else "",
        "check_out": format_local(bed.check_out, bed.tz) if bed else "",
        "activities": [
            {"item": a, "when": _time_range(a.starts_at, a.ends_at, a.tz)}
            for a in activities[:UPCOMING_ACTIVITIES]
        ],
        "meals": [
            {"item": meal, "when": format_local(meal.starts_at, meal.tz)}
            for meal in meal_items(plan, stop_ids=[s.id for s in ahead], with_counts=False)
            if meal.starts_at > now
        ][:UPCOMING_ACTIVITIES],
        "local_contacts": [
            (stop, contacts_by_stop[stop.id]) for stop in ahead if stop.id in contacts_by_stop
        ],
        "map": route_map_svg(
            itinerary,
            title=participant.journey.name,
            highlight_stop_id=_next_stop_id(itinerary, now),
        )
        if itinerary.stops
        else "",
        "pdf_url": (
            reverse("journey:personal_pdf", kwargs={"token": participant.secret_token})
            if participant.secret_token
            else ""
        ),
        "feed_url": links.https if links else "",
        "webcal_url": links.webcal if links else "",
        "language_note": fallback_note(participant.language),
        "language_note_lang": participant.language,
        # The know-your-rights sheet, as in the PDF: when the route meets the border zone.
        "rights": know_your_rights_sheet(translation.get_language()) if in_border_zone else None,
        # Only the secret-link page works offline (its worker's scope is the link).
        "offline": (
            offline_context(request, participant, itinerary, now)
            if offline and participant.secret_token
            else None
        ),
        "route_urls": (
            {
                "gpx": reverse("journey:route_gpx", kwargs={"token": participant.secret_token}),
                "kml": reverse("journey:route_kml", kwargs={"token": participant.secret_token}),
            }
            if participant.secret_token and itinerary.stops
            else None
        ),
    }


def _next_stop_id(itinerary: Itinerary, now: datetime) -> int | None:
    stop = next((s for s in itinerary.stops if s.departure > now), None)
    return stop.id if stop else None


def _rider_language(request, participant: Participant) -> str:
    """The language the visitor chose with the switcher (its cookie), else the participant's."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return reader_language(participant.language)


def _render_rider(request, participant: Participant, *, claim_url: str = "", offline: bool = False):
    language = _rider_language(request, participant)
    with translation.override(language):
        context = _rider_context(request, participant, timezone.now(), offline=offline)
        response = render(request, "web/rider/itinerary.html", {**context, "claim_url": claim_url})
    response["Content-Language"] = language
    # Addresses and phone numbers: never kept by a shared cache, never indexed.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_vary_headers(response, ["Cookie"])
    return response


@throttle.secret_link
@require_safe
def my_itinerary(request, token: str):
    """The rider's itinerary through their secret link, which also works offline once seen
    (``web.public.offline``). Revoked or unknown: 404, with a page saying the link no longer
    opens an itinerary, which also removes what the phone kept of it."""
    access = access_for_personal_link(token)
    if access is None:
        response = render(request, "web/rider/gone.html", status=404)
        response["Referrer-Policy"] = "no-referrer"
        response["Cache-Control"] = "private, no-store"
        return response
    participant = access.link_participant
    claim_url = ""
    if request.user.is_authenticated and participant.user_id is None:
        claim_url = reverse("web:claim_itinerary", args=[token])
    response = _render_rider(request, participant, claim_url=claim_url, offline=True)
    # The secret link is in this page's address: never send it to another site.
    response["Referrer-Policy"] = "no-referrer"
    return response


@throttle.secret_link
@require_POST
def claim_itinerary(request, token: str):
    """Link the signed-in person's login to the itinerary whose secret link they hold: their
    own acceptance, the only way a login is linked to a participant (CSRF-protected POST)."""
    access = access_for_personal_link(token)
    if access is None:
        raise Http404
    participant = access.link_participant
    here = reverse("web:my_itinerary", args=[token])
    if not request.user.is_authenticated:
        return redirect_to_login(here)
    try:
        claim_participant(participant=participant, user=request.user)
    except AlreadyLinked:
        messages.error(
            request,
            _("This itinerary is already linked to another account. Ask a coordinator."),
        )
    else:
        messages.success(request, _("This itinerary is now linked to your account."))
    response = redirect(here)
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_safe
def me(request):
    """The signed-in person's itinerary; a list to choose from when they have several."""
    records = list(
        Participant.objects.filter(user=request.user)
        .select_related("journey")
        .order_by("journey__name", "pk")
    )
    if len(records) == 1:
        return _render_rider(request, records[0])
    response = render(request, "web/rider/choose.html", {"records": records})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def me_detail(request, pk: int):
    """One of the signed-in person's own participant records (anyone else's: 404)."""
    participant = get_object_or_404(
        Participant.objects.select_related("journey"), pk=pk, user=request.user
    )
    return _render_rider(request, participant)
