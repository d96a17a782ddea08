"""Stops, the activities at them, and the legs between them."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.base import CleanModelSerializer, JourneyRelatedField, JourneyScopedSerializer
from geo.timezones import timezone_at
from journey.concurrency import StaleEdit, check_version
from journey.models import Leg, Route, RouteStop
from journey.services import append_stop, deferred_leg_refresh, set_route_order
from stops.fields import STOP_LOCAL_TIME_FIELDS, STOP_SHOWN_FIELDS
from stops.models import Activity, Stop


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
    local_time_fields = STOP_LOCAL_TIME_FIELDS

    class Meta:
        model = Stop
        fields = (
            "id",
            *STOP_SHOWN_FIELDS,
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
