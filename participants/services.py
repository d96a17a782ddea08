"""Seats and beds: give and take back, one function each, whoever asks.

The coordinators' pages, the API and the admin call these. Capacity is checked twice, as
``participants.capacity`` says: in ``full_clean`` (a clear error on the field at fault) and again
in ``save`` with the vehicle or lodging row locked, so two coordinators cannot both take the last
seat. History is written by the models' historical records. The rider's own ``updated_at``
moves with every change, so their calendar feed (SEQUENCE) tells their calendar app.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from participants.models import BedAssignment, Participant, SeatAssignment, Vehicle


def _touch(participant_id: int) -> None:
    Participant.objects.filter(pk=participant_id).update(updated_at=timezone.now())


def assign_seat(
    *,
    participant: Participant,
    vehicle: Vehicle,
    from_stop,
    to_stop,
    is_driver: bool = False,
    seat: SeatAssignment | None = None,
) -> SeatAssignment:
    """Seat the participant in the vehicle from one stop to another, if a seat is free on
    every leg between them (drivers take no passenger seat). ``seat``: an existing seat to
    change instead of a new one."""
    with transaction.atomic():
        seat = seat or SeatAssignment()
        before = seat.participant_id
        seat.participant = participant
        seat.vehicle = vehicle
        seat.from_stop = from_stop
        seat.to_stop = to_stop
        seat.is_driver = is_driver
        seat.full_clean()
        seat.save()  # checks the capacity again with the vehicle row locked
        for participant_id in {before, participant.pk} - {None}:
            _touch(participant_id)
    return seat


def free_seat(*, seat: SeatAssignment) -> None:
    """Take the seat back."""
    with transaction.atomic():
        participant_id = seat.participant_id
        seat.delete()
        _touch(participant_id)


def assign_bed(
    *,
    participant: Participant,
    lodging,
    night: date,
    bed: BedAssignment | None = None,
) -> BedAssignment:
    """Give the participant a bed in the lodging on a night, if one is left. Without ``bed``,
    a bed they already have that night is moved (one bed a night); with it, that bed is
    changed."""
    with transaction.atomic():
        if bed is None:
            bed = BedAssignment.objects.filter(participant=participant, night=night).first()
            if bed is not None and bed.lodging_id == lodging.pk:
                return bed
            bed = bed or BedAssignment()
        before = bed.participant_id
        bed.participant = participant
        bed.lodging = lodging
        bed.night = night
        bed.full_clean()
        bed.save()  # checks the capacity again with the lodging row locked
        for participant_id in {before, participant.pk} - {None}:
            _touch(participant_id)
    return bed


def free_bed(*, bed: BedAssignment) -> None:
    """Take the bed back."""
    with transaction.atomic():
        participant_id = bed.participant_id
        bed.delete()
        _touch(participant_id)


class AlreadyLinked(Exception):
    """The participant is linked to another login."""


def claim_participant(*, participant: Participant, user) -> Participant:
    """Link the signed-in ``user`` to the participant whose secret link they opened: the
    rider's own acceptance, the only way a login is linked to a participant. Refused
    (``AlreadyLinked``) when another login holds the record; claiming it again is a no-op."""
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.user_id == user.pk:
            return participant
        if participant.user_id is not None:
            raise AlreadyLinked
        participant.user = user
        participant.save(update_fields=["user", "updated_at"])
    return participant
