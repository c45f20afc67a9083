"""Event groups: the stored event mentions that report one event, like GDELT's event table.

:func:`group_event_mentions` groups rows of :func:`.query.event_mentions`;
:func:`save_event_groups` keeps the groups in the tables ``event_groups`` and
``event_group_members``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from .query import event_mentions, iso_dates
from .schema import GROUP_COLUMNS, GROUP_TABLES, ident

if TYPE_CHECKING:
    from .base import Store


def _group_key(row: dict[str, Any]) -> tuple[str, str, str, bool]:
    """What must be equal for two event mentions to report one event.

    A participant without a code cannot be matched across articles, so it gets a key of its
    own (the mention stays a group of one). One-sided events match other one-sided events.
    """
    own = f"~{row['article_id']}:{row['id']}"
    source = row.get("source_code") or own
    target = (row.get("target_code") or own) if row.get("has_target") else ""
    return (source, target, str(row.get("cameo") or ""), bool(row.get("negated")))


def group_event_mentions(rows: list[dict[str, Any]], window: int = 1) -> list[dict[str, Any]]:
    """Group event mentions that report the same event, like GDELT's event table.

    Mentions with the same source code, target code, CAMEO code and negation are one event
    when their dates lie within ``window`` days of the group's first date (a group never spans
    more than ``window`` days). A mention without a date is a group of its own. Each group has
    ``num_mentions`` (mentions), ``num_articles`` (distinct articles) and ``num_sources``
    (distinct publishers; an article without a publisher counts as its own source), and keeps
    its mention rows, earliest first, under ``members``.
    """
    if window < 0:
        raise StoreError(f"window {window} is negative", hint="give a window of 0 days or more")
    by_key: dict[tuple[str, str, str, bool], list[dict[str, Any]]] = {}
    for row in rows:
        key = _group_key(row)
        if row.get("date") is None:
            key = (f"~{row['article_id']}:{row['id']}", *key[1:])
        by_key.setdefault(key, []).append(row)
    groups: list[dict[str, Any]] = []
    for members in by_key.values():
        members.sort(key=lambda r: (r.get("date") or "", r["article_id"], r["start"], r["id"]))
        current: list[dict[str, Any]] = []
        anchor: date | None = None
        for row in members:
            day = date.fromisoformat(row["date"]) if row.get("date") else None
            if current and (day is None or anchor is None or (day - anchor).days > window):
                groups.append(_make_group(current, window))
                current = []
            if not current:
                anchor = day
            current.append(row)
        if current:
            groups.append(_make_group(current, window))
    groups.sort(key=lambda g: (g["date"] or "9999", g["group_id"]))
    return groups


def _make_group(members: list[dict[str, Any]], window: int) -> dict[str, Any]:
    first = members[0]
    articles = {m["article_id"] for m in members}
    sources = {m.get("publisher") or f"~{m['article_id']}" for m in members}
    return {
        "group_id": first["id"],
        "date": first.get("date"),
        "last_date": members[-1].get("date"),
        "source_code": first.get("source_code"),
        "target_code": first.get("target_code") if first.get("has_target") else None,
        "cameo": first.get("cameo"),
        "root": first.get("root"),
        "plover": first.get("plover"),
        "plover_mode": first.get("plover_mode"),
        "quad_class": first.get("quad_class"),
        "goldstein": first.get("goldstein"),
        "negated": bool(first.get("negated")),
        "num_mentions": len(members),
        "num_sources": len(sources),
        "num_articles": len(articles),
        "is_root": any(bool(m.get("in_lead")) for m in members),
        "first_article_id": first["article_id"],
        "first_event_id": first["id"],
        "window_days": window,
        "members": members,
    }


def event_groups(store: Store, window: int = 1) -> list[dict[str, Any]]:
    """Group the stored events that report one event (see :func:`group_event_mentions`)."""
    return group_event_mentions(event_mentions(store), window)


def save_event_groups(store: Store, window: int = 1) -> tuple[int, int]:
    """Recompute the ``event_groups`` and ``event_group_members`` tables in one transaction.

    Returns (groups, events). Safe to run again at any time: the tables are replaced.
    """
    import pyarrow as pa

    groups = event_groups(store, window)
    group_rows = [{k: v for k, v in g.items() if k != "members"} for g in groups]
    member_rows = [
        {
            "group_id": g["group_id"],
            "event_id": m["id"],
            "article_id": m["article_id"],
            "publisher": m["publisher"],
            "date": m["date"],
        }
        for g in groups
        for m in g["members"]
    ]
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(GROUP_TABLES)
        con.execute("DELETE FROM event_group_members")
        con.execute("DELETE FROM event_groups")
        if group_rows:
            con.register("_rp_groups", pa.Table.from_pylist(group_rows))
            con.execute(
                f"INSERT INTO event_groups ({', '.join(ident(c) for c in GROUP_COLUMNS)}) "
                f"SELECT {', '.join(ident(c) for c in GROUP_COLUMNS)} FROM _rp_groups"
            )
            con.unregister("_rp_groups")
            con.register("_rp_members", pa.Table.from_pylist(member_rows))
            con.execute(
                "INSERT INTO event_group_members "
                "SELECT group_id, event_id, article_id, publisher, CAST(date AS DATE) "
                "FROM _rp_members"
            )
            con.unregister("_rp_members")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(group_rows), len(member_rows)


def saved_event_groups(store: Store) -> list[dict[str, Any]]:
    """The groups last saved by :func:`save_event_groups` (empty if never run)."""
    if not store.has_table("event_groups"):
        return []
    rows = store.rows("SELECT * FROM event_groups ORDER BY date NULLS LAST, group_id")
    return iso_dates(rows, "date", "last_date")
