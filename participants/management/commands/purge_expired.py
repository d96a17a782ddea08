"""python manage.py purge_expired [--dry-run]: erase participants of journeys past retention.

Meant for a daily cron job, for example::

    15 3 * * *  cd /srv/caravana && .venv/bin/python manage.py purge_expired
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from journey.models import Journey
from participants.models import Participant
from participants.retention import journeys_past_retention, purge_expired, retention_ends


class Command(BaseCommand):
    def add_arguments(self, parser):
        # Set here, not as the class's ``help``, so that it is translated when shown.
        parser.description = _(
            "Erase the personal data of every participant of the journeys whose retention "
            "period is over (the journey's end date plus its retention days). Counts, seats, "
            "beds and the route are kept. Safe to run again: erased participants are skipped."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Only say what would be erased."),
        )

    def handle(self, *args, dry_run, **options):
        today = timezone.localdate()
        with transaction.atomic():
            pending = {
                journey: Participant.objects.filter(
                    journey=journey, anonymized_at__isnull=True
                ).count()
                for journey in journeys_past_retention(today=today)
            }
            failed = {} if dry_run else purge_expired(today=today).failed
        for journey, reason in failed.items():
            self.stderr.write(
                _("%(journey)s (%(slug)s): nothing was erased: %(reason)s")
                % {"journey": journey.name, "slug": journey.slug, "reason": reason}
            )
        for journey, count in pending.items():
            if not count or journey in failed:
                continue
            params = {"journey": journey.name, "n": count, "until": retention_ends(journey)}
            if dry_run:
                message = ngettext(
                    "%(journey)s (kept until %(until)s): %(n)d participant would be erased.",
                    "%(journey)s (kept until %(until)s): %(n)d participants would be erased.",
                    count,
                )
            else:
                message = ngettext(
                    "%(journey)s (kept until %(until)s): %(n)d participant erased.",
                    "%(journey)s (kept until %(until)s): %(n)d participants erased.",
                    count,
                )
            self.stdout.write(message % params)
        if not any(pending.values()) and not failed:
            self.stdout.write(_("Nothing to erase."))
        undated = Journey.objects.filter(end_date__isnull=True).count()
        if undated:
            self.stdout.write(
                ngettext(
                    "%(n)d journey has no end date: its participants are never erased "
                    "automatically.",
                    "%(n)d journeys have no end date: their participants are never erased "
                    "automatically.",
                    undated,
                )
                % {"n": undated}
            )
