"""The demo journey's data: route, stops, vehicles, activities, hosts and people.

Literals only; ``demo.build`` turns them into rows. See ``demo.build`` for the story and the
deliberate problems the schedule checks find. Everything is fictional.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from participants.models import (
    Role,
    VehicleKind,
)
from stops.models import (
    ActivityKind,
    HostStatus,
    LodgingKind,
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
