"""Serializer fields shared by the API: local times, and choices limited to one journey."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from caravana.params import FIRST_YEAR, LAST_YEAR, MAX_PK


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
