"""The "bytes limit" of bench/run.py: a minimal FastAPI endpoint that answers every URL with
the response bytes our API gave for it, recorded beforehand in a SQLite file
(`response(url PRIMARY KEY, body, content_type)`), one indexed read per request. Nothing is
computed: it is what serving our exact responses costs on this stack, the ceiling a route
can reach (issue 15).

    BENCH_BYTES_DB=/tmp/responses.db .venv/bin/uvicorn bench.limit_app:app --port 8102 \
        --loop uvloop --http httptools --no-access-log
"""

from __future__ import annotations

import os
import sqlite3

from fastapi import FastAPI, Request, Response

app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
_conn = sqlite3.connect(os.environ.get("BENCH_BYTES_DB", ":memory:"), check_same_thread=False)


@app.get("/health")
async def health() -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")


@app.get("/{path:path}")
async def replay(path: str, request: Request) -> Response:
    url = request.scope["raw_path"].decode("latin-1")  # exactly as recorded and sent
    if request.scope["query_string"]:
        url += "?" + request.scope["query_string"].decode("latin-1")
    row = _conn.execute("SELECT body, content_type FROM response WHERE url = ?", (url,)).fetchone()
    if row is None:
        return Response(b'{"detail":"not recorded"}', status_code=404)
    return Response(row[0], media_type=row[1])
