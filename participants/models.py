"""The people on a journey, the vehicles they ride and the beds they sleep in.

Least data: a participant record holds what logistics needs and nothing more.
There is deliberately no field for immigration status, passport or A-number,
nationality or date of birth (see the README's privacy section).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from journey.history import plan_history
from journey.models import RouteStop, SecretLinkDigest, new_secret_token, token_digest
from participants import capacity


class Role(models.TextChoices):
    RIDER = "rider", _("Rider")
    DRIVER = "driver", _("Driver")
    COORDINATOR = "coordinator", _("Coordinator")
    MEDIC = "medic", _("Medic")
    PRESS = "press", _("Press")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    HAITIAN_CREOLE = "ht", _("Haitian Creole")
    FRENCH = "fr", _("French")
    PORTUGUESE = "pt", _("Portuguese")


class ParticipantQuerySet(models.QuerySet):
    def for_journey(self, journey):
        return self.filter(journey=journey)

    def drivers(self):
        return self.filter(role=Role.DRIVER)

    def riding(self):
        return self.filter(route__isnull=False)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for participant in objs:  # save() is skipped here, so the link digests are set here
            participant.secret_token_digest = token_digest(participant.secret_token)
        return super().bulk_create(objs, *args, **kwargs)


#: A participant's personal data: emptied by erasure (participants.retention, which also
#: replaces the display name and clears the login and link) and never written to history.
PERSONAL_FIELDS = (
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


def segment_errors(row, *, not_on_route, leaves_first) -> dict:
    """Field errors of a part of a route (``route``, ``join_stop``, ``leave_stop`` of a row of
    a journey: a participant, a request to ride): the route is the journey's, both stops are
    on it, and one joins before leaving. The messages say it to whoever reads them."""
    errors = {}
    if not row.route_id:
        return errors
    if row.journey_id and row.route.journey_id != row.journey_id:
        errors["route"] = _("The route belongs to another journey.")
        return errors
    positions = dict(
        RouteStop.objects.filter(route_id=row.route_id).values_list("stop_id", "position")
    )
    for field in ("join_stop", "leave_stop"):
        stop_id = getattr(row, f"{field}_id")
        if stop_id and stop_id not in positions:
            errors[field] = not_on_route
    if (
        not errors
        and row.join_stop_id
        and row.leave_stop_id
        and positions[row.join_stop_id] > positions[row.leave_stop_id]
    ):
        errors["leave_stop"] = leaves_first
    return errors


class Participant(SecretLinkDigest, models.Model):
    journey = models.ForeignKey(
        "journey.Journey",
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("journey"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("login"),
    )
    display_name = models.CharField(
        _("display name"),
        max_length=100,
        help_text=_("How the person is listed to others: a first name or a chosen name."),
    )
    full_name = models.CharField(
        _("full name"), max_length=200, blank=True, help_text=_("Seen only by coordinators.")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.RIDER)
    language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.SPANISH
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=200, blank=True)
    emergency_contact_phone = models.CharField(
        _("emergency contact phone"), max_length=40, blank=True
    )
    dietary_needs = models.CharField(_("dietary needs"), max_length=200, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=200, blank=True)
    medical_notes = models.TextField(
        _("medical notes"), blank=True, help_text=_("Seen only by coordinators and medics.")
    )
    route = models.ForeignKey(
        "journey.Route",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("route"),
        help_text=_("Leave empty for people who do not travel with the caravan."),
    )
    join_stop = models.ForeignKey(
        "stops.Stop",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="joining",
        verbose_name=_("joins at"),
        help_text=_("Empty: from the start of the route."),
    )
    leave_stop = models.ForeignKey(
        "stops.Stop",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leaving",
        verbose_name=_("leaves at"),
        help_text=_("The last stop they are at. Empty: to the end of the route."),
    )
    travels_with = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("travels with"),
        help_text=_("Someone to keep together with them in seats and beds: family, a carer."),
    )
    notes = models.TextField(_("notes"), blank=True)
    secret_token = models.CharField(
        _("secret link token"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        default=new_secret_token,
        editable=False,
        help_text=_("Opens the personal itinerary and calendar feed. Empty: the link is revoked."),
    )
    # SHA-256 of the token: links are looked up by it, then compared in constant time.
    secret_token_digest = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    anonymized_at = models.DateTimeField(
        _("personal data erased"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ParticipantQuerySet.as_manager()

    history = plan_history(
        excluded_fields=[
            *PERSONAL_FIELDS,
            "display_name",
            "user",
            "secret_token",
            "secret_token_digest",
        ]
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["journey", "display_name", "pk"]

    def __str__(self):
        return self.display_name

    def clean(self):
        errors = segment_errors(
            self,
            not_on_route=_("This stop is not on the participant's route."),
            leaves_first=_("The participant leaves before joining."),
        )
        if not self.route_id and (self.join_stop_id or self.leave_stop_id):
            errors["route"] = _("Choose the route before the stops where they join and leave.")
        if self.travels_with_id:
            if self.pk and self.travels_with_id == self.pk:
                errors["travels_with"] = _("A person cannot travel with themselves.")
            elif self.journey_id and self.travels_with.journey_id != self.journey_id:
                errors["travels_with"] = _("That person is on another journey.")
        if errors:
            raise ValidationError(errors)


class VehicleKind(models.TextChoices):
    BUS = "bus", _("Bus")
    VAN = "van", _("Van")
    CAR = "car", _("Car")


class Vehicle(models.Model):
    journey = models.ForeignKey(
        "journey.Journey",
        on_delete=models.CASCADE,
        related_name="vehicles",
        verbose_name=_("journey"),
    )
    route = models.ForeignKey(
        "journey.Route", on_delete=models.CASCADE, related_name="vehicles", verbose_name=_("route")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=8, choices=VehicleKind.choices)
    seats = models.PositiveIntegerField(
        _("passenger seats"),
        validators=[MinValueValidator(1)],
        help_text=_("Seats for passengers; the driver's seat is not counted."),
    )
    plate = models.CharField(_("license plate"), max_length=20, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = plan_history()

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["journey", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "name"], name="vehicle_name_unique_in_journey"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()}, {self.seats})"

    def clean(self):
        if self.route_id and self.journey_id and self.route.journey_id != self.journey_id:
            raise ValidationError({"route": _("The route belongs to another journey.")})


class SeatAssignment(capacity.HoldsAPlace, models.Model):
    """A participant rides (or drives) a vehicle from one stop to another of its route."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="seats", verbose_name=_("participant")
    )
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("vehicle")
    )
    from_stop = models.ForeignKey(
        "stops.Stop", on_delete=models.CASCADE, related_name="+", verbose_name=_("from")
    )
    to_stop = models.ForeignKey(
        "stops.Stop", on_delete=models.CASCADE, related_name="+", verbose_name=_("to")
    )
    is_driver = models.BooleanField(
        _("drives"),
        default=False,
        help_text=_(
            "Drivers do not take a passenger seat. Two drivers on a leg share its driving."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = plan_history()

    class Meta:
        verbose_name = _("seat assignment")
        verbose_name_plural = _("seat assignments")
        ordering = ["vehicle", "participant"]

    remembered_fields = (
        "participant_id",
        "vehicle_id",
        "from_stop_id",
        "to_stop_id",
        "is_driver",
    )

    def __str__(self):
        return (
            f"{self.participant} · {self.vehicle.name}: {self.from_stop.city} → {self.to_stop.city}"
        )

    def clean(self):
        from journey.models import RouteStop

        if not (self.vehicle_id and self.from_stop_id and self.to_stop_id and self.participant_id):
            return
        errors = {}
        if self.participant.journey_id != self.vehicle.journey_id:
            errors["vehicle"] = _("The vehicle belongs to another journey.")
        else:
            positions = dict(
                RouteStop.objects.filter(route_id=self.vehicle.route_id).values_list(
                    "stop_id", "position"
                )
            )
            for field in ("from_stop", "to_stop"):
                if getattr(self, f"{field}_id") not in positions:
                    errors[field] = _("This stop is not on the vehicle's route.")
            if not errors and positions[self.from_stop_id] >= positions[self.to_stop_id]:
                errors["to_stop"] = _("The ride must end at a later stop than it starts.")
        if self.is_driver and self.participant.role != Role.DRIVER:
            errors["is_driver"] = _("Only a participant with the driver role can drive.")
        if errors:
            raise ValidationError(errors)
        if self.takes_new_place():
            capacity.check_seat(self)

    def lock_and_check(self) -> None:
        self.vehicle = Vehicle.objects.select_for_update().get(pk=self.vehicle_id)
        capacity.check_seat(self)


class BedAssignment(capacity.HoldsAPlace, models.Model):
    """A participant sleeps in a lodging on one night (named by its evening's date)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="beds", verbose_name=_("participant")
    )
    lodging = models.ForeignKey(
        "stops.Lodging", on_delete=models.CASCADE, related_name="beds", verbose_name=_("lodging")
    )
    night = models.DateField(_("night of"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = plan_history()

    class Meta:
        verbose_name = _("bed assignment")
        verbose_name_plural = _("bed assignments")
        ordering = ["night", "lodging", "participant"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "night"], name="one_bed_per_night")
        ]
        indexes = [models.Index(fields=["lodging", "night"], name="bed_lodging_night")]

    remembered_fields = ("lodging_id", "night")

    def __str__(self):
        return f"{self.participant} · {self.lodging.name} · {self.night:%Y-%m-%d}"

    def clean(self):
        if not (self.lodging_id and self.participant_id and self.night):
            return
        errors = {}
        if self.lodging.stop.journey_id != self.participant.journey_id:
            errors["lodging"] = _("The lodging belongs to another journey.")
        elif self.night not in self.lodging.nights:
            errors["night"] = _("The lodging is not booked for that night.")
        if errors:
            raise ValidationError(errors)
        if self.takes_new_place():
            capacity.check_bed(self)

    def lock_and_check(self) -> None:
        from stops.models import Lodging

        self.lodging = Lodging.objects.select_for_update().get(pk=self.lodging_id)
        capacity.check_bed(self)


class ItinerarySnapshot(models.Model):
    """A participant's itinerary as they were last told it (participants.notifications).

    Plain comparable data (places, local times, lodging, vehicles; no other person's name),
    compared with the current itinerary to email the participant what changed since.
    """

    participant = models.OneToOneField(
        Participant,
        on_delete=models.CASCADE,
        related_name="itinerary_snapshot",
        verbose_name=_("participant"),
    )
    data = models.JSONField(_("itinerary"), default=dict)
    taken_at = models.DateTimeField(_("taken at"))
    # The plan's version (journey.plan.plan_version) it was taken from: while every
    # participant's snapshot has the current one, nothing changed and nothing is rebuilt.
    plan_version = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("itinerary snapshot")
        verbose_name_plural = _("itinerary snapshots")

    def __str__(self):
        return f"{self.participant_id} @ {self.taken_at:%Y-%m-%d %H:%M}"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a coordinator")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class RideApplication(models.Model):
    """A person asks to ride part of a published journey (the public "ask to ride" form).

    Only what logistics needs. A coordinator approves (which creates the participant,
    participants.applications) or declines. Applications are deleted with the journey's
    personal data when its retention ends (participants.retention.purge_expired), and a
    declined one sooner (``participants.retention.DECLINED_KEPT_DAYS`` after the decision).
    """

    journey = models.ForeignKey(
        "journey.Journey",
        on_delete=models.CASCADE,
        related_name="ride_applications",
        verbose_name=_("journey"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    display_name = models.CharField(
        _("name"), max_length=100, help_text=_("A first name or a chosen name is enough.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.SPANISH
    )
    route = models.ForeignKey(
        "journey.Route", on_delete=models.CASCADE, related_name="+", verbose_name=_("route")
    )
    join_stop = models.ForeignKey(
        "stops.Stop",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("joins at"),
    )
    leave_stop = models.ForeignKey(
        "stops.Stop",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leaves at"),
    )
    dietary_needs = models.CharField(_("dietary needs"), max_length=200, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=200, blank=True)
    participant = models.OneToOneField(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ride_application",
        verbose_name=_("participant"),
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("ride application")
        verbose_name_plural = _("ride applications")
        ordering = ["journey", "created_at", "pk"]

    def __str__(self):
        return self.display_name

    def clean(self):
        errors = segment_errors(
            self,
            not_on_route=_("This stop is not on the route."),
            leaves_first=_("You would leave before joining."),
        )
        if not (self.phone or self.email):
            errors["phone"] = _("Give a phone number or an email address so we can answer you.")
        if errors:
            raise ValidationError(errors)
