"""Throughput and peak memory of realpolitik's ingest, configuration by configuration.

Usage::

    .venv/bin/python benchmarks/throughput.py CORPUS.jsonl [--limit N] [--configs a,b,...]
        [--profile] [--check]

CORPUS.jsonl holds one JSON object per line with ``text`` and ``id`` or ``doc_id``; lines
that repeat an id are read once (PolNeAR has one line per article and annotator). Every
configuration runs in its own subprocess on the same articles, so its peak memory is its own:

==========  ================================================================================
start       ``realpolitik code`` on one short article (a sentence), the CLI as a user runs it
spacy-1     bare spaCy ``nlp.pipe`` (the model's own components only, stock ops), one process
spacy-2     bare spaCy with ``n_process=2``
code-1      the full pipeline (``code``, realpolitik's components), no store, one process
code-2      the full pipeline on a pool of two worker processes
fast-1      the full pipeline with the fast extractor (``--extractor fast``: no encoder)
pipe-1      ``code_articles(articles)``: the library's ``nlp.pipe`` path, one process
pipe-2      ``code_articles(articles, n_process=2)``
ingest-1    ``ingest`` into a fresh DuckDB file, one process
ingest-2    ``ingest`` with two worker processes and one writer
dask-1      ``ingest --engine dask`` on a LocalCluster of one worker
dask-2      ``ingest --engine dask`` on a LocalCluster of two workers
==========  ================================================================================

For each it prints articles/s and words/s at steady state (from the first finished batch to
the last article), ``startup`` (from the start of the subprocess, interpreter and imports
included, to the first finished article), the total wall time from process start to exit,
``overall`` words/s over that wall time (what a user waits for), and the peak RSS of the
largest single process and of the whole process tree (sampled every 0.1 s with psutil). The
full pipeline is compared with bare spaCy both ways (steady state and overall); ``--check``
exits 1 when a target is missed (overall >= 0.90x bare spaCy, start-up of ``start`` <= 1.5 s,
two workers >= 1.85x one, Dask two workers >= 1.8x one, peak RSS < 1 GiB per process).
``--profile`` adds the time per pipeline component and the top functions of the full
pipeline (cProfile) in this process.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

CONFIGS = (
    "start",
    "spacy-1",
    "spacy-2",
    "code-1",
    "code-2",
    "fast-1",
    "pipe-1",
    "pipe-2",
    "ingest-1",
    "ingest-2",
    "dask-1",
    "dask-2",
)
BATCH = 8
TARGETS = {"overall": 0.90, "start_s": 1.5, "workers": 1.85, "dask": 1.8, "rss_gib": 1.0}


def read_corpus(path: str, limit: int | None) -> list[dict[str, str]]:
    """Distinct articles of a JSONL corpus, in file order."""
    seen: set[str] = set()
    out: list[dict[str, str]] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            obj = json.loads(line)
            key = str(obj.get("doc_id") or obj.get("id") or len(out))
            if key in seen or not obj.get("text"):
                continue
            seen.add(key)
            out.append({"id": key, "text": obj["text"]})
            if limit is not None and len(out) >= limit:
                break
    return out


# -- child side: one configuration ----------------------------------------------------------


class _Clock:
    """Timestamps of finished articles."""

    def __init__(self) -> None:
        self.stamps: list[float] = []

    def tick(self, n: int = 1) -> None:
        now = time.time()
        self.stamps.extend([now] * n)

    # Observer protocol of realpolitik.batch.ingest (ingest reports each stored article).
    def start(self, total: int | None) -> None:
        pass

    def update(self, outcome: str, item: str) -> None:
        if outcome in ("stored", "coded", "failed"):
            self.tick()

    def finish(self) -> None:
        pass


def run_config(name: str, corpus: Path, workdir: Path) -> dict[str, Any]:
    """Run one configuration on ``corpus`` and return its timings (``time.time()`` based, so
    the parent can measure from the moment it started this process)."""
    from realpolitik.ingest import read_articles
    from realpolitik.records import Article

    articles = [a for a in read_articles([str(corpus)]) if isinstance(a, Article)]
    clock = _Clock()
    started = time.time()
    kind, _, n = name.partition("-")
    workers = int(n)
    if kind == "spacy":
        import spacy

        from realpolitik.nlp import model_name

        nlp = spacy.load(model_name())
        for _doc in nlp.pipe((a.text for a in articles), batch_size=BATCH, n_process=workers):
            clock.tick()
    elif kind == "pipe":
        from realpolitik.pipeline import code_articles

        for _result in code_articles(articles, batch_size=BATCH, n_process=workers):
            clock.tick()
    elif kind in ("code", "fast"):
        from realpolitik.batch.local import code_stream

        if kind == "fast":
            os.environ["REALPOLITIK_EXTRACTOR"] = "fast"  # read by load_nlp, as in the CLI

        for _item in code_stream(articles, workers=workers, batch_size=BATCH):
            clock.tick()
    else:
        from realpolitik.batch.ingest import ingest_paths

        report = ingest_paths(
            [str(corpus)],
            workdir / f"{name}.duckdb",
            workers=workers,
            batch_size=BATCH,
            engine="dask" if kind == "dask" else "local",
            partition_size=BATCH,
            observer=clock,
        )
        if report.failures:
            print(f"{name}: {len(report.failures)} failures", file=sys.stderr)
    total = time.time() - started
    stamps = clock.stamps
    first = stamps[0] if stamps else started
    # Steady state: after the first finished batch (model loaded, workers up).
    head = sum(1 for s in stamps if s - first < 1e-3)
    span = (stamps[-1] - first) if stamps else 0.0
    steady_n = len(stamps) - head
    return {
        "config": name,
        "articles": len(stamps),
        "words": sum(len(a.text.split()) for a in articles),
        "total_s": total,
        "startup_s": first - started,
        "first_at": first,
        "steady_articles_per_s": steady_n / span if span > 0 and steady_n else 0.0,
        "overall_articles_per_s": len(stamps) / total if total > 0 else 0.0,
    }


# -- parent side: run each configuration in a subprocess and watch its memory ---------------


def _watch(pid: int, peaks: dict[str, float], stop: threading.Event) -> None:
    per_process: dict[int, int] = {}
    while not stop.is_set():
        try:
            root = psutil.Process(pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        total = 0
        for proc in procs:
            try:
                rss = proc.memory_info().rss
            except psutil.Error:
                continue
            total += rss
            per_process[proc.pid] = max(per_process.get(proc.pid, 0), rss)
        peaks["tree"] = max(peaks.get("tree", 0), total)
        peaks["process"] = max(per_process.values(), default=0)
        stop.wait(0.1)


SHORT_ARTICLE = "Japan criticized China on Monday.\n"


def _command(name: str, corpus: Path, workdir: Path) -> list[str]:
    if name == "start":
        short = workdir / "short.txt"
        short.write_text(SHORT_ARTICLE, encoding="utf-8")
        cli = Path(sys.executable).with_name("realpolitik")
        head = [str(cli)] if cli.exists() else [sys.executable, "-m", "realpolitik.cli"]
        return [*head, "code", str(short), "--date", "2021-03-19"]
    return [sys.executable, __file__, "--child", name, str(corpus), "--workdir", str(workdir)]


def measure(name: str, corpus: Path, workdir: Path) -> dict[str, Any]:
    """Run one configuration in a fresh subprocess, timed from its start; add peak memory."""
    cmd = _command(name, corpus, workdir)
    launched = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    peaks: dict[str, float] = {}
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(proc.pid, peaks, stop), daemon=True)
    watcher.start()
    out, _ = proc.communicate()
    wall = time.time() - launched
    stop.set()
    watcher.join()
    if proc.returncode != 0:
        return {"config": name, "error": f"exit {proc.returncode}"}
    if name == "start":
        result: dict[str, Any] = {"config": name, "articles": 1, "words": 5}
        result.update(startup_s=wall, steady_articles_per_s=0.0)
    else:
        result = json.loads(out.strip().splitlines()[-1])
        result["startup_s"] = result["first_at"] - launched  # interpreter and imports included
    result["total_s"] = wall
    result["overall_articles_per_s"] = result["articles"] / wall if wall > 0 else 0.0
    result["peak_process_mib"] = peaks.get("process", 0) / 2**20
    result["peak_tree_mib"] = peaks.get("tree", 0) / 2**20
    return result


def profile(corpus: Path) -> None:
    """Time per pipeline component, and the full pipeline's top functions."""
    from realpolitik.ingest import read_articles
    from realpolitik.nlp import load_nlp
    from realpolitik.pipeline import code_articles
    from realpolitik.records import Article

    articles = [a for a in read_articles([str(corpus)]) if isinstance(a, Article)]
    nlp = load_nlp()
    next(code_articles(articles[:1], nlp=nlp))  # lazy data (gazetteers, lexicons) loads here
    per: dict[str, float] = {name: 0.0 for name in nlp.pipe_names}
    for article in articles:
        doc = nlp.make_doc(article.text)
        doc._.rp_article = article
        for name, proc in nlp.pipeline:
            t = time.perf_counter()
            doc = proc(doc)
            per[name] += time.perf_counter() - t
    total = sum(per.values())
    print("\ntime per component (one process, one document at a time):")
    for name, seconds in per.items():
        print(f"  {name:24s} {seconds:7.2f} s  {100 * seconds / total:5.1f} %")
    prof = cProfile.Profile()
    prof.enable()
    for _ in code_articles(articles, nlp=nlp, batch_size=BATCH):
        pass
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf).sort_stats("tottime")
    stats.print_stats(r"realpolitik", 15)
    print("\ntop realpolitik functions by own time (cProfile):")
    print("\n".join(buf.getvalue().splitlines()[-22:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("--limit", type=int, help="Only the first N distinct articles.")
    parser.add_argument("--configs", default=",".join(CONFIGS), help="Comma-separated subset.")
    parser.add_argument("--profile", action="store_true", help="Also profile the pipeline.")
    parser.add_argument(
        "--check", action="store_true", help="Exit 1 when a measured target is missed."
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_config(args.child, Path(args.corpus), Path(args.workdir))))
        return
    articles = read_corpus(args.corpus, args.limit)
    words = sum(len(a["text"].split()) for a in articles)
    with tempfile.TemporaryDirectory(prefix="rp-bench-") as tmp:
        workdir = Path(tmp)
        corpus = workdir / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
        print(
            f"{len(articles)} articles, {words} words (whitespace), batch size {BATCH}, "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
        )
        header = (
            f"{'config':10s} {'art/s':>7s} {'words/s':>8s} {'startup':>8s} {'total':>7s} "
            f"{'overall':>8s} {'peak proc':>10s} {'peak tree':>10s}"
        )
        print(header)
        print(f"{'':10s} {'(steady)':>16s} {'':>8s} {'(wall)':>7s} {'words/s':>8s}")
        results: dict[str, dict[str, Any]] = {}
        for name in args.configs.split(","):
            r = measure(name, corpus, workdir)
            results[name] = r
            if "error" in r:
                print(f"{name:10s} {r['error']}")
                continue
            rate = r["steady_articles_per_s"]
            per_article = r["words"] / max(r["articles"], 1)
            print(
                f"{name:10s} {rate:7.2f} {rate * per_article:8.0f} "
                f"{r['startup_s']:7.1f}s {r['total_s']:6.1f}s "
                f"{r['overall_articles_per_s'] * per_article:8.0f} "
                f"{r['peak_process_mib']:7.0f} MiB {r['peak_tree_mib']:7.0f} MiB",
                flush=True,
            )
        missed = _targets(results)
        if args.profile:
            profile(corpus)
    if args.check and missed:
        print(f"\n--check: {len(missed)} target(s) missed: {', '.join(missed)}")
        sys.exit(1)


def _value(results: dict[str, dict[str, Any]], name: str, key: str) -> float | None:
    r = results.get(name)
    return float(r[key]) if r and "error" not in r and r.get(key) else None


def _targets(results: dict[str, dict[str, Any]]) -> list[str]:
    """Print each measured target and return the names of those missed."""
    missed: list[str] = []

    def report(label: str, value: float, target: float, *, at_most: bool = False) -> None:
        ok = value <= target if at_most else value >= target
        sign = "<=" if at_most else ">="
        print(f"  {label} = {value:.2f} (target {sign} {target}) {'ok' if ok else 'MISSED'}")
        if not ok:
            missed.append(label)

    print("\ntargets:")
    start = _value(results, "start", "total_s")
    if start is not None:
        report(
            "start-up of `realpolitik code` on one short article, s",
            start,
            TARGETS["start_s"],
            at_most=True,
        )
    for key, what in (("overall_articles_per_s", "overall"), ("steady_articles_per_s", "steady")):
        bare = _value(results, "spacy-1", key)
        for name, pipeline in (("code-1", "full pipeline"), ("fast-1", "fast extractor")):
            full = _value(results, name, key)
            if not (bare and full):
                continue
            label = f"{pipeline} / bare spaCy ({what})"
            if what == "overall" and name == "code-1":
                report(label, full / bare, TARGETS["overall"])
            else:
                print(f"  {label} = {full / bare:.2f}")
            print(f"  bare spaCy / {pipeline} ({what}) = {bare / full:.2f}")
    for kind in ("spacy", "code", "pipe", "ingest", "dask"):
        one = _value(results, f"{kind}-1", "steady_articles_per_s")
        two = _value(results, f"{kind}-2", "steady_articles_per_s")
        if one and two:
            target = TARGETS["dask" if kind == "dask" else "workers"]
            report(f"{kind}: 2 workers / 1 (steady)", two / one, target)
    worst = max(
        (r.get("peak_process_mib", 0) for r in results.values() if "error" not in r), default=0
    )
    report("largest process peak RSS, GiB", worst / 1024, TARGETS["rss_gib"], at_most=True)
    return missed


if __name__ == "__main__":
    main()
