"""Calendar feeds and PDF documents: public, team (secret link or coordinator login) and
personal (secret link).

One aggregate query gives the plan's version (``plan_version``). Feeds answer conditional
requests from it (ETag and Last-Modified, 304) without building anything, and every feed
and PDF is kept in the cache under a key made of that version and whom it is for
(``cached_export``), so a phone polling its calendar, or a coordinator downloading the
booklet twice, costs one query and a cache read until the plan changes.

Anything a visitor may not see answers 404, so a guessed or revoked link tells nothing;
secret-link views count such 404s per address and stop guessers (``caravana.throttle``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.utils.text import slugify
from django.views.decorators.http import condition, require_safe

from caravana import throttle
from caravana.params import parse_id
from journey import rules
from journey.exporters import ExportRequest, get_exporter, reader_language
from journey.itinerary import Audience
from journey.models import Journey, Leg, Route, RouteStop
from journey.plan import load_plan
from journey.tokens import subscription_urls
from participants.models import BedAssignment, Participant, SeatAssignment, Vehicle
from stops.models import Activity, HostAlly, LocalContact, Lodging, Stop


@dataclass(frozen=True)
class PlanVersion:
    """Where a journey's plan stands: a tag that changes with any change, and when it last did."""

    tag: str
    last_modified: datetime


def _scalar(queryset, journey_path: str, value):
    """A subquery giving one aggregate of ``queryset`` for the outer journey."""
    return Subquery(
        queryset.filter(**{journey_path: OuterRef("pk")})
        .order_by()
        .values(journey_path)
        .annotate(value=value)
        .values("value")[:1]
    )


# The rows every export is built from that carry ``updated_at``, with the path to their journey.
_STAMPED = {
    "stops": (Stop, "journey"),
    "legs": (Leg, "route__journey"),
    "activities": (Activity, "stop__journey"),
    "lodgings": (Lodging, "stop__journey"),
    "contacts": (LocalContact, "stop__journey"),
    "participants": (Participant, "journey"),
    "vehicles": (Vehicle, "journey"),
    "seats": (SeatAssignment, "vehicle__journey"),
    "beds": (BedAssignment, "lodging__stop__journey"),
}


def plan_version(journey_id: int) -> PlanVersion | None:
    """The version of everything a journey's feeds and documents are built from, in one query.

    For each kind of row that has ``updated_at``: the latest one and the count (so a
    deletion counts too). Seats and beds also get a checksum of where they point, since
    moving people around in bulk (``QuerySet.update()``) skips ``updated_at``. Rows
    without it: the order of stops on each route (a checksum of positions), the routes
    (their history's latest date: a rename or a new colour) and the host allies (count,
    latest application and decision). Any other change made with ``update()`` shows once
    the cached copy expires (``CARAVANA_EXPORT_CACHE_SECONDS``).
    """
    annotations = {}
    for name, (model, path) in _STAMPED.items():
        annotations[f"v_{name}_max"] = _scalar(model.objects.all(), path, Max("updated_at"))
        annotations[f"v_{name}_count"] = _scalar(model.objects.all(), path, Count("pk"))
    checksum = IntegerField()
    annotations["v_seats_sum"] = _scalar(
        SeatAssignment.objects.all(),
        "vehicle__journey",
        Sum(
            F("pk") * 7 + F("vehicle_id") * 5 + F("from_stop_id") * 3 + F("to_stop_id"),
            output_field=checksum,
        )
        + Coalesce(Sum("pk", filter=Q(is_driver=True)), 0),
    )
    annotations["v_beds_sum"] = _scalar(
        BedAssignment.objects.all(),
        "lodging__stop__journey",
        Sum(F("pk") * 3 + F("lodging_id") + F("participant_id") * 11, output_field=checksum),
    )
    annotations["v_route_stops"] = _scalar(
        RouteStop.objects.all(),
        "route__journey",
        Sum(F("stop_id") * (F("position") + 1), output_field=checksum) + Count("pk"),
    )
    annotations["v_routes"] = _scalar(
        Route.history.model.objects.all(), "history_journey_id", Max("history_date")
    )
    annotations["v_hosts_count"] = _scalar(HostAlly.objects.all(), "journey", Count("pk"))
    annotations["v_hosts_created"] = _scalar(HostAlly.objects.all(), "journey", Max("created_at"))
    annotations["v_hosts_decided"] = _scalar(HostAlly.objects.all(), "journey", Max("decided_at"))
    row = (
        Journey.objects.filter(pk=journey_id)
        .annotate(**annotations)
        .values("updated_at", "is_published", *annotations)
        .first()
    )
    if row is None:
        return None
    stamps = [row["updated_at"]] + [row[f"v_{name}_max"] for name in _STAMPED]
    last_modified = max(stamp for stamp in stamps if stamp is not None)
    fingerprint = repr(sorted(row.items())).encode()
    return PlanVersion(hashlib.sha256(fingerprint).hexdigest()[:40], last_modified)


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


def cached_export(version: PlanVersion, *key, render) -> bytes:
    """``render()``, kept in the cache under ``key`` and the plan's version.

    ``key`` names everything else the bytes depend on: the export, the journey, the
    audience, the participant or stop, the language, any link printed inside. A change to
    the plan gives a new version, hence a new key: nothing is ever invalidated by hand, an
    old copy just expires. Nobody gets a copy made for someone else, since whom it was made
    for is part of its key.
    """
    seconds = getattr(settings, "CARAVANA_EXPORT_CACHE_SECONDS", 3600)
    if seconds <= 0:
        return render()
    cache_key = f"caravana:export:{_digest(version.tag, *key)}"
    body = cache.get(cache_key)
    if body is None:
        body = render()
        cache.set(cache_key, body, seconds)
    return body


@dataclass(frozen=True)
class FeedTarget:
    journey: Journey
    audience: Audience
    language: str
    filename: str
    participant: Participant | None = None

    @property
    def key(self) -> tuple:
        """Whom the feed is for: part of its ETag and of its cache key."""
        participant_id = self.participant.pk if self.participant else None
        return ("ics", self.journey.pk, self.audience, participant_id, self.language)


@dataclass(frozen=True)
class FeedVersion:
    plan: PlanVersion
    etag: str

    @property
    def last_modified(self) -> datetime:
        return self.plan.last_modified


def _feed_version(found: FeedTarget) -> FeedVersion | None:
    plan = plan_version(found.journey.pk)
    if plan is None:
        return None
    return FeedVersion(plan, _digest(plan.tag, *found.key))


def calendar_feed(resolve):
    """A feed view from ``resolve(request, **kwargs) -> FeedTarget | None`` (None: 404)."""

    def target(request, **kwargs) -> FeedTarget | None:
        if not hasattr(request, "_caravana_feed"):
            found = resolve(request, **kwargs)
            request._caravana_feed = (found, _feed_version(found) if found else None)
        return request._caravana_feed

    def etag(request, **kwargs):
        _found, version = target(request, **kwargs)
        return version.etag if version else None

    def last_modified(request, **kwargs):
        _found, version = target(request, **kwargs)
        return version.last_modified if version else None

    @require_safe
    @condition(etag_func=etag, last_modified_func=last_modified)
    def view(request, **kwargs):
        found, version = target(request, **kwargs)
        if found is None or version is None:
            raise Http404
        exporter = get_exporter("ics", "calendar")
        body = cached_export(
            version.plan,
            *found.key,
            render=lambda: exporter.export(
                load_plan(found.journey),
                ExportRequest(found.audience, participant=found.participant),
                language=found.language,
            ),
        )
        response = HttpResponse(body, content_type=exporter.content_type)
        response["Content-Disposition"] = f'inline; filename="{exporter.filename(found.filename)}"'
        response["Content-Language"] = found.language  # the reader's, not the request's
        response["Cache-Control"] = "private, no-cache"
        if found.audience != Audience.PUBLIC:
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    view.__name__ = resolve.__name__
    view.__doc__ = resolve.__doc__
    return view


def _request_language(request) -> str:
    return reader_language(getattr(request, "LANGUAGE_CODE", None))


@calendar_feed
def public_feed(request, slug: str) -> FeedTarget | None:
    """The published journey's public feed: public stops and activities, no names."""
    journey = Journey.objects.filter(slug=slug).first()
    if journey is None or not rules.can_view_public(journey):
        return None
    return FeedTarget(journey, Audience.PUBLIC, _request_language(request), journey.slug)


@throttle.secret_link
@calendar_feed
def team_feed_by_token(request, slug: str, token: str) -> FeedTarget | None:
    """The team feed (everything) through the journey's secret team link."""
    journey = Journey.objects.filter(slug=slug).first()
    if journey is None or not rules.team_token_matches(journey, token):
        return None
    return FeedTarget(journey, Audience.TEAM, _request_language(request), f"{slug}-team")


@calendar_feed
def team_feed(request, slug: str) -> FeedTarget | None:
    """The team feed for a coordinator who is logged in."""
    journey = Journey.objects.filter(slug=slug).first()
    if journey is None or not rules.can_view_team(request.user, journey):
        return None
    return FeedTarget(journey, Audience.TEAM, _request_language(request), f"{slug}-team")


@throttle.secret_link
@calendar_feed
def personal_feed(request, token: str) -> FeedTarget | None:
    """A participant's own feed through their secret link (revoked or unknown: 404)."""
    participant = rules.participant_for_token(token)
    if participant is None:
        return None
    journey = participant.journey
    return FeedTarget(
        journey,
        Audience.PERSONAL,
        reader_language(participant.language),
        f"{journey.slug}-my-itinerary",
        participant,
    )


# --- PDF documents ------------------------------------------------------------------------
#
# The public booklet for anyone once the journey is published; the team booklet, the
# rooming list, the manifest and the hosts' day sheets for the journey's coordinators
# (anyone else gets 404, as for the team feed); the personal itinerary through the
# participant's secret link. Each is a download (Content-Disposition: attachment).


def _pdf(
    document: str,
    journey: Journey,
    wanted: ExportRequest,
    *,
    language: str,
    filename: str,
    key: tuple = (),
):
    """The PDF as a download, from the cache when the plan has not changed since.

    ``key`` adds what the document depends on beyond the journey, audience, participant,
    stop and language (the personal itinerary's printed link).
    """
    exporter = get_exporter("pdf", document)
    version = plan_version(journey.pk)
    if version is None:
        raise Http404
    participant = getattr(wanted, "participant", None)
    stop = getattr(wanted, "stop", None)
    body = cached_export(
        version,
        "pdf",
        document,
        journey.pk,
        wanted.audience,
        participant.pk if participant else None,
        stop.pk if stop else None,
        language,
        *key,
        render=lambda: exporter.export(load_plan(journey), wanted, language=language),
    )
    response = HttpResponse(body, content_type=exporter.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exporter.filename(filename)}"'
    response["Content-Language"] = language  # the reader's, not the request's
    if wanted.audience == Audience.PUBLIC:
        response["Cache-Control"] = "private, no-cache"
    else:
        # Names, phones and addresses: never kept by a cache or indexed.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _coordinated_journey(request, slug: str) -> Journey:
    journey = Journey.objects.filter(slug=slug).first()
    if journey is None or not rules.can_view_team(request.user, journey):
        raise Http404
    return journey


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
    journey = Journey.objects.filter(slug=slug).first()
    if journey is None or not rules.can_view_public(journey):
        raise Http404
    return _pdf(
        "booklet",
        journey,
        ExportRequest(Audience.PUBLIC),
        language=_request_language(request),
        filename=f"{journey.slug}-booklet",
    )


@require_safe
def team_booklet(request, slug: str):
    """The team booklet (everything, confidential) for the journey's coordinators."""
    journey = _coordinated_journey(request, slug)
    return _pdf(
        "booklet",
        journey,
        ExportRequest(Audience.TEAM),
        language=_request_language(request),
        filename=f"{journey.slug}-team-booklet",
    )


@require_safe
def team_rooming_list(request, slug: str):
    """The rooming list (confidential), for the whole journey or ``?stop=ID``."""
    journey = _coordinated_journey(request, slug)
    stop = _stop_from_query(request, journey)
    return _pdf(
        "rooming",
        journey,
        ExportRequest(Audience.TEAM, stop=stop),
        language=_request_language(request),
        filename=f"{journey.slug}-rooming-list{_stop_suffix(stop)}",
    )


@require_safe
def team_manifest(request, slug: str):
    """The vehicle manifest (confidential), for the whole journey or ``?stop=ID``."""
    journey = _coordinated_journey(request, slug)
    stop = _stop_from_query(request, journey)
    return _pdf(
        "manifest",
        journey,
        ExportRequest(Audience.TEAM, stop=stop),
        language=_request_language(request),
        filename=f"{journey.slug}-manifest{_stop_suffix(stop)}",
    )


@require_safe
def host_day_sheet_pdf(request, slug: str, stop_id: int):
    """The day sheet a coordinator hands to the host of one stop (counts, no names)."""
    journey = _coordinated_journey(request, slug)
    stop = Stop.objects.filter(pk=stop_id, journey=journey).first()
    if stop is None:
        raise Http404
    return _pdf(
        "daysheet",
        journey,
        ExportRequest(Audience.TEAM, stop=stop),
        language=_request_language(request),
        filename=f"{journey.slug}-day-sheet{_stop_suffix(stop)}",
    )


@throttle.secret_link
@require_safe
def personal_itinerary_pdf(request, token: str):
    """A participant's printable itinerary through their secret link, in their language."""
    # Imported here: reportlab loads on the first PDF, not with every process.
    from journey.exporters.pdf.personal import PersonalExportRequest

    participant = rules.participant_for_token(token)
    if participant is None:
        raise Http404
    journey = participant.journey
    links = subscription_urls(request, participant)
    return _pdf(
        "personal",
        journey,
        PersonalExportRequest(Audience.PERSONAL, participant=participant, links=links),
        language=reader_language(participant.language),
        filename=f"{journey.slug}-my-itinerary",
        key=(links,),  # its QR code: the link, with this site's address
    )
