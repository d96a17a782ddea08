"""A vehicle's route as GPX 1.1, for drivers' navigation apps (OsmAnd, Organic Maps, Garmin).

Each stop is a waypoint (``<wpt>``) in the order driven, and each vehicle's route a ``<rte>``
through the same stops, which navigation apps follow. Names and descriptions are the stops'
("Phoenix, AZ"; arrival and departure in the stop's own time with its zone, venue and
address); ``<time>`` is the planned arrival in UTC, as GPX wants it. Written with gpxpy.
"""

from __future__ import annotations

from datetime import UTC

import gpxpy.gpx
from django.utils import translation

from journey.exporters.routes import RouteExporter, RouteFile, file_title, stop_place, stop_times
from journey.itinerary import StopVisit


def _point(cls, stop: StopVisit):
    return cls(
        latitude=stop.latitude,
        longitude=stop.longitude,
        time=stop.arrival.astimezone(UTC),
        name=stop.place_name,
        comment=stop_times(stop),
        description=" · ".join(part for part in (stop_times(stop), stop_place(stop)) if part),
        type=str(stop.kind_label),
    )


class RouteGpx(RouteExporter):
    format = "gpx"
    content_type = "application/gpx+xml"
    extension = "gpx"

    def render(self, data: RouteFile, *, language: str) -> bytes:
        with translation.override(language):
            gpx = gpxpy.gpx.GPX()
            gpx.creator = "Caravana"
            gpx.name = file_title(data)
            for stop in data.waypoints:
                gpx.waypoints.append(_point(gpxpy.gpx.GPXWaypoint, stop))
            for number, driven in enumerate(data.routes, start=1):
                route = gpxpy.gpx.GPXRoute(
                    name=driven.name, description=driven.route_name, number=number
                )
                route.points = [_point(gpxpy.gpx.GPXRoutePoint, stop) for stop in driven.stops]
                gpx.routes.append(route)
            return gpx.to_xml(version="1.1").encode("utf-8")
