"""Who is asking, in one journey: resolved once per request, asked by everything.

An ``Access`` says what one visitor is to one journey: their role (one enum, ``Role``),
how they came (a login, a rider's secret link, the team's secret link), their own
participant records and the stops they host. Pages, the API, exports, the admin and mail
ask it (and the predicates in ``journey.rules``) instead of deciding for themselves:

* ``access_for_user(user, journey)``: a signed-in (or anonymous) visitor. One query beyond
  authentication, whatever they are (coordinator, rider, host or nobody).
* ``accesses_for_user(user, journeys)``: the same for many journeys, in one query.
* ``access_for_personal_link(token)`` / ``access_for_team_link(journey, token)``: a secret
  link. A link opens only what it was made for (its rider's own itinerary; the team feed).
* ``access_for_host_link(token)``: a host's secret link (``HostAlly.secret_token``): what
  an approved host of that stop may see, as if signed in, and nothing of the team.
* ``request_access(request, journey)``: ``access_for_user`` remembered on the request.

Which fields of a participant a visitor sees is also decided here
(``Access.participant_fields``), from the same table for pages, API and exports.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import CharField, F, IntegerField, Value
from django.db.models.functions import Cast
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from journey.itinerary import Audience
from journey.models import Journey, token_digest
from participants.fields import PARTICIPANT_FIELDS
from participants.models import Participant
from participants.models import Role as ParticipantRole
from stops.models import HostAlly, HostStatus


class Role(enum.StrEnum):
    """A visitor's place in one journey (the strongest that applies)."""

    COORDINATOR = "coordinator"  # listed among the journey's coordinators (or a superuser)
    PARTICIPANT = "participant"  # has a participant record: rider, driver, medic, press...
    HOST = "host"  # speaks for an approved host ally (same email as the login)
    OUTSIDER = "outsider"  # signed in, no part in this journey
    ANONYMOUS = "anonymous"


ROLE_LABELS = {
    Role.COORDINATOR: _("coordinators of the journey"),
    Role.PARTICIPANT: _("its participants (riders, drivers and others)"),
    Role.HOST: _("its approved host allies"),
    Role.OUTSIDER: _("other signed-in users (published journeys only)"),
    Role.ANONYMOUS: _("anonymous visitors (published journeys only)"),
}
MEMBERS = frozenset({Role.COORDINATOR, Role.PARTICIPANT, Role.HOST})


class Via(enum.StrEnum):
    """How the visitor came: what they hold decides what it opens."""

    LOGIN = "login"  # a session or an API token (or nothing: anonymous)
    PERSONAL_LINK = "personal-link"  # a rider's secret link: their own itinerary only
    TEAM_LINK = "team-link"  # the journey's secret team link: the team feed only
    HOST_LINK = "host-link"  # a host's secret link: their page and their stop's day sheet


# --- The fields of a participant each visitor sees ------------------------------------------
#
# ==========================  =====================================================
# visitor                     sees of a participant of the journey
# ==========================  =====================================================
# the participant themself    everything on their own record
# coordinator                 everything
# medic                       display name, role, dietary and accessibility needs,
#                             medical notes
# fellow traveler             display name and role (riders, drivers, a participant
#                             whose role is coordinator but who does not coordinate)
# press, host, outsider,      nothing
# anonymous, secret links
# ==========================  =====================================================

DISPLAY_FIELDS = frozenset({"display_name", "role"})
MEDICAL_FIELDS = frozenset({"dietary_needs", "accessibility_needs", "medical_notes"})
CONTACT_FIELDS = frozenset(
    {"full_name", "phone", "email", "emergency_contact_name", "emergency_contact_phone"}
)
TEAM_FIELDS = frozenset({"language", "notes", "route", "join_stop", "leave_stop"})
# Every field of a participant (participants.fields). A test checks that the four groups
# above sort each of them exactly once: a new field is placed before it ships.
ALL_FIELDS = frozenset(PARTICIPANT_FIELDS)
FOREIGN_KEY_FIELDS = frozenset({"route", "join_stop", "leave_stop"})

# What a participant's own role lets them see of the others (the widest of their roles).
_FIELDS_BY_PARTICIPANT_ROLE = {
    ParticipantRole.MEDIC: DISPLAY_FIELDS | MEDICAL_FIELDS,
    ParticipantRole.RIDER: DISPLAY_FIELDS,
    ParticipantRole.DRIVER: DISPLAY_FIELDS,
    ParticipantRole.COORDINATOR: DISPLAY_FIELDS,  # coordinating is journey.coordinators'
    ParticipantRole.PRESS: frozenset(),
}


@dataclass(frozen=True)
class Access:
    """What one visitor is to one journey. Immutable; build it with the functions below."""

    journey: Journey
    role: Role
    via: Via = Via.LOGIN
    user: object = None
    # own participant records: id -> their role on the journey (rider, medic...)
    participant_roles: dict[int, str] = field(default_factory=dict)
    host_ids: frozenset[int] = frozenset()
    hosted_stop_ids: frozenset[int] = frozenset()
    # the participant a personal link belongs to (already loaded)
    link_participant: Participant | None = None
    # the host ally a host link belongs to (already loaded)
    link_host: HostAlly | None = None

    # --- who -----------------------------------------------------------------------------
    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_team(self) -> bool:
        """Sees everything about the journey (names, lodging, private notes)."""
        return self.is_coordinator

    @property
    def is_member(self) -> bool:
        return self.role in MEMBERS

    @cached_property
    def participant_ids(self) -> frozenset[int]:
        return frozenset(self.participant_roles)

    @property
    def own_participant_id(self) -> int | None:
        """The visitor's (first) own participant record, if any."""
        return min(self.participant_roles) if self.participant_roles else None

    # --- what ----------------------------------------------------------------------------
    def can(self, permission: str, obj=None) -> bool:
        """Ask the journey's predicates (``journey.rules``) by name."""
        from journey.rules import permissions

        return permissions.test_rule(permission, self, obj)

    @cached_property
    def audiences(self) -> frozenset[Audience]:
        """The views of the plan this visitor may read (``Audience``)."""
        allowed = set()
        if self.journey.is_published or self.is_member:
            allowed.add(Audience.PUBLIC)
        if self.via == Via.TEAM_LINK:
            return frozenset({Audience.TEAM})
        if self.is_coordinator:
            allowed |= {Audience.TEAM, Audience.PERSONAL, Audience.HOST}
        if self.participant_roles:
            allowed.add(Audience.PERSONAL)
        if self.hosted_stop_ids:
            allowed.add(Audience.HOST)
        return frozenset(allowed)

    def participant_fields(self, participant: Participant) -> frozenset[str]:
        """The fields of ``participant`` this visitor may see (nothing of another journey)."""
        if participant.journey_id != self.journey.pk:
            return frozenset()
        if participant.pk in self.participant_roles or self.is_coordinator:
            return ALL_FIELDS
        if self.via != Via.LOGIN:
            return frozenset()
        seen = frozenset()
        for role in self.participant_roles.values():
            seen |= _FIELDS_BY_PARTICIPANT_ROLE.get(role, DISPLAY_FIELDS)
        return seen

    def redact(self, participant: Participant) -> dict:
        """The participant as a dict of only the fields this visitor may see (with ``id``
        when any is visible); foreign keys as ids. Empty: nothing may be seen."""
        fields = self.participant_fields(participant)
        if not fields:
            return {}
        data = {"id": participant.pk}
        for name in sorted(fields):
            data[name] = getattr(participant, f"{name}_id" if name in FOREIGN_KEY_FIELDS else name)
        return data


# --- Resolving ------------------------------------------------------------------------------


def signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _memberships(user, journey_ids: list[int]):
    """One query: the user's coordinator rows, participant records and approved host
    allies in these journeys, as (kind, journey id, row id, participant role, stop id)."""
    through = Journey.coordinators.through
    integer, text = IntegerField(), CharField()
    columns = ("kind", "journey_ref", "row", "part_role", "stop_ref")

    def shaped(queryset, kind, row, part_role, stop):
        return (
            queryset.order_by()
            .annotate(
                kind=Value(kind, output_field=text),
                journey_ref=F("journey_id"),
                row=row,
                part_role=part_role,
                stop_ref=stop,
            )
            .values_list(*columns)
        )

    coordinating = shaped(
        through.objects.filter(user_id=user.pk, journey_id__in=journey_ids),
        "c",
        F("pk"),
        Value("", output_field=text),
        Cast(Value(None), integer),
    )
    riding = shaped(
        Participant.objects.filter(
            user_id=user.pk, journey_id__in=journey_ids, anonymized_at__isnull=True
        ),
        "p",
        F("pk"),
        F("role"),
        Cast(Value(None), integer),
    )
    queries = [coordinating, riding]
    email = (getattr(user, "email", "") or "").strip()
    if email:
        queries.append(
            shaped(
                HostAlly.objects.filter(
                    journey_id__in=journey_ids, status=HostStatus.APPROVED, email__iexact=email
                ),
                "h",
                F("pk"),
                Value("", output_field=text),
                F("stop_id"),
            )
        )
    return queries[0].union(*queries[1:], all=True)


def accesses_for_user(user, journeys: Iterable[Journey]) -> dict[int, Access]:
    """The visitor's ``Access`` to each journey (journey id -> Access), in one query."""
    journeys = list(journeys)
    if not signed_in(user):
        return {j.pk: Access(j, Role.ANONYMOUS, user=user) for j in journeys}
    found: dict[int, dict] = {j.pk: {"c": False, "p": {}, "h": set(), "s": set()} for j in journeys}
    if journeys:
        for kind, journey_id, row, part_role, stop_id in _memberships(user, list(found)):
            bucket = found[journey_id]
            if kind == "c":
                bucket["c"] = True
            elif kind == "p":
                bucket["p"][row] = part_role
            else:
                bucket["h"].add(row)
                if stop_id:
                    bucket["s"].add(stop_id)
    result = {}
    for journey in journeys:
        bucket = found[journey.pk]
        if user.is_superuser or bucket["c"]:
            role = Role.COORDINATOR
        elif bucket["p"]:
            role = Role.PARTICIPANT
        elif bucket["h"]:
            role = Role.HOST
        else:
            role = Role.OUTSIDER
        result[journey.pk] = Access(
            journey,
            role,
            user=user,
            participant_roles=dict(sorted(bucket["p"].items())),
            host_ids=frozenset(bucket["h"]),
            hosted_stop_ids=frozenset(bucket["s"]),
        )
    return result


def access_for_user(user, journey: Journey) -> Access:
    """The visitor's ``Access`` to one journey (one query when signed in, none otherwise)."""
    return accesses_for_user(user, [journey])[journey.pk]


def request_access(request, journey: Journey) -> Access:
    """``access_for_user`` for the request's user, resolved once per request and journey."""
    cache = request.__dict__.setdefault("_caravana_access", {})
    if journey.pk not in cache:
        cache[journey.pk] = access_for_user(getattr(request, "user", None), journey)
    return cache[journey.pk]


def public_access(journey: Journey) -> Access:
    """What anyone may see of a journey, signed in or not (the public page, booklet, feed)."""
    return Access(journey, Role.ANONYMOUS)


def _row_for_token(queryset, token: str | None):
    """The row of ``queryset`` whose secret link holds ``token``, or None.

    The row is found by the token's SHA-256 digest (unique index), so how long the lookup
    takes says nothing about how much of a guessed token is right; the token itself is then
    compared in constant time. Empty or missing tokens match nobody (a revoked link has its
    token set to NULL).
    """
    if not token or not isinstance(token, str) or len(token) > 64:
        return None
    row = queryset.filter(secret_token_digest=token_digest(token)).first()
    if row is None or not constant_time_compare(row.secret_token or "", token):
        return None
    return row


def participant_for_token(token: str | None) -> Participant | None:
    """The participant whose secret link holds ``token``, or None."""
    return _row_for_token(Participant.objects.select_related("journey"), token)


def access_for_personal_link(token: str | None) -> Access | None:
    """What a rider's secret link opens: their own itinerary, nothing of anyone else."""
    participant = participant_for_token(token)
    if participant is None or participant.anonymized_at is not None:
        return None
    return Access(
        participant.journey,
        Role.PARTICIPANT,
        via=Via.PERSONAL_LINK,
        participant_roles={participant.pk: participant.role},
        link_participant=participant,
    )


def host_for_token(token: str | None) -> HostAlly | None:
    """The host ally whose page link holds ``token``, or None."""
    return _row_for_token(HostAlly.objects.select_related("journey", "stop"), token)


def access_for_host_link(token: str | None) -> Access | None:
    """What a host's secret link opens: the host's view (``Audience.HOST``) of the stop they
    were approved for, nothing else. A host no longer approved, or approved for no stop,
    gets nothing (the link answers 404)."""
    host = host_for_token(token)
    if host is None or host.status != HostStatus.APPROVED or host.stop_id is None:
        return None
    return Access(
        host.journey,
        Role.HOST,
        via=Via.HOST_LINK,
        host_ids=frozenset({host.pk}),
        hosted_stop_ids=frozenset({host.stop_id}),
        link_host=host,
    )


def access_for_team_link(journey: Journey | None, token: str | None) -> Access | None:
    """What the journey's team link opens: the team feed (compared in constant time).

    A journey whose team token was revoked (set to NULL) matches nothing.
    """
    if journey is None or not token or not journey.team_feed_token:
        return None
    if not constant_time_compare(journey.team_feed_token, token):
        return None
    return Access(journey, Role.ANONYMOUS, via=Via.TEAM_LINK)


# --- Journeys a user may see, and the admin's rows -----------------------------------------


def visible_journeys(user):
    """Every journey this visitor may see, as a queryset (one query when evaluated)."""
    from django.db.models import Q

    if not signed_in(user):
        return Journey.objects.published()
    if user.is_superuser:
        return Journey.objects.all()
    seen = Q(is_published=True) | Q(coordinators=user) | Q(participants__user=user)
    email = (user.email or "").strip()
    if email:
        hosting = HostAlly.objects.filter(status=HostStatus.APPROVED, email__iexact=email)
        seen |= Q(pk__in=hosting.values("journey_id"))
    ids = Journey.objects.filter(seen).values("pk")
    return Journey.objects.filter(pk__in=ids)


def coordinated_journeys(user):
    """The journeys this login coordinates (every journey for a superuser)."""
    if not signed_in(user):
        return Journey.objects.none()
    if user.is_superuser:
        return Journey.objects.all()
    return Journey.objects.coordinated_by(user)


def can_create_journey(user) -> bool:
    """Staff members start journeys (and coordinate them); superusers too."""
    return signed_in(user) and (user.is_staff or user.is_superuser)


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
    "stops.meal": "stop__journey",
    "participants.participant": "journey",
    "participants.vehicle": "journey",
    "participants.seatassignment": "vehicle__journey",
    "participants.bedassignment": "lodging__stop__journey",
    "participants.itinerarysnapshot": "participant__journey",
}


def coordinated_rows(queryset, user):
    """The queryset's rows that belong to journeys the user coordinates (all, for a
    superuser; none for an inactive or anonymous user). Models that belong to no journey
    are returned unchanged."""
    lookup = JOURNEY_LOOKUPS.get(queryset.model._meta.label_lower)
    if lookup is None:
        return queryset
    if not signed_in(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    path = f"{lookup}__coordinators" if lookup else "coordinators"
    return queryset.filter(**{path: user})
