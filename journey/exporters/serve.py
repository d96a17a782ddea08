"""The one way an export reaches a reader: feeds, PDFs, CSV lists and the API alike.

``serve_export(request, access, target)`` asks the access model whether this reader may
have this export (``export.read`` in ``journey.rules``), answers a conditional request from
the plan's version without building anything (ETag, Last-Modified, 304), builds the file
once per plan version and reader (``cached_export``) and sets the headers: a file with
names, phones or addresses is never kept by a shared cache nor indexed.

Callers only resolve the reader (``journey.access``) and say what they want
(``ExportTarget``); refusals are theirs to word (404 on pages and links, 401/403/404 in
the API) since they know what the reader may be told.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

from journey.exporters import Exporter, ExportRequest, reader_language
from journey.itinerary import Audience
from journey.plan import PlanVersion, load_plan, plan_version


@dataclass(frozen=True)
class ExportTarget:
    """One export for one reader: which file, of what, in which language, named how."""

    exporter: Exporter
    wanted: ExportRequest
    language: str
    filename: str  # without the extension
    inline: bool = False  # calendars open in place; documents download
    key: tuple = field(default=())  # what else the bytes depend on (a printed link)

    @property
    def audience(self) -> Audience:
        return self.wanted.audience

    @property
    def participant(self):
        return self.wanted.participant

    @property
    def stop(self):
        return self.wanted.stop

    @property
    def vehicle(self):
        return self.wanted.vehicle

    def cache_key(self, journey_id: int) -> tuple:
        """Whom the file is for: part of its ETag and of its cache key."""
        return (
            self.exporter.identifier(),
            journey_id,
            str(self.audience),
            self.participant.pk if self.participant is not None else None,
            self.stop.pk if self.stop is not None else None,
            reader_language(self.language),
            # Only when asked for, so the keys of exports that take no vehicle stay as they were.
            *((("vehicle", self.vehicle.pk),) if self.vehicle is not None else ()),
            *self.key,
        )


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


def _headers(response: HttpResponse, target: ExportTarget, etag: str, version: PlanVersion):
    response["ETag"] = quote_etag(etag)
    response["Last-Modified"] = http_date(version.last_modified.timestamp())
    if target.audience == Audience.PUBLIC or target.inline:
        response["Cache-Control"] = "private, no-cache"  # ask again; 304 when unchanged
    else:
        # Names, phones and addresses: never kept by a cache.
        response["Cache-Control"] = "private, no-store"
    if target.audience != Audience.PUBLIC:
        response["X-Robots-Tag"] = "noindex, nofollow"


def serve_export(request, access, target: ExportTarget) -> HttpResponse:
    """The export as a response for ``access``'s reader (Http404 if they may not have it).

    Raises ``ExportError`` (from the exporter's own checks) when the export cannot be made
    for what was asked; callers word it for their readers.
    """
    if not access.can("export.read", target):
        raise Http404
    target.exporter.check(target.wanted)
    journey = access.journey
    version = plan_version(journey.pk)
    if version is None:
        raise Http404
    key = target.cache_key(journey.pk)
    etag = _digest(version.tag, *key)
    language = reader_language(target.language)
    not_modified = get_conditional_response(
        request, etag=quote_etag(etag), last_modified=int(version.last_modified.timestamp())
    )
    if not_modified is not None:
        _headers(not_modified, target, etag, version)
        return not_modified
    body = cached_export(
        version,
        *key,
        render=lambda: target.exporter.export(load_plan(journey), target.wanted, language=language),
    )
    response = HttpResponse(body, content_type=target.exporter.content_type)
    disposition = "inline" if target.inline else "attachment"
    filename = target.exporter.filename(target.filename)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Content-Language"] = language  # the reader's, not the request's
    _headers(response, target, etag, version)
    return response
