"""Counts of needs by category, without names or anyone's own words: for hosts and kitchens.

A participant's dietary and accessibility needs are free text written by or for them
("No stairs (knee surgery last year)"). Hosts get how many people need what, by category
("no stairs: 1"), never that text: a person's words about their health stay with the
coordinators. ``need_counts`` is the one place that turns the text into categories; a need
that matches none counts as "other", so the host knows to ask.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from journey.itinerary.types import NeedCount

__all__ = ["ACCESSIBILITY", "DIETARY", "NeedCount", "need_categories", "need_counts"]

# (category label, words that show it, lower case). Words in English, Spanish and Haitian
# Creole, as needs are typed in all three; accents do not matter.
DIETARY = (
    (_("vegan"), ("vegan", "vegano", "vegana", "vejetalyen strik")),
    (_("vegetarian"), ("vegetarian", "vegetariano", "vegetariana", "vejetaryen", "no meat")),
    (_("halal"), ("halal",)),
    (_("kosher"), ("kosher",)),
    (_("gluten-free"), ("gluten", "celiac", "celiaco", "celiaca", "seliyak")),
    (_("nut allergy"), ("nut", "peanut", "mani", "nuez", "nueces", "cacahuate", "pistach")),
    (_("shellfish or fish allergy"), ("shellfish", "marisco", "fish", "pescado", "pwason")),
    (_("no dairy"), ("lactose", "dairy", "lacteo", "lactosa", "leche")),
    (_("no pork"), ("pork", "cerdo", "puerco", "kochon")),
    (_("diabetic"), ("diabet", "dyabèt", "sugar", "azucar")),
    (_("low salt"), ("salt", "sodium", "sodio")),
    (_("soft food"), ("soft food", "blanda", "puree")),
)
ACCESSIBILITY = (
    (_("wheelchair"), ("wheelchair", "silla de ruedas", "chez woulan")),
    (_("no stairs"), ("stair", "escalera", "step-free", "step free", "ground floor", "eskalye")),
    (_("walking aid"), ("cane", "walker", "crutch", "baston", "andador", "muleta", "bekiy")),
    (_("hearing"), ("deaf", "hearing", "sordo", "sorda", "audit", "soud")),
    (_("sight"), ("blind", "vision", "visual", "sight", "ciego", "ciega", "avèg", "aveg")),
    (_("power for a medical device"), ("cpap", "oxygen", "oxigeno", "oksijèn", "oksijen")),
    (_("lower bunk or bed"), ("bunk", "litera", "bottom bed", "lower bed", "cama baja")),
    (_("service animal"), ("service dog", "service animal", "perro de servicio")),
)
OTHER = _("other (the coordinators have the details)")
_KINDS = {"dietary": DIETARY, "accessibility": ACCESSIBILITY}


def _plain(text: str) -> str:
    """Lower case without accents, so "Escaléras" finds "escalera"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def need_categories(text: str, kind: str) -> list:
    """The categories one person's need falls in (each once), or [OTHER]; [] when blank."""
    if not text or not text.strip():
        return []
    plain = f" {_plain(text)} "
    found = [
        label
        for label, words in _KINDS[kind]
        if any(_word_in(_plain(word), plain) for word in words)
    ]
    return found or [OTHER]


def _word_in(word: str, text: str) -> bool:
    """``word`` where a word of ``text`` starts ("diabet" in "diabetic", not "nut" in
    "peanut"); a short word must also end there, or take a plural "s" ("nut", "nuts", never
    "nutmeg")."""
    start = 0
    while (found := text.find(word, start)) != -1:
        after = text[found + len(word) :]
        if not text[found - 1].isalnum() and (
            len(word) > 4 or not after[0].isalpha() or (after[0] == "s" and not after[1].isalpha())
        ):
            return True
        start = found + 1
    return False


def need_counts(values: Iterable[str], kind: str) -> tuple[NeedCount, ...]:
    """How many people have each category of need (``kind``: "dietary" or "accessibility"),
    most common first; "other" last. Never anyone's own words."""
    counts: Counter = Counter()
    for value in values:
        counts.update(set(need_categories(value, kind)))
    return tuple(
        NeedCount(str(label), count)
        for label, count in sorted(
            counts.items(), key=lambda kv: (kv[0] is OTHER, -kv[1], str(kv[0]))
        )
    )
