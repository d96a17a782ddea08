"""What every API view shares: authentication, the journey from the URL and the visitor's
access to it, the schema's words about permissions, the anonymous POST throttle, and the
small query helpers (``visible_stop_filter``, ``_query_id``)."""

from __future__ import annotations

import re
from functools import cached_property

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, mixins, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from api.permissions import COORDINATORS, JourneyRolePermission, roles_text
from api.schema import CaravanaAutoSchema
from caravana.params import parse_id
from journey.access import Access, request_access
from journey.models import Journey
from stops.models import Stop

WRITES = ("POST", "PUT", "PATCH")


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
