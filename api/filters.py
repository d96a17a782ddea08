"""Filters for the API's lists (django-filter). Every list is already limited to one journey
and to what the viewer may see; these only narrow it further."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from caravana.params import FIRST_YEAR, LAST_YEAR, MAX_PK
from journey.models import Leg
from participants.models import (
    BedAssignment,
    Language,
    Participant,
    Role,
    SeatAssignment,
    Vehicle,
    VehicleKind,
)
from stops.models import (
    Activity,
    ActivityKind,
    HostAlly,
    HostStatus,
    Lodging,
    LodgingKind,
    Stop,
    StopKind,
    StopStatus,
)


class IdField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_PK, **kwargs)


class IdFilter(filters.Filter):
    """An exact match on a related row's id."""

    field_class = IdField


class BoundedDateField(forms.DateField):
    def clean(self, value):
        result = super().clean(value)
        if result is not None and not FIRST_YEAR <= result.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Give a date between the years %(first)d and %(last)d."),
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
                code="out_of_range",
            )
        return result


class DateFilter(filters.DateFilter):
    field_class = BoundedDateField


class StopFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=StopKind.choices)
    status = filters.ChoiceFilter(choices=StopStatus.choices)
    route = IdFilter(field_name="route_stops__route", help_text=_("Stops on this route."))
    arrives_from = DateFilter(
        field_name="arrival__date", lookup_expr="gte", help_text=_("Arriving on or after (UTC).")
    )
    arrives_until = DateFilter(
        field_name="arrival__date", lookup_expr="lte", help_text=_("Arriving on or before (UTC).")
    )

    class Meta:
        model = Stop
        fields = ("kind", "status", "route", "arrives_from", "arrives_until")


class ActivityFilter(filters.FilterSet):
    stop = IdFilter(field_name="stop")
    kind = filters.ChoiceFilter(choices=ActivityKind.choices)
    is_public = filters.BooleanFilter()
    starts_from = DateFilter(field_name="starts_at__date", lookup_expr="gte")
    starts_until = DateFilter(field_name="starts_at__date", lookup_expr="lte")

    class Meta:
        model = Activity
        fields = ("stop", "kind", "is_public", "starts_from", "starts_until")


class LegFilter(filters.FilterSet):
    route = IdFilter(field_name="route")
    origin = IdFilter(field_name="origin")
    destination = IdFilter(field_name="destination")

    class Meta:
        model = Leg
        fields = ("route", "origin", "destination")


class LodgingFilter(filters.FilterSet):
    stop = IdFilter(field_name="stop")
    kind = filters.ChoiceFilter(choices=LodgingKind.choices)

    class Meta:
        model = Lodging
        fields = ("stop", "kind")


class VehicleFilter(filters.FilterSet):
    route = IdFilter(field_name="route")
    kind = filters.ChoiceFilter(choices=VehicleKind.choices)

    class Meta:
        model = Vehicle
        fields = ("route", "kind")


class ParticipantFilter(filters.FilterSet):
    """Coordinators only: other viewers' lists ignore filters and ordering, which could
    otherwise tell them about fields they may not see."""

    role = filters.ChoiceFilter(choices=Role.choices)
    language = filters.ChoiceFilter(choices=Language.choices)
    route = IdFilter(field_name="route")

    class Meta:
        model = Participant
        fields = ("role", "language", "route")


class SeatAssignmentFilter(filters.FilterSet):
    vehicle = IdFilter(field_name="vehicle")
    participant = IdFilter(field_name="participant")
    is_driver = filters.BooleanFilter()

    class Meta:
        model = SeatAssignment
        fields = ("vehicle", "participant", "is_driver")


class BedAssignmentFilter(filters.FilterSet):
    lodging = IdFilter(field_name="lodging")
    participant = IdFilter(field_name="participant")
    night_from = DateFilter(field_name="night", lookup_expr="gte")
    night_until = DateFilter(field_name="night", lookup_expr="lte")

    class Meta:
        model = BedAssignment
        fields = ("lodging", "participant", "night_from", "night_until")


class HostAllyFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=HostStatus.choices)
    stop = IdFilter(field_name="stop")

    class Meta:
        model = HostAlly
        fields = ("status", "stop")
