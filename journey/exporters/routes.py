"""A vehicle's route for drivers' navigation apps: what the GPX and KML files are written from.

* ``Audience.TEAM`` (coordinators): every vehicle of the journey, or the one asked for
  (``ExportRequest.vehicle``); each vehicle's route is the active stops of its route, in
  route order.
* ``Audience.PERSONAL`` (a participant's secret link): their own part of the route, the stops
  of their personal itinerary (``build_itinerary``, where the privacy rules live), named after
  the vehicle(s) they ride. Nothing of another vehicle's route, nothing of another person.

Each stop is a waypoint with its name, where the caravan meets (venue and address) and its
planned arrival and departure in the stop's own time zone. No names of people, no lodging.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from journey.exporters import Exporter, ExportRequest
from journey.formatting import format_local
from journey.itinerary import Audience, JourneyInfo, StopVisit, build_itinerary, route_stops
from journey.itinerary import journey_info as read_journey_info
from journey.plan import Plan


@dataclass(frozen=True)
class DrivenRoute:
    """One vehicle's route (or a rider's part of it): its stops in the order driven."""

    name: str  # the vehicle's name ("Bus 1"), or the route's for a rider without a seat
    route_name: str
    color: str  # "#b5179e" or ""
    stops: tuple[StopVisit, ...]


@dataclass(frozen=True)
class RouteFile:
    journey: JourneyInfo
    audience: Audience
    routes: tuple[DrivenRoute, ...]

    @property
    def waypoints(self) -> tuple[StopVisit, ...]:
        """Every stop once, in the order first driven (vehicles on one route share stops)."""
        seen, found = set(), []
        for route in self.routes:
            for stop in route.stops:
                if stop.id not in seen:
                    seen.add(stop.id)
                    found.append(stop)
        return tuple(found)


def team_routes(plan: Plan, vehicle_id: int | None = None) -> tuple[DrivenRoute, ...]:
    routes = []
    for vehicle in plan.vehicles:
        if vehicle_id is not None and vehicle.pk != vehicle_id:
            continue
        route_plan = plan.route_plans.get(vehicle.route_id)
        if route_plan is None:
            continue
        route = route_plan.route
        routes.append(
            DrivenRoute(vehicle.name, route.name, route.color, route_stops(plan, route.pk))
        )
    return tuple(routes)


def personal_route(plan: Plan, participant) -> tuple[DrivenRoute, ...]:
    itinerary = build_itinerary(plan, audience=Audience.PERSONAL, participant=participant)
    if not itinerary.stops:
        return ()
    route_name = itinerary.legs[0].route_name if itinerary.legs else ""
    color = itinerary.legs[0].route_color if itinerary.legs else ""
    vehicles = " / ".join(vehicle.name for vehicle in itinerary.vehicles)
    return (DrivenRoute(vehicles or route_name, route_name, color, itinerary.stops),)


def stop_times(stop: StopVisit) -> str:
    """ "Arrive Mar 2, 16:00 MST · leave Mar 3, 08:00 MST" in the reader's language."""
    return _("Arrive %(arrival)s · leave %(departure)s") % {
        "arrival": format_local(stop.arrival, stop.tz),
        "departure": format_local(stop.departure, stop.tz),
    }


def stop_place(stop: StopVisit) -> str:
    """Where the caravan meets or parks at a stop: venue and address, as far as known."""
    return ", ".join(part for part in (stop.venue, stop.address) if part)


def file_title(data: RouteFile) -> str:
    names = ", ".join(route.name for route in data.routes if route.name)
    if not names:
        return data.journey.name
    return _("%(journey)s: %(routes)s") % {"journey": data.journey.name, "routes": names}


class RouteExporter(Exporter):
    """The data both navigation formats write; each subclass only renders."""

    document = "route"
    audiences = frozenset({Audience.TEAM, Audience.PERSONAL})
    uses_vehicle = True

    def gather(self, plan: Plan, request: ExportRequest) -> RouteFile:
        if request.audience == Audience.PERSONAL:
            routes = personal_route(plan, request.participant)
        else:
            vehicle_id = request.vehicle.pk if request.vehicle is not None else None
            routes = team_routes(plan, vehicle_id)
        return RouteFile(read_journey_info(plan), request.audience, routes)
