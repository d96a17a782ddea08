"""The 100-mile border zone and Border Patrol interior checkpoints, computed offline.

Federal regulations (8 CFR 287.1) let Border Patrol agents board vehicles without a warrant
within "a reasonable distance" of the external boundary, set at 100 miles, and the Border Patrol
runs permanent interior checkpoints on highways leading away from the Mexican border. Caravans
prepare for both, so stops and legs are flagged here from their coordinates alone.

Border zone
    ``geo/data/us_outline.geojson.gz`` holds the external boundary of the United States (sea
    and Great Lakes shores, land borders with Canada and Mexico; contiguous states, Alaska,
    Hawaii and the territories) from the Census Bureau's cartographic boundary, via the npm
    package us-atlas (see geo/data/BORDER.md and ``manage.py build_outline``). A place is in
    the zone when its great-circle distance to the nearest point of that outline is at most
    100 miles (160.934 km). Distances are on a sphere of the Earth's mean radius (within 0.5%
    of the ellipsoid) to a simplified outline (a few hundred meters), so places within a
    kilometer or two of the 100-mile line may fall either way. The zone is measured from the
    shore, as the ACLU's map does, not from the territorial sea 12 nautical miles out: that
    errs on the side of flagging.

Legs
    No road network is available offline, so a leg is taken as the great-circle arc between its
    stops. It is in the zone when any point of the arc is: the least distance from the arc to
    the outline is computed exactly (``leg_distance_to_boundary_km``), not by sampling.

    A leg passes a checkpoint when the checkpoint lies between the ends (its closest point on
    the great circle is inside the arc, not beyond an end) and within the leg's corridor: 5% of
    the leg's straight-line length on either side, at least 15 km and at most 40 km, because
    roads stray further from the straight line on long drives (I-10 runs about 30 km south of
    the El Paso to San Antonio line at Sierra Blanca). Checkpoints usually inspect only the
    traffic heading away from the border; a leg is flagged in both directions.

Data are loaded once per process; a place costs well under a millisecond, a leg about two.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

__all__ = [
    "BORDER_ZONE_KM",
    "CHECKPOINTS_PATH",
    "OUTLINE_PATH",
    "Checkpoint",
    "checkpoint_corridor_km",
    "checkpoints",
    "checkpoints_by_id",
    "checkpoints_near_leg",
    "distance_to_boundary_km",
    "distances_to_boundary_km",
    "in_border_zone",
    "leg_distance_to_boundary_km",
    "leg_in_border_zone",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
OUTLINE_PATH = DATA_DIR / "us_outline.geojson.gz"
CHECKPOINTS_PATH = DATA_DIR / "checkpoints.csv"

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
BORDER_ZONE_KM = 100 * 1.609344  # 100 miles = 160.934 km

CORRIDOR_SHARE = 0.05  # of the leg's straight-line length, on either side
CORRIDOR_MIN_KM = 15.0
CORRIDOR_MAX_KM = 40.0

_BATCH = 64  # places per vectorized batch: keeps the (places x segments) arrays small
_DEGENERATE = 1e-12

LatLon = tuple[float, float]


@dataclass(frozen=True)
class Checkpoint:
    id: str
    name: str
    highway: str  # "I-10"
    direction: str  # the direction inspected, "eastbound"; empty when not known
    state: str
    latitude: float
    longitude: float
    source: str

    @property
    def coordinates(self) -> LatLon:
        return (self.latitude, self.longitude)


# --- Geometry on the unit sphere ----------------------------------------------------------
#
# A place is a unit vector P. An arc from A to B lies in the plane of unit normal N = A x B
# (normalized); P is |asin(P . N)| radians from that great circle, and the foot of the
# perpendicular lies within the arc exactly when P . (N x A) >= 0 and P . (B x N) >= 0.


def _unit_vectors(lat, lon) -> np.ndarray:
    """(n, 3) unit vectors for latitudes and longitudes in degrees."""
    lat, lon = np.radians(np.asarray(lat, dtype=float)), np.radians(np.asarray(lon, dtype=float))
    cos_lat = np.cos(lat)
    return np.stack([cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)], axis=-1)


def _normalized(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)


@dataclass(frozen=True)
class _Arc:
    """One great-circle arc (a leg), with its frame for the tests above."""

    a: np.ndarray
    b: np.ndarray
    normal: np.ndarray
    after_a: np.ndarray
    before_b: np.ndarray

    @classmethod
    def between(cls, origin: LatLon, destination: LatLon) -> _Arc | None:
        """The arc, or None when both ends are the same place."""
        a, b = _unit_vectors(*zip(origin, destination, strict=True))
        normal = np.cross(a, b)
        if np.linalg.norm(normal) < _DEGENERATE:
            return None
        normal = normal / np.linalg.norm(normal)
        return cls(a, b, normal, np.cross(normal, a), np.cross(b, normal))

    def spans(self, points: np.ndarray) -> np.ndarray:
        """Whether each point's foot on the great circle lies within the arc."""
        return (points @ self.after_a >= 0) & (points @ self.before_b >= 0)

    def off_line_km(self, points: np.ndarray) -> np.ndarray:
        return np.arcsin(np.clip(np.abs(points @ self.normal), 0, 1)) * EARTH_RADIUS_KM


@dataclass(frozen=True)
class _Outline:
    """The boundary as great-circle segments, with what the distance tests need."""

    starts: np.ndarray  # (m, 3) A of each segment
    ends: np.ndarray  # (m, 3) B of each segment
    vertices: np.ndarray  # (v, 3) every distinct endpoint
    normals: np.ndarray  # (m, 3) N of each segment
    after_a: np.ndarray  # (m, 3) N x A
    before_b: np.ndarray  # (m, 3) B x N
    # The same, transposed and contiguous for fast products: (3, v) and (3, 3m).
    vertices_t: np.ndarray
    planes_t: np.ndarray

    @classmethod
    def from_segments(cls, starts: np.ndarray, ends: np.ndarray) -> _Outline:
        cross = np.cross(starts, ends)
        keep = np.linalg.norm(cross, axis=1) > _DEGENERATE  # drop repeated points
        starts, ends = starts[keep], ends[keep]
        normals = _normalized(cross[keep])
        after_a, before_b = np.cross(normals, starts), np.cross(ends, normals)
        vertices = np.unique(np.concatenate([starts, ends]), axis=0)
        return cls(
            starts=starts,
            ends=ends,
            vertices=vertices,
            normals=normals,
            after_a=after_a,
            before_b=before_b,
            vertices_t=np.ascontiguousarray(vertices.T),
            planes_t=np.ascontiguousarray(np.concatenate([normals, after_a, before_b]).T),
        )

    def min_angles(self, points: np.ndarray) -> np.ndarray:
        """Angular distance (radians) from each point to the nearest point of the outline."""
        m = len(self.normals)
        result = np.empty(len(points))
        for start in range(0, len(points), _BATCH):
            batch = points[start : start + _BATCH]
            # The nearest vertex: the answer when no segment spans the point's foot.
            nearest_vertex = np.arccos(np.clip((batch @ self.vertices_t).max(axis=1), -1, 1))
            # The perpendicular distance to the segments that span it.
            products = batch @ self.planes_t
            sines = np.abs(products[:, :m])
            spans = (products[:, m : 2 * m] >= 0) & (products[:, 2 * m :] >= 0)
            nearest_segment = np.arcsin(np.clip(np.where(spans, sines, 1.0).min(axis=1), 0, 1))
            result[start : start + len(batch)] = np.minimum(nearest_vertex, nearest_segment)
        return result

    def crossed_by(self, arc: _Arc) -> bool:
        """Whether any segment crosses the arc."""
        # Segments whose ends lie on either side of the arc's great circle cross that circle
        # once, at the point X of the segment where X . N = 0; the arc is crossed when it spans X.
        side_a, side_b = self.starts @ arc.normal, self.ends @ arc.normal
        straddling = np.flatnonzero(side_a * side_b <= 0)
        if not len(straddling):
            return False
        a, b = side_a[straddling, None], side_b[straddling, None]
        weights = np.where(a == b, 0.5, a / np.where(a == b, 1.0, a - b))  # both 0: the middle
        crossings = self.starts[straddling] + weights * (
            self.ends[straddling] - self.starts[straddling]
        )
        return bool(arc.spans(crossings).any())


# --- Data, loaded once ----------------------------------------------------------------------


@cache
def _outline() -> _Outline:
    with gzip.open(OUTLINE_PATH, "rt", encoding="utf-8") as handle:
        collection = json.load(handle)
    starts, ends = [], []
    for feature in collection["features"]:
        for line in feature["geometry"]["coordinates"]:
            points = np.asarray(line, dtype=float)  # (longitude, latitude) pairs
            vectors = _unit_vectors(points[:, 1], points[:, 0])
            starts.append(vectors[:-1])
            ends.append(vectors[1:])
    return _Outline.from_segments(np.concatenate(starts), np.concatenate(ends))


@cache
def checkpoints() -> tuple[Checkpoint, ...]:
    """Every known permanent interior checkpoint, from geo/data/checkpoints.csv."""
    with CHECKPOINTS_PATH.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Checkpoint(
                id=row["id"],
                name=row["name"],
                highway=row["highway"],
                direction=row["direction"],
                state=row["state"],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
                source=row["source"],
            )
            for row in csv.DictReader(handle)
        )


@cache
def checkpoints_by_id() -> dict[str, Checkpoint]:
    return {checkpoint.id: checkpoint for checkpoint in checkpoints()}


@cache
def _checkpoint_vectors() -> np.ndarray:
    known = checkpoints()
    return _unit_vectors([c.latitude for c in known], [c.longitude for c in known])


# --- Border zone ------------------------------------------------------------------------------


def distances_to_boundary_km(points: list[LatLon]) -> list[float]:
    """Great-circle distance (km) from each (latitude, longitude) to the US external boundary."""
    if not points:
        return []
    lats, lons = zip(*points, strict=True)
    angles = _outline().min_angles(_unit_vectors(lats, lons))
    return [float(angle * EARTH_RADIUS_KM) for angle in angles]


def distance_to_boundary_km(lat: float, lon: float) -> float:
    """Great-circle distance (km) from a place to the nearest point of the US boundary."""
    return distances_to_boundary_km([(lat, lon)])[0]


def in_border_zone(lat: float, lon: float) -> bool:
    """Whether a place lies within 100 miles of a land border or coast."""
    return distance_to_boundary_km(lat, lon) <= BORDER_ZONE_KM


def leg_distance_to_boundary_km(origin: LatLon, destination: LatLon) -> float:
    """The least distance (km) from the great-circle arc between two places to the boundary.

    Exact for the arc and the outline: between two arcs on the sphere that do not cross, the
    least distance is found at an end of one of them. So it is the least of the ends' distances
    to the outline and of the distances from the outline's vertices to the arc (those whose foot
    lies within the arc), or zero when a segment of the outline crosses the arc.
    """
    ends = min(distances_to_boundary_km([origin, destination]))
    arc = _Arc.between(origin, destination)
    if arc is None:
        return ends
    outline = _outline()
    if outline.crossed_by(arc):
        return 0.0
    spanned = outline.vertices[arc.spans(outline.vertices)]
    if not len(spanned):
        return ends
    return min(ends, float(arc.off_line_km(spanned).min()))


def leg_in_border_zone(origin: LatLon, destination: LatLon) -> bool:
    """Whether the drive from origin to destination (as the great circle) enters the zone."""
    return leg_distance_to_boundary_km(origin, destination) <= BORDER_ZONE_KM


# --- Checkpoints ------------------------------------------------------------------------------


def checkpoint_corridor_km(origin: LatLon, destination: LatLon) -> float:
    """How far from the straight line a checkpoint may be and still be on the leg's road."""
    a, b = _unit_vectors(*zip(origin, destination, strict=True))
    length_km = math.atan2(np.linalg.norm(np.cross(a, b)), a @ b) * EARTH_RADIUS_KM
    return min(CORRIDOR_MAX_KM, max(CORRIDOR_MIN_KM, CORRIDOR_SHARE * length_km))


def checkpoints_near_leg(
    origin: LatLon, destination: LatLon, *, within_km: float | None = None
) -> list[Checkpoint]:
    """The checkpoints the drive passes, in the order it passes them.

    A checkpoint is passed when it lies between the ends and within ``within_km`` of the great
    circle (default: the leg's corridor, ``checkpoint_corridor_km``).
    """
    known = checkpoints()
    arc = _Arc.between(origin, destination)
    if not known or arc is None:
        return []
    if within_km is None:
        within_km = checkpoint_corridor_km(origin, destination)
    points = _checkpoint_vectors()
    chosen = np.flatnonzero(arc.spans(points) & (arc.off_line_km(points) <= within_km))
    # In driving order: by the angle from the origin, measured in the leg's plane.
    along = np.arctan2(points[chosen] @ arc.after_a, points[chosen] @ arc.a)
    return [known[i] for i in chosen[np.argsort(along, kind="stable")]]
