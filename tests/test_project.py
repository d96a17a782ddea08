"""Project-wide guarantees: migrations complete, settings fail loudly."""

import os
from io import StringIO

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
