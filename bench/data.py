"""A realistic large journey for benchmarks, built fast.

``build_journey(stops=60, participants=1000)`` makes a caravan of two routes
that cross the country west to east (a southern one from Los Angeles, a
northern one from Seattle) through four time zones, one stop a day with a rest
stop now and then and one cancelled rest stop per route; activities at every
overnight stop, an approved host and three lodgings per overnight stop;
participants who join and leave along their route (a few coordinators with a
phone, a driver per vehicle), buses that seat everyone on each leg, a seat
for every rider and a bed for every night.

Rows are written with ``bulk_create`` (no per-row ``save``: the stop's time
zone is set here the way ``Stop.save`` would set it), and each route's legs
are refreshed once at the end (``deferred_leg_refresh``). 60 stops and 1,000
participants take a few seconds.

Needs a configured Django with a migrated database; used by bench/exports.py
and meant for any benchmark that needs a big journey.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from geo.gazetteer import find_place
from geo.timezones import timezone_at
from journey.models import Journey, Route, RouteStop
from journey.services import create_journey, deferred_leg_refresh, request_leg_refresh
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

# West to east. Pacific, Mountain (Arizona without DST), Central and Eastern time.
SOUTHERN = [
    ("Los Angeles", "CA"),
    ("San Diego", "CA"),
    ("Yuma", "AZ"),
    ("Phoenix", "AZ"),
    ("Tucson", "AZ"),
    ("Las Cruces", "NM"),
    ("El Paso", "TX"),
    ("Albuquerque", "NM"),
    ("Amarillo", "TX"),
    ("Lubbock", "TX"),
    ("Midland", "TX"),
    ("San Angelo", "TX"),
    ("San Antonio", "TX"),
    ("Austin", "TX"),
    ("Waco", "TX"),
    ("Dallas", "TX"),
    ("Houston", "TX"),
    ("Beaumont", "TX"),
    ("Baton Rouge", "LA"),
    ("New Orleans", "LA"),
    ("Hattiesburg", "MS"),
    ("Jackson", "MS"),
    ("Memphis", "TN"),
    ("Birmingham", "AL"),
    ("Montgomery", "AL"),
    ("Atlanta", "GA"),
    ("Chattanooga", "TN"),
    ("Knoxville", "TN"),
    ("Charlotte", "NC"),
    ("Raleigh", "NC"),
    ("Richmond", "VA"),
    ("Washington", "DC"),
]
NORTHERN = [
    ("Seattle", "WA"),
    ("Yakima", "WA"),
    ("Spokane", "WA"),
    ("Missoula", "MT"),
    ("Butte", "MT"),
    ("Bozeman", "MT"),
    ("Billings", "MT"),
    ("Sheridan", "WY"),
    ("Gillette", "WY"),
    ("Rapid City", "SD"),
    ("Pierre", "SD"),
    ("Sioux Falls", "SD"),
    ("Omaha", "NE"),
    ("Des Moines", "IA"),
    ("Cedar Rapids", "IA"),
    ("Rochester", "MN"),
    ("Minneapolis", "MN"),
    ("Eau Claire", "WI"),
    ("Madison", "WI"),
    ("Milwaukee", "WI"),
    ("Chicago", "IL"),
    ("South Bend", "IN"),
    ("Fort Wayne", "IN"),
    ("Toledo", "OH"),
    ("Cleveland", "OH"),
    ("Akron", "OH"),
    ("Pittsburgh", "PA"),
    ("Harrisburg", "PA"),
    ("Philadelphia", "PA"),
    ("Baltimore", "MD"),
]
FIRST_DAY = date(2026, 3, 2)
BUS_SEATS = 50
LODGINGS = [  # (name, kind, beds) at each overnight stop
    ("St. Anne's Parish Hall", LodgingKind.CHURCH, 260),
    ("Lincoln High School gym", LodgingKind.SCHOOL, 260),
    ("Casa Hospitalidad homestays", LodgingKind.HOMESTAY, 120),
]
FIRST_NAMES = [
    "Begoña", "Mirlène", "Dieunè", "José", "Ana", "Wislande", "Jean-Baptiste", "Lucía",
    "Nguyễn", "Fatoumata", "María José", "Oksana", "Samuel", "Kateryna", "Efraín", "Ngozi",
]  # fmt: skip
LAST_NAMES = [
    "Pérez", "Joseph", "Hernández", "Pierre", "García", "Louis-Jean", "Muñoz", "Trần",
    "Diallo", "Kovalenko", "Castañeda", "Okafor", "Saint-Fleur", "Ramírez",
]  # fmt: skip
DIETS = ["", "", "", "vegetarian", "halal", "no pork", "diabetic", "nut allergy"]
ACCESS = ["", "", "", "", "", "wheelchair", "lower bunk", "hearing aid"]


@dataclass(frozen=True)
class BenchJourney:
    journey: Journey
    stops: int
    participants: int
    seats: int
    beds: int


def _phone(number: int) -> str:
    """A fictional phone number (555-01xx is reserved for fiction)."""
    return f"+1 602 555 01{number % 100:02d}"


def _pick(cities: list[tuple[str, str]], count: int) -> list[tuple[str, str]]:
    """``count`` cities spread over the list (west to east); cities repeat past its length."""
    if count <= len(cities):
        step = (len(cities) - 1) / max(count - 1, 1)
        return [cities[round(i * step)] for i in range(count)]
    return [cities[i * len(cities) // count] for i in range(count)]


def _route_stops(journey: Journey, cities: list[tuple[str, str]], rng: random.Random):
    """Unsaved stops for one route, one day after another, in each city's own zone."""
    stops = []
    day = FIRST_DAY
    for position, (city, state) in enumerate(cities):
        place = find_place(city, state)
        if place is None:
            raise ValueError(f"{city}, {state} is not in the gazetteer")
        latitude = Decimal(str(round(place.latitude, 6)))
        longitude = Decimal(str(round(place.longitude, 6)))
        zone = timezone_at(float(latitude), float(longitude))
        tz = ZoneInfo(zone)
        last = position == len(cities) - 1
        rest = position % 4 == 1 and not last
        if rest:  # a midday break, then the day's overnight stop in the evening
            arrival = datetime.combine(day, time(12), tz)
            departure = arrival + timedelta(minutes=45)
            kind = StopKind.REST
        else:
            arrival = datetime.combine(day, time(17), tz)
            departure = datetime.combine(day + timedelta(days=1), time(9), tz)
            kind = StopKind.RALLY if position % 4 == 2 else StopKind.OVERNIGHT
            day += timedelta(days=1)
        status = StopStatus.CONFIRMED if position < len(cities) // 2 else StopStatus.PLANNED
        if position == 5:  # a rest stop the caravan had to drop
            status = StopStatus.CANCELLED
        stops.append(
            Stop(
                journey=journey,
                city=city,
                state=state,
                latitude=latitude,
                longitude=longitude,
                timezone=zone,
                venue=f"{city} Community Center" if kind != StopKind.REST else "",
                address=f"{100 + position} Main St, {city}, {state}",
                arrival=arrival,
                departure=departure,
                kind=kind,
                status=status,
                is_public=kind != StopKind.REST,
                public_notes="Bring water and your papers." if rng.random() < 0.3 else "",
                private_notes="Parking in the back lot." if rng.random() < 0.3 else "",
            )
        )
    return stops


def build_journey(
    *, stops: int = 60, participants: int = 1000, seed: int = 7, slug: str | None = None
) -> BenchJourney:
    """Build the journey (see the module docstring); ``stops`` of at least 2."""
    rng = random.Random(seed)
    slug = slug or f"bench-{stops}-{participants}-{rng.randrange(10**9)}"
    journey = create_journey(
        name=f"Caravana por la Dignidad ({stops} stops, {participants} people)",
        slug=slug,
        route_name="South",
        description="Two caravans across the country, meeting in the capital.",
        home_timezone="America/Chicago",
        is_published=True,
    )
    south = Route.objects.get(journey=journey)
    north = Route.objects.create(journey=journey, name="North", color="#1565c0")
    per_route = {
        south: _pick(SOUTHERN, math.ceil(stops / 2)),
        north: _pick(NORTHERN, stops // 2),
    }
    with deferred_leg_refresh():
        route_stops: dict[Route, list[Stop]] = {}
        for route, cities in per_route.items():
            route_stops[route] = Stop.objects.bulk_create(_route_stops(journey, cities, rng))
        RouteStop.objects.bulk_create(
            RouteStop(route=route, stop=stop, position=position)
            for route, rows in route_stops.items()
            for position, stop in enumerate(rows)
        )
        request_leg_refresh(route_ids=[route.pk for route in route_stops])

    overnight = [
        stop
        for rows in route_stops.values()
        for stop in rows
        if stop.kind != StopKind.REST and stop.status != StopStatus.CANCELLED
    ]
    _activities_hosts_lodgings(journey, overnight)
    people, seats, beds = _people(journey, route_stops, participants, rng)
    total = sum(len(rows) for rows in route_stops.values())
    return BenchJourney(journey, total, people, seats, beds)


def _activities_hosts_lodgings(journey: Journey, overnight: list[Stop]) -> None:
    activities, hosts = [], []
    for stop in overnight:
        tz = stop.tzinfo
        evening = stop.arrival.astimezone(tz).date()
        activities += [
            Activity(
                stop=stop,
                kind=ActivityKind.RALLY if stop.kind == StopKind.RALLY else ActivityKind.TOWN_HALL,
                title=f"Welcome rally in {stop.city}",
                starts_at=datetime.combine(evening, time(18, 30), tz),
                ends_at=datetime.combine(evening, time(20), tz),
                venue=f"{stop.city} City Hall steps",
                description="Speeches by riders and local partners; march to the center.",
                is_public=True,
            ),
            Activity(
                stop=stop,
                kind=ActivityKind.MEAL,
                title="Community dinner",
                starts_at=datetime.combine(evening, time(20, 15), tz),
                ends_at=datetime.combine(evening, time(21, 15), tz),
                venue=stop.venue,
                is_public=False,
                private_notes="Halal and vegetarian trays are labeled.",
            ),
        ]
        hosts.append(
            HostAlly(
                journey=journey,
                stop=stop,
                organization=f"{stop.city} Sanctuary Network",
                contact_name="Rosa Villanueva",
                email="host@example.org",
                phone=_phone(stop.pk),
                city=stop.city,
                state=stop.state,
                offers_beds=260,
                offers_meals=True,
                status=HostStatus.APPROVED,
            )
        )
    Activity.objects.bulk_create(activities)
    hosts = HostAlly.objects.bulk_create(hosts)
    host_of = {host.stop_id: host for host in hosts}
    Lodging.objects.bulk_create(
        Lodging(
            stop=stop,
            host=host_of[stop.pk] if kind == LodgingKind.CHURCH else None,
            name=name,
            kind=kind,
            address=f"{200 + number} Church St, {stop.city}, {stop.state}",
            capacity=beds,
            check_in=stop.arrival + timedelta(hours=1),
            check_out=stop.departure - timedelta(hours=1),
            accessibility_notes="Step-free entrance." if number == 0 else "",
            notes="Key with the pastor." if number == 0 else "",
        )
        for stop in overnight
        for number, (name, kind, beds) in enumerate(LODGINGS)
    )


def _people(journey, route_stops, count, rng):
    """Participants on both routes, their seats and beds; returns the three counts."""
    routes = list(route_stops)
    active = {
        route: [s for s in rows if s.status != StopStatus.CANCELLED]
        for route, rows in route_stops.items()
    }
    people, plans = [], []
    for number in range(count):
        route = routes[number % len(routes)]
        rows = active[route]
        role = Role.RIDER
        if number < 4:
            role = Role.COORDINATOR
        elif number % 40 == 5:
            role = Role.MEDIC
        first, last = 0, len(rows) - 1
        if number >= 4 and rng.random() < 0.4 and len(rows) > 2:  # joins late or leaves early
            first = rng.randrange(0, len(rows) - 1)
            last = rng.randrange(first + 1, len(rows))
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        people.append(
            Participant(
                journey=journey,
                display_name=f"{name.split()[0]} {number:04d}",
                full_name=name,
                role=role,
                language="es" if number % 3 else "en",
                phone=_phone(number),
                email=f"rider{number}@example.org",
                emergency_contact_name=f"{rng.choice(FIRST_NAMES)} (family)",
                emergency_contact_phone=_phone(number + 50),
                dietary_needs=rng.choice(DIETS),
                accessibility_needs=rng.choice(ACCESS),
                route=route,
                join_stop=rows[first] if first > 0 else None,
                leave_stop=rows[last] if last < len(rows) - 1 else None,
            )
        )
        plans.append((route, first, last))
    # Buses: enough for everyone on each route, each with its own driver who rides throughout.
    vehicles, drivers = [], []
    for route in routes:
        riders = sum(1 for plan in plans if plan[0] == route)
        for number in range(max(1, math.ceil(riders / (BUS_SEATS - 5)))):
            vehicles.append(
                Vehicle(
                    journey=journey,
                    route=route,
                    name=f"{route.name} bus {number + 1}",
                    kind=VehicleKind.BUS,
                    seats=BUS_SEATS,
                    plate=f"CRV-{route.pk % 100:02d}{number:02d}",
                )
            )
            drivers.append(
                Participant(
                    journey=journey,
                    display_name=f"Driver {route.name} {number + 1}",
                    full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    role=Role.DRIVER,
                    phone=_phone(900 + number),
                    route=route,
                )
            )
    Participant.objects.bulk_create(people + drivers)
    Vehicle.objects.bulk_create(vehicles)
    route_of = {route.pk: route for route in routes}
    buses = {
        route: itertools.cycle([v for v in vehicles if v.route_id == route.pk]) for route in routes
    }
    seats = [
        SeatAssignment(
            participant=driver,
            vehicle=vehicle,
            from_stop=active[vehicle.route][0],
            to_stop=active[vehicle.route][-1],
            is_driver=True,
        )
        for driver, vehicle in zip(drivers, vehicles, strict=True)
        if len(active[vehicle.route]) > 1
    ]
    beds = []
    lodgings = {}
    for lodging in Lodging.objects.filter(stop__journey=journey).order_by("stop_id", "pk"):
        lodgings.setdefault(lodging.stop_id, []).append(lodging)
    taken: dict[tuple[int, date], int] = {}
    plans += [
        (route_of[vehicle.route_id], 0, len(active[route_of[vehicle.route_id]]) - 1)
        for vehicle in vehicles
    ]
    for person, (route, first, last) in zip(people + drivers, plans, strict=True):
        rows = active[route]
        if last > first and person.role != Role.DRIVER:
            seats.append(
                SeatAssignment(
                    participant=person,
                    vehicle=next(buses[route]),
                    from_stop=rows[first],
                    to_stop=rows[last],
                )
            )
        for stop in rows[first : last + 1]:
            for night in stop.nights:
                for lodging in lodgings.get(stop.pk, ()):
                    if taken.get((lodging.pk, night), 0) < lodging.capacity:
                        taken[(lodging.pk, night)] = taken.get((lodging.pk, night), 0) + 1
                        beds.append(BedAssignment(participant=person, lodging=lodging, night=night))
                        break
    SeatAssignment.objects.bulk_create(seats)
    BedAssignment.objects.bulk_create(beds)
    return len(people) + len(drivers), len(seats), len(beds)


@dataclass(frozen=True)
class BenchAccess:
    """Ways in to a benchmark journey: a rider's login and secret link, a coordinator's login."""

    rider_id: int
    rider_api_token: str  # "Authorization: Token <key>"
    rider_secret: str  # /my/<secret>/...
    coordinator_api_token: str


def add_access(journey: Journey) -> BenchAccess:
    """A rider who rides the longest route end to end (the largest personal itinerary),
    with a login, an API token and a secret link; a coordinator with a login and a token."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from journey.tokens import rotate_participant_token

    User = get_user_model()
    longest = max(
        Route.objects.filter(journey=journey).order_by("pk"),
        key=lambda route: RouteStop.objects.filter(route=route).count(),
    )
    rider = (
        Participant.objects.filter(
            journey=journey, route=longest, role=Role.RIDER, join_stop=None, leave_stop=None
        )
        .order_by("pk")
        .first()
    )
    rider.user = User.objects.create_user(f"rider-{journey.slug}")
    rider.save(update_fields=["user", "updated_at"])
    coordinator = User.objects.create_user(f"coordinator-{journey.slug}")
    journey.coordinators.add(coordinator)
    return BenchAccess(
        rider_id=rider.pk,
        rider_api_token=Token.objects.create(user=rider.user).key,
        rider_secret=rotate_participant_token(participant=rider),
        coordinator_api_token=Token.objects.create(user=coordinator).key,
    )
