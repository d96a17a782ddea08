"""The route planner's proposal as JSON (read only), and the body that accepts its order.

The planner (``journey.planning``) returns plain data classes; these serializers only
write them out. Times are ISO 8601 in the zone of the stop they belong to, with its
offset; distances are kilometres and durations minutes, as the planner counts them.
"""

from __future__ import annotations

from operator import attrgetter
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from caravana.params import MAX_PK

#: Seconds the solver may search when asked (?time_limit=; default: the planner's 3 s).
#: The request waits for the whole search (guided local search always runs to its limit),
#: and the API's fuzz test plans on every example it sends, so the maximum stays small:
#: 3 s already finds the best order of 40 stops in the planner's benchmark.
MIN_TIME_LIMIT, MAX_TIME_LIMIT = 1, 5


@extend_schema_field({"type": "string", "format": "date-time"})
class ZonedDateTimeField(serializers.Field):
    """An aware datetime of a planner object, in ISO 8601 in a stop's zone with its offset.

    ``moment``: the attribute holding the datetime; ``zone``: a function of the object and
    the serializer's context giving the zone's name."""

    def __init__(self, *, moment: str, zone, **kwargs):
        self.moment, self.zone = attrgetter(moment), zone
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        moment = self.moment(value)
        if moment is None:
            return None
        return moment.astimezone(ZoneInfo(self.zone(value, self.context))).isoformat()


def attribute(path: str):
    """A ``zone`` for ZonedDateTimeField read from the object itself."""
    read = attrgetter(path)
    return lambda value, _context: read(value)


def rounded(**kwargs) -> serializers.FloatField:
    """Kilometres, to a tenth."""
    return RoundedFloatField(read_only=True, **kwargs)


class RoundedFloatField(serializers.FloatField):
    def to_representation(self, value):
        return round(float(value), 1)


class FlagSerializer(serializers.Serializer):
    """Something the coordinator should know (journey.planning.data.Flag)."""

    kind = serializers.CharField()
    message = serializers.CharField(help_text=_("For a person, in the request's language."))
    stop_id = serializers.IntegerField(allow_null=True)
    day = serializers.DateField(allow_null=True)
    leg_index = serializers.IntegerField(allow_null=True)
    vehicle_id = serializers.IntegerField(allow_null=True)


class PlannedStopSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="stop.id")
    name = serializers.CharField(source="stop.name")


class OrderSummarySerializer(serializers.Serializer):
    """One order of the route's active stops with its totals."""

    distance_km = rounded()
    driving_minutes = serializers.IntegerField()
    fits = serializers.BooleanField(help_text=_("No window missed and no day too long."))
    stops = PlannedStopSerializer(source="schedule.stops", many=True)


class MoveSerializer(serializers.Serializer):
    stop_id = serializers.IntegerField()
    name = serializers.CharField()
    old_position = serializers.IntegerField(help_text=_("Counted from 1."))
    new_position = serializers.IntegerField(help_text=_("Counted from 1."))


class WindowCheckSerializer(serializers.Serializer):
    stop_id = serializers.IntegerField()
    name = serializers.CharField()
    timezone = serializers.CharField()
    earliest = ZonedDateTimeField(moment="earliest", zone=attribute("timezone"), allow_null=True)
    latest = ZonedDateTimeField(moment="latest", zone=attribute("timezone"), allow_null=True)
    arrival = ZonedDateTimeField(moment="arrival", zone=attribute("timezone"))
    met = serializers.BooleanField()
    slack_minutes = serializers.IntegerField(
        allow_null=True, help_text=_("Minutes between the arrival and the window's close.")
    )
    tight = serializers.BooleanField(help_text=_("Less than two hours to spare."))


class ScheduledStopSerializer(serializers.Serializer):
    stop_id = serializers.IntegerField(source="stop.id")
    name = serializers.CharField(source="stop.name")
    timezone = serializers.CharField(source="stop.timezone")
    arrival = ZonedDateTimeField(
        moment="arrival",
        zone=attribute("stop.timezone"),
        allow_null=True,
        help_text=_("Null at the first stop."),
    )
    departure = ZonedDateTimeField(
        moment="departure",
        zone=attribute("stop.timezone"),
        allow_null=True,
        help_text=_("Null at the last stop."),
    )
    nights = serializers.IntegerField()
    wait_minutes = serializers.IntegerField()


class ScheduledLegSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    origin_id = serializers.IntegerField(source="origin.id")
    destination_id = serializers.IntegerField(source="destination.id")
    departure = ZonedDateTimeField(moment="departure", zone=attribute("origin.timezone"))
    arrival = ZonedDateTimeField(moment="arrival", zone=attribute("destination.timezone"))
    distance_km = rounded()
    driving_minutes = serializers.IntegerField()
    break_minutes = serializers.IntegerField()
    day = serializers.IntegerField(help_text=_("Index into the schedule's days."))


class ScheduleDaySerializer(serializers.Serializer):
    index = serializers.IntegerField()
    date = serializers.DateField()
    start = ZonedDateTimeField(moment="start", zone=attribute("first_stop.timezone"))
    end = ZonedDateTimeField(moment="end", zone=attribute("last_stop.timezone"))
    first_stop_id = serializers.IntegerField(source="first_stop.id")
    last_stop_id = serializers.IntegerField(source="last_stop.id")
    driving_minutes = serializers.IntegerField()
    duty_minutes = serializers.IntegerField()
    leg_indexes = serializers.ListField(child=serializers.IntegerField())


class ScheduleSerializer(serializers.Serializer):
    stops = ScheduledStopSerializer(many=True)
    legs = ScheduledLegSerializer(many=True)
    days = ScheduleDaySerializer(many=True)
    flags = FlagSerializer(many=True)


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LegDriversSerializer(serializers.Serializer):
    leg_index = serializers.IntegerField()
    vehicle_id = serializers.IntegerField()
    driver_ids = serializers.ListField(child=serializers.IntegerField())
    missing = serializers.IntegerField(help_text=_("Drivers still needed on this leg."))


def leg_origin_zone(duty, context) -> str:
    return context["legs"][duty.leg_indexes[0]].origin.timezone


def leg_destination_zone(duty, context) -> str:
    return context["legs"][duty.leg_indexes[-1]].destination.timezone


class DutyPeriodSerializer(serializers.Serializer):
    driver_id = serializers.IntegerField()
    name = serializers.CharField()
    start = ZonedDateTimeField(moment="start", zone=leg_origin_zone)
    end = ZonedDateTimeField(moment="end", zone=leg_destination_zone)
    driving_minutes = serializers.IntegerField()
    duty_minutes = serializers.IntegerField()
    leg_indexes = serializers.ListField(child=serializers.IntegerField())


class MissingDriversSerializer(serializers.Serializer):
    vehicle_id = serializers.IntegerField()
    drivers = serializers.IntegerField()


class DriverPlanSerializer(serializers.Serializer):
    """Who drives which leg, read from a ``RoutePlanning`` (its team and its driver plan)."""

    vehicles = NamedSerializer(many=True)
    drivers = NamedSerializer(source="team", many=True)
    assignments = LegDriversSerializer(
        source="drivers.assignments", many=True, help_text=_("Who drives each leg.")
    )
    duties = DutyPeriodSerializer(source="drivers.duties", many=True)
    missing_drivers = serializers.SerializerMethodField()
    flags = FlagSerializer(source="drivers.flags", many=True)

    @extend_schema_field(MissingDriversSerializer(many=True))
    def get_missing_drivers(self, planning) -> list[dict]:
        missing = planning.drivers.missing_drivers
        return [{"vehicle_id": key, "drivers": missing[key]} for key in sorted(missing)]


class RoutePlanSerializer(serializers.Serializer):
    """A ``journey.planning.services.RoutePlanning`` of a route with at least two stops."""

    route_id = serializers.IntegerField(source="route.id")
    route_name = serializers.CharField(source="route.name")
    feasible = serializers.BooleanField(
        source="order.feasible", help_text=_("Whether some order fits the rules.")
    )
    changed = serializers.BooleanField(
        source="order.changed", help_text=_("Whether the proposed order differs.")
    )
    current = OrderSummarySerializer(source="order.current")
    proposed = OrderSummarySerializer(
        source="order.proposed", allow_null=True, help_text=_("Null when no order fits.")
    )
    distance_saved_km = rounded(source="order.distance_saved_km")
    driving_saved_minutes = serializers.IntegerField(source="order.driving_saved_minutes")
    moves = MoveSerializer(source="order.moves", many=True)
    windows = WindowCheckSerializer(
        source="order.windows",
        many=True,
        help_text=_("Of the proposed order (of the current one when none fits)."),
    )
    explanations = FlagSerializer(
        source="order.explanations", many=True, help_text=_("Why no order fits.")
    )
    solve_seconds = serializers.FloatField(source="order.solve_seconds")
    schedule_of = serializers.SerializerMethodField(
        help_text=_("The order the schedule and drivers are for.")
    )
    schedule = ScheduleSerializer()
    drivers = DriverPlanSerializer(source="*")

    @extend_schema_field(serializers.ChoiceField(choices=["proposed", "current"]))
    def get_schedule_of(self, planning) -> str:
        return "proposed" if planning.order.proposed is not None else "current"

    def to_representation(self, instance):
        self.context["legs"] = instance.schedule.legs
        return super().to_representation(instance)


class PlanQuerySerializer(serializers.Serializer):
    time_limit = serializers.IntegerField(required=False)

    def validate_time_limit(self, value: int) -> int:
        return min(max(value, MIN_TIME_LIMIT), MAX_TIME_LIMIT)


class AcceptPlanSerializer(serializers.Serializer):
    stops = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_PK),
        max_length=5000,
        help_text=_(
            "The proposed order (proposed.stops of the plan): every stop of the route that "
            "is not cancelled, each once."
        ),
    )
    current = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_PK),
        max_length=5000,
        required=False,
        help_text=_(
            "The order the plan was made from (current.stops of the plan). When given, "
            "the order is applied only if the route still has it."
        ),
    )
