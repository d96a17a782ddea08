"""Project-wide guarantees: migrations complete, settings fail loudly."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from caravana.env import env_bool, env_int, env_list, env_str


def test_no_model_change_lacks_a_migration(db):
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(f"makemigrations --check exited {exit_.code}:\n{out.getvalue()}")


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("Yes", True), ("0", False), ("off", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("CARAVANA_TEST_FLAG", raw)

    assert env_bool("CARAVANA_TEST_FLAG", not expected) is expected


@pytest.mark.parametrize(
    ("reader", "raw", "message"),
    [
        (lambda n: env_bool(n, False), "maybe", "CARAVANA_TEST_VALUE must be true or false"),
        (lambda n: env_int(n, 1), "soon", "CARAVANA_TEST_VALUE must be a whole number"),
    ],
)
def test_env_readers_fail_loudly_on_bad_values(monkeypatch, reader, raw, message):
    monkeypatch.setenv("CARAVANA_TEST_VALUE", raw)

    with pytest.raises(ImproperlyConfigured, match=message):
        reader("CARAVANA_TEST_VALUE")


def test_a_required_variable_must_be_set(monkeypatch):
    monkeypatch.delenv("CARAVANA_TEST_VALUE", raising=False)

    with pytest.raises(ImproperlyConfigured, match="CARAVANA_TEST_VALUE is required"):
        env_str("CARAVANA_TEST_VALUE")


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("CARAVANA_TEST_VALUE", " a.org, b.org ,,")

    assert env_list("CARAVANA_TEST_VALUE", []) == ["a.org", "b.org"]


def test_the_suite_runs_on_the_database_in_database_url():
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    assert connection.vendor == ("postgresql" if url.startswith("postgres") else "sqlite")


def test_a_missing_secret_says_how_to_develop_without_one(monkeypatch):
    monkeypatch.delenv("CARAVANA_TEST_VALUE", raising=False)

    with pytest.raises(ImproperlyConfigured, match=r"is required\. Set DEBUG=true"):
        env_str("CARAVANA_TEST_VALUE", hint="Set DEBUG=true.")


# --- production posture -------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "PATH": os.environ.get("PATH", ""),
    "DJANGO_SETTINGS_MODULE": "caravana.settings",
    "SECRET_KEY": "production-like-key-for-a-test-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "caravana.example.org",
}
# Loads the production settings in a fresh process and asks for a page over https and http.
PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
secure = client.get("/no-such-page/", secure=True, HTTP_HOST="caravana.example.org")
plain = client.get("/no-such-page/", HTTP_HOST="caravana.example.org")
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": settings.SESSION_COOKIE_HTTPONLY,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
    "whitenoise": settings.MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware"),
    "secure": [secure.status_code, {k: secure.headers.get(k) for k in (
        "Strict-Transport-Security", "X-Frame-Options", "X-Content-Type-Options",
        "Referrer-Policy")}],
    "plain": [plain.status_code, plain.headers.get("Location")],
}))
"""


def run_in_production(*args):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=PRODUCTION, capture_output=True, text=True
    )


def test_production_settings_are_secure():
    probe = run_in_production("-c", PROBE)

    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout) == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "staticfiles": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "whitenoise": 1,  # right after SecurityMiddleware, before anything reads a session
        "secure": [
            404,
            {
                "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
                "X-Frame-Options": "DENY",
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "same-origin",
            },
        ],
        "plain": [301, "https://caravana.example.org/no-such-page/"],
    }


def test_production_settings_pass_check_deploy():
    check = run_in_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert check.returncode == 0, check.stdout + check.stderr


def test_whitenoise_serves_the_static_files(client, db):
    response = client.get("/static/web/caravana.css")
    body = b"".join(response.streaming_content)
    response.close()

    assert response.status_code == 200
    assert type(response).__module__ == "whitenoise.middleware"
    assert response["Content-Type"].startswith("text/css")
    assert body.startswith(b"/* Caravana")
