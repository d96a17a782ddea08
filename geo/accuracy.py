"""How far leg estimates are from real road figures, and which defaults fit them best.

The reference is ``geo/data/road_benchmarks.csv``: US city pairs with the road distance and
drive time that route planners publish for a car. Both ends are geocoded with the offline
gazetteer, so the numbers here do not depend on the configured geocoder or the network.
"""

import csv
import math
import statistics
from dataclasses import dataclass
from pathlib import Path

from geo.distance import (
    DEFAULT_ROAD_FACTOR,
    DEFAULT_SPEED_KMH,
    driving_minutes,
    geodesic_km,
    miles_to_km,
)
from geo.gazetteer import DATA_DIR, Place
from geo.geocoding import geocode_offline

__all__ = [
    "BENCHMARKS_FILE",
    "Benchmark",
    "BenchmarkReport",
    "BenchmarkRow",
    "ErrorSummary",
    "benchmark_errors",
    "fit_defaults",
    "format_report",
    "load_benchmarks",
]

BENCHMARKS_FILE = DATA_DIR / "road_benchmarks.csv"


@dataclass(frozen=True)
class Benchmark:
    origin: Place
    destination: Place
    road_km: float
    drive_minutes: int
    source: str

    @property
    def geodesic_km(self) -> float:
        return geodesic_km(self.origin.coordinates, self.destination.coordinates)


@dataclass(frozen=True)
class BenchmarkRow:
    origin: str  # "Phoenix, AZ"
    destination: str
    road_km: float  # published
    estimated_km: float
    drive_minutes: int  # published
    estimated_minutes: int  # driving only: published times include no breaks
    distance_error_pct: float  # signed: positive when the estimate is too long
    time_error_pct: float


@dataclass(frozen=True)
class ErrorSummary:
    mean_abs_distance_error_pct: float
    max_abs_distance_error_pct: float
    mean_abs_time_error_pct: float
    max_abs_time_error_pct: float
    mean_distance_bias_pct: float  # mean signed error: below 0 the estimates run short
    mean_time_bias_pct: float
    rms_distance_error_pct: float  # root mean square: what ``fit_defaults`` minimizes
    rms_time_error_pct: float


@dataclass(frozen=True)
class BenchmarkReport:
    road_factor: float
    speed_kmh: float
    rows: list[BenchmarkRow]
    summary: ErrorSummary


def load_benchmarks(path: Path = BENCHMARKS_FILE) -> list[Benchmark]:
    """The benchmark pairs, both ends geocoded offline. A place the gazetteer lacks raises."""
    benchmarks = []
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for line in csv.DictReader(handle):
            origin, destination = (geocode_offline(line[key]) for key in ("origin", "destination"))
            if origin is None or destination is None:
                pair = f"{line['origin']} - {line['destination']}"
                raise ValueError(f"{path}: the gazetteer does not know both ends of {pair}.")
            benchmarks.append(
                Benchmark(
                    origin=origin,
                    destination=destination,
                    road_km=miles_to_km(float(line["road_miles"])),
                    drive_minutes=int(line["drive_minutes"]),
                    source=line["source"],
                )
            )
    return benchmarks


def benchmark_errors(
    road_factor: float = DEFAULT_ROAD_FACTOR,
    speed_kmh: float = DEFAULT_SPEED_KMH,
    *,
    benchmarks: list[Benchmark] | None = None,
) -> BenchmarkReport:
    """Estimate every benchmark pair with these parameters and compare with the real figures."""
    if benchmarks is None:
        benchmarks = load_benchmarks()
    rows = []
    for benchmark in benchmarks:
        estimated_km = benchmark.geodesic_km * road_factor
        estimated_minutes = driving_minutes(estimated_km, speed_kmh)
        rows.append(
            BenchmarkRow(
                origin=benchmark.origin.label,
                destination=benchmark.destination.label,
                road_km=benchmark.road_km,
                estimated_km=estimated_km,
                drive_minutes=benchmark.drive_minutes,
                estimated_minutes=estimated_minutes,
                distance_error_pct=_error_pct(estimated_km, benchmark.road_km),
                time_error_pct=_error_pct(estimated_minutes, benchmark.drive_minutes),
            )
        )
    distance_errors = [row.distance_error_pct for row in rows]
    time_errors = [row.time_error_pct for row in rows]
    summary = ErrorSummary(
        mean_abs_distance_error_pct=statistics.fmean(map(abs, distance_errors)),
        max_abs_distance_error_pct=max(map(abs, distance_errors)),
        mean_abs_time_error_pct=statistics.fmean(map(abs, time_errors)),
        max_abs_time_error_pct=max(map(abs, time_errors)),
        mean_distance_bias_pct=statistics.fmean(distance_errors),
        mean_time_bias_pct=statistics.fmean(time_errors),
        rms_distance_error_pct=_rms(distance_errors),
        rms_time_error_pct=_rms(time_errors),
    )
    return BenchmarkReport(road_factor, speed_kmh, rows, summary)


def fit_defaults(benchmarks: list[Benchmark] | None = None) -> tuple[float, float]:
    """The road factor (to 0.01) and speed (to 1 km/h) with the least root mean square error.

    Least squares rather than least absolute error: a plan hurts more from one leg that is
    20% off than from several that are 5% off. The factor is fitted on distances first, then
    the speed on times with that factor.
    """
    if benchmarks is None:
        benchmarks = load_benchmarks()

    def distance_error(factor: float) -> float:
        return benchmark_errors(factor, 100.0, benchmarks=benchmarks).summary.rms_distance_error_pct

    factor = min((round(1 + step / 100, 2) for step in range(51)), key=distance_error)

    def time_error(speed: float) -> float:
        return benchmark_errors(factor, speed, benchmarks=benchmarks).summary.rms_time_error_pct

    speed = min((float(speed) for speed in range(50, 131)), key=time_error)
    return factor, speed


def format_report(report: BenchmarkReport) -> str:
    """The report as a Markdown table followed by the summary lines."""
    lines = [
        f"road_factor={report.road_factor:g}, speed_kmh={report.speed_kmh:g}",
        "",
        "| origin | destination | road mi | est. mi | error | drive h:mm | est. | error |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in report.rows:
        lines.append(
            f"| {row.origin} | {row.destination} "
            f"| {row.road_km / 1.609344:.0f} | {row.estimated_km / 1.609344:.0f} "
            f"| {row.distance_error_pct:+.1f}% "
            f"| {_hours(row.drive_minutes)} | {_hours(row.estimated_minutes)} "
            f"| {row.time_error_pct:+.1f}% |"
        )
    summary = report.summary
    lines += [
        "",
        f"distance: mean absolute error {summary.mean_abs_distance_error_pct:.1f}%, "
        f"max {summary.max_abs_distance_error_pct:.1f}%, "
        f"bias {summary.mean_distance_bias_pct:+.1f}%, rms {summary.rms_distance_error_pct:.1f}%",
        f"time:     mean absolute error {summary.mean_abs_time_error_pct:.1f}%, "
        f"max {summary.max_abs_time_error_pct:.1f}%, "
        f"bias {summary.mean_time_bias_pct:+.1f}%, rms {summary.rms_time_error_pct:.1f}%",
    ]
    return "\n".join(lines)


def _error_pct(estimate: float, actual: float) -> float:
    return (estimate - actual) / actual * 100.0


def _rms(values: list[float]) -> float:
    return math.sqrt(statistics.fmean(value * value for value in values))


def _hours(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"
