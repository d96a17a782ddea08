"""The 100-mile border zone and interior checkpoints, on places whose answer is known."""

import gzip
import io
import json
import math

import pytest
from django.core.management import call_command

from geo import border

PLACES = {
    "San Diego": (32.7157, -117.1611),
    "El Paso": (31.761878, -106.485022),
    "Tucson": (32.222607, -110.974709),
    "Chicago": (41.8781, -87.6298),  # Great Lakes shore
    "Spokane": (47.6588, -117.4260),  # 93 miles from Canada
    "Honolulu": (21.3069, -157.8583),
    "Denver": (39.7392, -104.9903),
    "Kansas City": (39.0997, -94.5786),
    "Phoenix": (33.448376, -112.074036),  # 117 miles from the border
    "San Antonio": (29.424122, -98.493629),
    "Dallas": (32.7767, -96.7970),
    "Oklahoma City": (35.4676, -97.5164),
    "Laredo": (27.5036, -99.5075),
    "Nogales": (31.3404, -110.9343),
    "Los Angeles": (34.052235, -118.243683),
    "Falfurrias": (27.2267, -98.1442),
    "Corpus Christi": (27.8006, -97.3964),
}


@pytest.mark.parametrize(
    ("place", "inside"),
    [
        ("San Diego", True),
        ("El Paso", True),
        ("Tucson", True),
        ("Chicago", True),
        ("Spokane", True),
        ("Honolulu", True),
        ("Denver", False),
        ("Kansas City", False),
        ("Phoenix", False),
        ("San Antonio", False),
    ],
)
def test_places_in_and_out_of_the_border_zone(place, inside):
    assert border.in_border_zone(*PLACES[place]) is inside


@pytest.mark.parametrize(
    ("place", "km"),
    [("El Paso", 1), ("Tucson", 96), ("Phoenix", 188), ("Denver", 895), ("Kansas City", 664)],
)
def test_distance_to_the_boundary(place, km):
    assert round(border.distance_to_boundary_km(*PLACES[place])) == km


def test_distances_for_many_places_at_once_match_one_by_one():
    places = [PLACES["Denver"], PLACES["Tucson"], PLACES["Chicago"]]

    together = border.distances_to_boundary_km(places)

    assert [round(km, 6) for km in together] == [
        round(border.distance_to_boundary_km(*place), 6) for place in places
    ]


@pytest.mark.parametrize(
    ("origin", "destination", "inside"),
    [
        ("Denver", "Kansas City", False),
        ("Dallas", "Oklahoma City", False),
        ("El Paso", "San Antonio", True),  # starts in the zone
        ("Denver", "San Diego", True),  # ends in the zone
        ("Phoenix", "San Antonio", True),  # both ends outside, the middle inside
    ],
)
def test_legs_in_and_out_of_the_border_zone(origin, destination, inside):
    assert border.leg_in_border_zone(PLACES[origin], PLACES[destination]) is inside


def _great_circle_samples(origin, destination, step_km=0.5):
    """Points every ``step_km`` along the great circle, computed independently of geo.border."""

    def vector(lat, lon):
        lat, lon = math.radians(lat), math.radians(lon)
        return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))

    a, b = vector(*origin), vector(*destination)
    angle = math.acos(sum(x * y for x, y in zip(a, b, strict=True)))
    count = int(angle * border.EARTH_RADIUS_KM / step_km) + 2
    points = []
    for i in range(count):
        f = i / (count - 1)
        wa, wb = math.sin((1 - f) * angle) / math.sin(angle), math.sin(f * angle) / math.sin(angle)
        x, y, z = (wa * p + wb * q for p, q in zip(a, b, strict=True))
        points.append((math.degrees(math.asin(z)), math.degrees(math.atan2(y, x))))
    return points


@pytest.mark.parametrize(
    ("origin", "destination"),
    [("Phoenix", "San Antonio"), ("Denver", "Kansas City"), ("Dallas", "Laredo")],
)
def test_leg_distance_is_the_least_distance_of_any_point_of_the_leg(origin, destination):
    sampled = min(
        border.distances_to_boundary_km(_great_circle_samples(PLACES[origin], PLACES[destination]))
    )

    exact = border.leg_distance_to_boundary_km(PLACES[origin], PLACES[destination])

    # Samples 0.5 km apart come within 0.25 km of the closest point, never closer than it.
    assert -1e-6 <= sampled - exact <= 0.25


@pytest.mark.parametrize(
    ("origin", "destination", "checkpoints"),
    [
        ("El Paso", "San Antonio", ["tx-i10-sierra-blanca"]),
        ("San Antonio", "El Paso", ["tx-i10-sierra-blanca"]),  # flagged both ways
        ("Denver", "Kansas City", []),
        ("Laredo", "San Antonio", ["tx-i35-laredo"]),
        ("San Diego", "Los Angeles", ["ca-i5-san-clemente"]),
        ("Nogales", "Tucson", ["az-i19-amado"]),
        ("Phoenix", "Tucson", []),
        ("Falfurrias", "Corpus Christi", []),  # the checkpoint is south of Falfurrias: behind
    ],
)
def test_checkpoints_passed_by_a_leg(origin, destination, checkpoints):
    passed = border.checkpoints_near_leg(PLACES[origin], PLACES[destination])

    assert [c.id for c in passed] == checkpoints


def test_the_corridor_decides_how_far_from_the_straight_line_a_checkpoint_counts():
    # I-10 runs about 30 km south of the El Paso - San Antonio line at Sierra Blanca.
    el_paso, san_antonio = PLACES["El Paso"], PLACES["San Antonio"]

    assert border.checkpoint_corridor_km(el_paso, san_antonio) == 40.0
    assert border.checkpoints_near_leg(el_paso, san_antonio, within_km=20) == []


def test_the_sierra_blanca_checkpoint_is_on_i10_in_texas():
    checkpoint = border.checkpoints_by_id()["tx-i10-sierra-blanca"]

    assert (checkpoint.name, checkpoint.highway, checkpoint.direction, checkpoint.state) == (
        "Sierra Blanca",
        "I-10",
        "eastbound",
        "TX",
    )
    assert (round(checkpoint.latitude, 1), round(checkpoint.longitude, 1)) == (31.2, -105.4)


def test_every_checkpoint_has_a_unique_id_a_source_and_lies_in_the_border_zone():
    checkpoints = border.checkpoints()

    assert len({c.id for c in checkpoints}) == len(checkpoints)
    assert [c.id for c in checkpoints if not c.source.startswith("Approximate")] == []
    assert [c.id for c in checkpoints if not border.in_border_zone(*c.coordinates)] == []


def test_build_outline_decodes_the_topojson_arcs(tmp_path):
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [-100, 30]},
        "objects": {
            "nation": {
                "type": "GeometryCollection",
                "geometries": [{"type": "MultiPolygon", "arcs": [[[0, ~1]]]}],
            }
        },
        # Quantized, delta-encoded; arc 1 is used reversed (~1) and written once, as stored.
        "arcs": [[[0, 0], [2, 0], [0, 4]], [[0, 0], [0, 4], [0, 0], [-2, -4]], [[9, 9], [1, 1]]],
    }
    source, output = tmp_path / "nation.json", tmp_path / "outline.geojson.gz"
    source.write_text(json.dumps(topology), encoding="utf-8")

    call_command("build_outline", str(source), "--output", str(output), stdout=io.StringIO())

    with gzip.open(output, "rt", encoding="utf-8") as handle:
        feature = json.load(handle)["features"][0]
    assert feature["geometry"] == {
        "type": "MultiLineString",
        "coordinates": [
            [[-100.0, 30.0], [-99.0, 30.0], [-99.0, 31.0]],
            [[-100.0, 30.0], [-100.0, 31.0], [-101.0, 30.0]],  # the repeated point dropped
        ],
    }
