"""The public pages and the rider's page in a real browser: a 360 px phone, the language
switcher, the host form by keyboard.

Playwright drives Debian's chromium (never a downloaded browser); without /usr/bin/chromium
these tests skip. CI installs it, so there nothing skips.
"""

import pytest
from django.urls import reverse

from tests.web.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS


@pytest.fixture
def phone(browser):
    """A fresh 360 px wide page (English unless the page says otherwise)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    yield context.new_page()
    context.close()


def _scroll_width(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


def test_public_page_fits_a_phone_and_turns_spanish(phone, live_server, trip):
    phone.goto(live_server.url + reverse("web:journey", args=["caravan"]))
    english = (phone.locator("h2").first.inner_text(), _scroll_width(phone))
    phone.screenshot(path="/tmp/public-journey-360.png", full_page=True)

    phone.get_by_label("Language").select_option("es")
    phone.get_by_role("button", name="Change").click()
    phone.wait_for_load_state()

    spanish = (
        phone.evaluate("document.documentElement.lang"),
        phone.get_by_role("link", name="Ofrecer hospedaje").first.is_visible(),
        _scroll_width(phone),
    )
    assert (english, spanish) == (("Cities", 360), ("es", True, 360))


def test_riders_page_fits_a_phone(phone, live_server, trip):
    phone.goto(live_server.url + reverse("web:my_itinerary", args=[trip.rider.secret_token]))
    phone.screenshot(path="/tmp/rider-360.png", full_page=True)

    assert (phone.evaluate("document.documentElement.lang"), _scroll_width(phone)) == ("es", 360)


def test_host_form_fields_are_labelled_and_reached_by_keyboard(phone, live_server, trip):
    phone.goto(live_server.url + reverse("web:host_register", args=["caravan"]))
    labels = [
        "Organization",
        "Contact person",
        "Email",
        "Phone",
        "City",
        "State",
        "Stop you can serve",
        "Available from",
        "Available until",
        "Beds offered",
    ]
    wanted = {phone.get_by_label(label, exact=False).first.get_attribute("id") for label in labels}
    reached = set()
    for _ in range(40):
        phone.keyboard.press("Tab")
        reached.add(phone.evaluate("document.activeElement.id"))
        if wanted <= reached:
            break

    phone.screenshot(path="/tmp/host-form-360.png", full_page=True)

    assert (wanted - reached, "id_website" in reached, _scroll_width(phone)) == (set(), False, 360)
