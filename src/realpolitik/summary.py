"""Human-readable summaries of results and stores (used by ``code --format table`` and ``demo``)."""

from __future__ import annotations

from collections import Counter

from .records import Result
from .store import Store


def _clip(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def result_table(result: Result) -> str:
    """A plain-text report of one coded article."""
    art = result.article
    lines = [f"== {art.id} ({art.date or 'no date'}) {art.title or ''}".rstrip()]
    lines.append(f"-- actors ({len(result.actors)})")
    for a in result.actors:
        variants = sorted({m.text for m in a.mentions})
        lines.append(
            f"  {a.id:>4} {a.name:<32} {a.kind:<12} {a.code or '-':<8} "
            f"{a.role or '':<24} {len(a.mentions)}x  {_clip(' | '.join(variants), 60)}"
        )
    names = {a.id: a.name for a in result.actors}
    lines.append(f"-- events ({len(result.events)})")
    for e in result.events:
        tgt = e.target.code or e.target.text if e.target else "-"
        flags = "".join(
            [" NEG" if e.negated else "", f" [{e.modality}]" if e.modality != "asserted" else ""]
        )
        lines.append(
            f"  {e.date or '?':<10} {e.source.code or e.source.text:<8} {e.cameo:<5} "
            f"{e.plover:<10} {tgt:<8} {e.goldstein:+5.1f}{flags}  «{_clip(e.text, 70)}»"
        )
    lines.append(f"-- quotations ({len(result.quotes)})")
    for q in result.quotes:
        who = names.get(q.speaker or "", q.speaker_text)
        lines.append(f"  {who:<24} {q.kind:<8} {q.cue:<12} «{_clip(q.text, 70)}»")
    for err in result.errors:
        lines.append(f"!! {err.stage}: {err.message}")
    return "\n".join(lines)


def store_summary(store: Store, *, top: int = 12) -> str:
    """A plain-text overview of everything in a store."""
    counts = store.counts()
    lines = [
        f"realpolitik store {store.path}: {counts['articles']} articles, {counts['actors']} "
        f"actors, {counts['events']} events, {counts['quotes']} quotations"
    ]
    actor_rows = store.actors()
    by_code = Counter(r["code"] or r["name"] for r in actor_rows for _ in range(r["mentions"]))
    lines.append("\nMost-mentioned actors (code: mentions)")
    lines += [f"  {code:<12} {n}" for code, n in by_code.most_common(top)]
    people = [r for r in actor_rows if r["kind"] == "person"]
    lines.append(f"\nPeople ({len(people)})")
    lines += [
        f"  {r['name']:<28} {r['country'] or '?':<4} {r['sector'] or '':<4} {r['role'] or ''}"
        for r in people
    ]
    events = store.events()
    lines.append(f"\nEvents by PLOVER type ({len(events)})")
    for plover, n in Counter(e["plover"] for e in events).most_common():
        lines.append(f"  {plover:<12} {n}")
    lines.append("\nSample events")
    for e in events[:top]:
        lines.append(
            f"  {e['date'] or '?':<10} {e['source_code'] or e['source_text']:<8} {e['cameo']:<5}"
            f" {e['plover']:<10} {e['target_code'] or e['target_text'] or '-':<8}"
            f" «{_clip(e['text'], 60)}»"
        )
    quotes = store.quotes()
    lines.append(f"\nQuotations ({len(quotes)})")
    for q in quotes[:top]:
        lines.append(f"  {q['speaker_text']:<26} {q['kind']:<8} «{_clip(q['text'], 70)}»")
    return "\n".join(lines)
