"""How times, durations and distances read to a person."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from geo.distance import KM_PER_MILE


def _english() -> bool:
    return (get_language() or "en").split("-")[0] == "en"


def day_month(day: date) -> str:
    """A day without its year, one style per language: "Apr 6", "6 de abril", "6 avril"."""
    return formats.date_format(day, "M j" if _english() else "MONTH_DAY_FORMAT")


def weekday_day_month(day: date, *, short: bool = False) -> str:
    """ "Mon, Apr 6" / "Monday, April 6"; "lun 6 de abril" / "lunes 6 de abril"; "len 6 avril"."""
    if _english():
        return formats.date_format(day, "D, M j" if short else "l, F j")
    weekday = formats.date_format(day, "D" if short else "l")
    return f"{weekday} {formats.date_format(day, 'MONTH_DAY_FORMAT')}"


def format_number(value: float) -> str:
    """A whole number grouped the reader's way: "1,234", "1.234", "1 234"."""
    return formats.number_format(round(value), 0, use_l10n=True, force_grouping=True)


def format_local(moment: datetime, tz: ZoneInfo | str) -> str:
    """A moment in a stop's local time with the zone's abbreviation: "Mar 1, 09:00 MST"."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    local = timezone.localtime(moment, zone)
    return f"{day_month(local)}, {local:%H:%M} {local.tzname()}"


def format_duration(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": rest}
    if hours:
        return _("%(h)d h") % {"h": hours}
    return _("%(m)d min") % {"m": rest}


def format_distance(km: float, unit: str = "mi") -> str:
    if unit == "km":
        return _("%(n)s km") % {"n": format_number(km)}
    return _("%(n)s mi") % {"n": format_number(km / KM_PER_MILE)}
