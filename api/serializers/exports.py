"""The list of exports a visitor may download (the files themselves are not serialized)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ExportInfoSerializer(serializers.Serializer):
    identifier = serializers.CharField()
    format = serializers.CharField()
    document = serializers.CharField()
    content_type = serializers.CharField()
    extension = serializers.CharField()
    audiences = serializers.ListField(
        child=serializers.CharField(), help_text=_("The audiences you may ask this export for.")
    )
    uses_stop = serializers.BooleanField()
    needs_stop = serializers.BooleanField()
    url = serializers.CharField()
