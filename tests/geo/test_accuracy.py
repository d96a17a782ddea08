"""The default leg parameters against published road figures (geo/data/road_benchmarks.csv).

Measured with the defaults (road factor 1.1, 105 km/h): mean absolute error 3.5% on distance
and 7.1% on time. The bounds below leave room for a rebuilt gazetteer or a benchmark pair
added, and fail for the old guesses (1.2 and 90 km/h: 8.5% and 27.5%) as for a plain
straight line (road factor 1.0: 9.7% on distance).
"""

import pytest
from django.core.management import call_command

from geo.accuracy import benchmark_errors, fit_defaults, load_benchmarks
from geo.distance import DEFAULT_ROAD_FACTOR, DEFAULT_SPEED_KMH

MAX_MEAN_DISTANCE_ERROR_PCT = 6.0
MAX_MEAN_TIME_ERROR_PCT = 10.0


@pytest.fixture(scope="module")
def benchmarks():
    return load_benchmarks()


def test_benchmarks_are_geocoded(benchmarks):
    assert len(benchmarks) == 15
    assert (benchmarks[0].origin.label, benchmarks[0].destination.label) == (
        "Los Angeles, CA",
        "Phoenix, AZ",
    )
    assert benchmarks[0].road_km == pytest.approx(598.7, abs=0.1)  # 372 miles


def test_defaults_are_accurate(benchmarks):
    summary = benchmark_errors(benchmarks=benchmarks).summary

    assert summary.mean_abs_distance_error_pct < MAX_MEAN_DISTANCE_ERROR_PCT
    assert summary.mean_abs_time_error_pct < MAX_MEAN_TIME_ERROR_PCT
    assert abs(summary.mean_time_bias_pct) < 3.0
    assert summary.max_abs_distance_error_pct < 12.0
    assert summary.max_abs_time_error_pct < 20.0


@pytest.mark.parametrize(
    ("road_factor", "speed_kmh"),
    [(1.0, DEFAULT_SPEED_KMH), (1.2, 90.0), (1.3, DEFAULT_SPEED_KMH), (DEFAULT_ROAD_FACTOR, 50.0)],
)
def test_bad_parameters_miss_the_bounds(benchmarks, road_factor, speed_kmh):
    summary = benchmark_errors(road_factor, speed_kmh, benchmarks=benchmarks).summary

    assert (
        summary.mean_abs_distance_error_pct >= MAX_MEAN_DISTANCE_ERROR_PCT
        or summary.mean_abs_time_error_pct >= MAX_MEAN_TIME_ERROR_PCT
    )


def test_defaults_are_the_rounded_least_squares_fit(benchmarks):
    road_factor, speed_kmh = fit_defaults(benchmarks)

    assert road_factor == DEFAULT_ROAD_FACTOR
    assert speed_kmh == pytest.approx(DEFAULT_SPEED_KMH, abs=2)


def test_geo_accuracy_command(capsys):
    call_command("geo_accuracy")

    output = capsys.readouterr().out
    assert output.splitlines()[0] == f"road_factor={DEFAULT_ROAD_FACTOR:g}, speed_kmh=105"
    assert "| Los Angeles, CA | Phoenix, AZ | 372 |" in output
    assert "distance: mean absolute error 3.5%" in output
