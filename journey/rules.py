"""Who may see what: plain predicates asked by views, exports and (later) the API.

Each answers one question and never raises; callers turn a "no" into a 404.
"""

from __future__ import annotations

from django.utils.crypto import constant_time_compare

from journey.models import Journey, token_digest
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

    The row is found by the token's SHA-256 digest (unique index), so how long the lookup
    takes says nothing about how much of a guessed token is right; the token itself is then
    compared in constant time. Empty or missing tokens match nobody (a revoked link has its
    token set to NULL).
    """
    if not token or not isinstance(token, str) or len(token) > 64:
        return None
    participant = (
        Participant.objects.select_related("journey")
        .filter(secret_token_digest=token_digest(token))
        .first()
    )
    if participant is None or not constant_time_compare(participant.secret_token or "", token):
        return None
    return participant


# --- Membership: who belongs to a journey, and how --------------------------------------------
# Asked by the API (and any page that needs them). Each reads at most one query.


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def participant_records(user, journey: Journey) -> list[Participant]:
    """The user's own participant records in the journey (usually one), oldest first."""
    if not _signed_in(user):
        return []
    return list(Participant.objects.filter(journey=journey, user=user).order_by("pk"))


def host_allies_of(user):
    """The approved host allies, in any journey, that this login speaks for (a queryset).

    A host ally has no login of its own: a user whose (non-empty) email equals the
    host ally's email, ignoring case, acts for it once a coordinator approved it.
    Logins are created by administrators, who vouch for the email they give.
    """
    from stops.models import HostAlly, HostStatus

    email = (getattr(user, "email", "") or "").strip()
    if not _signed_in(user) or not email:
        return HostAlly.objects.none()
    return HostAlly.objects.filter(status=HostStatus.APPROVED, email__iexact=email)


def host_records(user, journey: Journey) -> list:
    """The approved host allies of the journey that this login speaks for."""
    return list(host_allies_of(user).filter(journey=journey).order_by("pk"))


def is_participant(user, journey: Journey) -> bool:
    """The user travels with (or works on) the journey as a participant."""
    return _signed_in(user) and Participant.objects.filter(journey=journey, user=user).exists()


def is_host(user, journey: Journey) -> bool:
    return bool(host_records(user, journey))


def can_view_journey(user, journey: Journey) -> bool:
    """The journey exists for this visitor: published, or they coordinate, ride or host it."""
    return (
        can_view_public(journey)
        or is_coordinator(user, journey)
        or is_participant(user, journey)
        or is_host(user, journey)
    )


def can_view_host_sheet(user, journey: Journey, stop) -> bool:
    """A stop's host day sheet (counts, no names): its coordinators and the hosts serving it."""
    if stop.journey_id != journey.pk:
        return False
    if is_coordinator(user, journey):
        return True
    return any(host.stop_id == stop.pk for host in host_records(user, journey))


def can_apply_to_host(journey: Journey) -> bool:
    """Anyone may offer to host a published journey."""
    return can_view_public(journey)


def can_create_journey(user) -> bool:
    """Staff members start journeys (and coordinate them); superusers too."""
    return _signed_in(user) and (user.is_staff or user.is_superuser)


def visible_journeys(user):
    """Every journey this visitor may see, as a queryset (one query when evaluated)."""
    from django.db.models import Q

    if not _signed_in(user):
        return Journey.objects.published()
    if user.is_superuser:
        return Journey.objects.all()
    seen = Q(is_published=True) | Q(coordinators=user) | Q(participants__user=user)
    seen |= Q(pk__in=host_allies_of(user).values("journey_id"))
    ids = Journey.objects.filter(seen).values("pk")
    return Journey.objects.filter(pk__in=ids)


# --- Rows of the journeys a user coordinates (the admin asks this) ----------------------------

# How each model reaches its journey.
JOURNEY_LOOKUPS = {
    "journey.journey": "",
    "journey.route": "journey",
    "journey.routestop": "route__journey",
    "journey.leg": "route__journey",
    "stops.stop": "journey",
    "stops.activity": "stop__journey",
    "stops.hostally": "journey",
    "stops.lodging": "stop__journey",
    "stops.localcontact": "stop__journey",
    "participants.participant": "journey",
    "participants.vehicle": "journey",
    "participants.seatassignment": "vehicle__journey",
    "participants.bedassignment": "lodging__stop__journey",
    "participants.itinerarysnapshot": "participant__journey",
}


def coordinated_rows(queryset, user):
    """The queryset's rows that belong to journeys the user coordinates (all, for a superuser).

    Models that belong to no journey are returned unchanged.
    """
    if user.is_superuser:
        return queryset
    lookup = JOURNEY_LOOKUPS.get(queryset.model._meta.label_lower)
    if lookup is None:
        return queryset
    path = f"{lookup}__coordinators" if lookup else "coordinators"
    return queryset.filter(**{path: user})
