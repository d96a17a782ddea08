"""The "know your rights" sheet for riders whose part of the route meets the border zone.

Personal PDF itineraries whose segment touches the border zone (journey.border.
touches_border_zone) carry this sheet. It is written plainly, in short points, and authored in
each language rather than run through the translation catalogs: rights wording has to be
reviewed as a whole in every language, by a person who reads it, before it is changed.

General information, not legal advice: every rendering shows ``sheet.notice``.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Languages the sheet is written in; others get English (see ``sheet_language``).
LANGUAGES = ("en", "es")


@dataclass(frozen=True)
class Section:
    heading: str
    points: tuple[str, ...]


@dataclass(frozen=True)
class Sheet:
    language: str
    title: str
    notice: str  # "general information, not legal advice"
    sections: tuple[Section, ...]


_ENGLISH = Sheet(
    language="en",
    title="Know your rights on the road",
    notice=(
        "General information, not legal advice. Laws and practice change. "
        "When in doubt, call the legal team."
    ),
    sections=(
        Section(
            "Your rights with any officer",
            (
                "You have the right to remain silent. You can say: “I want to remain silent.”",
                "You do not have to say where you were born, what your immigration status is, "
                "or how you came into the country.",
                "Do not lie and do not show false documents. Staying silent is allowed; "
                "lying is not.",
                "You can say: “I want to speak to a lawyer.”",
                "Do not sign anything you do not understand. Do not sign anything before you "
                "talk to a lawyer.",
            ),
        ),
        Section(
            "At a Border Patrol checkpoint",
            (
                "Agents may stop every vehicle and ask whether you are a US citizen, "
                "even if they suspect nothing.",
                "You may stay silent, or say that you want to speak to a lawyer. "
                "This may make the stop longer. That is normal.",
                "The driver or the coordinator speaks for the group. Answer only for yourself.",
                "You may refuse a search of your belongings. Say clearly: "
                "“I do not consent to a search.” Do not push or block the agents.",
                "You do not have to unlock your phone or give your passwords.",
                "If agents tell you to step off the bus or to wait, do it calmly. "
                "You keep your rights while you do.",
            ),
        ),
        Section(
            "Stay safe",
            (
                "Stay calm. Do not run. Do not resist, even if you think the stop is unfair.",
                "Keep your hands where the agents can see them.",
                "If you have valid immigration papers, carry them. Never carry false papers.",
                "Remember what happened: the agency, names or badge numbers, vehicle numbers, "
                "the time and the place. Write it down as soon as you can.",
            ),
        ),
        Section(
            "The legal team",
            (
                "The legal team's number is in your itinerary. Save it in your phone "
                "and write it on paper, too.",
                "Call it if anyone in the group is taken aside, held, or asked to sign papers, "
                "or if agents search the bus.",
                "The legal team can help you get a lawyer and let your family know where you are. "
                "Tell them your full name and where you are.",
                "If you are held: ask for a lawyer, do not sign anything, and do not talk about "
                "your case with anyone but your lawyer.",
            ),
        ),
    ),
)

_SPANISH = Sheet(
    language="es",
    title="Conozca sus derechos en el camino",
    notice=(
        "Información general, no es asesoría legal. Las leyes y las prácticas cambian. "
        "Si tiene dudas, llame al equipo legal."
    ),
    sections=(
        Section(
            "Sus derechos ante cualquier agente",
            (
                "Usted tiene derecho a guardar silencio. Puede decir: “Quiero guardar silencio.”",
                "No tiene que decir dónde nació, cuál es su estatus migratorio "
                "ni cómo entró al país.",
                "No mienta y no muestre documentos falsos. Guardar silencio está permitido; "
                "mentir no.",
                "Puede decir: “Quiero hablar con un abogado.”",
                "No firme nada que no entienda. No firme nada antes de hablar con un abogado.",
            ),
        ),
        Section(
            "En un puesto de control de la Patrulla Fronteriza",
            (
                "Los agentes pueden detener a todos los vehículos y preguntar si usted es "
                "ciudadano de Estados Unidos, aunque no sospechen nada.",
                "Puede guardar silencio, o decir que quiere hablar con un abogado. "
                "Esto puede hacer que la parada dure más. Es normal.",
                "El chofer o el coordinador habla por el grupo. Responda solo por usted.",
                "Puede negarse a que revisen sus pertenencias. Diga claramente: "
                "“No doy permiso para una revisión.” No empuje ni bloquee a los agentes.",
                "No tiene que desbloquear su teléfono ni dar sus contraseñas.",
                "Si los agentes le piden bajar del autobús o esperar, hágalo con calma. "
                "Usted conserva sus derechos mientras tanto.",
            ),
        ),
        Section(
            "Cuídese",
            (
                "Mantenga la calma. No corra. No se resista, aunque crea que la parada es injusta.",
                "Mantenga las manos donde los agentes puedan verlas.",
                "Si tiene documentos migratorios válidos, llévelos consigo. "
                "Nunca lleve documentos falsos.",
                "Recuerde lo que pasó: la agencia, los nombres o números de placa, los números "
                "de los vehículos, la hora y el lugar. Escríbalo en cuanto pueda.",
            ),
        ),
        Section(
            "El equipo legal",
            (
                "El número del equipo legal está en su itinerario. Guárdelo en su teléfono "
                "y escríbalo también en papel.",
                "Llame si a alguien del grupo lo apartan, lo detienen o le piden firmar papeles, "
                "o si los agentes revisan el autobús.",
                "El equipo legal puede ayudarle a conseguir un abogado y avisar a su familia "
                "dónde está. "
                "Dígales su nombre completo y dónde se encuentra.",
                "Si lo detienen: pida un abogado, no firme nada y no hable de su caso con nadie "
                "más que con su abogado.",
            ),
        ),
    ),
)

_SHEETS = {"en": _ENGLISH, "es": _SPANISH}


def sheet_language(language: str) -> str:
    """The language the sheet is given in for a reader of ``language`` ("es-mx" -> "es")."""
    base = (language or "").lower().replace("_", "-").split("-")[0]
    return base if base in _SHEETS else "en"


def know_your_rights_sheet(language: str) -> Sheet:
    """The whole sheet (title, notice, sections) in the reader's language, or English."""
    return _SHEETS[sheet_language(language)]


def know_your_rights(language: str) -> list[Section]:
    """The sheet's sections in the reader's language, or English."""
    return list(know_your_rights_sheet(language).sections)
