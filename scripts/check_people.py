"""Check an office-holder YAML file before it joins the packaged dictionary.

    .venv/bin/python scripts/check_people.py FILE.yaml [ISO3 ...]

Loads FILE with realpolitik's own loader (any format error names the entry and the fix), then
reports: people and roles per country; which of the five offices (head of state, head of
government, foreign, defence, interior minister) each listed country has; tenures of one
office that overlap (two holders on the same day, acting holders excepted); roles that end
before they start; and years from 1995 on with no holder of an office the country has.
Exits 1 on overlaps, bad dates or a listed country with no entry.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict

from realpolitik.actors.dictionary import load_dictionary, normalize_title

HEAD_OF_STATE = {
    "president",
    "monarch",
    "head of state",
    "supreme leader",
    "chairman of presidency",
    "governor general",
    "captain regent",
    "co prince",
}
OFFICES = (
    "head of state",
    "prime minister",
    "foreign minister",
    "defence minister",
    "interior minister",
)


def office_group(office: str) -> str:
    office = office.removeprefix("acting ")
    if office in HEAD_OF_STATE or office.startswith(("president", "member of presidency")):
        return "head of state"
    return office


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    d = load_dictionary(sys.argv[1])
    wanted = [c.upper() for c in sys.argv[2:]]
    bad = 0
    by_country: dict[str, list] = defaultdict(list)
    for p in d:
        by_country[p.country].append(p)
        for r in p.roles:
            if r.end is not None and r.end < r.start:
                print(f"PROBLEM: {p.name} ({p.country}) {r.title}: ends {r.end} before {r.start}")
                bad += 1
    for o in d.find_overlaps():
        print(f"PROBLEM: overlap: {o}")
        bad += 1
    today = dt.date.today()
    for c in sorted(set(by_country) | set(wanted)):
        people = by_country.get(c, [])
        offices: dict[str, list] = defaultdict(list)
        for p in people:
            for r in p.roles:
                offices[office_group(normalize_title(r.title, c))].append(r)
        have = [o for o in OFFICES if o in offices]
        gaps = []
        for o in have:
            for year in range(1995, today.year + 1):
                day = dt.date(year, 7, 1)
                if day > today:
                    break
                if not any(r.start <= day and (r.end is None or day <= r.end) for r in offices[o]):
                    gaps.append(f"{o} {year}")
        roles = sum(len(p.roles) for p in people)
        missing = [o for o in OFFICES if o not in offices]
        print(
            f"{c}: {len(people)} people, {roles} roles; missing offices: {missing or '-'}"
            + (
                f"; no holder on 1 July of: {', '.join(gaps[:12])}"
                + (" ..." if len(gaps) > 12 else "")
                if gaps
                else ""
            )
        )
        if c in wanted and not people:
            print(f"PROBLEM: {c} has no entries")
            bad += 1
    print(f"{len(d)} people in {len(by_country)} countries; {bad} problems")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
