"""NDJSON and CSV streams of any list, in constant memory: rows are read in batches with a
server-side cursor (`yield_per`); the session's identity map holds rows weakly, so a batch
is freed once it is written."""

from __future__ import annotations

import csv
import io
import types
import typing
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Select
from sqlalchemy.orm import Session

BATCH = 500
# Nested lists of quotes/statistics do not flatten into a cell; NDJSON carries them.
CSV_SKIP = frozenset({"quotes", "statistics"})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Render = Callable[[Session, list[Any]], list[BaseModel]]


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        for arg in typing.get_args(annotation):
            found = _model_of(arg)
            if found is not None:
                return found
    return None


def csv_columns(model: type[BaseModel], skip: frozenset[str] = CSV_SKIP) -> list[str]:
    """Flat column names: nested objects become `parent_child` (`source_name`, and
    `article_source_name` a level down); a name met twice is one column (`article_id`)."""
    columns: list[str] = []
    for name, field in model.model_fields.items():
        if name in skip:
            continue
        nested = _model_of(field.annotation)
        if nested is not None and typing.get_origin(field.annotation) is not list:
            columns += [f"{name}_{sub}" for sub in csv_columns(nested, skip)]
        else:
            columns.append(name)
    return list(dict.fromkeys(columns))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, list):
        parts = [
            str(v.get("name") or v.get("text") or v.get("id")) if isinstance(v, dict) else str(v)
            for v in value
        ]
        value = "; ".join(parts)
    text = str(value)
    # Spreadsheets run cells that start like a formula: neutralise them.
    return "'" + text if text.startswith(_FORMULA_START) else text


def flatten(doc: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in doc.items():
        if isinstance(value, dict):
            for sub, inner in flatten(value).items():
                flat[f"{key}_{sub}"] = inner
        else:
            flat[key] = value
    return flat


def stream(
    sessions: Callable[[], AbstractContextManager[Session]],
    statement: Select[Any],
    render: Render,
    fmt: str,
    model: type[BaseModel],
) -> Iterator[bytes]:
    """Yield the whole result of `statement` as NDJSON lines or CSV rows."""
    columns = csv_columns(model)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if fmt == "csv":
        writer.writerow(columns)
        yield buffer.getvalue().encode()
    with sessions() as session:
        result = session.execute(statement.execution_options(yield_per=BATCH))
        for partition in result.partitions():
            rows = [row[0] if len(row) == 1 else row for row in partition]
            items = render(session, rows)
            if fmt == "ndjson":
                yield b"".join(
                    item.model_dump_json(exclude_unset=True).encode() + b"\n" for item in items
                )
            else:
                buffer.seek(0)
                buffer.truncate()
                for item in items:
                    flat = flatten(item.model_dump(mode="json"))
                    writer.writerow([_cell(flat.get(c)) for c in columns])
                yield buffer.getvalue().encode()
