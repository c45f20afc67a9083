"""Load check of the explorer's events endpoint: requests per second and latency percentiles.

1. :func:`synthesize_results` copies real coded articles (from a store made by
   ``realpolitik ingest``) with new article and event ids and shifted dates until there are at
   least ``--events`` events; they are written through ``store.bulk_add``.
2. ``realpolitik serve`` runs over that store in a subprocess on localhost.
3. ``--clients`` threads, each with one keep-alive connection, ask ``/api/events`` with a mix of
   filters for ``--seconds`` seconds (and at most ``--max-requests`` requests); every request
   goes to 127.0.0.1 only.

    .venv/bin/realpolitik ingest --examples --db realpolitik.duckdb
    .venv/bin/python benchmarks/load.py --source realpolitik.duckdb --db /tmp/load.duckdb
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from realpolitik.records import Result
from realpolitik.store import Store, bulk_add

# The query mix: an unfiltered page, deep pages, each filter alone, and a combination.
QUERIES: list[dict[str, str]] = [
    {},
    {"offset": "5000"},
    {"sort": "-date", "offset": "20000"},
    {"actor": "CHN"},
    {"actor": "RUS", "level": "country"},
    {"country": "IRN"},
    {"dyad": "IRN,SAU", "level": "country"},
    {"root": "04"},
    {"quad_class": "3"},
    {"since": "2030-01-01", "until": "2031-12-31"},
    {"q": "sanctions"},
    {"actor": "JPN", "quad_class": "1", "since": "2024-01-01", "limit": "200"},
]


def _shift(day: str | None, days: int) -> str | None:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat() if day else None


def synthesize_results(originals: Sequence[Result], min_events: int) -> Iterator[Result]:
    """Copies of ``originals`` until at least ``min_events`` events have been yielded.

    Copy ``n`` of article ``X`` is ``X~n``, dated ``n`` days later (events too), with a marker
    line appended to its text so that its content hash is new (offsets stay valid).
    """
    per_round = sum(len(r.events) for r in originals)
    if per_round == 0:
        raise ValueError("the source articles have no events to copy")
    produced = 0
    n = 0
    while produced < min_events:
        n += 1
        for r in originals:
            art_id = f"{r.article.id}~{n}"
            article = replace(
                r.article,
                id=art_id,
                text=f"{r.article.text}\n[copy {n}]",
                date=_shift(r.article.date, n),
            )

            def renamed(old: str, new_article: str = art_id) -> str:
                return f"{new_article}:{old.rsplit(':', 1)[-1]}"

            yield replace(
                r,
                article=article,
                actors=list(r.actors),
                events=[replace(e, id=renamed(e.id), date=_shift(e.date, n)) for e in r.events],
                quotes=[replace(q, id=renamed(q.id)) for q in r.quotes],
                relations=[replace(x, id=renamed(x.id)) for x in r.relations],
                errors=list(r.errors),
            )
            produced += len(r.events)


def build_store(source: str, db: str, min_events: int) -> dict[str, int]:
    """Write a store of at least ``min_events`` events copied from the store ``source``."""
    with Store(source, read_only=True) as src:
        originals = list(src.results())
    if Path(db).exists():
        Path(db).unlink()
    with Store(db) as store:
        batch: list[Result] = []
        for result in synthesize_results(originals, min_events):
            batch.append(result)
            if len(batch) >= 500:  # bounded memory per transaction
                bulk_add(store, batch)
                batch = []
        if batch:
            bulk_add(store, batch)
        return store.counts()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited before it was ready")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/summary")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not answer in time")


def run_load(
    port: int, *, seconds: float, clients: int, max_requests: int, seed: int = 0
) -> dict[str, float]:
    """Hammer ``/api/events`` on localhost; latency figures in milliseconds."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    budget = [max_requests]

    def worker(index: int) -> None:
        nonlocal errors
        rng = random.Random(seed + index)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        while time.monotonic() < stop_at:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            params = rng.choice(QUERIES)
            url = "/api/events?" + urllib.parse.urlencode(params)
            t0 = time.perf_counter()
            try:
                conn.request("GET", url)
                response = conn.getresponse()
                body = response.read()
                if response.status != 200 or b'"items"' not in body:
                    bad += 1
            except OSError:
                bad += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append((time.perf_counter() - t0) * 1000)
        with lock:
            latencies.extend(mine)
            errors += bad

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]

    return {
        "requests": len(latencies),
        "errors": errors,
        "seconds": round(elapsed, 2),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(pct(50), 1),
        "p95_ms": round(pct(95), 1),
        "p99_ms": round(pct(99), 1),
        "mean_ms": round(statistics.fmean(latencies), 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default="realpolitik.duckdb", help="store of coded articles")
    parser.add_argument("--db", default="/tmp/realpolitik-load.duckdb", help="store to write")
    parser.add_argument("--events", type=int, default=100_000, help="at least this many events")
    parser.add_argument("--reuse", action="store_true", help="keep --db if it exists")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long to send requests")
    parser.add_argument("--clients", type=int, default=4, help="concurrent connections")
    parser.add_argument("--max-requests", type=int, default=100_000)
    args = parser.parse_args(argv)

    if not (args.reuse and Path(args.db).exists()):
        t0 = time.monotonic()
        counts = build_store(args.source, args.db, args.events)
        print(f"built {args.db}: {counts} in {time.monotonic() - t0:.1f} s", file=sys.stderr)
    with Store(args.db, read_only=True) as store:
        counts = store.counts()
    if counts["events"] < args.events:
        print(f"{args.db} has {counts['events']} events, fewer than --events", file=sys.stderr)
        return 1
    port = _free_port()
    cmd = [sys.executable, "-m", "realpolitik.cli", "serve", "--db", args.db]
    proc = subprocess.Popen([*cmd, "--port", str(port)], env=dict(os.environ))
    try:
        _wait_ready(port, proc)
        # one warm-up pass so that first-query costs (plans, caches) are not measured
        run_load(port, seconds=2, clients=1, max_requests=len(QUERIES))
        figures = run_load(
            port, seconds=args.seconds, clients=args.clients, max_requests=args.max_requests
        )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    report = {"events": counts["events"], "articles": counts["articles"], **figures}
    report["clients"] = args.clients
    print(json.dumps(report))
    return 0 if figures["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
