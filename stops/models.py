"""Stops on the route, what happens there, who hosts and where people sleep."""

from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from journey.formatting import format_local
from journey.history import plan_history
from journey.loaded import RemembersLoadedValues
from journey.models import SecretLinkDigest
from journey.validators import validate_timezone

LATITUDE_VALIDATORS = [MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))]
LONGITUDE_VALIDATORS = [MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))]


def local_nights(start, end, tz: ZoneInfo) -> list[date]:
    """The nights spent between two aware datetimes, as local calendar dates.

    A night is named by the date of the evening it begins: arriving Monday 18:00
    and leaving Wednesday 08:00 spends the nights of Monday and Tuesday.
    """
    if start is None or end is None or end <= start:
        return []
    first = timezone.localtime(start, tz).date()
    last = timezone.localtime(end, tz).date()
    return [first + timedelta(days=i) for i in range((last - first).days)]


class StopKind(models.TextChoices):
    OVERNIGHT = "overnight", _("Overnight")
    RALLY = "rally", _("Rally")
    REST = "rest", _("Rest / fuel")
    MEETING = "meeting", _("Meeting")


class StopStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    DONE = "done", _("Done")


def shown_publicly_q(path: str = "") -> models.Q:
    """The only definition of a public stop: public and not cancelled. ``path`` leads from
    the rows filtered to the stop ("stops__" from a journey). ``Stop.is_shown_publicly``
    says the same of one loaded row."""
    return models.Q(**{f"{path}is_public": True}) & ~models.Q(
        **{f"{path}status": StopStatus.CANCELLED}
    )


class StopQuerySet(models.QuerySet):
    def for_journey(self, journey):
        return self.filter(journey=journey)

    def active(self):
        return self.exclude(status=StopStatus.CANCELLED)

    def overnight(self):
        return self.filter(kind=StopKind.OVERNIGHT)

    def shown_publicly(self):
        """The stops anyone may see of a journey they can see (``shown_publicly_q``)."""
        return self.filter(shown_publicly_q())

    def public(self):
        """The stops of published journeys that anyone may see."""
        return self.shown_publicly().filter(journey__is_published=True)

    def chronological(self):
        return self.order_by("arrival", "pk")


class Stop(RemembersLoadedValues, models.Model):
    """A visit to a place: the same city visited twice is two stops."""

    journey = models.ForeignKey(
        "journey.Journey", on_delete=models.CASCADE, related_name="stops", verbose_name=_("journey")
    )
    city = models.CharField(_("city"), max_length=120)
    state = models.CharField(_("state"), max_length=60, blank=True)
    country = models.CharField(_("country"), max_length=2, default="US")
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(
        _("address"), max_length=300, blank=True, help_text=_("Where the caravan meets or parks.")
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, validators=LATITUDE_VALIDATORS, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, validators=LONGITUDE_VALIDATORS, blank=True
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_timezone],
        editable=False,
        help_text=_("Derived from the coordinates."),
    )
    arrival = models.DateTimeField(_("arrival"))
    departure = models.DateTimeField(_("departure"))
    earliest_arrival = models.DateTimeField(
        _("arrive no earlier than"),
        null=True,
        blank=True,
        help_text=_("A fixed appointment (the rally on the 21st): the route planner respects it."),
    )
    latest_arrival = models.DateTimeField(_("arrive no later than"), null=True, blank=True)
    in_border_zone = models.BooleanField(
        _("in the 100-mile border zone"),
        default=False,
        editable=False,
        help_text=_("Computed: within 100 miles of a land border or coast."),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=StopKind.choices, default=StopKind.OVERNIGHT
    )
    status = models.CharField(
        _("status"), max_length=16, choices=StopStatus.choices, default=StopStatus.PLANNED
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Shown on public pages and feeds once the journey is published."),
    )
    public_notes = models.TextField(_("public notes"), blank=True)
    private_notes = models.TextField(_("private notes"), blank=True)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Counts the edits; an edit based on an older version is refused."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = StopQuerySet.as_manager()

    # What the legs are computed from: where the stop is, and whether it is cancelled.
    remembered_fields = ("latitude", "longitude", "status")

    history = plan_history()

    class Meta:
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        ordering = ["journey", "arrival", "pk"]
        indexes = [models.Index(fields=["journey", "arrival"], name="stop_journey_arrival")]

    def __str__(self):
        when = self.local_arrival.strftime("%b %d") if self.arrival and self.timezone else ""
        place = f"{self.city}, {self.state}" if self.state else self.city
        return f"{place} ({when})" if when else place

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            self.version = (self.version or 0) + 1  # journey.concurrency
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        if self.latitude is not None and self.longitude is not None:
            from geo.timezones import timezone_at

            self.timezone = timezone_at(float(self.latitude), float(self.longitude))
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and {"latitude", "longitude"} & set(update_fields):
                kwargs["update_fields"] = set(update_fields) | {"timezone"}
        super().save(*args, **kwargs)

    def clean(self):
        """Geocode a stop typed without coordinates and check its times."""
        from geo.geocoding import geocode_city

        errors = {}
        if self.latitude is None or self.longitude is None:
            if self.latitude is not None or self.longitude is not None:
                errors["longitude"] = _("Give both latitude and longitude, or neither.")
            elif self.city:
                place = geocode_city(self.city, self.state, self.country or "US")
                if place is None:
                    errors["city"] = _(
                        "No place called “%(place)s” was found. Check the spelling and the "
                        "state, or type the coordinates."
                    ) % {"place": ", ".join(p for p in (self.city, self.state) if p)}
                else:
                    self.latitude = Decimal(str(round(place.latitude, 6)))
                    self.longitude = Decimal(str(round(place.longitude, 6)))
                    if not self.state:
                        self.state = place.state
        if "latitude" not in errors and self.latitude is not None and self.longitude is not None:
            from geo.timezones import timezone_at

            try:
                timezone_at(float(self.latitude), float(self.longitude))
            except ValueError:
                errors["latitude"] = _(
                    "These coordinates are not on land in any time zone; check them."
                )
        if self.arrival and self.departure and self.departure < self.arrival:
            errors["departure"] = _("The departure is before the arrival.")
        if (
            self.earliest_arrival
            and self.latest_arrival
            and self.latest_arrival < self.earliest_arrival
        ):
            errors["latest_arrival"] = _("The window closes before it opens.")
        if errors:
            raise ValidationError(errors)

    @property
    def place_changed(self) -> bool:
        """True unless the stop still has the place and status it was loaded with."""
        return self.changed_since_loaded()

    # Small one-row helpers -------------------------------------------------
    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone or "UTC")

    @property
    def coordinates(self) -> tuple[float, float]:
        return (float(self.latitude), float(self.longitude))

    @property
    def local_arrival(self):
        return timezone.localtime(self.arrival, self.tzinfo)

    @property
    def local_departure(self):
        return timezone.localtime(self.departure, self.tzinfo)

    @property
    def nights(self) -> list[date]:
        return local_nights(self.arrival, self.departure, self.tzinfo)

    @property
    def is_cancelled(self) -> bool:
        return self.status == StopStatus.CANCELLED

    @property
    def is_shown_publicly(self) -> bool:
        """This row as ``shown_publicly_q`` sees it."""
        return self.is_public and self.status != StopStatus.CANCELLED

    @property
    def place_name(self) -> str:
        return f"{self.city}, {self.state}" if self.state else self.city


class ActivityKind(models.TextChoices):
    RALLY = "rally", _("Rally")
    TOWN_HALL = "town_hall", _("Town hall")
    PRESS = "press", _("Press conference")
    MEAL = "meal", _("Meal")
    VIGIL = "vigil", _("Vigil")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", _("Other")


class Activity(models.Model):
    stop = models.ForeignKey(
        Stop, on_delete=models.CASCADE, related_name="activities", verbose_name=_("stop")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Public activities appear on the public page and feed of a published journey."),
    )
    description = models.TextField(_("description"), blank=True)
    private_notes = models.TextField(_("private notes"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("How many people fit; empty: no limit. Beyond it, RSVPs wait in a list."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = plan_history()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["stop", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="activity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="activity_capacity_positive",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The activity ends before it starts.")})


class HostStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class HostAlly(SecretLinkDigest, models.Model):
    """A local organization that offers beds, meals, a venue or transport."""

    journey = models.ForeignKey(
        "journey.Journey",
        on_delete=models.CASCADE,
        related_name="hosts",
        verbose_name=_("journey"),
    )
    stop = models.ForeignKey(
        Stop,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosts",
        verbose_name=_("stop served"),
    )
    organization = models.CharField(_("organization"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    city = models.CharField(_("city"), max_length=120)
    state = models.CharField(_("state"), max_length=60, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    offers_beds = models.PositiveIntegerField(_("beds offered"), default=0)
    offers_meals = models.BooleanField(_("offers meals"), default=False)
    meals_capacity = models.PositiveIntegerField(
        _("people they can feed"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("How many people the host can feed at one meal; empty: not said."),
    )
    offers_venue = models.BooleanField(_("offers a venue"), default=False)
    offers_transport = models.BooleanField(_("offers local transport"), default=False)
    offers_other = models.CharField(_("other offers"), max_length=300, blank=True)
    accessibility = models.TextField(_("accessibility of the place"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language of the emails the host receives."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=HostStatus.choices, default=HostStatus.PENDING
    )
    created_at = models.DateTimeField(_("applied"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # The host page's secret link (/host/<token>/): given on approval, rotated or revoked by
    # the coordinators (journey.tokens). Empty: no link, or revoked.
    secret_token = models.CharField(
        _("secret link token"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Opens the host's page and day sheet. Empty: no link, or revoked."),
    )
    # SHA-256 of the token: links are looked up by it, then compared in constant time.
    secret_token_digest = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("host ally")
        verbose_name_plural = _("host allies")
        ordering = ["journey", "city", "organization"]

    def __str__(self):
        return f"{self.organization} ({self.city})"

    def clean(self):
        errors = {}
        if (
            self.available_from
            and self.available_until
            and self.available_until < self.available_from
        ):
            errors["available_until"] = _("The last available day is before the first.")
        if self.stop_id and self.journey_id and self.stop.journey_id != self.journey_id:
            errors["stop"] = _("The stop belongs to another journey.")
        if errors:
            raise ValidationError(errors)


class ContactKind(models.TextChoices):
    RAPID_RESPONSE = "rapid_response", _("Rapid-response network")
    LEGAL_AID = "legal_aid", _("Legal aid")
    MEDICAL = "medical", _("Medical")
    OTHER = "other", _("Other")


class LocalContact(models.Model):
    """A local number riders can call at a stop: rapid response, legal aid, medical."""

    stop = models.ForeignKey(
        Stop, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("stop")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ContactKind.choices)
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    host = models.ForeignKey(
        HostAlly,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("given by host"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = plan_history()

    class Meta:
        verbose_name = _("local contact")
        verbose_name_plural = _("local contacts")
        ordering = ["stop", "kind", "name"]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class LodgingKind(models.TextChoices):
    CHURCH = "church", _("Church")
    HALL = "hall", _("Community hall")
    HOMESTAY = "homestay", _("Homestay")
    HOTEL = "hotel", _("Hotel")
    SCHOOL = "school", _("School / campus")
    OTHER = "other", _("Other")


class Lodging(models.Model):
    """A place to sleep at a stop, for the nights between check-in and check-out."""

    stop = models.ForeignKey(
        Stop, on_delete=models.CASCADE, related_name="lodgings", verbose_name=_("stop")
    )
    host = models.ForeignKey(
        HostAlly,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lodgings",
        verbose_name=_("offered by"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=LodgingKind.choices)
    address = models.CharField(
        _("address"),
        max_length=300,
        help_text=_("Private: shown only to the people who sleep there."),
    )
    capacity = models.PositiveIntegerField(_("beds"), validators=[MinValueValidator(1)])
    check_in = models.DateTimeField(_("check-in"))
    check_out = models.DateTimeField(_("check-out"))
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = plan_history()

    class Meta:
        verbose_name = _("lodging")
        verbose_name_plural = _("lodging")
        ordering = ["stop", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(check_out__gt=models.F("check_in")),
                name="lodging_check_out_after_check_in",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.stop.city})"

    def clean(self):
        errors = {}
        if self.check_in and self.check_out and self.check_out <= self.check_in:
            errors["check_out"] = _("Check-out must be after check-in.")
        if self.host_id and self.stop_id and self.host.journey_id != self.stop.journey_id:
            errors["host"] = _("The host belongs to another journey.")
        if errors:
            raise ValidationError(errors)

    @property
    def nights(self) -> list[date]:
        return local_nights(self.check_in, self.check_out, self.stop.tzinfo)


class MealKind(models.TextChoices):
    BREAKFAST = "breakfast", _("Breakfast")
    LUNCH = "lunch", _("Lunch")
    DINNER = "dinner", _("Dinner")
    SNACK = "snack", _("Snack")


class Meal(models.Model):
    """A meal at a stop, provided by a host ally of the journey or by the team (no host).

    How many eat and their dietary needs are not stored: they follow from who is at the
    stop (``journey.meals``), so they move when riders join or leave.
    """

    stop = models.ForeignKey(
        Stop, on_delete=models.CASCADE, related_name="meals", verbose_name=_("stop")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MealKind.choices)
    starts_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    provided_by = models.ForeignKey(
        HostAlly,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meals",
        verbose_name=_("provided by"),
        help_text=_("A host ally of the journey; empty: the team provides it."),
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = plan_history()

    class Meta:
        verbose_name = _("meal")
        verbose_name_plural = _("meals")
        ordering = ["stop", "starts_at", "pk"]

    def __str__(self):
        return self.get_kind_display()

    def clean(self):
        errors = {}
        stop = self.stop if self.stop_id else None
        timed = stop is not None and self.starts_at and stop.arrival and stop.departure
        if timed and not stop.arrival <= self.starts_at <= stop.departure:
            errors["starts_at"] = _(
                "The meal is outside the visit to %(place)s (%(arrival)s to %(departure)s)."
            ) % {
                "place": stop.place_name,
                "arrival": format_local(stop.arrival, stop.tzinfo),
                "departure": format_local(stop.departure, stop.tzinfo),
            }
        if (
            stop is not None
            and self.provided_by_id
            and self.provided_by.journey_id != stop.journey_id
        ):
            errors["provided_by"] = _("The host belongs to another journey.")
        if errors:
            raise ValidationError(errors)


from stops.rsvp_models import Rsvp, RsvpStatus  # noqa: E402  (its own module: the size)

__all__ = ["Rsvp", "RsvpStatus"]
