"""A small rate limit for anonymous forms, kept in Django's cache (Redis in production).

``allow(request, scope) -> bool`` counts one attempt and says whether it is within the
limits: ``CARAVANA_FORM_RATE_PER_ADDRESS`` attempts (default 10) per client address per
``CARAVANA_FORM_RATE_WINDOW`` seconds (default one hour), and
``CARAVANA_FORM_RATE_GLOBAL`` attempts (default 200) from all addresses together, so a
botnet cannot flood the coordinators' queue either. Every attempt counts, also the ones
with mistakes, which leaves a person room to correct a few.

The client address is ``REMOTE_ADDR``: behind a reverse proxy, configure the proxy (or
a middleware) to set it from the forwarded header it trusts; a client-sent
``X-Forwarded-For`` is never read here, since anyone can forge it.

With the local-memory cache (the default without ``REDIS_URL``) each worker process
counts on its own: the limit is then per process.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _limits() -> tuple[int, int, int]:
    return (
        getattr(settings, "CARAVANA_FORM_RATE_PER_ADDRESS", 10),
        getattr(settings, "CARAVANA_FORM_RATE_GLOBAL", 200),
        getattr(settings, "CARAVANA_FORM_RATE_WINDOW", 3600),
    )


def _count(key: str, window: int) -> int:
    """Add one to a counter that expires ``window`` seconds after its first attempt."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(request, scope: str) -> bool:
    """Count this attempt; False when the address or everyone together is over the limit."""
    per_address, overall, window = _limits()
    # The address is hashed: the cache holds no personal data in the clear.
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    mine = _count(f"caravana:rate:{scope}:{address}", window)
    everyone = _count(f"caravana:rate:{scope}:all", window)
    return mine <= per_address and everyone <= overall


def retry_after() -> int:
    """Seconds a refused client is told to wait (the window)."""
    return _limits()[2]
