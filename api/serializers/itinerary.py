"""Output of journey.itinerary's data classes (itineraries and host day sheets).

The privacy rules were applied when the data classes were built (``build_itinerary``,
``host_day_sheet``); these serializers only write what they get. Times are already in
each item's own zone and are written with their offset.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers.base import LocalDateTimeField


class JourneyInfoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    home_timezone = serializers.CharField()
    distance_unit = serializers.CharField()
    is_published = serializers.BooleanField()
    updated_at = LocalDateTimeField()


class ParticipantInfoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    language = serializers.CharField()
    role = serializers.CharField()


class ActivityItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    stop_id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    title = serializers.CharField()
    starts_at = LocalDateTimeField()
    ends_at = LocalDateTimeField()
    timezone = serializers.CharField(source="tz")
    venue = serializers.CharField()
    address = serializers.CharField()
    place_name = serializers.CharField()
    description = serializers.CharField()
    is_public = serializers.BooleanField()
    is_cancelled = serializers.BooleanField()
    private_notes = serializers.CharField(help_text=_("Empty unless you coordinate the journey."))


class LodgingItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    stop_id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    address = serializers.CharField()
    place_name = serializers.CharField()
    capacity = serializers.IntegerField()
    check_in = LocalDateTimeField()
    check_out = LocalDateTimeField()
    timezone = serializers.CharField(source="tz")
    accessibility_notes = serializers.CharField()
    notes = serializers.CharField(help_text=_("Empty unless you coordinate the journey."))
    nights = serializers.ListField(child=serializers.DateField())


class StopVisitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    city = serializers.CharField()
    state = serializers.CharField()
    country = serializers.CharField()
    place_name = serializers.CharField()
    venue = serializers.CharField()
    address = serializers.CharField(help_text=_("Empty in the public itinerary."))
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    timezone = serializers.CharField(source="tz")
    arrival = LocalDateTimeField()
    departure = LocalDateTimeField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    status = serializers.CharField()
    is_cancelled = serializers.BooleanField()
    nights = serializers.ListField(child=serializers.DateField())
    public_notes = serializers.CharField()
    private_notes = serializers.CharField(help_text=_("Empty unless you coordinate the journey."))
    activities = ActivityItemSerializer(many=True)
    lodgings = LodgingItemSerializer(many=True)


class VehicleItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    plate = serializers.CharField()


class VehicleOnLegSerializer(serializers.Serializer):
    vehicle = VehicleItemSerializer()
    drivers = serializers.ListField(
        child=serializers.CharField(), help_text=_("The drivers' display names.")
    )
    passengers = serializers.IntegerField()


class LegItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    route_id = serializers.IntegerField()
    route_name = serializers.CharField()
    position = serializers.IntegerField()
    origin_id = serializers.IntegerField(source="origin.id")
    origin_name = serializers.CharField(source="origin.place_name")
    destination_id = serializers.IntegerField(source="destination.id")
    destination_name = serializers.CharField(source="destination.place_name")
    departure = LocalDateTimeField(help_text=_("In the origin's zone."))
    arrival = LocalDateTimeField(help_text=_("In the destination's zone."))
    distance_km = serializers.FloatField()
    driving_minutes = serializers.IntegerField()
    break_minutes = serializers.IntegerField()
    vehicles = VehicleOnLegSerializer(
        many=True, help_text=_("Empty in the public itinerary; only yours in a personal one.")
    )


class NightItemSerializer(serializers.Serializer):
    date = serializers.DateField(help_text=_("The date of the night's evening."))
    stop_id = serializers.IntegerField(source="stop.id")
    lodging_ids = serializers.SerializerMethodField()
    bed = serializers.SerializerMethodField(
        help_text=_("Personal itinerary: the lodging where you sleep (null: not assigned yet).")
    )
    headcount = serializers.IntegerField(
        allow_null=True, help_text=_("Team itinerary: how many people sleep at the stop.")
    )

    def get_lodging_ids(self, night) -> list[int]:
        return [lodging.id for lodging in night.lodgings]

    def get_bed(self, night) -> int | None:
        return night.bed.id if night.bed is not None else None


class ContactItemSerializer(serializers.Serializer):
    participant_id = serializers.IntegerField()
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class ItinerarySerializer(serializers.Serializer):
    journey = JourneyInfoSerializer()
    audience = serializers.CharField(help_text=_("public, team or personal."))
    participant = ParticipantInfoSerializer(allow_null=True)
    stops = StopVisitSerializer(many=True)
    legs = LegItemSerializer(many=True)
    nights = NightItemSerializer(many=True)
    vehicles = VehicleItemSerializer(many=True)
    contacts = ContactItemSerializer(many=True, help_text=_("Coordinators to call."))
    timezones = serializers.ListField(child=serializers.CharField())
    first_date = serializers.DateField(allow_null=True)
    last_date = serializers.DateField(allow_null=True)
    last_modified = LocalDateTimeField()


class NeedCountSerializer(serializers.Serializer):
    need = serializers.CharField()
    count = serializers.IntegerField()


class HostNightSerializer(serializers.Serializer):
    date = serializers.DateField()
    headcount = serializers.IntegerField()
    dietary_needs = NeedCountSerializer(many=True)
    accessibility_needs = NeedCountSerializer(many=True)


class HostDaySheetSerializer(serializers.Serializer):
    """What a host of one stop needs: times, drives, activities, lodgings and counts, no names."""

    journey = JourneyInfoSerializer()
    stop = StopVisitSerializer()
    incoming = LegItemSerializer(many=True)
    outgoing = LegItemSerializer(many=True)
    nights = HostNightSerializer(many=True)
    contacts = ContactItemSerializer(many=True)
