"""List the people errors of the coder on a hand-coded news split, to drive actor work.

    PYTHONPATH=src python scripts/people_errors.py data/news/voa/train
    PYTHONPATH=src python scripts/people_errors.py data/news/voa/train --results R.jsonl

With ``--results`` the coder's results are read from that file (as ``realpolitik eval events
--results`` writes them) instead of coding the articles again. Three kinds of lines, matched as
``realpolitik eval events`` matches people (a shared name word of three letters or more):

* ``MISS``   a gold person no predicted person matches;
* ``WRONG``  a gold person matched to a person with the wrong country;
* ``NOTPER`` a predicted person that is no gold person.

Each line gives the article, the name, the predicted and gold country, the rule that set the
country (``Actor.basis``; ``-`` when the dictionary or a title inside the name set it), how
many predicted events the person is an actor of, and the sentence of its first mention.
A summary with the figures of ``eval events`` ends the list.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from realpolitik.evaluate.news import _words, code_gold_articles, load_gold


def _sentence(text: str, needle: str | None, at: int | None = None) -> str:
    """The sentence of ``text`` around offset ``at`` (or the first occurrence of needle)."""
    if at is None:
        at = text.find(needle) if needle else -1
        if at < 0:
            return "?"
    starts = [m.end() for m in re.finditer(r"[.!?]\s+|\n+", text[:at])]
    start = starts[-1] if starts else 0
    end_m = re.search(r"[.!?](\s|$)|\n", text[at:])
    end = at + end_m.end() if end_m else len(text)
    return " ".join(text[start:end].split())[:160]


def people_errors(
    pairs: list[tuple[dict[str, Any], dict[str, Any]]], results: list[dict[str, Any]]
) -> tuple[list[str], Counter[str]]:
    """Error lines and counts (gold, found, country_ok, pred, pred_ok) for a split."""
    lines: list[str] = []
    n: Counter[str] = Counter()
    for (article, gold), result in zip(pairs, results, strict=True):
        text = article["text"]
        persons = [a for a in result.get("actors", []) if a.get("kind") == "person"]
        in_events: Counter[str] = Counter()
        for e in result.get("events", []):
            for side in ("source", "target"):
                actor = (e.get(side) or {}).get("actor")
                if actor:
                    in_events[actor] += 1
        aid = article["id"]
        for gp in gold.get("people", []):
            if not gp.get("country"):
                continue
            n["gold"] += 1
            words = {w for m in gp.get("mentions", [gp["name"]]) for w in _words(m)}
            found = None
            for a in persons:
                names = _words(a.get("name"))
                names |= {w for m in a.get("mentions", []) for w in _words(m.get("text"))}
                if words & names:
                    found = a
                    break
            gc = gp["country"]
            if found is None:
                lines.append(
                    f"MISS   {aid}: {gp['name']!r} gold {gc} «{_sentence(text, gp['name'])}»"
                )
                continue
            n["found"] += 1
            pc = found.get("country") or ""
            if pc == gc or (gc.startswith("IGO:") and (found.get("code") or "").startswith("IGO")):
                n["country_ok"] += 1
                continue
            first = (found.get("mentions") or [{}])[0]
            lines.append(
                f"WRONG  {aid}: {found['name']!r} pred {pc or '-'} ({found.get('code') or '-'}) "
                f"gold {gc} rule {found.get('basis') or '-'} role {found.get('role') or '-'} "
                f"events {in_events[found['id']]} «{_sentence(text, None, first.get('start'))}»"
            )
        gold_names = {
            w
            for gp in gold.get("people", [])
            for m in gp.get("mentions", [gp["name"]])
            for w in _words(m)
        }
        for a in persons:
            n["pred"] += 1
            if _words(a.get("name")) & gold_names:
                n["pred_ok"] += 1
                continue
            first = (a.get("mentions") or [{}])[0]
            lines.append(
                f"NOTPER {aid}: {a['name']!r} pred {a.get('country') or '-'} "
                f"rule {a.get('basis') or '-'} events {in_events[a['id']]} "
                f"«{_sentence(text, None, first.get('start'))}»"
            )
    return lines, n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold_dir", help="folder with articles.jsonl and gold.jsonl")
    parser.add_argument("--results", help="coder results (JSONL) instead of coding again")
    args = parser.parse_args(argv)
    pairs = load_gold(args.gold_dir)
    if args.results:
        with Path(args.results).open(encoding="utf-8") as fh:
            results = [json.loads(line) for line in fh if line.strip()]
    else:
        from realpolitik.nlp import load_nlp

        results = code_gold_articles(pairs, load_nlp())
    lines, n = people_errors(pairs, results)
    for kind in ("MISS", "WRONG", "NOTPER"):
        for line in lines:
            if line.startswith(kind):
                print(line)
    gold, pred = max(n["gold"], 1), max(n["pred"], 1)
    print(
        f"people {n['gold']}: found {n['found']}, right country {n['country_ok']} "
        f"({n['country_ok'] / gold:.3f}); predicted persons {n['pred']}, people "
        f"{n['pred_ok']} ({n['pred_ok'] / pred:.3f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
