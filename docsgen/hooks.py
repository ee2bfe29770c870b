"""mkdocs hooks (see mkdocs.yml): pages generated from the code at build time.

- `operations/*.md`: one page per API domain, from the operation catalog;
- `cli.md`: the command-line guide, with the real output of every command it shows,
  run against an emulator while the site is built (see [`docsgen.console`]);
- `guide/*.png`: the benchmark's curves, beside the performance guide that includes
  `benchmarks/results.md` (which links them by name).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

# mkdocs loads this file by its path: the repository root makes `docsgen` importable
# whether or not the package is installed in editable mode.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docsgen import console, operations
from lanying_async.catalog import DOMAINS

OPERATIONS_NAV = "operations/index.md"
BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Expand the nav's "API operations" entry into one page per domain."""
    pages: list[Any] = [OPERATIONS_NAV]
    pages += [{operations.TITLES[d]: operations.page_path(d)} for d in DOMAINS]
    nav = config.nav or []
    for index, entry in enumerate(nav):
        if isinstance(entry, dict) and OPERATIONS_NAV in entry.values():
            (title,) = entry
            nav[index] = {title: pages}
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    files.append(File.generated(config, OPERATIONS_NAV, content=operations.index_page()))
    for domain in DOMAINS:
        content = operations.domain_page(domain)
        files.append(File.generated(config, operations.page_path(domain), content=content))
    for curve in sorted(BENCHMARKS.glob("*.png")):
        files.append(File.generated(config, f"guide/{curve.name}", content=curve.read_bytes()))
    return files


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """Run the console blocks marked `<!-- run -->` and put their real output in."""
    if console.MARK not in markdown:
        return markdown
    return console.render(markdown)
