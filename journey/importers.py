"""Import a journey's route of stops from a CSV file (docs/import.md describes the format).

``import_route`` reads and checks the whole file first and writes nothing unless every row is
good: then it raises ``ImportFailed`` carrying one ``RowError`` per problem, each naming the
file's physical line (the header is line 1) and the column. A file that is well formed but makes
a poor plan (a drive too long for the time between stops, stops out of time order) is imported:
``journey.checks.find_problems`` reports those.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import io
import re
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils.translation import gettext as _

from journey.models import Journey, Route, RouteStop
from journey.route_rows import (
    KNOWN_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    RowError,
    RowReader,
    StopRow,
    cell_errors_of,
    model_errors,
    new_stop,
)
from journey.services import create_journey, deferred_leg_refresh
from stops.models import Stop

__all__ = [
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "ImportFailed",
    "ImportResult",
    "RowError",
    "import_route",
    "model_errors",
    "read_route",
]

DEFAULT_ROUTE_NAME = "Main"
SLUG_MAX_LENGTH = Journey._meta.get_field("slug").max_length


class ImportFailed(Exception):
    """The file (or the request) is wrong; nothing was saved. ``errors`` lists every problem."""

    def __init__(self, errors: list[RowError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass
class ImportResult:
    journey: Journey
    route: Route
    stops: list[Stop]
    journey_created: bool
    replaced_stops: int = 0  # stops removed from the route by ``replace``
    warnings: list[str] = field(default_factory=list)


# --- Reading the file -------------------------------------------------------------------------


def _decode(file: IO | bytes | str) -> tuple[str, list[RowError]]:
    """The file's text, from UTF-8 with or without a byte-order mark (Excel writes one)."""
    data = file if isinstance(file, bytes | str) else file.read()
    if isinstance(data, str):
        return data.removeprefix("\ufeff"), []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        message = _(
            "the file is not UTF-8 text; in a spreadsheet, save it as “CSV UTF-8” and try again"
        )
        return "", [RowError(line, "", message)]


class _UnreadableCsv(Exception):
    """The csv module gave up at ``line``; nothing after it can be read."""

    def __init__(self, line: int, reason: str):
        self.line, self.reason = line, reason
        super().__init__(reason)


def _records(text: str):
    """(first physical line, values) for each non-blank record of the CSV text.

    Raises ``_UnreadableCsv`` where the csv module cannot go on. Its limit on the length of
    a field (128 KiB by default) is raised to the length of the text, so that a long cell is
    reported by its column (``MAX_CELL_CHARACTERS``) instead of ending the file.
    """
    if csv.field_size_limit() <= len(text):
        csv.field_size_limit(len(text) + 1)  # only ever raised: other readers lose nothing
    lines = io.StringIO(text, newline="")
    first_line = lines.readline()
    lines.seek(0)
    # Spreadsheets in many Spanish-language locales write ";" between values.
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(lines, delimiter=delimiter)
    start = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _UnreadableCsv(start, str(error)) from error
        values = [value.strip() for value in values]
        if any(values):
            yield start, values
        start = reader.line_num + 1


def _read_header(line: int, values: list[str]) -> tuple[list[str], list[RowError], list[str]]:
    """The column names in file order, header errors, and warnings about ignored columns."""
    names = [value.casefold() for value in values]
    errors, warnings = [], []
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        errors.append(
            RowError(
                line,
                "",
                _("missing columns: %(missing)s (the first line must name %(required)s)")
                % {"missing": ", ".join(missing), "required": ", ".join(REQUIRED_COLUMNS)},
            )
        )
    repeated = sorted({name for name in names if name in KNOWN_COLUMNS and names.count(name) > 1})
    if repeated:
        errors.append(
            RowError(
                line,
                "",
                _("columns named more than once: %(columns)s") % {"columns": ", ".join(repeated)},
            )
        )
    ignored = []
    for name in names:
        if not name or name in KNOWN_COLUMNS:
            continue
        close = difflib.get_close_matches(name, KNOWN_COLUMNS, n=1, cutoff=0.8)
        if close:  # "lattitude": a typo would silently drop the coordinates
            errors.append(
                RowError(
                    line,
                    name,
                    _("unknown column; did you mean %(column)s?") % {"column": close[0]},
                )
            )
        else:
            ignored.append(name)
    if ignored:
        warnings.append(
            _("Ignored columns the import does not know: %(columns)s.")
            % {"columns": ", ".join(ignored)}
        )
    return names, errors, warnings


def read_route(file: IO | bytes | str) -> tuple[list[StopRow], list[RowError], list[str]]:
    """Every good row, every error and every warning of a route CSV. Reads, never writes."""
    text, errors = _decode(file)
    if errors:
        return [], errors, []
    records = _records(text)
    try:
        header = next(records, None)
    except _UnreadableCsv as unreadable:
        return [], [_unreadable_error(unreadable)], []
    if header is None:
        message = _("the file is empty; the first line must name the columns %(required)s") % {
            "required": ", ".join(REQUIRED_COLUMNS)
        }
        return [], [RowError(1, "", message)], []
    header_line, header_values = header
    names, errors, warnings = _read_header(header_line, header_values)
    if errors:
        return [], errors, warnings

    reader = RowReader()
    rows: list[StopRow] = []
    first_line_of: dict[tuple, int] = {}  # a good row's values -> the line it was first on
    try:
        for line, values in records:
            _read_record(line, values, names, reader, rows, errors, first_line_of)
    except _UnreadableCsv as unreadable:
        errors.append(_unreadable_error(unreadable))
    if not rows and not errors:
        errors.append(RowError(None, "", _("the file names its columns but has no stops")))
    return rows, errors, warnings


def _unreadable_error(unreadable: _UnreadableCsv) -> RowError:
    message = _("the file is not valid CSV from here on (%(reason)s)") % {
        "reason": unreadable.reason
    }
    return RowError(unreadable.line, "", message)


def _read_record(line, values, names, reader, rows, errors, first_line_of) -> None:
    """Check one record; append its StopRow to ``rows`` or its problems to ``errors``."""
    cell_errors = cell_errors_of(line, names, values)
    if cell_errors:
        errors.extend(cell_errors)
        return
    if len(values) > len(names) and any(values[len(names) :]):
        errors.append(
            RowError(
                line,
                "",
                _("%(found)d values, but the first line names %(columns)d columns")
                % {"found": len(values), "columns": len(names)},
            )
        )
        return
    row = dict.fromkeys(KNOWN_COLUMNS, "")
    row.update((name, value) for name, value in zip(names, values, strict=False) if name)
    for name in KNOWN_COLUMNS:  # single spaces, except in the notes' own lines
        if name != "notes":
            row[name] = " ".join(row[name].split())
    stop, row_errors = reader.read(line, row)
    errors.extend(row_errors)
    if stop is None:
        return
    same = dataclasses.astuple(dataclasses.replace(stop, line=0))
    if same in first_line_of:
        errors.append(
            RowError(
                line,
                "",
                _("the same stop as line %(first)d (every value is equal); remove one")
                % {"first": first_line_of[same]},
            )
        )
        return
    first_line_of[same] = line
    rows.append(stop)


# --- Writing ----------------------------------------------------------------------------------


def _slug_errors(slug: str) -> list[RowError]:
    try:
        validate_slug(slug)
        if len(slug) > SLUG_MAX_LENGTH:
            raise ValidationError("too long")
    except ValidationError:
        return [
            RowError(
                None,
                "",
                _(
                    '"%(slug)s" is not a journey slug: use up to %(n)d letters, numbers, '
                    "hyphens and underscores"
                )
                % {"slug": slug, "n": SLUG_MAX_LENGTH},
            )
        ]
    return []


def _journey_name(slug: str) -> str:
    """ "tps-caravan-2026" -> "Tps Caravan 2026"."""
    return " ".join(word.capitalize() for word in re.split(r"[-_]+", slug) if word) or slug


def import_route(
    *,
    journey_slug: str,
    file: IO | bytes | str,
    route_name: str | None = None,
    journey_name: str | None = None,
    replace: bool = False,
) -> ImportResult:
    """Append the stops of a route CSV to a route of a journey, creating the journey if needed.

    The route is ``route_name``, or else the journey's first route, or else a new route
    "Main". A route that already has stops is refused unless ``replace``: then its stops are
    deleted first (a stop that also lies on another route only leaves this one). Raise
    ``ImportFailed`` with every problem when anything is wrong; nothing is saved then.
    """
    errors = _slug_errors(journey_slug)
    journey = None if errors else Journey.objects.filter(slug=journey_slug).first()
    route = None
    if journey is not None:
        routes = journey.routes.all()
        route = routes.filter(name=route_name).first() if route_name else routes.first()
        if route is not None and not replace:
            count = RouteStop.objects.filter(route=route).count()
            if count:
                errors.append(
                    RowError(
                        None,
                        "",
                        _(
                            'route "%(route)s" of journey "%(journey)s" already has %(n)d '
                            "stops; import with --replace to delete them and load the file"
                        )
                        % {"route": route.name, "journey": journey.slug, "n": count},
                    )
                )
    rows, row_errors, warnings = read_route(file)
    errors.extend(row_errors)
    if errors:
        raise ImportFailed(errors)

    if journey is not None and journey_name and journey_name != journey.name:
        warnings.append(
            _("The journey already exists: its name stays “%(name)s”.") % {"name": journey.name}
        )
    with transaction.atomic(), deferred_leg_refresh():
        created = journey is None
        if created:
            journey = create_journey(
                name=journey_name or _journey_name(journey_slug),
                slug=journey_slug,
                route_name=route_name or DEFAULT_ROUTE_NAME,
                home_timezone=rows[0].timezone,
                start_date=min(row.local_dates[0] for row in rows),
                end_date=max(row.local_dates[1] for row in rows),
            )
            route = journey.routes.get()
        elif route is None:
            route = Route.objects.create(journey=journey, name=route_name or DEFAULT_ROUTE_NAME)
        replaced = _clear_route(route) if replace else 0
        stops = []
        for position, row in enumerate(rows):
            stop = new_stop(row, journey)
            stop.save()
            RouteStop.objects.create(route=route, stop=stop, position=position)
            stops.append(stop)
    return ImportResult(
        journey=journey,
        route=route,
        stops=stops,
        journey_created=created,
        replaced_stops=replaced,
        warnings=warnings,
    )


def _clear_route(route: Route) -> int:
    """Take every stop off the route: deleted, unless it also lies on another route."""
    stop_ids = list(RouteStop.objects.filter(route=route).values_list("stop_id", flat=True))
    shared = set(
        RouteStop.objects.filter(stop_id__in=stop_ids)
        .exclude(route=route)
        .values_list("stop_id", flat=True)
    )
    RouteStop.objects.filter(route=route).delete()
    Stop.objects.filter(pk__in=[pk for pk in stop_ids if pk not in shared]).delete()
    return len(stop_ids)
