"""The rider's page offline, in a real browser (Debian's chromium; skips without it).

One visit with signal, then no signal at all: ``context.set_offline(True)`` and every
request aborted. Playwright reaches a service worker's own fetches only with
``PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS`` set when its driver starts (without it the
worker still reached the server here, STACK-NOTES), so this module starts its own browser
with it. What the page shows offline comes from the phone's copy, which the tests prove by
changing the plan in between: the copy still shows the old value.
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from journey.tokens import revoke_participant_token
from participants.models import Participant
from stops.models import Stop
from tests.web import browser as browser_setup
from tests.web.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS

KEPT_FILES = ("", "itinerary.pdf", "manifest.webmanifest")
ASSETS = tuple(
    f"/static/web/{name}" for name in ("caravana.css", "rider-offline.js", "caravana-icon.svg")
)

CACHED_URLS = """async () => {
  const found = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    found[name] = (await cache.keys()).map((request) => request.url).sort();
  }
  return found;
}"""


@pytest.fixture(scope="module")
def browser(monkeypatch_module):
    """Chromium whose offline mode and routes also hold for service workers."""
    from playwright.sync_api import sync_playwright

    monkeypatch_module.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch_module.setenv("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(browser_setup.CHROMIUM), headless=True, args=browser_setup.ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    yield context
    context.close()


def rider_url(live_server, participant) -> str:
    return live_server.url + reverse("web:my_itinerary", args=[participant.secret_token])


def visit(context, url):
    """Open the page with signal and wait until the phone keeps its copy."""
    page = context.new_page()
    page.goto(url)
    page.locator("#offline-ready").wait_for(state="visible", timeout=20_000)
    return page


def no_signal(context):
    context.set_offline(True)
    context.route("**/*", lambda route: route.abort("internetdisconnected"))


def signal_again(context):
    context.unroute("**/*")
    context.set_offline(False)


def test_the_itinerary_opens_offline_with_its_last_updated_line(phone, live_server, trip):
    page = visit(phone, rider_url(live_server, trip.rider))
    online = (page.locator("h1").inner_text(), page.locator("#last-updated").inner_text())
    Participant.objects.filter(pk=trip.rider.pk).update(display_name="Renamed Meanwhile")

    no_signal(phone)
    page.reload()
    offline = (page.locator("h1").inner_text(), page.locator("#last-updated").inner_text())
    shown = (
        page.locator("#offline-note").is_visible(),
        "Marisol" in page.content(),
        "Renamed Meanwhile" in page.content(),
    )
    pdf = page.evaluate(
        """async () => {
          const response = await fetch("itinerary.pdf");
          const bytes = new Uint8Array(await response.arrayBuffer());
          return [response.status, response.headers.get("content-type"),
                  String.fromCharCode(...bytes.slice(0, 5))];
        }"""
    )

    assert online[1].startswith("Última actualización: ")  # the rider reads Spanish
    assert offline == online
    assert shown == (True, True, False)  # the copy, not the server's page
    assert pdf == [200, "application/pdf", "%PDF-"]


def test_with_signal_again_the_page_refreshes_and_says_what_changed(phone, live_server, trip):
    Participant.objects.filter(pk=trip.rider.pk).update(language="en")
    page = visit(phone, rider_url(live_server, trip.rider))
    no_signal(phone)
    page.reload()
    Stop.objects.filter(pk=trip.phoenix.pk).update(
        arrival=trip.phoenix.arrival + timedelta(hours=1)
    )

    with page.expect_navigation():
        signal_again(phone)  # the page reloads itself when signal returns
    page.locator("#offline-changes").wait_for(state="visible")
    changes = page.locator("#offline-changes li").all_inner_texts()

    assert changes == [
        "Changed: Phoenix, AZ: from Mar 2, 17:00 MST to Mar 3, 08:00 MST · Wesley Park "
        "(was Phoenix, AZ: from Mar 2, 16:00 MST to Mar 3, 08:00 MST · Wesley Park)"
    ]
    assert not page.locator("#offline-note").is_visible()


def test_each_rider_keeps_only_their_own_copy(phone, live_server, trip):
    visit(phone, rider_url(live_server, trip.rider))
    page = visit(phone, rider_url(live_server, trip.driver))

    kept = page.evaluate(CACHED_URLS)

    def copy_of(participant):
        scope = rider_url(live_server, participant)
        name = f"caravana-rider-v1 {scope}"
        urls = sorted([scope + file for file in KEPT_FILES] + [live_server.url + a for a in ASSETS])
        return name, urls

    assert kept == dict([copy_of(trip.rider), copy_of(trip.driver)])


def test_a_revoked_link_removes_the_copy_and_says_it_is_no_longer_valid(phone, live_server, trip):
    url = rider_url(live_server, trip.rider)
    page = visit(phone, url)
    revoke_participant_token(participant=trip.rider)

    page.reload()
    page.wait_for_function("navigator.serviceWorker.getRegistrations().then((r) => r.length === 0)")
    shown = (page.locator("h1").inner_text(), page.evaluate(CACHED_URLS))
    no_signal(phone)
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.goto(url)

    assert shown == ("This link is no longer valid", {})
