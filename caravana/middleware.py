"""Two guards that answer before anything else can go wrong.

``RequestSizeLimitMiddleware`` refuses request bodies larger than ``CARAVANA_MAX_UPLOAD_BYTES``
before anything reads them. Django limits form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not
uploaded files, which it streams to disk at any size, and the API's JSON parser reads the body
without either limit. This middleware looks at the declared length first, so an oversized body
is answered with 413 and a page naming the limit, no view runs and nothing is saved. (The
reverse proxy should have the same limit, e.g. nginx's ``client_max_body_size``, so the
bytes are not even accepted.)

``DatabaseUnavailableMiddleware`` answers 503 with ``Retry-After`` while the database cannot be
reached (PostgreSQL restarting, a connection cut): a plain page in the reader's language, or
JSON under ``/api/``, never a traceback. The page is rendered without the request's context,
so it asks the database nothing. A write cut in the middle is rolled back whole, since the
services write inside ``transaction.atomic``; the next request reconnects by itself
(``CONN_HEALTH_CHECKS``, see the settings).
"""

from __future__ import annotations

import logging
import sys
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger("caravana.middleware")

#: Seconds a client is asked to wait while the database is away (a restart takes a few).
DATABASE_RETRY_AFTER = 30
#: At most one warning this often per process, however many requests fail.
DATABASE_WARN_SECONDS = 60


def max_upload_bytes() -> int:
    return getattr(settings, "CARAVANA_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = max_upload_bytes()
        if _declared_length(request) > limit:
            return render(
                request,
                "413.html",
                {
                    "message": _("What you sent is too large: at most %(limit)s is accepted.")
                    % {"limit": filesizeformat(limit)}
                },
                status=413,
            )
        return self.get_response(request)


def database_unavailable(request) -> HttpResponse:
    """The 503 answer: JSON under /api/, else a page; both say to try again shortly."""
    message = _("Caravana cannot reach its database for a moment. Please try again shortly.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        # No request context: the context processors could ask the database again.
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached during a view: 503, and one warning a minute."""

    _warned_at: float | None = None

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        now = time.monotonic()
        last = DatabaseUnavailableMiddleware._warned_at
        if last is None or now - last >= DATABASE_WARN_SECONDS:
            DatabaseUnavailableMiddleware._warned_at = now
            # The error's class and first line: never the query or its values.
            logger.warning(
                "The database cannot be reached (%s: %s); answering 503.",
                type(exception).__name__,
                str(exception).strip().splitlines()[0] if str(exception).strip() else "",
            )
        return database_unavailable(request)


def server_error(request):
    """``handler500``: the 503 answer too when the database went away outside a view (a
    session saved by its middleware), else Django's own 500 page."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable(request)
    return defaults.server_error(request)
