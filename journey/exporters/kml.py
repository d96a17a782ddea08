"""A vehicle's route as KML, for Google Earth, Google My Maps and most map apps.

One folder per vehicle: a placemark per stop in the order driven (name, planned arrival and
departure in the stop's own time, venue and address; a ``TimeSpan`` from arrival to
departure with the local offset) and a line through them in the route's colour. Written with
simplekml, which escapes every text.
"""

from __future__ import annotations

import simplekml
from django.utils import translation
from django.utils.translation import gettext as _

from journey.exporters.routes import RouteExporter, RouteFile, file_title, stop_place, stop_times

DEFAULT_COLOR = "#1f6feb"


def kml_color(color: str) -> str:
    """ "#b5179e" as KML writes it: alpha, blue, green, red ("ff9e17b5")."""
    value = (color or DEFAULT_COLOR).lstrip("#")
    if len(value) != 6:
        value = DEFAULT_COLOR.lstrip("#")
    red, green, blue = value[0:2], value[2:4], value[4:6]
    return f"ff{blue}{green}{red}".lower()


class RouteKml(RouteExporter):
    format = "kml"
    content_type = "application/vnd.google-earth.kml+xml"
    extension = "kml"

    def render(self, data: RouteFile, *, language: str) -> bytes:
        with translation.override(language):
            kml = simplekml.Kml(name=file_title(data))
            for driven in data.routes:
                folder = kml.newfolder(name=driven.name)
                for stop in driven.stops:
                    point = folder.newpoint(
                        name=stop.place_name,
                        coords=[(stop.longitude, stop.latitude)],
                        description="\n".join(
                            part for part in (stop_times(stop), stop_place(stop)) if part
                        ),
                    )
                    point.timespan.begin = stop.arrival.isoformat()
                    point.timespan.end = stop.departure.isoformat()
                if len(driven.stops) > 1:
                    line = folder.newlinestring(
                        name=_("Route of %(name)s") % {"name": driven.name},
                        coords=[(stop.longitude, stop.latitude) for stop in driven.stops],
                    )
                    line.style.linestyle.color = kml_color(driven.color)
                    line.style.linestyle.width = 4
            return kml.kml().encode("utf-8")
