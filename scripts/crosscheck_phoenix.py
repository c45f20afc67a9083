"""Cross-check the packaged office-holder dictionary against PETRARCH's Phoenix dictionary.

    realpolitik dictionary import-petrarch \
        ../shared/dictionaries/phoenix/Phoenix.Countries.actors.txt --out /tmp/phoenix.csv
    .venv/bin/python scripts/crosscheck_phoenix.py /tmp/phoenix.csv [--list N]

For every packaged person whose name (or alias) is also a Phoenix person, it compares:
* country: the same ISO3 code?
* dates: does each packaged role from 1995 on fall inside a Phoenix GOV/MIL role of that
  person (Phoenix roles are coded periods, e.g. USAGOV 2009-01-20..2017-01-20)? Phoenix stops
  around 2014, so only roles that start before 2014-06-01 are compared.
Prints the agreement figures and, with --list, the disagreements to review.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from collections import defaultdict

from realpolitik.actors.dictionary import _name_key, load_dictionary

CUTOFF = dt.date(2014, 6, 1)
SLACK = dt.timedelta(days=45)  # hand-over days and month-only dates


def main() -> None:
    path = sys.argv[1]
    show = int(sys.argv[sys.argv.index("--list") + 1]) if "--list" in sys.argv else 0
    phoenix: dict[str, list[dict[str, str]]] = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for name in [row["name"], *filter(None, row["aliases"].split("|"))]:
                phoenix[_name_key(name)].append(row)
    ours = load_dictionary()
    matched = country_ok = roles = roles_ok = 0
    bad_country: list[str] = []
    bad_dates: list[str] = []
    for person in ours:
        rows = next((phoenix[_name_key(n)] for n in person.names if _name_key(n) in phoenix), None)
        if not rows:
            continue
        matched += 1
        countries = {r["country"] for r in rows}
        if person.country in countries or person.country.startswith("IGO:"):
            country_ok += 1
        else:
            bad_country.append(f"{person.name}: ours {person.country}, Phoenix {sorted(countries)}")
            continue
        periods = [
            (
                dt.date.fromisoformat(r["start"]),
                dt.date.fromisoformat(r["end"]) if r["end"] else dt.date.max,
            )
            for r in rows
            if r["sector"] in {"GOV", "MIL", "LEG", "JUD"}
            and r["country"] == person.country
            and r["start"]
        ]
        for role in person.roles:
            if role.start >= CUTOFF or (role.end or dt.date.max) < dt.date(1995, 1, 1):
                continue
            roles += 1
            end = min(role.end or CUTOFF, CUTOFF)
            if any(s - SLACK <= role.start and end - SLACK <= e for s, e in periods):
                roles_ok += 1
            else:
                bad_dates.append(
                    f"{person.name} ({person.country}) {role.title} {role.start}..{role.end}: "
                    f"Phoenix periods {[(str(s), str(e)) for s, e in periods][:4]}"
                )
    print(f"packaged people: {len(ours)}; also in Phoenix (by name): {matched}")
    print(f"country agrees: {country_ok}/{matched} ({country_ok / max(matched, 1):.3f})")
    print(
        f"roles before {CUTOFF} inside a Phoenix period of the same person: "
        f"{roles_ok}/{roles} ({roles_ok / max(roles, 1):.3f})"
    )
    for line in (bad_country + bad_dates)[:show]:
        print("  ", line)


if __name__ == "__main__":
    main()
