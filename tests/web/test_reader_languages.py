"""One language per person, everywhere: the rider's page, personal PDF and calendar, and the
hosts' emails read in English, Spanish or Haitian Creole, with dates in that language's own
style ("March 2", "2 de marzo", "2 mas") and never an ISO date."""

import re
from io import BytesIO

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from stops.models import HostAlly
from tests.web.conftest import PT
from tests.web.test_rider import _at
from web.emails import send_host_email

ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")

RIDER_PAGE = {
    "en": ["My itinerary", "Next departure", "Mar 2, 08:00 PST", "March 1, 2027 · Los Angeles, CA"],
    "es": [
        "Mi itinerario",
        "Próxima salida",
        "2 de marzo, 08:00 PST",
        "1 de marzo de 2027 · Los Angeles, CA",
    ],
    "ht": ["Itinerè mwen", "Pwochen depa", "2 mas, 08:00 PST", "1 mas 2027 · Los Angeles, CA"],
}


def _text(html: str) -> str:
    """What a person reads: the page without its tags and attributes (links hold tokens)."""
    body = html.split("<main", 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize("language", ["en", "es", "ht"])
def test_the_riders_page_reads_in_the_riders_language(client, trip, language):
    trip.rider.language = language
    trip.rider.save()

    with _at(PT, 2027, 3, 1, 22):
        response = client.get(reverse("web:my_itinerary", args=[trip.rider.secret_token]))

    text = _text(response.content.decode())
    assert response.headers["Content-Language"] == language
    for expected in RIDER_PAGE[language]:
        assert expected in text
    assert not ISO_DATE.search(text)


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("fr", "Caravana n’est pas encore traduit en français : ce texte est en anglais."),
        ("pt", "O Caravana ainda não está traduzido para o português: este texto está em inglês."),
        ("es", None),
        ("ht", None),
        ("en", None),
    ],
)
def test_a_reader_of_french_or_portuguese_is_told_in_their_language_that_it_is_english(
    client, trip, language, note
):
    trip.rider.language = language
    trip.rider.save()

    html = client.get(reverse("web:my_itinerary", args=[trip.rider.secret_token])).content
    text = _text(html.decode())

    pdf = client.get(f"/my/{trip.rider.secret_token}/itinerary.pdf").content
    cover = " ".join(PdfReader(BytesIO(pdf)).pages[0].extract_text().split())
    if note:
        assert f'<p class="muted" lang="{language}">{note}</p>' in html.decode()
        assert "My itinerary" in text
        assert f"{note} Itinerary of Marisol" in cover
    else:
        assert "Caravana n’est pas" not in text + cover
        assert "O Caravana ainda" not in text + cover


PDF_DAY = {
    "en": ["Day 1 of 3", "Monday, March 1, 2027", "Leaves Mar 2, 08:00 PST", "Night"],
    "es": ["Día 1 de 3", "lunes, 1 de marzo de 2027", "Salida: 2 de marzo, 08:00 PST", "Noche"],
    "ht": ["Jou 1 sou 3", "lendi, 1 mas 2027", "Pati 2 mas, 08:00 PST", "Nwit"],
}
KNOW_YOUR_RIGHTS = {
    "en": "You have the right to remain silent.",
    "es": "Usted tiene derecho a guardar silencio.",
    "ht": "Ou gen dwa pou w rete an silans.",
}


@pytest.mark.parametrize("language", ["en", "es", "ht"])
def test_the_personal_pdf_reads_in_the_riders_language(client, trip, language):
    trip.rider.language = language
    trip.rider.save()

    response = client.get(f"/my/{trip.rider.secret_token}/itinerary.pdf")

    pages = [page.extract_text() for page in PdfReader(BytesIO(response.content)).pages]
    first_day = pages[1].splitlines()
    for expected in PDF_DAY[language]:
        assert expected in first_day
    assert KNOW_YOUR_RIGHTS[language] in " ".join(pages[-1].split())
    assert not any(ISO_DATE.search(page) for page in pages)


FEED = {
    "en": ("Caravan for Justice: my itinerary", "Caravan at Los Angeles, CA", "Arrival: Mar 1"),
    "es": ("Caravan for Justice: mi itinerario", "Caravana en Los Angeles, CA", "Llegada: 1 de"),
    "ht": (
        "Caravan for Justice: itinerè mwen",
        "Karavàn nan Los Angeles, CA",
        "Lè w ap rive: 1 mas",
    ),
}


@pytest.mark.parametrize("language", ["en", "es", "ht"])
def test_the_personal_calendar_reads_in_the_riders_language(client, trip, language):
    trip.rider.language = language
    trip.rider.save()

    response = client.get(f"/my/{trip.rider.secret_token}/calendar.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    name, summary, arrival = FEED[language]
    assert calendar["X-WR-CALNAME"] == name
    (stop,) = [e for e in calendar.walk("VEVENT") if e["SUMMARY"] == summary]
    assert str(stop["DESCRIPTION"]).splitlines()[1].startswith(arrival)
    texts = [str(e.get(field, "")) for e in calendar.walk("VEVENT") for field in ("SUMMARY",)]
    texts += [str(e.get("DESCRIPTION", "")) for e in calendar.walk("VEVENT")]
    assert not any(ISO_DATE.search(text) for text in texts)


# --- the hosts' emails ----------------------------------------------------------------------

HOST_OFFER = {
    "organization": "Casa Mariposa",
    "contact_name": "Lupe Ortega",
    "email": "lupe@example.org",
    "phone": "+1 602 555 0123",
    "city": "Phoenix",
    "state": "AZ",
    "available_from": "2027-03-02",
    "available_until": "2027-03-03",
    "offers_beds": "12",
    "offers_meals": "on",
    "website": "",
}
CONFIRMATION = {
    "en": (
        "We received your offer to host Caravan for Justice",
        "Hello Lupe Ortega,",
        "- Available: March 2, 2027 – March 3, 2027",
        "- 12 beds",
    ),
    "es": (
        "Recibimos su oferta de hospedaje para Caravan for Justice",
        "Hola, Lupe Ortega:",
        "- Disponible: 2 de marzo de 2027 – 3 de marzo de 2027",
        "- 12 camas",
    ),
    "ht": (
        "Nou resevwa òf ou pou resevwa Caravan for Justice",
        "Bonjou Lupe Ortega,",
        "- Disponib: 2 mas 2027 – 3 mas 2027",
        "- 12 kabann",
    ),
}


@pytest.mark.parametrize("language", ["en", "es", "ht"])
def test_the_hosts_confirmation_reads_in_the_pages_language(
    client, trip, language, django_capture_on_commit_callbacks
):
    client.cookies["django_language"] = language

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/j/caravan/host/", {**HOST_OFFER, "stop": str(trip.phoenix.pk)})

    confirmation = mail.outbox[0]
    subject, greeting, available, beds = CONFIRMATION[language]
    assert confirmation.subject == subject
    lines = confirmation.body.splitlines()
    assert lines[0] == greeting
    assert available in lines
    assert beds in lines
    assert confirmation.extra_headers["Content-Language"] == language
    assert HostAlly.objects.get().language == language
    assert not ISO_DATE.search(confirmation.body)


DECISIONS = {
    ("host_approved", "en"): (
        "Your offer to host Caravan for Justice was accepted",
        "You will host the caravan in Phoenix, AZ.",
    ),
    ("host_approved", "es"): (
        "Su oferta de hospedaje para Caravan for Justice fue aceptada",
        "Usted recibirá a la caravana en Phoenix, AZ.",
    ),
    ("host_approved", "ht"): (
        "Yo aksepte òf ou pou resevwa Caravan for Justice",
        "W ap resevwa karavàn nan nan Phoenix, AZ.",
    ),
    ("host_declined", "en"): (
        "About your offer to host Caravan for Justice",
        "The Caravana team",
    ),
    ("host_declined", "es"): (
        "Sobre su oferta de hospedaje para Caravan for Justice",
        "El equipo de Caravana",
    ),
    ("host_declined", "ht"): (
        "Konsènan òf ou pou resevwa Caravan for Justice",
        "Ekip Caravana",
    ),
}


@pytest.mark.parametrize(("template", "language"), sorted(DECISIONS))
def test_the_coordinators_decision_reaches_the_host_in_the_hosts_language(trip, template, language):
    host = HostAlly.objects.create(
        journey=trip.journey,
        stop=trip.phoenix,
        organization="Casa Mariposa",
        contact_name="Lupe Ortega",
        email="lupe@example.org",
        city="Phoenix",
        language=language,
    )

    # The coordinator's own language (English here) does not matter: the host's does.
    send_host_email(host=host, template=template, language=host.language)

    (message,) = mail.outbox
    subject, line = DECISIONS[(template, language)]
    assert message.subject == subject
    assert line in message.body.splitlines()
    assert message.extra_headers["Content-Language"] == language
