"""The base of the API's serializers: every write goes through the model's full_clean.

``CleanModelSerializer`` is the one path for writes: it copies the validated values onto
the instance, runs ``full_clean()`` (the same checks as the admin: ``clean()``, field
validators, unique and check constraints) and maps Django's errors to DRF's, field by
field. Nothing is saved unless all of it passes, and the save runs in one transaction.

Fields seen only by coordinators are listed in ``team_only_fields``; they are optional in
the schema, and left out of the output for every other viewer. Participants are shown
through ``journey.access`` only (see ``ParticipantSerializer``).

The serializer fields shared by the API live here too: local times, and choices limited
to one journey.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from caravana.params import FIRST_YEAR, LAST_YEAR, MAX_PK
from journey.forms import make_local_aware
from journey.models import Journey

# --- Fields -----------------------------------------------------------------------------------


class LocalDateTimeField(serializers.DateTimeField):
    """A date-time read in ISO 8601, written in the local time of the place it belongs to.

    Input with a UTC offset ("2026-03-01T18:00:00-07:00") is a moment; input without
    one ("2026-03-01T18:00") is wall-clock time at the place, and stays naive here for
    the serializer to read in the place's zone (as the admin does). Output is in the
    zone the parent serializer's ``zone_of(instance)`` gives, with its offset.
    """

    default_error_messages = {
        "out_of_range": _("Give a date between the years {first} and {last}."),
    }

    def enforce_timezone(self, value: datetime) -> datetime:
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            self.fail("out_of_range", first=FIRST_YEAR, last=LAST_YEAR)
        if timezone.is_naive(value):
            return value  # wall-clock time: the serializer knows the zone
        return super().enforce_timezone(value)

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        zone_of = getattr(self.parent, "zone_of", None)
        if isinstance(value, datetime) and zone_of is not None:
            zone = zone_of(instance)
            if zone is not None:
                value = timezone.localtime(value, zone)
        return value

    def to_representation(self, value):
        if not value:
            return None
        if isinstance(value, str):
            return value
        return value.isoformat()


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$",
        "example": "08:00:00",
    }
)
class WallClockTimeField(serializers.TimeField):
    """A time of day on the wall clock ("08:00:00"), without a zone: the local time of
    wherever the caravan is. (OpenAPI's "time" format would require an offset.)"""


class BoundedDateField(serializers.DateField):
    default_error_messages = LocalDateTimeField.default_error_messages

    def to_internal_value(self, value):
        result = super().to_internal_value(value)
        if not FIRST_YEAR <= result.year <= LAST_YEAR:
            self.fail("out_of_range", first=FIRST_YEAR, last=LAST_YEAR)
        return result


class JourneyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key among the objects of the journey in the serializer's context.

    An id from another journey reads as "does not exist", like an unknown one.
    """

    def __init__(self, *, journey_path: str = "journey", **kwargs):
        self.journey_path = journey_path
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        journey = self.context.get("journey")
        if journey is None:
            return queryset.none()
        return queryset.filter(**{self.journey_path: journey})

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            number = int(data) if isinstance(data, int | str) else None
        except ValueError:
            number = None
        if number is not None and not 0 < number <= MAX_PK:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


# --- Serializers ------------------------------------------------------------------------------


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
