"""Back up one journey to a JSON document and restore it, here or on another server.

``export_journey`` reads every row of the journey, one query per model, and returns plain
JSON-ready data; ``import_journey`` writes it back under new primary keys and returns the
new journey. docs/backup.md describes the format.

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
``_insert_as_given`` writes each batch as loaddata does: exactly the values given, no
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
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import DataError, IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _

from journey.models import Journey
from journey.rules import JOURNEY_LOOKUPS

FORMAT = "caravana-journey"
VERSION = 1

# Every model of a journey, in the order rows are written: each model comes after the models
# its foreign keys point to. How each reaches its journey: journey.rules.JOURNEY_LOOKUPS.
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
    "participants.rideapplication": (
        "Requests to ride from people not (yet) on the journey: personal data a backup does "
        "not need; approved ones are participants."
    ),
}

HISTORY_REASON = (
    "history of changes on this server (who changed what, when), not part of the plan; "
    "the restored journey starts a new history"
)

JOURNEY_APPS = ("journey", "stops", "participants")

# What a login is exported with, besides its username and password hash. Anything else
# (superuser flag, groups, permissions, last login) stays on the server it belongs to.
USER_FIELDS = ("email", "first_name", "last_name", "is_active", "is_staff")

# Keep each IN (...) list well below SQLite's limit on query parameters.
_CHUNK = 500


class BackupError(Exception):
    """The journey cannot be exported, or the file cannot be imported; nothing was saved."""


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


class _Table:
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


def _tables() -> list[_Table]:
    return [_Table(label) for label in EXPORTED_MODELS]


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


def export_journey(*, journey: Journey, include_password_hashes: bool = True) -> dict:
    """The journey and every row that belongs to it, as JSON-ready data.

    One query per model, one per many-to-many field and one for the users, whatever the
    size of the journey. Users are named by username; without ``include_password_hashes``
    their password hashes are left out (a login created from such a file has no usable
    password until it is reset).

    The rows are read in one transaction that sees one state of the database (repeatable
    read on PostgreSQL), so coordinators editing meanwhile cannot tear the copy.
    """
    with _one_snapshot():
        return _export(journey, include_password_hashes)


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


def _export(journey: Journey, include_password_hashes: bool) -> dict:
    user_model = get_user_model()
    tables = _tables()
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
        "users": [
            _user_data(user, include_password_hashes)
            for user in sorted(users.values(), key=lambda user: getattr(user, username))
        ],
        "models": rows_of,
    }


def _many_to_many(table: _Table, field, journey: Journey) -> dict:
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


def _user_data(user, include_password_hashes: bool) -> dict:
    data = {"username": getattr(user, user.USERNAME_FIELD)}
    data |= {name: getattr(user, name) for name in USER_FIELDS}
    data["password"] = user.password if include_password_hashes else None
    return data


# --- Import: check everything first -----------------------------------------------------------


def _where(label: str, number: int, row) -> str:
    row_id = row.get("id") if isinstance(row, dict) else None
    if row_id is None:
        return _("%(model)s, row %(row)d") % {"model": label, "row": number}
    return _("%(model)s, row %(row)d (id %(id)s)") % {"model": label, "row": number, "id": row_id}


def _refuse(where: str, problem: str):
    raise BackupError(f"{where}: {problem}")


def _decode(field, value, where: str):
    """One value of the file, checked as strictly as the database would check it."""
    if value is None:
        if not field.null:
            _refuse(where, _("%(field)s may not be empty.") % {"field": field.name})
        return None
    if isinstance(field, models.JSONField):
        return value
    wrong = _("%(field)s: %(value)r is not a valid value.") % {"field": field.name, "value": value}
    if isinstance(field, models.BooleanField):
        if not isinstance(value, bool):
            _refuse(where, wrong)
        return value
    if isinstance(field, models.IntegerField):
        if isinstance(value, bool) or not isinstance(value, int):
            _refuse(where, wrong)
        return value
    if isinstance(field, models.FloatField):
        if isinstance(value, bool) or not isinstance(value, int | float):
            _refuse(where, wrong)
        return float(value)
    if not isinstance(value, str):
        _refuse(where, wrong)
    if isinstance(field, models.CharField | models.TextField):
        if field.max_length is not None and len(value) > field.max_length:
            _refuse(
                where,
                _("%(field)s is longer than %(max)d characters.")
                % {"field": field.name, "max": field.max_length},
            )
        return value
    try:
        if isinstance(field, models.BinaryField):
            return base64.b64decode(value, validate=True)
        decoded = field.to_python(value)
        if isinstance(field, models.DecimalField):
            DecimalValidator(field.max_digits, field.decimal_places)(decoded)
    except (ValidationError, ValueError):
        _refuse(where, wrong)
    if decoded is None:
        _refuse(where, wrong)
    if isinstance(field, models.DateTimeField) and timezone.is_naive(decoded):
        _refuse(
            where,
            _("%(field)s: %(value)r has no UTC offset.") % {"field": field.name, "value": value},
        )
    return decoded


class _Row:
    """A row of the file, checked: values by attname, references still as file ids."""

    def __init__(self, row_id, values: dict, many: dict, where: str):
        self.id = row_id
        self.values = values
        self.many = many
        self.where = where


class _Plan:
    """Every row of the file checked and decoded, before anything is written."""

    def __init__(self, data):
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BackupError(_("This is not a Caravana journey file."))
        version = data.get("version")
        if isinstance(version, bool) or version != VERSION:
            raise BackupError(
                _(
                    "Unknown version %(version)r of the journey file format; this Caravana "
                    "reads version %(supported)d."
                )
                % {"version": version, "supported": VERSION}
            )
        self.users = self._read_users(data.get("users", []))
        found = data.get("models")
        if not isinstance(found, dict):
            raise BackupError(_("The file has no “models” object."))
        unknown = sorted(set(found) - set(EXPORTED_MODELS))
        if unknown:
            raise BackupError(
                _("Unknown models in the file: %(models)s.") % {"models": ", ".join(unknown)}
            )
        self.tables = _tables()
        self.rows: dict[str, list[_Row]] = {}
        for table in self.tables:
            self.rows[table.label] = self._read_rows(table, found.get(table.label, []))
            if table.model is Journey and len(self.rows[table.label]) != 1:
                raise BackupError(_("The file must hold exactly one journey."))
        self._check_unique_values()

    def _read_users(self, users) -> dict[str, dict]:
        if not isinstance(users, list):
            raise BackupError(_("“users” must be a list."))
        user_model = get_user_model()
        max_length = user_model._meta.get_field(user_model.USERNAME_FIELD).max_length
        kinds = {"email": str, "first_name": str, "last_name": str}
        kinds |= {"is_active": bool, "is_staff": bool}
        found = {}
        for number, user in enumerate(users, start=1):
            where = _("users, row %(row)d") % {"row": number}
            if not isinstance(user, dict):
                _refuse(where, _("a row must be an object."))
            name = user.get("username")
            if not isinstance(name, str) or not name or len(name) > max_length:
                _refuse(where, _("the username is missing or not valid."))
            if name in found:
                _refuse(where, _("the username %(name)s appears twice.") % {"name": name})
            unknown = sorted(set(user) - {"username", "password", *USER_FIELDS})
            if unknown:
                _refuse(where, _("unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)})
            if not isinstance(user.get("password", ""), str | None):
                _refuse(where, _("%(field)s is not valid.") % {"field": "password"})
            for key, kind in kinds.items():
                if key in user and not isinstance(user[key], kind):
                    _refuse(where, _("%(field)s is not valid.") % {"field": key})
            found[name] = user
        return found

    def _ids(self, label: str) -> set:
        return {row.id for row in self.rows.get(label, [])}

    def _read_rows(self, table: _Table, rows) -> list[_Row]:
        if not isinstance(rows, list):
            raise BackupError(_("%(model)s must be a list of rows.") % {"model": table.label})
        known = table.names()
        own_ids = {r.get("id") for r in rows if isinstance(r, dict) and type(r.get("id")) is int}
        checked, seen = [], set()
        for number, row in enumerate(rows, start=1):
            where = _where(table.label, number, row)
            if not isinstance(row, dict):
                _refuse(where, _("a row must be an object."))
            row_id = row.get("id")
            if isinstance(row_id, bool) or not isinstance(row_id, int):
                _refuse(where, _("the row has no id."))
            if row_id in seen:
                _refuse(where, _("another row has the same id."))
            seen.add(row_id)
            unknown = sorted(set(row) - known)
            if unknown:
                _refuse(where, _("unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)})
            values = {}
            for field, kind, target in table.columns:
                if field.name not in row:
                    # A file from before the field existed: the field's default, as a new row.
                    if not (field.has_default() or field.null or field.attname in table.stamped):
                        _refuse(where, _("%(field)s is missing.") % {"field": field.name})
                    continue
                value = row[field.name]
                if kind == VALUE:
                    value = _decode(field, value, where)
                elif value is None:
                    if not field.null:
                        _refuse(where, _("%(field)s may not be empty.") % {"field": field.name})
                elif kind == USER and value not in self.users:
                    _refuse(
                        where,
                        _("%(field)s: the user %(value)r is not in the file’s users.")
                        % {"field": field.name, "value": value},
                    )
                elif kind == ROW and value not in (
                    own_ids if target == table.label else self._ids(target)
                ):
                    _refuse(
                        where,
                        _("%(field)s: there is no %(model)s with id %(value)r in the file.")
                        % {"field": field.name, "model": target, "value": value},
                    )
                values[field.attname] = value
            many = {}
            for field, kind in table.many:
                members = row.get(field.name, [])
                if not isinstance(members, list):
                    _refuse(where, _("%(field)s must be a list.") % {"field": field.name})
                allowed = (
                    self.users if kind == USER else self._ids(field.related_model._meta.label_lower)
                )
                for member in members:
                    if member not in allowed:
                        _refuse(
                            where,
                            _("%(field)s: %(value)r is not in the file.")
                            % {"field": field.name, "value": member},
                        )
                many[field] = members
            checked.append(_Row(row_id, values, many, where))
        return checked

    def _check_unique_values(self) -> None:
        """Refuse values that unique fields already hold here (the slug, secret tokens)."""
        slug = self.rows["journey.journey"][0].values.get("slug")
        if Journey.objects.filter(slug=slug).exists():
            raise BackupError(
                _("A journey with the slug “%(slug)s” already exists here.") % {"slug": slug}
            )
        for table in self.tables:
            for field, kind, _target in table.columns:
                if kind != VALUE or not field.unique:
                    continue
                where_is: dict = {}
                for row in self.rows[table.label]:
                    value = row.values.get(field.attname)
                    if value is None:
                        continue
                    if value in where_is:
                        _refuse(
                            row.where,
                            _("%(field)s has the same value as another row.")
                            % {"field": field.name},
                        )
                    where_is[value] = row.where
                taken = _existing(table.model, field.attname, list(where_is))
                if taken:
                    _refuse(
                        where_is[taken[0]],
                        _("%(field)s is already used by a row of another journey here.")
                        % {"field": field.name},
                    )


def _existing(model, attname: str, values: list) -> list:
    found = []
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        lookup = {f"{attname}__in": chunk}
        found += model._base_manager.filter(**lookup).values_list(attname, flat=True)
    return found


# --- Import: write ----------------------------------------------------------------------------


@transaction.atomic
def import_journey(*, data) -> Journey:
    """Create the journey of an exported file under new primary keys; return it.

    The whole file is checked before anything is written, and everything is written in one
    transaction: a file that is wrong anywhere raises ``BackupError`` naming the model and
    the row, and nothing is saved. Users are matched by username: an existing login is used
    as it is, a missing one is created from the file.
    """
    if not connection.features.can_return_rows_from_bulk_insert:
        raise BackupError(_("This database cannot import journeys; use PostgreSQL or SQLite."))
    plan = _Plan(data)
    users = _create_users(plan.users)
    new_ids: dict[str, dict] = {}
    for table in plan.tables:
        rows = plan.rows[table.label]
        # A reference to a row of the same table (Participant.travels_with) is set once
        # the table's rows have their new keys.
        own = [
            f.attname for f, kind, target in table.columns if (kind, target) == (ROW, table.label)
        ]
        objects = [
            table.model(**{**_new_values(table, row, users, new_ids, own), **dict.fromkeys(own)})
            for row in rows
        ]
        try:
            _insert_as_given(table, objects)
        except (IntegrityError, DataError) as error:
            raise BackupError(
                _("%(model)s: the database refused the rows (%(error)s).")
                % {"model": table.label, "error": error}
            ) from error
        new_ids[table.label] = {row.id: obj.pk for row, obj in zip(rows, objects, strict=True)}
        _link_own_rows(table, rows, objects, own, new_ids)
        _create_many_to_many(table, rows, users, new_ids)
    (journey_id,) = new_ids["journey.journey"].values()
    return Journey.objects.get(pk=journey_id)


def _link_own_rows(table: _Table, rows: list, objects: list, own: list, new_ids: dict) -> None:
    linked = []
    for row, obj in zip(rows, objects, strict=True):
        for attname in own:
            if row.values.get(attname) is not None:
                setattr(obj, attname, new_ids[table.label][row.values[attname]])
                linked.append(obj)
    if linked:
        table.model._base_manager.bulk_update(linked, own)


def _new_values(table: _Table, row: _Row, users: dict, new_ids: dict, skip=()) -> dict:
    values = dict(row.values)
    for field, kind, target in table.columns:
        value = values.get(field.attname)
        if value is None or field.attname in skip:
            continue
        if kind == USER:
            values[field.attname] = users[value].pk
        elif kind == ROW:
            values[field.attname] = new_ids[target][value]
    return values


def _insert_as_given(table: _Table, objects: list) -> None:
    """INSERT the rows exactly as given, in batches, and set their new primary keys.

    This is ``bulk_create`` done the way Django writes rows loaded from a fixture (``raw``,
    as ``save_base(raw=True)`` does for loaddata): no field's ``pre_save`` runs, so
    ``auto_now``/``auto_now_add`` keep the file's times instead of now. ``QuerySet._insert``
    is Django's own (private) INSERT; the round-trip tests pin this behaviour.
    """
    if not objects:
        return
    meta = table.model._meta
    now = timezone.now()
    for obj in objects:  # a file from before a timestamp field existed: stamp it now
        for name in table.stamped:
            if getattr(obj, name) is None:
                setattr(obj, name, now)
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    returning = meta.db_returning_fields
    manager = table.model._base_manager
    batch = max(connection.ops.bulk_batch_size(fields, objects), 1)
    for start in range(0, len(objects), batch):
        chunk = objects[start : start + batch]
        returned = manager._insert(chunk, fields=fields, returning_fields=returning, raw=True)
        for obj, values in zip(chunk, returned, strict=True):
            for field, value in zip(returning, values, strict=True):
                setattr(obj, field.attname, value)
            obj._state.adding = False
            obj._state.db = manager.db


def _create_users(found: dict[str, dict]) -> dict:
    """{username: user} for every user of the file: existing logins as they are, others new."""
    user_model = get_user_model()
    username = user_model.USERNAME_FIELD
    users = {getattr(user, username): user for user in _users_named(list(found))}
    new = []
    for name, data in found.items():
        if name in users:
            continue
        user = user_model(**{username: name})
        for field in USER_FIELDS:
            if field in data:
                setattr(user, field, data[field])
        password = data.get("password")  # None: left out of the file, so no usable password
        user.password = make_password(None) if password is None else password
        new.append(user)
    user_model._default_manager.bulk_create(new)
    return users | {getattr(user, username): user for user in new}


def _users_named(names: list[str]) -> list:
    user_model = get_user_model()
    found = []
    for start in range(0, len(names), _CHUNK):
        lookup = {f"{user_model.USERNAME_FIELD}__in": names[start : start + _CHUNK]}
        found += user_model._base_manager.filter(**lookup)
    return found


def _create_many_to_many(table: _Table, rows: list[_Row], users: dict, new_ids: dict) -> None:
    for field, kind in table.many:
        through = field.remote_field.through
        source = through._meta.get_field(field.m2m_field_name()).attname
        target = through._meta.get_field(field.m2m_reverse_field_name()).attname
        if kind == USER:
            target_ids = {name: user.pk for name, user in users.items()}
        else:
            target_ids = new_ids[field.related_model._meta.label_lower]
        links = [
            through(**{source: new_ids[table.label][row.id], target: target_ids[member]})
            for row in rows
            for member in row.many.get(field, [])
        ]
        through._base_manager.bulk_create(links)
