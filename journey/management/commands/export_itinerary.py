"""Export a journey's itinerary from the command line, through the exporter registry.

python manage.py export_itinerary tps-journey --format ics -o team.ics
python manage.py export_itinerary tps-journey --format ics --participant 12 -o ana.ics
python manage.py export_itinerary tps-journey --format csv --document rooming -o rooms.csv
python manage.py export_itinerary tps-journey --format gpx --vehicle 3 -o bus-1.gpx
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from journey.exporters import ExportError, ExportRequest, get_exporter, reader_language
from journey.itinerary import Audience
from journey.models import Journey
from journey.plan import load_plan
from participants.models import Participant, Vehicle
from stops.models import Stop


class Command(BaseCommand):
    help = (
        "Export a journey's itinerary: calendar (ics), confidential lists (csv), documents "
        "(pdf) or vehicles' routes for navigation apps (gpx, kml). Without --participant the "
        "export is for the team (or the public, with --audience public)."
    )

    def add_arguments(self, parser):
        parser.add_argument("journey", metavar="JOURNEY-SLUG")
        parser.add_argument("--format", required=True, help="ics, csv, pdf, gpx or kml.")
        parser.add_argument(
            "--document",
            help="Which document of the format: calendar (ics); rooming or manifest (csv); "
            "booklet, personal, daysheet, rooming or manifest (pdf); route (gpx, kml).",
        )
        parser.add_argument(
            "--participant", type=int, metavar="ID", help="A participant's personal export."
        )
        parser.add_argument(
            "--audience",
            choices=[Audience.PUBLIC.value, Audience.TEAM.value],
            help="For journey-wide exports: team (default, everything) or public.",
        )
        parser.add_argument("--stop", type=int, metavar="ID", help="Limit to one stop.")
        parser.add_argument(
            "--vehicle", type=int, metavar="ID", help="A route file (gpx, kml) for one vehicle."
        )
        parser.add_argument(
            "--language",
            help="Language of the texts (en or es; others read English). "
            "Default: the participant's language, or English.",
        )
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="Write here (default: standard output)."
        )

    def handle(self, *args, **options):
        journey = Journey.objects.filter(slug=options["journey"]).first()
        if journey is None:
            raise CommandError(
                _("No journey with the slug “%(slug)s”.") % {"slug": options["journey"]}
            )
        participant = self._participant(journey, options["participant"])
        stop = self._stop(journey, options["stop"])
        vehicle = self._vehicle(journey, options["vehicle"])
        if participant is not None:
            if options["audience"]:
                raise CommandError(_("--participant and --audience cannot be used together."))
            audience = Audience.PERSONAL
        else:
            audience = Audience(options["audience"] or Audience.TEAM)
        language = options["language"] or (participant.language if participant else "en")
        try:
            exporter = get_exporter(options["format"], options["document"])
            request = ExportRequest(audience, participant=participant, stop=stop, vehicle=vehicle)
            exporter.check(request)
        except ExportError as error:
            raise CommandError(str(error)) from error
        if not options["output"] and not exporter.is_text:
            raise CommandError(
                _("The %(format)s format is binary: give a file with -o FILE.")
                % {"format": exporter.format}
            )
        body = exporter.export(load_plan(journey), request, language=reader_language(language))
        if options["output"]:
            Path(options["output"]).write_bytes(body)
            if options["verbosity"] >= 1:
                self.stderr.write(
                    _("Wrote %(size)d bytes to %(file)s.")
                    % {"size": len(body), "file": options["output"]}
                )
        else:
            self.stdout.write(body.decode("utf-8-sig"), ending="")

    @staticmethod
    def _participant(journey, participant_id):
        if participant_id is None:
            return None
        participant = Participant.objects.filter(pk=participant_id, journey=journey).first()
        if participant is None:
            raise CommandError(
                _("No participant %(id)s in the journey “%(slug)s”.")
                % {"id": participant_id, "slug": journey.slug}
            )
        return participant

    @staticmethod
    def _stop(journey, stop_id):
        if stop_id is None:
            return None
        stop = Stop.objects.filter(pk=stop_id, journey=journey).first()
        if stop is None:
            raise CommandError(
                _("No stop %(id)s in the journey “%(slug)s”.")
                % {"id": stop_id, "slug": journey.slug}
            )
        return stop

    @staticmethod
    def _vehicle(journey, vehicle_id):
        if vehicle_id is None:
            return None
        vehicle = Vehicle.objects.filter(pk=vehicle_id, journey=journey).first()
        if vehicle is None:
            raise CommandError(
                _("No vehicle %(id)s in the journey “%(slug)s”.")
                % {"id": vehicle_id, "slug": journey.slug}
            )
        return vehicle
