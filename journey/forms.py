"""Admin forms: times typed in each stop's local time, choices limited to one journey.

Coordinators think in the local time of the place: "the caravan reaches Phoenix at 18:00".
Stops, activities and lodging therefore take their date-times as wall-clock time at the stop,
and the forms turn them into aware datetimes in the stop's zone (which follows from the stop's
coordinates, typed or geocoded from the city and state).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from geo.timezones import timezone_at
from journey.concurrency import VersionedForm
from journey.models import Route, RouteStop
from journey.services import append_stop, deferred_leg_refresh, set_route_order
from participants.models import Participant, Vehicle
from stops.fields import STOP_FIELDS, STOP_LOCAL_TIME_FIELDS
from stops.models import Activity, HostAlly, Lodging, Meal, Stop

# --- Time zones ---------------------------------------------------------------------------


def stop_zone(stop: Stop | None) -> ZoneInfo | None:
    """The zone of a stop from its coordinates (even before the stop is saved), or None."""
    if stop is None or stop.latitude is None or stop.longitude is None:
        return None
    try:
        return ZoneInfo(timezone_at(float(stop.latitude), float(stop.longitude)))
    except ValueError:
        return None


def zone_abbreviations(zone: ZoneInfo, year: int | None = None) -> str:
    """The zone's winter and summer abbreviations: "MST" for Phoenix, "EST/EDT" for New York."""
    year = year or timezone.now().year
    names = [datetime(year, month, 1, 12, tzinfo=zone).tzname() for month in (1, 7)]
    return "/".join(dict.fromkeys(names))


def make_local_aware(value: datetime, zone: ZoneInfo) -> datetime:
    """An aware datetime for a wall-clock time in ``zone``.

    A time in the hour skipped when the clocks spring forward does not exist: ValidationError.
    A time in the hour that happens twice when they fall back is read as its first occurrence.
    """
    aware = value.replace(tzinfo=zone, fold=0)
    back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != value.replace(fold=0):
        raise ValidationError(
            _(
                "%(time)s does not exist in %(zone)s: the clocks skip that hour when summer "
                "time begins. Type a time after the change."
            ),
            code="nonexistent_time",
            params={"time": value.strftime("%Y-%m-%d %H:%M"), "zone": zone.key},
        )
    return aware


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's own date and time picker; it knows nothing of time zones, as wanted."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class LocalDateTimeField(forms.DateTimeField):
    """A date-time typed as wall-clock time; cleans to a naive datetime.

    The form that owns the field knows the zone and makes the value aware. A value typed with
    an explicit offset ("2026-03-01T18:00-07:00") is already a moment and stays aware.
    """

    def __init__(self, **kwargs):
        kwargs["widget"] = LocalDateTimeInput  # the admin's split widget assumes server time
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day)
        text = str(value).strip()
        try:
            result = parse_datetime(text)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if result is None:  # the locale's input formats ("03/01/2026 18:00")
            result = forms.BaseTemporalField.to_python(self, text)
        return result


# --- Choices limited to one journey ------------------------------------------------------------

# How each model reaches its journey, and what its label (__str__) reads.
JOURNEY_SCOPES: dict[type, tuple[str, tuple[str, ...]]] = {
    Stop: ("journey_id", ()),
    Route: ("journey_id", ("journey",)),
    Vehicle: ("journey_id", ()),
    HostAlly: ("journey_id", ()),
    Participant: ("journey_id", ()),
    Lodging: ("stop__journey_id", ("stop",)),
    Activity: ("stop__journey_id", ()),
}


def journey_id_of(obj) -> int | None:
    """The journey an object belongs to, following stop / route / participant / vehicle."""
    if obj is None:
        return None
    if hasattr(obj, "journey_id"):
        return obj.journey_id
    for name in ("stop", "route", "participant", "vehicle", "lodging"):
        if getattr(obj, f"{name}_id", None):
            return journey_id_of(getattr(obj, name))
    return None


def for_journey(queryset, journey_id: int | None):
    """The queryset's rows of one journey (all rows when ``journey_id`` is None)."""
    lookup, related = JOURNEY_SCOPES.get(queryset.model, (None, ()))
    if related:
        queryset = queryset.select_related(*related)
    if lookup and journey_id:
        queryset = queryset.filter(**{lookup: journey_id})
    return queryset


class JourneyScopedForm(forms.ModelForm):
    """A model form whose selects offer only the objects of the edited object's journey.

    A new object's journey is not known yet: its selects offer every journey's objects, and
    the models' clean() methods refuse mixed journeys.
    """

    def __init__(self, *args, journey_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if journey_id is None and self.instance.pk:
            journey_id = journey_id_of(self.instance)
        self.journey_id = journey_id
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = for_journey(field.queryset, journey_id)


class JourneyInlineFormSet(BaseInlineFormSet):
    """Rows under one parent: selects scoped to its journey, choices read once for all rows."""

    @cached_property
    def journey_id(self) -> int | None:
        return journey_id_of(self.instance)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "journey_id": self.journey_id}

    def _construct_form(self, i, **kwargs):
        return self._share_choices(super()._construct_form(i, **kwargs))

    @property
    def empty_form(self):
        return self._share_choices(super().empty_form)

    def _share_choices(self, form):
        shared = self.__dict__.setdefault("_shared_choices", {})
        for name, field in form.fields.items():
            if isinstance(field, forms.ModelChoiceField) and not field.widget.is_hidden:
                if name not in shared:
                    shared[name] = list(field.choices)
                field.choices = shared[name]
        return form


# --- Local times -----------------------------------------------------------------------------


class LocalTimesForm(JourneyScopedForm):
    """A model form whose ``local_time_fields`` are typed in the local time of a stop.

    Subclasses say where the zone comes from (``current_zone`` for showing the stored values,
    ``zone_from`` for the submitted ones); an inline formset may pass ``zone`` directly.
    """

    local_time_fields: tuple[str, ...] = ()

    def __init__(self, *args, zone: ZoneInfo | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self._zone_unknown = False
        shown = zone or self.current_zone()
        for name in self.local_time_fields:
            field = self.fields.get(name)
            if field is None:
                continue
            value = self.initial.get(name)
            if shown is not None and isinstance(value, datetime) and timezone.is_aware(value):
                self.initial[name] = timezone.localtime(value, shown).replace(tzinfo=None)
            field.help_text = self.zone_help(shown, value)

    @staticmethod
    def zone_help(zone: ZoneInfo | None, value) -> str:
        if zone is None:
            return _(
                "Local time at the stop: its time zone follows from the place "
                "(city and state, or coordinates)."
            )
        return _(
            "Local time in %(zone)s (%(abbreviations)s). An hour that happens twice when the "
            "clocks fall back is read as its first occurrence."
        ) % {
            "zone": zone.key,
            "abbreviations": zone_abbreviations(
                zone, value.year if isinstance(value, datetime) else None
            ),
        }

    def current_zone(self) -> ZoneInfo | None:
        stop_id = getattr(self.instance, "stop_id", None)
        return stop_zone(self.instance.stop) if stop_id else None

    def zone_from(self, cleaned_data) -> ZoneInfo | None:
        return stop_zone(cleaned_data.get("stop"))

    def clean(self):
        cleaned_data = super().clean()
        zone = self.zone or self.zone_from(cleaned_data)
        for name in self.local_time_fields:
            value = cleaned_data.get(name)
            if value is None or timezone.is_aware(value):
                continue
            if zone is None:
                # Never saved: _post_clean makes sure the form is invalid.
                self._zone_unknown = True
                cleaned_data[name] = value.replace(tzinfo=UTC)
                continue
            try:
                cleaned_data[name] = make_local_aware(value, zone)
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned_data

    def _post_clean(self):
        super()._post_clean()
        if self._zone_unknown and not self._errors:
            self.add_error(
                None,
                _(
                    "The times cannot be read until the stop's place, and so its time zone, "
                    "is known."
                ),
            )


class LocalTimesInlineFormSet(JourneyInlineFormSet):
    """Rows under a stop (activities, lodging): their times are in the stop's local time."""

    @cached_property
    def zone(self) -> ZoneInfo | None:
        return stop_zone(self.instance)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "zone": self.zone}


class StopAdminForm(VersionedForm, LocalTimesForm):
    """A stop with its arrival and departure in its own local time.

    The zone follows from the coordinates; when they are left empty, Stop.clean() geocodes
    the city and state. The form reads the zone the same way before the model does, by
    running that clean() on a copy of the place fields.
    """

    local_time_fields = STOP_LOCAL_TIME_FIELDS

    add_to_route = forms.ModelChoiceField(
        queryset=Route.objects.none(),
        required=False,
        label=_("add to route"),
        help_text=_("Puts the stop at the end of this route."),
    )

    class Meta:
        model = Stop
        fields = ("journey", *STOP_FIELDS)
        field_classes = dict.fromkeys(STOP_LOCAL_TIME_FIELDS, LocalDateTimeField)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        routes = Route.objects.select_related("journey").order_by("journey__name", "pk")
        if self.instance.pk:
            routes = routes.filter(journey_id=self.instance.journey_id).exclude(
                route_stops__stop=self.instance
            )
        self.fields["add_to_route"].queryset = routes

    def current_zone(self):
        return self.instance.tzinfo if self.instance.pk and self.instance.timezone else None

    def zone_from(self, cleaned_data):
        place = Stop(
            city=cleaned_data.get("city") or "",
            state=cleaned_data.get("state") or "",
            country=cleaned_data.get("country") or "US",
            latitude=cleaned_data.get("latitude"),
            longitude=cleaned_data.get("longitude"),
        )
        try:
            place.clean()
        except ValidationError:
            return None  # the model's own clean() reports the same error on the stop
        if place.latitude is None or place.longitude is None:
            return None  # no city either: the required field says so
        latitude, longitude = float(place.latitude), float(place.longitude)
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return None  # the coordinate validators report it
        try:
            return ZoneInfo(timezone_at(latitude, longitude))
        except ValueError:
            self.add_error(
                None,
                _("No time zone was found at these coordinates: are they out at sea?"),
            )
            return None

    def clean(self):
        cleaned_data = super().clean()
        route, journey = cleaned_data.get("add_to_route"), cleaned_data.get("journey")
        if route is not None and journey is not None and route.journey_id != journey.pk:
            self.add_error("add_to_route", _("This route belongs to another journey."))
        return cleaned_data


class ActivityAdminForm(LocalTimesForm):
    local_time_fields = ("starts_at", "ends_at")

    class Meta:
        model = Activity
        fields = (
            "stop",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "venue",
            "address",
            "is_public",
            "description",
            "private_notes",
        )
        field_classes = {"starts_at": LocalDateTimeField, "ends_at": LocalDateTimeField}


class MealAdminForm(LocalTimesForm):
    local_time_fields = ("starts_at",)

    class Meta:
        model = Meal
        fields = ("stop", "kind", "starts_at", "place", "provided_by", "notes")
        field_classes = {"starts_at": LocalDateTimeField}


class LodgingAdminForm(LocalTimesForm):
    local_time_fields = ("check_in", "check_out")

    class Meta:
        model = Lodging
        fields = (
            "stop",
            "host",
            "name",
            "kind",
            "address",
            "capacity",
            "check_in",
            "check_out",
            "accessibility_notes",
            "notes",
        )
        field_classes = {"check_in": LocalDateTimeField, "check_out": LocalDateTimeField}


# --- Route order -----------------------------------------------------------------------------


class RouteStopInlineForm(JourneyScopedForm):
    """A stop's place on a route.

    The order is a plain form field rather than the model's ``position``: positions are
    renumbered on save in two passes (journey.services.set_route_order), so the unique
    (route, position) constraint must not be checked row by row against the old positions,
    or swapping two stops could never pass.
    """

    order = forms.IntegerField(
        label=_("position"),
        min_value=0,
        required=False,
        help_text=_("Empty: at the end of the route."),
    )

    class Meta:
        model = RouteStop
        fields = ("stop",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("order", self.instance.position)
            # Moving a stop is changing its position; replacing it is delete and add.
            self.fields["stop"].disabled = True


class RouteStopFormSet(JourneyInlineFormSet):
    """A route's stops, saved as one new order so positions can be swapped freely."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            order = form.cleaned_data.get("order")
            if order is None:
                continue
            if order in seen:
                raise ValidationError(
                    _("Two stops cannot have the same position (%(position)d)."),
                    params={"position": order},
                    code="duplicate_position",
                )
            seen.add(order)

    def save(self, commit=True):
        if not commit:
            raise ValueError("Route stops are saved in one step; commit=False is not supported.")
        route = self.instance
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        wanted: dict[int, int | None] = {}
        with transaction.atomic(), deferred_leg_refresh():
            for form in self.forms:
                if form in self.deleted_forms:
                    if form.instance.pk:
                        self.deleted_objects.append(form.instance)
                        form.instance.delete()
                    continue
                if form.instance.pk is None:
                    if not form.has_changed():
                        continue
                    route_stop = append_stop(route=route, stop=form.cleaned_data["stop"])
                    self.new_objects.append(route_stop)
                elif form.has_changed():
                    self.changed_objects.append((form.instance, form.changed_data))
                wanted[form.instance.stop_id] = form.cleaned_data.get("order")
            current = RouteStop.objects.filter(route=route).values_list("stop_id", "position")

            def rank(row):
                stop_id, position = row
                order = wanted.get(stop_id, position)
                return (order is None, order or 0, position)

            ordered = [stop_id for stop_id, _position in sorted(current, key=rank)]
            if ordered:
                set_route_order(route=route, stop_ids=ordered)
        return [*self.new_objects, *(obj for obj, _fields in self.changed_objects)]
