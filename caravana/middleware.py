"""Refuse request bodies larger than ``CARAVANA_MAX_UPLOAD_BYTES`` before anything reads them.

Django limits form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not uploaded files, which it
streams to disk at any size, and the API's JSON parser reads the body without either
limit. This middleware looks at the declared length first, so an oversized body is
answered with 413 and a page naming the limit, no view runs and nothing is saved. (The
reverse proxy should have the same limit, e.g. nginx's ``client_max_body_size``, so the
bytes are not even accepted.)
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


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
