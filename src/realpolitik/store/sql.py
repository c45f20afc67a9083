"""SQL fragments that the queries (:mod:`.query`) and the serving tables (:mod:`.serving`)
share, so that both spell an actor's key, an event's parties and the page orders alike.

An actor is identified across articles by its *key*: the CAMEO-style code of a state or
organization, or the name of a person (or of anything without a code).
"""

from __future__ import annotations

# Events per directed dyad and period (parameters: period unit, level, level); see Store.dyads.
DYADS_SQL = """
            WITH ev AS (
                SELECT e.*, COALESCE(e.date, a.date) AS day,
                       sa.name AS s_name, sa.kind AS s_kind, ta.name AS t_name, ta.kind AS t_kind
                FROM events e
                JOIN articles a ON a.id = e.article_id
                LEFT JOIN actors sa ON sa.article_id = e.article_id AND sa.id = e.source_actor
                LEFT JOIN actors ta ON ta.article_id = e.article_id AND ta.id = e.target_actor
                WHERE e.has_target AND NOT COALESCE(e.negated, false)
                  AND COALESCE(e.modality, 'asserted') IN ('asserted', 'reported')
            ), keyed AS (
                SELECT CAST(date_trunc(?, day) AS DATE) AS period,
                       CASE WHEN ? = 'country'
                            THEN COALESCE(NULLIF(source_country, ''),
                                          CASE WHEN COALESCE(s_kind, '') <> 'person'
                                               THEN NULLIF(source_code, '') END)
                            ELSE COALESCE(NULLIF(s_name, ''), NULLIF(source_code, ''),
                                          NULLIF(source_text, '')) END AS source,
                       CASE WHEN ? = 'country'
                            THEN COALESCE(NULLIF(target_country, ''),
                                          CASE WHEN COALESCE(t_kind, '') <> 'person'
                                               THEN NULLIF(target_code, '') END)
                            ELSE COALESCE(NULLIF(t_name, ''), NULLIF(target_code, ''),
                                          NULLIF(target_text, '')) END AS target,
                       quad_class, goldstein
                FROM ev)
            SELECT period, source, target, count(*) AS events,
                   count(*) FILTER (WHERE quad_class = 1) AS quad1,
                   count(*) FILTER (WHERE quad_class = 2) AS quad2,
                   count(*) FILTER (WHERE quad_class = 3) AS quad3,
                   count(*) FILTER (WHERE quad_class = 4) AS quad4,
                   sum(goldstein) AS goldstein_sum, avg(goldstein) AS goldstein_mean
            FROM keyed
            WHERE source IS NOT NULL AND target IS NOT NULL AND source <> target
            GROUP BY period, source, target
"""


def actor_key(alias: str) -> str:
    return (
        f"CASE WHEN {alias}.kind <> 'person' AND {alias}.code IS NOT NULL "
        f"THEN {alias}.code ELSE {alias}.name END"
    )


# The events filter joins each participant's actor row, so the key of an event's participant
# is its actor's key, or the code or mention text when the coder found no actor.
SOURCE_KEY = f"coalesce({actor_key('sa')}, e.source_code, e.source_text)"
TARGET_KEY = (
    f"CASE WHEN e.has_target THEN coalesce({actor_key('ta')}, e.target_code, e.target_text) END"
)
EVENT_JOINS = (
    " LEFT JOIN actors sa ON sa.article_id = e.article_id AND sa.id = e.source_actor"
    " LEFT JOIN actors ta ON ta.article_id = e.article_id AND ta.id = e.target_actor"
)
EVENT_SORTS = {
    "date": "e.date NULLS LAST, e.article_id, e.start, e.id",
    "-date": "e.date DESC NULLS LAST, e.article_id, e.start, e.id",
    "goldstein": "e.goldstein, e.date NULLS LAST, e.article_id, e.start, e.id",
    "-goldstein": "e.goldstein DESC, e.date NULLS LAST, e.article_id, e.start, e.id",
}


# One row per actor key from (filtered) rows of rp_actor_rows: the figures /api/actors shows.
ACTOR_TOTALS = """
SELECT a.key,
       mode(a.name ORDER BY a.article_id, a.id) AS name,
       mode(a.kind ORDER BY a.article_id, a.id) AS kind,
       mode(a.code ORDER BY a.article_id, a.id) AS code,
       mode(a.country ORDER BY a.article_id, a.id) AS country,
       coalesce(list(DISTINCT a.role ORDER BY a.role)
                FILTER (WHERE a.role IS NOT NULL), []) AS roles,
       count(DISTINCT a.article_id) AS articles,
       CAST(sum(a.mentions) AS INTEGER) AS mentions,
       CAST(sum(a.as_source) AS INTEGER) AS as_source,
       CAST(sum(a.as_target) AS INTEGER) AS as_target,
       CAST(sum(a.quotes) AS INTEGER) AS quotes
FROM rp_actor_rows a{clause}
GROUP BY a.key
"""


# Each events sort as a position column of rp_events (1 = first row in that order).
EVENT_POSITIONS = {
    "date": "pos_date",
    "-date": "pos_rdate",
    "goldstein": "pos_goldstein",
    "-goldstein": "pos_rgoldstein",
}
