"""python manage.py export_journey <slug> [-o file.json]: one journey as a JSON backup file."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from journey.backup import BackupError, export_journey
from journey.models import Journey


class Command(BaseCommand):
    def add_arguments(self, parser):
        # Set here, not as the class's ``help``, so that it is translated when shown.
        parser.description = _(
            "Write a journey and everything in it (stops, legs, people, vehicles, lodging, "
            "assignments, secret links) to one JSON file, to restore it with import_journey "
            "here or on another server (see docs/backup.md)."
        )
        parser.add_argument("journey_slug", help=_("The journey's slug."))
        parser.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help=_("Write to this file (default, or “-”: standard output)."),
        )

    def handle(self, *args, journey_slug, output, **options):
        journey = Journey.objects.filter(slug=journey_slug).first()
        if journey is None:
            raise CommandError(_("No journey with the slug “%(slug)s”.") % {"slug": journey_slug})
        try:
            data = export_journey(journey=journey)
        except BackupError as error:
            raise CommandError(str(error)) from error
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if not output or output == "-":
            self.stdout.write(text)
            return
        try:
            with open(output, "w", encoding="utf-8") as stream:
                stream.write(text + "\n")
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(reason)s") % {"file": output, "reason": error.strerror}
            ) from error
        self.stderr.write(
            _(
                "Exported the journey “%(name)s” to %(file)s. It holds personal data and secret "
                "links: keep it as safe as the database."
            )
            % {"name": journey.name, "file": output}
        )
