"""Lodging, vehicles, participants, and who sits and sleeps where."""

from __future__ import annotations

from django.db.models import Q
from rest_framework import exceptions

from api import filters
from api.permissions import MEMBERS
from api.serializers.people import (
    BedAssignmentSerializer,
    LodgingSerializer,
    ParticipantSerializer,
    SeatAssignmentSerializer,
    VehicleSerializer,
)
from api.views.base import ModelResourceViewSet
from journey.access import Role
from participants.models import BedAssignment, Participant, SeatAssignment, Vehicle
from participants.services import free_bed, free_seat
from stops.models import Lodging

PARTICIPANTS = frozenset({Role.COORDINATOR, Role.PARTICIPANT})


class LodgingViewSet(ModelResourceViewSet):
    """Places to sleep. Participants see the lodgings where they have a bed; hosts those
    at the stop they serve; coordinators all (with notes and host)."""

    schema_tag = "lodgings"

    serializer_class = LodgingSerializer
    filterset_class = filters.LodgingFilter
    read_roles = MEMBERS
    ordering_fields = ("check_in", "name", "id")
    ordering = ("check_in", "id")

    def get_queryset(self):
        if self.is_fake():
            return Lodging.objects.none()
        queryset = Lodging.objects.filter(stop__journey=self.journey).select_related("stop")
        access = self.access
        if not access.is_team:
            mine = BedAssignment.objects.filter(participant_id__in=access.participant_ids)
            queryset = queryset.filter(
                Q(pk__in=mine.values("lodging_id")) | Q(stop_id__in=access.hosted_stop_ids)
            )
        return queryset


class VehicleViewSet(ModelResourceViewSet):
    """Vehicles. Participants see the vehicles they have a seat in."""

    schema_tag = "vehicles"

    serializer_class = VehicleSerializer
    filterset_class = filters.VehicleFilter
    read_roles = PARTICIPANTS
    ordering_fields = ("name", "id")
    ordering = ("name", "id")

    def get_queryset(self):
        if self.is_fake():
            return Vehicle.objects.none()
        queryset = Vehicle.objects.filter(journey=self.journey)
        if not self.access.is_team:
            seats = SeatAssignment.objects.filter(participant_id__in=self.access.participant_ids)
            queryset = queryset.filter(pk__in=seats.values("vehicle_id"))
        return queryset


class ParticipantViewSet(ModelResourceViewSet):
    """The people on the journey. Coordinators read and write everything. Participants
    see the list with only the fields journey.access shows them (their own
    record in full, others without phone, emergency contact or needs); filters and
    ordering are for coordinators."""

    schema_tag = "participants"

    serializer_class = ParticipantSerializer
    filterset_class = filters.ParticipantFilter
    read_roles = PARTICIPANTS
    ordering_fields = ("display_name", "role", "id")
    ordering = ("display_name", "id")

    def get_queryset(self):
        if self.is_fake():
            return Participant.objects.none()
        return Participant.objects.filter(journey=self.journey).select_related("user")

    def filter_queryset(self, queryset):
        if self.is_fake() or self.access.is_team:
            return super().filter_queryset(queryset)
        # Only the people the visitor may see anything of (Access.participant_fields).
        rows = queryset.order_by("display_name", "pk")
        return [p for p in rows if self.access.participant_fields(p)]

    def get_object(self):
        if self.access.is_team:
            return super().get_object()
        wanted = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        rows = self.filter_queryset(self.get_queryset())
        found = next((p for p in rows if str(p.pk) == wanted), None)
        if found is None:
            raise exceptions.NotFound()
        return found


class SeatAssignmentViewSet(ModelResourceViewSet):
    """Who rides (or drives) which vehicle, from which stop to which. Participants see
    their own seats."""

    schema_tag = "seats"

    serializer_class = SeatAssignmentSerializer
    filterset_class = filters.SeatAssignmentFilter
    read_roles = PARTICIPANTS
    ordering_fields = ("vehicle", "participant", "id")
    ordering = ("vehicle", "id")

    def get_queryset(self):
        if self.is_fake():
            return SeatAssignment.objects.none()
        queryset = SeatAssignment.objects.filter(vehicle__journey=self.journey).select_related(
            "participant", "vehicle"
        )
        if not self.access.is_team:
            queryset = queryset.filter(participant_id__in=self.access.participant_ids)
        return queryset

    def perform_destroy(self, instance):
        free_seat(seat=instance)


class BedAssignmentViewSet(ModelResourceViewSet):
    """Who sleeps in which lodging on which night. Participants see their own beds."""

    schema_tag = "beds"

    serializer_class = BedAssignmentSerializer
    filterset_class = filters.BedAssignmentFilter
    read_roles = PARTICIPANTS
    ordering_fields = ("night", "lodging", "id")
    ordering = ("night", "id")

    def get_queryset(self):
        if self.is_fake():
            return BedAssignment.objects.none()
        queryset = BedAssignment.objects.filter(lodging__stop__journey=self.journey).select_related(
            "participant", "lodging__stop"
        )
        if not self.access.is_team:
            queryset = queryset.filter(participant_id__in=self.access.participant_ids)
        return queryset

    def perform_destroy(self, instance):
        free_bed(bed=instance)
