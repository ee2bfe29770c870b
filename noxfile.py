"""Developer tasks: ``nox -s tests lint typecheck docs`` (what CI runs), ``demo``, ``bench``."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck", "docs"]

# What the tests need beyond the package: the integrations they exercise.
TEST_DEPS = (
    "pytest>=8",
    "hypothesis>=6.100",
    "uvicorn>=0.30",
    "taskiq>=0.11",
    "opentelemetry-sdk>=1.20",
)
nox.options.reuse_existing_virtualenvs = True

PYTHON = None  # the interpreter nox runs under; CI pins nothing else


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The test suite, warnings as errors."""
    session.install("-e", ".[fastapi,otel,uvloop,jobs]", *TEST_DEPS)
    session.run("python", "-W", "error", "-m", "pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff: lint rules and formatting."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package."""
    # exceptiongroup: the Python 3.10 branch of the code imports it (anyio brings it there).
    session.install("-e", ".[fastapi,otel,jobs]", "mypy>=1.10", "pytest>=8", "exceptiongroup")
    session.run("mypy", "--strict", "lanying_async")


# The docs site (mkdocs.yml, docs/, docsgen/) and its browser tests (docs_tests/).
DOCS_DEPS = (
    "mkdocs>=1.6",
    "mkdocs-material>=9.5",
    "mkdocstrings>=0.27",
    "mkdocstrings-python>=1.13",
    "mkdocs-autorefs>=1.3",
    "pymdown-extensions>=10.7",
    "ruff>=0.6",  # mkdocstrings wraps long signatures with it
    "playwright>=1.45",
    "pytest>=8",
)


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the site (any warning fails), then test it in headless Chromium.

    The build runs the CLI page's commands against an emulator. The browser tests need
    Debian's Chromium (`apt-get install -y chromium`); they skip without it, except under
    CI=true. Screenshots go to build/docs-screenshots/. `nox -s docs -- -k search` passes
    arguments to pytest.
    """
    session.install("-e", ".[jobs]", *DOCS_DEPS)
    quiet = {"NO_MKDOCS_2_WARNING": "1"}  # the theme's banner about its successor
    session.run("mkdocs", "build", "--strict", "--site-dir", "site", env=quiet)
    session.run(
        "python",
        "-W",
        "error",
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "docs_tests",
        *session.posargs,
        env={"LANYING_DOCS_SITE": "site"},
    )


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """The guide's flow against the embedded emulator."""
    session.install("-e", ".")
    session.run("lanying", "demo")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks on loopback servers; prints and writes benchmarks/results.md.

    ``nox -s bench -- --profile quick`` for a shorter run (see benchmarks/README.md).
    """
    import sys

    # The baselines the SDK is measured against: installed here, never package dependencies.
    session.install("-e", ".[jobs]", "requests", "httpx", "pydantic")
    if sys.platform != "win32":  # uvloop has no Windows build; measured where it installs
        session.install("uvloop")
    session.run("python", "-m", "benchmarks.run", *session.posargs)
