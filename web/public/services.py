"""Writes made from the public pages."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from journey.models import Journey
from stops.models import HostAlly, HostStatus
from web.emails import send_coordinators_email, send_host_email

logger = logging.getLogger(__name__)

HOST_FIELDS = (
    "organization",
    "contact_name",
    "email",
    "phone",
    "city",
    "state",
    "stop",
    "available_from",
    "available_until",
    "offers_beds",
    "offers_meals",
    "offers_venue",
    "offers_transport",
    "offers_other",
    "accessibility",
    "notes",
)


def _review_path(host: HostAlly) -> str:
    """Where a coordinator reviews the application: the host queue, else the admin."""
    try:
        return reverse("web:plan_host", kwargs={"slug": host.journey.slug, "pk": host.pk})
    except NoReverseMatch:
        return reverse("admin:stops_hostally_change", args=[host.pk])


def apply_to_host(*, journey: Journey, data: dict, language: str, base_url: str) -> HostAlly:
    """Save a host application (pending) and send the two emails.

    ``data`` holds validated values for ``HOST_FIELDS`` (``HostApplicationForm``'s
    cleaned data); ``language`` is the applicant's (the page's) language; ``base_url``
    ("https://caravana.example.org") makes the links in the emails absolute. The host
    gets a confirmation in ``language``; each coordinator of the journey with an email
    address gets a notice in the site's default language. A mail server that fails
    does not lose the application: it is saved first and the failure is logged.
    """
    with transaction.atomic():
        host = HostAlly.objects.create(
            journey=journey,
            status=HostStatus.PENDING,
            language=language,
            **{name: data[name] for name in HOST_FIELDS if name in data},
        )
    links = {
        "journey_url": base_url + reverse("web:journey", kwargs={"slug": journey.slug}),
        "review_url": base_url + _review_path(host),
    }
    try:
        send_host_email(host=host, template="host_confirmation", language=language, context=links)
        send_coordinators_email(
            host=host,
            template="host_new_application",
            language=settings.LANGUAGE_CODE,
            context=links,
        )
    except Exception:
        logger.exception("Could not send the emails about host application %s", host.pk)
    return host
