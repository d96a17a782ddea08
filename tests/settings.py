"""The test run's environment: Caravana's one settings module, with test-safe defaults.

Only defaults are set here; anything in the real environment (DATABASE_URL for
PostgreSQL, REDIS_URL) still wins.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-for-caravana-tests-0123456789abcdef")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from caravana.settings import *  # noqa: F403

# No collectstatic before tests: let WhiteNoise find files through the finders.
WHITENOISE_AUTOREFRESH = True
# Logins in tests need no slow, strong hashing.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
