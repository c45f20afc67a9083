"""Assemble the VOA gold files from the coders' per-story files.

    python scripts/voa_merge.py

Reads data/news/work/m*/ID.json (first codings) and s*/ID.json (independent second codings)
and data/news/work/final/ID.json (settled codings of double-coded stories, when present).
Writes data/news/voa/{dev,train}/gold.jsonl (final or first coding of every story) and
data/news/agreement/{first,second}/{articles,gold}.jsonl (both raw codings of the
double-coded stories, for the agreement figures). Checks every file with check_gold.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "data" / "news" / "work"
VOA = ROOT / "data" / "news" / "voa"
AGREE = ROOT / "data" / "news" / "agreement"
sys.path.insert(0, str(Path(__file__).parent))
from check_gold import check  # noqa: E402

KEYS = ("id", "events", "people", "quotes", "notes")


def codings(pattern: str) -> dict[str, dict]:
    out = {}
    for f in sorted(WORK.glob(pattern)):
        g = json.loads(f.read_text(encoding="utf-8"))
        out[str(g["id"])] = {k: g.get(k, "" if k == "notes" else []) for k in KEYS}
    return out


def write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main() -> None:
    first, second, final = codings("m*/*.json"), codings("s*/*.json"), codings("final/*.json")
    articles = {}
    for split in ("dev", "train"):
        for line in (VOA / split / "articles.jsonl").open(encoding="utf-8"):
            a = json.loads(line)
            articles[a["id"]] = (split, a)
    problems = 0
    for split in ("dev", "train"):
        ids = sorted(i for i, (s, _) in articles.items() if s == split)
        missing = [i for i in ids if i not in first]
        if missing:
            print(f"{split}: not coded yet: {missing}")
        rows = [final.get(i) or first[i] for i in ids if i in first]
        write(VOA / split / "gold.jsonl", rows)
        p, w, counts = check(VOA / split / "articles.jsonl", VOA / split / "gold.jsonl")
        problems += len(p)
        print(
            f"{split}: {counts}, {len(p)} problems, {len(w)} warnings, "
            f"{sum(i in final for i in ids)} settled"
        )
    both = sorted(i for i in second if i in first)
    for name, coding in (("first", first), ("second", second)):
        write(AGREE / name / "articles.jsonl", [articles[i][1] for i in both])
        write(AGREE / name / "gold.jsonl", [coding[i] for i in both])
    print(f"agreement: {len(both)} stories coded twice")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
