from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_timezone(value: str) -> None:
    """Accept only IANA zone names that this Python knows ("America/Phoenix")."""
    if value != "UTC" and (not value or "/" not in value or value.startswith("Etc/")):
        raise ValidationError(
            _("%(value)s is not an IANA time zone such as America/Chicago."),
            params={"value": value},
            code="invalid_timezone",
        )
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("%(value)s is not an IANA time zone such as America/Chicago."),
            params={"value": value},
            code="invalid_timezone",
        ) from None


def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(n for n in available_timezones() if "/" in n and not n.startswith("Etc/"))
    return [(n, n) for n in names]
