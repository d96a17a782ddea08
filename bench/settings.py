"""Settings of the benchmark: Caravana's own settings as deployed, with what a benchmark on
127.0.0.1 needs and nothing else.

* DEBUG off (as in production), a benchmark-only secret key, plain http on 127.0.0.1
  (no redirect to https), static files without the manifest (no ``collectstatic``).
* ``bench.urls``: Caravana's URLs plus the two reference views of the benchmark (a
  hello-world view and a plain ``values()`` + ``JsonResponse`` itinerary), so that the
  production URLs stay clean.
* The cache is off (``DummyCache``): every request builds its answer, so the benchmark
  measures the code that builds exports and pages, not a cache hit; rate-limit counters
  kept in the cache count nothing.
* Every rate limit (``CARAVANA_*RATE*`` settings, DRF throttle rates) is raised out of
  reach: a load test sends thousands of requests from one address. ``RAISED_RATE_LIMITS``
  lists what was raised; the benchmark prints it.

The database is ``DATABASE_URL`` as usual (the benchmark sets it).
"""

import os
import re
import warnings

os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret-0123456789abcdefghijklmnop")
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["STATIC_MANIFEST"] = "false"
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

from caravana.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# No collectstatic for a benchmark: WhiteNoise would warn that STATIC_ROOT is missing.
warnings.filterwarnings("ignore", message="No directory at")

UNREACHABLE = 10**9
_RATE = re.compile(r"^\s*\d+\s*/\s*(\w+)\s*$")  # "20/hour"
_KEEP = ("WINDOW", "PERIOD", "SECONDS", "TIMEOUT")  # lengths of time, not counts


def _raise_rate_limits(names: dict) -> list[str]:
    """Raise every rate limit among the settings ``names``; return what was raised."""
    raised = []
    for name in sorted(names):
        value = names[name]
        if not (name.startswith("CARAVANA_") and "RATE" in name) or name.endswith(_KEEP):
            continue
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            names[name] = UNREACHABLE
        elif isinstance(value, str) and (match := _RATE.match(value)):
            names[name] = f"{UNREACHABLE}/{match.group(1)}"
        else:
            continue
        raised.append(name)
    throttles = dict(REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES") or {})  # noqa: F405
    for scope, rate in throttles.items():
        if isinstance(rate, str) and (match := _RATE.match(rate)):
            throttles[scope] = f"{UNREACHABLE}/{match.group(1)}"
            raised.append(f"throttle {scope}")
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = throttles  # noqa: F405
    return raised


RAISED_RATE_LIMITS = _raise_rate_limits(globals())
