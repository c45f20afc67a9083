"""Build the VOA news gold corpus folders from the shared VOA stories.

    python scripts/voa_prepare.py ../shared/corpora/voa/voa_stories.jsonl

Writes data/news/voa/{dev,train}/articles.jsonl in the format of the news coding rules
(../shared/eval/news/SPEC.md): headline as the first line, a blank line, then the body.
The split is fixed by a hash of the story id (see split_of) and never changes.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "data" / "news" / "voa"


def split_of(story_id: str) -> str:
    """'dev' for about a quarter of the ids: sha256 of 'voa:' + id, first 8 hex digits,
    mod 100, below 25."""
    h = int(hashlib.sha256(f"voa:{story_id}".encode()).hexdigest()[:8], 16)
    return "dev" if h % 100 < 25 else "train"


def article(story: dict) -> dict:
    return {
        "id": story["id"],
        "url": story["url"],
        "publisher": "Voice of America",
        "date": story["published"][:10],
        "title": story["title"],
        "section": story.get("section", ""),
        "author": story.get("author", ""),
        "text": story["title"].strip() + "\n\n" + story["text"].strip(),
    }


def main(path: str) -> None:
    with Path(path).open(encoding="utf-8") as f:
        stories = [json.loads(x) for x in f if x.strip()]
    by_split: dict[str, list[dict]] = {"dev": [], "train": []}
    for s in stories:
        by_split[split_of(s["id"])].append(article(s))
    for name, arts in by_split.items():
        out = ROOT / name
        out.mkdir(parents=True, exist_ok=True)
        with (out / "articles.jsonl").open("w", encoding="utf-8") as f:
            for a in sorted(arts, key=lambda a: a["id"]):
                f.write(json.dumps(a, ensure_ascii=False) + "\n")
        print(f"{name}: {len(arts)} stories, {sum(len(a['text'].split()) for a in arts)} words")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpora/voa/voa_stories.jsonl")
