"""Tokenising runs of repeated marks, with and without realpolitik's guard (issue 19).

Usage::

    .venv/bin/python benchmarks/marks.py [--sizes 1000,2000,4000,8000] [--raw-max 8000]
        [--code]

For each size n it tokenises ``"(" * (n // 2) + ")" * (n // 2)`` and ``'"' * n`` with spaCy's
English tokenizer as it is (``raw``; sizes up to ``--raw-max`` only, it is quadratic) and after
:func:`realpolitik.guards.break_punctuation_runs` (``guarded``), each with a fresh tokenizer,
and prints the seconds. ``--code`` also times ``realpolitik.code()`` on the guarded text with the
installed pipeline (tagger, parser and NER then dominate).
"""

from __future__ import annotations

import argparse
import time

import spacy

import realpolitik
from realpolitik.guards import break_punctuation_runs


def tokenise_seconds(text: str) -> float:
    nlp = spacy.blank("en")
    started = time.perf_counter()
    nlp.make_doc(text)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,2000,4000,8000,100000")
    parser.add_argument("--raw-max", type=int, default=8000)
    parser.add_argument("--code", action="store_true")
    args = parser.parse_args()
    nlp = None
    if args.code:
        from realpolitik.nlp import load_nlp

        nlp = load_nlp()
        realpolitik.code("Japan met China.", nlp=nlp)
    print(f"{'input':<10} {'chars':>8} {'raw s':>8} {'guarded s':>10} {'code() s':>9}")
    for n in (int(x) for x in args.sizes.split(",")):
        for name, text in (("parens", "(" * (n // 2) + ")" * (n // 2)), ("quotes", '"' * n)):
            raw = f"{tokenise_seconds(text):.3f}" if n <= args.raw_max else "-"
            guarded = tokenise_seconds(break_punctuation_runs(text))
            coded = "-"
            if nlp is not None:
                started = time.perf_counter()
                realpolitik.code(text, nlp=nlp)
                coded = f"{time.perf_counter() - started:.2f}"
            print(f"{name:<10} {len(text):>8} {raw:>8} {guarded:>10.4f} {coded:>9}")


if __name__ == "__main__":
    main()
