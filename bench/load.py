"""Caravana under load: gunicorn on 127.0.0.1, a bounded load from a small Python client.

``measure_database(...)`` does it for one database:

1. ``python -m bench.load prepare`` in a child process, with that database in
   ``DATABASE_URL``: migrate, build the benchmark journey (bench/data.py) and a rider's
   ways in (API token, secret link); it prints them as JSON on its last line.
2. gunicorn (``caravana.wsgi``, bench/settings.py: DEBUG off, the cache off, rate limits
   raised, persistent database connections) with 2 sync workers on a free port of
   127.0.0.1, as the README deploys it; the benchmark waits until it answers.
3. For each round, each endpoint in turn for ``duration`` seconds: ``concurrency``
   threads, each with its own keep-alive connection (``http.client``; a sync worker
   closes it after each answer, and the thread then opens a new one), send GET after
   GET. Every answer must be 200. Warm-up requests come first and are not counted.
4. The server is stopped (SIGTERM, then SIGKILL after 10 s) and its log is kept for
   errors.

The client runs on the same machine as the server and takes CPU from it; its cost per
request is the same for every endpoint, so it weighs most on the hello-world view.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (key, label): what is measured; "hello" is the yardstick of every ratio.
ENDPOINTS = [
    ("hello", "hello-world view"),
    ("itinerary", "rider itinerary API"),
    ("plain", "plain values() itinerary"),
    ("page", "public journey page"),
    ("feed", "personal calendar feed"),
]
HOST = "127.0.0.1"
CONFIG = ROOT / "caravana" / "gunicorn.conf.py"


@dataclass(frozen=True)
class Prepared:
    slug: str
    rider_id: int
    rider_api_token: str
    rider_secret: str
    raised: list[str]  # the rate limits bench/settings.py raised
    seconds: float  # to migrate and build

    def requests(self) -> dict[str, tuple[str, dict[str, str]]]:
        """key -> (path, headers) of each endpoint."""
        return {
            "hello": ("/bench/hello/", {}),
            "itinerary": (
                f"/api/journeys/{self.slug}/itinerary/",
                {"Authorization": f"Token {self.rider_api_token}"},
            ),
            "plain": (f"/bench/plain-itinerary/{self.slug}/{self.rider_id}/", {}),
            "page": (f"/j/{self.slug}/", {"Accept-Language": "en"}),
            "feed": (f"/my/{self.rider_secret}/calendar.ics", {}),
        }


@dataclass
class Sample:
    """One endpoint in one round."""

    requests: int
    seconds: float
    latencies: list[float]  # seconds

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


@dataclass
class EndpointResult:
    samples: list[Sample] = field(default_factory=list)

    def median(self, value) -> float:
        return statistics.median(value(s) for s in self.samples)

    def spread(self, value) -> tuple[float, float]:
        values = [value(s) for s in self.samples]
        return min(values), max(values)


@dataclass
class DatabaseResult:
    label: str  # "SQLite", "PostgreSQL"
    prepared: Prepared
    endpoints: dict[str, EndpointResult]
    server: str  # how it ran, for the output


def env_for(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        CONN_MAX_AGE="600",  # persistent connections, as deployed
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="ERROR",
    )
    return env


def prepare(database_url: str, *, stops: int, participants: int) -> Prepared:
    """Migrate and build the journey in ``database_url`` (in a child process)."""
    began = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.load",
            "prepare",
            "--stops",
            str(stops),
            "--participants",
            str(participants),
        ],
        cwd=ROOT,
        env=env_for(database_url),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"preparing {database_url} failed:\n{done.stderr[-3000:]}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return Prepared(**found, seconds=time.perf_counter() - began)


def _prepare_here(stops: int, participants: int) -> None:
    """Run in the child process: Django on bench.settings and the given database."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench.data import add_access, build_journey

    call_command("migrate", verbosity=0)
    # A slug of its own: a database that is not the benchmark's own keeps earlier runs.
    built = build_journey(
        stops=stops, participants=participants, slug=f"bench-load-{uuid.uuid4().hex[:12]}"
    )
    access = add_access(built.journey)
    # Fresh planner statistics, as autovacuum keeps them on a live database: without them
    # PostgreSQL picks plans for empty tables (bulk inserts do not wait for autovacuum).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        json.dumps(
            {
                "slug": built.journey.slug,
                "rider_id": access.rider_id,
                "rider_api_token": access.rider_api_token,
                "rider_secret": access.rider_secret,
                "raised": list(settings.RAISED_RATE_LIMITS),
            }
        )
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn in a child process, started and stopped by us."""

    def __init__(self, database_url: str, *, workers: int):
        self.port = free_port()
        # Closed in stop().
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115
            prefix="caravana-bench-gunicorn-", suffix=".log"
        )
        # Caravana's own gunicorn settings when the checkout has them (access log with the
        # secret links redacted, as deployed); the command line below wins over them.
        config = ["-c", str(CONFIG)] if CONFIG.exists() else []
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                *config,
                "caravana.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env_for(database_url),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.description = f"gunicorn {workers} sync workers on {HOST}:{self.port}" + (
            f" ({CONFIG.relative_to(ROOT)})" if config else ""
        )

    def wait_until_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start:\n{self.log_text()}")
            try:
                status, _body = get(self.port, "/bench/hello/", {})
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout:g} s:\n{self.log_text()}")

    def log_text(self, tail: int | None = 3000) -> str:
        text = Path(self.log.name).read_text(errors="replace")
        return text if tail is None else text[-tail:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def hammer(
    port: int, path: str, headers: dict[str, str], *, seconds: float, concurrency: int
) -> Sample:
    """GET ``path`` from ``concurrency`` threads for ``seconds``; every answer must be 200."""
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    failures: list[str] = []
    start = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def worker(mine: list[float]) -> None:
        connection = None
        start.wait()
        while time.perf_counter() < deadline[0] and not failures:
            if connection is None:
                connection = http.client.HTTPConnection(HOST, port, timeout=60)
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = None
                failures.append(f"{type(error).__name__}: {error}")
                continue
            mine.append(time.perf_counter() - began)
            if response.status != 200:
                failures.append(f"HTTP {response.status}")
            if response.will_close:
                connection.close()
                connection = None
        if connection is not None:
            connection.close()

    threads = [threading.Thread(target=worker, args=(mine,)) for mine in latencies]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if failures:
        raise RuntimeError(f"GET {path}: {failures[0]} ({len(failures)} failures)")
    pooled = [latency for mine in latencies for latency in mine]
    return Sample(len(pooled), elapsed, pooled)


def measure_databases(
    databases: list[tuple[str, str]],
    *,
    stops: int,
    participants: int,
    workers: int,
    concurrency: int,
    duration: float,
    rounds: int,
    say=print,
) -> list[DatabaseResult]:
    """Load each of ``databases`` ((label, url): "SQLite", "sqlite:///...") side by side:
    one server per database, all running at once; in each round, each endpoint is loaded
    on one server after the other, so that a machine busy with something else weighs on
    all of them alike."""
    prepared = []
    for label, url in databases:
        prepared.append(prepare(url, stops=stops, participants=participants))
        say(f"{label}: database ready in {prepared[-1].seconds:.1f} s (migrate and build)")
    servers: list[Server] = []
    try:
        for _label, url in databases:
            servers.append(Server(url, workers=workers))
        for server in servers:
            server.wait_until_ready()
        for server, ready in zip(servers, prepared, strict=True):
            for key, _label in ENDPOINTS:  # warm every worker: first answers build caches
                path, headers = ready.requests()[key]
                hammer(server.port, path, headers, seconds=min(1.0, duration), concurrency=workers)
        results = [{key: EndpointResult() for key, _label in ENDPOINTS} for _ in servers]
        for _round in range(rounds):
            for key, _label in ENDPOINTS:
                for server, ready, found in zip(servers, prepared, results, strict=True):
                    path, headers = ready.requests()[key]
                    found[key].samples.append(
                        hammer(
                            server.port, path, headers, seconds=duration, concurrency=concurrency
                        )
                    )
        for server in servers:
            if any(word in server.log_text(tail=None) for word in ("Traceback", "[ERROR]")):
                raise RuntimeError(f"gunicorn logged errors:\n{server.log_text()}")
    finally:
        for server in servers:
            server.stop()
    return [
        DatabaseResult(
            label,
            ready,
            found,
            f"{server.description}, {concurrency} client threads, {duration:g} s per endpoint "
            f"and round",
        )
        for (label, _url), ready, found, server in zip(
            databases, prepared, results, servers, strict=True
        )
    ]


def postgres_ready(url: str, *, fresh: bool) -> str | None:
    """Create the database of ``url`` (dropped first when ``fresh``: the benchmark's own
    database, so that every run starts from the same empty tables); None when it is
    ready, else the reason why not."""
    try:
        import psycopg
        from psycopg import sql
    except ImportError:
        return "psycopg is not installed"
    import dj_database_url

    config = dj_database_url.parse(url)
    name = config["NAME"]
    options = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "connect_timeout": 5,
    }
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, **options) as connection:
            if fresh:
                connection.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        return f"PostgreSQL is not reachable at {url} ({str(error).strip().splitlines()[0]})"
    return None


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Prepare a database for the load test.")
    parser.add_argument("command", choices=["prepare"])
    parser.add_argument("--stops", type=int, required=True)
    parser.add_argument("--participants", type=int, required=True)
    arguments = parser.parse_args()
    _prepare_here(arguments.stops, arguments.participants)
