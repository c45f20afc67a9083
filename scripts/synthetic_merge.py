"""Gather the coders' batches of written-here training stories into one gold folder.

    python scripts/synthetic_merge.py BATCH_DIR [BATCH_DIR ...] --out data/news/synthetic

Each batch folder holds ``articles.jsonl`` and ``gold.jsonl`` in the format of
``../shared/eval/news/SPEC.md``. Every batch is checked with ``check_gold`` first (a batch with a
problem is refused, naming it); ids must be unique across batches. The stories are training
data only (``realpolitik train-events ... --extra data/news/synthetic``), never scored.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from check_gold import check


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("batches", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    articles: list[str] = []
    gold: list[str] = []
    seen: set[str] = set()
    for batch in args.batches:
        problems, _warnings, counts = check(batch / "articles.jsonl", batch / "gold.jsonl")
        if problems:
            print(f"{batch}: {len(problems)} problems, e.g. {problems[0]}", file=sys.stderr)
            print("Hint: run scripts/check_gold.py on the batch and fix it", file=sys.stderr)
            return 1
        for name, out in (("articles.jsonl", articles), ("gold.jsonl", gold)):
            for n, line in enumerate((batch / name).read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                story_id = json.loads(line)["id"]
                if name == "articles.jsonl":
                    if story_id in seen:
                        print(f"{batch / name}:{n}: id {story_id!r} is taken", file=sys.stderr)
                        return 1
                    seen.add(story_id)
                out.append(line)
        print(f"{batch}: {counts}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "articles.jsonl").write_text("\n".join(articles) + "\n", encoding="utf-8")
    (args.out / "gold.jsonl").write_text("\n".join(gold) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(articles)} stories")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
