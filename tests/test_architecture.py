"""The layering the README and docs/architecture.md describe, checked: the import contracts
of pyproject.toml (`[tool.importlinter]`), and the size limits of modules and functions
(app/extraction has its own)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
APP = REPO_ROOT / "app"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def _modules() -> list[Path]:
    return sorted(p for p in APP.rglob("*.py") if "extraction" not in p.relative_to(APP).parts)


def test_import_contracts_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    cli = pytest.importorskip("importlinter.cli")
    monkeypatch.chdir(REPO_ROOT)
    status = cli.lint_imports(
        config_filename=str(REPO_ROOT / "pyproject.toml"), no_cache=True, no_logo=True
    )
    assert status == 0, "an import contract is broken: run `lint-imports` for the details"


def test_modules_stay_small() -> None:
    long = {
        str(p.relative_to(REPO_ROOT)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_functions_stay_short() -> None:
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(REPO_ROOT)}:{node.name}"] = size
    assert long == {}


def test_development_tools_live_outside_the_package() -> None:
    assert not (APP / "extraction" / "gazetteer_build.py").exists()
    assert not (APP / "services" / "synthetic.py").exists()
    assert (REPO_ROOT / "scripts" / "gazetteer_build.py").exists()
