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
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from demo.data import (
    ACTIVITIES,
    AREA_CODES,
    ARRIVAL_MARGIN_MINUTES,
    BUS_SPEED_KMH,
    DECIDED_AT,
    DEMO_APPS,
    DEMO_SLUG,
    DESCRIPTION,
    DRIVING,
    HOSTS,
    LEGAL_TEAM,
    MAIN,
    PEOPLE,
    RELATIVES,
    ROUND_TO_MINUTES,
    ROUTES,
    UNPREPARED_BORDER_LEG_FROM,
    VEHICLES,
    PersonSpec,
    StopSpec,
)
from geo.distance import estimate_leg
from geo.geocoding import geocode_city
from geo.timezones import timezone_at
from journey import history
from journey.models import Journey, Leg, Route, new_secret_token, token_digest
from journey.services import append_stop, create_journey, deferred_leg_refresh
from participants.models import (
    BedAssignment,
    Participant,
    SeatAssignment,
    Vehicle,
)
from stops.models import (
    Activity,
    HostAlly,
    HostStatus,
    Lodging,
    Meal,
    MealKind,
    Rsvp,
    RsvpStatus,
    Stop,
    StopKind,
)

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
        lodgings_by_stop, hosts = _build_hosts(journey, stops)
        _build_meals(hosts, stops)
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
    _build_rsvps(activities)


# The send-off rally takes RSVPs: fictional visitors, a small capacity so that the
# waiting list shows. (name, email, phone, party size, language, status)
RSVPS = (
    ("Marta G.", "marta.g@example.org", "", 4, "es", RsvpStatus.CONFIRMED),
    ("Jean-Robert", "", "(213) 555-0181", 2, "ht", RsvpStatus.CONFIRMED),
    ("Dee", "dee@example.org", "", 1, "en", RsvpStatus.CONFIRMED),
    ("Familia Ortiz", "ortiz@example.org", "(213) 555-0182", 5, "es", RsvpStatus.WAITLISTED),
)
RALLY_CAPACITY = 8


def _build_rsvps(activities: list[Activity]) -> None:
    rally = next((a for a in activities if a.is_public and a.title == "Send-off rally"), None)
    if rally is None:
        return
    Activity.objects.filter(pk=rally.pk).update(capacity=RALLY_CAPACITY)
    Rsvp.objects.bulk_create(
        Rsvp(
            activity=rally,
            name=name,
            email=email,
            phone=phone,
            party_size=size,
            language=language,
            status=status,
        )
        for name, email, phone, size, language, status in RSVPS
    )


def _phone(area: str, number: int) -> str:
    """A fictional phone number: 555-0100 to 555-0199 are reserved for fiction."""
    return f"({area}) 555-01{number % 100:02d}"


# Meals at the first few overnight stops whose approved hosts offered meals: dinner after
# the arrival, breakfast before the departure; one lunch from the team.
MEAL_STOPS = 4


def _dinner_time(stop: Stop) -> datetime:
    """At half past six (local) on the day of arrival, or 90 minutes after a late arrival."""
    local_arrival = stop.arrival.astimezone(stop.tzinfo)
    half_past_six = local_arrival.replace(hour=18, minute=30, second=0, microsecond=0)
    return max(half_past_six, stop.arrival + timedelta(minutes=90))


def _build_meals(hosts: list[HostAlly], stops: dict[str, Stop]) -> None:
    meals = []
    by_stop: dict[int, HostAlly] = {}
    for host in hosts:
        if host.status == HostStatus.APPROVED and host.offers_meals and host.stop_id:
            by_stop.setdefault(host.stop_id, host)
    for stop in sorted(stops.values(), key=lambda s: s.arrival):
        host = by_stop.get(stop.pk)
        if host is None or not stop.nights or len(meals) >= 2 * MEAL_STOPS:
            continue
        meals.append(
            Meal(
                stop=stop,
                kind=MealKind.DINNER,
                starts_at=_dinner_time(stop),
                place=host.organization,
                provided_by=host,
            )
        )
        meals.append(
            Meal(
                stop=stop,
                kind=MealKind.BREAKFAST,
                starts_at=stop.departure - timedelta(hours=1),
                place=host.organization,
                provided_by=host,
            )
        )
    day_stop = next(
        (s for s in sorted(stops.values(), key=lambda s: s.arrival) if not s.nights), None
    )
    if day_stop is not None and day_stop.departure - day_stop.arrival >= timedelta(minutes=30):
        meals.append(
            Meal(
                stop=day_stop,
                kind=MealKind.LUNCH,
                starts_at=day_stop.arrival + timedelta(minutes=15),
                place=day_stop.venue,
                notes=_("Sandwiches for the road, bought by the team."),
            )
        )
    Meal.objects.bulk_create(meals)


def _build_hosts(
    journey: Journey, stops: dict[str, Stop]
) -> tuple[dict[str, list[Lodging]], list[HostAlly]]:
    """Hosts and the lodging they offer; returns each stop's lodgings, in bed-filling order,
    and the hosts."""
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
    # One host with a link to their page (/host/<token>/), as the approval email gives it
    # (bulk_create skips save(), which sets the digest the link is looked up by).
    first_approved = next((h for h in hosts if h.status == HostStatus.APPROVED), None)
    if first_approved is not None:
        first_approved.secret_token = new_secret_token()
        first_approved.secret_token_digest = token_digest(first_approved.secret_token)
    HostAlly.objects.bulk_create(hosts)
    Lodging.objects.bulk_create(lodgings)
    by_stop = defaultdict(list)
    for lodging in lodgings:
        by_stop[lodging.stop_id].append(lodging)
    return by_stop, hosts


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
