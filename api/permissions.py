"""Who may call what, per journey: the visitor's ``journey.access.Role``.

Every journey-scoped view declares which roles may read it and which may write it
(``read_roles`` / ``write_roles``); ``JourneyRolePermission`` answers from those sets.
Anything a visitor may not know exists answers 404: a journey they cannot see, and
the non-public parts of a journey they have no part in. Members who may not use an
endpoint get 403; anonymous visitors get 401 (they may sign in).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from journey.access import MEMBERS, ROLE_LABELS, Access, Role

__all__ = ["COORDINATORS", "EVERYONE", "MEMBERS", "NOBODY", "JourneyRolePermission", "deny"]


EVERYONE = frozenset(Role)
COORDINATORS = frozenset({Role.COORDINATOR})
NOBODY: frozenset[Role] = frozenset()


def deny(access: Access, *, may_read: bool):
    """Raise the right refusal: 401 to sign in, 404 to hide, 403 to forbid."""
    if access.role == Role.ANONYMOUS:
        raise exceptions.NotAuthenticated()
    if access.role == Role.OUTSIDER and not may_read:
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
    return "; ".join(str(ROLE_LABELS[role]) for role in Role if role in roles)
