"""Extract the external boundary of the United States into ``geo/data/us_outline.geojson.gz``.

A maintainer command. The source is ``nation-10m.json`` from the npm package ``us-atlas``
(3.0.1, ISC; the Census Bureau's 2017 cartographic nation boundary as TopoJSON), which is not
a Python package, so fetch it outside the checkout first::

    cd /tmp && npm pack us-atlas@3.0.1 && tar xzf us-atlas-3.0.1.tgz
    python manage.py build_outline /tmp/package/nation-10m.json

then check the diff and commit the file. The nation object is the union of the states, so
every TopoJSON arc of it lies on the outline: the sea and Great Lakes shores and the land
borders with Canada and Mexico. Each arc is written once, as one line string, with
coordinates rounded to 4 decimals (about 11 m; the source is quantized to 100 to 350 m).
The output is byte-for-byte reproducible (gzip without a timestamp).
"""

import gzip
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from geo.border import OUTLINE_PATH

SOURCE_NOTE = (
    "US Census Bureau cartographic boundary (nation, 2017), via the npm package us-atlas 3.0.1 "
    "(nation-10m.json, ISC license, Copyright 2013-2019 Michael Bostock)"
)


class Command(BaseCommand):
    help = "Rebuild geo/data/us_outline.geojson.gz from us-atlas's nation-10m.json."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="Path to us-atlas's nation-10m.json.")
        parser.add_argument(
            "--output",
            type=Path,
            default=OUTLINE_PATH,
            help="Where to write the outline (default: geo/data/us_outline.geojson.gz).",
        )

    def handle(self, *args, source: Path, output: Path, **options):
        try:
            topology = json.loads(source.read_text(encoding="utf-8"))
            lines = outline_lines(topology)
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"Cannot read a nation outline from {source}: {error}") from error
        write_outline(output, lines)
        points = sum(len(line) for line in lines)
        self.stdout.write(f"{output.name}: {len(lines)} lines, {points} points")


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as (longitude, latitude) lists, undoing quantization and deltas."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for position in arc:
            if transform:
                x, y = x + position[0], y + position[1]
                (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((position[0], position[1]))
        arcs.append(points)
    return arcs


def _arc_indexes(arcs_field) -> set[int]:
    """Every arc index (a negative index ~i is arc i reversed) in nested TopoJSON arc lists."""
    if isinstance(arcs_field, int):
        return {arcs_field if arcs_field >= 0 else ~arcs_field}
    return set().union(*(_arc_indexes(item) for item in arcs_field))


def outline_lines(topology: dict) -> list[list[tuple[float, float]]]:
    """The nation's boundary as line strings, each arc once, rounded to 4 decimals."""
    arcs = decode_arcs(topology)
    used = set()
    for geometry in topology["objects"]["nation"]["geometries"]:
        used |= _arc_indexes(geometry["arcs"])
    lines = []
    for index in sorted(used):
        line = []
        for lon, lat in arcs[index]:
            point = (round(lon, 4), round(lat, 4))
            if not line or line[-1] != point:
                line.append(point)
        if len(line) >= 2:
            lines.append(line)
    return lines


def write_outline(path: Path, lines: list[list[tuple[float, float]]]) -> None:
    feature = {
        "type": "Feature",
        "properties": {"name": "United States external boundary", "source": SOURCE_NOTE},
        "geometry": {
            "type": "MultiLineString",
            "coordinates": [[[lon, lat] for lon, lat in line] for line in lines],
        },
    }
    text = json.dumps({"type": "FeatureCollection", "features": [feature]}, separators=(",", ":"))
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as handle,
    ):
        handle.write(text.encode("utf-8"))
