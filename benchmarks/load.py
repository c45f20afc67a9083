"""Load check of the explorer: latency percentiles, errors and server memory per endpoint.

1. :func:`synthesize_results` copies real coded articles (from a store made by
   ``realpolitik ingest``) with new article and event ids and shifted dates until there are at
   least ``--events`` events (a million takes a while); they are written through
   ``store.bulk_add``.
2. ``realpolitik serve`` runs over that store in a subprocess on localhost; the time until it
   answers (building the serving tables when they are stale, then the warm-up) is reported,
   then the first request of each endpoint.
3. For each count in ``--clients`` (default 1, 10, 50), that many threads, each with one
   keep-alive connection, ask a mix of every endpoint with filters for ``--seconds`` seconds;
   every request goes to 127.0.0.1 only. Reported per count: p50/p95/p99 over all requests and
   per endpoint, errors (anything but a 200 with a body), and the server's RSS at its highest
   during the run and two seconds after it.

The mix holds about 30 distinct requests, so once each has been answered the server's response
cache answers the rest: that measures repeated requests. ``--serve-args '--cache-mb 0'``
measures the queries themselves, and ``--vary`` (random pages) requests that rarely repeat.

    .venv/bin/realpolitik ingest --examples --db realpolitik.duckdb
    .venv/bin/python benchmarks/load.py --source realpolitik.duckdb --db /tmp/load.duckdb \
        --events 1000000 --clients 1,10,50
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
from typing import Any

from realpolitik.records import Result
from realpolitik.store import Store, bulk_add

# The events mix: an unfiltered page, deep pages, each filter alone, and a combination.
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


# Every endpoint, with a few typical parameter sets each; the events mix above is added.
ENDPOINTS: list[tuple[str, dict[str, str]]] = [
    *(("/api/events", q) for q in QUERIES),
    ("/api/summary", {}),
    ("/api/actors", {}),
    ("/api/actors", {"offset": "50"}),
    ("/api/actors", {"kind": "state"}),
    ("/api/actors", {"name": "minister"}),
    ("/api/actors/CHN", {"limit": "20"}),
    ("/api/articles", {}),
    ("/api/articles", {"offset": "5000"}),
    ("/api/articles", {"q": "iran"}),
    ("/api/quotes", {}),
    ("/api/quotes", {"speaker": "USA"}),
    ("/api/network", {}),
    ("/api/network", {"level": "actor", "nodes": "100"}),
    ("/api/dyads", {}),
    ("/api/dyads", {"level": "actor", "actor": "CHN"}),
    ("/api/dyads/series", {"a": "USA", "b": "CHN"}),
    ("/api/dyads/series", {"a": "IRN", "b": "SAU", "period": "week"}),
]


PAGED = ("/api/events", "/api/actors", "/api/articles", "/api/quotes")


def vary(rng: random.Random, path: str, params: dict[str, str]) -> dict[str, str]:
    """``params`` with a random page (offset 0-4,999 added) on the endpoints that page, so
    that nearly no request repeats and the response cache is (almost) never hit."""
    if not path.startswith(PAGED):
        return params
    offset = int(params.get("offset", "0")) + rng.randrange(5000)
    return {**params, "offset": str(offset)}


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


def _rss_mb(pid: int) -> float:
    """The resident memory of process ``pid`` in MB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 1)


def _figures(latencies: list[float]) -> dict[str, float]:
    if not latencies:
        return {"requests": 0}
    return {
        "requests": len(latencies),
        "p50_ms": _pct(latencies, 50),
        "p95_ms": _pct(latencies, 95),
        "p99_ms": _pct(latencies, 99),
        "mean_ms": round(statistics.fmean(latencies), 1),
    }


def _get(conn: http.client.HTTPConnection, path: str, params: dict[str, str]) -> bool:
    url = path + ("?" + urllib.parse.urlencode(params) if params else "")
    conn.request("GET", url)
    response = conn.getresponse()
    body = response.read()
    return response.status == 200 and body.startswith(b"{")


def first_requests(port: int) -> dict[str, float]:
    """Milliseconds of the first request of each endpoint (first parameter set) on a fresh
    server."""
    out: dict[str, float] = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for path, params in ENDPOINTS:
        if path in out:
            continue
        t0 = time.perf_counter()
        ok = _get(conn, path, params)
        out[path] = round((time.perf_counter() - t0) * 1000, 1) if ok else -1.0
    return out


def run_load(
    port: int,
    *,
    seconds: float,
    clients: int,
    max_requests: int,
    seed: int = 0,
    pid: int | None = None,
    varied: bool = False,
) -> dict[str, Any]:
    """Send the endpoint mix from ``clients`` threads on localhost; latencies in milliseconds.

    ``varied``: every paged request asks for a random page (see :func:`vary`)."""
    latencies: dict[str, list[float]] = {}
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    budget = [max_requests]
    peak = [0.0]
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.wait(0.2):
            if pid is not None:
                peak[0] = max(peak[0], _rss_mb(pid))

    def worker(index: int) -> None:
        nonlocal errors
        rng = random.Random(seed + index)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: dict[str, list[float]] = {}
        bad = 0
        while time.monotonic() < stop_at:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            path, params = rng.choice(ENDPOINTS)
            if varied:
                params = vary(rng, path, params)
            t0 = time.perf_counter()
            try:
                if not _get(conn, path, params):
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            key = path if not path.startswith("/api/actors/") else "/api/actors/{key}"
            mine.setdefault(key, []).append((time.perf_counter() - t0) * 1000)
        with lock:
            for key, values in mine.items():
                latencies.setdefault(key, []).extend(values)
            errors += bad

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    sampling.set()
    sampler.join()
    every = [v for values in latencies.values() for v in values]
    report: dict[str, Any] = {
        "clients": clients,
        "varied": varied,
        "errors": errors,
        "seconds": round(elapsed, 2),
        "requests_per_s": round(len(every) / elapsed, 1) if elapsed else 0.0,
        **_figures(every),
        "endpoints": {k: _figures(v) for k, v in sorted(latencies.items())},
    }
    if pid is not None:
        time.sleep(2)
        report["rss_peak_mb"] = round(peak[0], 1)
        report["rss_after_mb"] = round(_rss_mb(pid), 1)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default="realpolitik.duckdb", help="store of coded articles")
    parser.add_argument("--db", default="/tmp/realpolitik-load.duckdb", help="store to write")
    parser.add_argument("--events", type=int, default=100_000, help="at least this many events")
    parser.add_argument("--reuse", action="store_true", help="keep --db if it exists")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long each run lasts")
    parser.add_argument(
        "--clients", default="1,10,50", help="concurrent connections, one run per count"
    )
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument(
        "--serve-args",
        default="",
        help="extra `realpolitik serve` options, e.g. '--threads 1' or '--cache-mb 0'",
    )
    parser.add_argument(
        "--vary",
        action="store_true",
        help="random pages (offsets) on the paged endpoints, so that requests rarely repeat: "
        "what the server does when its response cache cannot help",
    )
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
    cmd += ["--port", str(port), *args.serve_args.split()]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, env=dict(os.environ))
    report: dict[str, Any] = {"events": counts["events"], "articles": counts["articles"]}
    try:
        _wait_ready(port, proc, timeout=3600)
        report["ready_s"] = round(time.monotonic() - started, 1)
        report["rss_ready_mb"] = round(_rss_mb(proc.pid), 1)
        report["first_ms"] = first_requests(port)
        print(json.dumps(report), flush=True)
        runs = []
        for clients in (int(c) for c in args.clients.split(",")):
            run = run_load(
                port,
                seconds=args.seconds,
                clients=clients,
                max_requests=args.max_requests,
                pid=proc.pid,
                varied=args.vary,
            )
            print(json.dumps(run), flush=True)
            runs.append(run)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    report["runs"] = runs
    print(json.dumps(report))
    return 0 if all(r["errors"] == 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
