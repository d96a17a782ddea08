"""The test run's environment: Caravana's one settings module, with test-safe defaults.

Only defaults are set here; anything in the real environment (DATABASE_URL for
PostgreSQL, REDIS_URL) still wins.
"""

import os
import uuid

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-for-caravana-tests-0123456789abcdef")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from caravana.settings import *  # noqa: F403

# No collectstatic before tests: let WhiteNoise find files through the finders.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Logins in tests need no slow, strong hashing.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# With REDIS_URL (as in CI's PostgreSQL pass) the tests run on Redis, under a prefix of their
# own: test runs share the server, and clearing the cache clears this run's keys only.
if REDIS_URL:  # noqa: F405
    CACHES = {
        "default": {
            "BACKEND": "tests.cache.RunRedisCache",
            "LOCATION": REDIS_URL,  # noqa: F405
            "KEY_PREFIX": f"caravana-test-{uuid.uuid4().hex}",
        }
    }
