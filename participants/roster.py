"""A journey's roster from a spreadsheet (CSV, XLSX, ODS), and back.

``import_roster(journey=..., content=..., filename=..., delete_missing=..., dry_run=...)``
reads every row, validates all of them (the columns below, then the participant model's own
``full_clean``), and writes nothing unless every row is right; then it creates and updates
everyone in one transaction. The same call with ``dry_run=True`` is the preview.

Columns, in any order, named in English or Spanish (``participants.roster_columns``): ``name``
is required. ``joins`` and ``leaves`` name a stop of the person's route as "City, ST",
optionally followed by a date (YYYY-MM-DD) when the route passes the city twice; empty means
from the start or to the end. Without a ``route`` column, everyone rides the journey's only
route; with one, an empty cell means the person does not travel with the caravan.

A row is the same person as someone already on the journey when their email or phone is the
same (or, when the row has neither, the same name held by one person only): that person is
updated and the changes are listed. Nobody is deleted unless ``delete_missing`` is asked.

``export_roster(journey=..., format=...)`` writes the same columns, so a round trip through a
spreadsheet loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from journey.models import Journey, RouteStop
from participants.models import Language, Participant, Role
from participants.roster_columns import (
    COLUMN_OF,
    COLUMNS,
    DATE_AT_END,
    FIELD_OF,
    HEADERS,
    LANGUAGE_NAMES,
    ROLE_NAMES,
    TEXT_COLUMNS,
    choice_names,
    header_key,
    normalise_phone,
    phone_key,
    plain,
)
from participants.spreadsheets import TableError, read_table, write_table


@dataclass
class RowError:
    line: int
    column: str  # the header as written in the file ("" for the whole row or file)
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Line %(line)s, column %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class Change:
    column: str
    old: str
    new: str


@dataclass
class RowResult:
    line: int
    name: str
    participant: Participant
    changes: list[Change] = field(default_factory=list)  # empty for a new person
    travels_with: str = ""  # the name written in the file, resolved once all rows exist
    travels_with_target: object = None  # a RowResult or a Participant


@dataclass
class RosterResult:
    created: list[RowResult] = field(default_factory=list)
    updated: list[RowResult] = field(default_factory=list)
    unchanged: list[RowResult] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)  # names (to be) deleted
    errors: list[RowError] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)  # the file's columns, canonical names
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "saved": self.saved,
            "created": [{"line": r.line, "name": r.name} for r in self.created],
            "updated": [
                {
                    "line": r.line,
                    "name": r.name,
                    "changes": [
                        {"column": c.column, "old": c.old, "new": c.new} for c in r.changes
                    ],
                }
                for r in self.updated
            ],
            "unchanged": len(self.unchanged),
            "deleted": list(self.deleted),
            "errors": [
                {"line": e.line, "column": e.column, "message": e.message} for e in self.errors
            ],
        }


class _Stops:
    """The stops of each route of the journey, found by "City, ST" and an optional date."""

    def __init__(self, journey: Journey):
        self.by_route: dict[int, list[tuple[int, object]]] = {}
        rows = RouteStop.objects.filter(route__journey=journey).select_related("stop")
        for rs in rows.order_by("route_id", "position"):
            self.by_route.setdefault(rs.route_id, []).append((rs.position, rs.stop))

    def position(self, route_id: int, stop) -> int:
        return next(p for p, s in self.by_route.get(route_id, []) if s.pk == stop.pk)

    def find(self, route, text: str):
        """The stop, or raise ValueError with what to write instead."""
        found = DATE_AT_END.match(text)
        place, wanted = (found["place"], found["date"]) if found else (text, None)
        when = None
        if wanted:
            try:
                when = date.fromisoformat("-".join(f"{int(p):02d}" for p in wanted.split("-")))
            except ValueError:
                message = _("%(date)s is not a date (YYYY-MM-DD).") % {"date": wanted}
                raise ValueError(message) from None
        key = plain(place.replace(",", " "))
        stops = [
            stop
            for _pos, stop in self.by_route.get(route.pk, [])
            if key in (plain(stop.place_name.replace(",", " ")), plain(stop.city))
        ]
        if not stops:
            raise ValueError(
                _("%(place)s is not a stop of the route %(route)s.")
                % {"place": place.strip(" ,"), "route": route.name}
            )
        if when is not None:
            stops = [s for s in stops if s.local_arrival.date() <= when <= s.local_departure.date()]
            if not stops:
                raise ValueError(
                    _("The route is not in %(place)s on %(date)s.")
                    % {"place": place.strip(" ,"), "date": when.isoformat()}
                )
        if len(stops) > 1:
            dates = ", ".join(s.local_arrival.date().isoformat() for s in stops)
            raise ValueError(
                _("The route passes %(place)s more than once: add the date, one of %(dates)s.")
                % {"place": stops[0].place_name, "dates": dates}
            )
        return stops[0]

    def label(self, route_id: int, stop) -> str:
        """How the export names a stop: with its date only when the city comes twice."""
        same = [s for _p, s in self.by_route.get(route_id, []) if s.place_name == stop.place_name]
        if len(same) > 1:
            return f"{stop.place_name} {stop.local_arrival.date().isoformat()}"
        return stop.place_name


def _read(content: bytes, filename: str, result: RosterResult):
    """The header (column per position) and the rows as dicts of canonical columns."""
    try:
        table = read_table(content, filename)
    except TableError as error:
        result.errors.append(RowError(1, "", str(error)))
        return None, []
    # The header is the first row naming the "name" column (a title row may come before).
    for index, (_line, cells) in enumerate(table[:5]):  # noqa: B007 (used after the loop)
        if "name" in [HEADERS.get(header_key(c)) for c in cells]:
            break
    else:
        result.errors.append(
            RowError(
                table[0][0] if table else 1,
                "",
                _("No header row with a name column (name or nombre) was found."),
            )
        )
        return None, []
    header_line, header = table[index][0], table[index][1]
    columns: dict[int, str] = {}
    written: dict[str, str] = {}
    for position, text in enumerate(header):
        if not text:
            continue
        column = HEADERS.get(header_key(text))
        if column is None:
            result.errors.append(
                RowError(
                    header_line,
                    text,
                    _("Unknown column. Known columns: %(columns)s.")
                    % {"columns": ", ".join(COLUMNS)},
                )
            )
        elif column in written:
            result.errors.append(
                RowError(header_line, text, _("This column is already in the file."))
            )
        else:
            columns[position] = column
            written[column] = text
    rows = []
    for line, cells in table[index + 1 :]:
        values = {column: "" for column in written}
        for position, text in enumerate(cells):
            if position in columns:
                values[columns[position]] = text
            elif text and position >= len(header):
                result.errors.append(
                    RowError(line, "", _("This row has more cells than the header."))
                )
        rows.append((line, values))
    return written, rows


def _existing_keys(people):
    by_email, by_phone, by_name = {}, {}, {}
    for person in people:
        if person.email:
            by_email.setdefault(person.email.strip().lower(), person)
        if person.phone:
            by_phone.setdefault(phone_key(person.phone), person)
        by_name.setdefault(plain(person.display_name), []).append(person)
    return by_email, by_phone, by_name


def plan_roster(*, journey: Journey, content: bytes, filename: str = "", delete_missing=False):
    """Read and validate the file against the journey; write nothing."""
    result = RosterResult()
    written, rows = _read(content, filename, result)
    if written is None:
        return result, []
    result.columns = set(written)
    if not rows:
        result.errors.append(RowError(1, "", _("The file has a header but no people.")))
    routes = {plain(r.name): r for r in journey.routes.all()}
    default_route = next(iter(routes.values())) if len(routes) == 1 else None
    needs_route = any(values.get("joins") or values.get("leaves") for _line, values in rows)
    if "route" not in written and len(routes) > 1 and needs_route:
        result.errors.append(
            RowError(1, "", _("The journey has several routes: add a route column."))
        )
    stops = _Stops(journey)
    existing = list(
        Participant.objects.for_journey(journey).filter(anonymized_at__isnull=True).order_by("pk")
    )
    by_email, by_phone, by_name = _existing_keys(existing)
    roles = choice_names(Role.choices, ROLE_NAMES)
    languages = choice_names(Language.choices, LANGUAGE_NAMES)
    seen_email: dict[str, int] = {}
    seen_phone: dict[str, int] = {}
    matched: dict[int, int] = {}  # participant pk -> line
    planned: list[RowResult] = []
    failed_names: set[str] = set()  # rows with errors: others naming them get no second error

    def error(line, column, message):
        result.errors.append(RowError(line, written.get(column, column), str(message)))

    for line, values in rows:
        errors_before = len(result.errors)
        row = {}
        name = values.get("name", "")
        if not name:
            error(line, "name", _("A name is required."))
        row["display_name"] = name
        for column in TEXT_COLUMNS:
            if column in values:
                row[FIELD_OF[column]] = values[column]
        for column, names, unknown in (
            ("role", roles, _("Unknown role %(value)s. Write one of: %(choices)s.")),
            ("language", languages, _("Unknown language %(value)s. Write one of: %(choices)s.")),
        ):
            if values.get(column):
                choice = names.get(plain(values[column]))
                if choice is None:
                    choices = ", ".join(sorted(set(names.values())))
                    error(line, column, unknown % {"value": values[column], "choices": choices})
                else:
                    row[column] = choice
        for column in ("phone", "emergency_contact_phone"):
            if column in values:
                row[column] = ""
                if values[column]:
                    try:
                        row[column] = normalise_phone(values[column])
                    except ValueError:
                        error(
                            line,
                            column,
                            _("%(value)s is not a phone number.") % {"value": values[column]},
                        )
        if "email" in values:
            row["email"] = values["email"]
        # Who is this? Same email or phone, else the only person with this name.
        email_key = values.get("email", "").lower()
        phone_found = row.get("phone", "")
        for key, seen, column in (
            (email_key, seen_email, "email"),
            (phone_found, seen_phone, "phone"),
        ):
            if key and key in seen:
                error(
                    line,
                    column,
                    _("The same %(column)s is on line %(line)s.")
                    % {"column": written[column], "line": seen[key]},
                )
            elif key:
                seen[key] = line
        by_mail = by_email.get(email_key) if email_key else None
        by_tel = by_phone.get(phone_found) if phone_found else None
        person = by_mail or by_tel
        if by_mail and by_tel and by_mail.pk != by_tel.pk:
            error(
                line,
                "phone",
                _("This phone is %(other)s's, but the email is %(person)s's.")
                % {"other": by_tel.display_name, "person": by_mail.display_name},
            )
        if person is None and not values.get("email") and not values.get("phone") and name:
            same_name = by_name.get(plain(name), [])
            if len(same_name) == 1 and not (same_name[0].email or same_name[0].phone):
                person = same_name[0]
            elif same_name:
                error(
                    line,
                    "name",
                    _(
                        "%(name)s is already on the journey: write their phone or email to "
                        "update them, or a distinct name for someone else."
                    )
                    % {"name": name},
                )
        if person is not None and person.pk in matched:
            error(
                line,
                "",
                _("This is the same person as on line %(line)s.") % {"line": matched[person.pk]},
            )
        # The route and the stops where they join and leave.
        route = default_route if "route" not in written else None
        if "route" in written or default_route is not None:
            row["route"] = route
        if values.get("route"):
            route = routes.get(plain(values["route"]))
            if route is None:
                error(
                    line,
                    "route",
                    _("Unknown route %(route)s. Routes: %(routes)s.")
                    % {
                        "route": values["route"],
                        "routes": ", ".join(r.name for r in routes.values()),
                    },
                )
        if route is not None:
            row["route"] = route
        for column in ("joins", "leaves"):
            if column not in written:
                continue
            row[FIELD_OF[column]] = None
            if values.get(column):
                if route is None:
                    if "route" in written and not values.get("route"):
                        error(line, column, _("A person who does not travel joins no stop."))
                    elif not routes:
                        error(line, column, _("The journey has no route yet."))
                    continue
                try:
                    row[FIELD_OF[column]] = stops.find(route, values[column])
                except ValueError as problem:
                    error(line, column, problem)
        joins, leaves = row.get("join_stop"), row.get("leave_stop")
        if (
            route
            and joins
            and leaves
            and stops.position(route.pk, joins) > stops.position(route.pk, leaves)
        ):
            error(line, "leaves", _("They would leave before joining."))
        if len(result.errors) > errors_before:
            failed_names.add(plain(name))
            continue
        # The model's own validation, on the person as they would be saved.
        is_new = person is None
        target = Participant(journey=journey) if is_new else person
        before = {f: _shown(getattr(target, f)) for f in row}
        for model_field, value in row.items():
            setattr(target, model_field, value)
        try:
            target.full_clean(exclude=["journey", "user", "travels_with"])
        except ValidationError as problem:
            for model_field, messages in problem.message_dict.items():
                for message in messages:
                    error(line, COLUMN_OF.get(model_field, ""), message)
            failed_names.add(plain(name))
            continue
        planned_row = RowResult(
            line=line, name=name, participant=target, travels_with=values.get("travels_with", "")
        )
        if not is_new:
            matched[person.pk] = line
            planned_row.changes = [
                Change(COLUMN_OF[f], before[f], _shown(getattr(target, f)))
                for f in row
                if before[f] != _shown(getattr(target, f))
            ]
        planned.append(planned_row)
    _check_travels_with(planned, existing, written, result, failed_names)
    for planned_row in planned:
        if planned_row.participant.pk is None:
            result.created.append(planned_row)
        elif planned_row.changes:
            result.updated.append(planned_row)
        else:
            result.unchanged.append(planned_row)
    if delete_missing:
        result.deleted = [p.display_name for p in existing if p.pk not in matched]
    return result, [p for p in existing if p.pk not in matched] if delete_missing else []


def _shown(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "place_name"):
        return value.place_name
    if hasattr(value, "pk"):
        return str(value)
    return str(value)


def _check_travels_with(planned, existing, written, result, failed_names) -> None:
    """Resolve each travels_with name among the file's rows and the journey's people."""
    names: dict[str, list] = {}
    for row in planned:
        names.setdefault(plain(row.name), []).append(row)
    in_file = {id(r.participant) for r in planned}
    for person in existing:
        if id(person) not in in_file:
            names.setdefault(plain(person.display_name), []).append(person)
    for row in planned:
        old = row.participant.travels_with
        if not row.travels_with:
            new_name = ""
        else:
            found = names.get(plain(row.travels_with), [])
            if not found and plain(row.travels_with) in failed_names:
                continue  # that row's own errors are reported
            if len(found) != 1:
                message = (
                    _("Nobody called %(name)s is in the file or on the journey.")
                    if not found
                    else _("Several people are called %(name)s: give them distinct names.")
                )
                message = message % {"name": row.travels_with}
                result.errors.append(RowError(row.line, written["travels_with"], message))
                continue
            target = found[0]
            if target is row:
                result.errors.append(
                    RowError(
                        row.line,
                        written["travels_with"],
                        _("A person cannot travel with themselves."),
                    )
                )
                continue
            row.travels_with_target = target
            new_name = target.name if isinstance(target, RowResult) else target.display_name
        if "travels_with" in written and row.participant.pk is not None:
            old_name = old.display_name if old else ""
            if plain(old_name) != plain(new_name):
                row.changes.append(Change("travels_with", old_name, new_name))


@transaction.atomic
def _write(result: RosterResult, missing: list[Participant]) -> None:
    for row in (*result.created, *result.updated):
        row.participant.save()
    if "travels_with" in result.columns:
        for row in (*result.created, *result.updated, *result.unchanged):
            target = row.travels_with_target
            if isinstance(target, RowResult):
                target = target.participant
            if row.participant.travels_with_id != (target.pk if target else None):
                row.participant.travels_with = target
                row.participant.save(update_fields=["travels_with", "updated_at"])
    for person in missing:
        person.delete()
    result.saved = True


def import_roster(
    *,
    journey: Journey,
    content: bytes,
    filename: str = "",
    delete_missing: bool = False,
    dry_run: bool = False,
) -> RosterResult:
    """Validate every row; unless ``dry_run`` or anything is wrong, save them all at once."""
    with transaction.atomic():
        # One import at a time per journey, so two confirmations cannot both create people.
        Journey.objects.select_for_update().filter(pk=journey.pk).first()
        result, missing = plan_roster(
            journey=journey, content=content, filename=filename, delete_missing=delete_missing
        )
        if result.ok and not dry_run:
            _write(result, missing)
    return result


# --- Export ------------------------------------------------------------------------------

EXPORT_TITLE = gettext_lazy("Roster")


def export_roster(*, journey: Journey, format: str) -> bytes:
    """Everyone on the journey in the import's columns (CSV or XLSX)."""
    stops = _Stops(journey)
    routes = {r.pk: r for r in journey.routes.all()}
    people = (
        Participant.objects.for_journey(journey)
        .filter(anonymized_at__isnull=True)
        .select_related("join_stop", "leave_stop", "travels_with")
        .order_by("display_name", "pk")
    )
    rows = []
    for p in people:
        route = routes.get(p.route_id)
        rows.append(
            [
                p.display_name,
                p.full_name,
                p.role,
                p.language,
                p.phone,
                p.email,
                route.name if route else "",
                stops.label(p.route_id, p.join_stop) if p.join_stop else "",
                stops.label(p.route_id, p.leave_stop) if p.leave_stop else "",
                p.dietary_needs,
                p.accessibility_needs,
                p.travels_with.display_name if p.travels_with else "",
                p.emergency_contact_name,
                p.emergency_contact_phone,
            ]
        )
    header = list(COLUMNS)
    return write_table(header, rows, format, title=str(EXPORT_TITLE))
