"""Public RSVPs to public activities: taking them, the confirmation, the day-before reminder.

``rsvp(*, activity, data, language)`` saves an RSVP with the activity row locked, so two
visitors never take the last places together: confirmed when the party fits what is left of
the capacity, else on the waiting list. A party larger than the whole capacity is refused
(``ValidationError`` on ``party_size``): it could never be confirmed. The confirmation email
goes, in the visitor's language, once the transaction commits, when they gave an email.

``send_reminders(*, now)`` emails each confirmed visitor with an email the day before the
activity (the stop's local date), once: ``reminded_at`` is stamped.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from journey.exporters import reader_language
from journey.formatting import format_local
from stops.models import Activity, Rsvp, RsvpStatus

logger = logging.getLogger(__name__)

RSVP_FIELDS = ("name", "email", "phone", "party_size")


def confirmed_people(activity: Activity) -> int:
    total = activity.rsvps.filter(status=RsvpStatus.CONFIRMED).aggregate(n=Sum("party_size"))
    return total["n"] or 0


def rsvp(*, activity: Activity, data: dict, language: str) -> Rsvp:
    """Save a visitor's RSVP (confirmed or waitlisted). Raises ValidationError, nothing saved."""
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        row = Rsvp(
            activity=activity,
            language=reader_language(language),
            **{name: data[name] for name in RSVP_FIELDS if name in data},
        )
        row.full_clean(exclude=["activity", "status"])
        if activity.capacity is not None:
            if row.party_size > activity.capacity:
                raise ValidationError(
                    {
                        "party_size": _("At most %(capacity)d people fit at this activity.")
                        % {"capacity": activity.capacity}
                    }
                )
            left = activity.capacity - confirmed_people(activity)
            if row.party_size > left:
                row.status = RsvpStatus.WAITLISTED
        row.save()
        if row.email:
            transaction.on_commit(lambda: _mail(row, "confirmation"))
    return row


def _mail(row: Rsvp, kind: str) -> int:
    """Send the ``kind`` email ("confirmation" or "reminder"); a failing server is logged."""
    activity = row.activity
    stop = activity.stop
    language = reader_language(row.language)
    try:
        with translation.override(language):
            context = {
                "rsvp": row,
                "activity": activity,
                "stop": stop,
                "journey": stop.journey,
                "when": format_local(activity.starts_at, stop.tzinfo),
                "waitlisted": row.status == RsvpStatus.WAITLISTED,
            }
            subject = render_to_string(f"web/emails/rsvp_{kind}_subject.txt", context)
            body = render_to_string(f"web/emails/rsvp_{kind}.txt", context)
        message = EmailMessage(" ".join(subject.split()), body, to=[row.email])
        message.extra_headers["Content-Language"] = language
        return message.send()
    except Exception:
        logger.exception("Could not send the RSVP %s email for RSVP %s", kind, row.pk)
        return 0


def due_reminders(*, now: datetime):
    """Confirmed RSVPs with an email, not yet reminded, whose activity is tomorrow (local)."""
    candidates = (
        Rsvp.objects.filter(
            status=RsvpStatus.CONFIRMED,
            reminded_at__isnull=True,
            activity__starts_at__gt=now,
            activity__starts_at__lte=now + timedelta(days=2),
        )
        .filter(~Q(email=""))
        .select_related("activity__stop__journey")
    )
    for row in candidates:
        tz = row.activity.stop.tzinfo
        tomorrow = timezone.localtime(now, tz).date() + timedelta(days=1)
        if timezone.localtime(row.activity.starts_at, tz).date() == tomorrow:
            yield row


def send_reminders(*, now: datetime | None = None) -> int:
    """Send each due reminder once; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    for row in due_reminders(now=now):
        with transaction.atomic():
            stamped = Rsvp.objects.filter(pk=row.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
        if stamped:
            sent += _mail(row, "reminder")
    return sent
