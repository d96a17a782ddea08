"""Host allies, and the application anyone may send to become one."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, mixins

from api import filters
from api.permissions import EVERYONE, NOBODY
from api.serializers.hosts import HostAllySerializer, HostApplicationSerializer
from api.views.base import AnonymousPostThrottle, JourneyScopedViewSet, ModelResourceViewSet
from journey.access import Role, public_access
from stops.models import HostAlly


class HostAllyViewSet(ModelResourceViewSet):
    """Host allies and their offers. Coordinators decide on applications by changing
    ``status``. A host sees their own record."""

    schema_tag = "hosts"

    serializer_class = HostAllySerializer
    filterset_class = filters.HostAllyFilter
    read_roles = frozenset({Role.COORDINATOR, Role.HOST})
    ordering_fields = ("created_at", "organization", "id")
    ordering = ("created_at", "id")

    def get_queryset(self):
        if self.is_fake():
            return HostAlly.objects.none()
        queryset = HostAlly.objects.filter(journey=self.journey)
        if not self.access.is_team:
            queryset = queryset.filter(pk__in=self.access.host_ids)
        return queryset


class HostApplicationViewSet(mixins.CreateModelMixin, JourneyScopedViewSet):
    """Offer to host the caravan: beds, meals, a venue or transport. Anyone may apply
    once the journey is published; a coordinator approves or declines."""

    schema_tag = "hosts"

    serializer_class = HostApplicationSerializer
    read_roles = NOBODY
    action_roles = {"create": EVERYONE}
    throttle_classes = [AnonymousPostThrottle]

    def perform_create(self, serializer):
        if not public_access(self.journey).can("journey.apply_to_host"):
            raise exceptions.PermissionDenied(_("Applications open once the journey is published."))
        serializer.save()
