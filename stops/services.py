"""Host applications: apply, approve, decline. One function each, whoever asks.

The public form, the coordinators' pages, the API and the admin action only call these. Each
validates, writes inside a transaction and sends its email once the transaction has committed
(``transaction.on_commit``): a decision rolled back sends nothing, and a mail server that fails
is logged and never undoes the decision. The host is written to in their own language
(``HostAlly.language``, the language they applied in).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from journey.exporters import reader_language
from journey.tokens import host_page_url, rotate_host_token
from stops.applications import HOST_APPLICATION_FIELDS, validate_host_application
from stops.models import HostAlly, HostStatus, Lodging, Stop
from web.emails import send_coordinators_email, send_host_email

logger = logging.getLogger(__name__)


def _send_after_commit(send, what: str, host_id: int) -> None:
    def deliver():
        try:
            send()
        except Exception:
            logger.exception("Could not send %s for host ally %s", what, host_id)

    transaction.on_commit(deliver)


def _review_path(host: HostAlly) -> str:
    """Where a coordinator reviews the application: the host queue, else the admin."""
    try:
        return reverse("web:plan_host", kwargs={"slug": host.journey.slug, "pk": host.pk})
    except NoReverseMatch:
        return reverse("admin:stops_hostally_change", args=[host.pk])


def site_base_url(request=None) -> str:
    """ "https://caravana.example.org": ``SITE_URL``, else the address ``request`` came to."""
    base = settings.SITE_URL.rstrip("/")
    if not base and request is not None:
        base = request.build_absolute_uri("/")[:-1]
    return base


def apply_to_host(*, journey, data: Mapping, language: str, base_url: str) -> HostAlly:
    """Save a host application (pending) and tell the applicant and the coordinators.

    ``data`` holds the values of ``HOST_APPLICATION_FIELDS`` (and ``stop``, a public stop of the
    journey, when the form offers one); it is checked again by ``validate_host_application``
    and the model's validation (``ValidationError`` on the field at fault, nothing saved).
    ``language`` is the applicant's; ``base_url`` ("https://caravana.example.org") makes the
    links in the emails absolute. The coordinators are written to in the site's language.
    """
    language = reader_language(language)  # "es-MX" -> "es"; unsupported -> "en"
    values = validate_host_application(data)
    with transaction.atomic():
        host = HostAlly(
            journey=journey,
            status=HostStatus.PENDING,
            language=language,
            stop=values.get("stop"),
            **{name: values[name] for name in HOST_APPLICATION_FIELDS if name in values},
        )
        host.full_clean()
        host.save()
        links = {
            "journey_url": base_url + reverse("web:journey", kwargs={"slug": journey.slug}),
            "review_url": base_url + _review_path(host),
        }

        def send():
            send_host_email(
                host=host, template="host_confirmation", language=language, context=links
            )
            send_coordinators_email(
                host=host,
                template="host_new_application",
                language=settings.LANGUAGE_CODE,
                context=links,
            )

        _send_after_commit(send, "the emails about the application", host.pk)
    return host


def approve_host(
    *,
    host: HostAlly,
    stop: Stop | None = None,
    lodging: Mapping | None = None,
    base_url: str = "",
) -> tuple[HostAlly, Lodging | None]:
    """Approve a host ally for a stop (None: the stop they already serve, if any), give them
    a secret link to their page (kept when they already have one) and email them
    ``host_approved`` with it. ``lodging`` (name, kind, address, capacity, check_in, check_out)
    turns their offer of beds into a lodging at that stop. ``base_url`` makes the link in the
    email absolute (``site_base_url(request)``; ``SITE_URL`` when not given)."""
    with transaction.atomic():
        host = (
            HostAlly.objects.select_for_update(of=("self",))
            .select_related("journey")
            .get(pk=host.pk)
        )
        if stop is not None:
            host.stop = stop
        host.status = HostStatus.APPROVED
        host.decided_at = timezone.now()
        host.full_clean()
        host.save()
        if not host.secret_token:
            rotate_host_token(host=host)
        created = None
        if lodging is not None:
            created = Lodging(stop=host.stop, host=host, **lodging)
            created.full_clean()
            created.save()
        page = {"host_page_url": host_page_url(host, base_url or site_base_url())}
        _send_after_commit(
            lambda: send_host_email(
                host=host, template="host_approved", language=host.language, context=page
            ),
            "the approval",
            host.pk,
        )
    return host, created


def decline_host(*, host: HostAlly, note: str = "") -> HostAlly:
    """Decline a host ally's offer and email them ``host_declined`` (with the coordinator's
    ``note``, if any)."""
    with transaction.atomic():
        host = (
            HostAlly.objects.select_for_update(of=("self",))
            .select_related("journey", "stop")
            .get(pk=host.pk)
        )
        host.status = HostStatus.DECLINED
        host.decided_at = timezone.now()
        host.save(update_fields=["status", "decided_at"])
        _send_after_commit(
            lambda: send_host_email(
                host=host, template="host_declined", language=host.language, context={"note": note}
            ),
            "the decline",
            host.pk,
        )
    return host


def reopen_host(*, host: HostAlly) -> HostAlly:
    """Put a decided application back in the queue (no email: nothing was decided)."""
    with transaction.atomic():
        host = HostAlly.objects.select_for_update(of=("self",)).get(pk=host.pk)
        host.status = HostStatus.PENDING
        host.decided_at = None
        host.save(update_fields=["status", "decided_at"])
    return host
