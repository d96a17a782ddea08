"""The signed-in user and their journeys, and the API token."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class MembershipSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()
    participant_ids = serializers.ListField(child=serializers.IntegerField())
    hosted_stop_ids = serializers.ListField(child=serializers.IntegerField())


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    journeys = MembershipSerializer(many=True)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(required=False, max_length=150, trim_whitespace=False)
    password = serializers.CharField(
        required=False, max_length=4096, trim_whitespace=False, style={"input_type": "password"}
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text=_("Send it as the header: Authorization: Token <token>")
    )
    created = serializers.DateTimeField()
