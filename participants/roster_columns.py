"""The roster's columns and the names people give them and their values.

``COLUMNS`` maps each column to the participant's field and the other names a header may use
(Spanish, and common variants); headers and values are compared without case or accents
(``plain``). Role and language values may be codes or names in English or Spanish, and the
languages' own names ("Español", "Kreyòl"). Phones are normalised to E.164, US by default.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.utils import translation

# Canonical column -> (model field, the names a header may use besides its own).
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("display_name", ("nombre", "display_name", "nombre_visible")),
    "full_name": ("full_name", ("nombre_completo", "nombre_y_apellidos")),
    "role": ("role", ("rol", "papel", "funcion")),
    "language": ("language", ("idioma", "lengua", "lang")),
    "phone": ("phone", ("telefono", "celular", "movil", "tel")),
    "email": ("email", ("correo", "correo_electronico", "e_mail", "mail")),
    "route": ("route", ("ruta",)),
    "joins": ("join_stop", ("sube_en", "se_une_en", "desde", "joins_at", "join")),
    "leaves": ("leave_stop", ("baja_en", "deja_en", "hasta", "leaves_at", "leave")),
    "dietary_needs": ("dietary_needs", ("dieta", "necesidades_alimentarias", "alimentacion")),
    "accessibility_needs": (
        "accessibility_needs",
        ("accesibilidad", "necesidades_de_accesibilidad"),
    ),
    "travels_with": ("travels_with", ("viaja_con", "acompanante")),
    "emergency_contact_name": (
        "emergency_contact_name",
        ("contacto_de_emergencia", "emergency_contact", "nombre_contacto_emergencia"),
    ),
    "emergency_contact_phone": (
        "emergency_contact_phone",
        ("telefono_de_emergencia", "telefono_contacto_emergencia", "emergency_phone"),
    ),
}
FIELD_OF = {column: spec[0] for column, spec in COLUMNS.items()}
COLUMN_OF = {model_field: column for column, model_field in FIELD_OF.items()}
TEXT_COLUMNS = ("full_name", "dietary_needs", "accessibility_needs", "emergency_contact_name")
DATE_AT_END = re.compile(r"^(?P<place>.*?)[\s,(]*(?P<date>\d{4}-\d{1,2}-\d{1,2})\)?$")

# Language names people write, besides each code and its English and Spanish names.
LANGUAGE_NAMES = {
    "en": ("english", "ingles"),
    "es": ("spanish", "espanol", "castellano"),
    "ht": ("kreyol", "kreyol ayisyen", "creole", "haitian", "criollo", "haitian creole"),
    "fr": ("french", "francais", "frances"),
    "pt": ("portuguese", "portugues"),
}


def plain(text: str) -> str:
    """Lower case, no accents, single spaces: how names are compared."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.replace("_", " ").split())


def header_key(text: str) -> str:
    return plain(text).replace(" ", "_").replace("-", "_").replace(".", "")


HEADERS = {header_key(c): c for c in COLUMNS} | {
    header_key(alias): column for column, (_f, aliases) in COLUMNS.items() for alias in aliases
}


def choice_names(choices, extra: dict | None = None) -> dict[str, str]:
    names = {}
    for value, label in choices:
        names[plain(value)] = value
        for language in ("en", "es"):
            with translation.override(language):
                names[plain(str(label))] = value
        for alias in (extra or {}).get(value, ()):
            names[plain(alias)] = value
    return names


# Spanish role labels are gendered ("Conductor/a"): both halves are accepted too.
ROLE_NAMES = {
    "rider": ("viajero", "viajera", "pasajero", "pasajera"),
    "driver": ("conductor", "conductora", "chofer"),
    "coordinator": ("coordinador", "coordinadora"),
    "medic": ("medico", "medica", "salud"),
    "press": ("periodista",),
}


def normalise_phone(value: str) -> str:
    """E.164 (+15551234567); numbers without a country code are read as US numbers."""
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        raise ValueError from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_key(value: str) -> str:
    if not value:
        return ""
    try:
        return normalise_phone(value)
    except ValueError:
        return re.sub(r"\D", "", value)
