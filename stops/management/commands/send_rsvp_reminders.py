"""python manage.py send_rsvp_reminders: the day-before reminder to visitors who RSVPed.

Safe to run often (each RSVP is reminded once); for example hourly from cron::

    5 * * * *  cd /srv/caravana && .venv/bin/python manage.py send_rsvp_reminders
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stops.rsvps import send_reminders


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.description = _(
            "Email the visitors who RSVPed to a public activity the day before it, once."
        )

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(
            ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", sent)
            % {"count": sent}
        )
