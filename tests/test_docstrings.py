"""Docstrings are Markdown the docs site renders: no reST markup left in them.

The site (`nox -s docs`) renders docstrings as Markdown with mkdocstrings; reST roles,
literal-block markers, tables and `#:` attribute comments would show verbatim there, or not
at all. This check runs with the main suite, so it needs neither mkdocs nor a browser.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import lanying_async

PACKAGE = Path(lanying_async.__file__).parent
REST = {
    "a Sphinx role (use [`Name`][module.Name] or `Name`)": re.compile(
        r":(?:class|meth|func|data|mod|attr|exc|obj):`"
    ),
    "a reST literal block (use a fenced code block)": re.compile(r"::\s*$", re.M),
    "a reST table (use a Markdown table)": re.compile(r"^\s*={4,} +={4,}", re.M),
}


def _docstrings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every docstring of a module: of the module, classes, functions and attributes."""
    found = []
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for statement in body:
            if (
                isinstance(statement, ast.Expr)
                and isinstance(statement.value, ast.Constant)
                and isinstance(statement.value.value, str)
            ):
                found.append((statement.lineno, statement.value.value))
    return found


def test_no_docstring_holds_rest_markup() -> None:
    problems = []
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 100
    for path in files:
        source = path.read_text(encoding="utf-8")
        where = path.relative_to(PACKAGE.parent)
        for line, text in _docstrings(ast.parse(source)):
            for what, pattern in REST.items():
                if pattern.search(text):
                    problems.append(f"{where}:{line}: {what}")
        for number, text in enumerate(source.splitlines(), 1):
            if text.lstrip().startswith("#:"):
                problems.append(f"{where}:{number}: a `#:` comment (write a docstring below)")
    assert problems == []
