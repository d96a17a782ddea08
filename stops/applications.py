"""What a host application is: its fields and their checks, written once.

The public form (``web.public.forms.HostApplicationForm``), the API
(``api.serializers.hosts.HostApplicationSerializer``) and the service
(``stops.services.apply_to_host``) all take their fields from ``HOST_APPLICATION_FIELDS`` and
ask ``validate_host_application``, so an application refused on the page is refused by the API
with the same message on the same field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: The fields an applicant fills in (the form adds ``stop`` among the journey's public stops).
HOST_APPLICATION_FIELDS = (
    "organization",
    "contact_name",
    "email",
    "phone",
    "city",
    "state",
    "available_from",
    "available_until",
    "offers_beds",
    "offers_meals",
    "meals_capacity",
    "offers_venue",
    "offers_transport",
    "offers_other",
    "accessibility",
    "notes",
)

#: The hidden field that only robots fill.
HONEYPOT_FIELD = "website"

PHONE_CHARACTERS = re.compile(r"^[0-9+()./\- ]+$")

PHONE_FORMAT = _("Write a phone number with 7 to 15 digits, for example +1 602 555 0123.")
NO_OFFER = _(
    "Tell us at least one thing you can offer: beds, meals, a venue, transport or something else."
)
HONEYPOT_FILLED = _("Leave this field empty.")


def clean_phone(value: str) -> str:
    """The phone as typed, trimmed; empty is allowed (it is optional)."""
    phone = (value or "").strip()
    if not phone:
        return phone
    digits = sum(ch.isdigit() for ch in phone)
    if not PHONE_CHARACTERS.match(phone) or not 7 <= digits <= 15:
        raise ValidationError(PHONE_FORMAT, code="phone_format")
    return phone


def offers_something(data: Mapping) -> bool:
    return bool(
        (data.get("offers_beds") or 0) > 0
        or data.get("offers_meals")
        or data.get("offers_venue")
        or data.get("offers_transport")
        or (data.get("offers_other") or "").strip()
    )


def validate_host_application(data: Mapping) -> dict:
    """Check an application's values; return them with the phone cleaned.

    Raises ``ValidationError`` with each fault on its field: ``phone`` (format), ``website``
    (the honeypot was filled) and ``__all__`` (nothing offered), as the form shows them.
    """
    errors: dict[str, list] = {}
    cleaned = dict(data)
    if (data.get(HONEYPOT_FIELD) or "").strip():
        errors[HONEYPOT_FIELD] = [ValidationError(HONEYPOT_FILLED, code="honeypot")]
    if "phone" in data:
        try:
            cleaned["phone"] = clean_phone(data["phone"])
        except ValidationError as error:
            errors["phone"] = error.error_list
    if not offers_something(data):
        errors["__all__"] = [ValidationError(NO_OFFER, code="no_offer")]
    if errors:
        raise ValidationError(errors)
    cleaned.pop(HONEYPOT_FIELD, None)
    return cleaned
