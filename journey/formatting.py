"""How times, durations and distances read to a person."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from geo.distance import KM_PER_MILE


def format_local(moment: datetime, tz: ZoneInfo | str) -> str:
    """A moment in a stop's local time with the zone's abbreviation: "Mar 1, 09:00 MST"."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    local = timezone.localtime(moment, zone)
    day = formats.date_format(local, "j M" if get_language() == "es" else "M j")
    return f"{day}, {local:%H:%M} {local.tzname()}"


def format_duration(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": rest}
    if hours:
        return _("%(h)d h") % {"h": hours}
    return _("%(m)d min") % {"m": rest}


def format_distance(km: float, unit: str = "mi") -> str:
    if unit == "km":
        return _("%(n)s km") % {"n": f"{km:,.0f}"}
    return _("%(n)s mi") % {"n": f"{km / KM_PER_MILE:,.0f}"}
