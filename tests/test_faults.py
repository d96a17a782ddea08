"""Keep serving when a part fails: a Redis started and killed by the test, and PostgreSQL
connections cut with ``pg_terminate_backend`` or refused (issue 19).

Redis down: every page, feed, PDF and API answer is computed instead of cached, 0 answers of
500, the rate limits count in the process's memory (sign-in and link guessing stay limited),
one warning for the whole outage, and caching is back in Redis once it answers again.
PostgreSQL away: 503 with Retry-After (JSON under /api/), never 500; the connection is
replaced by itself afterwards; a write cut in flight leaves no row behind.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import sys
import time
from io import BytesIO
from wsgiref.util import setup_testing_defaults

import psycopg
import pytest
import redis
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection
from django.db.models.signals import post_save
from django.test import Client, override_settings
from django.urls import get_resolver, reverse
from rest_framework.authtoken.models import Token

from caravana.cache import ResilientRedisCache
from caravana.middleware import server_error
from journey.tokens import rotate_team_token
from participants.models import Participant
from stops.models import HostAlly
from tests.journey.test_itinerary import build_scenario

# --- a Redis of the test's own ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """``redis-server`` on its own port, in the foreground, without persistence."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--daemonize", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client().ping():
                    return
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()  # a crash, not a clean shutdown
            self.process.wait(timeout=10)

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=1)

    def export_keys(self) -> list[bytes]:
        return list(self.client().scan_iter(match="*caravana:export:*"))


@pytest.fixture
def own_redis():
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server: apt-get install redis-server")
    server = RedisServer(free_port())
    server.start()
    yield server
    server.kill()


def cache_on(server: RedisServer, **options) -> dict:
    return {
        "default": {
            "BACKEND": "caravana.cache.ResilientRedisCache",
            "LOCATION": server.url,
            "OPTIONS": options,
        }
    }


def cache_warnings(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "caravana.cache" and r.levelno >= logging.WARNING
    ]


def reads(scenario) -> dict[str, tuple[Client, str]]:
    """What riders, hosts and coordinators read, most of it cached."""
    anonymous = Client(raise_request_exception=False)
    coordinator = Client(raise_request_exception=False)
    coordinator.force_login(scenario.coordinator_user)
    slug = scenario.journey.slug
    token = scenario.rider.secret_token
    team = scenario.journey.team_feed_token
    return {
        "public page": (anonymous, reverse("web:journey", args=[slug])),
        "rider page": (anonymous, reverse("web:my_itinerary", args=[token])),
        "public feed": (anonymous, reverse("journey:public_feed", kwargs={"slug": slug})),
        "personal feed": (anonymous, reverse("journey:personal_feed", kwargs={"token": token})),
        "team feed": (
            anonymous,
            reverse("journey:team_feed_by_token", kwargs={"slug": slug, "token": team}),
        ),
        "public booklet": (anonymous, reverse("journey:public_booklet", kwargs={"slug": slug})),
        "personal pdf": (anonymous, reverse("journey:personal_pdf", kwargs={"token": token})),
        "team booklet": (coordinator, reverse("journey:team_booklet", kwargs={"slug": slug})),
        "api itinerary": (coordinator, reverse("api:journey-itinerary", kwargs={"slug": slug})),
        "api journeys": (anonymous, reverse("api:journey-list")),
    }


def statuses(targets) -> dict[str, int]:
    return {name: client.get(url).status_code for name, (client, url) in targets.items()}


@pytest.mark.needs_redis
@pytest.mark.django_db
def test_every_page_answers_while_redis_is_down_and_caching_resumes(own_redis, caplog):
    rates = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anonymous_post": "3/hour"}}
    with override_settings(
        CACHES=cache_on(own_redis, RETRY_SECONDS=0.5),
        CARAVANA_LOGIN_RATE_PER_USERNAME=3,
        CARAVANA_LINK_RATE_UNKNOWN=3,
        REST_FRAMEWORK=rates,
    ):
        scenario = build_scenario()
        rotate_team_token(journey=scenario.journey)
        targets = reads(scenario)
        assert set(statuses(targets).values()) == {200}
        assert own_redis.export_keys() != []

        own_redis.kill()
        caplog.set_level(logging.INFO, logger="caravana.cache")
        during = [statuses(targets) for _round in range(3)]

        anonymous = Client(raise_request_exception=False)
        sign_ins = [
            anonymous.post(
                "/admin/login/?next=/admin/",
                {"username": "coordinator", "password": f"guess {n}"},
            ).status_code
            for n in range(4)
        ]
        token = anonymous.post(
            reverse("api:auth-token"),
            {"username": "coordinator", "password": "guess"},
            content_type="application/json",
        )
        guesses = [
            anonymous.get(reverse("web:my_itinerary", args=[f"guess{n}"])).status_code
            for n in range(4)
        ]
        applications = [
            anonymous.post(
                reverse(
                    "api:host-application-list", kwargs={"journey_slug": scenario.journey.slug}
                ),
                {},
                content_type="application/json",
            ).status_code
            for _n in range(3)
        ]
        warnings = cache_warnings(caplog)

        own_redis.start()
        time.sleep(0.6)  # RETRY_SECONDS: Redis is tried again
        after = statuses(targets)
        keys_after = own_redis.export_keys()

    assert during == [dict.fromkeys(targets, 200)] * 3  # 0 answers of 500
    # The limits counted in memory: the 4th sign-in, the token after it, the 4th guess and
    # the 4th anonymous post (the token request was the 1st) are refused.
    assert sign_ins == [200, 200, 200, 429]
    assert token.status_code == 429
    assert guesses == [404, 404, 404, 429]
    assert applications == [400, 400, 429]
    assert len(warnings) == 1
    assert f"127.0.0.1:{own_redis.port}" in warnings[0]
    assert set(after.values()) == {200}
    assert keys_after != []  # the new, empty Redis holds the exports again
    assert [
        r.getMessage()
        for r in caplog.records
        if r.name == "caravana.cache" and r.levelno == logging.INFO
    ] == [f"Redis at 127.0.0.1:{own_redis.port} answers again: the cache is back in Redis."]


class SilentServer:
    """A port that accepts connections and never answers: Redis hung, or a black hole."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.port = self.socket.getsockname()[1]

    def close(self):
        self.socket.close()


def test_a_hung_redis_costs_one_timeout_then_nothing(caplog):
    silent = SilentServer()
    try:
        cache = ResilientRedisCache(
            f"redis://127.0.0.1:{silent.port}/0",
            {"KEY_PREFIX": f"hung{silent.port}", "OPTIONS": {"RETRY_SECONDS": 30}},
        )
        started = time.monotonic()
        cache.set("plan", "kept in memory", 60)
        found = [cache.get("plan") for _n in range(50)]
        cache.add("count", 0)
        counts = [cache.incr("count") for _n in range(5)]
        elapsed = time.monotonic() - started
    finally:
        silent.close()

    # One socket timeout (0.5 s), then Redis is left alone: not 56 x 5 s.
    assert elapsed < 2.0
    assert found == ["kept in memory"] * 50
    assert counts == [1, 2, 3, 4, 5]
    assert len(cache_warnings(caplog)) == 1


def test_the_warning_names_the_redis_but_never_its_password(caplog):
    port = free_port()  # nothing listens there
    cache = ResilientRedisCache(f"redis://:s3cret-pass@127.0.0.1:{port}/0", {})

    answers = [cache.get("key", "computed") for _n in range(3)]

    assert answers == ["computed"] * 3
    assert len(cache_warnings(caplog)) == 1
    assert f"Redis at 127.0.0.1:{port} cannot be reached" in cache_warnings(caplog)[0]
    assert "s3cret-pass" not in caplog.text


# --- PostgreSQL away ---------------------------------------------------------------------------


class Wsgi:
    """Requests through Django's WSGI handler, as gunicorn sends them: the connection is
    checked and kept between requests (``close_old_connections``), unlike the test client."""

    def __init__(self):
        self.app = WSGIHandler()

    def get(self, path: str, **headers) -> tuple[int, dict, bytes]:
        environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "wsgi.input": BytesIO()}
        environ["HTTP_HOST"] = "testserver"
        environ["wsgi.errors"] = sys.stderr
        environ.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
        setup_testing_defaults(environ)
        answer = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"] = int(status.split()[0])
            answer["headers"] = dict(response_headers)

        body = self.app(environ, start_response)
        try:
            content = b"".join(body)
        finally:
            body.close()  # request_finished: the connection is kept or closed here
        return answer["status"], answer["headers"], content


def backend_pid() -> int:
    return connection.connection.info.backend_pid


def terminate(pid: int) -> None:
    """Cut one server connection from another, as a PostgreSQL restart does to them all."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])


@pytest.fixture
def published(transactional_db):
    scenario = build_scenario()
    return scenario


@pytest.fixture
def no_health_checks():
    """CONN_HEALTH_CHECKS off, for the connections opened from now on."""
    connection.close()
    connection.settings_dict["CONN_HEALTH_CHECKS"] = False
    yield
    connection.close()
    connection.settings_dict["CONN_HEALTH_CHECKS"] = True


@pytest.mark.parametrize(
    ("error", "status"), [(OperationalError("gone"), 503), (ValueError("bug"), 500)]
)
def test_outside_a_view_a_lost_database_is_a_503_and_anything_else_a_500(rf, error, status):
    """``handler500`` (a session saved by its middleware, after the view): the same 503."""
    assert get_resolver().urlconf_module.handler500 == "caravana.middleware.server_error"
    try:
        raise error
    except Exception:
        response = server_error(rf.get("/"))

    assert response.status_code == status
    assert ("Retry-After" in response) == (status == 503)


def test_connections_are_kept_and_checked():
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


@pytest.mark.needs_postgresql
def test_a_connection_cut_between_requests_is_replaced_before_use(published):
    """With CONN_HEALTH_CHECKS, the first query of a request finds the connection dead and
    opens a new one: the first request after the cut already answers 200 (0 503s)."""
    wsgi = Wsgi()
    path = reverse("web:journey", args=[published.journey.slug])
    assert wsgi.get(path)[0] == 200
    before = backend_pid()

    terminate(before)
    codes = [wsgi.get(path)[0] for _n in range(5)]

    assert codes == [200] * 5
    assert backend_pid() != before


@pytest.mark.needs_postgresql
@pytest.mark.parametrize("where", ["page", "api"])
def test_without_health_checks_a_cut_costs_one_503(published, no_health_checks, where, caplog):
    """Without the check the dead connection is found by the view's own query: that one
    request gets 503 (never 500), and the broken connection is closed as it ends."""
    wsgi = Wsgi()
    slug = published.journey.slug
    path = {
        "page": reverse("web:journey", args=[slug]),
        "api": reverse("api:journey-detail", kwargs={"slug": slug}),
    }[where]
    assert wsgi.get(path)[0] == 200

    terminate(backend_pid())
    answers = [wsgi.get(path, accept_language="es") for _n in range(4)]

    assert [status for status, _headers, _body in answers] == [503, 200, 200, 200]
    _status, headers, body = answers[0]
    assert headers["Retry-After"] == "30"
    assert headers["Content-Language"] == "es"
    if where == "api":
        assert headers["Content-Type"] == "application/json"
        assert body.startswith(b'{"detail": "')
    else:
        assert b'<html lang="es">' in body
        assert b"Traceback" not in body
        assert b"OperationalError" not in body


@pytest.mark.needs_postgresql
def test_while_the_database_refuses_connections_every_request_gets_503(published):
    """PostgreSQL restarting: nothing listens on its port for a while. Every request in
    that time is a 503 (counted), none a 500; the first one afterwards is a 200."""
    wsgi = Wsgi()
    path = reverse("web:journey", args=[published.journey.slug])
    api = reverse("api:journey-list")
    assert wsgi.get(path)[0] == 200
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(free_port())  # nothing listens there
    try:
        during = [wsgi.get(p)[0] for p in (path, api) * 3]
    finally:
        connection.settings_dict["PORT"] = port
    after = [wsgi.get(p)[0] for p in (path, api)]

    assert during == [503] * 6
    assert after == [200, 200]


def cut_after(model, saves: int):
    """Cut this request's own database connection after ``saves`` rows of ``model`` were
    written (each ``post_save``), as a PostgreSQL restart would in the middle of a write."""
    written = []

    def cut(sender, instance, **kwargs):
        written.append(instance.pk)
        if len(written) == saves:
            terminate(backend_pid())

    post_save.connect(cut, sender=model, dispatch_uid="cut-in-flight", weak=False)
    return lambda: post_save.disconnect(sender=model, dispatch_uid="cut-in-flight")


@pytest.mark.needs_postgresql
def test_a_roster_import_cut_in_flight_saves_nobody(published):
    """Five riders imported in one transaction; the connection is cut after the third is
    written. The import answers 503 (JSON), and 0 of the 5 are saved, nor any history row;
    sent again, all five are saved."""
    token = Token.objects.create(user=published.coordinator_user)
    api = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token.key}")
    url = reverse("api:participant-import-list", kwargs={"journey_slug": published.journey.slug})
    roster = "name,phone,joins,language\n" + "".join(
        f'Rider {n},520-555-014{n},"Phoenix, AZ",Español\n' for n in range(5)
    )

    def send():
        upload = SimpleUploadedFile("roster.csv", roster.encode())
        return api.post(url, {"file": upload})

    def riders():
        """The journey's participants and history rows (history keeps no names)."""
        return (
            Participant.objects.filter(journey=published.journey).count(),
            Participant.history.filter(journey=published.journey).count(),
        )

    before = riders()
    stop_cutting = cut_after(Participant, 3)
    try:
        cut_short = send()
    finally:
        stop_cutting()
    left = riders()
    again = send()

    assert (cut_short.status_code, cut_short["Content-Type"]) == (503, "application/json")
    assert left == before
    assert (again.status_code, again.json()["saved"]) == (200, True)
    assert riders() == (before[0] + 5, before[1] + 5)


@pytest.mark.needs_postgresql
def test_a_host_application_cut_before_its_commit_is_not_saved_nor_confirmed(published):
    """The application row is written, then the connection is cut before the commit: 503,
    no application and no confirmation email (mails leave after the commit); sent again, it
    is saved once and confirmed."""
    client = Client(raise_request_exception=False)
    path = reverse("web:host_register", args=[published.journey.slug])
    offer = {
        "organization": "Casa Mariposa",
        "contact_name": "Lupe Ortega",
        "email": "lupe@example.org",
        "phone": "+1 602 555 0123",
        "city": "Phoenix",
        "state": "AZ",
        "stop": "",
        "offers_beds": "12",
        "website": "",
    }

    stop_cutting = cut_after(HostAlly, 1)
    try:
        cut_short = client.post(path, offer)
    finally:
        stop_cutting()
    left = (HostAlly.objects.count(), len(mail.outbox))
    again = client.post(path, offer)

    assert cut_short.status_code == 503
    assert left == (0, 0)
    assert again.status_code == 302
    assert HostAlly.objects.count() == 1
    assert [m.to for m in mail.outbox][:1] == [["lupe@example.org"]]
