"""The host registration form: what a local organization offers a journey."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from journey.formatting import format_local
from stops.applications import (
    HONEYPOT_FIELD,
    HOST_APPLICATION_FIELDS,
    NO_OFFER,
    clean_phone,
    offers_something,
)
from stops.models import HostAlly, Stop


class StopChoiceField(forms.ModelChoiceField):
    """A public stop, named by its place and local arrival: "Phoenix, AZ (Mar 2, 16:00 MST)"."""

    def label_from_instance(self, stop):
        return f"{stop.place_name} ({format_local(stop.arrival, stop.tzinfo)})"


class HostApplicationForm(forms.ModelForm):
    """Anyone may offer help to a published journey; a coordinator decides later.

    ``website`` is a honeypot: hidden from people (and from screen readers and the
    keyboard), it tempts form-filling robots; the view drops any application that
    fills it.
    """

    stop = StopChoiceField(
        queryset=Stop.objects.none(),
        required=False,
        label=_("Stop you can serve"),
        empty_label=_("Not sure yet"),
        help_text=_("The public stops of this journey."),
    )
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = HostAlly
        fields = (*HOST_APPLICATION_FIELDS[:6], "stop", *HOST_APPLICATION_FIELDS[6:])
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "organization": forms.TextInput(attrs={"autocomplete": "organization"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "state": forms.TextInput(attrs={"autocomplete": "address-level1"}),
            "available_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "available_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "offers_beds": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "meals_capacity": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"meals_capacity": _("How many people you can feed at one meal")}
        help_texts = {
            "meals_capacity": _("Optional. Leave it empty if you do not offer meals."),
            "accessibility": _("Steps, elevators, accessible bathrooms, beds on the ground floor."),
            "offers_other": _("For example: showers, laundry, a place to park the bus."),
        }
        error_messages = {
            "organization": {"required": _("Give the name of your organization.")},
            "contact_name": {"required": _("Tell us who to contact.")},
            "city": {"required": _("Give the city where you can help.")},
            "offers_beds": {"min_value": _("The number of beds cannot be negative.")},
        }

    def __init__(self, *args, journey, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.journey = journey
        self.fields["stop"].queryset = Stop.objects.for_journey(journey).public().chronological()
        email = self.fields["email"]
        email.required = True
        email.error_messages["required"] = _("Give an email address so we can answer you.")
        email.help_text = _("We send a confirmation to this address.")
        self.fields["phone"].help_text = _("Optional. Digits, spaces and + ( ) - only.")
        for name, field in self.fields.items():
            if field.required and name != HONEYPOT_FIELD:
                field.widget.attrs.setdefault("aria-required", "true")

    @property
    def is_spam(self) -> bool:
        """The honeypot was filled (call after ``is_valid``)."""
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if not offers_something(data) and not self.has_error("offers_beds"):
            raise forms.ValidationError(NO_OFFER, code="no_offer")
        return data
