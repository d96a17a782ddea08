"""Restore a journey from the file ``journey.backup.export_journey`` writes (docs/backup.md).

``import_journey(data=...)`` checks the whole file before it writes anything: the shape of
every row, the type of every value, and each model's own field validation (validators and
choices, ``clean_fields``). Every bad row is reported, by model and row number, in one
``BackupError``. Then everything is written in one transaction, the models' ``clean()`` runs
on every written row (with the rows it refers to now in the database), and any problem there
rolls the whole import back: nothing is saved when anything is wrong.

Logins are matched by username only. A login of the file that does not exist here is created
inactive, with no usable password, no email, no names and no staff or superuser rights; an
administrator of this server decides whether to activate it.
"""

from __future__ import annotations

import base64

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import DataError, IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from journey.backup import (
    _CHUNK,
    EXPORTED_MODELS,
    FORMAT,
    LEGACY_USER_FIELDS,
    ROW,
    USER,
    VALUE,
    VERSION,
    BackupError,
    Table,
    journey_tables,
)
from journey.loaded import RemembersLoadedValues
from journey.models import Journey


class _Bad(Exception):
    """One problem of one value; collected with the others of its row."""


def _where(label: str, number: int, row) -> str:
    row_id = row.get("id") if isinstance(row, dict) else None
    if row_id is None or isinstance(row_id, dict | list):
        return _("%(model)s, row %(row)d") % {"model": label, "row": number}
    return _("%(model)s, row %(row)d (id %(id)s)") % {"model": label, "row": number, "id": row_id}


def _decode(field, value):
    """One value of the file, checked as strictly as the database would check it."""
    if value is None:
        if not field.null:
            raise _Bad(_("%(field)s may not be empty.") % {"field": field.name})
        return None
    if isinstance(field, models.JSONField):
        return value
    wrong = _Bad(
        _("%(field)s: %(value)s is not a valid value.")
        % {"field": field.name, "value": _shown(value)}
    )
    if isinstance(field, models.BooleanField):
        if not isinstance(value, bool):
            raise wrong
        return value
    if isinstance(field, models.IntegerField):
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong
        return value
    if isinstance(field, models.FloatField):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise wrong
        return float(value)
    if not isinstance(value, str):
        raise wrong
    if isinstance(field, models.CharField | models.TextField):
        if field.max_length is not None and len(value) > field.max_length:
            raise _Bad(
                _("%(field)s is longer than %(max)d characters.")
                % {"field": field.name, "max": field.max_length}
            )
        return value
    try:
        if isinstance(field, models.BinaryField):
            return base64.b64decode(value, validate=True)
        decoded = field.to_python(value)
        if isinstance(field, models.DecimalField):
            DecimalValidator(field.max_digits, field.decimal_places)(decoded)
    except (ValidationError, ValueError, OverflowError):
        raise wrong from None
    if decoded is None:
        raise wrong
    if isinstance(field, models.DateTimeField) and timezone.is_naive(decoded):
        raise _Bad(
            _("%(field)s: %(value)s has no UTC offset.")
            % {"field": field.name, "value": _shown(value)}
        )
    return decoded


def _shown(value) -> str:
    """A value of the file as an error quotes it: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _messages(error: ValidationError) -> list[str]:
    """ "field: message" for each message of a model's ValidationError."""
    if not hasattr(error, "error_dict"):
        return [" ".join(error.messages)]
    return [
        f"{name}: {message}" if name != "__all__" else message
        for name, messages in error.message_dict.items()
        for message in messages
    ]


class _Row:
    """A row of the file, checked: values by attname, references still as file ids."""

    def __init__(self, row_id, values: dict, many: dict, where: str):
        self.id = row_id
        self.values = values
        self.many = many
        self.where = where


class _Plan:
    """Every row of the file checked and decoded, before anything is written.

    Problems are collected, not raised one by one: ``BackupError`` lists them all.
    """

    def __init__(self, data):
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BackupError(_("This is not a Caravana journey file."))
        version = data.get("version")
        if isinstance(version, bool) or version != VERSION:
            raise BackupError(
                _(
                    "Unknown version %(version)s of the journey file format; this Caravana "
                    "reads version %(supported)d."
                )
                % {"version": _shown(version), "supported": VERSION}
            )
        found = data.get("models")
        if not isinstance(found, dict):
            raise BackupError(_("The file has no “models” object."))
        unknown = sorted(str(label) for label in set(found) - set(EXPORTED_MODELS))
        if unknown:
            raise BackupError(
                _("Unknown models in the file: %(models)s.") % {"models": ", ".join(unknown)}
            )
        self.problems: list[str] = []
        self.users = self._read_users(data.get("users", []))
        self.tables = journey_tables()
        self.file_ids: dict[str, set] = {}
        self.rows: dict[str, list[_Row]] = {}
        for table in self.tables:
            self.rows[table.label] = self._read_rows(table, found.get(table.label, []))
        if len(self.file_ids["journey.journey"]) != 1:
            self.problems.insert(0, _("The file must hold exactly one journey."))
        if not self.problems:
            self._check_unique_values()
        if self.problems:
            raise BackupError(*self.problems)

    def _problem(self, where: str, problem: str) -> None:
        self.problems.append(f"{where}: {problem}")

    def _read_users(self, users) -> set[str]:
        """The usernames of the file. Anything else a login row holds is ignored."""
        if not isinstance(users, list):
            raise BackupError(_("“users” must be a list."))
        user_model = get_user_model()
        username_field = user_model._meta.get_field(user_model.USERNAME_FIELD)
        found: set[str] = set()
        for number, user in enumerate(users, start=1):
            where = _("users, row %(row)d") % {"row": number}
            if not isinstance(user, dict):
                self._problem(where, _("a row must be an object."))
                continue
            name = user.get("username")
            unknown = sorted(str(key) for key in set(user) - {"username", *LEGACY_USER_FIELDS})
            if unknown:
                self._problem(
                    where, _("unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)}
                )
                continue
            if not isinstance(name, str) or not name:
                self._problem(where, _("the username is missing."))
                continue
            try:
                username_field.clean(name, None)
            except ValidationError as invalid:
                self._problem(where, "username: " + " ".join(invalid.messages))
                continue
            if name in found:
                self._problem(where, _("the username %(name)s appears twice.") % {"name": name})
                continue
            found.add(name)
        return found

    def _read_rows(self, table: Table, rows) -> list[_Row]:
        self.file_ids[table.label] = seen = set()
        if not isinstance(rows, list):
            self.problems.append(_("%(model)s must be a list of rows.") % {"model": table.label})
            return []
        known = table.names()
        # A reference to a row of the same table (Participant.travels_with) may point forward.
        self.own_ids = {
            r.get("id") for r in rows if isinstance(r, dict) and type(r.get("id")) is int
        }
        self.reading = table.label
        checked = []
        for number, row in enumerate(rows, start=1):
            where = _where(table.label, number, row)
            if not isinstance(row, dict):
                self._problem(where, _("a row must be an object."))
                continue
            row_id = row.get("id")
            if isinstance(row_id, bool) or not isinstance(row_id, int):
                self._problem(where, _("the row has no id."))
                continue
            if row_id in seen:
                self._problem(where, _("another row has the same id."))
                continue
            seen.add(row_id)
            unknown = sorted(str(key) for key in set(row) - known)
            if unknown:
                self._problem(
                    where, _("unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)}
                )
                continue
            values, many, problems = self._read_values(table, row)
            if not problems:
                problems = self._field_problems(table, values)
            if problems:
                self._problem(where, " ".join(problems))
                continue
            checked.append(_Row(row_id, values, many, where))
        return checked

    def _read_values(self, table: Table, row: dict) -> tuple[dict, dict, list[str]]:
        values, many, problems = {}, {}, []
        for field, kind, target in table.columns:
            if field.name not in row:
                # A file from before the field existed: the field's default, as a new row.
                if not (field.has_default() or field.null or field.attname in table.stamped):
                    problems.append(_("%(field)s is missing.") % {"field": field.name})
                continue
            value = row[field.name]
            try:
                values[field.attname] = self._read_value(field, kind, target, value)
            except _Bad as bad:
                problems.append(str(bad))
        for field, kind in table.many:
            members = row.get(field.name, [])
            if not isinstance(members, list):
                problems.append(_("%(field)s must be a list.") % {"field": field.name})
                continue
            allowed = (
                self.users
                if kind == USER
                else self.file_ids.get(field.related_model._meta.label_lower, set())
            )
            missing = [
                member for member in members if not _hashable(member) or member not in allowed
            ]
            if missing:
                problems.append(
                    _("%(field)s: %(value)s is not in the file.")
                    % {"field": field.name, "value": _shown(missing[0])}
                )
                continue
            many[field] = members
        return values, many, problems

    def _read_value(self, field, kind: str, target: str | None, value):
        if kind == VALUE:
            return _decode(field, value)
        if value is None:
            if not field.null:
                raise _Bad(_("%(field)s may not be empty.") % {"field": field.name})
            return None
        if kind == USER and (not _hashable(value) or value not in self.users):
            raise _Bad(
                _("%(field)s: the user %(value)s is not in the file’s users.")
                % {"field": field.name, "value": _shown(value)}
            )
        ids = self.own_ids if target == self.reading else self.file_ids.get(target, ())
        if kind == ROW and (not _hashable(value) or value not in ids):
            raise _Bad(
                _("%(field)s: there is no %(model)s with id %(value)s in the file.")
                % {"field": field.name, "model": target, "value": _shown(value)}
            )
        return value

    @staticmethod
    def _field_problems(table: Table, values: dict) -> list[str]:
        """The model's own checks of each value: validators, choices, blank (``clean_fields``),
        and its check constraints on those values (``validate_constraints``).

        References are checked against the file (above); ``clean()`` needs the rows they
        point to, so it runs once they are written (``_clean_written``), and constraints over
        references are the database's (the error then names the model).
        """
        plain = {
            field.attname: values[field.attname]
            for field, kind, _target in table.columns
            if kind == VALUE and field.attname in values
        }
        exclude = [
            field.name
            for field, kind, _target in table.columns
            if kind != VALUE or field.attname not in values
        ]
        instance = table.model(**plain)
        try:
            instance.clean_fields(exclude=exclude)
            instance.validate_constraints(exclude=exclude)  # check constraints of its values
        except ValidationError as invalid:
            return _messages(invalid)
        return []

    def _check_unique_values(self) -> None:
        """Refuse values that unique fields already hold here (the slug, secret tokens)."""
        slug = self.rows["journey.journey"][0].values.get("slug")
        if Journey.objects.filter(slug=slug).exists():
            self.problems.append(
                _("A journey with the slug “%(slug)s” already exists here.") % {"slug": slug}
            )
        for table in self.tables:
            for field, kind, _target in table.columns:
                if (
                    kind != VALUE
                    or not field.unique
                    or (table.model, field.name)
                    == (
                        Journey,
                        "slug",
                    )
                ):
                    continue  # a taken slug has its own message, above
                where_is: dict = {}
                for row in self.rows[table.label]:
                    value = row.values.get(field.attname)
                    if value is None:
                        continue
                    if value in where_is:
                        self._problem(
                            row.where,
                            _("%(field)s has the same value as another row.")
                            % {"field": field.name},
                        )
                        continue
                    where_is[value] = row.where
                for taken in _existing(table.model, field.attname, list(where_is)):
                    self._problem(
                        where_is[taken],
                        _("%(field)s is already used by a row of another journey here.")
                        % {"field": field.name},
                    )


def _hashable(value) -> bool:
    return not isinstance(value, dict | list)


def _existing(model, attname: str, values: list) -> list:
    found = []
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        lookup = {f"{attname}__in": chunk}
        found += model._base_manager.filter(**lookup).values_list(attname, flat=True)
    return found


# --- Write ------------------------------------------------------------------------------------


def import_journey(*, data) -> Journey:
    """Create the journey of an exported file under new primary keys; return it.

    The whole file is checked before anything is written, and everything is written in one
    transaction: a file that is wrong anywhere raises ``BackupError`` naming every bad row
    by model and row number, and nothing is saved. Users are matched by username: an
    existing login is used as it is, a missing one is created inactive and powerless.
    """
    if not connection.features.can_return_rows_from_bulk_insert:
        raise BackupError(_("This database cannot import journeys; use PostgreSQL or SQLite."))
    try:
        plan = _Plan(data)
        return _write(plan)
    except RecursionError:
        raise BackupError(_("The file is nested too deeply to be a journey file.")) from None


@transaction.atomic
def _write(plan: _Plan) -> Journey:
    users = _users(plan.users)
    new_ids: dict[str, dict] = {}
    written: dict[str, dict] = {}  # label -> {new pk: object}, to check the rows afterwards
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
        written[table.label] = {obj.pk: obj for obj in objects}
        _link_own_rows(table, rows, objects, own, new_ids)
        _create_many_to_many(table, rows, users, new_ids)
    problems = _clean_written(plan, written)
    if problems:
        raise BackupError(*problems)  # rolls the transaction back
    (journey_id,) = new_ids["journey.journey"].values()
    return Journey.objects.get(pk=journey_id)


def _clean_written(plan: _Plan, written: dict) -> list[str]:
    """Every written row's ``clean()``: what the model checks across fields and rows.

    The rows a row refers to are handed over from memory, so reading them costs nothing.
    Unique values and constraints were enforced by the database when the rows went in.
    """
    problems = []
    for table in plan.tables:
        references = [
            (field, written[target]) for field, kind, target in table.columns if kind == ROW
        ]
        for row, obj in zip(plan.rows[table.label], written[table.label].values(), strict=True):
            for field, targets in references:
                target = targets.get(getattr(obj, field.attname))
                if target is not None:
                    field.set_cached_value(obj, target)
            try:
                obj.clean()
            except ValidationError as invalid:
                problems.append(f"{row.where}: {' '.join(_messages(invalid))}")
    return problems


def _link_own_rows(table: Table, rows: list, objects: list, own: list, new_ids: dict) -> None:
    linked = []
    for row, obj in zip(rows, objects, strict=True):
        for attname in own:
            if row.values.get(attname) is not None:
                setattr(obj, attname, new_ids[table.label][row.values[attname]])
                linked.append(obj)
    if linked:
        table.model._base_manager.bulk_update(linked, own)


def _new_values(table: Table, row: _Row, users: dict, new_ids: dict, skip=()) -> dict:
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


def _insert_as_given(table: Table, objects: list) -> None:
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
            if isinstance(obj, RemembersLoadedValues):
                # A stored row now, as if loaded: its clean() checks capacity only for rows
                # that take a new place, and a restored seat or bed takes none (an overbooked
                # vehicle is a problem of the plan, which journey.checks reports).
                obj.remember_loaded_values()


def _users(names: set[str]) -> dict:
    """{username: user} for every username of the file.

    An existing login is used as it is. A missing one is created inactive, with an unusable
    password and no rights: nothing about a login (password hash, email, names, staff or
    superuser status) is ever taken from a file.
    """
    user_model = get_user_model()
    username = user_model.USERNAME_FIELD
    users = {getattr(user, username): user for user in _users_named(sorted(names))}
    new = []
    for name in sorted(names - set(users)):
        user = user_model(**{username: name}, is_active=False)
        user.set_unusable_password()
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


def _create_many_to_many(table: Table, rows: list[_Row], users: dict, new_ids: dict) -> None:
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
