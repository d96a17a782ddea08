"""No participant's personal data or secret link in logs, error pages or error reports."""

import logging
import runpy
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.debug import get_exception_reporter_class
from gunicorn.config import Config

from caravana.redact import RedactSecretLinks, redact_secret_links
from journey.services import append_stop
from tests.factories import JourneyFactory, ParticipantFactory, RouteFactory, StopFactory

TOKEN = "Zq3x-SECRET-TOKEN-do-not-log_0123456789abcdefghij"
NAME, FULL_NAME, PHONE = "Marisol", "Marisol Quintanilla", "+1 555 0101"
# Posted to a form whose code fails (kept up here: the report quotes the code around a failure).
POSTED = {"contact_name": "Lupe Ortega", "phone": "+1 602 555 0123"}
CONFIG = Path(__file__).resolve().parent.parent / "caravana" / "gunicorn.conf.py"


@pytest.fixture
def rider(db):
    journey = JourneyFactory(slug="caravan", is_published=True)
    route = RouteFactory(journey=journey)
    append_stop(route=route, stop=StopFactory(journey=journey, city="Phoenix"))
    return ParticipantFactory(
        journey=journey,
        route=route,
        display_name=NAME,
        full_name=FULL_NAME,
        phone=PHONE,
        medical_notes="insulin twice a day",
    )


# --- the redaction itself ------------------------------------------------------------------


def _secret_routes(patterns, prefix=""):
    """(namespaced name, converters) of every URL pattern that takes a ``token``."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _secret_routes(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and "token" in entry.pattern.converters:
            yield f"{prefix}{entry.name}", entry.pattern.converters


def test_every_secret_link_in_the_urlconf_is_redacted():
    samples = {"token": TOKEN, "slug": "caravan", "stop_id": 7, "pk": 7}
    found = {}
    for name, converters in _secret_routes(get_resolver().url_patterns):
        path = reverse(name, kwargs={key: samples[key] for key in converters})
        found[name] = redact_secret_links(f"GET {path} HTTP/1.1")

    assert found == {
        "journey:team_feed_by_token": "GET /journeys/caravan/team/[secret].ics HTTP/1.1",
        "journey:personal_feed": "GET /my/[secret]/calendar.ics HTTP/1.1",
        "journey:personal_pdf": "GET /my/[secret]/itinerary.pdf HTTP/1.1",
        "journey:route_gpx": "GET /my/[secret]/route.gpx HTTP/1.1",
        "journey:route_kml": "GET /my/[secret]/route.kml HTTP/1.1",
        "web:my_itinerary": "GET /my/[secret]/ HTTP/1.1",
        "web:claim_itinerary": "GET /my/[secret]/claim/ HTTP/1.1",
        "web:rider_manifest": "GET /my/[secret]/manifest.webmanifest HTTP/1.1",
        "web:rider_worker": "GET /my/[secret]/sw.js HTTP/1.1",
        "web:host_page": "GET /host/[secret]/ HTTP/1.1",
        "journey:host_link_day_sheet": "GET /host/[secret]/day-sheet.pdf HTTP/1.1",
    }


def _keys(pattern) -> set[str]:
    return set(pattern.converters or pattern.regex.groupindex)


def _all_routes(patterns, prefix="", outer=frozenset()):
    """(namespaced name, URL arguments) of every named URL pattern."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _all_routes(entry.url_patterns, namespace, outer | _keys(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", outer | _keys(entry.pattern)


def test_every_url_without_a_secret_is_left_alone():
    samples = {"slug": "caravan", "stop_id": 7, "pk": 7, "route_id": 7, "document": "people"}
    samples["vehicle_id"] = 7
    samples.update(
        {"journey_slug": "caravan", "format": "json", "object_id": 7, "id": 7, "content_type_id": 7}
    )
    samples.update({"app_label": "stops", "identifier": "rooming"})
    changed = {}
    for name, converters in _all_routes(get_resolver().url_patterns):
        if "token" in converters:
            continue
        path = reverse(name, kwargs={key: samples[key] for key in converters})
        if redact_secret_links(path) != path:
            changed[name] = redact_secret_links(path)

    assert changed == {}


@pytest.mark.parametrize(
    ("logged", "redacted"),
    [
        (f"/journeys/caravan/team/{TOKEN}.ICS", "/journeys/caravan/team/[secret].ICS"),
        (f"/journeys/caravan/team/{TOKEN}", "/journeys/caravan/team/[secret]"),
        (f"/journeys/caravan/team/{TOKEN}/", "/journeys/caravan/team/[secret]/"),
        (f"/journeys/caravan/TEAM/{TOKEN}.ics", "/journeys/caravan/TEAM/[secret].ics"),
        (f"/journeys/caravan/team.ics?token={TOKEN}", "/journeys/caravan/team.ics?token=[secret]"),
        (
            f"/journeys/caravan/team.ics?x=1&TOKEN={TOKEN}",
            "/journeys/caravan/team.ics?x=1&TOKEN=[secret]",
        ),
        (f"/MY/{TOKEN}/", "/MY/[secret]/"),
        (f"/My/{TOKEN}/Calendar.ICS", "/My/[secret]/Calendar.ICS"),
        (f"/my/{TOKEN}", "/my/[secret]"),
        (f"/HOST/{TOKEN}/DAY-SHEET.PDF", "/HOST/[secret]/DAY-SHEET.PDF"),
        (f"/host/{TOKEN}", "/host/[secret]"),
        (f"/admin/login/?next=%2Fmy%2F{TOKEN}%2F", "/admin/login/?next=%2Fmy%2F[secret]%2F"),
    ],
)
def test_a_mangled_secret_link_is_redacted_in_djangos_404_log(client, db, caplog, logged, redacted):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(logged)

    assert TOKEN not in caplog.text
    if response.status_code == 404:
        assert [r.getMessage() for r in caplog.records] == [f"Not Found: {redacted.split('?')[0]}"]
    assert redact_secret_links(f"GET {logged} HTTP/1.1") == f"GET {redacted} HTTP/1.1"


@pytest.mark.parametrize(
    "path",
    [
        "/journeys/caravan/team.ics",
        "/journeys/caravan/team/booklet.pdf",
        "/journeys/caravan/team/rooming.pdf?stop=3",
        "/journeys/caravan/team/stops/3/day-sheet.pdf",
        "/me/",
        "/j/caravan/host/",
    ],
)
def test_paths_without_a_secret_are_left_alone(path):
    assert redact_secret_links(path) == path


# --- Django's loggers ----------------------------------------------------------------------


def test_a_404_on_a_secret_link_logs_no_token(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(f"/my/{TOKEN}/")

    assert response.status_code == 404
    assert [r.getMessage() for r in caplog.records] == ["Not Found: /my/[secret]/"]
    assert TOKEN not in caplog.text


def test_a_404_on_a_team_link_logs_no_token(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(f"/journeys/caravan/team/{TOKEN}.ics")

    assert [r.getMessage() for r in caplog.records] == [
        "Not Found: /journeys/caravan/team/[secret].ics"
    ]


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


def test_runservers_request_log_carries_no_token():
    logger = logging.getLogger("django.server")
    collect = Collect()
    logger.addHandler(collect)
    try:
        # As django.core.servers.basehttp logs each request.
        logger.info('"%s" %s %s', f"GET /my/{TOKEN}/calendar.ics HTTP/1.1", "200", "812")
    finally:
        logger.removeHandler(collect)

    assert collect.lines == ['"GET /my/[secret]/calendar.ics HTTP/1.1" 200 812']


def test_the_redaction_survives_a_malformed_record():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s %s", ("one",), None)

    assert RedactSecretLinks().filter(record) is True


# --- gunicorn ------------------------------------------------------------------------------


def gunicorn_logger():
    cfg = Config()
    for name, value in runpy.run_path(str(CONFIG)).items():
        if name in cfg.settings:
            cfg.set(name, value)
    return cfg.logger_class(cfg)


def test_gunicorns_access_log_carries_no_token(capsys):
    logger = gunicorn_logger()
    request = SimpleNamespace(
        method="GET",
        path=f"/my/{TOKEN}/calendar.ics",
        query="",
        uri=f"/my/{TOKEN}/calendar.ics",
        version=(1, 1),
        headers=[("REFERER", f"https://caravana.example.org/my/{TOKEN}/")],
    )
    response = SimpleNamespace(status="200 OK", response_length=812, headers=[], sent=812)
    environ = {
        "REMOTE_ADDR": "203.0.113.5",
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/my/{TOKEN}/calendar.ics",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": f"/my/{TOKEN}/calendar.ics",
        "QUERY_STRING": "",
        "HTTP_REFERER": f"https://caravana.example.org/my/{TOKEN}/",
    }

    logger.access(response, request, environ, SimpleNamespace(seconds=0, microseconds=1500))

    line = capsys.readouterr().out
    assert '"GET /my/[secret]/calendar.ics HTTP/1.1" 200 812' in line
    assert '"https://caravana.example.org/my/[secret]/"' in line
    assert TOKEN not in line


def test_the_readmes_gunicorn_command_uses_the_config():
    readme = (CONFIG.parent.parent / "README.md").read_text()

    assert "gunicorn -c caravana/gunicorn.conf.py caravana.wsgi" in readme


# --- error pages and reports ---------------------------------------------------------------


def test_the_404_page_shows_nothing_of_the_request(client, db):
    response = client.get(f"/my/{TOKEN}/")

    assert response.status_code == 404
    assert TOKEN not in response.content.decode()
    # A rider's link that opens nothing says so (web/rider/gone.html), whatever the token.
    assert "This link is no longer valid" in response.content.decode()


def test_the_404_page_is_translated(client, db):
    response = client.get(f"/my/{TOKEN}/", HTTP_ACCEPT_LANGUAGE="es")

    assert '<html lang="es">' in response.content.decode()


@pytest.fixture
def failing_rider_page(monkeypatch):
    """The rider's page fails while the participant is a local variable of the view."""

    def fail(request, participant, **options):
        raise RuntimeError("the map could not be drawn")

    monkeypatch.setattr("web.public.views._render_rider", fail)


@override_settings(ADMINS=[("Operations", "ops@example.org")])
def test_a_500_shows_the_generic_page_and_reports_no_personal_data(
    client, rider, failing_rider_page, caplog
):
    client.raise_request_exception = False

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(f"/my/{rider.secret_token}/")

    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in page
    assert rider.secret_token not in page
    assert [r.getMessage() for r in caplog.records] == ["Internal Server Error: /my/[secret]/"]
    # The report mailed to ADMINS is built by the reporter and its filter (settings).
    [report] = mail.outbox
    text = report.subject + report.body
    assert "RuntimeError" in text
    assert "the map could not be drawn" in text
    for secret in (NAME, FULL_NAME, PHONE, "insulin", rider.secret_token):
        assert secret not in text


def test_a_report_hides_posted_values_and_local_variables(rf):
    request = rf.post("/j/caravan/host/", POSTED)
    request.user = AnonymousUser()

    def clean(data):
        phone, beds = data["phone"], 12  # noqa: F841 (a local variable for the report)
        raise ValueError("the phone number has too few digits")

    try:
        clean(request.POST)
    except ValueError:
        exc_info = sys.exc_info()
    reporter = get_exception_reporter_class(request)(request, *exc_info)
    text, html = reporter.get_traceback_text(), reporter.get_traceback_html()

    assert "contact_name = '********************'" in text
    assert "&#x27;&lt;str: hidden&gt;&#x27;" in html  # the local variable phone
    assert "<td>beds</td>" in html
    assert '<td class="code"><pre>12</pre></td>' in html  # numbers say what, not who
    for report in (text, html):
        assert POSTED["contact_name"] not in report
        assert POSTED["phone"] not in report
