"""Routes, and the body that puts a route's stops in a new order."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.base import JourneyScopedSerializer
from journey.models import Route


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
