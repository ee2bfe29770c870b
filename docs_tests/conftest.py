"""Fixtures of the docs-site tests: the built site, served on 127.0.0.1, and a headless Chromium.

Run by `nox -s docs` after it builds the site, or by hand:
`mkdocs build --strict && python -m pytest docs_tests`. They are not part of the
main suite (`tests/`), which needs no browser. The browser is Debian's Chromium
(`apt-get install -y chromium`), driven by Playwright for Python; without it these
tests skip, saying how to install it, except under `CI=true`, where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "build" / "docs-screenshots"
INSTALL_HINT = (
    "the docs-site browser tests need Debian's Chromium and Playwright for Python: "
    "apt-get install -y chromium && pip install playwright"
)


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} ({INSTALL_HINT})")
    pytest.skip(f"{reason}: {INSTALL_HINT}")


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built site: `$LANYING_DOCS_SITE`, else `site/`, built here when it is missing."""
    site = Path(os.environ.get("LANYING_DOCS_SITE", ROOT / "site"))
    if not (site / "index.html").is_file():
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
            cwd=ROOT,
            check=True,
        )
    return site


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """The site served by `python -m http.server` on a free port of 127.0.0.1."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=site_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(url, timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"http.server did not answer on {url}") from None
                time.sleep(0.05)  # polling for the server to listen, bounded by the deadline
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def chromium_path() -> str | None:
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed")
    executable = chromium_path()
    if executable is None:
        _missing("no chromium on PATH")
    with sync_playwright() as playwright:
        # Debian's Chromium: Playwright's own browser download is not used.
        launched = playwright.chromium.launch(executable_path=executable, headless=True)
        try:
            yield launched
        finally:
            launched.close()


class Tab:
    """A browser page that remembers every console error and uncaught exception."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        return response

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=False)
        return path


@pytest.fixture
def tab(browser: Any, site_url: str) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        opened = Tab(context.new_page(), site_url)
        yield opened
        assert opened.errors == [], opened.errors
    finally:
        context.close()
