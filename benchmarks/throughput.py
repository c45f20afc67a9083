"""Throughput and peak memory of realpolitik's ingest, configuration by configuration.

Usage::

    .venv/bin/python benchmarks/throughput.py CORPUS.jsonl [--limit N] [--configs a,b,...]
        [--profile]

CORPUS.jsonl holds one JSON object per line with ``text`` and ``id`` or ``doc_id``; lines
that repeat an id are read once (PolNeAR has one line per article and annotator). Every
configuration runs in its own subprocess on the same articles, so its peak memory is its own:

==========  ================================================================================
spacy-1     bare spaCy ``nlp.pipe`` (the model's own components only), one process
spacy-2     bare spaCy with ``n_process=2``
code-1      the full pipeline (``code``, realpolitik's components), no store, one process
code-2      the full pipeline on a pool of two worker processes
ingest-1    ``ingest`` into a fresh DuckDB file, one process
ingest-2    ``ingest`` with two worker processes and one writer
dask-1      ``ingest --engine dask`` on a LocalCluster of one worker
dask-2      ``ingest --engine dask`` on a LocalCluster of two workers
==========  ================================================================================

For each it prints articles/s and words/s at steady state (from the first finished batch to
the last article, so model loading and worker start-up are left out; they are shown as
``startup``), the total wall time, and the peak RSS of the largest single process and of the
whole process tree (sampled every 0.1 s with psutil). ``--profile`` adds the time per
pipeline component and the top functions of the full pipeline (cProfile) in this process.
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

CONFIGS = ("spacy-1", "spacy-2", "code-1", "code-2", "ingest-1", "ingest-2", "dask-1", "dask-2")
BATCH = 8


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
        now = time.perf_counter()
        self.stamps.extend([now] * n)

    # Observer protocol of realpolitik.corpus (ingest reports each stored article).
    def start(self, total: int | None) -> None:
        pass

    def update(self, outcome: str, item: str) -> None:
        if outcome in ("stored", "coded", "failed"):
            self.tick()

    def finish(self) -> None:
        pass


def run_config(name: str, corpus: Path, workdir: Path) -> dict[str, Any]:
    """Run one configuration on ``corpus`` and return its timings."""
    from realpolitik.ingest import read_articles
    from realpolitik.records import Article

    articles = [a for a in read_articles([str(corpus)]) if isinstance(a, Article)]
    clock = _Clock()
    started = time.perf_counter()
    kind, _, n = name.partition("-")
    workers = int(n)
    if kind == "spacy":
        import spacy

        from realpolitik.nlp import model_name

        nlp = spacy.load(model_name())
        for _doc in nlp.pipe((a.text for a in articles), batch_size=BATCH, n_process=workers):
            clock.tick()
    elif kind == "code":
        from realpolitik.corpus import code_stream

        for _item in code_stream(articles, workers=workers, batch_size=BATCH):
            clock.tick()
    else:
        from realpolitik.corpus import ingest_paths

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
    total = time.perf_counter() - started
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


def measure(name: str, corpus: Path, workdir: Path) -> dict[str, Any]:
    """Run one configuration in a subprocess; add its peak memory."""
    cmd = [sys.executable, __file__, "--child", name, str(corpus), "--workdir", str(workdir)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    peaks: dict[str, float] = {}
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(proc.pid, peaks, stop), daemon=True)
    watcher.start()
    out, _ = proc.communicate()
    stop.set()
    watcher.join()
    if proc.returncode != 0:
        return {"config": name, "error": f"exit {proc.returncode}"}
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
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
        results: dict[str, dict[str, Any]] = {}
        for name in args.configs.split(","):
            r = measure(name, corpus, workdir)
            results[name] = r
            if "error" in r:
                print(f"{name:10s} {r['error']}")
                continue
            rate = r["steady_articles_per_s"]
            print(
                f"{name:10s} {rate:7.2f} {rate * words / len(articles):8.0f} "
                f"{r['startup_s']:7.1f}s {r['total_s']:6.1f}s "
                f"{r['overall_articles_per_s']:8.2f} "
                f"{r['peak_process_mib']:7.0f} MiB {r['peak_tree_mib']:7.0f} MiB",
                flush=True,
            )
        _targets(results)
        if args.profile:
            profile(corpus)


def _rate(results: dict[str, dict[str, Any]], name: str) -> float | None:
    r = results.get(name)
    return r.get("steady_articles_per_s") if r and "error" not in r else None


def _targets(results: dict[str, dict[str, Any]]) -> None:
    print("\ntargets:")
    bare, full = _rate(results, "spacy-1"), _rate(results, "code-1")
    if bare and full:
        print(f"  full pipeline / bare spaCy = {full / bare:.2f} (target >= 0.75)")
    for kind in ("spacy", "code", "ingest", "dask"):
        one, two = _rate(results, f"{kind}-1"), _rate(results, f"{kind}-2")
        if one and two:
            print(f"  {kind}: 2 workers / 1 = {two / one:.2f}x (target >= 1.7x)")
    worst = max(
        (r.get("peak_process_mib", 0) for r in results.values() if "error" not in r), default=0
    )
    print(f"  largest process peak RSS = {worst / 1024:.2f} GiB (target < 1.5 GiB per worker)")


if __name__ == "__main__":
    main()
