"""Fuzz ``realpolitik.code()`` and the readers with many generated inputs (issue 19).

Usage::

    .venv/bin/python benchmarks/fuzz.py N [--seed S] [--pipeline real|rules] [--limit SECONDS]
        [--readers]

Generates N inputs of the kinds the test suite fuzzes (random unicode with lone surrogates and
controls, right-to-left mixes, HTML junk, runs of repeated marks, long lines, wrong-typed
arguments) from a seeded ``random.Random``, codes each under a time limit and checks that only
:class:`~realpolitik.errors.InputError` is raised (for wrong types) and that every span lies
inside the text. ``--readers`` also writes each input as a JSONL line and a text file with
metadata and reads them back. Prints the count run, the failures (uncaught exceptions, spans
outside the text, hangs past ``--limit``) with a sample of each, the time per input (median,
p99, max) and the slowest input kind.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import spacy

import realpolitik
from realpolitik.errors import InputError, TimeBudgetExceeded
from realpolitik.guards import time_limit
from realpolitik.ingest import read_articles
from realpolitik.nlp import add_components, load_nlp
from realpolitik.records import Result

WORDS = ["Japan", "China", "said", "warned", "the", "U.S.", "NATO", "Putin", "talks", "on", "."]
MARKS = list("\"'“”‘’«»„()[]{}<>!?.,;:-—*#/\\|")
RTL = ["مرحبا", "بالعالم", "שלום", "עולם", "\u200f", "\u202e", "\u2066", "\u2069"]
HTML = ["<p>", "</p>", "<div>", "<script>", "</script>", "<!--", "-->", "<br/>", "&amp;", "<b"]


def _any_char(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.1:
        return chr(rng.randint(0xD800, 0xDFFF))  # lone surrogate
    if pick < 0.2:
        return chr(rng.randint(0, 0x1F))
    if pick < 0.5:
        return chr(rng.randint(0x20, 0x7E))
    return chr(rng.randint(0x80, 0x10FFFF))


def gen_unicode(rng: random.Random) -> str:
    return "".join(_any_char(rng) for _ in range(rng.randint(0, 400)))


def gen_words(rng: random.Random) -> str:
    pool = WORDS + MARKS + RTL + HTML + [" ", " ", "\n", "\n\n"]
    return "".join(rng.choice(pool) + rng.choice(["", " "]) for _ in range(rng.randint(1, 200)))


def gen_marks(rng: random.Random) -> str:
    mark = rng.choice(MARKS) * rng.randint(1, 3)
    return f"Japan said {mark * rng.randint(10, 20_000)} China warned."


def gen_long_line(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(500, 6000)))


def gen_html(rng: random.Random) -> str:
    return "".join(rng.choice(HTML + WORDS + [" "]) for _ in range(rng.randint(1, 300)))


GENERATORS: dict[str, Callable[[random.Random], str]] = {
    "unicode": gen_unicode,
    "words": gen_words,
    "marks": gen_marks,
    "long-line": gen_long_line,
    "html": gen_html,
}
JSON_BAD: list[Any] = [123, 4.5, None, [], {}, {"a": 1}, "USA", True]
BAD_VALUES: list[Any] = [*JSON_BAD, b"x"]


def check_spans(result: Result) -> None:
    text = result.article.text
    spans = [(e.start, e.end, e.text) for e in result.events]
    spans += [(q.start, q.end, q.text) for q in result.quotes]
    spans += [(r.start, r.end, r.text) for r in result.relations]
    spans += [(m.start, m.end, m.text) for a in result.actors for m in a.mentions]
    for start, end, surface in spans:
        if not (0 <= start <= end <= len(text)) or text[start:end] != surface:
            raise AssertionError(f"span {start}:{end} {surface!r} is not in the text")


def one_input(rng: random.Random, nlp: Any, limit: float, tmp: Path, readers: bool) -> str:
    """Run one generated input; return its kind."""
    kind = rng.choice([*GENERATORS, "wrong-type"])
    if kind == "wrong-type":
        field = rng.choice(["text", "date", "id", "source", "title", "hints"])
        value = rng.choice(BAD_VALUES)
        args: dict[str, Any] = {field: value} if field != "text" else {}
        text: Any = value if field == "text" else "Japan criticized China."
        try:
            with time_limit(limit):
                check_spans(realpolitik.code(text, nlp=nlp, **args))
        except InputError:
            pass  # documented: wrong types are WrongType
        return kind
    text = GENERATORS[kind](rng)
    with time_limit(limit):
        check_spans(realpolitik.code(text, nlp=nlp))
        if readers:
            raw = text.encode("utf-8", "surrogatepass")
            (tmp / "a.txt").write_bytes(raw)
            (tmp / "a.txt.meta.json").write_text(json.dumps({"date": rng.choice(JSON_BAD)}))
            line = json.dumps({"id": rng.choice(JSON_BAD), "text": text, "date": "2021-01-01"})
            (tmp / "b.jsonl").write_bytes(line.encode("utf-8") + b"\n" + raw + b"\n")
            for item in read_articles([str(tmp / "a.txt"), str(tmp / "b.jsonl")]):
                if not isinstance(item, InputError):
                    item.text.encode("utf-8")
    return kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="inputs to run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pipeline", choices=["real", "rules"], default="real")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds before a hang")
    parser.add_argument("--readers", action="store_true", help="also fuzz the file readers")
    args = parser.parse_args()

    if args.pipeline == "real":
        nlp = load_nlp()
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        add_components(nlp)
    rng = random.Random(args.seed)
    failures: Counter[str] = Counter()
    samples: dict[str, str] = {}
    times: list[tuple[float, str]] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.n):
            t0 = time.perf_counter()
            kind = "?"
            try:
                kind = one_input(rng, nlp, args.limit, Path(tmp), args.readers)
            except TimeBudgetExceeded:
                failures["hang"] += 1
                samples.setdefault("hang", f"input {i} of seed {args.seed}")
            except Exception as exc:  # what the fuzzing looks for: an uncaught exception
                key = f"{type(exc).__name__}"
                failures[key] += 1
                if key not in samples:
                    samples[key] = f"input {i}: {traceback.format_exc(limit=3)[-600:]}"
            times.append((time.perf_counter() - t0, kind))
            if (i + 1) % 500 == 0:
                print(f"... {i + 1} inputs, {sum(failures.values())} failures", file=sys.stderr)
    seconds = [t for t, _k in times]
    slowest = max(times) if times else (0.0, "-")
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else 0.0
    print(f"inputs run: {len(times)} ({args.pipeline} pipeline, seed {args.seed})")
    print(f"failures: {sum(failures.values())} {dict(failures)}")
    for key, sample in samples.items():
        print(f"  {key}: {sample}")
    med = statistics.median(seconds) if seconds else 0.0
    print(f"time per input: median {med:.3f} s, p99 {p99:.3f} s, max {slowest[0]:.2f} s")
    print(f"slowest input kind: {slowest[1]}; wall {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
