"""The API's views. Everything about one journey lives under /api/journeys/<slug>/.

Each journey-scoped view lists the roles that may read it (``read_roles``) and write it
(``write_roles``, or ``action_roles`` for one action); ``JourneyRolePermission`` enforces
them and the schema describes them from the same sets. Querysets hold only what the
visitor may see, so any other id answers 404.
"""

from __future__ import annotations

import re
from functools import cached_property

from django.contrib.auth import authenticate
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from api import filters
from api.itinerary_serializers import HostDaySheetSerializer, ItinerarySerializer
from api.permissions import (
    COORDINATORS,
    EVERYONE,
    MEMBERS,
    NOBODY,
    JourneyRolePermission,
    deny,
    method_is_served,
    roles_text,
)
from api.planning_serializers import (
    MAX_TIME_LIMIT,
    MIN_TIME_LIMIT,
    AcceptPlanSerializer,
    PlanQuerySerializer,
    RoutePlanSerializer,
)
from api.schema import CaravanaAutoSchema
from api.serializers import (
    ActivitySerializer,
    BedAssignmentSerializer,
    HostAllySerializer,
    HostApplicationSerializer,
    JourneySerializer,
    LegSerializer,
    LodgingSerializer,
    ParticipantSerializer,
    ProblemSerializer,
    RouteOrderSerializer,
    RouteSerializer,
    SeatAssignmentSerializer,
    StopSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    VehicleSerializer,
)
from caravana import throttle
from caravana.params import parse_id
from journey.access import (
    Access,
    Role,
    accesses_for_user,
    can_create_journey,
    public_access,
    request_access,
    visible_journeys,
)
from journey.checks import find_problems
from journey.exporters import ExportError, ExportRequest, exporters
from journey.exporters.serve import ExportTarget, serve_export
from journey.itinerary import Audience, build_itinerary, host_day_sheet
from journey.models import Journey, Leg, Route, RouteStop
from journey.plan import load_plan
from journey.planning.order import DEFAULT_TIME_LIMIT
from journey.planning.services import (
    StaleProposal,
    accept_order,
    load_problem,
    plan_route,
    submitted_proposal,
)
from journey.problems import Kind, Severity
from journey.services import set_route_order
from participants.models import BedAssignment, Participant, SeatAssignment, Vehicle
from participants.services import free_bed, free_seat
from stops.models import Activity, HostAlly, Lodging, Stop

PARTICIPANTS = frozenset({Role.COORDINATOR, Role.PARTICIPANT})
TOO_SHORT = _("A route needs at least two stops to plan.")
WRITES = ("POST", "PUT", "PATCH")


# --- Shared machinery ---------------------------------------------------------------------


class AnonymousPostThrottle(AnonRateThrottle):
    """Anonymous POSTs (host applications, token requests) per client address.

    The rate is REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anonymous_post"] when set.
    """

    scope = "anonymous_post"
    default_rate = "20/hour"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or self.default_rate

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)


class CaravanaApiMixin:
    """Token first, so that a request without credentials is told to authenticate (401)."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    schema = CaravanaAutoSchema()
    query_actions: tuple[str, ...] = ()  # actions that validate query parameters (400)

    def permission_description(self, method: str, action: str | None) -> str:
        return ""

    def error_statuses(self, method: str, action: str | None) -> list[str]:
        statuses = ["401", "403", "404"]
        filtered = action == "list" and getattr(self, "filterset_class", None) is not None
        if method in WRITES or filtered or action in self.query_actions:
            statuses.append("400")
        throttled = any(issubclass(t, AnonymousPostThrottle) for t in self.throttle_classes)
        if throttled and method == "POST":
            statuses.append("429")
        return statuses


class JourneyScopedViewSet(CaravanaApiMixin, viewsets.GenericViewSet):
    """A resource of one journey, named by the URL's ``journey_slug``."""

    permission_classes = [JourneyRolePermission]
    journey_kwarg = "journey_slug"
    read_roles: frozenset = COORDINATORS
    write_roles: frozenset = COORDINATORS
    action_roles: dict[str, frozenset] = {}

    # --- the journey and the visitor's place in it --------------------------------------------
    @cached_property
    def journey(self) -> Journey:
        journey = Journey.objects.filter(slug=self.kwargs.get(self.journey_kwarg)).first()
        if journey is None:
            raise exceptions.NotFound()
        return journey

    @cached_property
    def access(self) -> Access:
        access = request_access(self.request, self.journey)
        if not access.can("journey.view"):
            raise exceptions.NotFound()
        return access

    def is_fake(self) -> bool:
        return getattr(self, "swagger_fake_view", False)

    def get_object(self):
        try:
            return super().get_object()
        except Http404:  # the same answer for a row that is hidden and one that is not there
            raise exceptions.NotFound() from None

    def roles_for(self, request, *, safe: bool) -> frozenset:
        if safe != (request.method in SAFE_METHODS):
            return self.read_roles
        default = self.read_roles if safe else self.write_roles
        return self.action_roles.get(self.action, default)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not self.is_fake():
            context.update(journey=self.journey, access=self.access)
        return context

    # --- the schema's words about permissions --------------------------------------------------
    def permission_description(self, method: str, action: str | None) -> str:
        default = self.read_roles if method in SAFE_METHODS else self.write_roles
        return roles_text(self.action_roles.get(action, default)) + "."


def visible_stop_filter(access: Access, path: str = "pk") -> Q:
    """The stops a viewer who is not on the team sees (``stop.view``): those shown
    publicly, and those they host. ``path`` leads from the rows filtered to their stop."""
    public = Stop.objects.shown_publicly().values("pk")
    return Q(**{f"{path}__in": public}) | Q(**{f"{path}__in": access.hosted_stop_ids})


class ModelResourceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    JourneyScopedViewSet,
):
    lookup_value_regex = r"\d+"


# --- Journeys -----------------------------------------------------------------------------


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


def _query_id(request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        return parse_id(value)
    except ValueError:
        pass
    if re.fullmatch(r"[+-]?[0-9]+", value.strip()):  # a whole number, but no row has it
        raise exceptions.NotFound()
    raise exceptions.ValidationError({name: [_("A whole number is required.")]})


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


# --- Routes -------------------------------------------------------------------------------


class RouteViewSet(ModelResourceViewSet):
    """The journey's routes; ``stops`` lists the stops you may see, in route order."""

    schema_tag = "routes"

    serializer_class = RouteSerializer
    read_roles = EVERYONE
    ordering_fields = ("id", "name")
    ordering = ("id",)
    # The planner's proposal and its acceptance answer like the other coordinator-only
    # endpoints (problems), whatever the method: 404 to those who may not know it exists,
    # 403 to the journey's other members, 401 to anonymous visitors.
    action_roles = {"plan": COORDINATORS, "accept_plan": COORDINATORS}
    query_actions = ("plan",)

    def get_queryset(self):
        if self.is_fake():
            return Route.objects.none()
        stops = RouteStop.objects.select_related("stop").order_by("position")
        return Route.objects.filter(journey=self.journey).prefetch_related(
            Prefetch("route_stops", queryset=stops)
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not self.is_fake() and not self.access.is_team:
            context["visible_stop"] = lambda stop: self.access.can("stop.view", stop)
        return context

    @extend_schema(
        summary=_("Reorder a route's stops"),
        request=RouteOrderSerializer,
        responses=RouteSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def order(self, request, journey_slug=None, pk=None):
        """Put the route's stops in a new order (every stop of the route, each once);
        the legs are recomputed."""
        route = self.get_object()
        body = RouteOrderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            set_route_order(route=route, stop_ids=body.validated_data["stops"])
        except ValueError:
            raise exceptions.ValidationError(
                {"stops": [_("List every stop of the route exactly once.")]}
            ) from None
        route = self.get_queryset().get(pk=route.pk)
        return Response(self.get_serializer(route).data)

    # --- the route planner (journey.planning), for coordinators only -----------------------
    def roles_for(self, request, *, safe: bool) -> frozenset:
        if self.action in self.action_roles:
            return self.action_roles[self.action]
        return super().roles_for(request, safe=safe)

    @extend_schema(
        summary=_("Propose the route's best order, schedule and drivers"),
        parameters=[
            OpenApiParameter(
                "time_limit",
                {
                    "type": "integer",
                    "minimum": MIN_TIME_LIMIT,
                    "maximum": MAX_TIME_LIMIT,
                    "default": int(DEFAULT_TIME_LIMIT),
                },
                description=format_lazy(
                    _(
                        "Seconds the solver searches, from {minimum} to {maximum} (it always "
                        "searches that long); values outside are brought into that range."
                    ),
                    minimum=MIN_TIME_LIMIT,
                    maximum=MAX_TIME_LIMIT,
                ),
            )
        ],
        responses=RoutePlanSerializer,
    )
    @action(detail=True, methods=["get"], url_path="plan", filter_backends=[])
    def plan(self, request, journey_slug=None, pk=None):
        """The order of the route's stops that minimizes driving within the day limits and
        windows, next to the current order, with the daily schedule and who drives each leg
        (journey.planning). Nothing changes: accept the order with plan/accept/. Times are
        in each stop's zone; distances in km. When no order fits, ``proposed`` is null and
        ``explanations`` say why; the schedule is then the current order's."""
        route = self.get_object()
        query = PlanQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        time_limit = query.validated_data.get("time_limit", DEFAULT_TIME_LIMIT)
        planning = plan_route(journey=self.journey, route=route, time_limit=time_limit)
        if planning.order is None:
            raise exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [TOO_SHORT]})
        return Response(RoutePlanSerializer(planning).data)

    @extend_schema(
        summary=_("Apply a proposed order to the route"),
        request=AcceptPlanSerializer,
        responses=RouteSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="plan/accept",
        url_name="plan-accept",
        filter_backends=[],
    )
    def accept_plan(self, request, journey_slug=None, pk=None):
        """Put the route's stops in a proposed order (``proposed.stops`` of the plan); the
        legs are recomputed, stop times stay. Refused (400, nothing changes) when the route's
        stops changed since the plan was made."""
        route = self.get_object()
        body = AcceptPlanSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        problem = load_problem(journey=self.journey, route=route)
        if len(problem.stops) < 2:
            raise exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [TOO_SHORT]})
        stale = _("The route changed since this proposal was made: plan it again.")
        current = tuple(body.validated_data.get("current", problem.stop_ids))
        if current != problem.stop_ids:
            raise exceptions.ValidationError({"current": [stale]})
        stops = tuple(body.validated_data["stops"])
        if sorted(stops) != sorted(current):
            raise exceptions.ValidationError(
                {
                    "stops": [
                        _(
                            "List every stop of the route that is not cancelled, each once. "
                            "If the route changed, plan it again."
                        )
                    ]
                }
            )
        try:
            accept_order(route=route, proposal=submitted_proposal(problem, stops))
        except StaleProposal as error:
            raise exceptions.ValidationError({"current": [str(error)]}) from None
        route = self.get_queryset().get(pk=route.pk)
        return Response(self.get_serializer(route).data)


# --- Stops, activities and legs -----------------------------------------------------------


class StopViewSet(ModelResourceViewSet):
    """Stops. Coordinators see every stop with its parking address and private notes;
    everyone else sees the public, not cancelled stops (hosts also the stop they serve)."""

    schema_tag = "stops"

    serializer_class = StopSerializer
    filterset_class = filters.StopFilter
    read_roles = EVERYONE
    action_roles = {"host_sheet": frozenset({Role.COORDINATOR, Role.HOST})}
    ordering_fields = ("arrival", "departure", "city", "id")
    ordering = ("arrival", "id")

    def get_queryset(self):
        if self.is_fake():
            return Stop.objects.none()
        queryset = Stop.objects.filter(journey=self.journey).prefetch_related("route_stops")
        if not self.access.is_team:
            queryset = queryset.filter(visible_stop_filter(self.access))
        return queryset

    @extend_schema(
        summary=_("The host's day sheet of a stop"),
        responses=HostDaySheetSerializer,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="host-sheet",
        filter_backends=[],
        pagination_class=None,
    )
    def host_sheet(self, request, journey_slug=None, pk=None):
        """Dates, drives, activities, lodgings and per night a head count with counts of
        dietary and accessibility needs. No names or phones of participants."""
        stop = self.get_object()
        if not self.access.can("stop.view_host_sheet", stop):
            deny(self.access, may_read=True)
        sheet = host_day_sheet(load_plan(self.journey), stop.pk)
        return Response(HostDaySheetSerializer(sheet).data)


class ActivityViewSet(ModelResourceViewSet):
    """Activities at the stops. Others than coordinators see the public ones at public
    stops (hosts also those at the stop they serve), without private notes."""

    schema_tag = "activities"

    serializer_class = ActivitySerializer
    filterset_class = filters.ActivityFilter
    read_roles = EVERYONE
    ordering_fields = ("starts_at", "id")
    ordering = ("starts_at", "id")

    def get_queryset(self):
        if self.is_fake():
            return Activity.objects.none()
        queryset = Activity.objects.filter(stop__journey=self.journey).select_related("stop")
        if not self.access.is_team:
            shown = visible_stop_filter(self.access, "stop")
            queryset = queryset.filter(
                shown, Q(is_public=True) | Q(stop_id__in=self.access.hosted_stop_ids)
            )
        return queryset


class LegViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, JourneyScopedViewSet):
    """The drives between consecutive stops, computed from the route (read only).
    Others than coordinators see the legs between two public stops, without overrides,
    checkpoints or the legal contact."""

    schema_tag = "legs"

    serializer_class = LegSerializer
    filterset_class = filters.LegFilter
    read_roles = EVERYONE
    write_roles = NOBODY
    lookup_value_regex = r"\d+"
    ordering_fields = ("route", "position", "id")
    ordering = ("route", "position")

    def get_queryset(self):
        if self.is_fake():
            return Leg.objects.none()
        queryset = Leg.objects.filter(route__journey=self.journey)
        if not self.access.is_team:
            shown = Stop.objects.shown_publicly().filter(journey=self.journey).values("pk")
            queryset = queryset.filter(origin__in=shown, destination__in=shown)
        return queryset


# --- Lodging, vehicles, participants and assignments --------------------------------------


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


# --- Host allies --------------------------------------------------------------------------


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


# --- Schedule problems --------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("Where the plan breaks"),
        parameters=[
            OpenApiParameter("severity", str, enum=list(Severity.values)),
            OpenApiParameter("kind", str, enum=list(Kind.values)),
        ],
    )
)
class ProblemViewSet(mixins.ListModelMixin, JourneyScopedViewSet):
    """Schedule problems found by journey.checks: nights without lodging, vehicles over
    capacity, drivers over their hours, and more. Read only."""

    schema_tag = "problems"

    serializer_class = ProblemSerializer
    filter_backends = []
    query_actions = ("list",)

    def list(self, request, journey_slug=None):
        problems = find_problems(self.journey)
        for name, choices in (("severity", Severity.values), ("kind", Kind.values)):
            wanted = request.query_params.get(name)
            if wanted:
                if wanted not in choices:
                    raise exceptions.ValidationError({name: [_("Not a known value.")]})
                problems = [p for p in problems if getattr(p, name) == wanted]
        page = self.paginate_queryset(problems)
        return self.get_paginated_response(ProblemSerializer(page, many=True).data)


# --- Exports ------------------------------------------------------------------------------


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


class AnyAcceptNegotiation(DefaultContentNegotiation):
    """A file export answers in its own format whatever the Accept header says."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except exceptions.NotAcceptable:
            return renderers[0], renderers[0].media_type


def exporter_classes() -> dict[str, type]:
    return {cls.identifier(): cls for cls in exporters()}


def export_parameters() -> list[OpenApiParameter]:
    return [
        OpenApiParameter(
            "audience",
            str,
            enum=[a.value for a in Audience],
            description=_(
                "public (anyone), team (coordinators), personal (a participant: yourself, or "
                "any participant for coordinators), host (a stop: hosts of that stop and "
                "coordinators). Default: the fullest you may see."
            ),
        ),
        OpenApiParameter("stop", int, description=_("Limit to one stop (host: required).")),
        OpenApiParameter("participant", int, description=_("Personal exports: whose.")),
        OpenApiParameter("language", str, description=_("en or es (default: yours).")),
    ]


class ExportViewSet(JourneyScopedViewSet):
    """Files from the export registry (journey.exporters): calendars, lists, booklets.
    A new format registered there appears here without further code."""

    schema_tag = "exports"

    read_roles = EVERYONE
    lookup_field = "identifier"
    lookup_value_regex = r"[-a-z0-9_]+"
    filter_backends = []
    pagination_class = None
    content_negotiation_class = AnyAcceptNegotiation
    serializer_class = ExportInfoSerializer
    query_actions = ("retrieve",)

    @extend_schema(summary=_("Exports you may download"))
    def list(self, request, journey_slug=None):
        allowed = self.access.audiences
        rows = []
        for identifier, cls in exporter_classes().items():
            audiences = sorted(a.value for a in cls.audiences & allowed)
            if not audiences:
                continue
            rows.append(
                {
                    "identifier": identifier,
                    "format": cls.format,
                    "document": cls.document,
                    "content_type": cls.content_type,
                    "extension": cls.extension,
                    "audiences": audiences,
                    "uses_stop": cls.uses_stop,
                    "needs_stop": cls.needs_stop,
                    "url": request.build_absolute_uri(f"{request.path}{identifier}/"),
                }
            )
        return Response(ExportInfoSerializer(rows, many=True).data)

    @extend_schema(
        summary=_("Download an export"),
        parameters=[
            OpenApiParameter(
                "identifier",
                str,
                OpenApiParameter.PATH,
                enum=sorted(exporter_classes()),
                description=_("format-document, as listed by the exports list."),
            ),
            *export_parameters(),
        ],
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
        },
    )
    def retrieve(self, request, journey_slug=None, identifier=None):
        cls = exporter_classes().get(identifier)
        if cls is None:
            raise exceptions.NotFound()
        access = self.access
        plan = load_plan(self.journey)
        audience, participant, stop = self.export_target(request, access, plan, cls)
        language = request.query_params.get("language") or (
            participant.language if participant is not None else request.LANGUAGE_CODE
        )
        target = ExportTarget(
            cls(),
            ExportRequest(audience, participant=participant, stop=stop),
            language,
            f"{self.journey.slug}-{cls.document}",
        )
        try:
            return serve_export(request._request, access, target)
        except ExportError as error:
            raise exceptions.ValidationError({"detail": [str(error)]}) from None

    def export_target(self, request, access, plan, exporter_class):
        wanted = request.query_params.get("audience") or ""
        valid = [a.value for a in Audience]
        if wanted and wanted not in valid:
            raise exceptions.ValidationError({"audience": [_("Not a known audience.")]})
        stop_id = _query_id(request, "stop")
        stop = None
        if stop_id is not None:
            stop = plan.stops_by_id.get(stop_id)
            if stop is None or not access.can("stop.view", stop):
                raise exceptions.NotFound()
        if not wanted:  # the fullest view this export offers and the visitor may have
            usable = exporter_class.audiences & access.audiences
            if not usable:
                deny(access, may_read=True)
            preferred = (Audience.TEAM, Audience.PERSONAL, Audience.HOST, Audience.PUBLIC)
            wanted = next(a for a in preferred if a in usable)
        audience = Audience(wanted)
        participant = None
        if audience == Audience.TEAM and not access.is_team:
            deny(access, may_read=True)
        if audience == Audience.HOST:
            if stop is None:
                raise exceptions.ValidationError({"stop": [_("A host export needs a stop.")]})
            if not access.can("stop.view_host_sheet", stop):
                deny(access, may_read=True)
        if audience == Audience.PERSONAL:
            participant = personal_participant(access, plan, _query_id(request, "participant"))
        return audience, participant, stop


# --- The signed-in user -------------------------------------------------------------------


class MembershipSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()
    participant_ids = serializers.ListField(child=serializers.IntegerField())
    hosted_stop_ids = serializers.ListField(child=serializers.IntegerField())


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    journeys = MembershipSerializer(many=True)


class IsSignedIn(BasePermission):
    def has_permission(self, request, view):
        if not method_is_served(request, view):
            return True  # 405 follows
        if request.user and request.user.is_authenticated:
            return True
        raise exceptions.NotAuthenticated()


class SignedInView(CaravanaApiMixin, APIView):
    """A view about the signed-in user."""

    schema_tag = "me"
    permission_classes = [IsSignedIn]
    extra_errors: tuple[str, ...] = ()

    def permission_description(self, method, action):
        return str(_("any signed-in user (about themselves)."))

    def error_statuses(self, method, action):
        return ["401", "403", *self.extra_errors]


class MeView(SignedInView):
    @extend_schema(summary=_("Who you are, and your journeys"), responses=MeSerializer)
    def get(self, request):
        """The journeys you coordinate, ride or host, with your role in each."""
        user = request.user
        journeys = list(visible_journeys(user))
        accesses = accesses_for_user(user, journeys)
        mine = [j for j in journeys if accesses[j.pk].is_member]
        data = {
            "username": user.get_username(),
            "journeys": [
                {
                    "slug": j.slug,
                    "name": j.name,
                    "role": accesses[j.pk].role.value,
                    "participant_ids": sorted(accesses[j.pk].participant_ids),
                    "hosted_stop_ids": sorted(accesses[j.pk].hosted_stop_ids),
                }
                for j in sorted(mine, key=lambda j: (j.name, j.pk))
            ],
        }
        return Response(MeSerializer(data).data)


class MyItineraryView(SignedInView):
    extra_errors = ("404",)

    @extend_schema(
        summary=_("My itinerary"),
        parameters=[OpenApiParameter("journey", str, description=_("Only this journey (slug)."))],
        responses=ItinerarySerializer(many=True),
    )
    def get(self, request):
        """Your personal itinerary in each journey where you are a participant (segment,
        legs with your vehicle, nights with your bed, activities and coordinators)."""
        records = Participant.objects.filter(user=request.user).select_related("journey")
        slug = request.query_params.get("journey")
        if slug:
            records = records.filter(journey__slug=slug)
        records = list(records.order_by("journey__start_date", "journey_id", "pk"))
        if slug and not records:
            raise exceptions.NotFound()
        plans = {}
        itineraries = []
        for record in records:
            if record.journey_id not in plans:
                plans[record.journey_id] = load_plan(record.journey)
            itineraries.append(
                build_itinerary(
                    plans[record.journey_id], audience=Audience.PERSONAL, participant=record
                )
            )
        return Response(ItinerarySerializer(itineraries, many=True).data)


class TokenView(CaravanaApiMixin, APIView):
    """Your API token: POST to get it (with username and password, or signed in),
    DELETE to revoke it. One token per user; send it as ``Authorization: Token <key>``."""

    schema_tag = "auth"
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousPostThrottle]

    def permission_description(self, method, action):
        if method == "POST":
            return str(_("anyone with a username and password, or a signed-in user."))
        return str(_("the token's owner."))

    def error_statuses(self, method, action):
        if method == "POST":
            return ["400", "401", "403", "429"]
        return ["401", "403"]

    @extend_schema(
        summary=_("Get your token"),
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 201: TokenSerializer},
    )
    def post(self, request):
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        username = body.validated_data.get("username")
        password = body.validated_data.get("password")
        if username is not None or password is not None:
            # Too many failures from this address or for this username: refused unchecked.
            if throttle.login_locked(request._request, username):
                raise exceptions.Throttled(
                    wait=throttle.login_window(), detail=str(throttle.LOGIN_LOCKED)
                )
            user = authenticate(request._request, username=username or "", password=password or "")
            if user is None or not user.is_active:
                raise exceptions.ValidationError(
                    {
                        api_settings.NON_FIELD_ERRORS_KEY: [
                            _("Unable to sign in with these credentials.")
                        ]
                    }
                )
            throttle.forget_failed_logins(user.get_username())
        elif request.user.is_authenticated:
            user = request.user
        else:
            raise exceptions.NotAuthenticated()
        token, created = Token.objects.get_or_create(user=user)
        return Response(
            TokenSerializer({"token": token.key, "created": token.created}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(summary=_("Revoke your token"), request=None, responses={204: None})
    def delete(self, request):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
