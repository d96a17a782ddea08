"""Asking to ride: a person applies from the public form, a coordinator approves or declines.

``apply_to_ride(*, journey, data, base_url)`` saves a pending application (after the model's
checks) and tells each coordinator with an email address that one arrived: the message holds
the link to the queue and no personal data.
``approve_ride_application(*, application, base_url)`` creates the participant from it, in
one transaction, and emails the person their secret link in their own language (when they
gave an email address; otherwise the coordinator passes the link on). ``decline_ride_
application(*, application)`` only marks it: nothing is sent, the coordinator answers in
person.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from journey.exporters import reader_language
from journey.models import Journey
from participants.models import ApplicationStatus, Participant, RideApplication, Role

logger = logging.getLogger(__name__)

APPLICATION_FIELDS = (
    "display_name",
    "phone",
    "email",
    "language",
    "route",
    "join_stop",
    "leave_stop",
    "dietary_needs",
    "accessibility_needs",
)


class NotPending(Exception):
    """The application was already decided."""


def apply_to_ride(*, journey: Journey, data: dict, base_url: str) -> RideApplication:
    application = RideApplication(
        journey=journey, **{name: data[name] for name in APPLICATION_FIELDS if name in data}
    )
    application.full_clean()
    application.save()
    try:
        _tell_coordinators(journey, base_url)
    except Exception:  # the application is saved; a mail server that fails does not lose it
        logger.exception(
            "Could not tell the coordinators about ride application %s", application.pk
        )
    return application


def _tell_coordinators(journey: Journey, base_url: str) -> int:
    addresses = sorted(
        set(
            journey.coordinators.filter(is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    context = {
        "journey": journey,
        "queue_url": base_url + reverse("web:plan_rides", kwargs={"slug": journey.slug}),
    }
    with translation.override(reader_language(settings.LANGUAGE_CODE)):
        subject = render_to_string("web/emails/ride_new_application_subject.txt", context)
        body = render_to_string("web/emails/ride_new_application.txt", context)
    sent = 0
    for address in addresses:  # one message each: coordinators do not see each other's address
        sent += EmailMessage(" ".join(subject.split()), body, to=[address]).send()
    return sent


def _pending(application: RideApplication) -> RideApplication:
    locked = RideApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.PENDING:
        raise NotPending
    return locked


def approve_ride_application(*, application: RideApplication, base_url: str) -> Participant:
    """Create the participant; email them their link. Raises NotPending or ValidationError."""
    with transaction.atomic():
        application = _pending(application)
        participant = Participant(
            journey_id=application.journey_id,
            role=Role.RIDER,
            **{
                name: getattr(application, name)
                for name in APPLICATION_FIELDS
                if name not in ("route", "join_stop", "leave_stop")
            },
            route=application.route,
            join_stop=application.join_stop,
            leave_stop=application.leave_stop,
        )
        participant.full_clean(exclude=["user", "travels_with"])
        participant.save()
        application.status = ApplicationStatus.APPROVED
        application.participant = participant
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "participant", "decided_at"])
    if participant.email:
        try:
            _send_link(participant, base_url)
        except Exception:
            logger.exception("Could not email participant %s their link", participant.pk)
    return participant


def decline_ride_application(*, application: RideApplication) -> RideApplication:
    with transaction.atomic():
        application = _pending(application)
        application.status = ApplicationStatus.DECLINED
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "decided_at"])
    return application


def _send_link(participant: Participant, base_url: str) -> int:
    language = reader_language(participant.language)
    context = {
        "participant": participant,
        "journey": participant.journey,
        "link": base_url + reverse("web:my_itinerary", kwargs={"token": participant.secret_token}),
    }
    with translation.override(language):
        subject = render_to_string("web/emails/ride_approved_subject.txt", context)
        body = render_to_string("web/emails/ride_approved.txt", context)
    message = EmailMessage(" ".join(subject.split()), body, to=[participant.email])
    message.extra_headers["Content-Language"] = language
    return message.send()


def application_errors(error: ValidationError) -> list[str]:
    """A model's validation error as sentences for a message."""
    if hasattr(error, "message_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages) or [_("The application cannot be approved.")]
