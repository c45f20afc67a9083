"""Check a named-group table before it joins the packaged gazetteer.

    .venv/bin/python scripts/check_orgs.py src/realpolitik/actors/data/organizations/FILE.tsv

Loads every organization table with realpolitik's own loader (a format error names the file,
line and fix), then lists the phrases of FILE that clash with another entity (a state, a
capital, another organization) without a documented resolution, and duplicate names.
Exits 1 when there is a problem.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from realpolitik.actors import gazetteer as gz


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    path = Path(sys.argv[1])
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:] if line]
    mine = {gz.phrase_key(p) for r in rows for p in [r[1], *filter(None, r[2].split("|"))]}
    gz.organizations.cache_clear()
    gz._build.cache_clear()
    entries = gz.organizations()
    bad = 0
    for c in gz.conflicts():
        if c.key in mine and not c.documented:
            print(
                f"PROBLEM: {c.key!r} names {[h.target for h in c.candidates]}: drop the alias "
                "or make it more specific"
            )
            bad += 1
    names = Counter(gz.phrase_key(r[1]) for r in rows)
    for name, n in names.items():
        if n > 1:
            print(f"PROBLEM: {name!r} listed {n} times; keep one row")
            bad += 1
    print(f"{len(rows)} rows in {path.name}; {len(entries)} organizations in all; {bad} problems")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
