#!/usr/bin/env python3
"""Build ``src/realpolitik/events/data/cameo.tsv`` from two public reference tables.

Usage::

    python scripts/build_ontology.py REFERENCE_DIR [--out PATH]

``REFERENCE_DIR`` must hold:

``cameo_codes_icews.csv``
    Every CAMEO event code with its name, Goldstein value and root (the ICEWS code table).
    Source of ``code``, ``name``, ``root`` and ``goldstein``.
``cameo_to_plover_2021.txt``
    The CAMEO -> PLOVER conversion table of the PLOVER manual (draft 0.8, 2021), lines of the
    form ``CODE: TYPE, MODE, CONTEXT # description``. Source of ``plover`` and ``plover_mode``.
``plover_events_modes.json`` (optional)
    PLOVER's types, modes and contexts. Used only to drop mode values that are really contexts.

Only facts (codes, names, scores, type assignments) are carried over; descriptions, usage notes
and examples are not. The output has one row per code, sorted by code::

    code  name  root  goldstein  quad_class  plover  plover_mode

How each column is derived:

* ``code``, ``root`` -- strings with leading zeros kept ("01", "042", "0211").
* ``name`` -- the ICEWS name; 3- and 4-digit names get an upper-case first letter (the table
  writes "fight with small arms ..."), 2-digit (root) names stay in capitals as in CAMEO.
* ``goldstein`` -- the ICEWS Goldstein value.
* ``quad_class`` -- from the root alone: 01-05 verbal cooperation (1), 06-08 material
  cooperation (2), 09-13 verbal conflict (3), 14-20 material conflict (4).
* ``plover`` -- the mapping's type for the code; a code the mapping lacks takes its root's type.
  Deliberate departures, all listed in ``PLOVER_OVERRIDES``:

  - CAMEO 01 (public statements) is unmapped: PLOVER dropped the comment categories, and it has
    no comment type, so ``plover`` is the empty string for 01x codes. Consumers must treat an
    empty ``plover`` as "no PLOVER event".
  - CAMEO 02 (appeals) is also unmapped in the 2021 table, but PLOVER's REQUEST type and its
    modes (assist / change / yield / meet) cover exactly the distinctions of CAMEO 02 as well as
    CAMEO 10, so 02x codes are mapped to REQUEST with the mode of the parallel 10x code. Remove
    the 02 entries of ``PLOVER_OVERRIDES`` to restore the table's literal (empty) reading.
* ``plover_mode`` -- the mapping's mode, stripped; empty when none. Values that are PLOVER
  *contexts* rather than modes (the table gives ``pro_autocracy`` for 175) are dropped.

Codes in the mapping but missing from the ICEWS table (1214 "Reject intelligence cooperation")
are added with the mapping's description as name and the Goldstein value of their 3-digit parent.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ICEWS_FILE = "cameo_codes_icews.csv"
MAPPING_FILE = "cameo_to_plover_2021.txt"
MODES_FILE = "plover_events_modes.json"
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "src/realpolitik/events/data/cameo.tsv"
COLUMNS = ("code", "name", "root", "goldstein", "quad_class", "plover", "plover_mode")

# root -> quad class (1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict)
QUAD_BY_ROOT = {
    f"{r:02d}": 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4 for r in range(1, 21)
}

_APPEAL_MODES = {
    "021": "assist",
    "022": "assist",
    "023": "assist",
    "024": "change",
    "025": "yield",
    "026": "meet",
    "027": "meet",
    "028": "meet",
}


def _appeal_override(code: str) -> tuple[str, str]:
    """REQUEST plus the mode CAMEO 10 uses for the same kind of demand (see module docstring)."""
    return "REQUEST", _APPEAL_MODES.get(code[:3], "")


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    root: str
    goldstein: float
    quad_class: int
    plover: str
    plover_mode: str


def read_icews(path: Path) -> dict[str, tuple[str, float, str]]:
    """code -> (name, goldstein, root) from the ICEWS code table."""
    out: dict[str, tuple[str, float, str]] = {}
    # the descriptions hold a few mis-encoded bytes; the columns we keep are plain ASCII
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        for rec in csv.DictReader(fh):
            code = rec["code"].strip()
            if not re.fullmatch(r"\d{2,4}", code):
                raise SystemExit(f"{path}: unexpected code {code!r}")
            out[code] = (rec["name"].strip(), float(rec["goldstein"]), rec["root_code"].strip())
    return out


def read_mapping(path: Path) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """(code -> (type, mode), code -> description) from the CAMEO -> PLOVER table.

    When a code is listed twice (the table repeats 175, and gives root 08 twice, CONCEDE then
    RETREAT) the first entry wins.
    """
    types: dict[str, tuple[str, str]] = {}
    descriptions: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        body, _, comment = line.partition("#")
        m = re.match(r"^\s*(\d{2,4})\s*:\s*(.*)$", body)
        if not m:
            continue
        code, rest = m.groups()
        fields = [f.strip() for f in rest.split(",")]
        plover = fields[0].upper()
        mode = fields[1] if len(fields) > 1 else ""
        types.setdefault(code, (plover, mode))
        if comment.strip():
            descriptions.setdefault(code, comment.strip())
    return types, descriptions


def read_contexts(path: Path) -> set[str]:
    """PLOVER context names, if the modes file is there (else nothing is filtered)."""
    if not path.exists():
        return set()
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(c) for c in data.get("contexts", [])}


def _display_name(code: str, name: str) -> str:
    return name if len(code) == 2 else name[:1].upper() + name[1:]


def build_rows(reference_dir: Path) -> list[Row]:
    """Join the two tables into one row per CAMEO code (see the module docstring)."""
    icews = read_icews(reference_dir / ICEWS_FILE)
    mapping, descriptions = read_mapping(reference_dir / MAPPING_FILE)
    contexts = read_contexts(reference_dir / MODES_FILE)

    for code in sorted(set(mapping) - set(icews)):
        parent = icews.get(code[:3])
        if parent is None or code not in descriptions:
            raise SystemExit(f"{MAPPING_FILE}: code {code} has no parent in {ICEWS_FILE}")
        icews[code] = (descriptions[code], parent[1], parent[2])

    rows = []
    for code in sorted(icews):
        name, goldstein, root = icews[code]
        if not code.startswith(root):
            raise SystemExit(f"{ICEWS_FILE}: code {code} does not start with its root {root}")
        if root == "01":
            plover, mode = "", ""
        elif root == "02":
            plover, mode = _appeal_override(code)
        elif code in mapping:
            plover, mode = mapping[code]
        elif root in mapping:
            plover, mode = mapping[root][0], ""
        else:
            raise SystemExit(f"{MAPPING_FILE}: neither {code} nor its root {root} is mapped")
        mode = mode.strip()
        if mode in contexts:
            mode = ""
        rows.append(
            Row(code, _display_name(code, name), root, goldstein, QUAD_BY_ROOT[root], plover, mode)
        )
    return rows


def _fmt_goldstein(value: float) -> str:
    return f"{value:g}"


def write_tsv(rows: list[Row], out: Path) -> None:
    """Write the rows as a tab-separated file with a header line."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            fields = (
                r.code,
                r.name,
                r.root,
                _fmt_goldstein(r.goldstein),
                str(r.quad_class),
                r.plover,
                r.plover_mode,
            )
            if any("\t" in f or "\n" in f for f in fields):
                raise SystemExit(f"code {r.code}: a field contains a tab or newline")
            fh.write("\t".join(fields) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "reference_dir", type=Path, help=f"folder holding {ICEWS_FILE} and {MAPPING_FILE}"
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output TSV (default: the packaged cameo.tsv)"
    )
    args = parser.parse_args(argv)
    for name in (ICEWS_FILE, MAPPING_FILE):
        if not (args.reference_dir / name).is_file():
            parser.error(f"{args.reference_dir / name} not found (REFERENCE_DIR must hold {name})")
    rows = build_rows(args.reference_dir)
    write_tsv(rows, args.out)
    by_plover: dict[str, int] = {}
    for r in rows:
        by_plover[r.plover or "(none)"] = by_plover.get(r.plover or "(none)", 0) + 1
    print(f"wrote {len(rows)} codes to {args.out}", file=sys.stderr)
    print(
        "codes per PLOVER type: " + ", ".join(f"{k} {v}" for k, v in sorted(by_plover.items())),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
