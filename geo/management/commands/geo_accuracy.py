"""Print how far leg estimates are from the road benchmarks (geo/data/road_benchmarks.csv)."""

from django.core.management.base import BaseCommand

from geo.accuracy import benchmark_errors, fit_defaults, format_report, load_benchmarks
from geo.distance import DEFAULT_ROAD_FACTOR, DEFAULT_SPEED_KMH


class Command(BaseCommand):
    help = "Compare leg estimates with published road distances and drive times."

    def add_arguments(self, parser):
        parser.add_argument(
            "--road-factor",
            type=float,
            default=DEFAULT_ROAD_FACTOR,
            help=f"Road distance over straight-line distance (default {DEFAULT_ROAD_FACTOR}).",
        )
        parser.add_argument(
            "--speed",
            type=float,
            default=DEFAULT_SPEED_KMH,
            help=f"Average speed in km/h (default {DEFAULT_SPEED_KMH}).",
        )
        parser.add_argument(
            "--fit",
            action="store_true",
            help="Also print the least-squares fit of road factor and speed.",
        )

    def handle(self, *args, road_factor: float, speed: float, fit: bool, **options):
        benchmarks = load_benchmarks()
        report = benchmark_errors(road_factor, speed, benchmarks=benchmarks)
        self.stdout.write(format_report(report))
        if fit:
            best_factor, best_speed = fit_defaults(benchmarks)
            self.stdout.write(
                f"\nleast-squares fit: road_factor={best_factor:g}, speed_kmh={best_speed:g}"
            )
