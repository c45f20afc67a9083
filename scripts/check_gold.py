"""Check hand-coded news gold against the coding rules (../shared/eval/news/SPEC.md).

    python scripts/check_gold.py ARTICLES.jsonl GOLD.jsonl
    python scripts/check_gold.py ARTICLES.jsonl FOLDER/      # one ID.json per story

Prints one line per problem (story id, where, what, how to fix) and a summary; exits 1 when
any problem is found. Standard library only, so a coder can run it anywhere.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
COUNTRIES = HERE / "src" / "realpolitik" / "actors" / "data" / "countries.tsv"
PLOVER = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
}
# CAMEO roots a PLOVER type is normally coded with (the CAMEO -> PLOVER table, plus 01 for
# statements that are acts: 012 pessimism/criticism-like comments are rare, so only as warnings).
ROOTS = {
    "AGREE": {"03", "05", "01"},
    "CONSULT": {"04"},
    "SUPPORT": {"05", "01"},
    "CONCEDE": {"08"},
    "COOPERATE": {"06"},
    "AID": {"07"},
    "RETREAT": {"08", "16"},
    "REQUEST": {"10", "02"},
    "ACCUSE": {"11", "09"},
    "REJECT": {"12"},
    "THREATEN": {"13"},
    "PROTEST": {"14"},
    "SANCTION": {"16", "17"},
    "MOBILIZE": {"15"},
    "COERCE": {"17", "16", "19", "18"},
    "ASSAULT": {"18", "19", "20", "17"},
}
SECTORS = {
    "",
    "GOV",
    "MIL",
    "POL",
    "LEG",
    "JUD",
    "OPP",
    "REB",
    "CVL",
    "MED",
    "BUS",
    "NGO",
    "EDU",
    "REL",
    "PTY",
}
IGOS = {
    "UN",
    "UNSC",
    "UNGA",
    "EU",
    "NATO",
    "AU",
    "ASEAN",
    "OSCE",
    "IAEA",
    "WHO",
    "IMF",
    "WORLDBANK",
    "WTO",
    "G7",
    "G20",
    "ARABLEAGUE",
    "GCC",
    "ECOWAS",
    "OPEC",
    "OAS",
    "SCO",
    "BRICS",
    "ICC",
    "ICJ",
    "QUAD",
    "IGAD",
    "CARICOM",
    "MERCOSUR",
    "OIC",
    "COE",
}
EVENT_KEYS = {
    "sentence",
    "source",
    "source_sector",
    "target",
    "target_sector",
    "plover",
    "cameo_root",
    "date",
    "mutual",
    "trigger",
}


def iso3() -> set[str]:
    codes = {line.split("\t", 1)[0] for line in COUNTRIES.open(encoding="utf-8")}
    return codes | {"XKX", "PSE", "TWN"}


def records(gold: Path) -> list[tuple[str, str]]:
    """(where, JSON text) of each story: lines of a JSONL file, or one *.json file per story."""
    if gold.is_dir():
        return [(f.name, f.read_text(encoding="utf-8")) for f in sorted(gold.glob("*.json"))]
    return [
        (f"{gold.name} line {n}", line)
        for n, line in enumerate(gold.open(encoding="utf-8"), 1)
        if line.strip()
    ]


def check(articles: Path, gold: Path) -> tuple[list[str], list[str], dict[str, int]]:
    codes = iso3()
    arts = {}
    for line in articles.open(encoding="utf-8"):
        if line.strip():
            a = json.loads(line)
            arts[a["id"]] = a
    problems: list[str] = []
    warnings: list[str] = []
    counts = {"stories": 0, "events": 0, "people": 0, "quotes": 0}
    seen: set[str] = set()

    def code_ok(c: str) -> bool:
        if c in codes:
            return True
        if c.startswith("IGO:"):
            return bool(re.fullmatch(r"[A-Z0-9]{2,12}", c[4:]))
        if c.startswith("NSA:"):
            return bool(re.fullmatch(r"[A-Z0-9]{2,16}", c[4:]))
        return False

    for where, raw in records(gold):
        try:
            g = json.loads(raw)
        except json.JSONDecodeError as e:
            problems.append(f"{where}: not JSON ({e}); fix the syntax")
            continue
        sid = g.get("id")
        if sid not in arts:
            problems.append(f"{where}: id {sid!r} is not in {articles}")
            continue
        if sid in seen:
            problems.append(f"{where}: id {sid} coded twice; keep one line per story")
        seen.add(sid)
        counts["stories"] += 1
        text = arts[sid]["text"]
        for k in ("events", "people", "quotes"):
            if not isinstance(g.get(k), list):
                problems.append(f"{sid}: '{k}' must be a list")
                g[k] = []
        for i, e in enumerate(g["events"]):
            w = f"{sid} event {i}"
            counts["events"] += 1
            missing = EVENT_KEYS - set(e)
            if missing:
                problems.append(f"{w}: missing keys {sorted(missing)}")
                continue
            s = e["sentence"]
            if not s or s not in text:
                problems.append(f"{w}: sentence is not an exact substring of the text: {s[:70]!r}")
            elif text.count(s) > 1 and len(s) < 40:
                warnings.append(f"{w}: sentence occurs {text.count(s)} times; quote more of it")
            for side in ("source", "target"):
                c = e[side]
                if side == "target" and c == "":
                    problems.append(f"{w}: empty target; every event needs a target")
                elif not code_ok(c):
                    problems.append(f"{w}: {side} {c!r} is not ISO3, IGO:X or NSA:X")
                if c.startswith("IGO:") and c[4:] not in IGOS:
                    warnings.append(
                        f"{w}: {side} {c} is not in the SPEC's IGO list (fine if none fits)"
                    )
                if e[f"{side}_sector"] not in SECTORS:
                    problems.append(f"{w}: {side}_sector {e[f'{side}_sector']!r} unknown")
            if e["plover"] not in PLOVER:
                problems.append(f"{w}: plover {e['plover']!r} is not a PLOVER type")
            elif not re.fullmatch(r"(0[1-9]|1[0-9]|20)", str(e["cameo_root"])):
                problems.append(f"{w}: cameo_root {e['cameo_root']!r} must be '01'..'20'")
            elif e["cameo_root"] not in ROOTS[e["plover"]]:
                warnings.append(f"{w}: cameo_root {e['cameo_root']} is unusual for {e['plover']}")
            if e["date"] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", e["date"]):
                problems.append(f"{w}: date {e['date']!r} must be YYYY-MM-DD or ''")
            if not isinstance(e["mutual"], bool):
                problems.append(f"{w}: mutual must be true or false")
            t = e["trigger"]
            if not t or t.lower() not in s.lower():
                problems.append(f"{w}: trigger {t!r} is not in the sentence")
            if e["source"] == e["target"] and e["source_sector"] == e["target_sector"]:
                warnings.append(
                    f"{w}: source and target are the same actor "
                    f"({e['source']} {e['source_sector']})"
                )
        for i, p in enumerate(g["people"]):
            w = f"{sid} person {i}"
            counts["people"] += 1
            for k in ("name", "mentions", "country", "sector", "role"):
                if k not in p:
                    problems.append(f"{w}: missing key {k}")
            for m in p.get("mentions", []):
                if m not in text:
                    problems.append(f"{w}: mention {m!r} is not in the text")
            c = p.get("country", "")
            if c and not code_ok(c):
                problems.append(f"{w}: country {c!r} is not ISO3, IGO:X or NSA:X")
            if p.get("sector", "") not in SECTORS:
                problems.append(f"{w}: sector {p.get('sector')!r} unknown")
        for i, q in enumerate(g["quotes"]):
            w = f"{sid} quote {i}"
            counts["quotes"] += 1
            cs = q.get("content_start", "")
            if not cs or cs not in text:
                problems.append(f"{w}: content_start is not an exact substring: {cs[:60]!r}")
            if q.get("kind") not in ("direct", "indirect"):
                problems.append(f"{w}: kind must be direct or indirect")
            if "speaker" not in q:
                problems.append(f"{w}: missing speaker ('' if unknown)")
    return problems, warnings, counts


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    problems, warnings, counts = check(Path(sys.argv[1]), Path(sys.argv[2]))
    for w in warnings:
        print("warning:", w)
    for p in problems:
        print("PROBLEM:", p)
    print(f"{counts} — {len(problems)} problems, {len(warnings)} warnings")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
