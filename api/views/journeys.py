"""Journeys, and one journey's itinerary as an audience sees it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from api.permissions import EVERYONE, deny
from api.serializers.itinerary import ItinerarySerializer
from api.serializers.journeys import JourneySerializer
from api.views.base import ModelResourceViewSet, _query_id
from journey.access import (
    Access,
    Role,
    accesses_for_user,
    can_create_journey,
    visible_journeys,
)
from journey.itinerary import Audience, build_itinerary
from journey.models import Journey
from journey.plan import load_plan


def roles_for_journeys(user, journeys) -> dict[int, str]:
    """The visitor's role in each journey (``journey.access``), in one query."""
    return {pk: access.role.value for pk, access in accesses_for_user(user, journeys).items()}


ITINERARY_PARAMETERS = [
    OpenApiParameter(
        "audience",
        str,
        enum=["public", "team", "personal"],
        description=_(
            "Whose view: public (anyone), team (coordinators), personal (a participant). "
            "Default: the fullest you may see."
        ),
    ),
    OpenApiParameter(
        "participant",
        int,
        description=_(
            "Personal view: whose. Coordinators may name any participant; participants only "
            "themselves (default: your own record)."
        ),
    ),
]


@extend_schema_view(
    list=extend_schema(summary=_("Journeys you may see")),
    create=extend_schema(summary=_("Start a journey")),
    retrieve=extend_schema(summary=_("A journey")),
    update=extend_schema(summary=_("Change a journey")),
    partial_update=extend_schema(summary=_("Change part of a journey")),
    destroy=extend_schema(summary=_("Delete a journey and everything in it")),
)
class JourneyViewSet(ModelResourceViewSet):
    """Journeys. Estimate settings (road factor, speed, breaks, day window, retention)
    are shown to coordinators only."""

    schema_tag = "journeys"

    serializer_class = JourneySerializer
    journey_kwarg = "slug"
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    read_roles = EVERYONE
    action_roles = {"itinerary": EVERYONE}
    ordering_fields = ("start_date", "name")
    ordering = ("-start_date", "name")
    query_actions = ("itinerary",)

    def has_collection_permission(self, request) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if can_create_journey(request.user):
            return True
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        raise exceptions.PermissionDenied(_("Only staff members start journeys."))

    def permission_description(self, method, action):
        if action == "list":
            return str(_("everyone: published journeys, and those you coordinate, ride or host."))
        if action == "create":
            return str(
                _(
                    "staff members. The journey starts with its first route, and you "
                    "become its coordinator."
                )
            )
        return super().permission_description(method, action)

    def get_queryset(self):
        if self.is_fake():
            return Journey.objects.none()
        return visible_journeys(self.request.user).order_by("-start_date", "name")

    def get_object(self):
        self.check_object_permissions(self.request, self.access)
        return self.journey

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        instance = args[0] if args else kwargs.get("instance")
        if instance is not None:
            journeys = instance if isinstance(instance, list | tuple) else [instance]
            serializer.context["roles"] = roles_for_journeys(self.request.user, journeys)
        return serializer

    def get_serializer_context(self):
        context = viewsets.GenericViewSet.get_serializer_context(self)
        if not self.is_fake() and self.kwargs.get(self.journey_kwarg):
            context.update(journey=self.journey, access=self.access)
        return context

    def perform_create(self, serializer):
        journey = serializer.save()
        serializer.context["roles"] = {journey.pk: Role.COORDINATOR.value}

    @extend_schema(
        summary=_("The journey's itinerary"),
        parameters=ITINERARY_PARAMETERS,
        responses=ItinerarySerializer,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def itinerary(self, request, slug=None):
        """The journey day by day, as one audience sees it (privacy applied per audience)."""
        access = self.access
        plan = load_plan(self.journey)
        audience, participant = itinerary_audience(request, access, plan)
        data = build_itinerary(plan, audience=audience, participant=participant)
        return Response(ItinerarySerializer(data).data)


def itinerary_audience(request, access: Access, plan):
    """(audience, participant) for an itinerary request, or the refusal."""
    wanted = request.query_params.get("audience") or ""
    if wanted and wanted not in ("public", "team", "personal"):
        raise exceptions.ValidationError({"audience": [_("Choose public, team or personal.")]})
    participant_id = _query_id(request, "participant")
    if not wanted:
        if access.is_team and participant_id is None:
            wanted = "team"
        elif participant_id is not None or access.participant_ids:
            wanted = "personal"
        else:
            wanted = "public"
    if wanted == "public":
        return Audience.PUBLIC, None
    if wanted == "team":
        if not access.is_team:
            deny(access, may_read=True)
        return Audience.TEAM, None
    return Audience.PERSONAL, personal_participant(access, plan, participant_id)


def personal_participant(access: Access, plan, participant_id: int | None):
    """Whose personal view: yours by default; coordinators may name anyone in the journey."""
    if participant_id is None:
        if not access.is_team and not access.participant_ids:
            deny(access, may_read=True)
        if not access.participant_ids:
            raise exceptions.ValidationError(
                {"participant": [_("Name the participant whose itinerary you want.")]}
            )
        participant_id = access.own_participant_id
    participant = plan.participant(participant_id)
    if participant is None or not access.can("participant.view_itinerary", participant):
        raise exceptions.NotFound()
    return participant
