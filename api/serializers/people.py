"""Lodging, vehicles, participants, and who sits and sleeps where."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers.base import CleanModelSerializer, JourneyRelatedField, JourneyScopedSerializer
from journey.models import Route
from participants.fields import PARTICIPANT_FIELDS
from participants.models import BedAssignment, Participant, SeatAssignment, Vehicle
from participants.services import assign_bed, assign_seat
from stops.models import HostAlly, Lodging, Stop


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
        fields = ("id", "user", *PARTICIPANT_FIELDS)

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
