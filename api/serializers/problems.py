"""Schedule problems (journey.checks), read only."""

from __future__ import annotations

from rest_framework import serializers


class ProblemSerializer(serializers.Serializer):
    """A place where the plan breaks (journey.checks.Problem)."""

    kind = serializers.CharField()
    severity = serializers.CharField()
    message = serializers.CharField()
    stop_id = serializers.IntegerField(allow_null=True)
    leg_id = serializers.IntegerField(allow_null=True)
    night = serializers.DateField(allow_null=True)
    vehicle_id = serializers.IntegerField(allow_null=True)
    lodging_id = serializers.IntegerField(allow_null=True)
    activity_id = serializers.IntegerField(allow_null=True)
    participant_ids = serializers.ListField(child=serializers.IntegerField())
