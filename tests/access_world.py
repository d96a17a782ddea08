"""The world of the access matrix (``tests/test_access_everywhere.py``): two journeys, one
login for every role, and a unique marker string in every private field.

Journey A ("caravan-a", published): Los Angeles → Phoenix → Tucson (not public) → El Paso,
one bus. Xiomara rides it with a login, Pablo with his secret link only, and Quique's link
was revoked. Casa Amiga (approved, email = the "host" login's) hosts Phoenix and offers its
lodging; Refugio Norte (approved, the "host_other" login) hosts El Paso; Iglesia applied and
waits. Journey B ("caravan-b", not published) has its own coordinator, rider (Wanda, with a
login), lodging and host.

``url_for`` gives the address each row of the matrix asks, for each role.

Markers are lowercase letters (``zq...``) or E.164 phone numbers (``+1555014....``), none a
part of another, so a response leaks a value exactly when its text holds the marker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token

from journey.tokens import revoke_participant_token, rotate_host_token, rotate_team_token
from participants.models import Participant, RideApplication
from stops.models import LocalContact, Meal, Rsvp
from tests.api.conftest import CT, MT, MTN, PT, add_stops
from tests.factories import (
    ActivityFactory,
    BedAssignmentFactory,
    HostAllyFactory,
    JourneyFactory,
    LodgingFactory,
    ParticipantFactory,
    RouteFactory,
    SeatAssignmentFactory,
    UserFactory,
    VehicleFactory,
    local,
)

# The signed-in (or not) roles, in the order the table's status strings list them.
ROLES = (
    "coordinator",
    "coordinator_b",
    "rider",
    "rider_b",
    "host",
    "host_other",
    "outsider",
    "anonymous",
    "superuser",
)
# Who holds a secret link, for the URLs that carry one (asked without a login).
LINK_ROLES = ("own_link", "other_link", "revoked_link")
# The host page's links: Casa Amiga's (Phoenix), Refugio Norte's (El Paso), Casa Amiga's old one.
HOST_LINK_ROLES = ("host_link", "other_host_link", "old_host_link")
# Who holds a link for the team feed's address: the team link, a rider's link, the team link
# from before it was rotated.
TEAM_LINK_ROLES = ("team_link", "personal_link", "old_team_link")

PERSON_FIELDS = (
    "full_name",
    "phone",
    "email",
    "emergency_contact_name",
    "emergency_contact_phone",
    "dietary_needs",
    "accessibility_needs",
    "medical_notes",
    "notes",
)
PHONE_FIELDS = ("phone", "emergency_contact_phone")


def _person_markers(who: str, number: int) -> dict[str, str]:
    """rider.phone -> "+15550142011", rider.full_name -> "zqriderfullname"..."""
    markers = {}
    for index, name in enumerate(PERSON_FIELDS):
        if name in PHONE_FIELDS:
            markers[f"{who}.{name}"] = f"+1555014{number}{index:02d}"
        elif name == "email":
            markers[f"{who}.email"] = f"zq{who}mail@example.org"
        else:
            markers[f"{who}.{name}"] = "zq" + who + name.replace("_", "")
    return markers


MARKERS: dict[str, str] = {
    **_person_markers("rider", 1),  # Xiomara, journey A, signed in
    **_person_markers("rider2", 2),  # Pablo, journey A, secret link only
    **_person_markers("riderb", 3),  # Wanda, journey B, signed in
    "lodging.address": "zqlodgingaddress",  # Phoenix, where Xiomara sleeps (Casa Amiga's)
    "lodging.notes": "zqlodgingnotes",
    "lodging2.address": "zqlodgingtwoaddress",  # El Paso, where Pablo sleeps
    "lodging2.notes": "zqlodgingtwonotes",
    "lodgingb.address": "zqlodgingbaddress",  # journey B
    "lodgingb.name": "zqlodgingbname",
    "journeyb.name": "zqjourneybname",  # not published
    "riderb.username": "zqriderblogin",  # Wanda's login
    "stop.address": "zqstopparking",  # Phoenix's parking address
    "stop.private_notes": "zqstopprivatenotes",
    "private_stop.venue": "zqprivatestopvenue",  # Tucson, not public
    "activity.private_title": "zqclosedmeeting",
    "activity.private_notes": "zqactivityprivatenotes",
    "host.contact_name": "zqhostcontact",
    "host.email": "zqhostmail@example.org",
    "host.phone": "+15550144001",
    "host.notes": "zqhostnotes",
    "host_other.contact_name": "zqhostothercontact",
    "host_other.email": "zqhostothermail@example.org",
    "host_other.phone": "+15550144002",
    "host_other.notes": "zqhostothernotes",
    "applicant.contact_name": "zqapplicantcontact",
    "applicant.email": "zqapplicantmail@example.org",
    "applicant.phone": "+15550144003",
    "ride.display_name": "zqridername",  # a request to ride journey A, not yet decided
    "ride.phone": "+15550144004",
    "ride.email": "zqridemail@example.org",
    "ride.needs": "zqrideneeds",
    "rsvp.name": "zqrsvpname",  # a visitor's RSVP to the public rally in Phoenix
    "rsvp.email": "zqrsvpmail@example.org",
    "rsvp.phone": "+15550144005",
    "meal.notes": "zqmealnotes",  # dinner at Phoenix, by Casa Amiga: the team's and the host's
    "vehicle.plate": "zqplate42",
    "contact.phone": "+15550145001",  # a local contact in Phoenix
    # The secret links' tokens (filled in when the world is built).
    "rider.token": "",
    "rider2.token": "",
    "riderb.token": "",
    "team.token": "",
    "host.token": "",
    "host_other.token": "",
}


@dataclass
class World:
    a: object
    b: object
    route: object
    stops: dict
    lodging: object
    host: object
    host_other: object
    applicant: object
    ride: object
    bus: object
    activity: object
    rally: object
    contact: object
    rider: object
    rider2: object
    revoked: object
    revoked_token: str
    old_team_token: str
    old_host_token: str
    meal: object
    users: dict
    group: object
    other: dict
    markers: dict = field(default_factory=dict)


def _person(journey, who: str, number: int, **fields) -> Participant:
    values = {
        name.split(".", 1)[1]: value
        for name, value in _person_markers(who, number).items()
        if name.startswith(f"{who}.")
    }
    return ParticipantFactory(journey=journey, **values, **fields)


def build_world() -> World:
    users = {
        "coordinator": UserFactory(username="coordinator", is_staff=True),
        "coordinator_b": UserFactory(username="coordinator-b", is_staff=True),
        "rider": UserFactory(username="xiomara"),
        "rider_b": UserFactory(username=MARKERS["riderb.username"]),
        "host": UserFactory(username="casa-amiga", email=MARKERS["host.email"]),
        "host_other": UserFactory(username="refugio", email=MARKERS["host_other.email"]),
        "outsider": UserFactory(username="outsider"),
        "superuser": UserFactory(username="root", is_staff=True, is_superuser=True),
    }
    a = JourneyFactory(name="Caravan A", slug="caravan-a", home_timezone=PT, is_published=True)
    a.coordinators.add(users["coordinator"])
    # Coordinators hold the admin's permissions on the journey apps (as the demo gives them).
    journey_apps = Permission.objects.filter(
        content_type__app_label__in=["journey", "stops", "participants"]
    )
    for role in ("coordinator", "coordinator_b"):
        users[role].user_permissions.set(journey_apps)
    route = RouteFactory(journey=a, name="Main")
    stops = add_stops(
        a,
        route,
        [
            ("la", "Los Angeles", local(PT, 2026, 3, 1, 8), local(PT, 2026, 3, 1, 9), {}),
            (
                "phoenix",
                "Phoenix",
                local(MT, 2026, 3, 1, 20, 30),
                local(MT, 2026, 3, 2, 9),
                {
                    "address": MARKERS["stop.address"],
                    "private_notes": MARKERS["stop.private_notes"],
                },
            ),
            (
                "tucson",
                "Tucson",
                local(MT, 2026, 3, 2, 11),
                local(MT, 2026, 3, 2, 12),
                {"kind": "rest", "is_public": False, "venue": MARKERS["private_stop.venue"]},
            ),
            ("el_paso", "El Paso", local(MTN, 2026, 3, 2, 18), local(MTN, 2026, 3, 3, 8), {}),
        ],
    )

    def host_ally(key, stop, organization):
        return HostAllyFactory(
            journey=a,
            stop=stop,
            organization=organization,
            contact_name=MARKERS[f"{key}.contact_name"],
            email=MARKERS[f"{key}.email"].upper(),  # matched without regard to case
            phone=MARKERS[f"{key}.phone"],
            notes=MARKERS[f"{key}.notes"],
            status="approved",
        )

    host = host_ally("host", stops["phoenix"], "Casa Amiga")
    host_other = host_ally("host_other", stops["el_paso"], "Refugio Norte")
    applicant = HostAllyFactory(
        journey=a,
        organization="Iglesia",
        contact_name=MARKERS["applicant.contact_name"],
        email=MARKERS["applicant.email"],
        phone=MARKERS["applicant.phone"],
    )
    ride = RideApplication.objects.create(
        journey=a,
        route=route,
        display_name=MARKERS["ride.display_name"],
        phone=MARKERS["ride.phone"],
        email=MARKERS["ride.email"],
        accessibility_needs=MARKERS["ride.needs"],
    )
    lodging = LodgingFactory(
        stop=stops["phoenix"],
        name="Sanctuary Hall",
        address=MARKERS["lodging.address"],
        notes=MARKERS["lodging.notes"],
        host=host,
    )
    lodging2 = LodgingFactory(
        stop=stops["el_paso"],
        name="Annunciation House",
        address=MARKERS["lodging2.address"],
        notes=MARKERS["lodging2.notes"],
        host=host_other,
    )
    bus = VehicleFactory(journey=a, route=route, name="Bus Aztlan", plate=MARKERS["vehicle.plate"])
    rider = _person(a, "rider", 1, user=users["rider"], display_name="Xiomara", route=route)
    rider2 = _person(a, "rider2", 2, display_name="Pablo", route=route)
    revoked = ParticipantFactory(journey=a, display_name="Quique", route=route)
    revoked_token = revoked.secret_token
    revoke_participant_token(participant=revoked)
    for person in (rider, rider2):
        SeatAssignmentFactory(
            participant=person, vehicle=bus, from_stop=stops["la"], to_stop=stops["el_paso"]
        )
    BedAssignmentFactory(participant=rider, lodging=lodging, night=stops["phoenix"].nights[0])
    BedAssignmentFactory(participant=rider2, lodging=lodging2, night=stops["el_paso"].nights[0])
    rally = ActivityFactory(stop=stops["phoenix"], title="Rally", is_public=True, capacity=50)
    Rsvp.objects.create(
        activity=rally,
        name=MARKERS["rsvp.name"],
        email=MARKERS["rsvp.email"],
        phone=MARKERS["rsvp.phone"],
        party_size=3,
    )
    activity = ActivityFactory(
        stop=stops["phoenix"],
        title=MARKERS["activity.private_title"],
        private_notes=MARKERS["activity.private_notes"],
        is_public=False,
    )
    contact = LocalContact.objects.create(
        stop=stops["phoenix"],
        kind="legal_aid",
        name="Legal aid line",
        phone=MARKERS["contact.phone"],
    )
    old_team_token = a.team_feed_token
    rotate_team_token(journey=a)
    rotate_host_token(host=host)
    old_host_token = host.secret_token
    rotate_host_token(host=host)
    rotate_host_token(host=host_other)
    meal = Meal.objects.create(
        stop=stops["phoenix"],
        kind="dinner",
        starts_at=stops["phoenix"].arrival + timedelta(hours=1),
        place="Parish hall",
        provided_by=host,
        notes=MARKERS["meal.notes"],
    )

    b = JourneyFactory(name=MARKERS["journeyb.name"], slug="caravan-b", home_timezone=CT)
    b.coordinators.add(users["coordinator_b"])
    b_route = RouteFactory(journey=b, name="Gulf")
    b_stops = add_stops(
        b,
        b_route,
        [
            ("houston", "Houston", local(CT, 2026, 4, 1, 18), local(CT, 2026, 4, 2, 8), {}),
            ("nola", "New Orleans", local(CT, 2026, 4, 2, 17), local(CT, 2026, 4, 3, 9), {}),
        ],
    )
    b_lodging = LodgingFactory(
        stop=b_stops["houston"],
        name=MARKERS["lodgingb.name"],
        address=MARKERS["lodgingb.address"],
    )
    b_bus = VehicleFactory(journey=b, route=b_route, name="Van Gulf")
    rider_b = _person(b, "riderb", 3, user=users["rider_b"], display_name="Wanda", route=b_route)
    SeatAssignmentFactory(
        participant=rider_b, vehicle=b_bus, from_stop=b_stops["houston"], to_stop=b_stops["nola"]
    )
    BedAssignmentFactory(participant=rider_b, lodging=b_lodging, night=b_stops["houston"].nights[0])
    HostAllyFactory(journey=b, stop=b_stops["houston"], status="approved")

    group = Group.objects.create(name="Dispatchers")
    Token.objects.create(user=users["rider"])
    markers = {
        **MARKERS,
        "rider.token": rider.secret_token,
        "rider2.token": rider2.secret_token,
        "riderb.token": rider_b.secret_token,
        "team.token": a.team_feed_token,
        "host.token": host.secret_token,
        "host_other.token": host_other.secret_token,
    }
    return World(
        a=a,
        b=b,
        route=route,
        stops=stops,
        lodging=lodging,
        host=host,
        host_other=host_other,
        applicant=applicant,
        ride=ride,
        bus=bus,
        activity=activity,
        rally=rally,
        contact=contact,
        rider=rider,
        rider2=rider2,
        revoked=revoked,
        revoked_token=revoked_token,
        old_team_token=old_team_token,
        old_host_token=old_host_token,
        meal=meal,
        users=users,
        group=group,
        other={"journey": b, "rider": rider_b, "lodging": b_lodging},
        markers=markers,
    )


# --- The URLs -------------------------------------------------------------------------------


def served_urls() -> set[str]:
    """Every URL the project serves: its name (``ns:name``), or its pattern when unnamed."""
    found = set()

    def walk(resolver, prefix: str, namespace: str):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                found.add(f"{namespace}{pattern.name}" if pattern.name else f"path:{route}")

    walk(get_resolver(), "", "")
    return found


ADMIN_OBJECT = {  # the row of journey A (or about it) each admin change page opens
    "auth_group": lambda w: w.group,
    "auth_user": lambda w: w.users["rider"],
    "authtoken_tokenproxy": lambda w: w.users["rider"],
    "journey_journey": lambda w: w.a,
    "journey_route": lambda w: w.route,
    "journey_leg": lambda w: w.route.legs.order_by("pk").first(),
    "stops_stop": lambda w: w.stops["phoenix"],
    "stops_activity": lambda w: w.activity,
    "stops_hostally": lambda w: w.host,
    "stops_lodging": lambda w: w.lodging,
    "stops_localcontact": lambda w: w.contact,
    "stops_meal": lambda w: w.meal,
    "participants_participant": lambda w: w.rider,
    "participants_vehicle": lambda w: w.bus,
    "participants_seatassignment": lambda w: w.rider.seats.first(),
    "participants_bedassignment": lambda w: w.rider.beds.first(),
}

API_OBJECT = {
    "route": lambda w: w.route,
    "stop": lambda w: w.stops["phoenix"],
    "activity": lambda w: w.activity,
    "leg": lambda w: w.route.legs.order_by("pk").first(),
    "lodging": lambda w: w.lodging,
    "vehicle": lambda w: w.bus,
    "participant": lambda w: w.rider,
    "seat": lambda w: w.rider.seats.first(),
    "bed": lambda w: w.rider.beds.first(),
    "host": lambda w: w.host,
}


# Addresses that carry a secret link (a rider's or a host's) and nothing else.
LINK_URL_NAMES = (
    "web:claim_itinerary",
    "web:rider_manifest",
    "web:rider_worker",
    "journey:route_gpx",
    "journey:route_kml",
    "web:host_page",
    "journey:host_link_day_sheet",
)


def url_for(world, key: str, role: str) -> str:
    """The address a row asks, for one role (link rows put the role's link in it)."""
    name, _, variant = key.partition("[")
    variant = variant.rstrip("]")
    slug = world.b.slug if variant == "b" else world.a.slug
    token = {
        "own_link": world.rider.secret_token,
        "other_link": world.rider2.secret_token,
        "revoked_link": world.revoked_token,
        "team_link": world.a.team_feed_token,
        "personal_link": world.rider.secret_token,
        "old_team_link": world.old_team_token,
        "host_link": world.host.secret_token,
        "other_host_link": world.host_other.secret_token,
        "old_host_link": world.old_host_token,
    }.get(role)
    if name.startswith("admin:"):
        return _admin_url(world, name)
    if name.startswith("api:"):
        return _api_url(world, name, variant)
    kwargs = {
        "web:home": {},
        "web:me": {},
        "web:me_detail": {"pk": world.rider.pk},
        "web:plan_journeys": {},
        "web:my_itinerary": {"token": token},
        "journey:personal_feed": {"token": token},
        "journey:personal_pdf": {"token": token},
        "journey:team_feed_by_token": {"slug": slug, "token": token},
        "set_language": {},
    }.get(name, {"slug": slug})
    if name.startswith("web:plan_route"):
        kwargs["route_id"] = world.route.pk
    if name in ("web:plan_stop", "journey:host_day_sheet"):
        kwargs["stop_id"] = world.stops["phoenix"].pk
    if name in ("web:plan_participant", "web:plan_assign"):
        kwargs["pk"] = world.rider.pk
    if name == "web:plan_host":
        kwargs["pk"] = world.host.pk if variant == "approved" else world.applicant.pk
    if name == "web:plan_export_csv":
        kwargs["document"] = variant
    if name == "web:plan_roster_export":
        kwargs["format"] = variant
    if name == "web:plan_ride":
        kwargs["pk"] = world.ride.pk
    if name == "web:rsvp":
        kwargs["pk"] = world.rally.pk
    if name in LINK_URL_NAMES:
        kwargs = {"token": token}
    if name in ("journey:team_route_gpx", "journey:team_route_kml"):
        kwargs["vehicle_id"] = world.bus.pk
    if name == "web:plan_stop_meals":
        kwargs["stop_id"] = world.stops["phoenix"].pk
    url = reverse(name, kwargs=kwargs)
    if name == "web:plan_route_planner":
        url += "?time_limit=1"
    return url


def _admin_url(world, name: str) -> str:
    short = name.split(":", 1)[1]
    model, _, page = short.rpartition("_")
    if short in ("index", "login", "logout", "password_change", "password_change_done"):
        return reverse(name)
    if short == "autocomplete":
        return reverse(name)
    if short == "app_list":
        return reverse(name, kwargs={"app_label": "journey"})
    if short == "view_on_site":
        content_type = ContentType.objects.get_for_model(world.a)
        return reverse(name, kwargs={"content_type_id": content_type.pk, "object_id": world.a.pk})
    if short == "auth_user_password_change":
        return reverse(name, kwargs={"id": world.users["rider"].pk})
    if page in ("changelist", "add"):
        return reverse(name)
    return reverse(name, kwargs={"object_id": ADMIN_OBJECT[model](world).pk})


def _api_url(world, name: str, variant: str) -> str:
    short = name.split(":", 1)[1]
    if variant == "b":  # journey B's own record of its rider, for its own people
        return reverse(name, kwargs={"journey_slug": world.b.slug, "pk": world.other["rider"].pk})
    in_a = {"journey_slug": world.a.slug}
    if short in ("journey-list", "me", "me-itinerary", "auth-token", "schema", "docs"):
        return reverse(name)
    if short in ("journey-detail", "journey-itinerary"):
        return reverse(name, kwargs={"slug": world.a.slug})
    if short == "export-detail":  # the day sheet of Phoenix; Xiomara's own itinerary
        query = {"pdf-daysheet": f"?stop={world.stops['phoenix'].pk}"}
        query["pdf-personal"] = f"?participant={world.rider.pk}"
        return reverse(name, kwargs={**in_a, "identifier": variant}) + query.get(variant, "")
    resource, _, kind = short.rpartition("-")
    if kind == "list":
        return reverse(name, kwargs=in_a)
    if short in ("route-order", "route-plan", "route-plan-accept"):
        url = reverse(name, kwargs={**in_a, "pk": world.route.pk})
        return url + ("?time_limit=1" if short == "route-plan" else "")
    if short == "stop-host-sheet":
        return reverse(name, kwargs={**in_a, "pk": world.stops["phoenix"].pk})
    return reverse(name, kwargs={**in_a, "pk": API_OBJECT[resource](world).pk})
