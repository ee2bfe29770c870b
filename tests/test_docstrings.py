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


def _fields(tree: ast.Module) -> list[tuple[int, str, bool]]:
    """Every annotated class field: its line, `Class.name`, and whether a docstring follows it."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        body = node.body
        for index, statement in enumerate(body):
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                after = body[index + 1] if index + 1 < len(body) else None
                documented = (
                    isinstance(after, ast.Expr)
                    and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)
                )
                found.append((statement.lineno, f"{node.name}.{statement.target.id}", documented))
    return found


def _undocumented_fields(tree: ast.Module) -> list[tuple[int, str]]:
    return [(line, name) for line, name, documented in _fields(tree) if not documented]


def test_undocumented_fields_are_found() -> None:
    tree = ast.parse('class A:\n    x: int\n    """Doc."""\n    y: int\n    z: int = 0\n')
    assert _undocumented_fields(tree) == [(4, "A.y"), (5, "A.z")]


def test_every_model_field_has_a_docstring() -> None:
    """The API reference shows each field's docstring as its meaning."""
    files = sorted((PACKAGE / "models").glob("*.py"))
    assert len(files) > 10
    problems = []
    fields = 0
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        fields += len(_fields(tree))
        where = path.relative_to(PACKAGE.parent)
        problems += [f"{where}:{line}: {name}" for line, name in _undocumented_fields(tree)]
    assert fields > 400
    assert problems == []
