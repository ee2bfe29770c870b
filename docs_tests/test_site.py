"""The built docs site, read from disk and driven in a headless Chromium (see conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import Tab
from site_crawl import broken_links, read_site

# Markup that shows the renderer did not understand a docstring or a page.
RAW_MARKUP = {
    "a Sphinx role": re.compile(r":(?:class|meth|func|data|mod|attr|exc|obj):`"),
    "a reST literal marker": re.compile(r"(?:^|\s|\w)::(?:\s|$)"),
    "an unresolved cross-reference": re.compile(r"\[[^\]\n]+\]\[[^\]\n]*\]"),
    "unrendered inline code": re.compile(r"`[^`\n]+`"),
    "a reST table": re.compile(r"={4,} +={4,}"),
}


@pytest.fixture(scope="module")
def pages(site_dir: Path) -> dict[str, Any]:
    return read_site(site_dir)


def test_the_site_has_every_section(pages: dict[str, Any]) -> None:
    for url in ("", "guide/errors/", "cli/", "operations/groups/", "api/client/"):
        assert url in pages, sorted(pages)
    assert len([url for url in pages if url.startswith("operations/")]) >= 10


def test_every_internal_link_and_anchor_resolves(site_dir: Path, pages: dict[str, Any]) -> None:
    links = sum(len(page.links) for page in pages.values())
    assert links > 1000  # the crawl really read the pages
    assert broken_links(site_dir, pages) == []


def test_no_page_shows_raw_markup(pages: dict[str, Any]) -> None:
    found = []
    for page in pages.values():
        if page.url in ("404.html",):
            continue
        text = " ".join(page.prose)
        for what, pattern in RAW_MARKUP.items():
            for match in pattern.finditer(text):
                context = text[max(0, match.start() - 40) : match.end() + 40]
                found.append(f"{page.url}: {what}: ...{context}...")
    assert found == []


def test_home_page(tab: Tab) -> None:
    tab.open("")
    assert "lanying-async" in tab.page.title()
    tabs = tab.page.locator(".md-tabs__link")
    names = [tabs.nth(i).inner_text().strip() for i in range(tabs.count())]
    assert {"Guides", "Command line", "API operations", "API reference"} <= set(names), names
    assert tab.page.locator("article pre code").count() >= 1
    tab.screenshot("home")


def test_a_guide_with_code_copy_and_dark_mode(tab: Tab) -> None:
    tab.open("guide/errors/")
    heading = tab.page.locator("article h1").inner_text()
    assert heading.strip().removesuffix("¶") == "Errors and retries"
    assert tab.page.locator("article").get_by_text("OutcomeUnknownError").count() >= 1
    code = tab.page.locator("article pre").nth(1)
    code.scroll_into_view_if_needed()
    code.hover()  # the theme adds its copy button to code blocks in view
    # The copy button: `md-clipboard` in mkdocs-material 9.5, `md-code__button` in later ones.
    copy = tab.page.locator("button.md-clipboard, button.md-code__button[data-md-type='copy']")
    copy = copy.first
    copy.wait_for(state="attached", timeout=10_000)
    tab.screenshot("guide-errors")
    scheme = tab.page.locator("body").get_attribute("data-md-color-scheme")
    tab.page.locator("label.md-header__button[for^='__palette']").first.click()
    assert tab.page.locator("body").get_attribute("data-md-color-scheme") != scheme
    tab.screenshot("guide-errors-other-scheme")


def test_search_finds_a_page_and_opens_it(tab: Tab) -> None:
    tab.open("")
    tab.page.locator("label.md-search__icon, .md-search__input").first.click()
    box = tab.page.locator("input.md-search__input")
    box.fill("OutcomeUnknownError")
    results = tab.page.locator(".md-search-result__item a")
    results.first.wait_for(state="visible", timeout=15_000)
    assert results.count() >= 1
    tab.screenshot("search")
    before = tab.page.url
    results.first.click()
    tab.page.wait_for_load_state("load")
    assert tab.page.url != before
    assert tab.page.locator("article").inner_text().count("OutcomeUnknownError") >= 1
    tab.screenshot("search-result")


def test_an_api_page(tab: Tab) -> None:
    tab.open("api/client/")
    heading = tab.page.locator("[id='lanying_async.client.LanyingClient']")
    assert heading.count() == 1
    heading.scroll_into_view_if_needed()
    signature = tab.page.locator(".doc-signature").filter(has_text="api_endpoint").first
    text = signature.inner_text()
    assert "error_registry" in text  # the whole constructor is shown
    assert text.count("\n") >= 10, text  # one parameter a line, not one long line
    for service in ("users", "groups", "messages", "push"):
        assert tab.page.locator(f"[id='lanying_async.client.LanyingClient.{service}']").count()
    tab.screenshot("api-client")


def test_every_page_loads_without_console_errors(tab: Tab, pages: dict[str, Any]) -> None:
    for url in sorted(pages):
        if url.endswith(".html"):  # 404.html
            continue
        tab.open(url)
        if url in ("operations/groups/", "cli/", "api/models/"):
            tab.screenshot(url.strip("/").replace("/", "-"))
    # The tab fixture fails the test if any page logged an error.


def test_the_reference_shows_constructors_fields_and_enum_members(
    site_dir: Path, pages: dict[str, Any]
) -> None:
    models = pages["api/models/"]
    # Every struct field, documented or not, with its own anchor.
    for field in ("group_id", "name", "owner_id", "msg_push_mode"):
        assert f"lanying_async.models.groups.GroupInfo.{field}" in models.ids
    # Every enum member.
    assert {"PRIVATE", "CHATROOM"} <= {
        anchor.rsplit(".", 1)[1]
        for anchor in models.ids
        if anchor.startswith("lanying_async.models.enums.GroupType.")
    }
    # A msgspec struct's constructor, right after its heading.
    html = (site_dir / "api/models/index.html").read_text(encoding="utf-8")
    heading = html.index('id="lanying_async.models.push.PushMessage"')
    start = html.index('class="doc-signature', heading)
    signature = html[start : html.index("</pre>", start)]
    assert "attachment_url" in signature and "fcm" in signature
    # The client's services.
    client = pages["api/client/"]
    for service in ("users", "roster", "groups", "messages", "push", "files", "tokens", "ai"):
        assert f"lanying_async.client.LanyingClient.{service}" in client.ids
