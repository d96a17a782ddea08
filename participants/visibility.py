"""Who sees which fields of a participant: the one place that decides.

Pages, the API and every export ask here (``redact`` or ``visible_fields``) instead of
choosing fields themselves, so a rule changes in one place.

==========================  =====================================================
viewer                      sees of a participant of the journey
==========================  =====================================================
the participant themself    everything on their own record
coordinator                 everything (journey.coordinators, or a superuser)
medic                       display name, role, dietary and accessibility needs,
                            medical notes
fellow traveler             display name and role (riders, drivers, a participant
                            whose role is coordinator but who does not coordinate)
press, outsider, anonymous  nothing
==========================  =====================================================

Outsiders include coordinators of *other* journeys. Hosts have no login here: what they
need (head counts, needs counted without names) comes from journey.itinerary's host sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from participants.models import Participant, Role

# The fields a viewer may be shown. Foreign keys are given as their ids.
DISPLAY_FIELDS = frozenset({"display_name", "role"})
MEDICAL_FIELDS = frozenset({"dietary_needs", "accessibility_needs", "medical_notes"})
CONTACT_FIELDS = frozenset(
    {"full_name", "phone", "email", "emergency_contact_name", "emergency_contact_phone"}
)
TEAM_FIELDS = frozenset({"language", "notes", "route", "join_stop", "leave_stop"})
ALL_FIELDS = DISPLAY_FIELDS | MEDICAL_FIELDS | CONTACT_FIELDS | TEAM_FIELDS
_FOREIGN_KEYS = frozenset({"route", "join_stop", "leave_stop"})


class ViewerRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    MEDIC = "medic", _("Medic")
    TRAVELER = "traveler", _("Fellow traveler")
    PRESS = "press", _("Press")
    OUTSIDER = "outsider", _("Not on this journey")
    ANONYMOUS = "anonymous", _("Anonymous visitor")


_FIELDS_BY_ROLE = {
    ViewerRole.COORDINATOR: ALL_FIELDS,
    ViewerRole.MEDIC: DISPLAY_FIELDS | MEDICAL_FIELDS,
    ViewerRole.TRAVELER: DISPLAY_FIELDS,
    ViewerRole.PRESS: frozenset(),
    ViewerRole.OUTSIDER: frozenset(),
    ViewerRole.ANONYMOUS: frozenset(),
}

# A participant's role on the journey -> what they are as a viewer of others.
_VIEWER_BY_PARTICIPANT_ROLE = {
    Role.MEDIC: ViewerRole.MEDIC,
    Role.PRESS: ViewerRole.PRESS,
    Role.RIDER: ViewerRole.TRAVELER,
    Role.DRIVER: ViewerRole.TRAVELER,
    Role.COORDINATOR: ViewerRole.TRAVELER,  # coordinating is journey.coordinators' business
}
# When a login has several participations in one journey, the widest role wins.
_RANK = [ViewerRole.MEDIC, ViewerRole.TRAVELER, ViewerRole.PRESS]


@dataclass(frozen=True)
class Viewer:
    """Someone looking at a journey's participants: their role and their own records."""

    journey_id: int | None
    role: ViewerRole
    own_participant_ids: frozenset[int] = field(default_factory=frozenset)


def viewer_role(user, journey) -> Viewer:
    """The viewer ``user`` is on ``journey`` (one or two queries)."""
    if user is None or not user.is_authenticated:
        return Viewer(journey.pk, ViewerRole.ANONYMOUS)
    own = list(
        Participant.objects.filter(journey=journey, user=user)
        .exclude(anonymized_at__isnull=False)
        .values_list("pk", "role")
    )
    own_ids = frozenset(pk for pk, _role in own)
    if user.is_superuser or journey.coordinators.filter(pk=user.pk).exists():
        return Viewer(journey.pk, ViewerRole.COORDINATOR, own_ids)
    roles = {_VIEWER_BY_PARTICIPANT_ROLE.get(role, ViewerRole.TRAVELER) for _pk, role in own}
    for role in _RANK:
        if role in roles:
            return Viewer(journey.pk, role, own_ids)
    return Viewer(journey.pk, ViewerRole.OUTSIDER)


def visible_fields(viewer: Viewer, participant: Participant) -> frozenset[str]:
    """The participant's fields this viewer may see."""
    if participant.journey_id != viewer.journey_id:
        return frozenset()  # a role on one journey says nothing about another
    if participant.pk in viewer.own_participant_ids:
        return ALL_FIELDS
    return _FIELDS_BY_ROLE[viewer.role]


def can_see(viewer: Viewer, participant: Participant, field_name: str) -> bool:
    return field_name in visible_fields(viewer, participant)


def redact(participant: Participant, viewer: Viewer) -> dict:
    """The participant as a dict of only the fields the viewer may see (with ``id`` when any
    is visible); foreign keys as ids. An empty dict: the viewer may see nothing."""
    fields = visible_fields(viewer, participant)
    if not fields:
        return {}
    data = {"id": participant.pk}
    for name in sorted(fields):
        data[name] = getattr(participant, f"{name}_id" if name in _FOREIGN_KEYS else name)
    return data
