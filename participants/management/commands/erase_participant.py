"""python manage.py erase_participant <id> [--yes]: erase one participant's personal data now."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from participants.models import Participant
from participants.retention import erase_participant


class Command(BaseCommand):
    def add_arguments(self, parser):
        # Set here, not as the class's ``help``, so that it is translated when shown.
        parser.description = _(
            "Erase one participant's personal data at their request: names, phone, email, "
            "emergency contact, needs, notes, login and secret link. Their seats and beds stay "
            "for the counts. This cannot be undone."
        )
        parser.add_argument("participant_id", type=int, help=_("The participant's id."))
        parser.add_argument("--yes", action="store_true", help=_("Do not ask for confirmation."))

    def handle(self, *args, participant_id, yes, **options):
        participant = (
            Participant.objects.select_related("journey").filter(pk=participant_id).first()
        )
        if participant is None:
            raise CommandError(_("No participant has the id %(id)d.") % {"id": participant_id})
        params = {"name": participant.display_name, "journey": participant.journey.name}
        if participant.anonymized_at is not None:
            self.stdout.write(_("%(name)s (%(journey)s) was already erased.") % params)
            return
        if not yes:
            answer = input(
                _(
                    "Erase the personal data of %(name)s (%(journey)s)? This cannot be undone. "
                    "Type “yes” to erase: "
                )
                % params
            )
            if answer.strip().lower() not in {"yes", _("yes").lower()}:
                self.stdout.write(_("Nothing was erased."))
                return
        erased = erase_participant(participant=participant)
        self.stdout.write(
            _("Erased. The participant is now listed as “%(name)s”.") % {"name": erased}
        )
