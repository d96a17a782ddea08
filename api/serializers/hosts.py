"""Host allies, and the application anyone may send to become one."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers.base import JourneyRelatedField, JourneyScopedSerializer, _field_errors
from stops.applications import HONEYPOT_FIELD, HOST_APPLICATION_FIELDS, validate_host_application
from stops.models import HostAlly, HostStatus, Stop
from stops.services import (
    apply_to_host,
    approve_host,
    decline_host,
    reopen_host,
    site_base_url,
)


class HostAllySerializer(JourneyScopedSerializer):
    """A coordinator decides on an application by changing ``status``: the decision is made by
    ``stops.services`` (stamped, and the host emailed), as on the page and in the admin."""

    stop = JourneyRelatedField(queryset=Stop.objects.all(), required=False, allow_null=True)
    status_before = None
    decision = None

    class Meta:
        model = HostAlly
        fields = (
            "id",
            "stop",
            *HOST_APPLICATION_FIELDS,
            "status",
            "created_at",
            "decided_at",
        )
        read_only_fields = ("created_at", "decided_at")

    def validate(self, attrs):
        self.status_before = self.instance.status if self.instance is not None else None
        return super().validate(attrs)

    def prepare(self, host, attrs):
        super().prepare(host, attrs)
        before = self.status_before or HostStatus.PENDING
        self.decision = None
        if "status" in attrs and attrs["status"] != before:
            self.decision = attrs["status"]
            host.status = before  # the service below makes the decision

    def after_save(self, host, validated_data, *, created):
        if self.decision == HostStatus.APPROVED:
            request = self.context.get("request")
            decided, _lodging = approve_host(host=host, base_url=site_base_url(request))
        elif self.decision == HostStatus.DECLINED:
            decided = decline_host(host=host)
        elif self.decision == HostStatus.PENDING:
            decided = reopen_host(host=host)
        else:
            return
        host.status, host.decided_at = decided.status, decided.decided_at


class HostApplicationSerializer(JourneyScopedSerializer):
    """What anyone may send to offer help; a coordinator decides later. Checked as the web form
    checks it (``stops.applications``) and saved by the same service, which sends the same
    emails."""

    website = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_("Leave this empty (it catches robots)."),
    )
    extra_fields = (HONEYPOT_FIELD,)

    class Meta:
        model = HostAlly
        fields = ("id", *HOST_APPLICATION_FIELDS, "status", HONEYPOT_FIELD)
        read_only_fields = ("status",)
        extra_kwargs = {"email": {"required": True, "allow_blank": False}}

    def validate(self, attrs):
        try:
            attrs = validate_host_application(attrs)
        except DjangoValidationError as error:
            raise serializers.ValidationError(_field_errors(error)) from None
        return super().validate(attrs)

    def prepare(self, host, attrs):
        super().prepare(host, attrs)
        host.status = HostStatus.PENDING

    def create(self, validated_data):
        request = self.context["request"]
        try:
            return apply_to_host(
                journey=self.journey,
                data=validated_data,
                language=get_language(),
                base_url=settings.SITE_URL.rstrip("/") or request.build_absolute_uri("/")[:-1],
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(_field_errors(error)) from None
