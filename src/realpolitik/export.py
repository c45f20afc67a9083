"""Export a store: GDELT 2.0 event table, PLOVER JSON (POLECAT style), Parquet and CSV.

GDELT and PLOVER exports have one row per *event*: the mentions of one event across articles
(same date within a window, same source, target and CAMEO code; see
:func:`realpolitik.store.group_event_mentions`) are one row with ``NumMentions``,
``NumSources`` and ``NumArticles``, and each PLOVER event lists its mentions with their
sentences. Parquet and CSV exports write one file per table (events, actors, quotes, articles,
event groups and their members) into a folder.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from . import __version__
from .errors import StoreError
from .store import Store

ExportFormat = Literal["gdelt", "plover", "parquet", "csv"]
EXPORT_FORMATS: tuple[str, ...] = ("gdelt", "plover", "parquet", "csv")

# The 61 columns of the GDELT 2.0 event table, in order (GDELT Event Codebook 2.0).
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
)

# CAMEO actor codes whose first three letters are a type that a known group follows
# ("IGOUNO": an IGO, the United Nations).
_GROUP_TYPES = frozenset({"IGO", "NGO", "IMG", "MNC", "NGM", "UIS", "INT"})

QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}

# PLOVER contexts a CAMEO code's own name states ("Provide economic aid" -> economic).
_CONTEXT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("economic", ("economic", "econom", "sanction", "embargo", "boycott", "trade")),
    ("military", ("military", "troops", "weapons", "arms", "blockade")),
    ("legal", ("judicial", "legal")),
    ("intelligence", ("intelligence",)),
    ("humanitarian", ("humanitarian",)),
    ("peacekeeping", ("peacekeep",)),
    ("rights_freedoms", ("rights", "freedom")),
    ("political_institutions", ("political reform", "institutions", "regime", "leadership")),
)


def split_actor_code(
    code: str | None, country: str | None, sector: str | None
) -> tuple[str, str, list[str]]:
    """Split a CAMEO actor code into GDELT's country, known group and type fields.

    ``KORGOV`` (country KOR) -> country KOR, type GOV; ``IGOUNO`` -> known group UNO, type
    IGO. A code without type letters takes the actor's sector as its type. Returns
    (country, known group, three type codes).
    """
    found_country = country or ""
    group = ""
    chunks = [code[i : i + 3] for i in range(0, len(code), 3)] if code else []
    if chunks and country and chunks[0] == country:
        chunks.pop(0)
    elif chunks and not country and chunks[0] not in _GROUP_TYPES and len(chunks) == 1:
        found_country = chunks.pop(0)  # a bare three-letter code is a state
    if chunks and chunks[0] in _GROUP_TYPES and len(chunks) > 1:
        group = chunks[1]
        types = [chunks[0], *chunks[2:]]
    else:
        types = chunks
    if not types and sector:
        types = [sector]
    return found_country, group, [*types, "", "", ""][:3]


def _actor_fields(
    code: str | None, name: str | None, country: str | None, sector: str | None
) -> list[str]:
    found_country, group, types = split_actor_code(code, country, sector)
    return [
        code or "",
        (name or "").upper(),
        found_country,
        group,
        "",  # ethnic code: not coded
        "",  # religion 1
        "",  # religion 2
        *types,
    ]


def global_event_id(group_id: str) -> int:
    """A stable integer id for an event group (GDELT ids are integers)."""
    return int(hashlib.sha256(group_id.encode("utf-8")).hexdigest()[:15], 16)


def fraction_date(day: date) -> str:
    """GDELT's FractionDate: YEAR + (MONTH * 30 + DAY) / 365, four decimals."""
    return f"{day.year + (day.month * 30 + day.day) / 365:.4f}"


def _num(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _place(members: list[dict[str, Any]]) -> dict[str, Any] | None:
    for m in members:
        if m.get("place_name"):
            return m
    return None


def _added(members: list[dict[str, Any]]) -> str:
    stamps = [m["ingested_at"] for m in members if isinstance(m.get("ingested_at"), datetime)]
    return min(stamps).strftime("%Y%m%d%H%M%S") if stamps else ""


def gdelt_row(group: dict[str, Any]) -> list[str]:
    """One GDELT 2.0 event-table row (61 fields) for an event group."""
    members: list[dict[str, Any]] = group["members"]
    first = members[0]
    raw_date = group.get("date") or first.get("article_date")
    day = date.fromisoformat(raw_date) if raw_date else None
    row: list[str] = [
        str(global_event_id(group["group_id"])),
        day.strftime("%Y%m%d") if day else "",
        day.strftime("%Y%m") if day else "",
        str(day.year) if day else "",
        fraction_date(day) if day else "",
    ]
    row += _actor_fields(
        first.get("source_code"),
        first.get("source_name") or first.get("source_text"),
        first.get("source_country"),
        first.get("source_sector"),
    )
    if first.get("has_target"):
        row += _actor_fields(
            first.get("target_code"),
            first.get("target_name") or first.get("target_text"),
            first.get("target_country"),
            first.get("target_sector"),
        )
    else:
        row += [""] * 10
    cameo = str(group.get("cameo") or "")
    row += [
        _num(bool(group.get("is_root"))),
        cameo,
        cameo[:3],
        str(group.get("root") or cameo[:2]),
        _num(group.get("quad_class")),
        _num(group.get("goldstein")),
        str(group["num_mentions"]),
        str(group["num_sources"]),
        str(group["num_articles"]),
        "",  # AvgTone: realpolitik does not score tone
    ]
    # Actor geography is not coded: type 0 and empty fields, as GDELT writes them.
    row += ["0", "", "", "", "", "", "", ""] * 2
    place = _place(members)
    if place is None:
        row += ["0", "", "", "", "", "", "", ""]
    else:
        has_point = place.get("lat") is not None and place.get("lon") is not None
        row += [
            "4" if has_point else "1",
            str(place["place_name"]),
            "",  # GDELT geo country codes are FIPS 10-4; realpolitik keeps ISO codes elsewhere
            "",
            "",
            _num(place.get("lat")),
            _num(place.get("lon")),
            "",
        ]
    row += [_added(members), str(first["article_id"])]
    if len(row) != len(GDELT_COLUMNS):  # a programming error, never a data error
        raise AssertionError(f"GDELT row has {len(row)} fields, not {len(GDELT_COLUMNS)}")
    return row


def _clean(text: str) -> str:
    # A tab or newline inside a field would break GDELT's one-line, tab-separated rows.
    return " ".join(text.split())


def contexts(cameo: str) -> list[str]:
    """PLOVER contexts that the CAMEO code's own definition names (empty when none)."""
    from .events import ontology

    try:
        name = ontology.get(cameo).name.lower()
    except KeyError:
        return []
    return [ctx for ctx, words in _CONTEXT_WORDS if any(w in name for w in words)]


def _actors(members: list[dict[str, Any]], side: str) -> list[dict[str, Any]]:
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for m in members:
        if side == "target" and not m.get("has_target"):
            continue
        entry = {
            "name": m.get(f"{side}_name") or m.get(f"{side}_text"),
            "text": m.get(f"{side}_text"),
            "code": m.get(f"{side}_code"),
            "country": m.get(f"{side}_country"),
            "sector": m.get(f"{side}_sector"),
            "kind": m.get(f"{side}_kind"),
            "title": m.get(f"{side}_role"),
        }
        seen.setdefault((entry["name"], entry["code"], entry["country"]), entry)
    return list(seen.values())


def plover_event(group: dict[str, Any]) -> dict[str, Any]:
    """One event in PLOVER JSON, POLECAT style: actor and recipient lists, type, mode, context."""
    members: list[dict[str, Any]] = group["members"]
    place = _place(members)
    quad = group.get("quad_class")
    return {
        "event_id": str(global_event_id(group["group_id"])),
        "event_date": group.get("date") or members[0].get("article_date"),
        "event_type": group.get("plover"),
        "event_mode": group.get("plover_mode") or None,
        "event_context": contexts(str(group.get("cameo") or "")),
        "quad_code": quad,
        "quad": QUAD_NAMES.get(int(quad)) if quad is not None else None,
        "goldstein": group.get("goldstein"),
        "cameo": group.get("cameo"),
        "actor": _actors(members, "source"),
        "recipient": _actors(members, "target"),
        "location": {
            "placename": place["place_name"],
            "country": place.get("place_country"),
            "lat": place.get("lat"),
            "lon": place.get("lon"),
        }
        if place
        else None,
        "num_mentions": group["num_mentions"],
        "num_sources": group["num_sources"],
        "num_articles": group["num_articles"],
        "mentions": [
            {
                "article_id": m["article_id"],
                "event_id": m["id"],
                "source": m.get("publisher"),
                "date": m.get("date"),
                "date_precision": m.get("date_precision"),
                "text": m.get("text"),
                "start": m.get("start"),
                "end": m.get("end"),
                "modality": m.get("modality"),
                "coder": m.get("coder"),
                "rule": m.get("rule"),
                "confidence": m.get("confidence"),
            }
            for m in members
        ],
        "version": f"realpolitik/{__version__}",
    }


def _codable(groups: Iterable[dict[str, Any]], *, plover: bool) -> list[dict[str, Any]]:
    # GDELT and PLOVER record what happened: a negated report ("did not attack") is no event,
    # and PLOVER has no type for CAMEO's 01 statements.
    return [g for g in groups if not g.get("negated") and (g.get("plover") or not plover)]


def write_gdelt(groups: Iterable[dict[str, Any]], out: Path) -> int:
    """Write GDELT 2.0 event rows: tab-separated, no header, one line per event."""
    rows = 0
    with out.open("w", encoding="utf-8", newline="") as fh:
        for group in _codable(groups, plover=False):
            fh.write("\t".join(_clean(v) for v in gdelt_row(group)) + "\n")
            rows += 1
    return rows


def write_plover(groups: Iterable[dict[str, Any]], out: Path) -> int:
    """Write PLOVER events: a JSON array for ``.json``, else one object per line (JSONL)."""
    events = [plover_event(g) for g in _codable(groups, plover=True)]
    with out.open("w", encoding="utf-8") as fh:
        if out.suffix == ".json":
            json.dump(events, fh, ensure_ascii=False, indent=1, default=str)
            fh.write("\n")
        else:
            for event in events:
                fh.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")
    return len(events)


TABLES = ("events", "actors", "quotes", "articles")


def write_tables(
    store: Store, groups: list[dict[str, Any]], folder: Path, fmt: str
) -> dict[str, int]:
    """Write each table to ``folder/NAME.parquet`` or ``.csv``; returns rows per file."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}

    def write(name: str, reader: Any) -> None:
        path = folder / f"{name}.{fmt}"
        rows = 0
        schema = reader.schema
        if fmt == "parquet":
            with pq.ParquetWriter(path, schema, compression="zstd") as writer:
                for batch in reader:
                    writer.write_batch(batch)
                    rows += batch.num_rows
        else:
            with pacsv.CSVWriter(path, schema) as writer:
                for batch in reader:
                    writer.write_batch(batch)
                    rows += batch.num_rows
        written[path.name] = rows

    for name in TABLES:
        write(name, store.table_batches(name, flat=fmt == "csv"))
    group_rows = [{k: v for k, v in g.items() if k != "members"} for g in groups]
    member_rows = [
        {"group_id": g["group_id"], "event_id": m["id"], "article_id": m["article_id"]}
        for g in groups
        for m in g["members"]
    ]
    for name, rows in (("event_groups", group_rows), ("event_group_members", member_rows)):
        table = (
            pa.Table.from_pylist(rows)
            if rows
            else pa.table({"group_id": pa.array([], pa.string())})
        )
        write(name, pa.RecordBatchReader.from_batches(table.schema, table.to_batches()))
    return written


def export(
    db: str | Path, fmt: ExportFormat, out: str | Path, *, window: int = 1
) -> dict[str, int]:
    """Export the store at ``db`` as ``fmt`` to ``out``; returns rows written per file.

    ``gdelt`` and ``plover`` write one file; ``parquet`` and ``csv`` a folder of tables.
    Events are grouped across articles with a ``window`` of days first.
    """
    if fmt not in EXPORT_FORMATS:
        raise StoreError(
            f"unknown export format {fmt!r}", hint=f"use one of {', '.join(EXPORT_FORMATS)}"
        )
    out = Path(out)
    with Store(db, read_only=True) as store:
        groups = store.event_groups(window)
        if fmt == "gdelt":
            out.parent.mkdir(parents=True, exist_ok=True)
            return {out.name: write_gdelt(groups, out)}
        if fmt == "plover":
            out.parent.mkdir(parents=True, exist_ok=True)
            return {out.name: write_plover(groups, out)}
        return write_tables(store, groups, out, fmt)
