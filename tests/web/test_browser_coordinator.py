"""The coordinators' pages in a real browser: a phone-width dashboard, keyboard reordering.

Playwright drives Debian's chromium (never a downloaded browser); without /usr/bin/chromium
these tests skip. CI installs it, so there nothing skips.
"""

import pytest
from django.test import Client
from django.urls import reverse

from journey.models import RouteStop
from tests.web.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS


@pytest.fixture
def page(browser, live_server, trip):
    """A 360 px wide page logged in as the journey's coordinator."""
    client = Client()
    client.force_login(trip.coordinator_user)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    yield page
    context.close()


def test_the_dashboard_fits_a_360_px_screen(page, live_server, trip):
    page.goto(live_server.url + reverse("web:plan_dashboard", kwargs={"slug": "caravan"}))

    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    page.screenshot(path="/tmp/coordinator-dashboard-360.png", full_page=True)

    assert (page.locator("h1").inner_text(), widths) == ("Caravan for Justice", [360, 360])


def test_a_stop_moves_up_with_the_keyboard(page, live_server, trip):
    page.goto(
        live_server.url
        + reverse("web:plan_route", kwargs={"slug": "caravan", "route_id": trip.route.pk})
    )
    focused = ""
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
        if focused == "Move Tucson, AZ up":
            break

    with page.expect_navigation():
        page.keyboard.press("Enter")

    order = list(
        RouteStop.objects.filter(route=trip.route)
        .order_by("position")
        .values_list("stop__city", flat=True)
    )
    assert focused == "Move Tucson, AZ up"
    assert order == ["Los Angeles", "Tucson", "Phoenix", "Houston", "El Paso"]
    assert page.locator(".stop-order .place strong").all_inner_texts() == [
        "Los Angeles, CA",
        "Tucson, AZ",
        "Phoenix, AZ",
        "Houston, TX",
        "El Paso, TX",
    ]
