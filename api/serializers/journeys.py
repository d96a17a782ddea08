"""Journeys (a journey's itinerary is written by ``api.serializers.itinerary``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from api.serializers.base import CleanModelSerializer, _field_errors
from journey.models import Journey
from journey.services import create_journey


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
