"""Riders are emailed what changed in their own itinerary, and their calendar feed says so too.

The scenario (tests.journey.test_itinerary): Los Angeles → Phoenix → El Paso → Houston in
March 2026; Xiomara (Spanish) rides Phoenix → El Paso, Beto (English) and the driver
Dagoberto the whole way, Yolotl coordinates from home. Everyone has an email address here.
"""

from datetime import timedelta
from io import StringIO

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journey.services import append_stop
from journey.tokens import revoke_participant_token
from participants.models import ItinerarySnapshot
from participants.notifications import notify_itinerary_changes
from participants.retention import erase_participant
from tests.factories import (
    BedAssignmentFactory,
    JourneyFactory,
    LodgingFactory,
    ParticipantFactory,
    RouteFactory,
    SeatAssignmentFactory,
    StopFactory,
    UserFactory,
    VehicleFactory,
    local,
)
from tests.journey.test_ics import write_mo
from tests.journey.test_itinerary import CREATED, MT, PRIVATE, build_scenario

EDITED = CREATED + timedelta(days=3)
SITE = "https://caravana.example.org"

# Every personal value of the people other than the reader (none may reach her email).
OTHERS = [
    PRIVATE["driver name"],
    PRIVATE["coordinator name"],
    PRIVATE["coordinator phone"],
    "Beto",
    "beto@example.org",
    "dagoberto@example.org",
    "yolotl@example.org",
]


@pytest.fixture
def scenario(db, settings):
    settings.SITE_URL = SITE
    cache.clear()  # feeds are cached by the plan's version
    s = build_scenario()
    with time_machine.travel(CREATED, tick=False):
        for person, address in (
            (s.rider, "xiomara@example.org"),
            (s.beto, "beto@example.org"),
            (s.driver, "dagoberto@example.org"),
            (s.coordinator, "yolotl@example.org"),
        ):
            person.email = address
            person.save(update_fields=["email"])
    return s


@pytest.fixture
def told(scenario):
    """The scenario after a first run: everyone's itinerary is on record."""
    notify_itinerary_changes(
        journey=scenario.journey, now=CREATED + timedelta(days=1), wait_for_quiet=False
    )
    return scenario


def notify(s, **options):
    return notify_itinerary_changes(
        journey=s.journey, now=EDITED + timedelta(hours=1), wait_for_quiet=False, **options
    )


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def email_to(address: str):
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


def reads_english(participant):
    with time_machine.travel(CREATED, tick=False):
        participant.language = "en"
        participant.save(update_fields=["language"])


def move_departure(stop, hours: int = 1):
    with time_machine.travel(EDITED, tick=False):
        stop.departure += timedelta(hours=hours)
        stop.save()


# --- who is told -----------------------------------------------------------------------------


def test_the_first_run_records_every_itinerary_and_emails_nobody(scenario):
    result = notify_itinerary_changes(journey=scenario.journey, now=CREATED + timedelta(days=1))

    assert (result.recorded, result.emailed) == (4, 0)
    assert mail.outbox == []
    assert ItinerarySnapshot.objects.filter(participant__journey=scenario.journey).count() == 4


def test_a_run_without_changes_emails_nobody(told):
    result = notify(told)

    assert (result.unchanged, result.emailed) == (4, 0)
    assert mail.outbox == []


def test_only_the_people_whose_own_itinerary_changed_are_emailed(told):
    # Houston is on Beto's and the driver's segment, not on Xiomara's (Phoenix → El Paso).
    move_departure(told.stops["houston"])

    result = notify(told)

    assert sent_to() == ["beto@example.org", "dagoberto@example.org"]
    assert (result.emailed, result.unchanged) == (2, 2)


def test_a_second_run_does_not_tell_the_same_change_again(told):
    move_departure(told.stops["houston"])
    notify(told)
    mail.outbox.clear()

    result = notify(told)

    assert mail.outbox == []
    assert result.unchanged == 4


# --- what they are told ------------------------------------------------------------------------


def test_the_email_names_the_old_and_new_time_in_the_stops_zone_and_links_to_the_riders_page(
    told,
):
    move_departure(told.stops["phoenix"])

    notify(told)

    message = email_to("beto@example.org")
    assert message.subject == "TPS Journey: your itinerary changed"
    assert "- Departure from Phoenix, AZ: Mar 2, 09:00 MST → Mar 2, 10:00 MST\n" in message.body
    assert f"{SITE}/my/{told.beto.secret_token}/\n" in message.body
    assert message.extra_headers["Content-Language"] == "en"


def test_a_spanish_rider_reads_spanish_with_local_time_and_zone(told, settings, tmp_path):
    # The project's Spanish catalog is translated later: this one holds the email's messages.
    write_mo(
        tmp_path / "es" / "LC_MESSAGES" / "django.mo",
        {
            "%(journey)s: your itinerary changed": "%(journey)s: tu itinerario cambió",
            "Hello %(name)s,": "Hola %(name)s:",
            "Departure from %(place)s: %(old)s → %(new)s": "Salida de %(place)s: %(old)s → %(new)s",
        },
    )
    settings.LOCALE_PATHS = [tmp_path]
    move_departure(told.stops["phoenix"])

    notify(told)

    message = email_to("xiomara@example.org")
    assert message.subject == "TPS Journey: tu itinerario cambió"
    assert message.body.startswith("Hola Xiomara:\n")
    assert (
        "- Salida de Phoenix, AZ: 2 de marzo, 09:00 MST → 2 de marzo, 10:00 MST\n"
    ) in message.body
    assert message.extra_headers["Content-Language"] == "es"


CHANGE_EMAIL = {
    "en": (
        "TPS Journey: your itinerary changed",
        "Hello Xiomara,",
        "- Departure from Phoenix, AZ: Mar 2, 09:00 MST → Mar 2, 10:00 MST",
        "Times are local to each place, with its time zone.",
    ),
    "es": (
        "TPS Journey: su itinerario cambió",
        "Hola, Xiomara:",
        "- Salida de Phoenix, AZ: 2 de marzo, 09:00 MST → 2 de marzo, 10:00 MST",
        "Los horarios son locales de cada lugar, con su zona horaria.",
    ),
    "ht": (
        "TPS Journey: itinerè ou chanje",
        "Bonjou Xiomara,",
        "- Lè w ap pati Phoenix, AZ: 2 mas, 09:00 MST → 2 mas, 10:00 MST",
        "Lè yo se lè lokal chak kote, ak fizo orè li.",
    ),
}


@pytest.mark.parametrize("language", ["en", "es", "ht"])
def test_each_rider_reads_the_change_in_their_own_language_from_the_projects_catalog(
    told, language
):
    told.rider.language = language
    told.rider.save(update_fields=["language"])
    move_departure(told.stops["phoenix"])

    notify(told)

    message = email_to("xiomara@example.org")
    subject, greeting, line, times = CHANGE_EMAIL[language]
    assert message.subject == subject
    lines = message.body.splitlines()
    assert lines[0] == greeting
    assert line in lines
    assert times in lines
    assert message.extra_headers["Content-Language"] == language


FALLBACK_LINE = {
    "fr": "Caravana n’est pas encore traduit en français : ce texte est en anglais.",
    "pt": "O Caravana ainda não está traduzido para o português: este texto está em inglês.",
}


@pytest.mark.parametrize("language", ["fr", "pt"])
def test_riders_of_other_languages_read_english(told, language):
    told.rider.language = language
    told.rider.save(update_fields=["language"])
    move_departure(told.stops["phoenix"])

    notify(told)

    message = email_to("xiomara@example.org")
    assert "- Departure from Phoenix, AZ: Mar 2, 09:00 MST → Mar 2, 10:00 MST\n" in message.body
    assert message.extra_headers["Content-Language"] == "en"
    # The first line says so, in the rider's own language.
    assert message.body.splitlines()[0] == FALLBACK_LINE[language]


def test_a_bed_moved_to_another_lodging_names_both(told):
    s = told
    reads_english(s.rider)
    with time_machine.travel(CREATED, tick=False):
        other = LodgingFactory(stop=s.stops["phoenix"], name="Casa Nueva", address="9 New St")
    with time_machine.travel(EDITED, tick=False):
        bed = s.rider.beds.get(night=s.stops["phoenix"].nights[0])
        bed.lodging = other
        bed.save()

    notify(s)

    assert sent_to() == ["xiomara@example.org"]
    assert (
        "- Where you sleep on the night of Mar 1 in Phoenix, AZ: "
        "Sanctuary Hall, 417 Quiet Alley → Casa Nueva, 9 New St\n"
    ) in email_to("xiomara@example.org").body


def test_a_seat_moved_to_another_vehicle_names_both(told):
    s = told
    reads_english(s.rider)
    with time_machine.travel(CREATED, tick=False):
        van = VehicleFactory(journey=s.journey, route=s.route, name="Van Esperanza", kind="van")
    with time_machine.travel(EDITED, tick=False):
        seat = s.rider.seats.get()
        seat.vehicle = van
        seat.save()

    notify(s)

    assert sent_to() == ["xiomara@example.org"]
    assert (
        "- Vehicle from Phoenix, AZ to El Paso, TX (leaving Mar 2, 09:00 MST): "
        "Bus Aztlan → Van Esperanza\n"
    ) in email_to("xiomara@example.org").body


def test_an_activity_moved_later_is_said_in_local_time(told):
    vigil = told.activities["vigil"]
    with time_machine.travel(EDITED, tick=False):
        vigil.starts_at = local(MT, 2026, 3, 1, 22)
        vigil.save()

    notify(told)

    assert sent_to() == ["beto@example.org", "dagoberto@example.org", "xiomara@example.org"]
    assert (
        "- Start of “Vigil at the Capitol” in Phoenix, AZ: Mar 1, 21:30 MST → Mar 1, 22:00 MST\n"
    ) in email_to("beto@example.org").body


def test_a_cancelled_stop_and_its_night_are_said(told):
    s = told
    with time_machine.travel(EDITED, tick=False):
        s.stops["el_paso"].status = "cancelled"
        s.stops["el_paso"].save()

    notify(s)

    body = email_to("beto@example.org").body
    assert "- No longer on your itinerary: El Paso, TX (was Mar 2, 18:00 MST)\n" in body
    assert "- No longer on your itinerary: the night of Mar 2 in El Paso, TX\n" in body


def test_the_email_says_nothing_about_anyone_else(told):
    move_departure(told.stops["phoenix"])

    notify(told)

    message = email_to("xiomara@example.org")
    text = message.subject + message.body
    assert [value for value in OTHERS if value in text] == []
    assert "Bus Aztlan" not in text  # her vehicle did not change: not mentioned


# --- who is not told -------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["link revoked", "data erased"])
def test_riders_with_a_revoked_link_or_erased_data_are_not_emailed(told, how):
    if how == "link revoked":
        revoke_participant_token(participant=told.rider)
    else:
        erase_participant(participant=told.rider)
    move_departure(told.stops["phoenix"])

    result = notify(told)

    assert "xiomara@example.org" not in sent_to()
    assert sent_to() == ["beto@example.org", "dagoberto@example.org"]
    assert result.unreachable == 1


def test_an_erased_participant_is_not_emailed_even_with_an_address_left(told):
    told.rider.anonymized_at = EDITED
    told.rider.save(update_fields=["anonymized_at"])
    move_departure(told.stops["phoenix"])

    notify(told)

    assert "xiomara@example.org" not in sent_to()


@pytest.mark.parametrize("backend", ["FailingBackend", "UnreachableBackend"])
def test_a_failed_email_is_sent_on_the_next_run(told, settings, backend):
    move_departure(told.stops["phoenix"])
    settings.EMAIL_BACKEND = f"tests.participants.test_notifications.{backend}"

    failed = notify(told)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = notify(told)

    assert (failed.failed, failed.emailed) == (3, 0)
    assert again.emailed == 3
    assert sent_to() == ["beto@example.org", "dagoberto@example.org", "xiomara@example.org"]


class FailingBackend(BaseEmailBackend):
    """An email backend whose server refuses every message."""

    def send_messages(self, messages):
        raise OSError("connection refused")


class UnreachableBackend(BaseEmailBackend):
    """An email backend whose server cannot be reached at all."""

    def open(self):
        raise OSError("network unreachable")

    def send_messages(self, messages):
        raise AssertionError("nothing is sent without a connection")


# --- the quiet period and the command --------------------------------------------------------


def run_command(at, *args) -> str:
    out = StringIO()
    with time_machine.travel(at, tick=False):
        call_command("notify_changes", "--journey", "tps-journey", *args, stdout=out)
    return out.getvalue()


def test_the_command_waits_for_the_quiet_period(told, settings):
    settings.CARAVANA_NOTIFY_QUIET_MINUTES = 10
    move_departure(told.stops["phoenix"])

    output = run_command(EDITED + timedelta(minutes=5))

    assert mail.outbox == []
    assert (
        output == "tps-journey: still being edited (last change 2026-02-04 12:00 UTC); waiting.\n"
    )


def test_after_the_quiet_period_the_command_sends_and_prints_counts_only(told, settings):
    settings.CARAVANA_NOTIFY_QUIET_MINUTES = 10
    move_departure(told.stops["phoenix"])

    output = run_command(EDITED + timedelta(minutes=11))

    assert len(mail.outbox) == 3
    assert output == (
        "tps-journey: 3 emailed, 0 failed (retried next time), 0 changed but cannot be "
        "emailed, 1 unchanged, 0 recorded for the first time.\n"
    )


def test_now_does_not_wait(told, settings):
    settings.CARAVANA_NOTIFY_QUIET_MINUTES = 10
    move_departure(told.stops["phoenix"])

    run_command(EDITED + timedelta(minutes=1), "--now")

    assert len(mail.outbox) == 3


def test_a_bed_removed_counts_as_an_edit_for_the_quiet_period(told, settings):
    # A deletion leaves no updated_at behind: the plan's history dates it.
    settings.CARAVANA_NOTIFY_QUIET_MINUTES = 10
    reads_english(told.rider)
    with time_machine.travel(EDITED, tick=False):
        told.rider.beds.get(night=told.stops["phoenix"].nights[0]).delete()

    waiting = run_command(EDITED + timedelta(minutes=5))
    sent = run_command(EDITED + timedelta(minutes=11))

    assert waiting.endswith("waiting.\n")
    assert sent.startswith("tps-journey: 1 emailed,")
    assert (
        "- Where you sleep on the night of Mar 1 in Phoenix, AZ: "
        "Sanctuary Hall, 417 Quiet Alley → not assigned yet\n"
    ) in email_to("xiomara@example.org").body


# --- cost ----------------------------------------------------------------------------------------


def caravan(size: int):
    """A journey of two stops with ``size`` riders, each with a seat, a bed and an address."""
    journey = JourneyFactory(slug=f"caravan-{size}")
    route = RouteFactory(journey=journey)
    stops = []
    for day, city in enumerate(("Phoenix", "El Paso")):
        stop = StopFactory(
            journey=journey,
            city=city,
            arrival=local(MT, 2026, 3, 1 + day, 18),
            departure=local(MT, 2026, 3, 2 + day, 9),
        )
        append_stop(route=route, stop=stop)
        stops.append(stop)
    lodging = LodgingFactory(stop=stops[0], capacity=size)
    bus = VehicleFactory(journey=journey, route=route, seats=size)
    for number in range(size):
        rider = ParticipantFactory(
            journey=journey, route=route, email=f"rider{number}@example.org", language="es"
        )
        SeatAssignmentFactory(participant=rider, vehicle=bus, from_stop=stops[0], to_stop=stops[1])
        BedAssignmentFactory(participant=rider, lodging=lodging, night=stops[0].nights[0])
    notify_itinerary_changes(journey=journey, wait_for_quiet=False)
    stops[0].departure += timedelta(hours=1)
    stops[0].save()
    return journey


def queries_to_notify(journey) -> int:
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as queries:
        result = notify_itinerary_changes(journey=journey, wait_for_quiet=False)
    assert result.emailed == len(mail.outbox)
    return len(queries)


def test_notifying_costs_the_same_queries_for_5_or_50_riders(db):
    small, large = caravan(5), caravan(50)

    assert queries_to_notify(small) == queries_to_notify(large)
    assert len(mail.outbox) == 50


# --- the coordinators' button -------------------------------------------------------------------


def notify_url(s) -> str:
    return reverse("web:plan_notify", kwargs={"slug": s.journey.slug})


def test_the_dashboard_offers_the_button(told, client):
    client.force_login(told.coordinator_user)

    page = client.get(reverse("web:plan_dashboard", kwargs={"slug": told.journey.slug}))

    assert f'action="{notify_url(told)}"'.encode() in page.content
    assert b"Notify riders of changes now" in page.content


def test_a_coordinator_notifies_now_and_sees_how_many_were_emailed(told, client):
    move_departure(told.stops["houston"])
    client.force_login(told.coordinator_user)

    response = client.post(notify_url(told), follow=True)

    assert response.redirect_chain == [
        (reverse("web:plan_dashboard", kwargs={"slug": told.journey.slug}), 302)
    ]
    assert [str(m) for m in response.context["messages"]] == [
        "2 riders were emailed what changed in their itinerary."
    ]
    assert sent_to() == ["beto@example.org", "dagoberto@example.org"]
    assert f"{SITE}/my/{told.beto.secret_token}/" in email_to("beto@example.org").body


def test_without_site_url_the_button_links_to_the_requests_own_site(told, client, settings):
    settings.SITE_URL = ""
    move_departure(told.stops["houston"])
    client.force_login(told.coordinator_user)

    client.post(notify_url(told))

    assert f"http://testserver/my/{told.beto.secret_token}/" in email_to("beto@example.org").body


@pytest.mark.parametrize("who", ["coordinator of another journey", "rider"])
def test_nobody_else_may_press_it(told, client, who):
    move_departure(told.stops["houston"])
    if who == "rider":
        user = UserFactory(username="xiomara")
        told.rider.user = user
        told.rider.save(update_fields=["user"])
    else:
        user = UserFactory(username="elsewhere")
        JourneyFactory(slug="elsewhere").coordinators.add(user)
    client.force_login(user)

    response = client.post(notify_url(told))

    assert response.status_code == 404
    assert mail.outbox == []


def test_an_anonymous_visitor_is_sent_to_sign_in(told, client):
    response = client.post(notify_url(told))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert mail.outbox == []


def test_the_button_only_answers_post(told, client):
    client.force_login(told.coordinator_user)

    assert client.get(notify_url(told)).status_code == 405


# --- the personal calendar feed moves SEQUENCE -------------------------------------------------


def feed(client, participant, etag=None):
    url = reverse("journey:personal_feed", kwargs={"token": participant.secret_token})
    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    return client.get(url, **headers)


def events(response) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def stamp(event) -> tuple[int, object]:
    return int(event["SEQUENCE"]), event.decoded("LAST-MODIFIED")


def night_event(response, participant, night: str) -> tuple[str, icalendar.Event]:
    prefix = f"night-{participant.pk}-{night}-"
    (found,) = [(uid, e) for uid, e in events(response).items() if uid.startswith(prefix)]
    return found


def test_a_stop_time_change_moves_its_events_sequence(scenario, client):
    s = scenario
    before = feed(client, s.beto)
    move_departure(s.stops["phoenix"])

    after = feed(client, s.beto, before["ETag"])

    assert after.status_code == 200
    old, new = events(before), events(after)
    leg = s.route.legs.get(origin=s.stops["phoenix"])
    for uid in (f"stop-{s.stops['phoenix'].pk}@caravana", f"leg-{leg.pk}@caravana"):
        assert stamp(new[uid])[0] > stamp(old[uid])[0]
        assert stamp(new[uid])[1] == EDITED
    _uid, night = night_event(after, s.beto, "20260301")
    assert stamp(night)[1] == EDITED


def test_a_bed_moved_to_another_lodging_moves_the_nights_sequence(scenario, client):
    s = scenario
    before = feed(client, s.beto)
    with time_machine.travel(CREATED, tick=False):
        other = LodgingFactory(stop=s.stops["phoenix"], name="Casa Nueva", address="9 New St")
    with time_machine.travel(EDITED, tick=False):
        bed = s.beto.beds.get(night=s.stops["phoenix"].nights[0])
        bed.lodging = other
        bed.save()

    after = feed(client, s.beto, before["ETag"])

    assert after.status_code == 200
    _old_uid, old = night_event(before, s.beto, "20260301")
    new_uid, new = night_event(after, s.beto, "20260301")
    assert new_uid == f"night-{s.beto.pk}-20260301-{other.pk}@caravana"
    assert str(new["SUMMARY"]) == "Sleep: Casa Nueva (9 New St)"
    assert stamp(new)[0] > stamp(old)[0]
    assert stamp(new)[1] == EDITED


def test_a_seat_moved_to_another_vehicle_moves_the_legs_sequence(scenario, client):
    s = scenario
    before = feed(client, s.beto)
    with time_machine.travel(CREATED, tick=False):
        van = VehicleFactory(journey=s.journey, route=s.route, name="Van Esperanza", kind="van")
    with time_machine.travel(EDITED, tick=False):
        seat = s.beto.seats.get()
        seat.vehicle = van
        seat.save()

    after = feed(client, s.beto, before["ETag"])

    assert after.status_code == 200
    uid = f"leg-{s.route.legs.get(origin=s.stops['phoenix']).pk}@caravana"
    old, new = events(before)[uid], events(after)[uid]
    assert "Vehicle: Van Esperanza" in str(new["DESCRIPTION"])
    assert stamp(new)[0] > stamp(old)[0]
    assert stamp(new)[1] == EDITED


def test_a_seat_taken_away_still_moves_the_legs_sequence(scenario, client):
    """No row dates a deleted seat: the rider's own record does (journey.signals)."""
    s = scenario
    before = feed(client, s.beto)
    with time_machine.travel(EDITED, tick=False):
        s.beto.seats.get().delete()

    after = feed(client, s.beto, before["ETag"])

    assert after.status_code == 200
    uid = f"leg-{s.route.legs.get(origin=s.stops['phoenix']).pk}@caravana"
    old, new = events(before)[uid], events(after)[uid]
    assert "Vehicle:" not in str(new.get("DESCRIPTION", ""))
    assert stamp(new)[0] > stamp(old)[0]
    assert stamp(new)[1] == EDITED
