"""Journeys, their routes and the legs between consecutive stops."""

import hashlib
import secrets
from datetime import time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from geo import distance as estimate_defaults
from journey import history
from journey.history import plan_history
from journey.validators import validate_timezone

# Leg estimate defaults; docs/geography.md explains how they were calibrated.
DEFAULT_ROAD_FACTOR = Decimal(str(estimate_defaults.DEFAULT_ROAD_FACTOR)).quantize(Decimal("0.01"))
DEFAULT_SPEED_KMH = round(estimate_defaults.DEFAULT_SPEED_KMH)
DEFAULT_BREAK_EVERY_MINUTES = estimate_defaults.DEFAULT_BREAK_EVERY_MINUTES
DEFAULT_BREAK_MINUTES = estimate_defaults.DEFAULT_BREAK_MINUTES

# How long personal data may be kept after a journey ends (participants.retention).
MAX_RETENTION_DAYS = 3650


def token_digest(token: str | None) -> str | None:
    """The SHA-256 (hex) of a secret link token, by which the link is looked up."""
    return hashlib.sha256(token.encode()).hexdigest() if token else None


class SecretLinkDigest:
    """A model with a secret link (``secret_token``) keeps its SHA-256 (``secret_token_digest``,
    what links are looked up by) in step on every save. Put it before ``models.Model``."""

    def save(self, *args, **kwargs):
        self.secret_token_digest = token_digest(self.secret_token)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "secret_token" in update_fields:
            kwargs["update_fields"] = {*update_fields, "secret_token_digest"}
        super().save(*args, **kwargs)


def new_secret_token() -> str:
    """A long random token for secret links (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


class DistanceUnit(models.TextChoices):
    MILES = "mi", _("miles")
    KILOMETERS = "km", _("kilometers")


class JourneyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def coordinated_by(self, user):
        return self.filter(coordinators=user)

    def delete(self):
        """Delete journeys with everything in them, and their history, without writing a
        history row for each of the thousands of rows that go with them."""
        ids = list(self.values_list("pk", flat=True))
        with history.paused():
            result = super().delete()
        for journey_id in ids:
            history.forget_journey(journey_id)
        return result


class Journey(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    home_timezone = models.CharField(
        _("home time zone"),
        max_length=64,
        default="America/New_York",
        validators=[validate_timezone],
        help_text=_("Used for dates that belong to no stop, such as the journey's own schedule."),
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Published journeys show their public stops and activities on public pages."),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinators"),
        related_name="coordinated_journeys",
        blank=True,
    )
    road_factor = models.DecimalField(
        _("road circuity factor"),
        max_digits=4,
        decimal_places=2,
        default=DEFAULT_ROAD_FACTOR,
        validators=[MinValueValidator(Decimal("1.00")), MaxValueValidator(Decimal("3.00"))],
        help_text=_("Road distance = straight-line distance × this factor."),
    )
    average_speed_kmh = models.PositiveSmallIntegerField(
        _("average speed (km/h)"),
        default=DEFAULT_SPEED_KMH,
        validators=[MinValueValidator(20), MaxValueValidator(130)],
    )
    break_every_minutes = models.PositiveSmallIntegerField(
        _("rest break every (minutes of driving)"),
        default=DEFAULT_BREAK_EVERY_MINUTES,
        validators=[MinValueValidator(30)],
    )
    break_minutes = models.PositiveSmallIntegerField(
        _("rest break length (minutes)"), default=DEFAULT_BREAK_MINUTES
    )
    team_feed_token = models.CharField(
        _("team feed token"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        default=new_secret_token,
        editable=False,
        help_text=_("Opens the team calendar feed (everything, for coordinators' phones)."),
    )
    distance_unit = models.CharField(
        _("distance unit"), max_length=2, choices=DistanceUnit.choices, default=DistanceUnit.MILES
    )
    day_start = models.TimeField(
        _("earliest departure"),
        default=time(8, 0),
        help_text=_("Local time before which the caravan does not leave, for the route planner."),
    )
    day_end = models.TimeField(
        _("latest arrival"),
        default=time(20, 0),
        help_text=_("Local time after which the caravan should not arrive, for the route planner."),
    )
    retention_days = models.PositiveSmallIntegerField(
        _("keep personal data for (days after the end)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RETENTION_DAYS)],
        help_text=_(
            "After this, participants' personal data is erased; counts and route stay. "
            "From 1 to 3,650 days (ten years)."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = JourneyQuerySet.as_manager()

    history = plan_history(excluded_fields=["team_feed_token"])

    class Meta:
        verbose_name = _("journey")
        verbose_name_plural = _("journeys")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="journey_ends_after_start",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:journey_journey_change", args=[self.pk])

    def delete(self, *args, **kwargs):
        journey_id = self.pk
        with history.paused():
            result = super().delete(*args, **kwargs)
        history.forget_journey(journey_id)
        return result

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The journey cannot end before it starts.")})

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.home_timezone)


class Route(models.Model):
    """One line of travel. Most journeys have one; caravans that split or
    converge have several, and a stop may lie on more than one route."""

    journey = models.ForeignKey(
        Journey, on_delete=models.CASCADE, related_name="routes", verbose_name=_("journey")
    )
    name = models.CharField(_("name"), max_length=100)
    color = models.CharField(
        _("map color"), max_length=7, default="#b5179e", help_text=_("Hex color, e.g. #b5179e.")
    )
    stops = models.ManyToManyField(
        "stops.Stop", through="RouteStop", related_name="routes", verbose_name=_("stops")
    )

    history = plan_history()

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        ordering = ["journey", "id"]
        constraints = [
            models.UniqueConstraint(fields=["journey", "name"], name="route_name_unique_in_journey")
        ]

    def __str__(self):
        return f"{self.journey} · {self.name}"


class RouteStop(models.Model):
    """The place of a stop in a route's order."""

    route = models.ForeignKey(
        Route, on_delete=models.CASCADE, related_name="route_stops", verbose_name=_("route")
    )
    stop = models.ForeignKey(
        "stops.Stop", on_delete=models.CASCADE, related_name="route_stops", verbose_name=_("stop")
    )
    position = models.PositiveIntegerField(_("position"))

    history = plan_history()

    class Meta:
        verbose_name = _("stop on route")
        verbose_name_plural = _("stops on route")
        ordering = ["route", "position"]
        constraints = [
            models.UniqueConstraint(fields=["route", "stop"], name="stop_once_per_route"),
            models.UniqueConstraint(fields=["route", "position"], name="route_position_unique"),
        ]

    def __str__(self):
        return f"{self.route.name} #{self.position}: {self.stop}"

    def clean(self):
        if self.route_id and self.stop_id and self.route.journey_id != self.stop.journey_id:
            raise ValidationError({"stop": _("The stop belongs to another journey.")})


class LegQuerySet(models.QuerySet):
    def for_journey(self, journey):
        return self.filter(route__journey=journey)


class Leg(models.Model):
    """The drive between two consecutive (not cancelled) stops of a route.

    Distance and time are computed from the stops' coordinates whenever the
    route changes (journey.services.refresh_legs); a coordinator may override
    them with figures from a real route planner, with a reason.
    """

    route = models.ForeignKey(
        Route, on_delete=models.CASCADE, related_name="legs", verbose_name=_("route")
    )
    origin = models.ForeignKey(
        "stops.Stop", on_delete=models.CASCADE, related_name="legs_out", verbose_name=_("from")
    )
    destination = models.ForeignKey(
        "stops.Stop", on_delete=models.CASCADE, related_name="legs_in", verbose_name=_("to")
    )
    position = models.PositiveIntegerField(_("position"))
    computed_distance_km = models.FloatField(_("estimated distance (km)"), editable=False)
    computed_driving_minutes = models.PositiveIntegerField(
        _("estimated driving time (minutes)"), editable=False
    )
    break_minutes = models.PositiveIntegerField(
        _("rest breaks (minutes)"),
        editable=False,
        help_text=_(
            "Derived from the driving time (overridden or estimated) and the journey's break rule."
        ),
    )
    override_distance_km = models.FloatField(
        _("distance override (km)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    override_driving_minutes = models.PositiveIntegerField(
        _("driving time override (minutes)"), null=True, blank=True
    )
    override_reason = models.CharField(_("reason for the override"), max_length=200, blank=True)
    in_border_zone = models.BooleanField(
        _("in the 100-mile border zone"),
        default=False,
        editable=False,
        help_text=_("Computed: the drive passes within 100 miles of a land border or coast."),
    )
    checkpoints = models.JSONField(
        _("Border Patrol checkpoints passed"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Identifiers of known interior checkpoints near the drive (computed)."),
    )
    legal_contact_on_call = models.CharField(
        _("legal contact on call"),
        max_length=200,
        blank=True,
        help_text=_("Who the riders call if the caravan is stopped on this leg."),
    )
    riders_briefed = models.BooleanField(
        _("riders briefed"),
        default=False,
        help_text=_("Riders were briefed on their rights before this leg."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LegQuerySet.as_manager()

    history = plan_history()

    class Meta:
        verbose_name = _("leg")
        verbose_name_plural = _("legs")
        ordering = ["route", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "origin", "destination"], name="leg_unique_per_route"
            )
        ]

    def __str__(self):
        return f"{self.origin.city} → {self.destination.city}"

    def clean(self):
        overridden = (
            self.override_distance_km is not None or self.override_driving_minutes is not None
        )
        if overridden and not self.override_reason.strip():
            raise ValidationError(
                {"override_reason": _("Say where the overriding figures come from.")}
            )

    @property
    def is_overridden(self) -> bool:
        return self.override_distance_km is not None or self.override_driving_minutes is not None

    @property
    def distance_km(self) -> float:
        if self.override_distance_km is not None:
            return self.override_distance_km
        return self.computed_distance_km

    @property
    def driving_minutes(self) -> int:
        if self.override_driving_minutes is not None:
            return self.override_driving_minutes
        return self.computed_driving_minutes

    @property
    def total_minutes(self) -> int:
        return self.driving_minutes + self.break_minutes


class RetiredTokenQuerySet(models.QuerySet):
    def retire(self, *tokens: str | None) -> None:
        """Remember that these tokens opened secret links once (rotated, revoked, deleted)."""
        digests = {token_digest(token) for token in tokens if token}
        self.bulk_create([RetiredToken(digest=d) for d in sorted(digests)], ignore_conflicts=True)

    def was_issued(self, token: str | None) -> bool:
        """True when ``token`` is a link that was rotated or revoked (not a guess)."""
        if not token or not isinstance(token, str) or len(token) > 64:
            return False
        return self.filter(digest=token_digest(token)).exists()


class RetiredToken(models.Model):
    """The digest of a secret-link token that was rotated or revoked.

    Calendar apps keep polling a feed's old URL for months. Such a request still answers
    404, but it is not a guess: the link rate limit (``caravana.throttle``) does not count
    it, so one rider's old subscription cannot lock the whole bus out of every link. Only the
    SHA-256 is kept, as for live tokens: the table opens nothing.
    """

    digest = models.CharField(_("token digest"), max_length=64, unique=True)
    retired_at = models.DateTimeField(_("retired at"), auto_now_add=True)

    objects = RetiredTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("retired secret link")
        verbose_name_plural = _("retired secret links")

    def __str__(self):
        return self.digest[:12]
