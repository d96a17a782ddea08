"""The coordinators' forms: times in each stop's local time, choices limited to the journey."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geo.geocoding import geocode_place
from journey.concurrency import VersionedForm
from journey.forms import (
    JourneyScopedForm,
    LocalDateTimeField,
    LocalTimesForm,
    make_local_aware,
    zone_abbreviations,
)
from journey.models import Journey, Route
from participants.fields import PARTICIPANT_FIELDS
from participants.models import Language, Participant, Role, Vehicle
from stops.fields import STOP_DETAIL_FIELDS, STOP_LOCAL_TIME_FIELDS
from stops.models import LodgingKind, Stop, StopKind


def _aware(form: forms.Form, name: str, zone: ZoneInfo):
    """The field's wall-clock value made aware in ``zone`` (an error on the field if it
    falls in the hour skipped by summer time)."""
    value = form.cleaned_data.get(name)
    if value is None or timezone.is_aware(value):
        return value
    try:
        return make_local_aware(value, zone)
    except ValidationError as error:
        form.add_error(name, error)
        return None


class AddStopForm(forms.Form):
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        help_text=_("City and state, as in “Tucson, AZ”, or a ZIP code."),
    )
    arrival = LocalDateTimeField(label=_("Arrival"), help_text=_("Local time at the place."))
    departure = LocalDateTimeField(label=_("Departure"), help_text=_("Local time at the place."))
    kind = forms.ChoiceField(label=_("Kind"), choices=StopKind.choices, initial=StopKind.OVERNIGHT)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)

    place_found = None

    def clean(self):
        cleaned_data = super().clean()
        text = cleaned_data.get("place")
        if not text:
            return cleaned_data
        place = geocode_place(text)
        if place is None:
            self.add_error(
                "place",
                _(
                    "No place called “%(place)s” was found. Check the spelling and add the "
                    "state, as in “Tucson, AZ”."
                )
                % {"place": text},
            )
            return cleaned_data
        self.place_found = place
        zone = ZoneInfo(place.timezone)
        for name in ("arrival", "departure"):
            cleaned_data[name] = _aware(self, name, zone)
        arrival, departure = cleaned_data.get("arrival"), cleaned_data.get("departure")
        if arrival and departure and departure < arrival:
            self.add_error("departure", _("The departure is before the arrival."))
        return cleaned_data


class StopEditForm(VersionedForm, LocalTimesForm):
    """A stop's times (in its own local time) and details; its place stays as it is."""

    local_time_fields = STOP_LOCAL_TIME_FIELDS

    class Meta:
        model = Stop
        fields = STOP_DETAIL_FIELDS
        field_classes = dict.fromkeys(STOP_LOCAL_TIME_FIELDS, LocalDateTimeField)

    def current_zone(self):
        return self.instance.tzinfo

    def zone_from(self, cleaned_data):
        return self.instance.tzinfo


class MoveStopForm(forms.Form):
    stop = forms.IntegerField()
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class ParticipantFilterForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    route = forms.ModelChoiceField(
        label=_("Route"), queryset=Route.objects.none(), required=False, empty_label=_("Any")
    )
    stop = forms.ModelChoiceField(
        label=_("At stop"),
        queryset=Stop.objects.none(),
        required=False,
        empty_label=_("Any"),
        help_text=_("People whose part of the route includes this stop."),
    )
    vehicle = forms.ModelChoiceField(
        label=_("Vehicle"), queryset=Vehicle.objects.none(), required=False, empty_label=_("Any")
    )

    def __init__(self, *args, journey: Journey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Any")), *Role.choices]
        self.fields["language"].choices = [("", _("Any")), *Language.choices]
        self.fields["route"].queryset = Route.objects.filter(journey=journey).order_by("pk")
        self.fields["stop"].queryset = Stop.objects.filter(journey=journey).order_by("arrival")
        self.fields["vehicle"].queryset = Vehicle.objects.filter(journey=journey)


class ParticipantForm(JourneyScopedForm):
    class Meta:
        model = Participant
        fields = PARTICIPANT_FIELDS


class SeatForm(forms.Form):
    vehicle = forms.ModelChoiceField(label=_("Vehicle"), queryset=Vehicle.objects.none())
    from_stop = forms.ModelChoiceField(label=_("From"), queryset=Stop.objects.none())
    to_stop = forms.ModelChoiceField(label=_("To"), queryset=Stop.objects.none())
    is_driver = forms.BooleanField(label=_("Drives"), required=False)

    def __init__(self, *args, journey: Journey, **kwargs):
        super().__init__(*args, **kwargs)
        stops = Stop.objects.filter(journey=journey).active().order_by("arrival", "pk")
        self.fields["vehicle"].queryset = Vehicle.objects.filter(journey=journey)
        self.fields["from_stop"].queryset = stops
        self.fields["to_stop"].queryset = stops


class BedForm(forms.Form):
    """A bed on one night: the choices are (lodging, night) pairs with the beds left."""

    bed = forms.ChoiceField(label=_("Bed"))

    def __init__(self, *args, options: list[tuple[int, date, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bed"].choices = [
            (f"{lodging_id}:{night.isoformat()}", label) for lodging_id, night, label in options
        ]

    def clean_bed(self) -> tuple[int, date]:
        lodging_id, night = self.cleaned_data["bed"].split(":")
        return int(lodging_id), date.fromisoformat(night)


class ApproveHostForm(forms.Form):
    stop = forms.ModelChoiceField(label=_("Stop served"), queryset=Stop.objects.none())
    create_lodging = forms.BooleanField(
        label=_("Turn the offered beds into lodging at this stop"), required=False
    )
    lodging_name = forms.CharField(label=_("Lodging name"), max_length=200, required=False)
    lodging_kind = forms.ChoiceField(
        label=_("Lodging kind"), choices=LodgingKind.choices, initial=LodgingKind.OTHER
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        help_text=_("Private: shown only to the people who sleep there."),
    )
    capacity = forms.IntegerField(label=_("Beds"), min_value=1, required=False)
    check_in = LocalDateTimeField(
        label=_("Check-in"),
        required=False,
        help_text=_("Local time at the stop. Empty: the stop's arrival."),
    )
    check_out = LocalDateTimeField(
        label=_("Check-out"),
        required=False,
        help_text=_("Local time at the stop. Empty: the stop's departure."),
    )

    def __init__(self, *args, journey: Journey, host, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "stop": host.stop_id,
                "create_lodging": host.offers_beds > 0,
                "lodging_name": host.organization,
                "capacity": host.offers_beds or None,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["stop"].queryset = (
            Stop.objects.filter(journey=journey).active().order_by("arrival", "pk")
        )

    def clean(self):
        cleaned_data = super().clean()
        stop = cleaned_data.get("stop")
        if not cleaned_data.get("create_lodging") or stop is None:
            return cleaned_data
        for name in ("lodging_name", "address", "capacity"):
            if not cleaned_data.get(name) and name not in self.errors:
                self.add_error(name, _("Needed to create the lodging."))
        zone = stop.tzinfo
        check_in = _aware(self, "check_in", zone) or stop.arrival
        check_out = _aware(self, "check_out", zone) or stop.departure
        if check_out <= check_in:
            self.add_error("check_out", _("Check-out must be after check-in."))
        cleaned_data["check_in"], cleaned_data["check_out"] = check_in, check_out
        return cleaned_data

    def lodging_fields(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("create_lodging"):
            return None
        return {
            "name": data["lodging_name"],
            "kind": data["lodging_kind"],
            "address": data["address"],
            "capacity": data["capacity"],
            "check_in": data["check_in"],
            "check_out": data["check_out"],
        }


class DeclineHostForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the host (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


def zone_label(zone: ZoneInfo) -> str:
    return f"{zone.key} ({zone_abbreviations(zone)})"
