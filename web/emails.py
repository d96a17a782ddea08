"""The emails Caravana sends from the web pages, each in its reader's language.

Plain text, rendered from ``templates/web/emails/<template>_subject.txt`` (one line)
and ``templates/web/emails/<template>.txt`` inside ``translation.override(language)``,
so every translatable string in them reads in that language. Sent through Django's
email backend: the console by default, SMTP when ``EMAIL_HOST`` is set.

``send_host_email(*, host, template, language, context=None) -> int``
    One email to a host ally's own address (nothing is sent without one). Templates:
    ``host_confirmation`` (their application arrived); the coordinators' pages add
    their own (``host_approved``, ``host_declined``) next to it.

``send_coordinators_email(*, host, template, language, context=None) -> int``
    One email per coordinator of the host's journey who has an email address (each
    gets their own message: coordinators' addresses are not shown to each other).
    Template: ``host_new_application``.

Both return the number of emails sent. Every template gets ``host``, ``journey``,
``stop`` (or None) and ``site_url`` (``settings.SITE_URL``, may be empty), plus
``context``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from journey.exporters import reader_language


def _render(template: str, context: dict, language: str) -> tuple[str, str]:
    with translation.override(reader_language(language)):
        subject = render_to_string(f"web/emails/{template}_subject.txt", context)
        body = render_to_string(f"web/emails/{template}.txt", context)
    # A header cannot hold a line break.
    return " ".join(subject.split()), body


def _context(host, context: dict | None) -> dict:
    return {
        "host": host,
        "journey": host.journey,
        "stop": host.stop,
        "site_url": settings.SITE_URL.rstrip("/"),
        **(context or {}),
    }


def send_host_email(*, host, template: str, language: str, context: dict | None = None) -> int:
    """Email the host ally (see the module docstring); 0 when the host has no address."""
    if not host.email:
        return 0
    subject, body = _render(template, _context(host, context), language)
    message = EmailMessage(subject, body, to=[host.email])
    message.extra_headers["Content-Language"] = reader_language(language)
    return message.send()


def send_coordinators_email(
    *, host, template: str, language: str, context: dict | None = None
) -> int:
    """Email every coordinator of the host's journey who has an address, one message each."""
    addresses = sorted(
        {
            email
            for email in host.journey.coordinators.filter(is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        }
    )
    if not addresses:
        return 0
    subject, body = _render(template, _context(host, context), language)
    sent = 0
    for address in addresses:
        message = EmailMessage(subject, body, to=[address])
        message.extra_headers["Content-Language"] = reader_language(language)
        sent += message.send()
    return sent
