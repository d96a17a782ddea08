"""Every text a rider or a host reads has a Haitian Creole translation in the catalog.

What counts as "read by a rider or a host" is listed once, here: the templates and Python
modules of the rider's page, documents, feed and mail, of the public pages, the host form, the
ask-to-ride form and the error pages, plus the choice labels, model fields and model checks those
pages print. Coordinators' pages and mail and the admin may stay English, so their texts are not
asked for (the coordinators' notice of a new request to ride is one of those).

The msgids are taken from the sources themselves (templates through Django's own
``templatize``, Python through its syntax tree), not from the catalog, so a new string that
nobody ran makemessages for fails here too. The catalog is read without polib.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
CATALOG = ROOT / "locale" / "ht" / "LC_MESSAGES" / "django.po"

#: Templates a rider, a host or any visitor of the public pages reads.
READER_TEMPLATES = (
    "templates/base.html",
    "templates/error_base.html",
    "templates/400.html",
    "templates/404.html",
    "templates/413.html",
    "templates/429.html",
    "templates/500.html",
    "templates/503.html",
    "templates/participants/emails/itinerary_changed.txt",
    "templates/participants/emails/itinerary_changed_subject.txt",
    "templates/web/emails/host_approved.txt",
    "templates/web/emails/host_approved_subject.txt",
    "templates/web/emails/host_confirmation.txt",
    "templates/web/emails/host_confirmation_subject.txt",
    "templates/web/emails/host_declined.txt",
    "templates/web/emails/host_declined_subject.txt",
    "templates/web/emails/ride_approved.txt",
    "templates/web/emails/ride_approved_subject.txt",
    "templates/web/emails/rsvp_confirmation.txt",
    "templates/web/emails/rsvp_confirmation_subject.txt",
    "templates/web/emails/rsvp_reminder.txt",
    "templates/web/emails/rsvp_reminder_subject.txt",
    "templates/web/host/page.html",
    "templates/web/public/_field.html",
    "templates/web/public/_form_errors.html",
    "templates/web/public/home.html",
    "templates/web/public/host_form.html",
    "templates/web/public/host_thanks.html",
    "templates/web/public/journey.html",
    "templates/web/public/rate_limited.html",
    "templates/web/public/ride_form.html",
    "templates/web/public/ride_thanks.html",
    "templates/web/public/rsvp_form.html",
    "templates/web/public/rsvp_thanks.html",
    "templates/web/rider/choose.html",
    "templates/web/rider/gone.html",
    "templates/web/rider/itinerary.html",
)

#: Python modules whose texts reach a rider or a host: the personal PDF and its pages, the public
#: booklet and its map, the host's day sheet, the personal feed, the change notices, the host
#: form, the ask-to-ride form, the rider page's claim messages, dates and distances, the 429
#: answer, the host page, the meals, the rider's offline copy and its own GPX/KML route files.
READER_MODULES = (
    "caravana/formats/names.py",
    "caravana/middleware.py",
    "caravana/throttle.py",
    "journey/counts.py",
    "journey/formatting.py",
    "journey/meals.py",
    "journey/exporters/gpx.py",
    "journey/exporters/ics.py",
    "journey/exporters/kml.py",
    "journey/exporters/routes.py",
    "journey/exporters/pdf/base.py",
    "journey/exporters/pdf/booklet.py",
    "journey/exporters/pdf/contacts.py",
    "journey/exporters/pdf/daysheet.py",
    "journey/exporters/pdf/days.py",
    "journey/exporters/pdf/personal.py",
    "journey/exporters/pdf/routemap.py",
    "participants/notifications.py",
    "web/public/forms.py",
    "web/public/ride.py",
    "web/public/rsvp.py",
    "stops/rsvps.py",
    "web/map.py",
    "web/public/views.py",
    "web/public/host.py",
    "web/public/offline.py",
)

#: Choice labels printed on the rider's page, documents and feed, and on the public pages
#: (the languages are the choices of the ask-to-ride form).
READER_CHOICES = (
    "participants.models.Language",
    "participants.models.VehicleKind",
    "stops.models.StopKind",
    "stops.models.ActivityKind",
    "stops.models.ContactKind",
    "stops.models.LodgingKind",
    "stops.models.MealKind",
)

#: The public forms (dotted path), whose model fields' names and help the form prints.
READER_FORMS = (
    "web.public.forms.HostApplicationForm",
    "web.public.ride.RideApplicationForm",
    "web.public.rsvp.RsvpForm",
)

#: Model checks (file, class, method) whose messages a public form shows next to a field.
READER_MODEL_CHECKS = (
    ("stops/models.py", "HostAlly", "clean"),
    ("participants/models.py", "RideApplication", "clean"),
    ("stops/rsvp_models.py", "Rsvp", "clean"),
)

_CALL = re.compile(r"\b(gettext|pgettext|ngettext|npgettext)\(")
_PY_FUNCTIONS = {
    "_": ("gettext",),
    "gettext": ("gettext",),
    "gettext_lazy": ("gettext",),
    "gettext_noop": ("gettext",),
    "pgettext": ("pgettext",),
    "pgettext_lazy": ("pgettext",),
    "ngettext": ("ngettext",),
    "ngettext_lazy": ("ngettext",),
    "npgettext": ("npgettext",),
    "npgettext_lazy": ("npgettext",),
}


def _key(kind: str, args: list[str]) -> tuple[str | None, str]:
    """(context, msgid) of one gettext call."""
    if kind in ("pgettext", "npgettext"):
        return args[0], args[1]
    return None, args[0]


def _template_msgids(path: str) -> set[tuple[str | None, str]]:
    code = templatize((ROOT / path).read_text(encoding="utf-8"), origin=str(ROOT / path))
    found = set()
    for match in _CALL.finditer(code):
        # The call ends at the first ")" after which the text parses as a call of literals.
        end = match.end()
        while True:
            end = code.index(")", end) + 1
            try:
                call = ast.parse(code[match.start() : end], mode="eval").body
            except SyntaxError:
                continue
            break
        literals = [a.value for a in call.args if isinstance(a, ast.Constant)]
        found.add(_key(match.group(1), literals))
    return found


def _module_msgids(path: str) -> set[tuple[str | None, str]]:
    return _tree_msgids(ast.parse((ROOT / path).read_text(encoding="utf-8")))


def _tree_msgids(tree: ast.AST) -> set[tuple[str | None, str]]:
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in _PY_FUNCTIONS:
            continue
        literals = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if literals and all(isinstance(v, str) for v in literals[:2]):
            found.add(_key(_PY_FUNCTIONS[name][0], literals))
    return found


def _choice_msgids(dotted: str) -> set[tuple[str | None, str]]:
    module, name = dotted.rsplit(".", 1)
    choices = getattr(__import__(module, fromlist=[name]), name)
    with translation.override("en"):  # English reads the msgid itself
        return {(None, str(label)) for label in choices.labels}


def _form_msgids(dotted: str) -> set[tuple[str | None, str]]:
    """The model fields' names and help of a public model form (the fields it declares itself,
    and its own texts, are in its module)."""
    module, name = dotted.rsplit(".", 1)
    form = getattr(__import__(module, fromlist=[name]), name)
    meta = form._meta
    found = set()
    with translation.override("en"):
        for name in meta.fields:
            if name in form.declared_fields:
                continue
            field = meta.model._meta.get_field(name)
            found.add((None, str(field.verbose_name)))
            if field.help_text and name not in (meta.help_texts or {}):
                found.add((None, str(field.help_text)))
    return found


def _model_check_msgids(path: str, cls: str, method: str) -> set[tuple[str | None, str]]:
    """The messages of one method of one class, e.g. a model's ``clean``."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == cls:
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == method:
                    return _tree_msgids(item)
    raise LookupError(f"{path} has no {cls}.{method}")


def reader_msgids() -> set[tuple[str | None, str]]:
    """Every (context, msgid) a rider or a host may read."""
    found: set[tuple[str | None, str]] = set()
    for path in READER_TEMPLATES:
        found |= _template_msgids(path)
    for path in READER_MODULES:
        found |= _module_msgids(path)
    for dotted in READER_CHOICES:
        found |= _choice_msgids(dotted)
    for dotted in READER_FORMS:
        found |= _form_msgids(dotted)
    for path, cls, method in READER_MODEL_CHECKS:
        found |= _model_check_msgids(path, cls, method)
    return {key for key in found if key[1]}


def _unquote(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def read_catalog(path: Path) -> dict[tuple[str | None, str], dict]:
    """The live entries of a .po file: (context, msgid) -> {"fuzzy", "msgstr": [...]}"""
    entries: dict[tuple[str | None, str], dict] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        flags, fields, current = set(), {}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue  # comments, references, and obsolete "#~" entries
            elif line.startswith('"'):
                fields[current].append(line)
            else:
                current, _space, rest = line.partition(" ")
                fields[current] = [rest]
        if "msgid" not in fields:
            continue
        key = (_unquote(fields["msgctxt"]) if "msgctxt" in fields else None,)
        key += (_unquote(fields["msgid"]),)
        strings = [_unquote(v) for k, v in sorted(fields.items()) if k.startswith("msgstr")]
        entries[key] = {"fuzzy": "fuzzy" in flags, "msgstr": strings}
    return entries


def test_the_reader_list_finds_the_rider_and_host_texts():
    """The extraction works: it finds texts of each kind of source (so the next test cannot
    pass by finding nothing)."""
    found = reader_msgids()
    assert (None, "My itinerary") in found  # template, {% translate %}
    assert (None, "Stop you can serve") in found  # Python module, gettext_lazy
    assert (None, "April") in found  # month names for dates
    assert (None, "Bus") in found or len(found) > 300
    assert (None, "Ask to ride") in found  # the ask-to-ride form
    assert (None, "A first name or a chosen name is enough.") in found  # a model field's help
    assert (None, "You would leave before joining.") in found  # a model's check
    assert (None, "Haitian Creole") in found  # a language the ride form offers


@pytest.mark.parametrize("language", ["ht"])
def test_every_rider_and_host_text_is_translated(language):
    catalog = read_catalog(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")
    missing = sorted(
        f"{msgid!r}" + (f" (context {context!r})" if context else "")
        for context, msgid in reader_msgids()
        if (context, msgid) not in catalog
        or catalog[(context, msgid)]["fuzzy"]
        or not all(catalog[(context, msgid)]["msgstr"])
    )
    assert not missing, (
        f"{len(missing)} rider- or host-facing texts lack a {language} translation in "
        f"locale/{language}/LC_MESSAGES/django.po (run makemessages -l {language}):\n"
        + "\n".join(missing[:40])
    )
