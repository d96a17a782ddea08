"""Who may call what, per journey: one role per visitor, asked of journey.rules.

Every journey-scoped view declares which roles may read it and which may write it
(``read_roles`` / ``write_roles``); ``JourneyRolePermission`` answers from those sets.
Anything a visitor may not know exists answers 404: a journey they cannot see, and
the non-public parts of a journey they have no part in. Members who may not use an
endpoint get 403; anonymous visitors get 401 (they may sign in).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from journey import rules
from journey.models import Journey
from participants.models import Participant


class ViewerRole(enum.StrEnum):
    """A visitor's place in one journey (the strongest that applies)."""

    COORDINATOR = "coordinator"  # listed among the journey's coordinators (or a superuser)
    PARTICIPANT = "participant"  # has a participant record: rider, driver, medic, press...
    HOST = "host"  # speaks for an approved host ally (same email as the login)
    OUTSIDER = "outsider"  # signed in, no part in this journey
    ANONYMOUS = "anonymous"


ROLE_LABELS = {
    ViewerRole.COORDINATOR: _("coordinators of the journey"),
    ViewerRole.PARTICIPANT: _("its participants (riders, drivers and others)"),
    ViewerRole.HOST: _("its approved host allies"),
    ViewerRole.OUTSIDER: _("other signed-in users (published journeys only)"),
    ViewerRole.ANONYMOUS: _("anonymous visitors (published journeys only)"),
}

EVERYONE = frozenset(ViewerRole)
MEMBERS = frozenset({ViewerRole.COORDINATOR, ViewerRole.PARTICIPANT, ViewerRole.HOST})
COORDINATORS = frozenset({ViewerRole.COORDINATOR})
NOBODY: frozenset[ViewerRole] = frozenset()


@dataclass
class JourneyAccess:
    """What one visitor may do in one journey, read once per request (three queries)."""

    journey: Journey
    user: object
    is_coordinator: bool
    participants: list[Participant] = field(default_factory=list)
    hosts: list = field(default_factory=list)

    @classmethod
    def of(cls, user, journey: Journey) -> JourneyAccess:
        return cls(
            journey=journey,
            user=user,
            is_coordinator=rules.is_coordinator(user, journey),
            participants=rules.participant_records(user, journey),
            hosts=rules.host_records(user, journey),
        )

    @cached_property
    def role(self) -> ViewerRole:
        if self.is_coordinator:
            return ViewerRole.COORDINATOR
        if self.participants:
            return ViewerRole.PARTICIPANT
        if self.hosts:
            return ViewerRole.HOST
        if self.user is not None and self.user.is_authenticated:
            return ViewerRole.OUTSIDER
        return ViewerRole.ANONYMOUS

    @property
    def is_team(self) -> bool:
        """Sees everything about the journey."""
        return self.is_coordinator

    @property
    def can_view(self) -> bool:
        return rules.can_view_public(self.journey) or self.role in MEMBERS

    @cached_property
    def participant_ids(self) -> set[int]:
        return {p.pk for p in self.participants}

    @cached_property
    def hosted_stop_ids(self) -> set[int]:
        return {host.stop_id for host in self.hosts if host.stop_id}


def deny(access: JourneyAccess, *, may_read: bool):
    """Raise the right refusal: 401 to sign in, 404 to hide, 403 to forbid."""
    if access.role == ViewerRole.ANONYMOUS:
        raise exceptions.NotAuthenticated()
    if access.role == ViewerRole.OUTSIDER and not may_read:
        raise exceptions.NotFound()
    raise exceptions.PermissionDenied()


def method_is_served(request, view) -> bool:
    """False when the view has no handler for the method (DRF answers 405 later)."""
    if hasattr(view, "action_map"):
        return request.method.lower() in view.action_map or request.method == "OPTIONS"
    return hasattr(view, request.method.lower())


class JourneyRolePermission(BasePermission):
    """Allow the roles the view lists for reading (safe methods) or writing."""

    def has_permission(self, request, view) -> bool:
        if view.journey_kwarg not in view.kwargs:  # a collection of journeys
            return not method_is_served(request, view) or view.has_collection_permission(request)
        access = view.access  # a journey the visitor cannot see answers 404 here
        if not method_is_served(request, view):
            return True
        may_read = access.role in view.roles_for(request, safe=True)
        allowed = view.roles_for(request, safe=request.method in SAFE_METHODS)
        if access.role in allowed:
            return True
        deny(access, may_read=may_read)
        return False


def roles_text(roles) -> str:
    """A sentence part naming the roles, for the API's descriptions."""
    if not roles:
        return str(_("nobody"))
    if set(roles) == set(EVERYONE):
        return str(_("everyone who can see the journey"))
    return "; ".join(str(ROLE_LABELS[role]) for role in ViewerRole if role in roles)
