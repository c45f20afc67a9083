"""The only package that talks to DuckDB: one file holds every article, actor, mention, event
and quotation realpolitik coded.

- :mod:`.schema`: the tables (DDL, column lists, layout versions);
- :mod:`.write`: storing results, and the one mapping between records and rows;
- :mod:`.query`: the one query API (events, actors, quotations, articles, dyads, the network's
  inputs), used by the CLI, the web API and the analysis alike, with the actor filters'
  meaning documented there; :mod:`.sql` holds the SQL fragments it shares with
- :mod:`.serving`: the precomputed serving tables (``rp_*``) and their stamp;
- :mod:`.groups`: event mentions grouped into events;
- :mod:`.base`: :class:`Store`, the connection, whose methods lead to the above.
"""

from __future__ import annotations

from .base import Store, reader
from .groups import group_event_mentions
from .query import (
    actor_mentions,
    actor_rows,
    actor_stats,
    analysis_results,
    article_list,
    date_range,
    dumps,
    dyads,
    iter_analysis_results,
    saved_dyads,
    saved_network,
    search_events,
    search_quotes,
)
from .schema import DYAD_LEVELS, DYAD_PERIODS, EVENT_COLUMNS, SCHEMA, SERVING_VERSION
from .serving import prepare_serving, serving_ready, serving_stamp
from .sql import EVENT_SORTS
from .write import bulk_add, ingest_results

__all__ = [
    "DYAD_LEVELS",
    "DYAD_PERIODS",
    "EVENT_COLUMNS",
    "EVENT_SORTS",
    "SCHEMA",
    "SERVING_VERSION",
    "Store",
    "actor_mentions",
    "actor_rows",
    "actor_stats",
    "analysis_results",
    "article_list",
    "bulk_add",
    "date_range",
    "dumps",
    "dyads",
    "group_event_mentions",
    "ingest_results",
    "iter_analysis_results",
    "prepare_serving",
    "reader",
    "saved_dyads",
    "saved_network",
    "search_events",
    "search_quotes",
    "serving_ready",
    "serving_stamp",
]
