"""python manage.py import_journey <file.json>: restore a journey from export_journey's file."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from journey.backup import BackupError
from journey.backup_import import import_journey


class Command(BaseCommand):
    def add_arguments(self, parser):
        # Set here, not as the class's ``help``, so that it is translated when shown.
        parser.description = _(
            "Create a journey from a file written by export_journey, with everything in it. "
            "A journey with the same slug must not exist here. Nothing is saved when any "
            "part of the file is wrong (see docs/backup.md)."
        )
        parser.add_argument("file", help=_("The JSON file written by export_journey."))

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as stream:
                data = json.load(stream)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": error.strerror}
            ) from error
        except UnicodeDecodeError as error:
            raise CommandError(_("%(file)s is not UTF-8 text.") % {"file": file}) from error
        except json.JSONDecodeError as error:
            raise CommandError(
                _("%(file)s is not JSON (line %(line)d, column %(column)d: %(reason)s).")
                % {"file": file, "line": error.lineno, "column": error.colno, "reason": error.msg}
            ) from error
        except ValueError as error:  # a number too long to read, for example
            raise CommandError(
                _("%(file)s is not JSON that can be read: %(reason)s")
                % {"file": file, "reason": error}
            ) from error
        except RecursionError:
            raise CommandError(
                _("%(file)s is nested too deeply to be a journey file.") % {"file": file}
            ) from None
        try:
            journey = import_journey(data=data)
        except BackupError as error:
            raise CommandError(_("Nothing was imported: %(error)s") % {"error": error}) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Imported the journey “%(name)s” (%(slug)s); stops: %(stops)d, "
                    "participants: %(participants)d."
                )
                % {
                    "name": journey.name,
                    "slug": journey.slug,
                    "stops": journey.stops.count(),
                    "participants": journey.participants.count(),
                }
            )
        )
