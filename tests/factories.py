"""Factories without surprises: every value a test relies on is passed explicitly."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model

from journey.models import Journey, Route, RouteStop
from participants.models import BedAssignment, Participant, SeatAssignment, Vehicle
from stops.models import Activity, HostAlly, Lodging, Meal, Stop

# A few real places with their coordinates, for tests that build routes.
PLACES = {
    "Los Angeles": ("CA", "34.052235", "-118.243683"),
    "Phoenix": ("AZ", "33.448376", "-112.074036"),
    "Tucson": ("AZ", "32.222607", "-110.974709"),
    "El Paso": ("TX", "31.761878", "-106.485022"),
    "San Antonio": ("TX", "29.424122", "-98.493629"),
    "Houston": ("TX", "29.760427", "-95.369804"),
    "New Orleans": ("LA", "29.951065", "-90.071533"),
    "Atlanta": ("GA", "33.748997", "-84.387985"),
    "Indianapolis": ("IN", "39.768403", "-86.158068"),
    "Washington": ("DC", "38.907192", "-77.036871"),
}


def local(tz: str, *args) -> datetime:
    """An aware datetime from local wall-clock parts: local("America/Phoenix", 2026, 3, 1, 9)."""
    return datetime(*args, tzinfo=ZoneInfo(tz))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")


class JourneyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Journey

    name = factory.Sequence(lambda n: f"Journey {n}")
    slug = factory.Sequence(lambda n: f"journey-{n}")
    home_timezone = "America/New_York"


class RouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Route

    journey = factory.SubFactory(JourneyFactory)
    name = factory.Sequence(lambda n: f"Route {n}")


class StopFactory(factory.django.DjangoModelFactory):
    """A stop at a known place; pass ``city`` from PLACES, or latitude/longitude."""

    class Meta:
        model = Stop

    journey = factory.SubFactory(JourneyFactory)
    city = "Phoenix"
    state = factory.LazyAttribute(lambda s: PLACES.get(s.city, ("",))[0])
    latitude = factory.LazyAttribute(lambda s: Decimal(PLACES[s.city][1]))
    longitude = factory.LazyAttribute(lambda s: Decimal(PLACES[s.city][2]))
    arrival = factory.LazyFunction(lambda: datetime(2026, 3, 1, 17, tzinfo=ZoneInfo("UTC")))
    departure = factory.LazyAttribute(lambda s: s.arrival + timedelta(hours=15))


class RouteStopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RouteStop

    route = factory.SubFactory(RouteFactory)
    stop = factory.SubFactory(StopFactory, journey=factory.SelfAttribute("..route.journey"))
    position = factory.Sequence(int)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    stop = factory.SubFactory(StopFactory)
    kind = "rally"
    title = factory.Sequence(lambda n: f"Rally {n}")
    starts_at = factory.LazyAttribute(lambda a: a.stop.arrival + timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda a: a.starts_at + timedelta(hours=2))


class MealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meal

    stop = factory.SubFactory(StopFactory)
    kind = "dinner"
    starts_at = factory.LazyAttribute(lambda m: m.stop.arrival + timedelta(hours=1))
    place = "Parish hall"


class HostAllyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostAlly

    journey = factory.SubFactory(JourneyFactory)
    organization = factory.Sequence(lambda n: f"Community Center {n}")
    contact_name = "Ana Torres"
    email = "ana@example.org"
    city = "Phoenix"
    state = "AZ"


class LodgingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lodging

    stop = factory.SubFactory(StopFactory)
    name = factory.Sequence(lambda n: f"Parish Hall {n}")
    kind = "church"
    address = "100 Main St"
    capacity = 10
    check_in = factory.LazyAttribute(lambda lodging: lodging.stop.arrival)
    check_out = factory.LazyAttribute(lambda lodging: lodging.stop.departure)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    journey = factory.SubFactory(JourneyFactory)
    display_name = factory.Sequence(lambda n: f"Rider {n}")
    role = "rider"
    language = "es"


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    journey = factory.SubFactory(JourneyFactory)
    route = factory.SubFactory(RouteFactory, journey=factory.SelfAttribute("..journey"))
    name = factory.Sequence(lambda n: f"Bus {n}")
    kind = "bus"
    seats = 50


class SeatAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeatAssignment

    is_driver = False


class BedAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BedAssignment
