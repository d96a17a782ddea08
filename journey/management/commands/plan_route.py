"""python manage.py plan_route <journey-slug>: propose a route's order, schedule and drivers."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from journey.formatting import format_distance, format_duration, format_local
from journey.models import Journey, Route
from journey.planning.order import DEFAULT_TIME_LIMIT
from journey.planning.services import StaleProposal, accept_order, default_route, plan_route


class Command(BaseCommand):
    def add_arguments(self, parser):
        # Set here, not as the class's ``help``, so that it is translated when shown.
        parser.description = _(
            "Propose the order of a route's stops that minimizes driving within the day "
            "limits and windows, compare it with the current plan, and propose the daily "
            "schedule and who drives each leg. Nothing changes unless --accept is given."
        )
        parser.add_argument("journey_slug", help=_("The journey's slug."))
        parser.add_argument(
            "--route", dest="route_name", help=_("The route to plan (default: the first).")
        )
        parser.add_argument(
            "--time-limit",
            type=float,
            default=DEFAULT_TIME_LIMIT,
            help=_("Seconds the solver searches (default: %(default)s)."),
        )
        parser.add_argument(
            "--accept",
            action="store_true",
            help=_("Apply the proposed order to the route."),
        )

    def handle(self, *args, journey_slug, route_name, time_limit, accept, **options):
        journey = Journey.objects.filter(slug=journey_slug).first()
        if journey is None:
            raise CommandError(_("No journey has the slug “%(slug)s”.") % {"slug": journey_slug})
        if route_name:
            route = Route.objects.filter(journey=journey, name=route_name).first()
        else:
            route = default_route(journey)
        if route is None:
            raise CommandError(
                _("The journey has no route called “%(name)s”.") % {"name": route_name}
                if route_name
                else _("The journey has no route.")
            )
        if not 0 < time_limit <= 3600:
            raise CommandError(_("The time limit must be between 0 and 3600 seconds."))

        planning = plan_route(journey=journey, route=route, time_limit=time_limit)
        self.unit = journey.distance_unit
        self.stdout.write(
            ngettext(
                "Route “%(route)s” of %(journey)s: %(n)d stop.",
                "Route “%(route)s” of %(journey)s: %(n)d stops.",
                len(planning.problem.stops),
            )
            % {"route": route.name, "journey": journey.name, "n": len(planning.problem.stops)}
        )
        if planning.order is None:
            self.stdout.write(_("Nothing to plan: a route needs at least two stops."))
            return
        self._order(planning.order)
        self._schedule(planning)
        self._drivers(planning)
        if accept:
            self._accept(planning)

    # --- sections -------------------------------------------------------------------
    def _heading(self, text):
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(text))

    def _totals(self, summary) -> dict:
        return {
            "distance": format_distance(summary.distance_km, self.unit),
            "driving": format_duration(summary.driving_minutes),
        }

    def _order(self, order):
        self._heading(_("Order"))
        self.stdout.write(
            _("  Current plan:  %(distance)s, %(driving)s of driving") % self._totals(order.current)
        )
        if order.proposed is None:
            self.stdout.write(self.style.ERROR(_("  No order fits the windows and day limits:")))
            for flag in order.explanations:
                self.stdout.write(f"    - {flag.message}")
        elif not order.changed:
            self.stdout.write(_("  The current order is already the shortest that fits."))
        else:
            self.stdout.write(
                _(
                    "  Proposed plan: %(distance)s, %(driving)s of driving "
                    "(%(saved_distance)s and %(saved_driving)s less)"
                )
                % (
                    self._totals(order.proposed)
                    | {
                        "saved_distance": format_distance(order.distance_saved_km, self.unit),
                        "saved_driving": format_duration(max(order.driving_saved_minutes, 0)),
                    }
                )
            )
            if not order.current.fits:
                self.stdout.write(_("  The current order breaks the rules (see the flags)."))
            self.stdout.write(_("  Stops that move:"))
            for move in order.moves:
                self.stdout.write(
                    _("    %(stop)s: %(old)d → %(new)d")
                    % {"stop": move.name, "old": move.old_position, "new": move.new_position}
                )
        self.stdout.write(_("  Time searched: %(seconds).1f s") % {"seconds": order.solve_seconds})
        if order.windows:
            self.stdout.write(_("  Windows:"))
        for window in order.windows:
            params = {
                "stop": window.name,
                "arrival": format_local(window.arrival, window.timezone),
                "window": self._window(window),
            }
            if not window.met:
                line = self.style.ERROR(
                    _("    %(stop)s: arrives %(arrival)s; window %(window)s; missed") % params
                )
            elif window.slack_minutes is None:
                line = _("    %(stop)s: arrives %(arrival)s; window %(window)s") % params
            else:
                params["slack"] = format_duration(window.slack_minutes)
                text = _("    %(stop)s: arrives %(arrival)s; window %(window)s; %(slack)s to spare")
                if window.tight:
                    text = _(
                        "    %(stop)s: arrives %(arrival)s; window %(window)s; "
                        "only %(slack)s to spare (tight)"
                    )
                line = (self.style.WARNING if window.tight else str)(text % params)
            self.stdout.write(line)

    def _window(self, window) -> str:
        if window.earliest and window.latest:
            return _("%(from)s – %(to)s") % {
                "from": format_local(window.earliest, window.timezone),
                "to": format_local(window.latest, window.timezone),
            }
        if window.earliest:
            return _("from %(from)s") % {"from": format_local(window.earliest, window.timezone)}
        return _("by %(to)s") % {"to": format_local(window.latest, window.timezone)}

    def _schedule(self, planning):
        order = planning.order
        self._heading(
            _("Schedule of the proposed order")
            if order.proposed is not None and order.changed
            else _("Schedule of the current order")
        )
        schedule = planning.schedule
        stops = {entry.stop.id: entry for entry in schedule.stops}
        for day in schedule.days:
            self.stdout.write(
                _("  Day %(n)d, %(date)s: %(first)s → %(last)s, %(driving)s of driving")
                % {
                    "n": day.index + 1,
                    "date": format_local(day.start, day.first_stop.tzinfo),
                    "first": day.first_stop.name,
                    "last": day.last_stop.name,
                    "driving": format_duration(day.driving_minutes),
                }
            )
            for index in day.leg_indexes:
                leg = schedule.legs[index]
                entry = stops[leg.destination.id]
                text = (
                    _(
                        "    %(departure)s %(origin)s → %(arrival)s %(destination)s "
                        "(%(distance)s, %(driving)s + %(breaks)s of breaks)"
                    )
                    if leg.break_minutes
                    else _(
                        "    %(departure)s %(origin)s → %(arrival)s %(destination)s "
                        "(%(distance)s, %(driving)s)"
                    )
                )
                self.stdout.write(
                    text
                    % {
                        "departure": format_local(leg.departure, leg.origin.tzinfo),
                        "origin": leg.origin.name,
                        "arrival": format_local(leg.arrival, leg.destination.tzinfo),
                        "destination": leg.destination.name,
                        "distance": format_distance(leg.distance_km, self.unit),
                        "driving": format_duration(leg.driving_minutes),
                        "breaks": format_duration(leg.break_minutes),
                    }
                )
                if entry.wait_minutes:
                    self.stdout.write(
                        _("      waits %(wait)s in %(stop)s for a window")
                        % {"wait": format_duration(entry.wait_minutes), "stop": entry.stop.name}
                    )
            last = stops[day.last_stop.id]
            if last.nights:
                self.stdout.write(
                    ngettext(
                        "    %(n)d night in %(stop)s, leaving %(departure)s",
                        "    %(n)d nights in %(stop)s, leaving %(departure)s",
                        last.nights,
                    )
                    % {
                        "n": last.nights,
                        "stop": last.stop.name,
                        "departure": format_local(last.departure, last.stop.tzinfo),
                    }
                )
        self._flags(_("Days that do not fit"), schedule.flags)

    def _drivers(self, planning):
        self._heading(_("Drivers"))
        plan, schedule = planning.drivers, planning.schedule
        names = {driver.id: driver.name for driver in planning.team}
        for vehicle in planning.vehicles:
            self.stdout.write(f"  {vehicle.name}")
            for leg in schedule.legs:
                ids = plan.drivers_of(leg.index, vehicle.id)
                who = ", ".join(names[i] for i in ids) or _("nobody")
                self.stdout.write(
                    _("    %(departure)s %(origin)s → %(destination)s: %(who)s")
                    % {
                        "departure": format_local(leg.departure, leg.origin.tzinfo),
                        "origin": leg.origin.name,
                        "destination": leg.destination.name,
                        "who": who,
                    }
                )
        for duty in plan.duties:
            self.stdout.write(
                _("  %(name)s, %(start)s: %(driving)s of driving, %(duty)s on duty")
                % {
                    "name": duty.name,
                    "start": format_local(
                        duty.start, schedule.legs[duty.leg_indexes[0]].origin.tzinfo
                    ),
                    "driving": format_duration(duty.driving_minutes),
                    "duty": format_duration(duty.duty_minutes),
                }
            )
        self._flags(_("Driver problems"), plan.flags)

    def _flags(self, title, flags):
        if not flags:
            return
        self.stdout.write(self.style.WARNING(f"  {title}:"))
        for flag in flags:
            self.stdout.write(f"    - {flag.message}")

    def _accept(self, planning):
        self.stdout.write("")
        order = planning.order
        if not order.changed:
            self.stdout.write(_("Nothing to apply: no new order is proposed."))
            return
        try:
            accept_order(route=planning.route, proposal=order)
        except StaleProposal as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(_("The proposed order is now the route's order.")))
