"""A visitor's RSVP to a public activity (``stops.rsvps`` takes them).

Personal data: the name or nickname, the email or phone. Erased with the journey's
retention (``participants.retention.purge_expired``); only coordinators see them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The most people one RSVP may bring (a family, a small group): more is a mistake or abuse.
MAX_PARTY = 20


class RsvpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Rsvp(models.Model):
    activity = models.ForeignKey(
        "stops.Activity",
        on_delete=models.CASCADE,
        related_name="rsvps",
        verbose_name=_("activity"),
    )
    name = models.CharField(_("name or nickname"), max_length=120)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    party_size = models.PositiveIntegerField(
        _("how many of you"),
        default=1,
        validators=[MinValueValidator(1)],
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RsvpStatus.choices, default=RsvpStatus.CONFIRMED
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        ordering = ["activity", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(party_size__gte=1), name="rsvp_party_at_least_one"
            ),
            models.CheckConstraint(
                condition=~models.Q(email="", phone=""), name="rsvp_email_or_phone"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.email and not self.phone:
            raise ValidationError({"email": _("Give an email address or a phone number.")})
        if self.party_size and self.party_size > MAX_PARTY:
            raise ValidationError(
                {"party_size": _("At most %(max)d people per RSVP.") % {"max": MAX_PARTY}}
            )
