"""python manage.py notify_changes [--journey SLUG] [--now]: email riders what changed.

Meant for cron every few minutes; a journey still being edited waits for its quiet period
(``CARAVANA_NOTIFY_QUIET_MINUTES``) so a burst of edits makes one email::

    */5 * * * *  cd /srv/caravana && .venv/bin/python manage.py notify_changes

Prints counts only, never names or addresses.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from journey.models import Journey
from participants.notifications import notify_itinerary_changes


class Command(BaseCommand):
    def add_arguments(self, parser):
        # Set here, not as the class's ``help``, so that it is translated when shown.
        parser.description = _(
            "Email each participant whose own itinerary changed (times, places, lodging, "
            "vehicle) what changed, once the plan has been quiet for "
            "CARAVANA_NOTIFY_QUIET_MINUTES. Journeys that ended are left alone unless named."
        )
        parser.add_argument("--journey", metavar="SLUG", help=_("Only this journey."))
        parser.add_argument(
            "--now", action="store_true", help=_("Do not wait for the quiet period.")
        )

    def handle(self, *args, journey=None, now=False, **options):
        if journey:
            journeys = list(Journey.objects.filter(slug=journey))
            if not journeys:
                raise CommandError(_("No journey with the slug %(slug)s.") % {"slug": journey})
        else:
            yesterday = timezone.localdate() - timedelta(days=1)
            journeys = Journey.objects.filter(
                Q(end_date__isnull=True) | Q(end_date__gte=yesterday)
            ).order_by("pk")
        if not settings.SITE_URL:
            self.stderr.write(_("SITE_URL is not set: the links in the emails will not work."))
        for found in journeys:
            result = notify_itinerary_changes(journey=found, wait_for_quiet=not now)
            if result.waiting:
                self.stdout.write(
                    _("%(journey)s: still being edited (last change %(when)s); waiting.")
                    % {"journey": found.slug, "when": f"{result.changed_at:%Y-%m-%d %H:%M %Z}"}
                )
                continue
            self.stdout.write(
                _(
                    "%(journey)s: %(emailed)d emailed, %(failed)d failed (retried next time), "
                    "%(unreachable)d changed but cannot be emailed, %(unchanged)d unchanged, "
                    "%(recorded)d recorded for the first time."
                )
                % {
                    "journey": found.slug,
                    "emailed": result.emailed,
                    "failed": result.failed,
                    "unreachable": result.unreachable,
                    "unchanged": result.unchanged,
                    "recorded": result.recorded,
                }
            )
