"""One rule in one place: the shapes the design promises, checked on the source itself."""

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "tests", "migrations", "node_modules", "bench", "__pycache__"}


def sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts)
        if not parts & SKIP:
            yield path


def test_there_is_one_enum_of_a_visitors_role():
    """The access model's ``Role`` is the only one (``participants.models.Role`` is what a
    participant does on the journey: rider, driver, medic...)."""
    found = []
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and "Role" in node.name:
                bases = {ast.unparse(base) for base in node.bases}
                if bases & {"enum.StrEnum", "StrEnum", "enum.Enum", "models.TextChoices"}:
                    found.append(f"{path.relative_to(ROOT)}:{node.name}")

    assert sorted(found) == ["journey/access.py:Role", "participants/models.py:Role"]


def test_the_public_stop_rule_is_written_once():
    """``stops.models.shown_publicly_q`` (and its row form) is the only place that combines
    "public" with "not cancelled"."""
    pattern = re.compile(r"is_public.*(CANCELLED|is_cancelled)|(CANCELLED|is_cancelled).*is_public")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sources()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]

    assert [place.split(":")[0] for place in found] == ["stops/models.py"]


def test_no_view_decides_access_on_its_own():
    """Views ask the access model: none reads a journey's coordinators or compares tokens."""
    offenders = []
    for path in sources():
        if path.name not in {"views.py"} and "views" not in path.parts:
            continue
        text = path.read_text()
        for needle in ("coordinators.filter", "constant_time_compare", "is_superuser"):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")

    assert offenders == []


def test_the_itinerary_types_load_without_the_assembly():
    """``Audience`` is asked by the access model, the rules and the exporters' registry:
    importing it (from the package or from ``types``) loads no model, no plan and none of the
    itinerary's assembly, so those low-level modules cannot end in an import circle."""
    code = (
        "import json, sys\n"
        "from journey.itinerary import Audience\n"
        "import journey.itinerary.types\n"
        "apps = ('journey', 'participants', 'stops', 'django')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in apps)))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert json.loads(loaded.stdout) == ["journey", "journey.itinerary", "journey.itinerary.types"]


def test_the_itinerary_package_offers_every_name_it_lists():
    import journey.itinerary

    missing = [name for name in journey.itinerary.__all__ if not hasattr(journey.itinerary, name)]

    assert missing == []


# Data, not logic: the only modules allowed past the size limit.
DATA_MODULES = {"demo/data.py": "the demo journey's literals"}


def test_no_module_holds_more_than_one_concerns_worth_of_lines():
    """Size follows concern: a module over about 600 lines is split by what it does."""
    too_long = {
        str(path.relative_to(ROOT)): len(path.read_text().splitlines())
        for path in sources()
        if len(path.read_text().splitlines()) > 600
    }

    assert set(too_long) == set(DATA_MODULES), too_long
