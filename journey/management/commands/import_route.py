"""python manage.py import_route <journey-slug> <file.csv>: load a route of stops from a CSV."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from journey.checks import find_problems
from journey.formatting import format_distance, format_duration
from journey.importers import ImportFailed, import_route
from journey.models import Leg

# How many schedule problems the summary spells out; the rest are only counted.
PROBLEMS_SHOWN = 5


class Command(BaseCommand):
    def add_arguments(self, parser):
        # Set here, not as the class's ``help``, so that it is translated when shown.
        parser.description = _(
            "Import a journey's stops from a CSV file (columns city, state, arrival, departure; "
            "see docs/import.md). Nothing is saved when any row is wrong."
        )
        parser.add_argument("journey_slug", help=_("The journey's slug; created if missing."))
        parser.add_argument("file", help=_("The CSV file, UTF-8."))
        parser.add_argument(
            "--route",
            dest="route_name",
            help=_("The route to fill (default: the journey's first route, or a new “Main”)."),
        )
        parser.add_argument(
            "--name",
            dest="journey_name",
            help=_("The name of a journey that the import creates."),
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_("Delete the route's stops first (otherwise a route with stops is refused)."),
        )

    def handle(self, *args, journey_slug, file, route_name, journey_name, replace, **options):
        try:
            with open(file, "rb") as stream:
                result = import_route(
                    journey_slug=journey_slug,
                    file=stream,
                    route_name=route_name,
                    journey_name=journey_name,
                    replace=replace,
                )
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": error.strerror}
            ) from error
        except ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(str(error))
            raise CommandError(
                ngettext(
                    "Nothing was imported: %(n)d problem.",
                    "Nothing was imported: %(n)d problems.",
                    len(failure.errors),
                )
                % {"n": len(failure.errors)}
            ) from failure

        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self._summary(result)

    def _summary(self, result):
        journey, route = result.journey, result.route
        if result.journey_created:
            self.stdout.write(
                _("Created the journey “%(name)s” (%(slug)s).")
                % {"name": journey.name, "slug": journey.slug}
            )
        if result.replaced_stops:
            self.stdout.write(
                ngettext(
                    "Removed %(n)d stop from route “%(route)s”.",
                    "Removed %(n)d stops from route “%(route)s”.",
                    result.replaced_stops,
                )
                % {"n": result.replaced_stops, "route": route.name}
            )
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Imported %(n)d stop into route “%(route)s”.",
                    "Imported %(n)d stops into route “%(route)s”.",
                    len(result.stops),
                )
                % {"n": len(result.stops), "route": route.name}
            )
        )
        legs = list(Leg.objects.filter(route=route))
        self.stdout.write(
            ngettext(
                "Driving: %(distance)s in %(time)s over %(n)d leg.",
                "Driving: %(distance)s in %(time)s over %(n)d legs.",
                len(legs),
            )
            % {
                "distance": format_distance(
                    sum(leg.distance_km for leg in legs), journey.distance_unit
                ),
                "time": format_duration(sum(leg.driving_minutes for leg in legs)),
                "n": len(legs),
            }
        )
        problems = find_problems(journey)
        self.stdout.write(
            ngettext(
                "Schedule checks: %(n)d problem.",
                "Schedule checks: %(n)d problems.",
                len(problems),
            )
            % {"n": len(problems)}
        )
        for problem in problems[:PROBLEMS_SHOWN]:
            self.stdout.write(f"- {problem.message}")
        if len(problems) > PROBLEMS_SHOWN:
            self.stdout.write(_("… and %(n)d more.") % {"n": len(problems) - PROBLEMS_SHOWN})
