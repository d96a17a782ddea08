"""Ask to ride: the public form of a published journey, like the host form (rate limit per
address and for everyone, a honeypot, errors per field, the applicant's language).

It asks only what logistics needs and says what is kept, who sees it and when it is erased.
The application waits for a coordinator (web.coordinator.views.rides).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from caravana import throttle
from journey.models import Route, RouteStop
from participants.applications import apply_to_ride
from participants.models import Language, RideApplication
from participants.retention import retention_ends
from participants.roster_columns import normalise_phone
from stops.models import Stop
from web.public.forms import StopChoiceField
from web.public.views import _published


class RideApplicationForm(forms.ModelForm):
    """``website`` is a honeypot, as on the host form."""

    join_stop = StopChoiceField(
        queryset=Stop.objects.none(),
        required=False,
        label=_("Where you join"),
        empty_label=_("From the start"),
    )
    leave_stop = StopChoiceField(
        queryset=Stop.objects.none(),
        required=False,
        label=_("Where you leave"),
        empty_label=_("To the end"),
    )
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = RideApplication
        fields = (
            "display_name",
            "phone",
            "email",
            "language",
            "route",
            "join_stop",
            "leave_stop",
            "dietary_needs",
            "accessibility_needs",
        )
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        error_messages = {"display_name": {"required": _("Tell us what to call you.")}}

    def __init__(self, *args, journey, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.journey = journey
        routes = Route.objects.filter(journey=journey).order_by("pk")
        self.fields["route"].queryset = routes
        self.fields["route"].empty_label = None
        # Only public stops: a private stop of the plan is never shown to the public.
        on_routes = RouteStop.objects.filter(route__journey=journey).values("stop_id")
        stops = Stop.objects.for_journey(journey).public().filter(pk__in=on_routes)
        for name in ("join_stop", "leave_stop"):
            self.fields[name].queryset = stops.chronological()
        self.fields["phone"].help_text = _("A phone number or an email address, or both.")
        self.fields["language"].choices = Language.choices
        if not self.is_bound:
            current = translation.get_language() or ""
            if current.split("-")[0] in Language.values:
                self.initial["language"] = current.split("-")[0]

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


@require_http_methods(["GET", "HEAD", "POST"])
def ride_apply(request, slug: str):
    journey = _published(slug)
    if request.method == "POST":
        if not throttle.allow(request, "ride-application"):
            response = render(
                request, "web/public/rate_limited.html", {"journey": journey}, status=429
            )
            response["Retry-After"] = str(throttle.retry_after())
            return response
        if request.POST.get("website"):
            return redirect("web:ride_thanks", slug=slug)  # a robot: thanked, nothing kept
        form = RideApplicationForm(request.POST, journey=journey)
        if form.is_valid():
            base_url = settings.SITE_URL.rstrip("/") or request.build_absolute_uri("/")[:-1]
            apply_to_ride(journey=journey, data=form.cleaned_data, base_url=base_url)
            return redirect("web:ride_thanks", slug=slug)
        status = 400
    else:
        form = RideApplicationForm(journey=journey)
        status = 200
    context = {
        "journey": journey,
        "form": form,
        "erased_on": retention_ends(journey),
        "contact_email": settings.DEFAULT_FROM_EMAIL,
    }
    return render(request, "web/public/ride_form.html", context, status=status)


@require_safe
def ride_thanks(request, slug: str):
    journey = _published(slug)
    return render(request, "web/public/ride_thanks.html", {"journey": journey})
