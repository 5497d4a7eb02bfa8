#!/usr/bin/env python3
"""Check in a real headless Chromium that /docs (Swagger UI) and /redoc work fully offline.

Usage:
    python scripts/check_docs_offline.py BASE_URL [--chromium PATH] [--screenshots DIR]
        [--timeout SECONDS] [--list-requests]

BASE_URL is a running API, e.g. http://127.0.0.1:8000. For each page the check:

- records every request the page makes and flags any whose host is not this machine
  (loopback or BASE_URL's own host), any request that failed and any HTTP error response;
- reports console errors, uncaught exceptions and Content-Security-Policy violations;
- checks that every operation in BASE_URL/openapi.json is rendered (Swagger UI: one
  `.opblock` per operation; ReDoc: each operation's heading);
- on /docs, runs "Try it out" / "Execute" on GET /v1/articles and expects a 200 JSON
  response to be shown; on /redoc, runs a search (ReDoc searches in a blob: worker).

Chromium is started with a host-resolver rule that makes every other host unresolvable, so
nothing can leave the machine even if a page tried. Needs the `playwright` Python package
but not its browser downloads: it drives an installed Chromium (Debian: `apt-get install
chromium`). Prints one line per problem plus a summary; exits 1 on any problem, 2 when the
check itself could not run.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import sys
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

try:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Locator,
        Page,
        Request,
        Response,
        sync_playwright,
    )
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # pragma: no cover - depends on the environment
    sys.stderr.write(
        "check_docs_offline: needs the 'playwright' package (pip install playwright);\n"
        "no browser download is needed, pass --chromium PATH to an installed Chromium.\n"
    )
    raise SystemExit(2) from None

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
TRY_METHOD = "get"
TRY_PATH = "/v1/articles"
NON_NETWORK_SCHEMES = frozenset({"data", "blob", "about"})
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# Runs in every document before the page's scripts; reports CSP violations to Python.
CSP_LISTENER_JS = """
document.addEventListener("securitypolicyviolation", (e) => {
  if (typeof window.__reportCspViolation === "function") {
    window.__reportCspViolation({
      directive: e.effectiveDirective || e.violatedDirective,
      blocked: e.blockedURI,
      source: e.sourceFile,
      line: e.lineNumber,
      disposition: e.disposition,
    });
  }
});
"""


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    label: str  # what ReDoc titles it with: summary, else operationId, else the path

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


@dataclass
class PageResult:
    name: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def problem(self, text: str) -> None:
        self.problems.append(text)


@dataclass
class PageRun:
    """What a page check works with."""

    page: Page
    base: str
    operations: list[Operation]
    result: PageResult
    screenshots: Path | None

    def screenshot(self, suffix: str = "", element: Locator | None = None) -> None:
        if self.screenshots is None:
            return
        path = self.screenshots / f"{self.result.name.strip('/')}{suffix}.png"
        if element is None:
            self.page.evaluate("window.scrollTo(0, 0)")
            self.page.screenshot(path=str(path))
        else:
            element.screenshot(path=str(path))
        self.result.notes.append(f"screenshot {path}")


class Recorder:
    """Collects what one browser context does: requests, failures, console, CSP."""

    def __init__(self, context: BrowserContext, local_hosts: frozenset[str]) -> None:
        self._local_hosts = local_hosts
        self.requests: list[Request] = []
        self.failures: dict[Request, str] = {}
        self.statuses: dict[Request, int] = {}
        self.console_errors: list[tuple[str, str]] = []  # (text, where)
        self.page_errors: list[str] = []
        self.csp_violations: list[dict[str, Any]] = []
        # Playwright wraps handlers by setting an attribute: plain functions, not builtins.
        context.on("request", self._on_request)
        context.on("requestfailed", self._on_failed)
        context.on("response", self._on_response)
        context.expose_function("__reportCspViolation", self._on_csp_violation)
        context.add_init_script(CSP_LISTENER_JS)

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _on_request(self, request: Request) -> None:
        self.requests.append(request)

    def _on_csp_violation(self, violation: dict[str, Any]) -> None:
        self.csp_violations.append(violation)

    def _on_failed(self, request: Request) -> None:
        self.failures[request] = request.failure or "unknown error"

    def _on_response(self, response: Response) -> None:
        self.statuses[response.request] = response.status

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location
            where = location["url"]
            if location["lineNumber"] or location["columnNumber"]:
                where += f":{location['lineNumber'] + 1}"  # Playwright counts lines from 0
            self.console_errors.append((message.text, where))

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in NON_NETWORK_SCHEMES:
            return True
        host = (parts.hostname or "").lower()
        if host in self._local_hosts or host == "localhost" or host.endswith(".localhost"):
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False

    def report(self, result: PageResult) -> None:
        off_machine = 0
        reported_urls: set[str] = set()
        for request in self.requests:
            failure = self.failures.get(request)
            status = self.statuses.get(request)
            what = f"{request.method} {request.url} ({request.resource_type})"
            outcome = f"failed: {failure}" if failure else f"HTTP {status or '-'}"
            result.requests.append(f"{what}: {outcome}")
            if not self.is_local(request.url):
                off_machine += 1
                result.problem(f"off-machine request: {what}, {outcome}")
                reported_urls.add(request.url)
            elif failure or (status or 0) >= 400:
                result.problem(f"failed request: {what}, {outcome}")
                reported_urls.add(request.url)
        for violation in self.csp_violations:
            source = f" in {violation['source']}:{violation['line']}" if violation["source"] else ""
            mode = " (report-only)" if violation["disposition"] == "report" else ""
            result.problem(
                f"CSP violation{mode}: {violation['directive']} blocked {violation['blocked']}"
                f"{source}"
            )
        for text, where in self.console_errors:
            # The browser also logs each CSP violation and failed load reported above.
            if self.csp_violations and "Content Security Policy" in text:
                continue
            if text.startswith("Failed to load resource") and where in reported_urls:
                continue
            result.problem(f"console error: {text}" + (f" ({where})" if where else ""))
        for text in self.page_errors:
            result.problem(f"uncaught exception: {text}")
        result.notes.append(f"{len(self.requests)} requests, {off_machine} off-machine")


def fetch_operations(base: str, timeout: float) -> list[Operation]:
    with urllib.request.urlopen(f"{base}/openapi.json", timeout=timeout) as response:
        spec = json.load(response)
    operations = []
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                label = operation.get("summary") or operation.get("operationId") or path
                operations.append(Operation(method, path, label.strip()))
    return operations


def css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def swagger_operation(page: Page, method: str, path: str) -> Locator:
    summary_path = page.locator(f".opblock-summary-path[data-path={css_string(path)}]")
    return page.locator(f".opblock.opblock-{method}").filter(has=summary_path)


def check_swagger(run: PageRun) -> None:
    page, operations, result = run.page, run.operations, run.result
    page.goto(f"{run.base}/docs")
    try:
        page.wait_for_selector(".swagger-ui .opblock")
    except PlaywrightTimeout:
        errors = page.locator(".swagger-ui .errors-wrapper").all_inner_texts()
        result.problem("no operation rendered" + (f": {' '.join(errors)}" if errors else ""))
        return
    page.wait_for_load_state("networkidle")
    run.screenshot()

    rendered = page.locator(".swagger-ui .opblock").count()
    result.notes.append(f"{rendered}/{len(operations)} operations (.opblock)")
    if rendered != len(operations):
        result.problem(f"{rendered} .opblock elements for {len(operations)} operations")
    for operation in operations:
        if swagger_operation(page, operation.method, operation.path).count() == 0:
            result.problem(f"operation not rendered: {operation}")

    try_it_out(run)


def try_it_out(run: PageRun) -> None:
    page, result = run.page, run.result
    name = f"{TRY_METHOD.upper()} {TRY_PATH}"
    block = swagger_operation(page, TRY_METHOD, TRY_PATH)
    if block.count() != 1:
        result.problem(f"try it out: {name} is not on the page")
        return
    if "is-open" not in (block.get_attribute("class") or ""):
        block.locator(".opblock-summary").first.click()
    toggle = block.locator("button.try-out__btn")  # "Cancel" once try-it-out is on
    if toggle.inner_text().strip() == "Try it out":
        toggle.click()
    with page.expect_response(
        lambda response: (
            response.request.method == TRY_METHOD.upper()
            and urlsplit(response.url).path == urlsplit(run.base + TRY_PATH).path
        )
    ) as caught:
        block.locator("button.execute").click()
    response = caught.value
    content_type = response.headers.get("content-type", "")
    if response.status != 200 or "json" not in content_type:
        result.problem(f"try it out: {name} answered {response.status} {content_type}")

    live = block.locator(".live-responses-table tbody tr.response").first
    try:
        live.wait_for()
    except PlaywrightTimeout:
        result.problem(f"try it out: no response shown for {name}")
        return
    shown_status = live.locator(".response-col_status").inner_text().strip()
    shown_body = live.locator(".response-col_description pre").first.inner_text()
    try:
        json.loads(shown_body)
    except ValueError:
        result.problem(f"try it out: the response body shown for {name} is not JSON")
        return
    if shown_status != "200":
        result.problem(f"try it out: the page shows status {shown_status} for {name}")
        return
    result.notes.append(f"try it out {name} -> 200 JSON shown")
    run.screenshot("-try-it-out", block)


def check_redoc(run: PageRun) -> None:
    page, operations, result = run.page, run.operations, run.result
    page.goto(f"{run.base}/redoc")
    try:
        page.wait_for_selector(".redoc-wrap .api-content h2")
    except PlaywrightTimeout:
        text = page.locator("body").inner_text().strip()
        result.problem("ReDoc rendered no operation" + (f": {text[:200]}" if text else ""))
        return
    page.wait_for_load_state("networkidle")
    run.screenshot()

    headings = Counter(
        heading.strip()
        for heading in page.locator(".redoc-wrap .api-content h2").all_text_contents()
    )
    expected = Counter(operation.label for operation in operations)
    found = 0
    for label, count in expected.items():
        found += min(count, headings[label])
        if headings[label] < count:
            missing = [str(op) for op in operations if op.label == label]
            result.problem(f"operation not rendered: {label!r} ({', '.join(missing)})")
    result.notes.append(f"{found}/{len(operations)} operations (headings)")

    if operations:
        search_redoc(page, operations[0].label, result)


def search_redoc(page: Page, term: str, result: PageResult) -> None:
    search = page.locator('.redoc-wrap input[placeholder="Search..."]')
    if search.count() == 0:
        result.problem("ReDoc search box missing")
        return
    search.fill(term)
    hits = page.locator('[data-role="search:results"] li')
    try:
        hits.first.wait_for()
    except PlaywrightTimeout:
        result.problem(f"ReDoc search for {term!r} found nothing")
        return
    result.notes.append(f"search {term!r}: {hits.count()} hit(s)")
    search.fill("")


PageCheck = Callable[[PageRun], None]


def run_page(
    browser: Browser,
    name: str,
    check: PageCheck,
    base: str,
    operations: list[Operation],
    timeout_ms: float,
    screenshots: Path | None,
) -> PageResult:
    result = PageResult(name)
    local_hosts = frozenset({(urlsplit(base).hostname or "").lower()})
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(timeout_ms)
    try:
        recorder = Recorder(context, local_hosts)
        page = context.new_page()
        recorder.watch(page)
        try:
            check(PageRun(page, base, operations, result, screenshots))
            page.wait_for_load_state("networkidle")
        except PlaywrightError as error:
            result.problem(f"check aborted: {error.message.splitlines()[0]}")
        recorder.report(result)
    finally:
        context.close()
    return result


def resolver_rules(base: str) -> str:
    """Every host name fails to resolve, except loopback and BASE_URL's own host."""
    keep = ["127.0.0.1", "localhost"]
    host = urlsplit(base).hostname
    if host and host not in keep:
        keep.append(host)
    return ", ".join(["MAP * ~NOTFOUND", *(f"EXCLUDE {name}" for name in keep)])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("base_url", metavar="BASE_URL", help="e.g. http://127.0.0.1:8000")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium binary")
    parser.add_argument("--screenshots", type=Path, metavar="DIR", help="save PNGs here")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per step")
    parser.add_argument(
        "--list-requests", action="store_true", help="also print every request each page made"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    base = args.base_url.rstrip("/")
    try:
        operations = fetch_operations(base, args.timeout)
    except (OSError, ValueError) as error:
        sys.stderr.write(f"check_docs_offline: cannot read {base}/openapi.json: {error}\n")
        return 2
    if args.screenshots is not None:
        args.screenshots.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=args.chromium,
                args=[*CHROMIUM_ARGS, f"--host-resolver-rules={resolver_rules(base)}"],
            )
        except PlaywrightError as error:
            sys.stderr.write(f"check_docs_offline: cannot start {args.chromium}: {error}\n")
            return 2
        try:
            results = [
                run_page(
                    browser, name, check, base, operations, args.timeout * 1000, args.screenshots
                )
                for name, check in (("/docs", check_swagger), ("/redoc", check_redoc))
            ]
        finally:
            browser.close()

    out = sys.stdout
    for result in results:
        if args.list_requests:
            for line in result.requests:
                out.write(f"{result.name:<7} request {line}\n")
        for problem in result.problems:
            out.write(f"{result.name:<7} PROBLEM {problem}\n")
        status = "FAIL" if result.problems else "ok"
        out.write(f"{result.name:<7} {status:<7} {'; '.join(result.notes)}\n")
    total = sum(len(result.problems) for result in results)
    out.write(
        f"{'FAILED' if total else 'PASSED'}: {total} problem(s), {len(operations)} operations\n"
    )
    return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main())
