"""History of the plan: who changed what, and when (django-simple-history).

Every model of the plan keeps a historical table (``HistoricalStop`` and so on). Each historical
row also records the journey it belongs to (``history_journey_id``), so a journey's history is
one indexed query per table, also for rows deleted since (an activity of a stop removed later).

Personal data is kept out of history on purpose: a participant's historical rows hold their
route and segment, never their name, phone, notes or secret link (``Participant.history``),
so erasing a person's data (participants.retention) leaves nothing behind in history.

This module records; the models import it to get their historical tables, so it imports no
model. Reading a journey's history for people is ``journey.changes``.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class JourneyHistory(models.Model):
    """Base of every historical table: the journey the changed row belonged to."""

    history_journey_id = models.BigIntegerField(gettext_lazy("journey"), null=True, db_index=True)

    class Meta:
        abstract = True


#: How to find the journey of each tracked model's row (attribute paths, in order of cost).
JOURNEY_PATHS: dict[str, tuple[str, ...]] = {
    "journey.journey": ("pk",),
    "journey.route": ("journey_id",),
    "journey.routestop": ("route", "journey_id"),
    "journey.leg": ("route", "journey_id"),
    "stops.stop": ("journey_id",),
    "stops.activity": ("stop", "journey_id"),
    "stops.lodging": ("stop", "journey_id"),
    "stops.localcontact": ("stop", "journey_id"),
    "stops.meal": ("stop", "journey_id"),
    "participants.participant": ("journey_id",),
    "participants.vehicle": ("journey_id",),
    "participants.seatassignment": ("vehicle", "journey_id"),
    "participants.bedassignment": ("participant", "journey_id"),
}

_paused: ContextVar[bool] = ContextVar("caravana_history_paused", default=False)


@contextmanager
def paused():
    """Write no history inside this block: for whole-journey work (deleting a journey,
    rebuilding the demo, restoring a backup), where one history row per bed would be noise
    and thousands of queries."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def is_paused() -> bool:
    return _paused.get()


class PlanHistoricalRecords(HistoricalRecords):
    def post_save(self, instance, created, using=None, **kwargs):
        if not _paused.get():
            super().post_save(instance, created, using=using, **kwargs)

    def post_delete(self, instance, using=None, **kwargs):
        if not _paused.get():
            super().post_delete(instance, using=using, **kwargs)


def plan_history(**options) -> HistoricalRecords:
    """The history manager for a model of the plan."""
    return PlanHistoricalRecords(bases=[JourneyHistory], cascade_delete_history=False, **options)


def forget_journey(journey_id: int) -> None:
    """Delete the history of a journey that is being deleted (its notes and addresses too)."""
    from django.apps import apps

    for label in JOURNEY_PATHS:
        model = apps.get_model(label)
        model.history.model.objects.filter(history_journey_id=journey_id).delete()


def journey_id_of(instance) -> int | None:
    path = JOURNEY_PATHS.get(instance._meta.label_lower)
    if path is None:
        return None
    value = instance
    for name in path:
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


@receiver(pre_create_historical_record)
def _remember_journey(sender, instance, history_instance, **kwargs):
    history_instance.history_journey_id = journey_id_of(instance)
