import subprocess
import sys
from pathlib import Path

import pytest

from geo import gazetteer
from geo.gazetteer import Place

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Phoenix", "phoenix"),
        ("  PHOENIX ", "phoenix"),
        ("St. Louis", "saint louis"),
        ("Saint Louis", "saint louis"),
        ("ST LOUIS", "saint louis"),
        ("Ft. Worth", "fort worth"),
        ("Mt Pleasant", "mount pleasant"),
        ("Coeur d'Alene", "coeur dalene"),
        ("Winston-Salem", "winston salem"),
        ("Española", "espanola"),
        ("Kahalu‘u", "kahaluu"),
    ],
)
def test_normalize_name(text, key):
    assert gazetteer.normalize_name(text) == key


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("AZ", "AZ"),
        ("az", "AZ"),
        ("Arizona", "AZ"),
        ("ARIZONA", "AZ"),
        ("new mexico", "NM"),
        ("D.C.", "DC"),
        ("District of Columbia", "DC"),
        ("Puerto Rico", "PR"),
        ("MT", "MT"),
        ("Ontario", None),
        ("XX", None),
    ],
)
def test_state_code(text, code):
    assert gazetteer.state_code(text) == code


def test_states_are_the_50_states_dc_and_puerto_rico():
    states = gazetteer.states()

    assert len(states) == 52
    assert (states["DC"], states["PR"], states["WY"]) == (
        "District of Columbia",
        "Puerto Rico",
        "Wyoming",
    )


def test_find_place_with_state():
    place = gazetteer.find_place("Phoenix", "AZ")

    assert place == Place(
        name="Phoenix",
        state="AZ",
        country="US",
        latitude=33.44838,
        longitude=-112.07404,
        timezone="America/Phoenix",
        population=1650070,
        source="geonames",
    )


def test_find_place_without_state_is_the_most_populous():
    places = gazetteer.find_places("Springfield")

    assert places[0].state == "MO"
    populations = [place.population for place in places]
    assert populations == sorted(populations, reverse=True)
    assert len(places) > 20


def test_main_names_answer_before_alternate_names():
    # "French Lick" is a town in Indiana and an old alternate name of Nashville.
    assert gazetteer.find_place("French Lick").state == "IN"


def test_alternate_name_answers_when_no_main_name_does():
    assert gazetteer.find_place("New York", "NY").name == "New York City"


@pytest.mark.parametrize(("name", "state"), [("Xyzzyville", ""), ("Phoenix", "VT"), ("", "")])
def test_find_place_unknown(name, state):
    assert gazetteer.find_place(name, state) is None


@pytest.mark.parametrize(
    ("zip_code", "normalized"),
    [("85701", "85701"), (" 85701 ", "85701"), ("85701-1234", "85701"), ("857011234", "85701")],
)
def test_normalize_zip(zip_code, normalized):
    assert gazetteer.normalize_zip(zip_code) == normalized


@pytest.mark.parametrize("zip_code", ["8570", "857012", "85701-12", "abcde", "85701_1234"])
def test_normalize_zip_rejects(zip_code):
    assert gazetteer.normalize_zip(zip_code) is None


@pytest.mark.parametrize(
    ("zip_code", "city", "state", "timezone"),
    [
        ("85001", "Phoenix", "AZ", "America/Phoenix"),
        ("85701-1234", "Tucson", "AZ", "America/Phoenix"),
        ("79901", "El Paso", "TX", "America/Denver"),
        ("96813", "Honolulu", "HI", "Pacific/Honolulu"),
        ("00901", "San Juan", "PR", "America/Puerto_Rico"),
    ],
)
def test_find_zip(zip_code, city, state, timezone):
    place = gazetteer.find_zip(zip_code)

    assert (place.name, place.state, place.timezone) == (city, state, timezone)
    assert (place.country, place.population, place.source) == ("US", None, "zip")


@pytest.mark.parametrize("zip_code", ["00000", "99999", "09001", "hello"])
def test_find_zip_unknown(zip_code):
    # 09001 is a military (APO) ZIP: it has no coordinates, so it was left out.
    assert gazetteer.find_zip(zip_code) is None


def test_nearest_places():
    found = gazetteer.nearest_places(33.45, -112.07, limit=3)

    assert found[0][0].label == "Phoenix, AZ"
    assert found[0][1] == pytest.approx(0.42, abs=0.01)
    assert [distance for _, distance in found] == sorted(distance for _, distance in found)


def test_nearest_places_across_the_antimeridian():
    # West of 180 degrees in the Aleutians: the nearest place is east of it, and the grid wraps.
    lat, lng = 52.0, 179.0
    places = gazetteer._places().all_places()
    expected = min(places, key=lambda p: gazetteer.haversine_km(lat, lng, p.latitude, p.longitude))

    (place, distance), *_ = gazetteer.nearest_places(lat, lng, max_km=1000)

    assert (place.label, place) == ("Dutch Harbor, AK", expected)
    assert distance == pytest.approx(989.4, abs=0.1)


def test_nearest_places_far_from_everything():
    assert gazetteer.nearest_places(30.0, -140.0) == []


def test_files_load_lazily_once_per_process():
    script = (
        "from geo import gazetteer as g\n"
        "assert not g._loaded\n"
        "g.find_place('Phoenix', 'AZ')\n"
        "places = g._loaded['places']\n"
        "assert 'zips' not in g._loaded\n"
        "g.find_place('Tucson', 'AZ')\n"
        "assert g._loaded['places'] is places\n"
        "g.find_zip('85001')\n"
        "assert 'zips' in g._loaded\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=REPO, check=True, timeout=60)
