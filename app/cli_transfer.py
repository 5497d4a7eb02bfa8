"""`conflict-news export` and `conflict-news sync`: data out of this instance, and a mirror of
another one into it. Registered on the CLI by `app/cli.py` (`register(cli)`)."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from contextlib import nullcontext
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from app.core.errors import AppError
from app.schemas.filters import (
    ArticleFilter,
    ListParams,
    LocationFilter,
    QuoteFilter,
    SourceFilter,
    SpeakerFilter,
    StatisticFilter,
)
from app.services import article_reads, changes_mirror, listing, locations, quotes, sources
from app.services import speakers as speaker_service
from app.services import statistics as statistic_service

console = Console(stderr=True, soft_wrap=True)

# Every list, with the filter model its route takes (`GET /v1/<name>`).
LISTS: dict[str, tuple[listing.ListEndpoint[Any], type[ListParams]]] = {
    "articles": (article_reads.ARTICLES, ArticleFilter),
    "quotes": (quotes.QUOTES, QuoteFilter),
    "statistics": (statistic_service.STATISTICS, StatisticFilter),
    "speakers": (speaker_service.SPEAKERS, SpeakerFilter),
    "sources": (sources.SOURCES, SourceFilter),
    "locations": (locations.LOCATIONS, LocationFilter),
}
_NOT_OPTIONS = frozenset({"limit", "cursor", "format"})


class Format(StrEnum):
    ndjson = "ndjson"
    csv = "csv"


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def _export(name: str, filters: ListParams, fmt: str, output: Path | None) -> int:
    """Stream the list to `output` (stdout: None); returns the rows written."""
    from app.cli import _database

    endpoint, _ = LISTS[name]
    database = _database()
    rows = 0
    try:
        # The filters are checked here, as the route checks them, before a file is opened.
        chunks = listing.export_rows(endpoint, filters, database, fmt)
        sink: Any = output.open("wb") if output else nullcontext(sys.stdout.buffer)
        with sink as out, _progress() as progress:
            task = progress.add_task(f"exporting {name}", total=None)
            for n, chunk in enumerate(chunks):
                out.write(chunk)
                if fmt == "csv" and n == 0:
                    continue  # the header, alone in the first chunk
                # Every other chunk is a batch of rows, one line each (a CRLF inside a cell
                # would count twice: cleaned bodies hold none).
                done = chunk.count(b"\n") if fmt == "ndjson" else chunk.count(b"\r\n")
                rows += done
                progress.advance(task, done)
            out.flush()
    finally:
        database.dispose()
    return rows


def _invalid(errors: list[tuple[list[Any], str]], exc: Exception) -> NoReturn:
    """Name each refused filter as its option (`--published-from`), then exit 2."""
    for loc, msg in errors:
        where = "--" + "-".join(str(p) for p in loc).replace("_", "-")
        console.print(f"[red]invalid[/red] {where}: {msg}")
    raise typer.Exit(2) from exc


def _export_command(name: str, model: type[ListParams]) -> Callable[..., None]:
    """A command whose options are the list's filters (`--source-id`, `--published-from`...):
    the same names, checks and meanings as the query parameters of `GET /v1/<name>`."""
    fields = {k: f for k, f in model.model_fields.items() if k not in _NOT_OPTIONS}

    def command(**options: Any) -> None:
        fmt, output = str(options.pop("fmt")), options.pop("output")
        sent = {k: v for k, v in options.items() if v is not None}
        try:
            filters = model.model_validate(sent)
        except ValidationError as exc:
            _invalid([(list(e["loc"]), e["msg"]) for e in exc.errors()], exc)
        try:
            rows = _export(name, filters, fmt, output)
        except AppError as exc:  # a filter only the data can judge (an unknown unit)
            found = exc.errors or [{"loc": ["query"], "msg": exc.detail}]
            _invalid([(list(e["loc"])[1:], e["msg"]) for e in found], exc)
        console.print(f"{rows} {name} exported" + (f" to {output}" if output else ""))

    params = [
        inspect.Parameter(
            key,
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[str | None, typer.Option(help=field.description or key)],
        )
        for key, field in fields.items()
    ]
    params += [
        inspect.Parameter(
            "fmt",
            inspect.Parameter.KEYWORD_ONLY,
            default=Format.ndjson,
            annotation=Annotated[Format, typer.Option("--format", help="ndjson or csv.")],
        ),
        inspect.Parameter(
            "output",
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[
                Path | None, typer.Option("--output", "-o", help="A file (default: stdout).")
            ],
        ),
    ]
    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__doc__ = (
        f"Every {name.rstrip('s')} matching the filters, as NDJSON or CSV, with a progress "
        f"bar (on stderr). The options are the filters of GET /v1/{name}."
    )
    return command


def sync(
    url: Annotated[str, typer.Argument(help="The remote instance, e.g. https://news.example")],
    key: Annotated[
        str | None,
        typer.Option(envvar="SYNC_API_KEY", help="A read key of the remote, if it needs one."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Changes per request.")] = 500,
    restart: Annotated[
        bool, typer.Option(help="Forget the stored cursor and read the feed from the start.")
    ] = False,
) -> None:
    """Mirror a remote instance into this database through its public change feed
    (GET /v1/changes?include=document), keeping every id. The remote's cursor is stored
    with each page applied, so a second run (or one after a crash) goes on from there."""
    from app.cli import _database
    from app.core import migrate
    from app.core.config import get_settings

    if not url.lower().startswith(("http://", "https://")):
        console.print("[red]the remote must be an http(s) URL[/red]")
        raise typer.Exit(2)
    migrate.upgrade(get_settings().database_url)
    database = _database()
    applied = requests = 0
    try:
        with database.transaction(write=True) as session:
            cursor = None if restart else changes_mirror.cursor_of(session, url)
        with _progress() as progress:
            task = progress.add_task(f"syncing {url}", total=None)
            for page in changes_mirror.pages(url, cursor, limit, key):
                requests += 1
                with database.transaction(write=True) as session:
                    done = changes_mirror.apply_page(session, url, page)
                applied += done
                progress.advance(task, done)
    except AppError as exc:
        console.print(f"[red]sync stopped[/red]: {exc.detail}")
        raise typer.Exit(1) from exc
    finally:
        database.dispose()
    typer.echo(f"{applied} changes applied in {requests} requests; up to date with {url}")


def register(cli: typer.Typer) -> None:
    """Add `export <list>` and `sync` to the CLI."""
    export_cli = typer.Typer(help="Export any list as NDJSON or CSV.", no_args_is_help=True)
    for name, (_, model) in LISTS.items():
        export_cli.command(name)(_export_command(name, model))
    cli.add_typer(export_cli, name="export")
    cli.command()(sync)
