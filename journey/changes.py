"""A journey's history as people read it: who changed what, when, old and new values.

The history itself is recorded by ``journey.history`` (django-simple-history); this module
reads it for the coordinators' history page, labelling ids with names in the stop's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.apps import apps
from django.utils.translation import gettext as _

from journey.formatting import format_local
from journey.history import JOURNEY_PATHS
from journey.models import Route
from participants.models import Participant, Vehicle
from stops.models import Lodging, Stop

# --- Reading a journey's history ---------------------------------------------------------------

#: Fields never shown in a change: bookkeeping that moves with every save, and values the
#: app computes (from coordinates, in bulk, without history), which would show up later as
#: changes nobody made.
_QUIET_FIELDS = {
    "id",
    "updated_at",
    "created_at",
    "version",
    "history_journey_id",
    "timezone",
    "in_border_zone",
    "checkpoints",
    "position",
    "computed_distance_km",
    "computed_driving_minutes",
    "break_minutes",
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    when: datetime
    who: str
    action: str  # "created", "changed" or "deleted"
    kind: str  # the model's verbose name ("stop", "bed assignment")
    label: str  # which one ("Tucson, AZ", "Ana · Parish Hall · 2027-03-02")
    fields: tuple[FieldChange, ...]


_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def _history_models():
    return [apps.get_model(label).history.model for label in JOURNEY_PATHS]


class _Names:
    """Labels for the ids that history rows hold, read in one query per model."""

    def __init__(self, journey):
        self.stops = {s.pk: s for s in Stop.objects.filter(journey=journey)}
        self.models = {
            "stop": {pk: s.place_name for pk, s in self.stops.items()},
            "route": dict(Route.objects.filter(journey=journey).values_list("pk", "name")),
            "participant": dict(
                Participant.objects.filter(journey=journey).values_list("pk", "display_name")
            ),
            "vehicle": dict(Vehicle.objects.filter(journey=journey).values_list("pk", "name")),
            "lodging": dict(
                Lodging.objects.filter(stop__journey=journey).values_list("pk", "name")
            ),
        }

    def of(self, kind: str, pk) -> str:
        if pk is None:
            return "—"
        name = self.models.get(kind, {}).get(pk)
        return name if name is not None else _("#%(id)s (deleted)") % {"id": pk}

    def zone_of(self, record, journey) -> ZoneInfo:
        tz = getattr(record, "timezone", None)
        if not tz:
            stop = self.stops.get(getattr(record, "stop_id", None)) or self.stops.get(
                getattr(record, "origin_id", None)
            )
            tz = stop.timezone if stop is not None else journey.home_timezone
        return ZoneInfo(tz or "UTC")


def _shown(record, field, names: _Names, zone: ZoneInfo) -> str:
    value = getattr(record, field.attname)
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return names.of(field.related_model._meta.model_name, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return format_local(value, zone)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _label(record, names: _Names) -> str:
    model = record.instance_type._meta.model_name
    if model == "stop":
        return f"{record.city}, {record.state}" if record.state else record.city
    if model in ("activity", "lodging", "route", "vehicle", "journey"):
        return getattr(record, "title", None) or record.name
    if model == "participant":
        return names.of("participant", record.id)
    if model == "seatassignment":
        rider = names.of("participant", record.participant_id)
        return f"{rider} · {names.of('vehicle', record.vehicle_id)}"
    if model == "bedassignment":
        return (
            f"{names.of('participant', record.participant_id)} · "
            f"{names.of('lodging', record.lodging_id)} · {record.night:%Y-%m-%d}"
        )
    if model == "leg":
        return f"{names.of('stop', record.origin_id)} → {names.of('stop', record.destination_id)}"
    if model == "routestop":
        route = names.of("route", record.route_id)
        return f"{route} #{record.position}: {names.of('stop', record.stop_id)}"
    if model == "localcontact":
        return record.name
    if model == "meal":
        kind = str(dict(record._meta.get_field("kind").flatchoices).get(record.kind, record.kind))
        return f"{kind} · {names.of('stop', record.stop_id)}"
    return str(record.id)


def journey_changes(journey, *, limit: int = 100, before: datetime | None = None) -> list[Change]:
    """The journey's latest changes, newest first, each with the fields it changed.

    Two queries per tracked table (the page's rows, then the versions before them) and one
    per kind of name, whatever the number of changes.
    """
    rows = []
    for model in _history_models():
        queryset = model.objects.filter(history_journey_id=journey.pk)
        if before is not None:
            queryset = queryset.filter(history_date__lt=before)
        rows.extend(queryset.select_related("history_user").order_by("-history_date")[:limit])
    rows.sort(key=lambda r: (r.history_date, r.history_id), reverse=True)
    rows = rows[:limit]

    previous: dict[tuple[type, int, int], object] = {}
    by_model: dict[type, list] = {}
    for row in rows:
        if row.history_type != "+":
            by_model.setdefault(type(row), []).append(row)
    for model, changed in by_model.items():
        ids = {r.id for r in changed}
        latest = max(r.history_date for r in changed)
        versions = model.objects.filter(id__in=ids, history_date__lte=latest).order_by(
            "id", "history_date", "history_id"
        )
        last = {}
        for version in versions:
            before_it = last.get(version.id)
            if before_it is not None:
                previous[(model, version.id, version.history_id)] = before_it
            last[version.id] = version

    names = _Names(journey)
    changes = []
    for row in rows:
        model = type(row)
        fields = [
            f
            for f in row.instance_type._meta.concrete_fields
            if f.attname not in _QUIET_FIELDS and hasattr(row, f.attname)
        ]
        zone = names.zone_of(row, journey)
        earlier = previous.get((model, row.id, row.history_id))
        shown = []
        if row.history_type == "~" and earlier is not None:
            for f in fields:
                if getattr(row, f.attname) != getattr(earlier, f.attname):
                    shown.append(
                        FieldChange(
                            str(f.verbose_name),
                            _shown(earlier, f, names, zone),
                            _shown(row, f, names, zone),
                        )
                    )
            if not shown:
                continue  # a save that changed nothing a person would see
        user = row.history_user
        changes.append(
            Change(
                when=row.history_date,
                who=(user.get_full_name() or user.get_username()) if user else "",
                action=_ACTIONS[row.history_type],
                kind=str(row.instance_type._meta.verbose_name),
                label=_label(row, names),
                fields=tuple(shown),
            )
        )
    return changes
