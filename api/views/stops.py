"""Stops (with the host's day sheet), the activities at them, and the legs between them."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from api import filters
from api.permissions import EVERYONE, NOBODY, deny
from api.serializers.itinerary import HostDaySheetSerializer
from api.serializers.stops import ActivitySerializer, LegSerializer, StopSerializer
from api.views.base import JourneyScopedViewSet, ModelResourceViewSet, visible_stop_filter
from journey.access import Role
from journey.itinerary import host_day_sheet
from journey.models import Leg
from journey.plan import load_plan
from stops.models import Activity, Stop


class StopViewSet(ModelResourceViewSet):
    """Stops. Coordinators see every stop with its parking address and private notes;
    everyone else sees the public, not cancelled stops (hosts also the stop they serve)."""

    schema_tag = "stops"

    serializer_class = StopSerializer
    filterset_class = filters.StopFilter
    read_roles = EVERYONE
    action_roles = {"host_sheet": frozenset({Role.COORDINATOR, Role.HOST})}
    ordering_fields = ("arrival", "departure", "city", "id")
    ordering = ("arrival", "id")

    def get_queryset(self):
        if self.is_fake():
            return Stop.objects.none()
        queryset = Stop.objects.filter(journey=self.journey).prefetch_related("route_stops")
        if not self.access.is_team:
            queryset = queryset.filter(visible_stop_filter(self.access))
        return queryset

    @extend_schema(
        summary=_("The host's day sheet of a stop"),
        responses=HostDaySheetSerializer,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="host-sheet",
        filter_backends=[],
        pagination_class=None,
    )
    def host_sheet(self, request, journey_slug=None, pk=None):
        """Dates, drives, activities, lodgings and per night a head count with counts of
        dietary and accessibility needs. No names or phones of participants."""
        stop = self.get_object()
        if not self.access.can("stop.view_host_sheet", stop):
            deny(self.access, may_read=True)
        sheet = host_day_sheet(load_plan(self.journey), stop.pk)
        return Response(HostDaySheetSerializer(sheet).data)


class ActivityViewSet(ModelResourceViewSet):
    """Activities at the stops. Others than coordinators see the public ones at public
    stops (hosts also those at the stop they serve), without private notes."""

    schema_tag = "activities"

    serializer_class = ActivitySerializer
    filterset_class = filters.ActivityFilter
    read_roles = EVERYONE
    ordering_fields = ("starts_at", "id")
    ordering = ("starts_at", "id")

    def get_queryset(self):
        if self.is_fake():
            return Activity.objects.none()
        queryset = Activity.objects.filter(stop__journey=self.journey).select_related("stop")
        if not self.access.is_team:
            shown = visible_stop_filter(self.access, "stop")
            queryset = queryset.filter(
                shown, Q(is_public=True) | Q(stop_id__in=self.access.hosted_stop_ids)
            )
        return queryset


class LegViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, JourneyScopedViewSet):
    """The drives between consecutive stops, computed from the route (read only).
    Others than coordinators see the legs between two public stops, without overrides,
    checkpoints or the legal contact."""

    schema_tag = "legs"

    serializer_class = LegSerializer
    filterset_class = filters.LegFilter
    read_roles = EVERYONE
    write_roles = NOBODY
    lookup_value_regex = r"\d+"
    ordering_fields = ("route", "position", "id")
    ordering = ("route", "position")

    def get_queryset(self):
        if self.is_fake():
            return Leg.objects.none()
        queryset = Leg.objects.filter(route__journey=self.journey)
        if not self.access.is_team:
            shown = Stop.objects.shown_publicly().filter(journey=self.journey).values("pk")
            queryset = queryset.filter(origin__in=shown, destination__in=shown)
        return queryset
