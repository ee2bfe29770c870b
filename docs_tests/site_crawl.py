"""Reading the built site from disk: its pages, their links and anchors, their visible text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# Text inside these elements is code or machinery, not prose a reader sees rendered.
_NOT_PROSE = frozenset({"code", "pre", "script", "style", "kbd", "samp", "textarea"})


@dataclass
class Page:
    path: Path
    url: str  # relative to the site root, e.g. "guide/errors/"
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.page.ids.add(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.page.ids.add(values["name"] or "")
        if tag in ("a", "link") and values.get("href"):
            self.page.links.append(values["href"] or "")
        if tag in _NOT_PROSE:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _NOT_PROSE and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.page.prose.append(data)


def read_site(root: Path) -> dict[str, Page]:
    """Every HTML page of the site, keyed by its URL relative to the root."""
    pages: dict[str, Page] = {}
    for path in sorted(root.rglob("*.html")):
        relative = path.relative_to(root).as_posix()
        url = relative.removesuffix("index.html")
        page = Page(path, url)
        _Reader(page).feed(path.read_text(encoding="utf-8"))
        pages[url] = page
    return pages


def broken_links(root: Path, pages: dict[str, Page]) -> list[str]:
    """Internal links whose file or anchor does not exist, as "page -> href" lines."""
    broken = []
    base = "http://site.invalid/"
    for page in pages.values():
        for href in page.links:
            target = urlsplit(urljoin(base + page.url, href))
            if target.scheme in ("mailto", "javascript") or target.netloc != "site.invalid":
                continue  # not a page of this site
            path = unquote(target.path).removeprefix("/")
            file = root / path
            if path == "" or path.endswith("/"):
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"{page.url or '/'} -> {href} (no {path or 'index.html'})")
                continue
            if target.fragment and file.suffix == ".html":
                url = path.removesuffix("index.html")
                anchor = unquote(target.fragment)
                if url in pages and anchor not in pages[url].ids:
                    broken.append(f"{page.url or '/'} -> {href} (no anchor #{anchor})")
    return broken
