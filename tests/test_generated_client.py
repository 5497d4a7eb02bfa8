"""A Python client generated from the served `/openapi.json` by openapi-python-client, used
as an integrator would: create (structured and raw), bulk import, list, read, the change feed,
keys, and a validation problem parsed into its model. Generation must raise no warning.

openapi-python-client pins `typer<0.28` (the app needs a newer one), so it cannot share the
test environment: it lives in a venv of its own, built once in pytest's cache folder from
the package registry (or taken from `CLIENT_GEN_VENV`); the generated client runs there too,
against a real server. Without the generator (no registry, install refused) the tests skip
and say why."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.migrate import upgrade
from tests.dbutil import ENGINES, fresh_database
from tests.live import cli, live_env, serve

GENERATOR = ["openapi-python-client==0.29.1", "httpx==0.28.1", "python-dateutil>=2.8"]
PACKAGE = "conflict_news_api_client"

USE_CLIENT = r"""
import json, sys
from conflict_news_api_client import AuthenticatedClient
from conflict_news_api_client.api.articles import (create_article, get_article, import_articles,
                                                   list_articles)
from conflict_news_api_client.api.changes import list_changes
from conflict_news_api_client.api.keys import create_key, list_key_events, revoke_key, rotate_key
from conflict_news_api_client.models import (ArticleCreate, KeyCreate, KeyCreateScopesItem,
                                             KeyRotate, Problem, RawArticleCreate)
from conflict_news_api_client.types import UNSET

base, key = sys.argv[1], sys.argv[2]
client = AuthenticatedClient(base_url=base, token=key, raise_on_unexpected_status=True)
body = ("Ferry crossings on the Dnipro resumed on Monday. \u201cWe carry bread first,\u201d "
        "said Taras Melnyk, a boat captain. At least 40 families were evacuated.")
out = {}
made = create_article.sync_detailed(client=client, body=ArticleCreate(
    title="Ferry crossings resume on the Dnipro", body=body, source="River Ledger",
    url="https://river-ledger.example/ferries"))
out["structured"] = [int(made.status_code), made.headers.get("location"), made.parsed.id,
                     [q.text for q in made.parsed.quotes]]
raw = create_article.sync(client=client, body=RawArticleCreate(
    text="Generators arrive in Kupiansk\n\nHill Courier\n\nA convoy brought 12 generators to "
         "Kupiansk on Friday, local officials said."))
out["raw"] = [raw.id, raw.title, raw.source.name if raw.source else None]
bad = create_article.sync_detailed(client=client, body=ArticleCreate(title="x", body="y",
                                   url="http://bad.example:port/x"))
out["problem"] = [int(bad.status_code), isinstance(bad.parsed, Problem),
                  [list(e.loc) for e in bad.parsed.errors]]
page = list_articles.sync(client=client, limit=1)
second = list_articles.sync(client=client, limit=1, cursor=page.next_cursor)
out["list"] = [[a.id for a in page.data], [a.id for a in second.data], second.next_cursor]
got = get_article.sync(client=client, article_id=made.parsed.id)
out["read"] = [got.id, got.title, got.body == body, [s.value for s in got.statistics]]
feed = list_changes.sync(client=client)
out["changes"] = [[c.resource, c.id, c.action] for c in feed.data]
batch = import_articles.sync(client=client, body=[
    RawArticleCreate(text="Night shelling in Nikopol\n\nSteppe Herald\n\nAt least 7 homes "
                          "were damaged in Nikopol overnight, the regional governor said."),
    ArticleCreate(title="Ferry crossings resume", body=body, source="River Ledger",
                  url="https://river-ledger.example/ferries"),
    ArticleCreate(title="x", body="y", url="http://bad.example:port/x")])
out["bulk"] = [[r.line, r.status.value, r.id if r.id else None,
                [list(e["loc"]) for e in (r.errors or [])]] for r in batch]
stored = get_article.sync(client=client, article_id=batch[0].id)
out["bulk_read"] = [stored.title, stored.source.name if stored.source else None]
admin = AuthenticatedClient(base_url=base, token=sys.argv[3], raise_on_unexpected_status=True)
made_key = create_key.sync(
    client=admin, body=KeyCreate(name="mirror", scopes=[KeyCreateScopesItem.READ]))
rotated = rotate_key.sync(client=admin, key_id=made_key.id, body=KeyRotate(grace_seconds=0))
revoked = revoke_key.sync(client=admin, key_id=rotated.id)
events = list_key_events.sync(client=admin, key_id=made_key.id)
out["keys"] = [made_key.key.startswith("cn_"), rotated.rotated_from == made_key.id,
               revoked.state.value, [e.action.value for e in events.data]]
print(json.dumps(out))
"""


def _venv_python(folder: Path) -> Path:
    return folder / ("Scripts" if sys.platform == "win32" else "bin") / "python"


@pytest.fixture(scope="module")
def tool_venv(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding the generator (and what the generated client needs)."""
    given = os.environ.get("CLIENT_GEN_VENV")
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    if given:
        folder = Path(given)
    elif cache is not None:
        folder = cache.mkdir("client-gen-venv")
    else:
        folder = tmp_path_factory.mktemp("client-gen-venv")
    python = _venv_python(folder)
    probe = [str(python), "-c", "import openapi_python_client, httpx, dateutil"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return folder
    if given:
        pytest.skip(f"CLIENT_GEN_VENV={given} has no openapi-python-client")
    venv.create(folder, with_pip=True, clear=True)
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", *GENERATOR],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if install.returncode != 0:
        pytest.skip(f"openapi-python-client could not be installed: {install.stderr[-500:]}")
    return folder


@pytest.fixture(scope="module", params=ENGINES)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """A real server on a database of its own, and a read+write key for it."""
    work = tmp_path_factory.mktemp("client")
    with fresh_database(request.param, work) as url:
        upgrade(url)
        env = live_env(url)
        keys = [
            cli(["keys", "create", "--name", "generated client", "--scopes", scopes], env, work)
            .strip()
            .splitlines()[-1]
            for scopes in ("read,write", "admin")
        ]
        with serve(env, work) as base:
            yield base, keys[0], keys[1]


@pytest.fixture(scope="module")
def generated(
    tool_venv: Path, server: tuple[str, str, str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str]:
    """The client package generated from the served document, and the generator's output."""
    out = tmp_path_factory.mktemp("generated") / PACKAGE
    bindir = _venv_python(tool_venv).parent
    # The generator formats its output with ruff (a dev dependency, beside this Python):
    # without it on PATH it says so with a warning.
    path = os.pathsep.join([str(bindir), str(Path(sys.executable).parent), os.environ["PATH"]])
    env = {**os.environ, "PATH": path}
    run = subprocess.run(
        [
            str(bindir / "openapi-python-client"),
            "generate",
            "--url",
            f"{server[0]}/openapi.json",
            "--meta",
            "none",
            "--output-path",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return out, run.stdout + run.stderr


def _warned_operations(log: str) -> set[str]:
    """`METHOD /path` of every operation the generator warned about."""
    ops = set()
    for line in log.splitlines():
        if line.startswith("WARNING parsing "):
            method, path = line.removeprefix("WARNING parsing ").split()[:2]
            ops.add(f"{method} {path}")
    return ops


def test_the_generator_warns_about_nothing(generated: tuple[Path, str]) -> None:
    out, log = generated
    assert _warned_operations(log) == set(), log
    assert "warning" not in log.lower(), log
    modules = {p.stem for p in (out / "api").rglob("*.py")}
    assert {"create_article", "update_article", "list_articles", "get_article"} <= modules
    assert {"list_changes", "extract_text", "import_articles"} <= modules


def test_the_generated_client_creates_lists_reads_and_follows_the_feed(
    tool_venv: Path, server: tuple[str, str, str], generated: tuple[Path, str]
) -> None:
    base, key, admin_key = server
    out, _ = generated
    run = subprocess.run(
        [str(_venv_python(tool_venv)), "-c", USE_CLIENT, base, key, admin_key],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(out.parent)},
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    got = json.loads(run.stdout)
    status, location, made_id, quotes = got["structured"]
    assert (status, location) == (201, f"/v1/articles/{made_id}")
    assert quotes == ["We carry bread first,"]
    raw_id, raw_title, raw_source = got["raw"]
    assert (raw_title, raw_source) == ("Generators arrive in Kupiansk", "Hill Courier")
    assert got["problem"] == [422, True, [["body", "url"]]]
    first, second, last_cursor = got["list"]
    assert sorted(first + second) == sorted([made_id, raw_id])
    assert last_cursor is None
    assert got["read"] == [made_id, "Ferry crossings resume on the Dnipro", True, [40]]
    articles = [c for c in got["changes"] if c[0] == "article"]
    assert articles == [["article", made_id, "created"], ["article", raw_id, "created"]]
    assert got["keys"] == [True, True, "revoked", ["rotated", "created"]]
    # Bulk import through the generated client: a JSON array in, one result per item out.
    imported, duplicate, refused = got["bulk"]
    assert imported[:2] == [1, "created"]
    assert duplicate == [2, "duplicate", made_id, []]
    assert refused == [3, "error", None, [["url"]]]
    assert got["bulk_read"] == ["Night shelling in Nikopol", "Steppe Herald"]
