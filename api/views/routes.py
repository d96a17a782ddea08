"""Routes: their stops in order, reordering, and the route planner's proposal."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from api.permissions import COORDINATORS, EVERYONE
from api.serializers.planning import (
    MAX_TIME_LIMIT,
    MIN_TIME_LIMIT,
    AcceptPlanSerializer,
    PlanQuerySerializer,
    RoutePlanSerializer,
)
from api.serializers.routes import RouteOrderSerializer, RouteSerializer
from api.views.base import ModelResourceViewSet
from journey.models import Route, RouteStop
from journey.planning.order import DEFAULT_TIME_LIMIT
from journey.planning.services import (
    StaleProposal,
    accept_order,
    load_problem,
    plan_route,
    submitted_proposal,
)
from journey.services import set_route_order

TOO_SHORT = _("A route needs at least two stops to plan.")


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
