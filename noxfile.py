"""Developer tasks: ``nox`` runs what CI runs: the suite on every Python the package claims
(``tests``) and on the lowest dependency versions it allows (``lowest``), ``lint``,
``typecheck``, ``docs``, and ``package`` (builds the sdist and the wheel and checks what
they hold). ``demo`` and ``bench`` run on request.

nox looks for ``python3.10`` ... ``python3.13`` on PATH; a Python it cannot find is skipped
(an error under ``CI=true``). With pyenv, ``PYENV_VERSION=3.11.7:3.10.13:3.12.1:3.13.0`` (your
versions, the default one first) makes them all answer, as ``.ci/run`` does.
"""

from __future__ import annotations

import re
import shutil
import tarfile
import zipfile
from pathlib import Path

import nox

nox.options.sessions = ["tests", "lowest", "lint", "typecheck", "docs", "package"]
nox.options.reuse_existing_virtualenvs = True
# uv makes the environments in seconds where it is installed (`pip install nox uv`).
nox.options.default_venv_backend = "uv|virtualenv"

PYTHON = None  # the interpreter nox runs under, for the sessions that need only one
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]  # the classifiers in pyproject.toml

# Every extra, so that the tests of each integration run.
PACKAGE = ".[fastapi,otel,uvloop,jobs]"
# What the tests need beyond the package; their floors are installed by `lowest` too.
TEST_DEPS = (
    "pytest>=8",
    "hypothesis>=6.100",
    "uvicorn>=0.30",
    "opentelemetry-sdk>=1.20",
)


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The test suite, warnings as errors, on each Python the package claims."""
    session.install("-e", PACKAGE, *TEST_DEPS)
    session.run("python", "-W", "error", "-m", "pytest", *session.posargs)


@nox.session(python=[PYTHONS[0], PYTHONS[-1]], reuse_venv=False)
def lowest(session: nox.Session) -> None:
    """The test suite on the lowest version of each dependency that pyproject.toml allows.

    uv's ``lowest-direct`` resolution takes the floor of every direct requirement (the
    package's, its extras', the tests'); what those need comes at its newest. Run on the
    oldest and the newest Python: some floors differ on 3.13 (see pyproject.toml). A new
    environment each time, so nothing newer is left over from an earlier run.
    """
    session.install("uv")
    session.run_install(
        "uv", "pip", "install", "--resolution", "lowest-direct", "-e", PACKAGE, *TEST_DEPS
    )
    session.run("uv", "pip", "freeze")  # the versions under test, in the log
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
    # tomli and exceptiongroup: mypy checks the Python 3.10 branches, which import them.
    session.install(
        "-e", ".[fastapi,otel,jobs]", "mypy>=1.10", "pytest>=8", "tomli", "exceptiongroup"
    )
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


# What the sdist holds at its top level (hatch adds PKG-INFO and .gitignore itself).
SDIST_TOP = {
    "lanying_async",
    "tests",
    "examples",
    "README.md",
    "CHANGELOG.md",
    "LICENSE",
    "pyproject.toml",
    "PKG-INFO",
    ".gitignore",
}


@nox.session(python=PYTHON)
def package(session: nox.Session) -> None:
    """Build the sdist and the wheel, and check what they hold."""
    session.install("uv")
    dist = Path(session.create_tmp()) / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    session.run("uv", "build", "--out-dir", str(dist))
    version = re.search(r'"(.+)"', Path("lanying_async/_version.py").read_text())
    expected = version.group(1) if version else "?"
    (sdist,) = dist.glob("*.tar.gz")
    (wheel,) = dist.glob("*.whl")
    with tarfile.open(sdist) as tar:
        inside = [name.split("/", 1)[1] for name in tar.getnames() if "/" in name]
    stray = {name.split("/")[0] for name in inside} - SDIST_TOP
    if stray or "LICENSE" not in inside or "CHANGELOG.md" not in inside:
        session.error(f"{sdist.name}: unexpected {sorted(stray)} or LICENSE/CHANGELOG missing")
    with zipfile.ZipFile(wheel) as whl:
        names = whl.namelist()
        info = f"lanying_async-{expected}.dist-info"
        metadata = whl.read(f"{info}/METADATA").decode() if f"{info}/METADATA" in names else ""
    if f"{info}/licenses/LICENSE" not in names or "License-Expression: MIT" not in metadata:
        session.error(f"{wheel.name}: no LICENSE, or not MIT, or not version {expected}")
    if any(not name.startswith(("lanying_async/", info)) for name in names):
        session.error(f"{wheel.name}: files outside the package")
    session.log(f"{sdist.name} ({len(inside)} files) and {wheel.name} ({len(names)} files): ok")


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

    # The baselines the SDK is measured against, and matplotlib for the curves: installed
    # here, never package dependencies.
    session.install("-e", ".[jobs]", "requests", "httpx", "pydantic", "matplotlib")
    if sys.platform != "win32":  # uvloop has no Windows build; measured where it installs
        session.install("uvloop")
    session.run("python", "-m", "benchmarks.run", *session.posargs)
