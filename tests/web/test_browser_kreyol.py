"""The language switcher offers Kreyòl ayisyen, and the choice sticks: in a real browser, a
visitor switches the public journey page to Haitian Creole, then opens a rider's page (whose
rider prefers Spanish) and still reads Kreyòl.

Playwright drives Debian's chromium (see tests/web/browser.py); without it these tests skip.
"""

import pytest
from django.urls import reverse

from tests.web.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    yield context.new_page()
    context.close()


def test_a_visitor_switches_the_public_page_to_kreyol_and_the_choice_sticks(
    phone, live_server, trip
):
    phone.goto(live_server.url + reverse("web:journey", args=["caravan"]))
    offered = phone.get_by_label("Language").locator("option").all_inner_texts()

    phone.get_by_label("Language").select_option(label="Kreyòl ayisyen")
    phone.get_by_role("button", name="Change").click()
    phone.wait_for_load_state()
    public = (
        phone.evaluate("document.documentElement.lang"),
        phone.locator("h2").first.inner_text(),
        phone.get_by_role("link", name="Ofri pou resevwa karavàn nan").first.is_visible(),
        "1 mas, 12:00 PST" in phone.locator("main").inner_text(),
    )

    phone.goto(live_server.url + reverse("web:my_itinerary", args=[trip.rider.secret_token]))
    rider = (
        phone.evaluate("document.documentElement.lang"),
        phone.locator("h1").first.inner_text(),
        phone.get_by_label("Lang").input_value(),
    )

    assert offered == ["English", "Español", "Kreyòl ayisyen"]
    assert public == ("ht", "Vil yo", True, True)
    assert rider == ("ht", "Itinerè mwen", "ht")
