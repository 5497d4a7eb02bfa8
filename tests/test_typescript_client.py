"""TypeScript types generated from the served `/openapi.json` by openapi-typescript compile
under `tsc --strict`, and a small usage file typed against them compiles too: create
(structured and raw), bulk import, list, read, the change feed, a webhook subscription and a
problem. Lines marked `@ts-expect-error` prove the types are real (a wrong shape must not
compile), not `any`.

The toolchain comes from the npm registry into a folder of its own (pytest's cache folder,
or `TS_CLIENT_DIR`); without node and npm, or when the install is refused, the test skips
and says why."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.core.config import Settings
from app.main import create_app

pytestmark = pytest.mark.slow

TOOLS = ["openapi-typescript@7.13.0", "typescript@5.9.3"]

USAGE = """
import type { components, paths } from "./api";

type Schemas = components["schemas"];
type Json<T> = T extends { content: { "application/json": infer B } } ? B : never;

const structured: Schemas["ArticleCreate"] = {
  title: "Ferry crossings resume on the Dnipro",
  body: "Ferry crossings on the Dnipro resumed on Monday.",
  url: "https://river-ledger.example/ferries",
  source: "River Ledger",
};
const raw: Schemas["RawArticleCreate"] = { text: "Generators arrive\\n\\nHill Courier\\n\\nText." };
const created: Json<paths["/v1/articles"]["post"]["requestBody"]> = raw;

const bulk: Json<paths["/v1/articles/bulk"]["post"]["requestBody"]> = [structured, raw];
type BulkResults = Json<paths["/v1/articles/bulk"]["post"]["responses"][200]>;
function storedIds(results: BulkResults): string[] {
  return results.flatMap((r) => (r.status === "created" && r.id ? [r.id] : []));
}

type ArticlePage = Json<paths["/v1/articles"]["get"]["responses"][200]>;
type ArticleRead = Json<paths["/v1/articles/{article_id}"]["get"]["responses"][200]>;
function titles(page: ArticlePage): string[] {
  return page.data.map((a) => a.title);
}
function terms(article: ArticleRead): [string | null | undefined, string | null | undefined] {
  return [article.licence, article.attribution];
}
const query: paths["/v1/articles"]["get"]["parameters"]["query"] = { limit: 10 };

type ChangePage = Json<paths["/v1/changes"]["get"]["responses"][200]>;
function resume(page: ChangePage): string {
  return page.next_cursor;
}

const hook: Json<paths["/v1/webhooks"]["post"]["requestBody"]> = {
  url: "https://hooks.relief-desk.example/in",
  events: ["article.*"],
};
type Problem = Schemas["Problem"];
function explain(p: Problem): string {
  return `${p.status} ${p.title}`;
}

// @ts-expect-error: an article needs its body
const noBody: Schemas["ArticleCreate"] = { title: "x" };
// @ts-expect-error: the bulk body is an array, not one article
const notAnArray: Json<paths["/v1/articles/bulk"]["post"]["requestBody"]> = structured;
// @ts-expect-error: a page's data is an array of articles
const wrongPage: ArticlePage = { data: "none" };

export { bulk, created, explain, hook, noBody, notAnArray, query, resume, storedIds, terms };
export { titles, wrongPage };
"""


def _run(args: list[str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def toolchain(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose node_modules/.bin holds openapi-typescript and tsc."""
    npm = shutil.which("npm")
    if shutil.which("node") is None or npm is None:
        pytest.skip("node and npm are not installed: the TypeScript client is not checked")
    given = os.environ.get("TS_CLIENT_DIR")
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    if given:
        folder = Path(given)
        folder.mkdir(parents=True, exist_ok=True)
    elif cache is not None:
        folder = cache.mkdir("ts-client-tools")
    else:
        folder = tmp_path_factory.mktemp("ts-client-tools")
    bins = folder / "node_modules" / ".bin"
    if not ((bins / "openapi-typescript").exists() and (bins / "tsc").exists()):
        (folder / "package.json").write_text('{"private": true}\n')
        install = _run(
            [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", *TOOLS], folder, 600
        )
        if install.returncode != 0:
            pytest.skip(f"openapi-typescript could not be installed: {install.stderr[-500:]}")
    return folder


def test_generated_typescript_types_compile_and_type_a_client(
    toolchain: Path, tmp_path: Path
) -> None:
    app = create_app(
        Settings(environment="test", database_url=f"sqlite:///{tmp_path / 'unused.db'}")
    )
    document = TestClient(app).get("/openapi.json")
    assert document.status_code == 200
    (tmp_path / "openapi.json").write_text(json.dumps(document.json()))
    bins = toolchain / "node_modules" / ".bin"
    generate = _run(
        [
            str(bins / "openapi-typescript"),
            "openapi.json",
            "--output",
            "api.d.ts",
            # Defaulted request fields stay optional (the server fills them in).
            "--default-non-nullable",
            "false",
        ],
        tmp_path,
    )
    assert generate.returncode == 0, generate.stdout + generate.stderr
    assert "warn" not in (generate.stdout + generate.stderr).lower(), generate.stderr
    (tmp_path / "usage.ts").write_text(USAGE)
    compiled = _run(
        [
            str(bins / "tsc"),
            "--noEmit",
            "--strict",
            "--target",
            "es2022",
            "--module",
            "esnext",
            "--moduleResolution",
            "bundler",
            "usage.ts",
        ],
        tmp_path,
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
