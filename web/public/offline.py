"""The rider's itinerary offline: a web app manifest and a service worker under their own link.

After one visit with signal, the rider's page (``/my/<token>/``), their PDF and the
know-your-rights sheet on that page open without signal. The pieces:

* ``/my/<token>/manifest.webmanifest``: makes the page installable ("Add to Home screen");
  its scope is the rider's own link.
* ``/my/<token>/sw.js``: the service worker, ``static/web/rider-sw.js`` (plain JavaScript)
  after a first line naming what it keeps. Served from inside the link, its scope is that
  link alone: it keeps only the page, the PDF and the manifest of its own rider (and the
  shared static files), in a cache named after that scope, so two riders on one phone never
  see each other's copy. It asks the network first and falls back to its copy; when the
  server answers 404 or 410 (the link was revoked or replaced) it deletes its copy and
  unregisters, and the page that comes back says the link no longer works.
* ``static/web/rider-offline.js`` on the page registers the worker (progressive enhancement:
  without it, the page works as before), shows when the copy is from the phone, reloads
  when signal returns, and lists what changed since the rider last looked by comparing the
  lines of ``itinerary_lines`` (their own itinerary, in their language) with those it kept
  from the last look, under the version ``lines_version``.

Both views answer 404 for an unknown or revoked link, like every secret link, and count
guesses (``caravana.throttle``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from functools import cache

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from caravana import throttle
from journey.access import access_for_personal_link
from journey.exporters import reader_language
from journey.formatting import format_local, weekday_day_month
from journey.itinerary import Itinerary

WORKER_SOURCE = "web/rider-sw.js"
# Static files the worker keeps, so the page looks right offline (shared by every rider).
ASSETS = ("web/caravana.css", "web/rider-offline.js", "web/caravana-icon.svg")
# What the worker keeps of its own link, relative to it: the page, the PDF, the manifest.
KEPT = ("", "itinerary.pdf", "manifest.webmanifest")


# --- What the page compares from one look to the next ------------------------------------------


def itinerary_lines(itinerary: Itinerary) -> dict[str, str]:
    """The rider's itinerary as one line of text per item, keyed by what it is about
    ("stop:12", "night:2027-03-02"), in the active language and each place's local time.

    The page keeps these on the phone; at the next look the lines that were added, removed
    or changed are what changed. Only the rider's own itinerary (``Audience.PERSONAL``).
    """
    lines: dict[str, str] = {}
    for stop in itinerary.stops:
        where = ", ".join(part for part in (stop.venue, stop.address) if part)
        text = _("%(place)s: from %(arrival)s to %(departure)s") % {
            "place": stop.place_name,
            "arrival": format_local(stop.arrival, stop.tz),
            "departure": format_local(stop.departure, stop.tz),
        }
        lines[f"stop:{stop.id}"] = f"{text} · {where}" if where else text
    for leg in itinerary.legs:
        text = _("Departure from %(origin)s to %(destination)s: %(when)s") % {
            "origin": leg.origin.place_name,
            "destination": leg.destination.place_name,
            "when": format_local(leg.departure, leg.origin.tz),
        }
        vehicles = ", ".join(on_leg.vehicle.name for on_leg in leg.vehicles)
        lines[f"leg:{leg.id}"] = f"{text} · {vehicles}" if vehicles else text
    for night in itinerary.nights:
        when = _("Night of %(date)s in %(place)s") % {
            "date": weekday_day_month(night.date),
            "place": night.stop.place_name,
        }
        if night.bed is not None:
            bed = f"{night.bed.name}, {night.bed.address}" if night.bed.address else night.bed.name
        else:
            bed = _("bed not assigned yet")
        lines[f"night:{night.date:%Y%m%d}"] = f"{when}: {bed}"
    for activity in itinerary.activities:
        lines[f"activity:{activity.id}"] = _("%(title)s: %(when)s at %(place)s") % {
            "title": activity.title,
            "when": format_local(activity.starts_at, activity.tz),
            "place": activity.venue or activity.place_name,
        }
    return lines


def lines_version(lines: dict[str, str]) -> str:
    """A version of the rider's own itinerary: changes when one of their lines does (and
    not when someone else's itinerary does)."""
    return hashlib.sha256(json.dumps(lines, sort_keys=True).encode()).hexdigest()[:20]


def offline_context(request, participant, itinerary: Itinerary, now: datetime) -> dict:
    """What the page needs to work offline: the worker, the manifest, the lines and when
    this copy was made (in the zone of the rider's current or next stop)."""
    token = participant.secret_token
    scope = reverse("web:my_itinerary", args=[token])
    lines = itinerary_lines(itinerary)
    ahead = next((s for s in itinerary.stops if s.departure > now), None)
    zone = (
        ahead.tz
        if ahead
        else (itinerary.stops[-1].tz if itinerary.stops else itinerary.journey.home_timezone)
    )
    return {
        "scope": scope,
        "worker_url": reverse("web:rider_worker", args=[token]),
        "manifest_url": reverse("web:rider_manifest", args=[token]),
        "version": lines_version(lines),
        "lines": lines,
        "updated": format_local(now, zone),
        "updated_iso": now.isoformat(),
    }


# --- The manifest and the worker ---------------------------------------------------------------


def _rider_access(token: str):
    access = access_for_personal_link(token)
    if access is None:
        raise Http404
    return access


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@throttle.secret_link
@require_safe
def rider_manifest(request, token: str):
    """The web app manifest of one rider's page: installable, scoped to their link."""
    participant = _rider_access(token).link_participant
    scope = reverse("web:my_itinerary", args=[token])
    language = reader_language(participant.language)
    with translation.override(language):
        data = {
            "name": _("My itinerary · %(journey)s") % {"journey": participant.journey.name},
            "short_name": _("My itinerary"),
            "description": _("Your itinerary, also without signal."),
            "lang": language,
            "id": scope,
            "start_url": scope,
            "scope": scope,
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#8a1c7c",
            "icons": [
                {
                    "src": static(ASSETS[2]),
                    "sizes": "any",
                    "type": "image/svg+xml",
                    "purpose": "any",
                }
            ],
        }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "private, no-cache"
    return _private(response)


@cache
def _worker_source() -> str:
    path = finders.find(WORKER_SOURCE)
    if path is None:  # pragma: no cover - the file ships with the code
        raise FileNotFoundError(WORKER_SOURCE)
    with open(path, encoding="utf-8") as source:
        return source.read()


@throttle.secret_link
@require_safe
def rider_worker(request, token: str):
    """The rider's service worker: ``static/web/rider-sw.js`` after one line saying what it
    keeps. Served from inside the link, so its scope is the link and nothing else."""
    _rider_access(token)
    scope = reverse("web:my_itinerary", args=[token])
    kept = {"kept": [scope + name for name in KEPT], "assets": [static(name) for name in ASSETS]}
    settings_line = f"const CARAVANA = {json.dumps(kept)};\n"
    response = HttpResponse(
        settings_line + _worker_source(), content_type="text/javascript; charset=utf-8"
    )
    # Browsers look for a new worker at every visit; never from a shared cache.
    response["Cache-Control"] = "private, no-cache"
    return _private(response)
