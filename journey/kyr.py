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
LANGUAGES = ("en", "es", "ht")


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

# Haitian Creole in the words immigrant legal organizations use on their Kreyòl "Konnen dwa ou"
# cards ("Ou gen dwa pou w rete an silans", "Mwen vle pale ak yon avoka", "Mwen pa bay
# pèmisyon pou yo fouye"). Not yet reviewed by a native speaker or a lawyer: see the README.
_HAITIAN_CREOLE = Sheet(
    language="ht",
    title="Konnen dwa ou sou wout la",
    notice=(
        "Sa a se enfòmasyon jeneral, se pa konsèy legal. Lwa yo ak fason yo aplike yo ka chanje. "
        "Si ou gen dout, rele ekip legal la."
    ),
    sections=(
        Section(
            "Dwa ou devan nenpòt ajan",
            (
                "Ou gen dwa pou w rete an silans. Ou ka di: « Mwen vle rete an silans. »",
                "Ou pa oblije di ki kote ou fèt, ki estati imigrasyon ou genyen, "
                "ni kijan ou te antre nan peyi a.",
                "Pa bay manti epi pa montre fo dokiman. Ou gen dwa rete an silans; "
                "ou pa gen dwa bay manti.",
                "Ou ka di: « Mwen vle pale ak yon avoka. »",
                "Pa siyen anyen ou pa konprann. Pa siyen anyen anvan ou pale ak yon avoka.",
            ),
        ),
        Section(
            "Nan yon pòs kontwòl Patwouy Fwontyè a",
            (
                "Ajan yo ka kanpe tout machin epi mande si ou se sitwayen ameriken, "
                "menm si yo pa sispèk anyen.",
                "Ou ka rete an silans, oswa di ou vle pale ak yon avoka. "
                "Sa ka fè kontwòl la dire pi lontan. Sa nòmal.",
                "Chofè a oswa kowòdonatè a pale pou gwoup la. Reponn pou tèt ou sèlman.",
                "Ou ka refize yo fouye afè ou. Di klè: "
                "« Mwen pa bay pèmisyon pou yo fouye. » Pa pouse ajan yo, pa bloke yo.",
                "Ou pa oblije debloke telefòn ou, ni bay modpas ou.",
                "Si ajan yo di w desann bis la oswa tann, fè sa ak kalm. "
                "Ou toujou gen dwa ou pandan w ap fè sa.",
            ),
        ),
        Section(
            "Pwoteje tèt ou",
            (
                "Rete kalm. Pa kouri. Pa reziste, menm si ou panse kontwòl la pa jis.",
                "Kite men ou kote ajan yo ka wè yo.",
                "Si ou gen papye imigrasyon ki valab, pote yo sou ou. Pa janm pote fo papye.",
                "Sonje sa ki te pase: ajans lan, non oswa nimewo badj ajan yo, nimewo machin yo, "
                "lè a ak kote a. Ekri sa le pli vit ou kapab.",
            ),
        ),
        Section(
            "Ekip legal la",
            (
                "Nimewo ekip legal la nan itinerè ou. Anrejistre l nan telefòn ou "
                "epi ekri l sou papye tou.",
                "Rele ekip la si yo mete yon moun nan gwoup la sou kote, si yo kenbe l, "
                "si yo mande l siyen papye, oswa si ajan yo fouye bis la.",
                "Ekip legal la ka ede w jwenn yon avoka epi fè fanmi w konnen kote ou ye. "
                "Di yo non konplè ou ak kote ou ye.",
                "Si yo kenbe w: mande yon avoka, pa siyen anyen, epi pa pale sou ka ou "
                "ak pèsonn, sof avoka ou.",
            ),
        ),
    ),
)

_SHEETS = {"en": _ENGLISH, "es": _SPANISH, "ht": _HAITIAN_CREOLE}


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
