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


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """The API reference, generated from the docstrings; any warning fails the build."""
    session.install("-e", ".", "mkdocs>=1.5", "mkdocstrings[python]>=0.24")
    session.run("mkdocs", "build", "--strict", "--site-dir", "site")


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
