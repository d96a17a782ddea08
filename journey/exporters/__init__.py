"""Export formats, listed in one place.

An exporter is a small class: what it is (``format``, ``document``,
``content_type``, ``extension``), whom it serves (``audiences``, whether it
needs a participant or a stop), how it gathers its data from a loaded plan
(``gather``, which calls ``journey.itinerary``, where the privacy rules live)
and how it writes that data (``render(data, *, language) -> bytes``).

To add a format or a document: write the class in a new module of this
package and add its dotted path to ``REGISTRY``. Views and the
``export_itinerary`` command find it through ``get_exporter``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from journey.itinerary import Audience
from journey.plan import Plan
from participants.models import Participant, Vehicle
from stops.models import Stop

# Every exporter, by dotted path (imported on first use, so modules here may
# import this package freely). Order is the order shown in help texts.
REGISTRY: list[str] = [
    "journey.exporters.ics.CalendarExporter",
    "journey.exporters.csv.RoomingListCsv",
    "journey.exporters.csv.ManifestCsv",
    "journey.exporters.pdf.booklet.BookletPdf",
    "journey.exporters.pdf.personal.PersonalPdf",
    "journey.exporters.pdf.daysheet.DaySheetPdf",
    "journey.exporters.pdf.rooming.RoomingListPdf",
    "journey.exporters.pdf.manifest.ManifestPdf",
    "journey.exporters.gpx.RouteGpx",
    "journey.exporters.kml.RouteKml",
]

# Languages with a translation of Caravana's own texts; others read English.
SUPPORTED_LANGUAGES = ("en", "es", "ht")


# What a reader of a language Caravana is not translated into reads first, in their language
# (written here, not in a catalog: there is no French or Portuguese catalog to hold it).
FALLBACK_NOTES = {
    "fr": "Caravana n’est pas encore traduit en français : ce texte est en anglais.",
    "pt": "O Caravana ainda não está traduzido para o português: este texto está em inglês.",
}


def _base(code: str | None) -> str:
    return (code or "").split("-")[0].split("_")[0].lower()


def reader_language(code: str | None) -> str:
    """The language an export is written in for a reader who prefers ``code``."""
    base = _base(code)
    return base if base in SUPPORTED_LANGUAGES else "en"


def fallback_note(code: str | None) -> str:
    """For a reader of French or Portuguese, the line saying (in their language) that what
    follows is in English; "" for the languages Caravana speaks and for any other."""
    base = _base(code)
    return "" if base in SUPPORTED_LANGUAGES else FALLBACK_NOTES.get(base, "")


class ExportError(Exception):
    """A request for an export that cannot be made (message is for a person)."""


@dataclass(frozen=True)
class ExportRequest:
    """Everything an exporter may need besides the plan."""

    audience: Audience
    participant: Participant | None = None
    stop: Stop | None = None
    vehicle: Vehicle | None = None  # a navigation file for one vehicle (team only)
    # Where UIDs and links point to; an export must not depend on the host it runs on.
    uid_domain: str = "caravana"


class Exporter:
    format: ClassVar[str]  # "ics", "csv", "pdf"
    document: ClassVar[str]  # "calendar", "rooming", "manifest", "booklet", ...
    content_type: ClassVar[str]
    extension: ClassVar[str]  # without the dot
    is_text: ClassVar[bool] = True  # may be written to a terminal
    audiences: ClassVar[frozenset[Audience]] = frozenset(Audience)
    uses_stop: ClassVar[bool] = False  # can be limited to one stop
    needs_stop: ClassVar[bool] = False  # must be given one stop
    uses_vehicle: ClassVar[bool] = False  # can be limited to one vehicle (team only)

    @classmethod
    def identifier(cls) -> str:
        return f"{cls.format}-{cls.document}"

    def check(self, request: ExportRequest) -> None:
        """Raise ExportError when this exporter cannot serve the request."""
        if request.audience not in self.audiences:
            readers = {
                Audience.PUBLIC: _("the public"),
                Audience.TEAM: _("the team"),
                Audience.PERSONAL: _("one participant"),
                Audience.HOST: _("a host"),
            }
            raise ExportError(
                _("The %(document)s %(format)s export is not for %(readers)s.")
                % {
                    "document": self.document,
                    "format": self.format,
                    "readers": readers[request.audience],
                }
            )
        if request.audience == Audience.PERSONAL and request.participant is None:
            raise ExportError(_("A personal export needs a participant."))
        if self.needs_stop and request.stop is None:
            raise ExportError(_("This export needs a stop."))
        if request.stop is not None and not (self.uses_stop or self.needs_stop):
            raise ExportError(_("This export covers the whole journey; it takes no stop."))
        if request.vehicle is not None:
            if not self.uses_vehicle:
                raise ExportError(_("This export is not made per vehicle; it takes no vehicle."))
            if request.audience != Audience.TEAM:
                raise ExportError(
                    _("Only the team export is made per vehicle; a personal one follows its rider.")
                )

    def gather(self, plan: Plan, request: ExportRequest) -> Any:
        """The data to render, read from ``journey.itinerary`` (no database queries)."""
        raise NotImplementedError

    def render(self, data: Any, *, language: str) -> bytes:
        raise NotImplementedError

    def export(self, plan: Plan, request: ExportRequest, *, language: str) -> bytes:
        self.check(request)
        return self.render(self.gather(plan, request), language=reader_language(language))

    def filename(self, base: str) -> str:
        return f"{base}.{self.extension}"


@cache
def exporters() -> tuple[type[Exporter], ...]:
    return tuple(import_string(path) for path in REGISTRY)


def formats() -> list[str]:
    return sorted({cls.format for cls in exporters()})


def documents(format: str) -> list[str]:
    return [cls.document for cls in exporters() if cls.format == format]


def get_exporter(format: str, document: str | None = None) -> Exporter:
    """The exporter for a format and document (None: the format's only document)."""
    candidates = [cls for cls in exporters() if cls.format == format]
    if not candidates:
        raise ExportError(
            _("The %(format)s format is not available. Available formats: %(formats)s.")
            % {"format": format, "formats": ", ".join(formats())}
        )
    if document is None:
        if len(candidates) == 1:
            return candidates[0]()
        raise ExportError(
            _("Choose a document of the %(format)s format: %(documents)s.")
            % {"format": format, "documents": ", ".join(documents(format))}
        )
    for cls in candidates:
        if cls.document == document:
            return cls()
    raise ExportError(
        _("There is no %(document)s document in %(format)s. Available: %(documents)s.")
        % {"document": document, "format": format, "documents": ", ".join(documents(format))}
    )
