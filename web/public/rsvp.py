"""RSVP to a public activity: the public form of a published journey's public activity at a
public stop (anything else answers 404), with the host form's rate limit and honeypot, errors
per field, and plain words on what is kept and when it is erased. ``stops.rsvps`` decides
confirmed or waiting list and sends the confirmation in the visitor's language.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from caravana import throttle
from journey.access import public_access
from participants.retention import retention_ends
from participants.roster_columns import normalise_phone
from stops.models import Activity, Rsvp, RsvpStatus
from stops.rsvps import rsvp
from web.public.views import _published, _time_range


class RsvpForm(forms.ModelForm):
    """``website`` is a honeypot, as on the host form."""

    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Rsvp
        fields = ("name", "email", "phone", "party_size")
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "nickname"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "party_size": forms.NumberInput(attrs={"min": 1}),
        }
        error_messages = {"name": {"required": _("Tell us what to call you.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _("An email address or a phone number, or both.")

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not phone:
            return phone
        try:
            return normalise_phone(phone)
        except ValueError:
            raise forms.ValidationError(
                _("Write a phone number, for example +1 602 555 0123.")
            ) from None

    def _post_clean(self):
        # The model's checks run in the service, with the activity locked; only the
        # "one of email or phone" rule is asked here, on the email field.
        data = self.cleaned_data
        answered = not self.has_error("email") and not self.has_error("phone")
        if answered and not data.get("email") and not data.get("phone"):
            self.add_error("email", _("Give an email address or a phone number."))


def public_activity(journey, pk: int) -> Activity:
    """A public activity at a public stop of this published journey, or 404."""
    activity = get_object_or_404(
        Activity.objects.select_related("stop"), pk=pk, stop__journey=journey, is_public=True
    )
    if not public_access(journey).can("stop.view", activity.stop):
        raise Http404
    return activity


@require_http_methods(["GET", "HEAD", "POST"])
def rsvp_form(request, slug: str, pk: int):
    journey = _published(slug)
    activity = public_activity(journey, pk)
    context = {
        "journey": journey,
        "activity": activity,
        "when": _time_range(
            activity.starts_at.astimezone(activity.stop.tzinfo),
            activity.ends_at.astimezone(activity.stop.tzinfo),
            activity.stop.timezone,
        ),
        "erased_on": retention_ends(journey),
    }
    status = 200
    if request.method == "POST":
        if not throttle.allow(request, "rsvp"):
            response = render(
                request, "web/public/rate_limited.html", {"journey": journey}, status=429
            )
            response["Retry-After"] = str(throttle.retry_after())
            return response
        if request.POST.get("website"):  # a robot: thanked, nothing kept
            return render(request, "web/public/rsvp_thanks.html", context)
        form = RsvpForm(request.POST)
        if form.is_valid():
            try:
                row = rsvp(
                    activity=activity,
                    data=form.cleaned_data,
                    language=translation.get_language(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                context["waitlisted"] = row.status == RsvpStatus.WAITLISTED
                return render(request, "web/public/rsvp_thanks.html", context)
        status = 400
    else:
        form = RsvpForm()
    context["form"] = form
    return render(request, "web/public/rsvp_form.html", context, status=status)
