"""python manage.py import_participants <journey-slug> <file>: a roster from CSV, XLSX or ODS."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from journey.models import Journey
from participants.roster import import_roster


class Command(BaseCommand):
    def add_arguments(self, parser):
        # Set here, not as the class's ``help``, so that it is translated when shown.
        parser.description = _(
            "Import a journey's participants from a CSV, XLSX or ODS file (columns in the "
            "README). People already on the journey (same email or phone) are updated. "
            "Nothing is saved when any row is wrong."
        )
        parser.add_argument("journey_slug", help=_("The journey's slug."))
        parser.add_argument("file", help=_("The roster file: CSV (UTF-8), XLSX or ODS."))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Check the file and show what would change, without saving."),
        )
        parser.add_argument(
            "--delete-missing",
            action="store_true",
            help=_("Delete the journey's participants who are not in the file."),
        )

    def handle(self, *args, journey_slug, file, dry_run, delete_missing, **options):
        journey = Journey.objects.filter(slug=journey_slug).first()
        if journey is None:
            raise CommandError(_("No journey has the slug %(slug)s.") % {"slug": journey_slug})
        try:
            with open(file, "rb") as stream:
                content = stream.read(settings.CARAVANA_MAX_UPLOAD_BYTES + 1)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error}
            ) from None
        if len(content) > settings.CARAVANA_MAX_UPLOAD_BYTES:
            raise CommandError(_("The file is too large."))
        result = import_roster(
            journey=journey,
            content=content,
            filename=file,
            delete_missing=delete_missing,
            dry_run=dry_run,
        )
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                ngettext(
                    "%(count)d error: nothing was saved.",
                    "%(count)d errors: nothing was saved.",
                    len(result.errors),
                )
                % {"count": len(result.errors)}
            )
        for row in result.updated:
            changes = "; ".join(f"{c.column}: {c.old!r} → {c.new!r}" for c in row.changes)
            self.stdout.write(
                _("Line %(line)s, %(name)s: %(changes)s")
                % {"line": row.line, "name": row.name, "changes": changes}
            )
        for name in result.deleted:
            self.stdout.write(_("Deleted: %(name)s") % {"name": name})
        summary = _(
            "%(created)d new, %(updated)d updated, %(unchanged)d unchanged, %(deleted)d deleted."
        ) % {
            "created": len(result.created),
            "updated": len(result.updated),
            "unchanged": len(result.unchanged),
            "deleted": len(result.deleted),
        }
        if dry_run:
            summary = _("Dry run, nothing saved: %(summary)s") % {"summary": summary}
        self.stdout.write(summary)
