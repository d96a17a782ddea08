"""Calendar feeds and PDF documents: public, team (secret link or coordinator login) and
personal (secret link).

Each view resolves who is asking (``journey.access``: a login or a secret link) and what
they want (``ExportTarget``); ``journey.exporters.serve.serve_export`` does the rest, the
same way for every export: the access check, conditional requests (ETag, 304) from the
plan's version, the cache and the headers.

Anything a visitor may not see answers 404, so a guessed or revoked link tells nothing;
secret-link views count such 404s per address and stop guessers (``caravana.throttle``).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from caravana import throttle
from caravana.params import parse_id
from journey.access import (
    access_for_host_link,
    access_for_personal_link,
    access_for_team_link,
    public_access,
    request_access,
)
from journey.exporters import ExportRequest, get_exporter, reader_language
from journey.exporters.serve import ExportTarget, serve_export
from journey.itinerary import Audience
from journey.models import Journey
from journey.tokens import subscription_urls
from participants.models import Vehicle
from stops.models import Stop


def _request_language(request) -> str:
    return reader_language(getattr(request, "LANGUAGE_CODE", None))


def _journey(slug: str) -> Journey:
    journey = Journey.objects.filter(slug=slug).first()
    if journey is None:
        raise Http404
    return journey


def _calendar(access, wanted: ExportRequest, *, language: str, filename: str, request):
    target = ExportTarget(get_exporter("ics", "calendar"), wanted, language, filename, inline=True)
    return serve_export(request, access, target)


# --- Calendar feeds -------------------------------------------------------------------------


@require_safe
def public_feed(request, slug: str):
    """The published journey's public feed: public stops and activities, no names."""
    journey = _journey(slug)
    access = public_access(journey)  # the same for everyone: no need to know who asks
    if not access.can("journey.view_public"):
        raise Http404
    return _calendar(
        access,
        ExportRequest(Audience.PUBLIC),
        language=_request_language(request),
        filename=journey.slug,
        request=request,
    )


@throttle.secret_link
@require_safe
def team_feed_by_token(request, slug: str, token: str):
    """The team feed (everything) through the journey's secret team link."""
    access = access_for_team_link(Journey.objects.filter(slug=slug).first(), token)
    if access is None:
        raise Http404
    return _calendar(
        access,
        ExportRequest(Audience.TEAM),
        language=_request_language(request),
        filename=f"{slug}-team",
        request=request,
    )


@require_safe
def team_feed(request, slug: str):
    """The team feed for a coordinator who is logged in."""
    access = request_access(request, _journey(slug))
    if not access.can("journey.view_team"):
        raise Http404
    return _calendar(
        access,
        ExportRequest(Audience.TEAM),
        language=_request_language(request),
        filename=f"{slug}-team",
        request=request,
    )


@throttle.secret_link
@require_safe
def personal_feed(request, token: str):
    """A participant's own feed through their secret link (revoked or unknown: 404)."""
    access = access_for_personal_link(token)
    if access is None:
        raise Http404
    participant = access.link_participant
    return _calendar(
        access,
        ExportRequest(Audience.PERSONAL, participant=participant),
        language=reader_language(participant.language),
        filename=f"{access.journey.slug}-my-itinerary",
        request=request,
    )


# --- PDF documents ------------------------------------------------------------------------
#
# The public booklet for anyone once the journey is published; the team booklet, the
# rooming list and the manifest for the journey's coordinators (anyone else gets 404, as
# for the team feed); a stop's day sheet for the coordinators and that stop's approved
# hosts; the personal itinerary through the participant's secret link. Each is a
# download (Content-Disposition: attachment).


def _pdf(request, access, document: str, wanted: ExportRequest, *, filename: str, **extra):
    target = ExportTarget(
        get_exporter("pdf", document),
        wanted,
        extra.pop("language", None) or _request_language(request),
        filename,
        **extra,
    )
    return serve_export(request, access, target)


def _team_access(request, slug: str):
    access = request_access(request, _journey(slug))
    if not access.can("journey.view_team"):
        raise Http404
    return access


def _stop_from_query(request, journey: Journey) -> Stop | None:
    """The ``?stop=ID`` a list is limited to (404 for a stop of another journey)."""
    value = request.GET.get("stop")
    if not value:
        return None
    try:
        stop_id = parse_id(value)
    except ValueError:
        raise Http404 from None
    stop = Stop.objects.filter(pk=stop_id, journey=journey).first()
    if stop is None:
        raise Http404
    return stop


def _stop_suffix(stop: Stop | None) -> str:
    if stop is None:
        return ""
    return f"-{slugify(stop.city)}-{stop.local_arrival:%Y-%m-%d}"


@require_safe
def public_booklet(request, slug: str):
    """The published journey's booklet: public stops and activities, no names."""
    journey = _journey(slug)
    access = public_access(journey)  # the same for everyone: no need to know who asks
    if not access.can("journey.view_public"):
        raise Http404
    return _pdf(
        request,
        access,
        "booklet",
        ExportRequest(Audience.PUBLIC),
        filename=f"{journey.slug}-booklet",
    )


@require_safe
def team_booklet(request, slug: str):
    """The team booklet (everything, confidential) for the journey's coordinators."""
    access = _team_access(request, slug)
    return _pdf(
        request,
        access,
        "booklet",
        ExportRequest(Audience.TEAM),
        filename=f"{slug}-team-booklet",
    )


@require_safe
def team_rooming_list(request, slug: str):
    """The rooming list (confidential), for the whole journey or ``?stop=ID``."""
    access = _team_access(request, slug)
    stop = _stop_from_query(request, access.journey)
    return _pdf(
        request,
        access,
        "rooming",
        ExportRequest(Audience.TEAM, stop=stop),
        filename=f"{slug}-rooming-list{_stop_suffix(stop)}",
    )


@require_safe
def team_manifest(request, slug: str):
    """The vehicle manifest (confidential), for the whole journey or ``?stop=ID``."""
    access = _team_access(request, slug)
    stop = _stop_from_query(request, access.journey)
    return _pdf(
        request,
        access,
        "manifest",
        ExportRequest(Audience.TEAM, stop=stop),
        filename=f"{slug}-manifest{_stop_suffix(stop)}",
    )


@require_safe
def host_day_sheet_pdf(request, slug: str, stop_id: int):
    """A stop's day sheet (counts, no names): for the coordinators and the stop's approved
    hosts, who see it as the host's view of their own stop."""
    journey = _journey(slug)
    access = request_access(request, journey)
    stop = Stop.objects.filter(pk=stop_id, journey=journey).first()
    if stop is None or not access.can("stop.view_host_sheet", stop):
        raise Http404
    audience = Audience.TEAM if access.can("journey.view_team") else Audience.HOST
    return _pdf(
        request,
        access,
        "daysheet",
        ExportRequest(audience, stop=stop),
        filename=f"{journey.slug}-day-sheet{_stop_suffix(stop)}",
    )


@throttle.secret_link
@require_safe
def personal_itinerary_pdf(request, token: str):
    """A participant's printable itinerary through their secret link, in their language."""
    # Imported here: reportlab loads on the first PDF, not with every process.
    from journey.exporters.pdf.personal import PersonalExportRequest

    access = access_for_personal_link(token)
    if access is None:
        raise Http404
    participant = access.link_participant
    links = subscription_urls(request, participant)
    return _pdf(
        request,
        access,
        "personal",
        PersonalExportRequest(Audience.PERSONAL, participant=participant, links=links),
        language=reader_language(participant.language),
        filename=f"{access.journey.slug}-my-itinerary",
        key=(links,),  # its QR code: the link, with this site's address
    )


# --- Navigation files (GPX, KML) ------------------------------------------------------------
#
# A vehicle's route for the coordinators (any vehicle of their journey); a rider's own part of
# the route through their secret link. Downloads, through ``serve_export`` like every export.


def _route_file(request, access, format: str, wanted: ExportRequest, *, language, filename):
    target = ExportTarget(get_exporter(format, "route"), wanted, language, filename)
    return serve_export(request, access, target)


@require_safe
def team_vehicle_route(request, slug: str, vehicle_id: int, format: str):
    """One vehicle's route (``format``: gpx or kml) for the journey's coordinators."""
    access = _team_access(request, slug)
    vehicle = Vehicle.objects.filter(pk=vehicle_id, journey=access.journey).first()
    if vehicle is None:
        raise Http404
    return _route_file(
        request,
        access,
        format,
        ExportRequest(Audience.TEAM, vehicle=vehicle),
        language=_request_language(request),
        filename=f"{slug}-{slugify(vehicle.name) or vehicle.pk}-route",
    )


@throttle.secret_link
@require_safe
def personal_route(request, token: str, format: str):
    """A rider's own part of the route (``format``: gpx or kml) through their secret link."""
    access = access_for_personal_link(token)
    if access is None:
        raise Http404
    participant = access.link_participant
    return _route_file(
        request,
        access,
        format,
        ExportRequest(Audience.PERSONAL, participant=participant),
        language=reader_language(participant.language),
        filename=f"{access.journey.slug}-my-route",
    )


@throttle.secret_link
@require_safe
def host_link_day_sheet_pdf(request, token: str):
    """The day sheet of a host's stop through their secret link (the host's view, no names),
    in the host's language; a revoked, rotated or unknown link answers 404."""
    access = access_for_host_link(token)
    if access is None:
        raise Http404
    host = access.link_host
    return _pdf(
        request,
        access,
        "daysheet",
        ExportRequest(Audience.HOST, stop=host.stop),
        language=reader_language(host.language),
        filename=f"{access.journey.slug}-day-sheet{_stop_suffix(host.stop)}",
    )
