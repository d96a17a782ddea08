"""The route map of the booklet: projection, the area shown, the state lines, and a size that
always fits its frame."""

import math

import pytest

from journey.exporters import ExportRequest, get_exporter
from journey.exporters.pdf.routemap import (
    EARTH_RADIUS_KM,
    RouteMap,
    map_extent,
    outline,
    project,
    state_lines,
)
from journey.itinerary import Audience, build_itinerary
from journey.plan import load_plan
from journey.services import append_stop
from tests.factories import PLACES, RouteFactory, StopFactory, local
from tests.journey.test_itinerary import build_scenario
from tests.journey.test_pdf import pages


def projected(city: str) -> tuple[float, float]:
    _state, lat, lon = PLACES[city]
    x, y = project(float(lon), float(lat))
    return float(x), float(y)


def test_projection_is_centred_on_the_middle_of_the_country_in_kilometres():
    assert [round(float(v), 6) for v in project(-96.0, 37.5)] == [0.0, 0.0]


def test_projection_keeps_true_scale_along_a_standard_parallel():
    (x0, y0), (x1, y1) = (project(lon, 29.5) for lon in (-96.0, -95.0))
    on_the_ground = math.radians(1) * EARTH_RADIUS_KM * math.cos(math.radians(29.5))

    assert math.dist((x0, y0), (x1, y1)) == pytest.approx(on_the_ground, rel=1e-4)


def test_a_coast_to_coast_journey_shows_the_whole_country():
    country = outline().contiguous

    extent = map_extent([projected("Los Angeles"), projected("Washington")])

    assert extent.contains(country)


def test_a_regional_journey_zooms_in_on_its_stops():
    country = outline().contiguous
    points = [projected("Phoenix"), projected("Tucson")]

    extent = map_extent(points)

    assert extent.width < 0.5 * country.width
    assert all(extent.x0 < x < extent.x1 and extent.y0 < y < extent.y1 for x, y in points)


def test_state_lines_are_decoded_inside_the_contiguous_states():
    country = outline().contiguous.grown(50, 50)

    lines = state_lines()

    # Alaska and Hawaii share no border with another state: every shared arc is down here.
    assert [box for _xs, _ys, box in lines if not country.contains(box)] == []
    assert len(lines) > 100


@pytest.fixture
def itinerary(db):
    scenario = build_scenario()
    return build_itinerary(load_plan(scenario.journey), audience=Audience.PUBLIC)


@pytest.mark.parametrize(
    ("avail_height", "max_height", "expected_height"),
    [
        (700, 700, 266.4),  # as wide as the frame: the map's aspect (0.5) decides the height
        (700, 200, 200),  # never taller than the frame it will be drawn in
        (250, 700, 250),  # shrinks a little to fit the rest of a page
        (100, 700, 266.4),  # too little room left: asks for its size, goes to the next page
    ],
)
def test_the_map_never_asks_for_more_than_its_frame(
    itinerary, avail_height, max_height, expected_height
):
    route_map = RouteMap(itinerary.stops, itinerary.legs, max_height=max_height)

    width, height = route_map.wrap(532.8, avail_height)

    assert round(height, 1) == expected_height
    assert width <= 532.8


def test_a_journey_with_two_routes_gets_a_legend(db):
    scenario = build_scenario()
    north = RouteFactory(journey=scenario.journey, name="Northern line", color="#1565c0")
    for city, day in (("Indianapolis", 2), ("Washington", 4)):
        stop = StopFactory(
            journey=scenario.journey,
            city=city,
            arrival=local("America/New_York", 2026, 3, day, 18),
            departure=local("America/New_York", 2026, 3, day + 1, 8),
        )
        append_stop(route=north, stop=stop)

    body = get_exporter("pdf", "booklet").export(
        load_plan(scenario.journey), ExportRequest(Audience.PUBLIC), language="en"
    )

    assert pages(body)[0][5:7] == ["Main", "Northern line"]
