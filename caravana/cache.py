"""Redis as a cache that fails soft: its loss makes Caravana slower, never broken.

With ``REDIS_URL`` set, exports and rate-limit counters live in Redis through
``ResilientRedisCache``: Django's own ``RedisCache`` with these differences.

* **No connection error reaches a page.** When Redis cannot be reached (refused, reset,
  timed out), the operation is done in this process's memory instead, by a ``LocMemCache``
  like the one Caravana uses without ``REDIS_URL``: an export that is not there is
  computed (and kept locally for a while), and the rate limits count per process. A
  sign-in or secret-link guesser is therefore still stopped while Redis is down, after at
  most the limit per worker process instead of the limit in all (see the README's
  "Failure behaviour").
* **A dead Redis costs (almost) nothing.** Sockets time out quickly (``socket_connect_timeout``
  0.25 s, ``socket_timeout`` 0.5 s, both overridable in ``OPTIONS``), and after a failure
  the process leaves Redis alone for ``RETRY_SECONDS`` (5): the requests meanwhile go
  straight to local memory. The first operation after that tries Redis again; when it
  answers, the cache is back in Redis by itself and the local copies are dropped.
* **One warning per outage, not per request**: at most one every ``WARN_SECONDS`` (60) per
  process (logger ``caravana.cache``), and an INFO line when Redis answers again.

``RETRY_SECONDS`` and ``WARN_SECONDS`` go in the cache's ``OPTIONS`` and are taken out before
the rest reach redis-py. The state of an outage is kept per process (shared by its threads)
and per Redis address and key prefix.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import partial
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("caravana.cache")

#: What "Redis cannot be reached" looks like (redis-py wraps socket errors in these).
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _where(servers) -> str:
    """host:port of each server, never a password from the URL."""
    places = []
    for server in servers:
        parts = urlsplit(server)
        if parts.hostname:
            places.append(f"{parts.hostname}:{parts.port or 6379}")
        else:  # unix:///run/redis.sock
            places.append(parts.path or "?")
    return ", ".join(places)


class Outage:
    """Whether one Redis is being left alone, and when its loss was last told."""

    def __init__(self, where: str):
        self.where = where
        self.down = False
        self._lock = threading.Lock()
        self._retry_at = 0.0
        self._warned_at: float | None = None

    def skipping(self) -> bool:
        return self.down and time.monotonic() < self._retry_at

    def failed(self, error: Exception, *, retry_seconds: float, warn_seconds: float) -> None:
        now = time.monotonic()
        with self._lock:
            self.down = True
            self._retry_at = now + retry_seconds
            warn = self._warned_at is None or now - self._warned_at >= warn_seconds
            if warn:
                self._warned_at = now
        if warn:
            logger.warning(
                "Redis at %s cannot be reached (%s: %s). The cache works in this process's "
                "memory (rate limits count per process) and tries Redis again every %g s.",
                self.where,
                type(error).__name__,
                error,
                retry_seconds,
            )

    def recovered(self) -> bool:
        """True once, for the first success after a failure."""
        with self._lock:
            if not self.down:
                return False
            self.down = False
        logger.info("Redis at %s answers again: the cache is back in Redis.", self.where)
        return True


_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def outage_of(name: str, where: str) -> Outage:
    with _outages_lock:
        return _outages.setdefault(name, Outage(where))


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        self.warn_seconds = float(options.pop("WARN_SECONDS", 60))
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        params["OPTIONS"] = options
        super().__init__(server, params)
        name = f"{','.join(self._servers)}|{self.key_prefix}"
        self.outage = outage_of(name, _where(self._servers))
        # Same keys, timeout and version as Redis; LocMemCache's own bound on entries.
        self.local = LocMemCache(
            f"caravana-redis-fallback|{name}", {**params, "OPTIONS": {}, "LOCATION": ""}
        )

    def attempt(self, in_redis, in_memory):
        """``in_redis()``, or ``in_memory()`` while Redis cannot be reached."""
        if self.outage.skipping():
            return in_memory()
        try:
            result = in_redis()
        except UNREACHABLE as error:
            self.outage.failed(
                error, retry_seconds=self.retry_seconds, warn_seconds=self.warn_seconds
            )
            return in_memory()
        if self.outage.down and self.outage.recovered():
            self.local.clear()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.attempt(
            partial(super().add, key, value, timeout, version),
            partial(self.local.add, key, value, timeout, version),
        )

    def get(self, key, default=None, version=None):
        return self.attempt(
            partial(super().get, key, default, version),
            partial(self.local.get, key, default, version),
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.attempt(
            partial(super().set, key, value, timeout, version),
            partial(self.local.set, key, value, timeout, version),
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.attempt(
            partial(super().touch, key, timeout, version),
            partial(self.local.touch, key, timeout, version),
        )

    def delete(self, key, version=None):
        return self.attempt(
            partial(super().delete, key, version), partial(self.local.delete, key, version)
        )

    def get_many(self, keys, version=None):
        return self.attempt(
            partial(super().get_many, keys, version), partial(self.local.get_many, keys, version)
        )

    def has_key(self, key, version=None):
        return self.attempt(
            partial(super().has_key, key, version), partial(self.local.has_key, key, version)
        )

    def incr(self, key, delta=1, version=None):
        return self.attempt(
            partial(super().incr, key, delta, version),
            partial(self.local.incr, key, delta, version),
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self.attempt(
            partial(super().set_many, data, timeout, version),
            partial(self.local.set_many, data, timeout, version),
        )

    def delete_many(self, keys, version=None):
        return self.attempt(
            partial(super().delete_many, keys, version),
            partial(self.local.delete_many, keys, version),
        )

    def clear(self):
        self.local.clear()
        return self.attempt(super().clear, lambda: False)
