"""Ask to ride in a real browser, in Spanish, on a 360 px phone (Debian's chromium; skips
without /usr/bin/chromium)."""

from django.urls import reverse

from participants.models import RideApplication
from tests.web.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS


def test_a_spanish_speaker_asks_to_ride_from_a_phone(browser, live_server, trip):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-ES")
    page = context.new_page()
    page.goto(live_server.url + reverse("web:ride_apply", args=["caravan"]))
    shown = (
        page.evaluate("document.documentElement.lang"),
        page.locator("#id_language").input_value(),
        page.evaluate("document.scrollingElement.scrollWidth"),
    )

    page.fill("#id_display_name", "Yesenia")
    page.fill("#id_phone", "602 555 0177")
    page.select_option("#id_join_stop", str(trip.phoenix.pk))
    page.select_option("#id_leave_stop", str(trip.el_paso.pk))
    page.locator("form.host-form button[type=submit]").click()
    page.wait_for_load_state()
    thanked = page.url.endswith(reverse("web:ride_thanks", args=["caravan"]))
    context.close()

    saved = RideApplication.objects.values_list(
        "display_name", "phone", "language", "join_stop", "leave_stop", "status"
    )
    assert (shown, thanked) == (("es", "es", 360), True)
    assert list(saved) == [
        ("Yesenia", "+16025550177", "es", trip.phoenix.pk, trip.el_paso.pk, "pending")
    ]


def test_the_roster_preview_fits_a_phone(browser, live_server, trip, client, tmp_path):
    client.force_login(trip.coordinator_user)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(live_server.url + reverse("web:plan_roster", args=["caravan"]))
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,phone,joins,leaves\n"
        "Ximena Alejandra de la Concepción,602-555-0111,Phoenix,Denver\n"
        "Driver Dan,,,\n",
        encoding="utf-8",
    )
    page.set_input_files("#id_file", str(roster))
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_load_state()
    page.screenshot(path="/tmp/roster-preview-360.png", full_page=True)
    shown = (
        page.locator("#roster-errors td").nth(2).inner_text(),
        page.evaluate("document.scrollingElement.scrollWidth"),
    )
    context.close()

    assert shown == ("Denver is not a stop of the route Main.", 360)
