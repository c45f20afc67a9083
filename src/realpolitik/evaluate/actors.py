"""Evaluate actor coding on the PLOVER gold standard records (``PLOVER_GSR_CAMEO.json``).

Input: a JSON list of records (the first may be a ``DOCUMENT`` record, which is skipped)::

    {"id", "date", "text", "textInfo": {"markup"},
     "source": [{"actorText", "code", "sector"?}], "target": [...] | "" | null, ...}

``code`` is a CAMEO country code (older ones such as ``JAP`` are mapped to ISO alpha-3 by
:data:`realpolitik.actors.petrarch.OLD_COUNTRY_CODES`) or ``IGO``/``NGO``/``IMG``;
``sector`` is a CAMEO sector, sometimes with a suffix (``CVLalb``), or ``***`` (unknown).

Protocol (every count is reported):

* **Units.** Each gold actor of each record is one unit, in its role (source or target);
  a record with two gold sources gives two source units. A role given as ``""``, ``null``
  or a bare word (``"diplomatic"``) has no units.
* **Locating.** The gold ``actorText`` is found in the sentence: exactly (the occurrence
  that the markup tags, when it occurs more than once), else ignoring case and spacing,
  else by fuzzy alignment (rapidfuzz ``partial_ratio`` >= 80).
* **Aligning**, two protocols, each scored on its own:

  - ``actors``: the predicted actor with a mention overlapping the gold span; when several
    overlap, the one whose mention ends last (English noun phrases are head-final:
    "NATO-member Norway" is Norway), then the longer overlap. This measures recognition.
  - ``events``: a participant, in the same role, of a predicted event whose text overlaps
    the gold span (first such event in order). This measures the whole pipeline.

  When the gold text cannot be located (or is empty), the fallbacks are the participant in
  that role of the first event, then an actor whose country matches the gold code; both are
  counted separately (``aligned_by``).
* **Values.** *Country*: the ISO code of the predicted actor, else the first three letters
  of its code (``IGO``, ``NGO``, ``IMG``, ``MNC``). *Sector*: the actor's sector (for
  ``events`` the sector of the participant's code, else of its actor); a sector equal to
  the non-state prefix (``IGO`` for an ``IGO`` actor) is the prefix, not a sector, and
  counts as none. Gold sectors are cut to three letters and mapped as the importer maps
  them (``CIV`` -> CVL, ``JRN`` -> MED, religions -> REL). *Joint*: country + sector
  (``GBRGOV``, ``NOR``).
* **Scores** per role and value: ``gold`` = units with a gold value; ``predicted`` = units
  whose aligned prediction has a value; ``correct`` = equal values. Precision =
  correct / predicted, recall = correct / gold. Units whose gold sector is ``***`` are left
  out of the sector and joint scores. A gold actor with no sector is the state or body as
  a whole: predicting a sector for it costs precision.

Records on which a pipeline stage failed are counted (``stage_errors``) and flagged in the
report. Run ``realpolitik eval actors PATH [--json FILE]``. The GSR is for evaluation only:
nothing in realpolitik is tuned on it.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from rapidfuzz import fuzz
from spacy.language import Language

from realpolitik.actors.petrarch import code_sector, normalize_country
from realpolitik.errors import EvaluationError
from realpolitik.records import Actor, Article, Participant, Result

__all__ = [
    "ATTRIBUTES",
    "PROTOCOLS",
    "ROLES",
    "ActorEvaluation",
    "GoldActor",
    "GoldRecord",
    "Prediction",
    "Score",
    "align",
    "evaluate_actors",
    "format_report",
    "gold_country",
    "gold_sector",
    "load_gsr",
    "locate",
    "score",
]

Role = Literal["source", "target"]
Protocol = Literal["actors", "events"]
ROLES: tuple[Role, ...] = ("source", "target")
PROTOCOLS: tuple[Protocol, ...] = ("actors", "events")
ATTRIBUTES = ("country", "sector", "joint")

_NON_STATE = frozenset({"IGO", "NGO", "IMG", "MNC"})
_UNKNOWN_SECTOR = "***"
_TAG = re.compile(r"\((?:SRC|TAR|EVT|LOC)(?:/(?:SRC|TAR|EVT|LOC))*:\s*")


# -- gold ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldActor:
    """One gold actor of one record, in one role."""

    role: Role
    text: str
    code: str  # as written in the gold file
    sector: str | None  # as written (None when absent)

    @property
    def country(self) -> str:
        """The gold country key (ISO alpha-3, or the non-state prefix)."""
        return gold_country(self.code)

    @property
    def sector_key(self) -> str | None:
        """The gold sector as realpolitik writes it; ``"***"`` when unknown."""
        return gold_sector(self.sector)


@dataclass(frozen=True, slots=True)
class GoldRecord:
    """One gold sentence."""

    id: str
    text: str
    date: str | None
    markup: str
    actors: tuple[GoldActor, ...]


def gold_country(code: str) -> str:
    """ISO alpha-3 for a gold country code (``JAP`` -> ``JPN``); other codes upper-cased."""
    code = code.strip().upper()
    return normalize_country(code) or code[:3]


def gold_sector(sector: str | None) -> str | None:
    """The realpolitik sector for a gold sector (``CVLalb`` -> CVL, ``JRN`` -> MED);
    ``"***"`` stays ``"***"`` (unknown), None stays None (no sector)."""
    if sector is None or not sector.strip():
        return None
    if sector.strip() == _UNKNOWN_SECTOR:
        return _UNKNOWN_SECTOR
    head = sector.strip()[:3].upper()
    # code_sector reads a code after a country: reuse its mapping with a dummy country.
    return code_sector("USA" + head) or head


def load_gsr(path: str | Path, *, limit: int | None = None) -> list[GoldRecord]:
    """Read the gold file; the first ``limit`` sentence records (DOCUMENT records skipped).

    Raises:
        EvaluationError: the file is missing, not JSON, or not a list of records.
    """
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvaluationError(
            f"{file}: no such file", hint="give the path of the GSR JSON"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvaluationError(
            f"{file}: cannot be read as JSON ({exc})",
            hint="give PLOVER_GSR_CAMEO.json (a JSON list of records)",
        ) from None
    if not isinstance(data, list):
        raise EvaluationError(f"{file}: not a JSON list", hint="give PLOVER_GSR_CAMEO.json")
    records: list[GoldRecord] = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or item.get("event") == "DOCUMENT" or "text" not in item:
            continue
        actors: list[GoldActor] = []
        for role in ROLES:
            value = item.get(role)
            if not isinstance(value, list):
                continue  # "", null or a bare word: no gold actor in this role
            for entry in value:
                if not isinstance(entry, dict) or not entry.get("code"):
                    raise EvaluationError(
                        f"{file}: record {index} ({item.get('id')}), {role}: an actor has no code",
                        hint="each actor needs 'actorText' and 'code'",
                    )
                actors.append(
                    GoldActor(
                        role, entry.get("actorText") or "", entry["code"], entry.get("sector")
                    )
                )
        info = item.get("textInfo")
        # One record gives the markup as a bare string instead of {"markup": ...}.
        markup = info if isinstance(info, str) else (info or {}).get("markup") or ""
        records.append(
            GoldRecord(
                str(item.get("id", index)), item["text"], item.get("date"), markup, tuple(actors)
            )
        )
        if limit is not None and len(records) >= limit:
            break
    return records


def locate(gold: GoldActor, record: GoldRecord) -> tuple[tuple[int, int] | None, str]:
    """The character span of a gold actor's text in the sentence, and how it was found
    (``exact``, ``loose``, ``fuzzy``, or ``none``)."""
    text, needle = record.text, gold.text.strip()
    if not needle:
        return None, "none"
    starts = [m.start() for m in re.finditer(re.escape(needle), text)]
    if starts:
        start = _tagged_occurrence(starts, needle, gold.role, record.markup)
        return (start, start + len(needle)), "exact"
    words = [re.escape(w) for w in re.split(r"[\s.]+", needle) if w]
    if words:
        match = re.search(r"[\s.]*".join(words), text, flags=re.IGNORECASE)
        if match:
            return (match.start(), match.end()), "loose"
    alignment = fuzz.partial_ratio_alignment(needle.lower(), text.lower())
    if alignment is not None and alignment.score >= 80:
        return (alignment.dest_start, alignment.dest_end), "fuzzy"
    return None, "none"


def _tagged_occurrence(starts: list[int], needle: str, role: Role, markup: str) -> int:
    # Several occurrences: count those before the tagged one in the markup (the markup is the
    # sentence with tags inserted, so occurrences keep their order).
    if len(starts) == 1 or not markup:
        return starts[0]
    tag = "SRC" if role == "source" else "TAR"
    for match in _TAG.finditer(markup):
        if tag in match.group(0) and markup.startswith(needle, match.end()):
            before = len(re.findall(re.escape(needle), markup[: match.end()]))
            return starts[min(before, len(starts) - 1)]
    return starts[0]


# -- alignment ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prediction:
    """What a protocol aligned to one gold actor (all None when nothing was aligned)."""

    country: str | None = None
    sector: str | None = None
    text: str | None = None
    aligned_by: str = "none"  # overlap | first_event | code_match | none

    @property
    def joint(self) -> str | None:
        """Country and sector as one code (``GBRGOV``), or None when nothing was aligned."""
        return None if self.country is None else self.country + (self.sector or "")


def _country_key(code: str | None, country: str | None) -> str | None:
    if country:
        return country
    if code:
        return normalize_country(code[:3]) or code[:3].upper()
    return None


def _clean_sector(country: str | None, sector: str | None) -> str | None:
    # An IGO actor's "sector" IGO restates its prefix; it is not a sector of the body.
    if sector is None or (country in _NON_STATE and sector == country):
        return None
    return sector


def _from_actor(actor: Actor, text: str, how: str) -> Prediction:
    country = _country_key(actor.code, actor.country)
    return Prediction(country, _clean_sector(country, actor.sector), text, how)


def _from_participant(part: Participant, actors: dict[str, Actor], how: str) -> Prediction:
    actor = actors.get(part.actor or "")
    country = _country_key(part.code, part.country) or (
        _country_key(actor.code, actor.country) if actor else None
    )
    sector = code_sector(part.code) if part.code else None
    if sector is None and actor is not None:
        sector = actor.sector
    return Prediction(country, _clean_sector(country, sector), part.text, how)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _participant_span(
    part: Participant, result: Result, event_start: int
) -> tuple[int, int] | None:
    # Participants carry text, not offsets: find the text in the event's sentence.
    if not part.text:
        return None
    at = result.article.text.find(part.text, event_start)
    if at < 0:
        at = result.article.text.find(part.text)
    return None if at < 0 else (at, at + len(part.text))


def align(
    gold: GoldActor, span: tuple[int, int] | None, result: Result, protocol: Protocol
) -> Prediction:
    """The prediction a protocol aligns to a gold actor (see the module docstring)."""
    actors = {a.id: a for a in result.actors}
    if span is not None:
        if protocol == "actors":
            best: tuple[int, int, Actor, str] | None = None
            for actor in result.actors:
                for mention in actor.mentions:
                    shared = _overlap(span, (mention.start, mention.end))
                    if shared and (best is None or (mention.end, shared) > best[:2]):
                        best = (mention.end, shared, actor, mention.text)
            if best is not None:
                return _from_actor(best[2], best[3], "overlap")
        else:
            for event in result.events:
                part = event.source if gold.role == "source" else event.target
                if part is None:
                    continue
                where = _participant_span(part, result, event.start)
                if where is not None and _overlap(span, where):
                    return _from_participant(part, actors, "overlap")
        return Prediction()
    # The gold text could not be found in the sentence: fall back.
    for event in result.events[:1]:
        part = event.source if gold.role == "source" else event.target
        if part is not None:
            return _from_participant(part, actors, "first_event")
    for actor in result.actors:
        if _country_key(actor.code, actor.country) == gold.country:
            return _from_actor(actor, actor.name, "code_match")
    return Prediction()


# -- scoring ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Score:
    """Counts for one (protocol, role, attribute)."""

    gold: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        """correct / predicted (0 when nothing was predicted)."""
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """correct / gold (0 when there is no gold)."""
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class ActorEvaluation:
    """Scores, errors and counts of one evaluation run."""

    records: int = 0
    units: Counter[str] = field(default_factory=Counter)  # role -> gold actors
    located: Counter[str] = field(default_factory=Counter)  # exact/loose/fuzzy/none
    aligned_by: Counter[tuple[str, str]] = field(default_factory=Counter)  # (protocol, how)
    unknown_sector: int = 0  # gold units with sector "***"
    stage_errors: Counter[str] = field(default_factory=Counter)  # stage -> records it failed on
    scores: dict[tuple[str, str, str], Score] = field(default_factory=dict)
    errors: Counter[tuple[str, str, str, str, str]] = field(default_factory=Counter)
    examples: dict[tuple[str, str, str, str, str], str] = field(default_factory=dict)
    seconds: float = 0.0

    def score_of(self, protocol: str, role: str, attribute: str) -> Score:
        """The :class:`Score` of one cell (created empty when absent)."""
        return self.scores.setdefault((protocol, role, attribute), Score())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: scores, counts and the error list."""
        return {
            "records": self.records,
            "units": dict(self.units),
            "located": dict(self.located),
            "aligned_by": {f"{p}:{h}": n for (p, h), n in sorted(self.aligned_by.items())},
            "unknown_sector": self.unknown_sector,
            "stage_errors": dict(self.stage_errors),
            "seconds": round(self.seconds, 2),
            "scores": [
                {
                    "protocol": p,
                    "role": r,
                    "attribute": a,
                    "gold": s.gold,
                    "predicted": s.predicted,
                    "correct": s.correct,
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                }
                for (p, r, a), s in sorted(self.scores.items())
            ],
            "errors": [
                {
                    "protocol": k[0],
                    "role": k[1],
                    "attribute": k[2],
                    "gold": k[3],
                    "predicted": k[4],
                    "count": n,
                    "example": self.examples.get(k, ""),
                }
                for k, n in self.errors.most_common()
            ],
        }


def score(records: Sequence[GoldRecord], results: Sequence[Result]) -> ActorEvaluation:
    """Score predicted results against gold records (paired in order)."""
    if len(records) != len(results):
        raise ValueError(f"{len(records)} gold records but {len(results)} results")
    evaluation = ActorEvaluation(records=len(records))
    for record, result in zip(records, results, strict=True):
        for stage in {e.stage for e in result.errors}:
            evaluation.stage_errors[stage] += 1
        for gold in record.actors:
            evaluation.units[gold.role] += 1
            span, how = locate(gold, record)
            evaluation.located[how] += 1
            unknown = gold.sector_key == _UNKNOWN_SECTOR
            if unknown:
                evaluation.unknown_sector += 1
            for protocol in PROTOCOLS:
                pred = align(gold, span, result, protocol)
                evaluation.aligned_by[(protocol, pred.aligned_by)] += 1
                _count(evaluation, protocol, gold, pred, unknown, record)
    return evaluation


def _count(
    evaluation: ActorEvaluation,
    protocol: str,
    gold: GoldActor,
    pred: Prediction,
    unknown_sector: bool,
    record: GoldRecord,
) -> None:
    gold_sector_value = None if unknown_sector else gold.sector_key
    gold_joint = gold.country + (gold_sector_value or "")
    cells: list[tuple[str, str | None, str | None]] = [("country", gold.country, pred.country)]
    if not unknown_sector:
        cells.append(("sector", gold_sector_value, pred.sector if pred.country else None))
        cells.append(("joint", gold_joint, pred.joint))
    for attribute, gold_value, pred_value in cells:
        cell = evaluation.score_of(protocol, gold.role, attribute)
        cell.gold += gold_value is not None
        cell.predicted += pred_value is not None
        if gold_value is not None and gold_value == pred_value:
            cell.correct += 1
        elif gold_value is not None or pred_value is not None:
            key = (protocol, gold.role, attribute, gold_value or "-", pred_value or "-")
            evaluation.errors[key] += 1
            evaluation.examples.setdefault(
                key, f"{record.id}: gold {gold.text!r}, predicted {pred.text!r}"
            )


def evaluate_actors(
    path: str | Path,
    *,
    nlp: Language | None = None,
    limit: int | None = None,
    date: str | None = "gold",
) -> ActorEvaluation:
    """Run the real pipeline on every gold sentence and score its actors.

    ``date``: ``"gold"`` passes each record's date (the GSR gives 2000-01-01 throughout),
    None passes no date, anything else is used for every record.
    """
    from realpolitik.pipeline import code_articles

    records = load_gsr(path, limit=limit)
    began = time.perf_counter()
    articles = [
        Article(id=r.id, text=r.text, date=(r.date if date == "gold" else date)) for r in records
    ]
    results = list(code_articles(articles, nlp=nlp))
    evaluation = score(records, results)
    evaluation.seconds = time.perf_counter() - began
    return evaluation


def format_report(evaluation: ActorEvaluation, *, errors: int = 25) -> str:
    """A plain-text report: scores per protocol, role and value, then the top errors."""
    lines = [
        f"records {evaluation.records}; gold actors: "
        + ", ".join(f"{role} {evaluation.units[role]}" for role in ROLES)
        + f"; gold text located: {dict(evaluation.located)}; "
        f"sector '***' (left out of sector/joint): {evaluation.unknown_sector}; "
        f"{evaluation.seconds:.1f} s",
        "aligned by: "
        + ", ".join(f"{p}/{h} {n}" for (p, h), n in sorted(evaluation.aligned_by.items())),
    ]
    if evaluation.stage_errors:
        lines.append(
            "WARNING: pipeline stages failed (records): "
            + ", ".join(f"{k} {n}" for k, n in sorted(evaluation.stage_errors.items()))
            + " - their scores are not meaningful"
        )
    lines += [
        "",
        f"{'protocol':9} {'role':7} {'value':8} {'gold':>5} {'pred':>5} {'ok':>5} "
        f"{'P':>6} {'R':>6} {'F1':>6}",
    ]
    for protocol in PROTOCOLS:
        for role in ROLES:
            for attribute in ATTRIBUTES:
                s = evaluation.scores.get((protocol, role, attribute))
                if s is None:
                    continue
                lines.append(
                    f"{protocol:9} {role:7} {attribute:8} {s.gold:5d} {s.predicted:5d} "
                    f"{s.correct:5d} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}"
                )
    lines += [
        "",
        "most frequent joint-code errors, protocol actors (gold -> predicted, '-' = none):",
    ]
    lines += _error_lines(evaluation, "actors", errors)
    lines += ["", "most frequent joint-code errors, protocol events:"]
    lines += _error_lines(evaluation, "events", errors)
    return "\n".join(lines)


def _error_lines(evaluation: ActorEvaluation, protocol: str, limit: int) -> list[str]:
    rows = [
        (k, n) for k, n in evaluation.errors.most_common() if k[0] == protocol and k[2] == "joint"
    ]
    out = []
    for key, count in rows[:limit]:
        _, role, _, gold, pred = key
        example = evaluation.examples[key]
        out.append(f"{count:4d}  {role:6} {gold:>9} -> {pred:<9}  e.g. {example}")
    return out or ["   (none)"]
