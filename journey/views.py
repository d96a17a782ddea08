"""Calendar feeds: public, team (secret link or coordinator login) and personal (secret link).

Each feed answers conditional requests (ETag and Last-Modified, 304) from a
single aggregate query over the journey's rows, without building the feed.
Anything a visitor may not see answers 404, so a guessed or revoked link
tells nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.views.decorators.http import condition, require_safe

from journey import rules
from journey.exporters import ExportRequest, get_exporter, reader_language
from journey.itinerary import Audience
from journey.models import Journey, Leg, RouteStop
from journey.plan import load_plan
from participants.models import BedAssignment, Participant, SeatAssignment, Vehicle
from stops.models import Activity, Lodging, Stop


@dataclass(frozen=True)
class FeedVersion:
    etag: str
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


def feed_version(journey_id: int, *extra) -> FeedVersion | None:
    """The version of everything a journey's feeds are built from, in one query.

    Last-Modified is the latest ``updated_at`` of the journey and its stops,
    legs, activities, lodgings and participants. The ETag adds row counts
    (so deletions count) and checksums of the seat and bed assignments and
    vehicles, which have no ``updated_at`` of their own; ``extra`` (audience,
    language, participant) tells feeds of the same journey apart.
    """
    stamped = {
        "stops": (Stop.objects.all(), "journey"),
        "legs": (Leg.objects.all(), "route__journey"),
        "activities": (Activity.objects.all(), "stop__journey"),
        "lodgings": (Lodging.objects.all(), "stop__journey"),
        "participants": (Participant.objects.all(), "journey"),
    }
    annotations = {}
    for name, (queryset, path) in stamped.items():
        annotations[f"v_{name}_max"] = _scalar(queryset, path, Max("updated_at"))
        annotations[f"v_{name}_count"] = _scalar(queryset, path, Count("pk"))
    checksum = IntegerField()
    annotations["v_seats"] = _scalar(
        SeatAssignment.objects.all(),
        "vehicle__journey",
        Sum(
            F("pk") * 7 + F("vehicle_id") * 5 + F("from_stop_id") * 3 + F("to_stop_id"),
            output_field=checksum,
        )
        + Count("pk")
        + Coalesce(Sum("pk", filter=Q(is_driver=True)), 0),
    )
    annotations["v_beds"] = _scalar(
        BedAssignment.objects.all(),
        "lodging__stop__journey",
        Sum(F("pk") * 3 + F("lodging_id") + F("participant_id") * 11, output_field=checksum)
        + Count("pk"),
    )
    annotations["v_vehicles"] = _scalar(
        Vehicle.objects.all(), "journey", Sum(F("pk") + F("seats") * 3, output_field=checksum)
    )
    annotations["v_route_stops"] = _scalar(
        RouteStop.objects.all(),
        "route__journey",
        Sum(F("stop_id") * (F("position") + 1), output_field=checksum),
    )
    row = (
        Journey.objects.filter(pk=journey_id)
        .annotate(**annotations)
        .values("updated_at", "is_published", *annotations)
        .first()
    )
    if row is None:
        return None
    stamps = [row["updated_at"]] + [row[f"v_{name}_max"] for name in stamped]
    last_modified = max(stamp for stamp in stamps if stamp is not None)
    fingerprint = repr((sorted(row.items()), extra)).encode()
    return FeedVersion(hashlib.sha256(fingerprint).hexdigest()[:40], last_modified)


@dataclass(frozen=True)
class FeedTarget:
    journey: Journey
    audience: Audience
    language: str
    filename: str
    participant: Participant | None = None

    @property
    def version(self) -> FeedVersion | None:
        participant_id = self.participant.pk if self.participant else None
        return feed_version(self.journey.pk, self.audience, self.language, participant_id)


def calendar_feed(resolve):
    """A feed view from ``resolve(request, **kwargs) -> FeedTarget | None`` (None: 404)."""

    def target(request, **kwargs) -> FeedTarget | None:
        if not hasattr(request, "_caravana_feed"):
            found = resolve(request, **kwargs)
            request._caravana_feed = (found, found.version if found else None)
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
        found, _version = target(request, **kwargs)
        if found is None:
            raise Http404
        exporter = get_exporter("ics", "calendar")
        body = exporter.export(
            load_plan(found.journey),
            ExportRequest(found.audience, participant=found.participant),
            language=found.language,
        )
        response = HttpResponse(body, content_type=exporter.content_type)
        response["Content-Disposition"] = f'inline; filename="{exporter.filename(found.filename)}"'
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
