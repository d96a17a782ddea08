"""A demo journey that looks like the real thing, built by ``build_demo()``.

Modelled on the 2018 #TPSJourney4Justice, with invented people and organizations: TPS holders,
their families and allies cross the United States in March 2027 for rallies, town halls, vigils
and meetings with congressional offices, housed and fed by churches, unions and immigrant rights
coalitions.

- Route "Main": a coach bus from Los Angeles to Washington, DC, 28 stops (overnight stays of one
  to four nights, rest and fuel stops, rally stops) through Pacific, Arizona (no DST), Mountain,
  Central and Eastern time; it crosses the start of daylight saving time (Sunday 2027-03-14).
- Route "Florida caravan": a 12-passenger van from Homestead, FL, that meets the bus at the same
  Washington stop (one stop on both routes) for the finale.
- 61 participants: riders, drivers, coordinators (one who does not ride), a medic and the press;
  a core group rides the whole way, families join and leave along it.
- Hosts in every overnight city (most approved, two pending, one declined), lodging linked to
  them, a seat for every ride and a bed for every night that has one.

Arrivals are computed, not typed: each is the previous departure plus the leg's estimate (the
same ``geo.distance.estimate_leg`` and journey settings that the legs use) plus a margin, rounded
up to the quarter hour. So every drive fits, except where the data says otherwise.

Deliberate problems, for the schedule checks to find (and nothing else):

1. Birmingham, night of 2027-03-15: no lodging. The host for the second night has not yet
   answered (pending) -> ``no_lodging``.
2. Houston, night of 2027-03-10: the homestays only cover the first night, so the church's 26
   beds are short for 30 people -> ``beds_short`` and ``bed_unassigned`` (4 people).
3. The van, Orlando -> Savannah: three Orlando supporters ride along to Savannah -> 14
   passengers for 12 seats, ``vehicle_over_capacity``.
4. El Paso -> San Antonio, the longest day: Rafael drives all three legs alone (10 h 35 min at
   the wheel) -> ``driving_over_limit``.
5. Nashville -> Knoxville: the arrival was typed in Central time, but Knoxville is on Eastern
   time, so it is an hour too early -> ``drive_does_not_fit``.
6. Atlanta: the press conference at the Capitol runs into the meeting with faith leaders ->
   ``activity_overlap``.
7. El Paso -> Fort Stockton runs inside the 100-mile border zone, and nobody has been named as
   the legal contact for it yet -> ``border_unprepared``. (Every other border-zone leg has the
   legal team on call and the riders briefed.)

Everything is fictional: names, organizations, congressional offices, addresses. Phones are in
the 555-0100 to 555-0199 range reserved for fiction; e-mail addresses are under example.org.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from geo.distance import estimate_leg
from geo.geocoding import geocode_city
from geo.timezones import timezone_at
from journey import history
from journey.models import Journey, Leg, Route
from journey.services import append_stop, create_journey, deferred_leg_refresh
from participants.models import (
    BedAssignment,
    Participant,
    Role,
    SeatAssignment,
    Vehicle,
    VehicleKind,
)
from stops.models import (
    Activity,
    ActivityKind,
    HostAlly,
    HostStatus,
    Lodging,
    LodgingKind,
    Stop,
    StopKind,
    StopStatus,
)

DEMO_SLUG = "tps-journey-4-justice"
LEGAL_TEAM = "Caravana legal team, 555-0142"
UNPREPARED_BORDER_LEG_FROM = "El Paso"
DEMO_APPS = ("journey", "stops", "participants")

# A loaded coach averages less than a car on the same roads (the default is fitted to cars).
BUS_SPEED_KMH = 85
# Time added to every drive's estimate (parking, traffic) before rounding up to the quarter hour.
ARRIVAL_MARGIN_MINUTES = 10
ROUND_TO_MINUTES = 15
# When hosts answered; hosts that declined or approved did so on this day.
DECIDED_AT = datetime(2027, 2, 10, 17, 0, tzinfo=UTC)

MAIN, FLORIDA = "main", "florida"

DESCRIPTION = (
    "TPS holders, their families and allies cross the country by bus, from Los Angeles to "
    "Washington, DC, to ask Congress for a permanent solution for people with Temporary "
    "Protected Status. A van from South Florida joins them for the finale.\n\n"
    "Personas con TPS, sus familias y aliados cruzan el país en autobús, de Los Ángeles a "
    "Washington, DC, para pedir al Congreso una solución permanente para quienes tienen el "
    "Estatus de Protección Temporal. Una camioneta del sur de Florida se une para el final."
)


# --- The data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StopSpec:
    key: str
    city: str
    state: str
    kind: str = StopKind.OVERNIGHT
    nights: int = 1  # overnight stops: nights spent there
    leave_at: str = "08:00"  # overnight stops: local departure the morning after the last night
    stay: int = 0  # rest and rally stops: minutes spent there
    venue: str = ""
    address: str = ""
    status: str = StopStatus.CONFIRMED
    public_notes: str = ""
    private_notes: str = ""
    arrival_error: int = 0  # deliberate: minutes by which the typed arrival is off

    @property
    def is_public(self) -> bool:
        # Rest and fuel stops stay off the public pages: nobody needs to know where the bus parks.
        return self.kind != StopKind.REST


def _rest(key, city, state, stay=45, **fields) -> StopSpec:
    return StopSpec(key, city, state, kind=StopKind.REST, stay=stay, **fields)


def _rally(key, city, state, stay, **fields) -> StopSpec:
    return StopSpec(key, city, state, kind=StopKind.RALLY, stay=stay, **fields)


@dataclass(frozen=True)
class RouteSpec:
    key: str
    name: str
    color: str
    first_arrival: tuple[int, int, int, int, int]  # local time at the first stop
    stops: tuple[StopSpec, ...]


WASHINGTON = StopSpec(
    "washington",
    "Washington",
    "DC",
    nights=4,
    leave_at="10:00",
    venue="Capitol Hill Interfaith Sanctuary",
    address="Parking on 4th St SE",
    status=StopStatus.PLANNED,
    public_notes="Both caravans meet for four days of meetings, a press conference and a vigil.",
)

ROUTES = (
    RouteSpec(
        MAIN,
        "Main",
        "#b5179e",
        (2027, 3, 1, 10, 0),
        (
            StopSpec(
                "los-angeles",
                "Los Angeles",
                "CA",
                leave_at="07:30",
                venue="MacArthur Park",
                address="Bus bay on Wilshire Blvd",
                public_notes="Send-off rally and press conference.",
            ),
            _rest("blythe", "Blythe", "CA"),
            StopSpec("phoenix", "Phoenix", "AZ", nights=2, venue="Arizona State Capitol"),
            StopSpec("tucson", "Tucson", "AZ", venue="Armory Park"),
            _rest("lordsburg", "Lordsburg", "NM", stay=30),
            StopSpec(
                "el-paso",
                "El Paso",
                "TX",
                nights=2,
                leave_at="06:00",
                venue="Chamizal National Memorial",
                private_notes="Leave at 06:00: the longest day of the journey.",
            ),
            _rest("fort-stockton", "Fort Stockton", "TX"),
            _rest("sonora", "Sonora", "TX", stay=30),
            StopSpec(
                "san-antonio", "San Antonio", "TX", nights=2, leave_at="09:00", venue="Milam Park"
            ),
            StopSpec("houston", "Houston", "TX", nights=2, venue="Houston City Hall"),
            _rest("beaumont", "Beaumont", "TX", stay=30),
            _rally("lafayette", "Lafayette", "LA", stay=150, venue="Parc Sans Souci"),
            StopSpec("new-orleans", "New Orleans", "LA", nights=2, venue="Congo Square"),
            _rest("mobile", "Mobile", "AL"),
            _rally("selma", "Selma", "AL", stay=90, venue="Edmund Pettus Bridge"),
            StopSpec(
                "montgomery",
                "Montgomery",
                "AL",
                leave_at="12:30",
                private_notes="Sunday: the clocks go forward overnight. Leave after the service.",
            ),
            StopSpec("birmingham", "Birmingham", "AL", nights=2, venue="Kelly Ingram Park"),
            StopSpec(
                "atlanta", "Atlanta", "GA", nights=2, leave_at="08:30", venue="Georgia Capitol"
            ),
            _rally("chattanooga", "Chattanooga", "TN", stay=120, venue="Miller Park"),
            StopSpec("nashville", "Nashville", "TN", nights=2, leave_at="09:00"),
            StopSpec(
                "knoxville",
                "Knoxville",
                "TN",
                arrival_error=-60,  # deliberate: typed in Central time
                status=StopStatus.PLANNED,
            ),
            _rest("asheville", "Asheville", "NC", status=StopStatus.PLANNED),
            StopSpec(
                "charlotte",
                "Charlotte",
                "NC",
                nights=2,
                leave_at="08:30",
                venue="Marshall Park",
                status=StopStatus.PLANNED,
            ),
            _rest("greensboro", "Greensboro", "NC", stay=30, status=StopStatus.PLANNED),
            StopSpec("durham", "Durham", "NC", leave_at="08:30", status=StopStatus.PLANNED),
            StopSpec(
                "richmond",
                "Richmond",
                "VA",
                leave_at="10:30",
                venue="Virginia State Capitol",
                status=StopStatus.PLANNED,
            ),
            _rest("fredericksburg", "Fredericksburg", "VA", stay=30, status=StopStatus.PLANNED),
            WASHINGTON,
        ),
    ),
    RouteSpec(
        FLORIDA,
        "Florida caravan",
        "#0077b6",
        (2027, 3, 20, 14, 0),
        (
            StopSpec("homestead", "Homestead", "FL", leave_at="08:30", status=StopStatus.PLANNED),
            _rally("miami", "Miami", "FL", stay=150, venue="Little Haiti Cultural Complex"),
            StopSpec("orlando", "Orlando", "FL", status=StopStatus.PLANNED),
            StopSpec("savannah", "Savannah", "GA", leave_at="08:30", status=StopStatus.PLANNED),
            _rest("florence", "Florence", "SC", status=StopStatus.PLANNED),
            StopSpec(
                "fayetteville",
                "Fayetteville",
                "NC",
                nights=2,
                leave_at="06:30",
                status=StopStatus.PLANNED,
                private_notes="Leave at 06:30 to reach Washington before the bus.",
            ),
            WASHINGTON,
        ),
    ),
)

# Who drives from one overnight stop to the next: (from, to, driver). One driver per leg.
DRIVING = {
    MAIN: (
        ("los-angeles", "phoenix", "rafael"),
        ("phoenix", "tucson", "tomas"),
        ("tucson", "el-paso", "gregory"),
        # Deliberate: Rafael alone for more than 10 hours; Tomás rides as a passenger.
        ("el-paso", "san-antonio", "rafael"),
        ("san-antonio", "houston", "tomas"),
        ("houston", "new-orleans", "gregory"),
        ("new-orleans", "montgomery", "rafael"),
        ("montgomery", "birmingham", "tomas"),
        ("birmingham", "atlanta", "gregory"),
        ("atlanta", "nashville", "rafael"),
        ("nashville", "knoxville", "tomas"),
        ("knoxville", "charlotte", "gregory"),
        ("charlotte", "durham", "rafael"),
        ("durham", "richmond", "tomas"),
        ("richmond", "washington", "gregory"),
    ),
    FLORIDA: (
        ("homestead", "orlando", "frantz"),
        ("orlando", "savannah", "osmin"),
        ("savannah", "fayetteville", "frantz"),
        ("fayetteville", "washington", "osmin"),
    ),
}

VEHICLES = {
    MAIN: {
        "name": "Coach bus",
        "kind": VehicleKind.BUS,
        "seats": 56,
        "plate": "DEMO 101",
        "notes": "Wheelchair lift at the front door; luggage bays under the floor.",
    },
    FLORIDA: {
        "name": "Florida van",
        "kind": VehicleKind.VAN,
        "seats": 12,
        "plate": "DEMO 202",
        "notes": "12-passenger van; no lift.",
    },
}


@dataclass(frozen=True)
class ActivitySpec:
    kind: str
    title: str
    at: (
        tuple[int, str] | int
    )  # (days after the arrival date, "HH:MM" local) or minutes after arrival
    minutes: int
    public: bool = True
    venue: str = ""
    description: str = ""


A = ActivitySpec
ACTIVITIES = {
    "los-angeles": (
        A(ActivityKind.PRESS, "Press conference: the journey begins", (0, "11:00"), 60),
        A(ActivityKind.RALLY, "Send-off rally", (0, "13:00"), 120, venue="MacArthur Park"),
        A(ActivityKind.MEAL, "Welcome dinner with host families", (0, "18:30"), 90, public=False),
    ),
    "phoenix": (
        A(ActivityKind.MEAL, "Dinner and orientation", (0, "19:00"), 90, public=False),
        A(ActivityKind.RALLY, "Rally at the State Capitol", (1, "11:00"), 120),
        A(ActivityKind.TOWN_HALL, "Town hall: TPS families of the Valley", (1, "18:00"), 120),
    ),
    "tucson": (
        A(
            ActivityKind.MEETING,
            "Know-your-rights session with volunteer lawyers",
            (0, "14:00"),
            120,
            public=False,
        ),
        A(ActivityKind.VIGIL, "Vigil for those lost in the desert", (0, "18:30"), 60),
    ),
    "el-paso": (
        A(ActivityKind.MEAL, "Dinner with the host community", (0, "18:30"), 90, public=False),
        A(ActivityKind.RALLY, "Binational rally at the border", (1, "10:00"), 120),
        A(ActivityKind.PRESS, "Press conference with families", (1, "13:00"), 60),
    ),
    "san-antonio": (
        A(ActivityKind.MEAL, "Rest-day lunch", (1, "12:00"), 90, public=False),
        A(ActivityKind.TOWN_HALL, "Town hall at the host church", (1, "18:00"), 120),
    ),
    "houston": (
        A(ActivityKind.RALLY, "Rally at City Hall", (1, "11:00"), 120),
        A(
            ActivityKind.MEETING,
            "Meeting with the district staff of Rep. Dolores Fairbanks",
            (1, "15:00"),
            60,
            public=False,
        ),
    ),
    "lafayette": (A(ActivityKind.RALLY, "Rally at Parc Sans Souci", 20, 100),),
    "new-orleans": (
        A(ActivityKind.MEAL, "Gumbo dinner with day laborers", (0, "19:00"), 90, public=False),
        A(ActivityKind.TOWN_HALL, "Town hall: the workers who rebuilt the city", (1, "17:00"), 120),
    ),
    "selma": (A(ActivityKind.VIGIL, "Vigil at the Edmund Pettus Bridge", 15, 60),),
    "montgomery": (
        A(
            ActivityKind.OTHER,
            "Sunday service with the host congregation",
            (1, "09:30"),
            120,
            public=False,
        ),
    ),
    "birmingham": (
        A(ActivityKind.RALLY, "March through Kelly Ingram Park", (1, "10:00"), 120),
        A(ActivityKind.MEAL, "Dinner with youth leaders", (1, "18:00"), 90, public=False),
    ),
    "atlanta": (
        # Deliberate: these two overlap by half an hour.
        A(ActivityKind.PRESS, "Press conference at the Georgia Capitol", (1, "10:00"), 90),
        A(ActivityKind.MEETING, "Meeting with faith leaders", (1, "11:00"), 90, public=False),
        A(ActivityKind.RALLY, "Evening rally", (1, "18:00"), 120),
    ),
    "chattanooga": (A(ActivityKind.RALLY, "Rally at Miller Park", 20, 75),),
    "nashville": (
        A(ActivityKind.MEAL, "Community lunch", (1, "12:00"), 90, public=False),
        A(
            ActivityKind.TOWN_HALL,
            "Town hall with TPS holders from Nepal, Honduras and Haiti",
            (1, "18:00"),
            120,
        ),
    ),
    "knoxville": (A(ActivityKind.VIGIL, "Candlelight vigil", (0, "19:00"), 60),),
    "charlotte": (
        A(ActivityKind.RALLY, "Rally at Marshall Park", (1, "11:00"), 120),
        A(ActivityKind.MEAL, "Haitian community dinner", (1, "18:30"), 90, public=False),
    ),
    "durham": (A(ActivityKind.TOWN_HALL, "Town hall at the workers' center", (0, "18:00"), 120),),
    "richmond": (
        A(ActivityKind.PRESS, "Press conference at the Virginia Capitol", (0, "15:00"), 60),
        A(ActivityKind.MEAL, "Dinner with the host congregation", (0, "18:30"), 90, public=False),
    ),
    "washington": (
        A(ActivityKind.RALLY, "Welcome rally: the caravans meet", (0, "17:00"), 90),
        A(
            ActivityKind.MEETING,
            "Meeting with the office of Sen. Harlan Whitcombe",
            (1, "09:00"),
            60,
            public=False,
        ),
        A(
            ActivityKind.MEETING,
            "Meeting with the office of Sen. Teresa Aldana-Brooks",
            (1, "11:00"),
            60,
            public=False,
        ),
        A(
            ActivityKind.MEETING,
            "House lobby visits (12 offices, in small groups)",
            (1, "14:00"),
            180,
            public=False,
        ),
        A(ActivityKind.PRESS, "Press conference on the Capitol lawn", (2, "10:00"), 60),
        A(ActivityKind.VIGIL, "Interfaith vigil for permanent protection", (2, "19:00"), 60),
        A(
            ActivityKind.MEETING,
            "Meeting with the staff of Rep. Marcus Eberly",
            (3, "10:00"),
            60,
            public=False,
        ),
        A(ActivityKind.MEAL, "Closing dinner", (3, "18:00"), 120, public=False),
    ),
    "homestead": (
        A(ActivityKind.MEAL, "Send-off dinner at the farmworker hall", (0, "18:00"), 90, False),
    ),
    "miami": (A(ActivityKind.RALLY, "Rally in Little Haiti", 20, 100),),
    "orlando": (A(ActivityKind.TOWN_HALL, "Evening town hall", (0, "19:00"), 90),),
    "savannah": (A(ActivityKind.VIGIL, "Vigil by the river", (0, "18:30"), 60),),
    "fayetteville": (
        A(ActivityKind.TOWN_HALL, "Town hall with farmworker families", (1, "18:00"), 90),
    ),
}


@dataclass(frozen=True)
class HostSpec:
    organization: str
    contact: str
    lodging: str = ""  # the lodging's name; empty: the host offers no beds
    lodging_kind: str = LodgingKind.CHURCH
    beds: int = 0
    address: str = ""
    nights: int | None = None  # only the first N nights of the stay; None: all of them
    status: str = HostStatus.APPROVED
    meals: bool = False
    venue: bool = False
    transport: bool = False
    accessibility: str = ""
    notes: str = ""


H = HostSpec
STEP_FREE = "Step-free entrance and accessible restroom; cots on the ground floor."
HOSTS = {
    "los-angeles": (
        H(
            "Coalición Angelina por la Dignidad",
            "Verónica Salgado",
            meals=True,
            venue=True,
            transport=True,
        ),
        H(
            "Iglesia Luterana Santa Cruz",
            "Pastor Manuel Arriaga",
            "Santa Cruz parish hall",
            beds=40,
            address="1418 Alvarado Terrace",
            accessibility=STEP_FREE,
        ),
    ),
    "phoenix": (
        H(
            "Desert Sanctuary Interfaith Network",
            "Rev. Ellen Marsh",
            "Sanctuary fellowship hall",
            beds=35,
            address="2210 N. 16th Street",
            meals=True,
            accessibility=STEP_FREE,
        ),
        H("Valley Hospitality Workers Union", "Ramón Ibarra", venue=True, meals=True),
    ),
    "tucson": (
        H(
            "Comunidad Sin Fronteras",
            "Alma Rosales",
            "Sin Fronteras community hall",
            LodgingKind.HALL,
            30,
            "845 S. 6th Avenue",
            meals=True,
            accessibility=STEP_FREE,
        ),
    ),
    "el-paso": (
        H(
            "Frontera Solidarity Center",
            "Hermana Cecilia Durán",
            "Solidarity Center dormitory",
            LodgingKind.HALL,
            36,
            "311 E. Father Rahm Avenue",
            meals=True,
            transport=True,
            accessibility=STEP_FREE,
        ),
    ),
    "san-antonio": (
        H(
            "Westside Faith and Justice Alliance",
            "Rev. Tomás Garza",
            "Guadalupe Street church hall",
            beds=36,
            address="1901 Guadalupe Street",
            meals=True,
            venue=True,
            accessibility=STEP_FREE,
        ),
    ),
    "houston": (
        H(
            "Iglesia Bautista Emanuel",
            "Pastora Ruth Benavides",
            "Emanuel church hall",
            beds=26,
            address="6220 Bissonnet Street",
            meals=True,
            accessibility=STEP_FREE,
        ),
        H(
            "Houston Neighbors Welcome Network",
            "Kimberly Tran",
            "Host families in Gulfton",
            LodgingKind.HOMESTAY,
            12,
            "Addresses sent to each guest",
            nights=1,
            transport=True,
            notes="Only the first night: the families work night shifts later in the week.",
        ),
    ),
    "lafayette": (
        H("Acadiana Immigrant Justice Committee", "Josué Thibodeaux", venue=True, meals=True),
    ),
    "new-orleans": (
        H(
            "Crescent City Workers' Alliance",
            "Marlon Guity",
            "Workers' Alliance hall",
            LodgingKind.HALL,
            36,
            "2127 Tulane Avenue",
            meals=True,
            accessibility=STEP_FREE,
        ),
    ),
    "selma": (H("Black Belt Freedom Coalition", "Deacon Earl Hollis", meals=True, venue=True),),
    "montgomery": (
        H(
            "Alabama Hospitality Workers Local 14",
            "Sharon Pettway",
            status=HostStatus.DECLINED,
            notes="Their hall is under renovation in March.",
        ),
        H(
            "Capital City Interfaith Council",
            "Rev. Joseph Whitfield",
            "Interfaith Council fellowship hall",
            beds=36,
            address="430 S. Jackson Street",
            meals=True,
            accessibility=STEP_FREE,
        ),
    ),
    "birmingham": (
        H(
            "Southside Unitarian Fellowship",
            "Margaret Oyelaran",
            "Southside fellowship hall",
            beds=36,
            address="1312 S. 20th Street",
            nights=1,
            accessibility=STEP_FREE,
            notes="The first night only: the hall hosts a conference on Monday.",
        ),
        H(
            "Magic City Welcome Coalition",
            "Andre Culpepper",
            beds=30,
            status=HostStatus.PENDING,
            notes="Asked to host the second night; no answer yet.",
        ),
    ),
    "atlanta": (
        H(
            "Georgia Latino Families Coalition",
            "Patricia Villalobos",
            "Coalition community center",
            LodgingKind.HALL,
            40,
            "3050 Buford Highway",
            meals=True,
            venue=True,
            accessibility=STEP_FREE,
        ),
    ),
    "chattanooga": (H("Scenic City Neighbors", "Liz Okonkwo", meals=True),),
    "nashville": (
        H(
            "Music City Immigrant Rights Table",
            "Bishnu Adhikari",
            "Nolensville Road church hall",
            beds=40,
            address="4600 Nolensville Pike",
            meals=True,
            accessibility=STEP_FREE,
        ),
    ),
    "knoxville": (
        H(
            "East Tennessee Sanctuary Circle",
            "Rev. Hannah Whitlock",
            "Sanctuary Circle church hall",
            beds=40,
            address="510 W. Fifth Avenue",
            meals=True,
            accessibility=STEP_FREE,
        ),
    ),
    "charlotte": (
        H(
            "Queen City Interfaith Hospitality",
            "Jean-Claude Métellus",
            "Interfaith Hospitality shelter",
            LodgingKind.HALL,
            42,
            "901 N. Tryon Street",
            accessibility=STEP_FREE,
        ),
        H(
            "Carolina Kitchen Collective",
            "Wanda Sifuentes",
            meals=True,
            status=HostStatus.PENDING,
            notes="Offered dinner on the second night; waiting for their volunteers' answer.",
        ),
    ),
    "durham": (
        H(
            "Bull City Workers' Center",
            "Luis Carbajal",
            "Workers' Center gym",
            LodgingKind.SCHOOL,
            42,
            "1200 N. Roxboro Street",
            meals=True,
            venue=True,
            accessibility=STEP_FREE,
        ),
    ),
    "richmond": (
        H(
            "River City Faith Coalition",
            "Rev. Gloria Banks",
            "River City church hall",
            beds=42,
            address="2400 E. Broad Street",
            meals=True,
            accessibility=STEP_FREE,
        ),
    ),
    "washington": (
        H(
            "Capitol Hill Interfaith Sanctuary",
            "Rev. Naomi Whitaker",
            "Capitol Hill sanctuary hall",
            beds=40,
            address="535 8th Street SE",
            meals=True,
            venue=True,
            accessibility=STEP_FREE,
        ),
        H(
            "DC Building Trades Hall",
            "Patrick Moynahan",
            "Building Trades union hall",
            LodgingKind.HALL,
            20,
            "1750 New York Avenue NE",
            meals=True,
            transport=True,
            notes="Second floor, no elevator.",
        ),
    ),
    "homestead": (
        H(
            "Redland Farmworker Families Association",
            "Eulalia Cruz",
            "Farmworker association hall",
            LodgingKind.HALL,
            20,
            "19 SW 6th Street",
            meals=True,
        ),
    ),
    "miami": (H("Little Haiti Community Assembly", "Rosemond Jean-Pierre", venue=True),),
    "orlando": (
        H(
            "Central Florida Haitian Solidarity Network",
            "Marie-Ange Toussaint",
            "Église Baptiste Béthel hall",
            beds=20,
            address="2801 W. Colonial Drive",
            meals=True,
        ),
    ),
    "savannah": (
        H(
            "Coastal Georgia Welcome Table",
            "Deborah Gillard",
            "Welcome Table fellowship hall",
            beds=20,
            address="120 E. Anderson Street",
            meals=True,
        ),
    ),
    "fayetteville": (
        H(
            "Sandhills Interfaith Hospitality",
            "Rev. Curtis McNeill",
            "Sandhills church hall",
            beds=16,
            address="330 Hay Street",
            meals=True,
        ),
    ),
}


@dataclass(frozen=True)
class PersonSpec:
    key: str
    display_name: str
    full_name: str
    language: str = "es"
    role: str = Role.RIDER
    route: str | None = MAIN
    join: str | None = None  # None: from the route's first stop
    leave: str | None = None  # None: to the route's last stop
    area: str = "213"  # the phone's area code
    dietary: str = ""
    accessibility: str = ""
    medical: str = ""
    email: bool = False


P = PersonSpec
VEG, HALAL, DIABETIC = "Vegetarian", "Halal", "Diabetic: regular meals, no sugary drinks"
NO_STAIRS = "No stairs"
PEOPLE = (
    # The core group: the whole way on the bus.
    P("begona", "Begoña", "Begoña Ramírez Castillo", dietary=VEG),
    P("jose", "José", "José Luis Hernández Mejía"),
    P(
        "rosalba",
        "Rosalba",
        "Rosalba Menjívar de Paz",
        area="323",
        dietary=DIABETIC,
        medical="Type 2 diabetes; carries insulin in a cooler bag.",
    ),
    P("jean-rony", "Jean-Rony", "Jean-Rony Baptiste", "ht", area="818"),
    P("nadege", "Nadège", "Nadège Joseph", "ht", area="818"),
    P("oscar", "Óscar", "Óscar Alvarado Rivas"),
    P(
        "xiomara",
        "Xiomara",
        "Xiomara Quintanilla Ortez",
        area="323",
        accessibility="Wheelchair user (manual chair that folds)",
    ),
    P("wilfredo", "Wilfredo", "Wilfredo Portillo Amaya", area="562"),
    P("saul", "Saúl", "Saúl Benítez Orellana"),
    P("maritza", "Maritza", "Maritza Chávez López", area="626"),
    P("abdirahman", "Abdirahman", "Abdirahman Yusuf Warsame", "en", area="619", dietary=HALAL),
    P("yesenia", "Yesenia", "Yesenia Orellana Guevara"),
    P("henry", "Henry", "Henry Guardado", "en", area="818"),
    P(
        "nohemi",
        "Nohemí",
        "Nohemí Ayala Serrano",
        area="323",
        accessibility=NO_STAIRS + " (knee surgery last year)",
    ),
    P("fatima", "Fátima", "Fátima Zelaya Ramos", area="626"),
    P("edwin", "Edwin", "Edwin Aguilar Pineda", area="562"),
    P("amal", "Amal", "Amal Hassan Ali", "en", area="619", dietary=HALAL),
    P("lupita", "Lupita", "Guadalupe Rivas Flores"),
    # Staff on the bus.
    P("marisol", "Marisol", "Marisol Ventura Campos", role=Role.COORDINATOR, email=True),
    P("daniel", "Daniel", "Daniel Cienfuegos", "en", role=Role.COORDINATOR, email=True),
    P("lucia", "Lucía", "Lucía Paredes Soto", role=Role.MEDIC, area="323", email=True),
    P("rafael", "Rafael", "Rafael Domínguez Cruz", role=Role.DRIVER, area="909"),
    P("tomas", "Tomás", "Tomás Reyes Aguirre", role=Role.DRIVER, area="909"),
    P("gregory", "Gregory", "Gregory Walsh", "en", role=Role.DRIVER, area="951"),
    P("gabriel", "Gabriel", "Gabriel Ortiz Navarro", role=Role.PRESS, leave="el-paso", email=True),
    P(
        "hannah",
        "Hannah",
        "Hannah Lindqvist",
        "en",
        role=Role.PRESS,
        join="atlanta",
        area="404",
        email=True,
    ),
    # People who ride part of the way.
    P("carmen", "Carmen", "Carmen Solís Mendoza", leave="phoenix"),
    P("ivan", "Iván", "Iván Solís Mendoza", leave="phoenix"),
    P("andrea", "Andrea", "Andrea Solís", "en", leave="phoenix"),
    P("transito", "Tránsito", "Tránsito Lara Funes", leave="new-orleans"),
    P("rigoberto", "Rigoberto", "Rigoberto Canales", join="phoenix", leave="el-paso", area="602"),
    P(
        "sonia",
        "Sonia",
        "Sonia Canales Mejía",
        join="phoenix",
        leave="el-paso",
        area="602",
        dietary=VEG,
    ),
    P("araceli", "Araceli", "Araceli Duarte", join="el-paso", area="915", dietary=DIABETIC),
    P(
        "dolores",
        "Dolores",
        "Dolores Cárcamo",
        join="san-antonio",
        leave="houston",
        area="210",
        accessibility=NO_STAIRS,
    ),
    P("hector", "Héctor", "Héctor Molina Pérez", join="houston", area="713"),
    P("yaneth", "Yaneth", "Yaneth Molina", join="houston", area="713"),
    P("brayan", "Brayan", "Brayan Molina", "en", join="houston", area="713"),
    P("ricardo", "Ricardo", "Ricardo Funes Alas", join="new-orleans", leave="atlanta", area="504"),
    P("ingrid", "Ingrid", "Ingrid Lemus", join="new-orleans", leave="atlanta", area="504"),
    P("kenia", "Kenia", "Kenia Argueta", join="atlanta", area="404"),
    P("alba", "Alba", "Alba Cortez Villeda", join="atlanta", area="404"),
    P("sabitri", "Sabitri", "Sabitri Gurung", "en", join="nashville", area="615", dietary=VEG),
    P("roselene", "Roselène", "Roselène Charles", "ht", join="charlotte", area="704"),
    P("ketly", "Ketly", "Ketly Noël", "ht", join="charlotte", area="704"),
    P("mauricio", "Mauricio", "Mauricio Tobar", join="richmond", area="804"),
    # The Florida caravan.
    P(
        "mirlene",
        "Mirlène",
        "Mirlène Dorsainvil",
        "ht",
        role=Role.COORDINATOR,
        route=FLORIDA,
        area="305",
        email=True,
    ),
    P("frantz", "Frantz", "Frantz Étienne", "ht", role=Role.DRIVER, route=FLORIDA, area="305"),
    P("osmin", "Osmín", "Osmín Flores Bonilla", role=Role.DRIVER, route=FLORIDA, area="786"),
    P("guerline", "Guerline", "Guerline Augustin", "ht", route=FLORIDA, area="305"),
    P("widlyne", "Widlyne", "Widlyne Pierre", "ht", route=FLORIDA, area="305"),
    P("frederic", "Frédéric", "Frédéric Pierre", "ht", route=FLORIDA, area="305"),
    P("marleny", "Marleny", "Marleny Umaña", route=FLORIDA, area="786"),
    P("jacinto", "Jacinto", "Jacinto Umaña", route=FLORIDA, area="786", dietary=DIABETIC),
    P("yanet", "Yanet", "Yanet Moreira", route=FLORIDA, area="786"),
    P("dieune", "Dieunè", "Dieunè Lafontant", "ht", route=FLORIDA, join="miami", area="305"),
    P("nerlande", "Nerlande", "Nerlande Jean-Louis", "ht", route=FLORIDA, join="miami", area="305"),
    P("ricot", "Ricot", "Ricot Saint-Louis", "ht", route=FLORIDA, join="miami", area="305"),
    # Deliberate: three supporters ride along to Savannah and overfill the van.
    P("nilsa", "Nilsa", "Nilsa Rosario", route=FLORIDA, join="orlando", leave="savannah"),
    P("pedro", "Pedro", "Pedro Rosario", route=FLORIDA, join="orlando", leave="savannah"),
    P(
        "ambar",
        "Ámbar",
        "Ámbar Rosario",
        "en",
        route=FLORIDA,
        join="orlando",
        leave="savannah",
        area="407",
    ),
    # In Washington, setting up the meetings; does not ride.
    P(
        "yolanda",
        "Yolanda",
        "Yolanda Batres",
        role=Role.COORDINATOR,
        route=None,
        area="202",
        email=True,
    ),
)

# First names for emergency contacts, taken in turn (with the person's last name).
RELATIVES = ("Ana", "Mario", "Elsa", "Jorge", "Marie", "Samuel", "Rosa", "Luis", "Claudette")


# The phone area code of each host's city.
AREA_CODES = {
    "los-angeles": "213",
    "phoenix": "602",
    "tucson": "520",
    "el-paso": "915",
    "san-antonio": "210",
    "houston": "713",
    "lafayette": "337",
    "new-orleans": "504",
    "selma": "334",
    "montgomery": "334",
    "birmingham": "205",
    "atlanta": "404",
    "chattanooga": "423",
    "nashville": "615",
    "knoxville": "865",
    "charlotte": "704",
    "durham": "919",
    "richmond": "804",
    "washington": "202",
    "homestead": "305",
    "miami": "305",
    "orlando": "407",
    "savannah": "912",
    "fayetteville": "910",
}


# --- Building -----------------------------------------------------------------------------


def build_demo(*, coordinator=None) -> Journey:
    """Build the demo journey, replacing an earlier one with the same slug.

    The coordinators of the replaced journey stay coordinators of the new one, and
    ``coordinator`` (a user) joins them.
    """
    # The demo is built in bulk; its history starts with the coordinators' first edits.
    with transaction.atomic(), history.paused():
        journey = _build_plan(coordinator)
        _prepare_border_legs(journey)
    return journey


def _build_plan(coordinator) -> Journey:
    with deferred_leg_refresh():
        previous = Journey.objects.filter(slug=DEMO_SLUG).first()
        kept_coordinators = list(previous.coordinators.all()) if previous else []
        if previous:
            previous.delete()
        journey = create_journey(
            name="TPS Journey for Justice",
            slug=DEMO_SLUG,
            route_name=ROUTES[0].name,
            description=DESCRIPTION,
            start_date=date(2027, 3, 1),
            end_date=date(2027, 3, 29),
            home_timezone="America/New_York",
            is_published=True,
            average_speed_kmh=BUS_SPEED_KMH,
        )
        if coordinator is not None:
            kept_coordinators.append(coordinator)
        journey.coordinators.add(*kept_coordinators)
        routes, stops, route_stops = _build_routes(journey)
        lodgings_by_stop = _build_hosts(journey, stops)
        _build_activities(stops)
        vehicles = {
            key: Vehicle(journey=journey, route=routes[key], **fields)
            for key, fields in VEHICLES.items()
        }
        Vehicle.objects.bulk_create(vehicles.values())
        people = _build_people(journey, routes, stops)
        _build_seats(people, vehicles, route_stops, stops)
        _build_beds(people, route_stops, stops, lodgings_by_stop)
    return journey


def _prepare_border_legs(journey) -> None:
    """The legal team is on call and riders briefed for every border-zone leg but one."""
    flagged = Leg.objects.filter(route__journey=journey).filter(
        Q(in_border_zone=True) | ~Q(checkpoints=[])
    )
    flagged.exclude(origin__city=UNPREPARED_BORDER_LEG_FROM).update(
        legal_contact_on_call=LEGAL_TEAM, riders_briefed=True
    )


def _build_routes(journey):
    """Create the routes and their stops, each arrival computed from the leg before it."""
    routes: dict[str, Route] = {}
    stops: dict[str, Stop] = {}
    route_stops: dict[str, list[Stop]] = {}
    places = {}
    for spec in ROUTES:
        if spec.key == MAIN:
            route = journey.routes.get()
            route.color = spec.color
            route.save(update_fields=["color"])
        else:
            route = Route.objects.create(journey=journey, name=spec.name, color=spec.color)
        routes[spec.key] = route
        route_stops[spec.key] = []
        previous = None
        for stop_spec in spec.stops:
            if previous is None:
                y, m, d, hh, mm = spec.first_arrival
                arrival = datetime(y, m, d, hh, mm, tzinfo=_zone_of(stop_spec, places))
            else:
                arrival = _arrival_after(previous, stop_spec, journey, places)
            stop = stops.get(stop_spec.key)
            if stop is None:
                stop = _create_stop(journey, stop_spec, arrival, places)
                stops[stop_spec.key] = stop
            elif stop.arrival < arrival:
                raise ValueError(f"The {spec.name} route reaches {stop.city} too late: {arrival}.")
            append_stop(route=route, stop=stop)
            route_stops[spec.key].append(stop)
            previous = stop
    return routes, stops, route_stops


def _place(spec: StopSpec, places: dict) -> tuple[Decimal, Decimal, str]:
    """(latitude, longitude, time zone) of a stop's city, geocoded once per city."""
    if spec.key not in places:
        place = geocode_city(spec.city, spec.state)
        if place is None:
            raise ValueError(f"The gazetteer does not know {spec.city}, {spec.state}.")
        latitude = Decimal(f"{place.latitude:.6f}")
        longitude = Decimal(f"{place.longitude:.6f}")
        places[spec.key] = (latitude, longitude, timezone_at(latitude, longitude))
    return places[spec.key]


def _zone_of(spec: StopSpec, places: dict) -> ZoneInfo:
    return ZoneInfo(_place(spec, places)[2])


def _arrival_after(previous: Stop, spec: StopSpec, journey: Journey, places: dict) -> datetime:
    """The previous stop's departure plus the leg's estimate and a margin, to the quarter hour."""
    latitude, longitude, _zone = _place(spec, places)
    estimate = estimate_leg(
        previous.coordinates,
        (float(latitude), float(longitude)),
        road_factor=float(journey.road_factor),
        speed_kmh=float(journey.average_speed_kmh),
        break_every_minutes=journey.break_every_minutes,
        break_minutes=journey.break_minutes,
    )
    earliest = previous.departure.astimezone(UTC) + timedelta(
        minutes=estimate.total_minutes + ARRIVAL_MARGIN_MINUTES
    )
    # Every zone on the way is a whole number of hours from UTC: rounding in UTC is local too.
    step = ROUND_TO_MINUTES * 60
    seconds = -(-int(earliest.timestamp()) // step) * step
    return datetime.fromtimestamp(seconds, UTC) + timedelta(minutes=spec.arrival_error)


def _create_stop(journey: Journey, spec: StopSpec, arrival: datetime, places: dict) -> Stop:
    latitude, longitude, zone = _place(spec, places)
    tz = ZoneInfo(zone)
    if spec.kind == StopKind.OVERNIGHT:
        last_morning = arrival.astimezone(tz).date() + timedelta(days=spec.nights)
        departure = datetime.combine(last_morning, time.fromisoformat(spec.leave_at), tz)
    else:
        departure = arrival + timedelta(minutes=spec.stay)
    stop = Stop(
        journey=journey,
        city=spec.city,
        state=spec.state,
        venue=spec.venue,
        address=spec.address,
        latitude=latitude,
        longitude=longitude,
        arrival=arrival,
        departure=departure,
        kind=spec.kind,
        status=spec.status,
        is_public=spec.is_public,
        public_notes=spec.public_notes,
        private_notes=spec.private_notes,
    )
    stop.save()  # derives the time zone from the coordinates
    return stop


def _build_activities(stops: dict[str, Stop]) -> None:
    activities = []
    for key, specs in ACTIVITIES.items():
        stop = stops[key]
        for spec in specs:
            if isinstance(spec.at, int):
                starts = stop.arrival + timedelta(minutes=spec.at)
            else:
                days, clock = spec.at
                day = stop.local_arrival.date() + timedelta(days=days)
                starts = datetime.combine(day, time.fromisoformat(clock), stop.tzinfo)
            activities.append(
                Activity(
                    stop=stop,
                    kind=spec.kind,
                    title=spec.title,
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=spec.minutes),
                    venue=spec.venue or stop.venue,
                    is_public=spec.public,
                    description=spec.description,
                )
            )
    Activity.objects.bulk_create(activities)


def _phone(area: str, number: int) -> str:
    """A fictional phone number: 555-0100 to 555-0199 are reserved for fiction."""
    return f"({area}) 555-01{number % 100:02d}"


def _build_hosts(journey: Journey, stops: dict[str, Stop]) -> dict[str, list[Lodging]]:
    """Hosts and the lodging they offer; returns each stop's lodgings, in bed-filling order."""
    hosts, lodgings = [], []
    number = 0
    for key, specs in HOSTS.items():
        stop = stops[key]
        for spec in specs:
            number += 1
            nights = stop.nights[: spec.nights] if spec.nights else stop.nights
            host = HostAlly(
                journey=journey,
                stop=stop,
                organization=spec.organization,
                contact_name=spec.contact,
                email=f"{slugify(spec.organization)[:40]}@example.org",
                phone=_phone(AREA_CODES[key], number),
                city=stop.city,
                state=stop.state,
                available_from=nights[0] if nights else None,
                available_until=nights[-1] + timedelta(days=1) if nights else None,
                offers_beds=spec.beds,
                offers_meals=spec.meals,
                offers_venue=spec.venue,
                offers_transport=spec.transport,
                accessibility=spec.accessibility,
                notes=spec.notes,
                status=spec.status,
                decided_at=None if spec.status == HostStatus.PENDING else DECIDED_AT,
            )
            hosts.append(host)
            if spec.lodging and spec.status == HostStatus.APPROVED:
                check_out = stop.departure
                if spec.nights:
                    morning = nights[-1] + timedelta(days=1)
                    check_out = datetime.combine(morning, time(9), stop.tzinfo)
                lodgings.append(
                    Lodging(
                        stop=stop,
                        host=host,
                        name=spec.lodging,
                        kind=spec.lodging_kind,
                        address=spec.address,
                        capacity=spec.beds,
                        check_in=stop.arrival,
                        check_out=check_out,
                        accessibility_notes=spec.accessibility,
                    )
                )
    HostAlly.objects.bulk_create(hosts)
    Lodging.objects.bulk_create(lodgings)
    by_stop = defaultdict(list)
    for lodging in lodgings:
        by_stop[lodging.stop_id].append(lodging)
    return by_stop


def _build_people(journey, routes, stops) -> list[tuple[PersonSpec, Participant]]:
    people = []
    for number, spec in enumerate(PEOPLE):
        last_name = spec.full_name.split()[-1]
        people.append(
            (
                spec,
                Participant(
                    journey=journey,
                    display_name=spec.display_name,
                    full_name=spec.full_name,
                    role=spec.role,
                    language=spec.language,
                    phone=_phone(spec.area, number),
                    email=f"{slugify(spec.key)}@example.org" if spec.email else "",
                    emergency_contact_name=f"{RELATIVES[number % len(RELATIVES)]} {last_name}",
                    emergency_contact_phone=_phone(spec.area, number + 50),
                    dietary_needs=spec.dietary,
                    accessibility_needs=spec.accessibility,
                    medical_notes=spec.medical,
                    route=routes[spec.route] if spec.route else None,
                    join_stop=stops[spec.join] if spec.join else None,
                    leave_stop=stops[spec.leave] if spec.leave else None,
                ),
            )
        )
    Participant.objects.bulk_create([participant for _spec, participant in people])
    return people


def _segment(spec: PersonSpec, route_stops, stops) -> list[Stop]:
    """The stops a person is at, in route order: from joining to leaving, both included."""
    if spec.route is None:
        return []
    ordered = route_stops[spec.route]
    first = ordered.index(stops[spec.join]) if spec.join else 0
    last = ordered.index(stops[spec.leave]) if spec.leave else len(ordered) - 1
    return ordered[first : last + 1]


def _build_seats(people, vehicles, route_stops, stops) -> None:
    """A seat on the route's vehicle for every ride; drivers drive their shifts, ride the rest."""
    driver_of_leg = {}  # (route key, leg index) -> driver key
    for route_key, shifts in DRIVING.items():
        ordered = route_stops[route_key]
        for start, end, driver in shifts:
            for index in range(ordered.index(stops[start]), ordered.index(stops[end])):
                driver_of_leg[(route_key, index)] = driver
    seats = []
    for spec, participant in people:
        segment = _segment(spec, route_stops, stops)
        if len(segment) < 2:
            continue
        ordered = route_stops[spec.route]
        first = ordered.index(segment[0])
        runs: list[list] = []  # [drives, first stop index, last stop index]
        for index in range(first, first + len(segment) - 1):
            drives = driver_of_leg.get((spec.route, index)) == spec.key
            if runs and runs[-1][0] == drives:
                runs[-1][2] = index + 1
            else:
                runs.append([drives, index, index + 1])
        seats.extend(
            SeatAssignment(
                participant=participant,
                vehicle=vehicles[spec.route],
                from_stop=ordered[start],
                to_stop=ordered[end],
                is_driver=drives,
            )
            for drives, start, end in runs
        )
    SeatAssignment.objects.bulk_create(seats)


def _build_beds(people, route_stops, stops, lodgings_by_stop) -> None:
    """A bed for everyone on every night, as long as the stop's lodgings have one.

    People with accessibility needs are placed first, in the lodgings listed first
    (the step-free ones); whoever is left when the beds run out gets none.
    """
    sleepers = defaultdict(list)  # (stop id, night) -> [(spec, participant)]
    for spec, participant in people:
        for stop in _segment(spec, route_stops, stops):
            for night in stop.nights:
                sleepers[(stop.pk, night)].append((spec, participant))
    beds = []
    for (stop_id, night), group in sleepers.items():
        free = [
            [lodging, lodging.capacity]
            for lodging in lodgings_by_stop.get(stop_id, [])
            if night in lodging.nights
        ]
        for _spec, participant in sorted(group, key=lambda item: not item[0].accessibility):
            room = next((slot for slot in free if slot[1] > 0), None)
            if room is None:
                break
            room[1] -= 1
            beds.append(BedAssignment(participant=participant, lodging=room[0], night=night))
    BedAssignment.objects.bulk_create(beds)


# --- The demo coordinator ------------------------------------------------------------------


def ensure_demo_coordinator(*, username: str, password: str):
    """Create or update a staff user (never a superuser) who may manage the demo in the admin.

    The user gets every model permission of the journey, stops and participants apps.
    """
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(username=username)
    elif user.is_superuser:
        raise ValueError(
            _("%(username)s is a superuser; choose another name for the demo coordinator.")
            % {"username": username}
        )
    user.is_staff = True
    user.is_active = True
    user.set_password(password)
    user.save()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=DEMO_APPS))
    return user
