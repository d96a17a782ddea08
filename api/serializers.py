"""Serializers of the journey's rows: thin, and every write goes through the model's full_clean.

``CleanModelSerializer`` is the one path for writes: it copies the validated values onto
the instance, runs ``full_clean()`` (the same checks as the admin: ``clean()``, field
validators, unique and check constraints) and maps Django's errors to DRF's, field by
field. Nothing is saved unless all of it passes, and the save runs in one transaction.

Fields seen only by coordinators are listed in ``team_only_fields``; they are optional in
the schema, and left out of the output for every other viewer. Participants are shown
through ``journey.access`` only (see ``ParticipantSerializer``).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from api.fields import (
    BoundedDateField,
    JourneyRelatedField,
    LocalDateTimeField,
    WallClockTimeField,
)
from geo.timezones import timezone_at
from journey.concurrency import StaleEdit, check_version
from journey.forms import make_local_aware
from journey.models import Journey, Leg, Route, RouteStop
from journey.services import (
    append_stop,
    create_journey,
    deferred_leg_refresh,
    set_route_order,
)
from participants.models import BedAssignment, Participant, SeatAssignment, Vehicle
from participants.services import assign_bed, assign_seat
from stops.applications import HONEYPOT_FIELD, HOST_APPLICATION_FIELDS, validate_host_application
from stops.models import Activity, HostAlly, HostStatus, Lodging, Stop
from stops.services import (
    apply_to_host,
    approve_host,
    decline_host,
    reopen_host,
    site_base_url,
)


def _field_errors(error: DjangoValidationError) -> dict:
    detail = serializers.as_serializer_error(error)
    if "__all__" in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop("__all__")
    return detail


class CleanModelSerializer(serializers.ModelSerializer):
    """A model serializer whose writes pass the model's own validation, all or nothing."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: LocalDateTimeField,
        models.DateField: BoundedDateField,
        models.TimeField: WallClockTimeField,
    }
    team_only_fields: tuple[str, ...] = ()
    # Values that are not model fields (the serializer uses them in ``after_save``).
    extra_fields: tuple[str, ...] = ()
    # Date-times that may be typed as wall-clock time in ``write_zone(...)``.
    local_time_fields: tuple[str, ...] = ()

    @property
    def access(self):
        return self.context.get("access")

    @property
    def journey(self) -> Journey | None:
        return self.context.get("journey")

    def get_fields(self):
        fields = super().get_fields()
        if self.access is not None and not self.access.is_team:
            for name in self.team_only_fields:
                fields.pop(name, None)
        return fields

    # --- the zone of local times ------------------------------------------------------
    def zone_of(self, instance) -> ZoneInfo | None:
        """The zone the instance's date-times are shown in (None: as stored, UTC)."""
        return None

    def write_zone(self, instance) -> ZoneInfo | None:
        """The zone in which wall-clock times typed for ``instance`` are read."""
        return self.zone_of(instance)

    def localize(self, instance) -> None:
        naive = [
            name
            for name in self.local_time_fields
            if isinstance(getattr(instance, name, None), datetime)
            and timezone.is_naive(getattr(instance, name))
        ]
        if not naive:
            return
        zone = self.write_zone(instance)
        if zone is None:
            raise DjangoValidationError(
                {
                    name: _("Give the time with its UTC offset: the place's time zone is unknown.")
                    for name in naive
                }
            )
        errors = {}
        for name in naive:
            try:
                setattr(instance, name, make_local_aware(getattr(instance, name), zone))
            except DjangoValidationError as error:
                errors[name] = error.messages
        if errors:
            raise DjangoValidationError(errors)

    # --- validation -----------------------------------------------------------------
    def new_instance(self):
        return self.Meta.model()

    def prepare(self, instance, attrs) -> None:
        """Set what the request's URL decides (the journey) and anything derived."""

    def clean_exclusions(self) -> list[str]:
        return [f.name for f in self.Meta.model._meta.concrete_fields if not f.editable]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.instance if self.instance is not None else self.new_instance()
        for name, value in attrs.items():
            if name not in self.extra_fields:
                setattr(instance, name, value)
        try:
            self.prepare(instance, attrs)
            self.localize(instance)
            instance.full_clean(exclude=self.clean_exclusions())
        except DjangoValidationError as error:
            raise serializers.ValidationError(_field_errors(error)) from None
        self.cleaned_instance = instance
        return attrs

    # --- saving ---------------------------------------------------------------------------
    def before_save(self, instance) -> None:
        """Checks that need the row locked, in the transaction of the save."""

    def write(self, instance) -> None:
        """Save the validated instance (a service, for rows that have one)."""
        instance.save()

    def after_save(self, instance, validated_data, *, created: bool) -> None:
        """Further rows to write in the same transaction."""

    def _save(self, validated_data, *, created: bool):
        instance = self.cleaned_instance
        try:
            with transaction.atomic():
                self.before_save(instance)
                self.write(instance)
                self.after_save(instance, validated_data, created=created)
        except DjangoValidationError as error:  # a rule checked under a row lock on save
            raise serializers.ValidationError(_field_errors(error)) from None
        except IntegrityError:
            raise serializers.ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY: [
                        _("This conflicts with another record that changed meanwhile. Try again.")
                    ]
                }
            ) from None
        return instance

    def create(self, validated_data):
        return self._save(validated_data, created=True)

    def update(self, instance, validated_data):
        return self._save(validated_data, created=False)


class JourneyScopedSerializer(CleanModelSerializer):
    """A row with its own ``journey`` foreign key, set from the URL."""

    def prepare(self, instance, attrs):
        if instance.journey_id is None:
            instance.journey = self.journey


# --- Journeys and routes ----------------------------------------------------------------------


class JourneySerializer(CleanModelSerializer):
    your_role = serializers.SerializerMethodField(
        help_text=_(
            "Your place in the journey: coordinator, participant, host, outsider or anonymous."
        )
    )

    team_only_fields = (
        "road_factor",
        "average_speed_kmh",
        "break_every_minutes",
        "break_minutes",
        "day_start",
        "day_end",
        "retention_days",
    )

    class Meta:
        model = Journey
        fields = (
            "slug",
            "name",
            "description",
            "start_date",
            "end_date",
            "home_timezone",
            "distance_unit",
            "is_published",
            "road_factor",
            "average_speed_kmh",
            "break_every_minutes",
            "break_minutes",
            "day_start",
            "day_end",
            "retention_days",
            "your_role",
            "created_at",
            "updated_at",
        )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        roles = self.context.get("roles") or {}
        if roles.get(instance.pk) != "coordinator":
            for name in self.team_only_fields:
                data.pop(name, None)
        return data

    @extend_schema_field(OpenApiTypes.STR)
    def get_your_role(self, journey) -> str:
        return str((self.context.get("roles") or {}).get(journey.pk, "anonymous"))

    def create(self, validated_data):
        try:
            with transaction.atomic():
                journey = create_journey(**validated_data)
                journey.coordinators.add(self.context["request"].user)
        except (DjangoValidationError, IntegrityError) as error:
            detail = (
                _field_errors(error)
                if isinstance(error, DjangoValidationError)
                else {api_settings.NON_FIELD_ERRORS_KEY: [_("This slug is taken.")]}
            )
            raise serializers.ValidationError(detail) from None
        return journey


class RouteSerializer(JourneyScopedSerializer):
    stops = serializers.SerializerMethodField(
        help_text=_("The ids of the route's stops you may see, in route order.")
    )

    class Meta:
        model = Route
        fields = ("id", "name", "color", "stops")

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_stops(self, route) -> list[int]:
        visible = self.context.get("visible_stop")
        return [
            rs.stop_id
            for rs in sorted(route.route_stops.all(), key=lambda rs: rs.position)
            if visible is None or visible(rs.stop)
        ]


class RouteOrderSerializer(serializers.Serializer):
    stops = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        max_length=5000,
        help_text=_("Every stop of the route, each once, in the new order."),
    )


# --- Stops and what happens there -------------------------------------------------------------


class StopSerializer(JourneyScopedSerializer):
    route = JourneyRelatedField(
        queryset=Route.objects.all(),
        write_only=True,
        required=False,
        help_text=_(
            "Creating only: the route the stop goes on (may be left out when the journey has "
            "one route). Later changes go through the route's order endpoint."
        ),
    )
    position = serializers.IntegerField(
        write_only=True,
        required=False,
        min_value=0,
        max_value=100000,
        help_text=_("Creating only: its place in the route, from 0 (default: at the end)."),
    )
    routes = serializers.SerializerMethodField(
        help_text=_("The routes the stop is on, with its position in each.")
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text=_(
            "Counts the stop's changes. Required when changing a stop: send the version you "
            "read; if someone changed the stop since, the change is refused (400) instead of "
            "overwriting theirs."
        ),
    )

    team_only_fields = (
        "address",
        "earliest_arrival",
        "latest_arrival",
        "private_notes",
        "version",
    )
    extra_fields = ("route", "position")
    local_time_fields = ("arrival", "departure", "earliest_arrival", "latest_arrival")

    class Meta:
        model = Stop
        fields = (
            "id",
            "city",
            "state",
            "country",
            "venue",
            "address",
            "latitude",
            "longitude",
            "timezone",
            "arrival",
            "departure",
            "earliest_arrival",
            "latest_arrival",
            "in_border_zone",
            "kind",
            "status",
            "is_public",
            "public_notes",
            "private_notes",
            "route",
            "position",
            "routes",
            "version",
            "created_at",
            "updated_at",
        )
        extra_kwargs = {
            "latitude": {"required": False},
            "longitude": {"required": False},
            "arrival": {
                "help_text": _(
                    "ISO 8601. With a UTC offset it is that moment; without one it is "
                    "wall-clock time at the stop. Shown in the stop's own zone."
                )
            },
        }

    @extend_schema_field(
        serializers.ListField(child=serializers.DictField(child=serializers.IntegerField()))
    )
    def get_routes(self, stop) -> list[dict]:
        return [
            {"route": rs.route_id, "position": rs.position}
            for rs in sorted(stop.route_stops.all(), key=lambda rs: (rs.route_id, rs.position))
        ]

    def before_save(self, stop) -> None:
        if not stop._state.adding:
            try:
                check_version(stop, stop.version)
            except StaleEdit as error:
                raise DjangoValidationError({"version": error.messages}) from None

    def zone_of(self, stop):
        return stop.tzinfo if stop.timezone else None

    def write_zone(self, stop):
        return self._place_zone

    def prepare(self, stop, attrs):
        super().prepare(stop, attrs)
        errors = {}
        if self.instance is not None:
            for name in self.extra_fields:
                if name in attrs:
                    errors[name] = _("Only when creating a stop; use the route's order endpoint.")
            if "version" not in attrs:
                errors["version"] = _(
                    "Send the version of the stop you read, so that a change someone made "
                    "meanwhile is not overwritten."
                )
        else:
            stop.version = 1
        if self.instance is None and attrs.get("route") is None:
            routes = list(Route.objects.filter(journey=self.journey).order_by("pk")[:2])
            if len(routes) != 1:
                errors["route"] = (
                    _("Choose the route the stop goes on.")
                    if routes
                    else _("The journey has no route yet: create one first.")
                )
            else:
                attrs["route"] = routes[0]
        if errors:
            raise DjangoValidationError(errors)
        self._place_zone = self._locate(stop)

    def _locate(self, stop) -> ZoneInfo | None:
        """Geocode a stop typed without coordinates and find its zone (as the admin does)."""
        place = Stop(
            city=stop.city or "",
            state=stop.state or "",
            country=stop.country or "US",
            latitude=stop.latitude,
            longitude=stop.longitude,
        )
        place.clean()  # the model's own errors about the place: not found, out at sea...
        if place.latitude is None or place.longitude is None:
            return None  # no city either: the required field says so
        stop.latitude, stop.longitude, stop.state = place.latitude, place.longitude, place.state
        try:
            return ZoneInfo(timezone_at(float(place.latitude), float(place.longitude)))
        except ValueError:
            return None

    def after_save(self, stop, validated_data, *, created):
        if not created:
            return
        route = validated_data["route"]
        with deferred_leg_refresh():
            append_stop(route=route, stop=stop)
            position = validated_data.get("position")
            order = list(
                RouteStop.objects.filter(route=route)
                .order_by("position")
                .values_list("stop_id", flat=True)
            )
            if position is not None and position < len(order) - 1:
                order.remove(stop.pk)
                order.insert(position, stop.pk)
                set_route_order(route=route, stop_ids=order)


class ActivitySerializer(CleanModelSerializer):
    stop = JourneyRelatedField(queryset=Stop.objects.all())
    timezone = serializers.SerializerMethodField(help_text=_("The stop's time zone."))

    team_only_fields = ("private_notes",)
    local_time_fields = ("starts_at", "ends_at")

    class Meta:
        model = Activity
        fields = (
            "id",
            "stop",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "timezone",
            "venue",
            "address",
            "is_public",
            "description",
            "private_notes",
            "updated_at",
        )

    def get_timezone(self, activity) -> str:
        return activity.stop.timezone

    def zone_of(self, activity):
        return activity.stop.tzinfo if activity.stop_id else None


class LegSerializer(serializers.ModelSerializer):
    """Read only: legs follow from the route's stops (journey.services.refresh_legs)."""

    distance_km = serializers.FloatField(read_only=True)
    driving_minutes = serializers.IntegerField(read_only=True)
    total_minutes = serializers.IntegerField(read_only=True)
    is_overridden = serializers.BooleanField(read_only=True)

    team_only_fields = (
        "computed_distance_km",
        "computed_driving_minutes",
        "override_distance_km",
        "override_driving_minutes",
        "override_reason",
        "checkpoints",
        "legal_contact_on_call",
        "riders_briefed",
    )

    class Meta:
        model = Leg
        fields = (
            "id",
            "route",
            "position",
            "origin",
            "destination",
            "distance_km",
            "driving_minutes",
            "break_minutes",
            "total_minutes",
            "is_overridden",
            "in_border_zone",
            "computed_distance_km",
            "computed_driving_minutes",
            "override_distance_km",
            "override_driving_minutes",
            "override_reason",
            "checkpoints",
            "legal_contact_on_call",
            "riders_briefed",
            "updated_at",
        )
        read_only_fields = fields

    def get_fields(self):
        fields = super().get_fields()
        access = self.context.get("access")
        if access is not None and not access.is_team:
            for name in self.team_only_fields:
                fields.pop(name)
        else:
            for name in self.team_only_fields:
                # Optional in the schema: other viewers do not get them.
                fields[name].read_only = False
                fields[name].required = False
        return fields


class LodgingSerializer(CleanModelSerializer):
    stop = JourneyRelatedField(queryset=Stop.objects.all())
    host = JourneyRelatedField(queryset=HostAlly.objects.all(), required=False, allow_null=True)
    nights = serializers.ListField(
        child=serializers.DateField(),
        read_only=True,
        help_text=_("The nights booked, named by the date of their evening."),
    )
    timezone = serializers.SerializerMethodField(help_text=_("The stop's time zone."))

    team_only_fields = ("host", "notes")
    local_time_fields = ("check_in", "check_out")

    class Meta:
        model = Lodging
        fields = (
            "id",
            "stop",
            "host",
            "name",
            "kind",
            "address",
            "capacity",
            "check_in",
            "check_out",
            "timezone",
            "nights",
            "accessibility_notes",
            "notes",
            "updated_at",
        )

    def get_timezone(self, lodging) -> str:
        return lodging.stop.timezone

    def zone_of(self, lodging):
        return lodging.stop.tzinfo if lodging.stop_id else None


# --- People, vehicles and who sits and sleeps where ----------------------------------------------


class VehicleSerializer(JourneyScopedSerializer):
    route = JourneyRelatedField(queryset=Route.objects.all())

    team_only_fields = ("notes",)

    class Meta:
        model = Vehicle
        fields = ("id", "route", "name", "kind", "seats", "plate", "notes", "updated_at")


class ParticipantSerializer(JourneyScopedSerializer):
    """Coordinators read and write every field. Everyone else reads what
    ``Access.redact`` (journey.access) gives of each participant, nothing more."""

    # Read only: a login is linked by the rider claiming their own secret link while signed in
    # (participants.services.claim_participant), never by typing a username here.
    user = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text=_(
            "The login (username) of the participant, for their own itinerary. Read only: "
            "the rider links it by opening their own secret link while signed in."
        ),
    )
    route = JourneyRelatedField(queryset=Route.objects.all(), required=False, allow_null=True)
    join_stop = JourneyRelatedField(queryset=Stop.objects.all(), required=False, allow_null=True)
    leave_stop = JourneyRelatedField(queryset=Stop.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Participant
        fields = (
            "id",
            "user",
            "display_name",
            "full_name",
            "role",
            "language",
            "phone",
            "email",
            "emergency_contact_name",
            "emergency_contact_phone",
            "dietary_needs",
            "accessibility_needs",
            "medical_notes",
            "route",
            "join_stop",
            "leave_stop",
            "notes",
        )

    def to_representation(self, participant):
        access = self.access
        if access is None or access.is_team:
            return super().to_representation(participant)
        return access.redact(participant)


class SeatAssignmentSerializer(CleanModelSerializer):
    participant = JourneyRelatedField(queryset=Participant.objects.all())
    vehicle = JourneyRelatedField(queryset=Vehicle.objects.all())
    from_stop = JourneyRelatedField(queryset=Stop.objects.all())
    to_stop = JourneyRelatedField(queryset=Stop.objects.all())

    class Meta:
        model = SeatAssignment
        fields = ("id", "participant", "vehicle", "from_stop", "to_stop", "is_driver")

    def write(self, seat):
        assign_seat(
            participant=seat.participant,
            vehicle=seat.vehicle,
            from_stop=seat.from_stop,
            to_stop=seat.to_stop,
            is_driver=seat.is_driver,
            seat=seat,
        )


class BedAssignmentSerializer(CleanModelSerializer):
    participant = JourneyRelatedField(queryset=Participant.objects.all())
    lodging = JourneyRelatedField(queryset=Lodging.objects.all(), journey_path="stop__journey")

    class Meta:
        model = BedAssignment
        fields = ("id", "participant", "lodging", "night", "updated_at")

    def write(self, bed):
        assign_bed(participant=bed.participant, lodging=bed.lodging, night=bed.night, bed=bed)


# --- Host allies ------------------------------------------------------------------------------


class HostAllySerializer(JourneyScopedSerializer):
    """A coordinator decides on an application by changing ``status``: the decision is made by
    ``stops.services`` (stamped, and the host emailed), as on the page and in the admin."""

    stop = JourneyRelatedField(queryset=Stop.objects.all(), required=False, allow_null=True)
    status_before = None
    decision = None

    class Meta:
        model = HostAlly
        fields = (
            "id",
            "stop",
            *HOST_APPLICATION_FIELDS,
            "status",
            "created_at",
            "decided_at",
        )
        read_only_fields = ("created_at", "decided_at")

    def validate(self, attrs):
        self.status_before = self.instance.status if self.instance is not None else None
        return super().validate(attrs)

    def prepare(self, host, attrs):
        super().prepare(host, attrs)
        before = self.status_before or HostStatus.PENDING
        self.decision = None
        if "status" in attrs and attrs["status"] != before:
            self.decision = attrs["status"]
            host.status = before  # the service below makes the decision

    def after_save(self, host, validated_data, *, created):
        if self.decision == HostStatus.APPROVED:
            request = self.context.get("request")
            decided, _lodging = approve_host(host=host, base_url=site_base_url(request))
        elif self.decision == HostStatus.DECLINED:
            decided = decline_host(host=host)
        elif self.decision == HostStatus.PENDING:
            decided = reopen_host(host=host)
        else:
            return
        host.status, host.decided_at = decided.status, decided.decided_at


class HostApplicationSerializer(JourneyScopedSerializer):
    """What anyone may send to offer help; a coordinator decides later. Checked as the web form
    checks it (``stops.applications``) and saved by the same service, which sends the same
    emails."""

    website = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_("Leave this empty (it catches robots)."),
    )
    extra_fields = (HONEYPOT_FIELD,)

    class Meta:
        model = HostAlly
        fields = ("id", *HOST_APPLICATION_FIELDS, "status", HONEYPOT_FIELD)
        read_only_fields = ("status",)
        extra_kwargs = {"email": {"required": True, "allow_blank": False}}

    def validate(self, attrs):
        try:
            attrs = validate_host_application(attrs)
        except DjangoValidationError as error:
            raise serializers.ValidationError(_field_errors(error)) from None
        return super().validate(attrs)

    def prepare(self, host, attrs):
        super().prepare(host, attrs)
        host.status = HostStatus.PENDING

    def create(self, validated_data):
        request = self.context["request"]
        try:
            return apply_to_host(
                journey=self.journey,
                data=validated_data,
                language=get_language(),
                base_url=settings.SITE_URL.rstrip("/") or request.build_absolute_uri("/")[:-1],
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(_field_errors(error)) from None


# --- Schedule problems -------------------------------------------------------------------------


class ProblemSerializer(serializers.Serializer):
    """A place where the plan breaks (journey.checks.Problem)."""

    kind = serializers.CharField()
    severity = serializers.CharField()
    message = serializers.CharField()
    stop_id = serializers.IntegerField(allow_null=True)
    leg_id = serializers.IntegerField(allow_null=True)
    night = serializers.DateField(allow_null=True)
    vehicle_id = serializers.IntegerField(allow_null=True)
    lodging_id = serializers.IntegerField(allow_null=True)
    activity_id = serializers.IntegerField(allow_null=True)
    participant_ids = serializers.ListField(child=serializers.IntegerField())


# --- Tokens ------------------------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(required=False, max_length=150, trim_whitespace=False)
    password = serializers.CharField(
        required=False, max_length=4096, trim_whitespace=False, style={"input_type": "password"}
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text=_("Send it as the header: Authorization: Token <token>")
    )
    created = serializers.DateTimeField()
