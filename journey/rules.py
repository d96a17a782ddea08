"""Who may see what: plain predicates asked by views, exports and (later) the API.

Each answers one question and never raises; callers turn a "no" into a 404.
"""

from __future__ import annotations

from django.utils.crypto import constant_time_compare

from journey.models import Journey
from participants.models import Participant


def is_coordinator(user, journey: Journey) -> bool:
    """A superuser, or a user listed among the journey's coordinators."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return journey.coordinators.filter(pk=user.pk).exists()


def can_view_team(user, journey: Journey) -> bool:
    """The team view (everything, with names, lodging and private notes)."""
    return is_coordinator(user, journey)


def can_view_public(journey: Journey) -> bool:
    """The public view exists only once the journey is published."""
    return bool(journey.is_published)


def team_token_matches(journey: Journey, token: str | None) -> bool:
    """True when ``token`` opens the journey's team feed (compared in constant time).

    A journey whose team token was revoked (set to NULL) matches nothing.
    """
    if not token or not journey.team_feed_token:
        return False
    return constant_time_compare(journey.team_feed_token, token)


def participant_for_token(token: str | None) -> Participant | None:
    """The participant whose secret link holds ``token``, or None.

    The lookup goes through the token's unique index, so its time does not
    depend on how much of the token is right. Empty or missing tokens match
    nobody (a revoked link has its token set to NULL).
    """
    if not token or not isinstance(token, str) or len(token) > 64:
        return None
    return Participant.objects.select_related("journey").filter(secret_token=token).first()
