"""Erasing participants' personal data: on request, and after a journey's retention period.

``erase_participant(participant=...)`` removes everything personal from one participant and
keeps what the organization's history needs: the participant row (with its role, language,
route and the stops where they joined and left), its seat and bed assignments, so head counts
per stop and night and seats per leg stay as they were.

``purge_expired(today=...)`` erases every participant of the journeys whose retention period
(``Journey.retention_days`` after ``Journey.end_date``) is over. It is idempotent: run it daily
from cron (``manage.py purge_expired``). Journeys without an end date are never purged.

Personal data elsewhere is handled too:

* visitors' RSVPs to the journey's public activities are deleted;
* the participant's login, when it serves only this participation (no staff or superuser
  rights, no coordinated journey, no other participation still holding personal data), is
  deleted; otherwise it is only unlinked, because it is that person's account elsewhere;
* the admin's history (``django.contrib.admin.LogEntry``) names objects by their text
  (``str(obj)``): the participant's old name is replaced there by the erased one, in entries
  about the participant, their seats and beds, and in inline changes that quote them.

Free text written by coordinators elsewhere (stop or lodging notes) is not searched: do not
write riders' names there.
"""

from __future__ import annotations

import contextlib
import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from journey.models import Journey, RetiredToken
from participants.models import (
    PERSONAL_FIELDS,
    ApplicationStatus,
    BedAssignment,
    Participant,
    RideApplication,
    SeatAssignment,
)
from stops.models import Rsvp

#: Days a declined request to ride is kept after the decision.
DECLINED_KEPT_DAYS = 30

logger = logging.getLogger(__name__)

#: Fields emptied by erasure (display_name is replaced, user and secret_token cleared).
ERASED_FIELDS = PERSONAL_FIELDS


def erased_display_name(participant: Participant) -> str:
    """What an erased participant is listed as. The number is the row's id: not personal."""
    return _("Erased participant %(number)d") % {"number": participant.pk}


def retention_ends(journey: Journey) -> date | None:
    """The last day personal data is kept, or None for a journey without an end date.

    Raises ``OverflowError`` when that day is past the calendar's end (a retention period
    saved before it was bounded).
    """
    if journey.end_date is None:
        return None
    return journey.end_date + timedelta(days=journey.retention_days)


def journeys_past_retention(*, today: date | None = None) -> list[Journey]:
    """Journeys whose retention period ended before ``today`` (default: the local date).

    A journey whose retention period cannot be computed is left out here; ``purge_expired``
    reports it.
    """
    today = today or timezone.localdate()
    candidates = Journey.objects.filter(end_date__lt=today).order_by("end_date", "pk")
    past = []
    for journey in candidates:
        with contextlib.suppress(OverflowError):
            if retention_ends(journey) < today:
                past.append(journey)
    return past


@dataclass
class PurgeResult:
    """What ``purge_expired`` did: journeys where someone was erased, and those that failed."""

    erased: list[Journey] = field(default_factory=list)
    #: Journey -> why nothing was erased there.
    failed: dict[Journey, str] = field(default_factory=dict)


@transaction.atomic
def erase_participant(*, participant: Participant) -> Participant:
    """Remove the participant's personal data; keep the row and its assignments for counts.

    Erasing an erased participant again changes nothing.
    """
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    old_name, user = participant.display_name, participant.user
    for name in ERASED_FIELDS:
        setattr(participant, name, "")
    participant.display_name = erased_display_name(participant)
    participant.user = None
    RetiredToken.objects.retire(participant.secret_token)
    participant.secret_token = None
    # Whom they travelled with is a tie between people: gone both ways.
    participant.travels_with = None
    Participant.objects.filter(travels_with=participant).update(travels_with=None)
    if participant.anonymized_at is None:
        participant.anonymized_at = timezone.now()
    participant.save()

    _rewrite_admin_history(participant, old_name)
    if user is not None and _login_only_serves_erased_participations(user):
        _delete_login(user)
    return participant


def purge_expired(*, today: date | None = None) -> PurgeResult:
    """Erase the participants of every journey past its retention period.

    Each journey is erased in its own transaction: when one fails (its retention period
    cannot be computed, or an erasure fails), nothing of that journey is erased, the failure
    is logged and returned, and the purge goes on with the next journey.
    """
    today = today or timezone.localdate()
    result = PurgeResult()
    candidates = Journey.objects.filter(end_date__lt=today).order_by("end_date", "pk")
    for journey in candidates:
        try:
            with transaction.atomic():
                if retention_ends(journey) >= today:
                    continue
                pending = list(
                    Participant.objects.filter(journey=journey, anonymized_at__isnull=True)
                )
                for participant in pending:
                    erase_participant(participant=participant)
                applications, _counts = RideApplication.objects.filter(journey=journey).delete()
                rsvps, _counts = Rsvp.objects.filter(activity__stop__journey=journey).delete()
        except Exception as error:  # one journey's failure must not stop the rest
            reason = _describe_failure(journey, error)
            result.failed[journey] = reason
            logger.error(
                "purge_expired: journey %s (%s) was not purged: %s",
                journey.pk,
                journey.slug,
                reason,
            )
            continue
        if pending or applications or rsvps:
            result.erased.append(journey)
    # A declined request to ride is kept only long enough to answer questions about it.
    now = timezone.make_aware(datetime.combine(today, time()))
    declined_before = now - timedelta(days=DECLINED_KEPT_DAYS)
    RideApplication.objects.filter(
        status=ApplicationStatus.DECLINED, decided_at__lt=declined_before
    ).delete()
    return result


def _describe_failure(journey: Journey, error: Exception) -> str:
    if isinstance(error, OverflowError):
        return _(
            "its retention period (%(days)s days after %(end)s) ends after the last day of the "
            "calendar; set it between 1 and 3,650 days."
        ) % {"days": journey.retention_days, "end": journey.end_date}
    return f"{type(error).__name__}: {error}"


# --- Around the participant row -----------------------------------------------------------------


def _json_fragment(text: str) -> str:
    """How ``text`` reads inside a JSON string written with json.dumps (the admin's log)."""
    return json.dumps(text)[1:-1]


def _rewrite_admin_history(participant: Participant, old_name: str) -> None:
    """Replace the participant's old name in the admin's log with the erased one.

    The log names the participant (``object_repr``), and their seat and bed assignments, whose
    text starts with the participant's name and " · ", in ``object_repr`` and in the change
    messages of the vehicle or lodging they were edited inline with (also once deleted).
    """
    new_name = str(participant)
    if old_name == new_name:
        return
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Participant),
        object_id=str(participant.pk),
    ).update(object_repr=new_name[:200])
    assignment_types = ContentType.objects.get_for_models(SeatAssignment, BedAssignment).values()
    old_prefix, new_prefix = f"{old_name} · ", f"{new_name} · "
    for entry in LogEntry.objects.filter(
        content_type__in=assignment_types, object_repr__startswith=old_prefix
    ):
        entry.object_repr = (new_prefix + entry.object_repr[len(old_prefix) :])[:200]
        entry.save(update_fields=["object_repr"])
    quoted = [
        (f'"object": "{_json_fragment(old_prefix)}', f'"object": "{_json_fragment(new_prefix)}'),
        (f'"object": "{old_prefix}', f'"object": "{new_prefix}'),
    ]
    for old, new in quoted:
        for entry in LogEntry.objects.filter(change_message__contains=old):
            entry.change_message = entry.change_message.replace(old, new)
            entry.save(update_fields=["change_message"])


def _login_only_serves_erased_participations(user) -> bool:
    if user.is_staff or user.is_superuser or user.coordinated_journeys.exists():
        return False
    return not user.participations.filter(anonymized_at__isnull=True).exists()


def _delete_login(user) -> None:
    """Delete a login that only served erased participations, and its traces in the log."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(get_user_model()), object_id=str(user.pk)
    ).update(object_repr=_("Deleted login"))
    user.delete()
