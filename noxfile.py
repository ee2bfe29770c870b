"""Developer tasks: ``nox -s tests lint typecheck`` (what CI runs), ``nox -s demo``."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True

PYTHON = None  # the interpreter nox runs under; CI pins nothing else


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The test suite, warnings as errors."""
    session.install("-e", ".", "pytest>=8")
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
    session.install("-e", ".", "mypy>=1.10", "pytest>=8", "exceptiongroup")
    session.run("mypy", "--strict", "lanying_async")


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """The guide's flow against the embedded emulator."""
    session.install("-e", ".")
    session.run("lanying", "demo")
