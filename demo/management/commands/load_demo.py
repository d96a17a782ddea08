"""python manage.py load_demo [--coordinator USERNAME] [--password PW]: build the demo journey."""

import secrets
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from demo.build import build_demo, ensure_demo_coordinator
from journey.checks import find_problems
from journey.formatting import format_distance, format_duration
from journey.models import Leg

ADMIN_URL = "http://127.0.0.1:8000/admin/"


class Command(BaseCommand):
    def add_arguments(self, parser):
        # Set here, not as the class's ``help``, so that it is translated when shown.
        parser.description = _(
            "Build the demo journey (Los Angeles to Washington, DC, March 2027), replacing an "
            "earlier demo. With --coordinator, also create or update a staff login that "
            "coordinates it."
        )
        parser.add_argument(
            "--coordinator",
            metavar="USERNAME",
            help=_(
                "Create or update this staff user (not a superuser), allowed to manage journeys, "
                "stops and participants in the admin, as a coordinator of the demo."
            ),
        )
        parser.add_argument(
            "--password",
            help=_("The coordinator's password (default: a new random one, printed at the end)."),
        )

    def handle(self, *args, coordinator=None, password=None, **options):
        if password and not coordinator:
            raise CommandError(_("--password needs --coordinator."))
        started = time.monotonic()
        with transaction.atomic():
            user = None
            if coordinator:
                password = password or secrets.token_urlsafe(12)
                try:
                    user = ensure_demo_coordinator(username=coordinator, password=password)
                except ValueError as error:
                    raise CommandError(str(error)) from error
            journey = build_demo(coordinator=user)
        seconds = time.monotonic() - started
        self._summary(journey, seconds)
        if user is not None:
            self.stdout.write("")
            self.stdout.write(
                _("Log in at %(url)s (start the server first: python manage.py runserver)")
                % {"url": ADMIN_URL}
            )
            self.stdout.write(_("Username: %(username)s") % {"username": user.get_username()})
            self.stdout.write(_("Password: %(password)s") % {"password": password})

    def _summary(self, journey, seconds):
        routes = list(journey.routes.all())
        legs = list(Leg.objects.for_journey(journey))
        self.stdout.write(
            self.style.SUCCESS(
                _("Built the demo journey “%(name)s” (%(slug)s) in %(seconds).1f s.")
                % {"name": journey.name, "slug": journey.slug, "seconds": seconds}
            )
        )
        self.stdout.write(
            ngettext(
                "Stops: %(stops)d on %(n)d route.",
                "Stops: %(stops)d on %(n)d routes.",
                len(routes),
            )
            % {"stops": journey.stops.count(), "n": len(routes)}
        )
        self.stdout.write(
            _("Participants: %(n)d.") % {"n": journey.participants.count()},
        )
        self.stdout.write(
            _("Total distance: %(distance)s, %(time)s at the wheel.")
            % {
                "distance": format_distance(
                    sum(leg.distance_km for leg in legs), journey.distance_unit
                ),
                "time": format_duration(sum(leg.driving_minutes for leg in legs)),
            }
        )
        problems = find_problems(journey)
        self.stdout.write(
            ngettext(
                "Schedule problems: %(n)d (deliberate, for the checks to find):",
                "Schedule problems: %(n)d (deliberate, for the checks to find):",
                len(problems),
            )
            % {"n": len(problems)}
        )
        for problem in problems:
            self.stdout.write(f"- {problem.message}")
