"""The route drawn over the outline of the United States, for the booklet.

The outline is the nation's external boundary that ships with Caravana
(``geo/data/us_outline.geojson.gz``: US Census Bureau cartographic boundary via
the npm package us-atlas; see geo/data/README.md), and the lines between states
come from the same package's ``states-10m.json``, shipped unchanged as
``geo/data/us_states_outline.topojson`` (see its .LICENSE file). No tile
server, no network.

Projection: Albers equal-area conic with the usual parameters for the
contiguous states (standard parallels 29.5° and 45.5° N, centred on 96° W),
on a sphere; x and y are in kilometres. The outline is read, projected and
thinned once per process (points closer than ``SIMPLIFY_KM`` to the last kept
one are dropped: about half of them, invisible at booklet scale); so are the
state lines.

The map shows the whole contiguous United States, or the stops' own area when
they all sit in a small part of it, and always every stop (Alaska, Hawaii and
Puerto Rico included). Legs are drawn in their route's colour; overnight stops
and the first and last stops get a dot and a label (labels that would overlap
another are left out), other stops a small dot.

``RouteMap`` is a platypus flowable that never asks for more height than the
frame has: a drawing taller than the frame would silently move to the next page
and, on a fresh page, stop the build.
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache

import numpy as np
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from geo.border import DATA_DIR, OUTLINE_PATH
from journey.exporters.pdf.base import FONT, FONT_BOLD, INK, MUTED, RULE
from journey.itinerary import LegItem, StopVisit

STATES_PATH = DATA_DIR / "us_states_outline.topojson"
EARTH_RADIUS_KM = 6371.0088
PARALLEL_1, PARALLEL_2 = math.radians(29.5), math.radians(45.5)
ORIGIN_LAT, ORIGIN_LON = math.radians(37.5), math.radians(-96.0)
SIMPLIFY_KM = 6.0  # under a point at booklet scale (about 9 km a point)
# The contiguous states (with a little sea around them), in degrees.
CONTIGUOUS = (-125.5, 24.0, -66.5, 49.6)  # west, south, east, north
# A map of a small area still shows this much (km), so a region keeps its context.
MIN_SPAN_KM = 900.0
DEFAULT_COLOR = "#b5179e"
LAND_LINE = colors.HexColor("#8a939b")
STATE_LINE = colors.HexColor("#c3c9cf")
WATER = colors.HexColor("#f4f8fb")


# --- projection ----------------------------------------------------------------------------

_N = (math.sin(PARALLEL_1) + math.sin(PARALLEL_2)) / 2
_C = math.cos(PARALLEL_1) ** 2 + 2 * _N * math.sin(PARALLEL_1)
_RHO_0 = EARTH_RADIUS_KM * math.sqrt(_C - 2 * _N * math.sin(ORIGIN_LAT)) / _N


def project(lon, lat):
    """Albers equal-area coordinates (km) of longitudes and latitudes in degrees (arrays)."""
    lon = np.radians(np.asarray(lon, dtype=float))
    lat = np.radians(np.asarray(lat, dtype=float))
    # Longitudes across the antimeridian (the Aleutians) stay next to their neighbours.
    delta = (lon - ORIGIN_LON + math.pi) % (2 * math.pi) - math.pi
    rho = EARTH_RADIUS_KM * np.sqrt(_C - 2 * _N * np.sin(lat)) / _N
    theta = _N * delta
    return rho * np.sin(theta), _RHO_0 - rho * np.cos(theta)


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    def grown(self, dx: float, dy: float) -> Box:
        return Box(self.x0 - dx, self.y0 - dy, self.x1 + dx, self.y1 + dy)

    def at_least(self, width: float, height: float) -> Box:
        return self.grown(max(0.0, (width - self.width) / 2), max(0.0, (height - self.height) / 2))

    def contains(self, other: Box) -> bool:
        return (
            self.x0 <= other.x0
            and self.y0 <= other.y0
            and other.x1 <= self.x1
            and other.y1 <= self.y1
        )

    def meets(self, other: Box) -> bool:
        return not (
            other.x1 < self.x0 or other.x0 > self.x1 or other.y1 < self.y0 or other.y0 > self.y1
        )


def _thin(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop points closer than SIMPLIFY_KM to the last kept point (keep both ends)."""
    keep = [0]
    last_x, last_y = xs[0], ys[0]
    limit = SIMPLIFY_KM**2
    for i in range(1, len(xs) - 1):
        if (xs[i] - last_x) ** 2 + (ys[i] - last_y) ** 2 >= limit:
            keep.append(i)
            last_x, last_y = xs[i], ys[i]
    keep.append(len(xs) - 1)
    return xs[keep], ys[keep]


@dataclass(frozen=True)
class Outline:
    lines: tuple[tuple[np.ndarray, np.ndarray, Box], ...]  # x, y (km) and the line's box
    contiguous: Box  # the contiguous states


def _arc_indexes(arcs) -> list[int]:
    """Every arc index of a TopoJSON geometry's (nested) ``arcs`` lists."""
    if isinstance(arcs, int):
        return [arcs]
    return [index for part in arcs for index in _arc_indexes(part)]


@cache
def state_lines() -> tuple[tuple[np.ndarray, np.ndarray, Box], ...]:
    """The borders between states, projected and thinned, read once per process.

    From the TopoJSON of us-atlas (geo/data/us_states_outline.topojson): an arc
    that two states share is a border between them; arcs of one state only lie
    on the nation's outline, which ``outline`` draws.
    """
    topology = json.loads(STATES_PATH.read_text(encoding="utf-8"))
    (scale_x, scale_y), (shift_x, shift_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    users = Counter()
    for geometry in topology["objects"]["states"]["geometries"]:
        users.update({i if i >= 0 else ~i for i in _arc_indexes(geometry.get("arcs", []))})
    lines = []
    for index, count in sorted(users.items()):
        if count < 2:
            continue
        # Quantized and delta-encoded: positions are running sums of the deltas.
        points = np.cumsum(np.asarray(topology["arcs"][index], dtype=float), axis=0)
        xs, ys = _thin(*project(points[:, 0] * scale_x + shift_x, points[:, 1] * scale_y + shift_y))
        lines.append((xs, ys, Box(xs.min(), ys.min(), xs.max(), ys.max())))
    return tuple(lines)


@cache
def outline() -> Outline:
    """The nation's outline, projected and thinned, read once per process."""
    with gzip.open(OUTLINE_PATH, "rt", encoding="utf-8") as handle:
        collection = json.load(handle)
    lines = []
    for feature in collection["features"]:
        for line in feature["geometry"]["coordinates"]:
            points = np.asarray(line, dtype=float)
            if len(points) < 2:
                continue
            xs, ys = _thin(*project(points[:, 0], points[:, 1]))
            lines.append((xs, ys, Box(xs.min(), ys.min(), xs.max(), ys.max())))
    west, south, east, north = CONTIGUOUS
    # The box of the contiguous states: project their corners and the middle of the
    # northern edge (the parallels of a conic projection are arcs).
    xs, ys = project([west, east, west, east, -96.0], [south, south, north, north, north])
    return Outline(tuple(lines), Box(xs.min(), ys.min(), xs.max(), ys.max()))


# --- the flowable --------------------------------------------------------------------------


def _color(value: str) -> colors.Color:
    try:
        return colors.HexColor(value or DEFAULT_COLOR)
    except ValueError:
        return colors.HexColor(DEFAULT_COLOR)


def map_extent(points: list[tuple[float, float]]) -> Box:
    """The area to show (km), with an aspect between 0.5 and 0.85."""
    country = outline().contiguous
    if not points:
        extent = country
    else:
        xs, ys = zip(*points, strict=True)
        stops = Box(min(xs), min(ys), max(xs), max(ys))
        pad = max(120.0, 0.12 * max(stops.width, stops.height))
        stops = stops.grown(pad, pad)
        small = stops.width < 0.45 * country.width and stops.height < 0.45 * country.height
        if small and country.contains(stops):
            extent = stops.at_least(MIN_SPAN_KM, MIN_SPAN_KM * 0.6)
        else:
            extent = country.union(stops)
    aspect = extent.height / extent.width
    if aspect < 0.5:
        extent = extent.at_least(extent.width, extent.width * 0.5)
    elif aspect > 0.85:
        extent = extent.at_least(extent.height / 0.85, extent.height)
    return extent


class RouteMap(Flowable):
    """The stops and legs of an itinerary over the US outline, sized to fit its frame."""

    def __init__(
        self,
        stops: tuple[StopVisit, ...],
        legs: tuple[LegItem, ...],
        *,
        max_height: float,
        min_share: float = 0.6,
    ):
        super().__init__()
        self.stops = [s for s in stops if not s.is_cancelled]
        self.legs = legs
        self.max_height = max_height
        self.min_share = min_share
        self.hAlign = "CENTER"
        self._points = {
            s.id: tuple(float(v) for v in project(s.longitude, s.latitude)) for s in self.stops
        }
        for leg in legs:
            for end in (leg.origin, leg.destination):
                self._points.setdefault(
                    end.id, tuple(float(v) for v in project(end.longitude, end.latitude))
                )
        self.extent = map_extent(list(self._points.values()))
        self.width = self.height = 0.0

    def wrap(self, avail_width, avail_height):
        aspect = self.extent.height / self.extent.width
        height = min(avail_width * aspect, self.max_height)
        if height > avail_height and avail_height >= self.min_share * height:
            height = avail_height  # shrink a little rather than leave a half-empty page
        self.height = height
        self.width = height / aspect
        return self.width, self.height

    # drawing ---------------------------------------------------------------------------

    def _to_page(self, x, y):
        scale = self.width / self.extent.width
        return (x - self.extent.x0) * scale, (y - self.extent.y0) * scale

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        frame = canvas.beginPath()
        frame.rect(0, 0, self.width, self.height)
        canvas.setFillColor(WATER)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.drawPath(frame, stroke=1, fill=1)
        clip = canvas.beginPath()
        clip.rect(0, 0, self.width, self.height)
        canvas.clipPath(clip, stroke=0, fill=0)
        self._draw_outline()
        self._draw_legs()
        self._draw_stops()
        canvas.restoreState()
        self._draw_legend()
        self._draw_credit()

    def _draw_lines(self, lines, color, width):
        canvas = self.canv
        path = canvas.beginPath()
        for xs, ys, box in lines:
            if not self.extent.meets(box):
                continue
            px, py = self._to_page(xs, ys)
            path.moveTo(float(px[0]), float(py[0]))
            for x, y in zip(px[1:].tolist(), py[1:].tolist(), strict=True):
                path.lineTo(x, y)
        canvas.setStrokeColor(color)
        canvas.setLineWidth(width)
        canvas.setLineJoin(1)
        canvas.drawPath(path, stroke=1, fill=0)

    def _draw_outline(self):
        self._draw_lines(state_lines(), STATE_LINE, 0.35)
        self._draw_lines(outline().lines, LAND_LINE, 0.5)

    def _draw_legs(self):
        canvas = self.canv
        canvas.setLineWidth(1.8)
        canvas.setLineCap(1)
        for leg in self.legs:
            x0, y0 = self._to_page(*self._points[leg.origin.id])
            x1, y1 = self._to_page(*self._points[leg.destination.id])
            canvas.setStrokeColor(_color(leg.route_color))
            canvas.line(x0, y0, x1, y1)

    def _stop_colors(self) -> dict[int, colors.Color]:
        found = {}
        for leg in self.legs:
            for end in (leg.origin, leg.destination):
                found.setdefault(end.id, _color(leg.route_color))
        return found

    def _draw_stops(self):
        canvas = self.canv
        stop_colors = self._stop_colors()
        placed: list[tuple[float, float, float, float]] = []
        dots = []
        for stop in self.stops:
            x, y = self._to_page(*self._points[stop.id])
            overnight = stop.kind == "overnight"
            radius = 2.8 if overnight else 1.6
            dots.append((x, y, radius, overnight, stop))
            placed.append((x - radius, y - radius, x + radius, y + radius))
        canvas.setStrokeColor(colors.white)
        canvas.setLineWidth(0.6)
        for x, y, radius, overnight, stop in dots:
            canvas.setFillColor(stop_colors.get(stop.id, _color("")) if overnight else MUTED)
            canvas.circle(x, y, radius, stroke=1, fill=1)
        size = 6.5
        canvas.setFont(FONT, size)
        canvas.setFillColor(INK)
        seen = set()
        ends = {self.stops[0].id, self.stops[-1].id} if self.stops else set()
        # The ends first, then the overnight stops, in route order.
        ordered = sorted(dots, key=lambda dot: dot[4].id not in ends)
        for x, y, radius, overnight, stop in ordered:
            if not (overnight or stop.id in ends) or stop.city in seen:
                continue
            text = stop.city
            width = stringWidth(text, FONT, size)
            gap = radius + 1.5
            for lx, ly in (
                (x + gap, y - size * 0.35),
                (x - gap - width, y - size * 0.35),
                (x - width / 2, y + gap),
                (x - width / 2, y - gap - size * 0.8),
            ):
                box = (lx - 0.5, ly - 1.5, lx + width + 0.5, ly + size * 0.8)
                inside = box[0] >= 0 and box[1] >= 0 and box[2] <= self.width
                if inside and box[3] <= self.height and not any(_overlap(box, p) for p in placed):
                    # A light backing keeps the label readable over route lines.
                    canvas.saveState()
                    canvas.setFillColor(colors.white)
                    canvas.setFillAlpha(0.75)
                    canvas.rect(box[0], box[1], box[2] - box[0], box[3] - box[1], stroke=0, fill=1)
                    canvas.restoreState()
                    canvas.drawString(lx, ly, text)
                    placed.append(box)
                    seen.add(stop.city)
                    break

    def _draw_legend(self):
        routes = {}
        for leg in self.legs:
            routes.setdefault(leg.route_name, leg.route_color)
        if len(routes) < 2:
            return
        canvas = self.canv
        canvas.saveState()
        y = self.height - 10
        for name, color in routes.items():
            canvas.setFillColor(_color(color))
            canvas.rect(6, y, 10, 4, stroke=0, fill=1)
            canvas.setFillColor(INK)
            canvas.setFont(FONT_BOLD, 6.5)
            canvas.drawString(20, y - 0.5, name)
            y -= 9
        canvas.restoreState()

    def _draw_credit(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(FONT, 5.5)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(
            self.width - 3,
            3,
            _("Outline: US Census Bureau, via us-atlas. Straight lines between stops."),
        )
        canvas.restoreState()


def _overlap(a, b) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])
