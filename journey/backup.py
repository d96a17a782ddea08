"""Back up one journey to a JSON document and restore it, here or on another server.

``export_journey`` reads every row of the journey, one query per model, and returns plain
JSON-ready data; ``journey.backup_import.import_journey`` checks it, writes it back under new
primary keys and returns the new journey. docs/backup.md describes the format. Logins are
written by username only.

Both are generic over fields: each model in ``EXPORTED_MODELS`` is written with all of its
concrete fields (``_meta.concrete_fields``), so a field added later comes along without a
change here. A model added to the journey, stops or participants apps must be listed either
in ``EXPORTED_MODELS`` or in ``SKIPPED_MODELS`` (a test fails otherwise); the history tables
of django-simple-history are skipped by rule.

Rows are written in bulk, never with ``save()``: saving a stop recomputes its time zone,
saving a route stop recomputes the route's legs (journey.signals), saving a participant
recomputes the link digest and every save adds a history row, so ``save()`` would not give
back the exported values (overridden or edited legs, border flags, versions, timestamps).
Nor with ``bulk_create``, which stamps ``auto_now`` fields with the current time (putting
the times back with ``bulk_update`` took minutes on PostgreSQL for 17,000 bed assignments).
``backup_import._insert_as_given`` writes each batch as loaddata does: exactly the values given, no
``save()``, no signals.
"""

from __future__ import annotations

import base64
import contextlib
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _

from journey.access import JOURNEY_LOOKUPS
from journey.models import Journey

FORMAT = "caravana-journey"
VERSION = 1

# Every model of a journey, in the order rows are written: each model comes after the models
# its foreign keys point to. How each reaches its journey: journey.access.JOURNEY_LOOKUPS.
EXPORTED_MODELS = (
    "journey.journey",
    "journey.route",
    "stops.stop",
    "journey.routestop",
    "journey.leg",
    "stops.hostally",
    "stops.activity",
    "stops.localcontact",
    "stops.lodging",
    "stops.meal",
    "participants.participant",
    "participants.vehicle",
    "participants.seatassignment",
    "participants.bedassignment",
    # What each participant was last told: kept, so that a move sends no one a false change.
    "participants.itinerarysnapshot",
)

# Models of these apps deliberately left out of the file: label -> why. The history tables
# (django-simple-history's Historical* models) are left out by rule, see ``skip_reason``.
SKIPPED_MODELS: dict[str, str] = {
    "journey.retiredtoken": (
        "digests of links rotated or revoked on this server, not part of the plan: they only "
        "keep the polling of old links from counting as guesses here"
    ),
    "participants.rideapplication": (
        "Requests to ride from people not (yet) on the journey: personal data a backup does "
        "not need; approved ones are participants."
    ),
    "stops.rsvp": (
        "Visitors' RSVPs to public activities: personal data of people not on the journey, "
        "kept only until the activity and the retention period; a backup does not need them."
    ),
}

HISTORY_REASON = (
    "history of changes on this server (who changed what, when), not part of the plan; "
    "the restored journey starts a new history"
)

JOURNEY_APPS = ("journey", "stops", "participants")

# What files written before logins were reduced to their username may still hold for each
# login. Read and ignored: an import never takes a password hash, an email, names or rights
# from a file (journey.backup_import).
LEGACY_USER_FIELDS = ("email", "first_name", "last_name", "is_active", "is_staff", "password")

# Keep each IN (...) list well below SQLite's limit on query parameters.
_CHUNK = 500


class BackupError(Exception):
    """The journey cannot be exported, or the file cannot be imported; nothing was saved.

    ``problems`` lists every problem found (one per bad row), one per line in the message.
    """

    def __init__(self, *problems: str):
        self.problems = [str(problem) for problem in problems]
        super().__init__("\n".join(self.problems))


def is_history_model(model) -> bool:
    """A django-simple-history table (it knows the model whose history it keeps)."""
    return model.__name__.startswith("Historical") and hasattr(model, "instance_type")


def journey_models() -> list[type[models.Model]]:
    """Every model of the journey, stops and participants apps."""
    return [model for app in JOURNEY_APPS for model in apps.get_app_config(app).get_models()]


def skip_reason(model) -> str | None:
    """Why a model is left out of the file, or None when it is not."""
    if is_history_model(model):
        return HISTORY_REASON
    return SKIPPED_MODELS.get(model._meta.label_lower)


# What a column holds in the file.
VALUE, USER, ROW = "value", "user", "row"


class Table:
    """How one exported model is written in the file: its columns in model order.

    A column is a plain value, a user (by username) or a reference to a row of another
    exported model (by that row's id in the file). Many-to-many fields with an automatic
    table are lists of usernames or ids; those with a model of their own (Route.stops
    through RouteStop) are that model's rows.
    """

    def __init__(self, label: str):
        self.label = label
        self.model = apps.get_model(label)
        self.path = JOURNEY_LOOKUPS[label]
        user_model = get_user_model()
        self.columns = []  # (field, kind, label of the referenced model or None)
        for field in self.model._meta.concrete_fields:
            if field.primary_key:
                continue
            if not field.is_relation:
                self.columns.append((field, VALUE, None))
            elif field.related_model is user_model:
                self.columns.append((field, USER, None))
            else:
                self.columns.append((field, ROW, field.related_model._meta.label_lower))
        self.many = [
            (field, USER if field.related_model is user_model else ROW)
            for field in self.model._meta.many_to_many
            if field.remote_field.through._meta.auto_created
        ]
        self.stamped = [
            field.attname
            for field, kind, _target in self.columns
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        ]

    def names(self) -> set[str]:
        return {"id"} | {field.name for field, *_ in self.columns + self.many}

    def queryset(self, journey: Journey):
        manager = self.model._base_manager
        return manager.filter(**self.journey_filter("", journey)).order_by("pk")

    def journey_filter(self, prefix: str, journey: Journey) -> dict:
        """The filter for this model's rows of the journey, from ``prefix`` (a relation)."""
        return {"__".join(part for part in (prefix, self.path) if part) or "pk": journey.pk}


def journey_tables() -> list[Table]:
    return [Table(label) for label in EXPORTED_MODELS]


# --- Export -----------------------------------------------------------------------------------


def _encode(field, value):
    """One value as JSON: datetimes ISO 8601 in UTC, dates and times ISO, decimals as text."""
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, timedelta):
        return duration_iso_string(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise BackupError(
        _("%(model)s.%(field)s: a value of type %(type)s cannot be exported.")
        % {"model": field.model._meta.label_lower, "field": field.name, "type": type(value)}
    )


def _outside(label: str, row_id, field) -> BackupError:
    return BackupError(
        _("%(model)s id %(id)s: %(field)s points to a row outside the journey.")
        % {"model": label, "id": row_id, "field": field.name}
    )


def export_journey(*, journey: Journey) -> dict:
    """The journey and every row that belongs to it, as JSON-ready data.

    One query per model, one per many-to-many field and one for the users, whatever the
    size of the journey. Users are named by their username and nothing else: no password
    hash, email, names or rights of any login is written (a coordinator who downloads the
    file must not learn other people's login details).

    The rows are read in one transaction that sees one state of the database (repeatable
    read on PostgreSQL), so coordinators editing meanwhile cannot tear the copy.
    """
    with _one_snapshot():
        return _export(journey)


@contextlib.contextmanager
def _one_snapshot():
    """One transaction for the whole export, unless the caller already opened one."""
    if connection.in_atomic_block:  # the caller's transaction decides what is seen
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _export(journey: Journey) -> dict:
    user_model = get_user_model()
    tables = journey_tables()
    ids: dict[str, set] = {}
    rows_of: dict[str, list[dict]] = {}
    user_ids: set = set()
    for table in tables:
        names = ["pk"] + [field.attname for field, *_ in table.columns]
        raw = list(table.queryset(journey).values_list(*names))
        ids[table.label] = {values[0] for values in raw}
        members = {field: _many_to_many(table, field, journey) for field, _kind in table.many}
        rows = []
        for row_id, *values in raw:
            row = {"id": row_id}
            for (field, kind, target), value in zip(table.columns, values, strict=True):
                if kind == VALUE:
                    value = _encode(field, value)
                elif kind == USER:
                    user_ids.add(value)  # the username is put in below
                elif value is not None and value not in ids.get(target, ()):
                    raise _outside(table.label, row_id, field)
                row[field.name] = value
            for field, kind in table.many:
                row[field.name] = members[field].get(row_id, [])
                if kind == USER:
                    user_ids.update(row[field.name])
                elif not set(row[field.name]) <= ids.get(
                    field.related_model._meta.label_lower, set()
                ):
                    raise _outside(table.label, row_id, field)
            rows.append(row)
        rows_of[table.label] = rows

    user_ids.discard(None)
    users = {user.pk: user for user in user_model._base_manager.filter(pk__in=user_ids)}
    username = user_model.USERNAME_FIELD
    for table in tables:
        single = [field.name for field, kind, _target in table.columns if kind == USER]
        lists = [field.name for field, kind in table.many if kind == USER]
        for row in rows_of[table.label]:
            for name in single:
                if row[name] is not None:
                    row[name] = getattr(users[row[name]], username)
            for name in lists:
                row[name] = sorted(getattr(users[pk], username) for pk in row[name])
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().astimezone(UTC).isoformat(),
        "users": sorted(
            ({"username": getattr(user, username)} for user in users.values()),
            key=lambda user: user["username"],
        ),
        "models": rows_of,
    }


def _many_to_many(table: Table, field, journey: Journey) -> dict:
    """{row id: [target ids]} of an automatic many-to-many table, in one query."""
    through = field.remote_field.through
    source = through._meta.get_field(field.m2m_field_name())
    target = through._meta.get_field(field.m2m_reverse_field_name())
    pairs = (
        through._base_manager.filter(**table.journey_filter(source.name, journey))
        .order_by(source.attname, target.attname)
        .values_list(source.attname, target.attname)
    )
    members: dict = {}
    for source_id, target_id in pairs:
        members.setdefault(source_id, []).append(target_id)
    return members


# The import lives in journey.backup_import (import_journey).
