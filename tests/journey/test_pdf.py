"""PDF documents, read back with pypdf: content and order, accented names, the embedded
font, header and footer on every page, and what each audience must not see.

``build_pdf_scenario`` (imported by the other test_pdf_* modules) adds to the shared
scenario riders with accented names, a host, local contacts and a border-zone stop.
"""

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from pypdf import PdfReader

from journey.exporters import ExportRequest, get_exporter
from journey.exporters.pdf.personal import PersonalExportRequest
from journey.itinerary import Audience, build_itinerary
from journey.models import Leg
from journey.plan import load_plan
from journey.tokens import SubscriptionUrls
from stops.models import LocalContact, Stop
from tests.factories import (
    BedAssignmentFactory,
    HostAllyFactory,
    MealFactory,
    ParticipantFactory,
    SeatAssignmentFactory,
)
from tests.journey.test_itinerary import PRIVATE, Scenario, build_scenario

GENERATED = datetime(2026, 2, 20, 18, 30, tzinfo=UTC)  # 10:30 in Los Angeles
GENERATED_LINE = "Generated Feb. 20, 2026, 10:30 PST"
CONFIDENTIAL = "CONFIDENTIAL: team only. Holds names, phones and addresses; do not share."
LINKS = SubscriptionUrls(
    https="https://caravana.example.org/my/TOKEN/calendar.ics",
    webcal="webcal://caravana.example.org/my/TOKEN/calendar.ics",
)

# Planted in the team's data; the public booklet must hold none of them.
PRIVATE_PDF = {
    **PRIVATE,
    "accented rider": "Begoña",
    "accented full name": "Begoña Ibáñez Núñez",
    "host organization": "Iglesia San José",
    "host phone": "+1 602 555 0150",
    "rider phone (2)": "+1 555 0177",
}


@dataclass
class PdfScenario:
    base: Scenario
    begona: object
    mirlene: object
    dieune: object

    @property
    def journey(self):
        return self.base.journey

    @property
    def stops(self):
        return self.base.stops


def build_pdf_scenario(*, published=True) -> PdfScenario:
    base = build_scenario(published=published)
    stops, lodgings, bus = base.stops, base.lodgings, base.bus
    begona = ParticipantFactory(
        journey=base.journey,
        route=base.route,
        display_name=PRIVATE_PDF["accented rider"],
        full_name=PRIVATE_PDF["accented full name"],
        phone=PRIVATE_PDF["rider phone (2)"],
        language="es",
        dietary_needs="vegetarian",
        join_stop=stops["phoenix"],
        leave_stop=stops["el_paso"],
    )
    mirlene = ParticipantFactory(
        journey=base.journey,
        route=base.route,
        display_name="Mirlène",
        full_name="Mirlène Saint-Fleur",
        language="ht",
        join_stop=stops["el_paso"],
    )
    dieune = ParticipantFactory(
        journey=base.journey,
        route=base.route,
        display_name="Dieunè",
        full_name="Dieunè Pierre-Louis",
        language="fr",
        join_stop=stops["houston"],
    )
    SeatAssignmentFactory(
        participant=begona, vehicle=bus, from_stop=stops["phoenix"], to_stop=stops["el_paso"]
    )
    SeatAssignmentFactory(
        participant=mirlene, vehicle=bus, from_stop=stops["el_paso"], to_stop=stops["houston"]
    )
    for person, key in ((begona, "phoenix"), (begona, "el_paso"), (dieune, "houston")):
        BedAssignmentFactory(participant=person, lodging=lodgings[key], night=stops[key].nights[0])
    HostAllyFactory(
        journey=base.journey,
        stop=stops["phoenix"],
        organization=PRIVATE_PDF["host organization"],
        contact_name="Ana Torres",
        phone=PRIVATE_PDF["host phone"],
        email="ana@example.org",
        status="approved",
    )
    LocalContact.objects.create(
        stop=stops["phoenix"],
        kind="rapid_response",
        name="Red de Respuesta Rápida",
        phone="+1 602 555 0111",
    )
    LocalContact.objects.create(
        stop=stops["el_paso"], kind="legal_aid", name="Las Américas", phone="+1 915 555 0123"
    )
    LocalContact.objects.create(
        stop=stops["houston"], kind="legal_aid", name="Houston Legal", phone="+1 713 555 0101"
    )
    # Border-zone flags follow the coordinates (journey.border.flag_route); clear them so
    # that each test sets the ones it is about.
    Stop.objects.filter(journey=base.journey).update(in_border_zone=False)
    Leg.objects.filter(route__journey=base.journey).update(in_border_zone=False, checkpoints=[])
    return PdfScenario(base, begona, mirlene, dieune)


def set_border_zone(stop, value=True):
    Stop.objects.filter(pk=stop.pk).update(in_border_zone=value)


@pytest.fixture
def scenario(db):
    return build_pdf_scenario()


def export(scenario, document, request, *, language="en") -> bytes:
    with time_machine.travel(GENERATED, tick=False):
        return get_exporter("pdf", document).export(
            load_plan(scenario.journey), request, language=language
        )


def pages(body: bytes) -> list[list[str]]:
    """Each page's text lines as a PDF reader lays them out (a table row is one line),
    with runs of spaces made single and empty lines dropped."""
    reader = PdfReader(io.BytesIO(body))
    found = []
    for page in reader.pages:
        lines = page.extract_text(extraction_mode="layout").splitlines()
        found.append([" ".join(line.split()) for line in lines if line.strip()])
    return found


def text(body: bytes) -> str:
    return "\n".join("\n".join(page) for page in pages(body))


def after(lines: list[str], first: str, count: int) -> list[str]:
    """``count`` lines starting at the line ``first``."""
    start = lines.index(first)
    return lines[start : start + count]


def personal_request(participant, links=LINKS):
    return PersonalExportRequest(Audience.PERSONAL, participant=participant, links=links)


DOCUMENTS = {
    "public booklet": ("booklet", lambda s: ExportRequest(Audience.PUBLIC)),
    "team booklet": ("booklet", lambda s: ExportRequest(Audience.TEAM)),
    "personal": ("personal", lambda s: personal_request(s.begona)),
    "day sheet": ("daysheet", lambda s: ExportRequest(Audience.TEAM, stop=s.stops["phoenix"])),
    "rooming list": ("rooming", lambda s: ExportRequest(Audience.TEAM)),
    "manifest": ("manifest", lambda s: ExportRequest(Audience.TEAM)),
}


def make(scenario, name: str, *, language="en") -> bytes:
    document, request = DOCUMENTS[name]
    return export(scenario, document, request(scenario), language=language)


# --- every document ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title", "confidential", "page_count"),
    [
        ("public booklet", "Journey booklet", False, 2),
        ("team booklet", "Journey booklet (team copy)", True, 3),
        ("personal", "Itinerary of Begoña", False, 3),
        ("day sheet", "Day sheet for hosts: Phoenix, AZ", False, 1),
        ("rooming list", "Rooming list", True, 1),
        ("manifest", "Vehicle manifest", True, 1),
    ],
)
def test_every_page_has_the_header_and_the_footer(scenario, name, title, confidential, page_count):
    found = pages(make(scenario, name))

    header = [*([CONFIDENTIAL] if confidential else []), f"TPS Journey {title}"]
    assert [page[: len(header)] for page in found] == [header] * page_count
    assert [page[-1] for page in found] == [
        f"{GENERATED_LINE} Page {n} of {page_count}" for n in range(1, page_count + 1)
    ]


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_every_document_embeds_the_dejavu_font_and_no_base_font(scenario, name):
    reader = PdfReader(io.BytesIO(make(scenario, name)))

    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            embedded = "/FontFile2" in font["/FontDescriptor"]
            fonts.add((font["/BaseFont"].split("+")[-1], font["/Subtype"], embedded))

    assert fonts == {("DejaVuSans", "/TrueType", True), ("DejaVuSans-Bold", "/TrueType", True)}


# --- booklet ---------------------------------------------------------------------------------


def test_public_booklet_has_the_cover_the_map_and_the_stops(scenario):
    cover, _days = pages(make(scenario, "public booklet"))

    assert cover[1:-1] == [
        "TPS Journey",
        "March 1, 2026 – March 8, 2026 · 4 stops · 774 mi",
        "Public edition: public stops and activities only.",
        "Every time is the local time of the place, with its time zone.",
        # the map's labels: the ends and the overnight stops
        "Los Angeles",
        "Phoenix",
        "El Paso",
        "Houston",
        "Outline: US Census Bureau, via us-atlas. Straight lines between stops.",
        "Stops",
        "# Place Arrives Leaves Nights",
        "1 Los Angeles, CA Mar 1, 08:00 PST Mar 1, 09:00 PST",
        "Rally",
        "2 Phoenix, AZ Mar 1, 20:30 MST Mar 2, 09:00 MST 1",
        "Wesley Bolin Plaza",
        "3 El Paso, TX Mar 2, 18:00 MST Mar 3, 08:00 MST 1",
        "4 Houston, TX Mar 7, 10:00 CST Mar 8, 10:00 CDT 1",
    ]


def test_public_booklet_goes_day_by_day_in_local_time(scenario):
    _cover, days = pages(make(scenario, "public booklet"))

    assert days[1:-1] == [
        "Day by day",
        "Sunday, March 1, 2026",
        "Los Angeles, CA → Phoenix, AZ",
        "08:00 PST Arrive in Los Angeles, CA",
        "Leaves Mar 1, 09:00 PST",
        "09:00 PST Leave for Phoenix, AZ",
        "Arrive Mar 1, 20:30 MST",
        "393 mi · 6 h 02 min driving · 30 min of breaks",
        "20:30 MST Arrive in Phoenix, AZ",
        "Wesley Bolin Plaza",
        "Leaves Mar 2, 09:00 MST",
        "Bring water.",
        "21:30–22:30 MST Vigil at the Capitol · Vigil",
        "Capitol lawn",
        "Monday, March 2, 2026",
        "Phoenix, AZ → El Paso, TX",
        "09:00 MST Leave for El Paso, TX",
        "Arrive Mar 2, 18:00 MST",
        "381 mi · 5 h 50 min driving · 30 min of breaks",
        "18:00 MST Arrive in El Paso, TX",
        "Leaves Mar 3, 08:00 MST",
        "Saturday, March 7, 2026",
        "Houston, TX",
        "10:00 CST Arrive in Houston, TX",
        "Leaves Mar 8, 10:00 CDT",
        "Sunday, March 8, 2026",
        "Houston, TX",
        "09:00–09:45 CDT Rally at City Hall · Rally",
        "City Hall, 901 Bagby St",
    ]


def test_public_booklet_holds_no_private_value(scenario):
    found = text(make(scenario, "public booklet"))

    assert [what for what, value in sorted(PRIVATE_PDF.items()) if value in found] == []


def test_public_booklet_of_an_unpublished_journey_has_no_stops(db):
    scenario = build_pdf_scenario(published=False)

    found = pages(make(scenario, "public booklet"))

    assert [page[1:-1] for page in found] == [["TPS Journey", "No stops to show yet."]]


def test_team_booklet_holds_lodging_hosts_vehicles_and_private_notes(scenario):
    lines = text(make(scenario, "team booklet")).splitlines()

    assert after(lines, "Coordinators to call", 3) == [
        "Coordinators to call",
        "Coordinator Phone Email",
        "Yolotl +1 555 0100",
    ]
    assert after(lines, "Tucson, AZ Cancelled Mar 2, 11:00 MST Mar 2, 12:00 MST", 2) == [
        "Tucson, AZ Cancelled Mar 2, 11:00 MST Mar 2, 12:00 MST",
        "Rest / fuel",
    ]
    assert after(lines, "20:30 MST Arrive in Phoenix, AZ", 6) == [
        "20:30 MST Arrive in Phoenix, AZ",
        "Wesley Bolin Plaza, 12 Depot Yard",
        "Leaves Mar 2, 09:00 MST",
        "Bring water.",
        "Private notes: GATE-CODE-4471",
        "Host: Iglesia San José, Ana Torres, +1 602 555 0150, ana@example.org",
    ]
    assert after(lines, "Night Night in Phoenix, AZ", 3) == [
        "Night Night in Phoenix, AZ",
        "Sanctuary Hall, Church, 417 Quiet Alley, 10 beds",
        "4 people sleep here",
    ]
    assert after(lines, "09:00 MST Leave for El Paso, TX", 4)[3] == (
        "Vehicle: Bus Aztlan, CRV-0042; driver: Dagoberto; 3 passengers"
    )
    assert "07:00–08:00 MST Closed meeting with counsel · Meeting · not public" in lines


def test_the_team_booklet_lists_each_days_meals_with_counts(scenario):
    phoenix = scenario.stops["phoenix"]
    MealFactory(stop=phoenix, starts_at=phoenix.arrival + timedelta(minutes=30))
    public_before = text(make(scenario, "public booklet"))

    lines = text(make(scenario, "team booklet")).splitlines()

    assert [line for line in lines if "Parish hall" in line] == [
        "21:00 MST · Dinner at Parish hall · 4 people · vegetarian: 2 · provided by the team"
    ]
    assert "Parish hall" not in public_before


def test_booklet_days_and_dates_are_in_spanish_for_a_spanish_reader(scenario):
    cover, days = pages(make(scenario, "public booklet", language="es"))

    assert [line for line in days if line.endswith("de 2026")] == [
        "domingo, 1 de marzo de 2026",
        "lunes, 2 de marzo de 2026",
        "sábado, 7 de marzo de 2026",
        "domingo, 8 de marzo de 2026",
    ]
    assert cover[2] == "1 de marzo de 2026 – 8 de marzo de 2026 · 4 paradas · 774 mi"
    assert cover[-1] == "Generado el 20 de febrero de 2026, 10:30 PST Página 1 de 2"


# --- personal itinerary -------------------------------------------------------------------------


def test_personal_itinerary_is_a_first_page_then_one_page_per_day_of_the_segment(scenario):
    cover, sunday, monday = pages(make(scenario, "personal", language="es"))

    assert cover[1:4] == [
        "Itinerario de Begoña",
        "TPS Journey",
        "Desde Phoenix, AZ (dom 1 de marzo) hasta El Paso, TX (mar 3 de marzo)",
    ]
    # The stop's notes and the activity's title and place are the team's own words.
    assert sunday[1:-1] == [
        "Día 1 de 2",
        "domingo, 1 de marzo de 2026",
        "Phoenix, AZ",
        "20:30 MST Llegada a Phoenix, AZ",
        "Wesley Bolin Plaza, 12 Depot Yard",
        "Salida: 2 de marzo, 09:00 MST",
        "Bring water.",
        "21:30–22:30 MST Vigil at the Capitol · Vigilia",
        "Capitol lawn",
        "Noche Noche en Phoenix, AZ",
        "Usted duerme en: Sanctuary Hall, Iglesia, 417 Quiet Alley",
        "A quién llamar",
        "Coordinador/a: Yolotl +1 555 0100",
        "Red de respuesta rápida (Phoenix): Red de Respuesta Rápida +1 602 555 0111",
        "Su calendario (escanee el código):",
        "Enlace del calendario:",
        LINKS.https,
        "Suscribirse:",
        LINKS.webcal,
    ]
    assert monday[1:4] == ["Día 2 de 2", "lunes, 2 de marzo de 2026", "Phoenix, AZ → El Paso, TX"]
    assert after(monday, "09:00 MST Salida hacia El Paso, TX", 4)[3] == (
        "Su vehículo: Bus Aztlan, CRV-0042; al volante: Dagoberto"
    )


def test_personal_itinerary_covers_only_the_segment(scenario):
    found = text(make(scenario, "personal"))

    places = ["Los Angeles", "Phoenix", "Tucson", "El Paso", "San Antonio", "Houston"]
    assert [place for place in places if place in found] == ["Phoenix", "El Paso"]


def test_personal_first_page_has_the_links_and_whom_to_call(scenario):
    cover = pages(make(scenario, "personal"))[0]

    assert cover[4:] == [
        "One page per day. Every time is the local time of the place, with its time zone. "
        "Fold a page in half, then in half again, to",
        "carry it in a pocket.",
        "Scan the code with your phone to add your itinerary to its calendar. It updates",
        "itself when the plan changes and uses very little data.",
        "Calendar link:",
        LINKS.https,
        "Subscribe:",
        LINKS.webcal,
        "Who to call",
        "Coordinator Phone Email",
        "Yolotl +1 555 0100",
        "Local help at your stops",
        "Place Local help Phone",
        "Phoenix, AZ Rapid-response network: Red de Respuesta Rápida +1 602 555 0111",
        "El Paso, TX Legal aid: Las Américas +1 915 555 0123",
        f"{GENERATED_LINE} Page 1 of 3",
    ]


def qr_forms(body: bytes) -> list[list[str]]:
    reader = PdfReader(io.BytesIO(body))
    return [
        sorted(name for name in page["/Resources"].get("/XObject", {}) if "qr" in name)
        for page in reader.pages
    ]


def test_personal_itinerary_has_its_qr_code_on_every_page(scenario):
    forms = qr_forms(make(scenario, "personal"))

    assert [len(names) for names in forms] == [1, 1, 1]
    assert forms[0] == forms[1] == forms[2]


def test_without_links_the_personal_itinerary_says_whom_to_ask(scenario):
    body = export(scenario, "personal", personal_request(scenario.begona, links=None))

    assert qr_forms(body) == [[], [], []]
    assert pages(body)[0][6] == "Ask a coordinator for the link to your itinerary and calendar."


def flag_leg(scenario, origin, *, in_zone=False, checkpoints=()):
    Leg.objects.filter(origin=scenario.stops[origin]).update(
        in_border_zone=in_zone, checkpoints=list(checkpoints)
    )


@pytest.mark.parametrize(
    ("flag", "page_count", "last_title"),
    [
        (None, 3, "Day 2 of 2"),
        ("El Paso in the zone", 4, "Know your rights on the road"),
        ("Houston in the zone", 3, "Day 2 of 2"),  # not on Begoña's segment
        ("checkpoint on her drive", 4, "Know your rights on the road"),
    ],
)
def test_a_segment_meeting_the_border_zone_ends_with_know_your_rights(
    scenario, flag, page_count, last_title
):
    if flag == "El Paso in the zone":
        set_border_zone(scenario.stops["el_paso"])
    elif flag == "Houston in the zone":
        set_border_zone(scenario.stops["houston"])
    elif flag == "checkpoint on her drive":
        flag_leg(scenario, "phoenix", checkpoints=["tx-i10-sierra-blanca"])

    found = pages(make(scenario, "personal"))

    assert (len(found), found[-1][1]) == (page_count, last_title)


def test_know_your_rights_in_spanish_names_the_zone_and_the_checkpoints(scenario):
    set_border_zone(scenario.stops["el_paso"])
    flag_leg(scenario, "phoenix", in_zone=True, checkpoints=["tx-i10-sierra-blanca"])

    cover, _sunday, monday, rights = pages(make(scenario, "personal", language="es"))

    assert cover[12:14] == [
        "Parte de su viaje está en la zona fronteriza de 100 millas o pasa por un puesto de "
        "control de la",
        "Patrulla Fronteriza. Lea sus derechos al final de este itinerario y llévelos siempre "
        "con usted.",
    ]
    assert after(monday, "381 mi · 5 h 50 min de manejo · 30 min de descansos", 3) == [
        "381 mi · 5 h 50 min de manejo · 30 min de descansos",
        "Este trayecto pasa por la zona fronteriza de 100 millas.",
        "Puesto de control de la Patrulla Fronteriza: Sierra Blanca (I-10, TX)",
    ]
    assert rights[1:6] == [
        "Conozca sus derechos en el camino",
        "Información general, no es asesoría legal. Las leyes y las prácticas cambian. Si tiene "
        "dudas, llame al equipo legal.",
        "En la zona fronteriza de 100 millas: El Paso, TX",
        "Puestos de control de la Patrulla Fronteriza en sus trayectos: Sierra Blanca (I-10, TX)",
        "Sus derechos ante cualquier agente",
    ]
    assert rights[6] == (
        "• Usted tiene derecho a guardar silencio. Puede decir: “Quiero guardar silencio.”"
    )


# --- day sheet, rooming list, manifest ------------------------------------------------------------


def test_day_sheet_counts_people_and_needs_without_names(scenario):
    phoenix = scenario.stops["phoenix"]
    host = phoenix.hosts.get()
    MealFactory(stop=phoenix, kind="dinner", starts_at=phoenix.arrival + timedelta(minutes=30))
    MealFactory(
        stop=phoenix,
        kind="breakfast",
        starts_at=phoenix.departure - timedelta(hours=1, minutes=30),
        place="Fellowship hall",
        provided_by=host,
        notes="Tables by the door",
    )
    LocalContact.objects.filter(stop=phoenix).update(notes="24 hours")

    lines = pages(make(scenario, "day sheet"))[0]

    assert lines[1:-1] == [
        "Day sheet for hosts",
        "Phoenix, AZ",
        "Wesley Bolin Plaza, 12 Depot Yard",
        "Arrival Mar 1, 20:30 MST",
        "Departure Mar 2, 09:00 MST",
        "Coming from Los Angeles, CA · leaves Mar 1, 09:00 PST · 393 mi · 6 h 02 min driving · "
        "30 min of breaks",
        "Going to El Paso, TX · arrives Mar 2, 18:00 MST · 381 mi · 5 h 50 min driving · "
        "30 min of breaks",
        "Notes Bring water.",
        "People each night",
        "Night People Dietary needs Accessibility needs",
        "Sun, Mar 1 4 vegetarian: 2 wheelchair: 1",
        "Counts only: the names stay with the coordinators.",
        "The day",
        "When What",
        "Mar 1, 20:30 MST The caravan arrives",
        "Mar 1, 21:00 MST Dinner at Parish hall · 4 people · vegetarian: 2 · provided by the team",
        "Mar 1, 21:30–22:30 MST Vigil at the Capitol · Vigil",
        "Capitol lawn",
        "Mar 2, 07:00–08:00 MST Closed meeting with counsel · Meeting",
        "Mar 2, 07:30 MST Breakfast at Fellowship hall · 4 people · vegetarian: 2 · provided by "
        "Iglesia",
        "San José",
        "Tables by the door",
        "Mar 2, 09:00 MST The caravan leaves",
        "Lodging",
        "Where Beds Check-in Check-out",
        "Sanctuary Hall, Church, 417 Quiet Alley 10 Mar 1, 20:30 MST Mar 2, 09:00 MST",
        "Local contacts",
        "Who Phone",
        "Red de Respuesta Rápida · Rapid-response network +1 602 555 0111",
        "24 hours",
        "Coordinators to call",
        "Coordinator Phone Email",
        "Yolotl +1 555 0100",
    ]


def test_the_hosts_day_sheet_reads_in_haitian_creole(scenario):
    lines = pages(make(scenario, "day sheet", language="ht"))[0]

    assert lines[1:8] == [
        "Fèy jounen pou òganizasyon akèy",
        "Phoenix, AZ",
        "Wesley Bolin Plaza, 12 Depot Yard",
        "Arive 1 mas, 20:30 MST",
        "Depa 2 mas, 09:00 MST",
        "Soti nan Los Angeles, CA · pati 1 mas, 09:00 PST · 393 mil · 6 è 02 min sou wout la · "
        "30 min poz",
        "Prale nan El Paso, TX · rive 2 mas, 18:00 MST · 381 mil · 5 è 50 min sou wout la · "
        "30 min poz",
    ]
    assert "dim 1 mas 4 vegetarian: 2 wheelchair: 1" in lines
    assert "Kantite sèlman: non moun yo rete nan men kowòdonatè yo." in lines


def test_rooming_list_names_every_sleeper_with_accents(scenario):
    lines = pages(make(scenario, "rooming list"))[0]

    assert lines[2:-1] == [
        "Rooming list",
        "Night of Sunday, March 1, 2026",
        "Sanctuary Hall · Phoenix, AZ · 4 of 10 beds taken",
        "417 Quiet Alley, Church",
        "Name Full name Phone Dietary needs Accessibility needs",
        "Begoña Begoña Ibáñez Núñez +1 555 0177 vegetarian",
        "Beto wheelchair",
        "Dagoberto",
        "Xiomara Xiomara Quetzal Ruiz +1 555 0199 vegetarian",
        "Night of Monday, March 2, 2026",
        "Casa Anunciacion · El Paso, TX · 4 of 10 beds taken",
        "325 Leon St, Church",
        "Name Full name Phone Dietary needs Accessibility needs",
        "Begoña Begoña Ibáñez Núñez +1 555 0177 vegetarian",
        "Beto wheelchair",
        "Dagoberto",
        "Xiomara Xiomara Quetzal Ruiz +1 555 0199 vegetarian",
        "Night of Saturday, March 7, 2026",
        "Bayou Fellowship · Houston, TX · 3 of 10 beds taken",
        "5 Canal St, Church",
        "Name Full name Phone Dietary needs Accessibility needs",
        "Beto wheelchair",
        "Dagoberto",
        "Dieunè Dieunè Pierre-Louis",
    ]


def test_manifest_lists_each_vehicle_and_leg_with_emergency_contacts(scenario):
    lines = pages(make(scenario, "manifest"))[0]

    assert after(lines, "Bus Aztlan, CRV-0042 · Phoenix, AZ → El Paso, TX", 7) == [
        "Bus Aztlan, CRV-0042 · Phoenix, AZ → El Paso, TX",
        "Leaves Mar 2, 09:00 MST · arrives Mar 2, 18:00 MST · 381 mi · 5 h 50 min driving · "
        "30 min of breaks",
        "Role Name Full name Phone Emergency contact",
        "Driver Dagoberto",
        "Passenger Begoña Begoña Ibáñez Núñez +1 555 0177",
        "Passenger Beto",
        "Passenger Xiomara Xiomara Quetzal Ruiz +1 555 0199 Rosalind Ruiz, +1 555 0198",
    ]
    assert [line for line in lines if line.startswith("Bus Aztlan")] == [
        "Bus Aztlan, CRV-0042 · Los Angeles, CA → Phoenix, AZ",
        "Bus Aztlan, CRV-0042 · Phoenix, AZ → El Paso, TX",
        "Bus Aztlan, CRV-0042 · El Paso, TX → San Antonio, TX",
        "Bus Aztlan, CRV-0042 · San Antonio, TX → Houston, TX",
    ]
    assert lines.count("Passenger Mirlène Mirlène Saint-Fleur") == 2


def test_lists_limited_to_one_stop(scenario):
    houston = ExportRequest(Audience.TEAM, stop=scenario.stops["houston"])

    rooming = pages(export(scenario, "rooming", houston))[0]
    legs = pages(export(scenario, "manifest", houston))[0]

    assert [line for line in rooming if line.startswith("Night of")] == [
        "Night of Saturday, March 7, 2026"
    ]
    assert [line for line in legs if line.startswith("Bus Aztlan")] == [
        "Bus Aztlan, CRV-0042 · San Antonio, TX → Houston, TX"
    ]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("rooming", "No lodging is booked yet."),
        ("manifest", "Nobody is assigned to a vehicle yet."),
    ],
)
def test_empty_lists_say_so(db, document, message):
    scenario = build_scenario()
    scenario.lodgings["phoenix"].stop.lodgings.all().delete()
    for lodging in scenario.lodgings.values():
        lodging.delete()
    scenario.bus.delete()

    found = pages(export(scenario, document, ExportRequest(Audience.TEAM)))

    assert found[0][3] == message


# --- itinerary fields added for the documents --------------------------------------------------


def test_itinerary_carries_route_colors_and_border_zone_flags(scenario):
    set_border_zone(scenario.stops["el_paso"])
    scenario.base.route.color = "#0a7f5a"
    scenario.base.route.save()

    itinerary = build_itinerary(load_plan(scenario.journey), audience=Audience.PUBLIC)

    assert [(s.city, s.in_border_zone) for s in itinerary.stops] == [
        ("Los Angeles", False),
        ("Phoenix", False),
        ("El Paso", True),
        ("Houston", False),
    ]
    assert [(leg.route_color, leg.in_border_zone) for leg in itinerary.legs] == [
        ("#0a7f5a", False),
        ("#0a7f5a", False),
    ]
