"""The "API operations" pages: one page per API domain, from the operation catalog."""

from __future__ import annotations

import importlib
import typing

from lanying_async.catalog import CATALOG, DOMAINS, Field, Operation
from lanying_async.client import ClientView

TITLES = {
    "messages": "Messages",
    "files": "Files",
    "groups": "Groups",
    "group_moderation": "Group moderation",
    "push": "Push",
    "roster": "Friends (roster)",
    "tokens": "Tokens",
    "users": "Users",
    "user_prefs": "User settings",
}


def page_path(domain: str) -> str:
    return f"operations/{domain}.md"


def _service_classes() -> dict[str, type]:
    """`client.users` -> UsersService, ... read from the client's own annotations."""
    services: dict[str, type] = {}
    for name, member in vars(ClientView).items():
        func = getattr(member, "func", None)  # a cached_property
        if func is not None:
            services[name] = typing.get_type_hints(func)["return"]
    return services


def _method_ref(sdk: str, services: dict[str, type]) -> str:
    service, _, method = sdk.partition(".")
    cls = services[service]
    return f"[`client.{sdk}`][{cls.__module__}.{cls.__qualname__}.{method}]"


def _type(field: Field) -> str:
    return f"`{field.type}`"


def _field_rows(fields: tuple[Field, ...], prefix: str = "") -> list[str]:
    rows = []
    for field in fields:
        name = f"{prefix}{field.name}"
        required = "yes" if field.required else ""
        rows.append(f"| `{name}` | {_type(field)} | {required} |")
        if field.fields:
            inner = f"{name}[]." if field.is_array else f"{name}."
            rows.extend(_field_rows(field.fields, inner))
    return rows


def _wire(op: Operation) -> list[str]:
    lines = []
    if op.query:
        lines += ["Query parameters:", "", "| name | type | required |", "| --- | --- | --- |"]
        lines += [*_field_rows(op.query), ""]
    if op.body is not None:
        body = op.body
        if body.fields:
            shape = "an array of objects" if body.is_array else "a JSON object"
            optional = "" if body.required else " (may be left out)"
            lines += [f"Body: {shape}{optional}.", ""]
            lines += ["| field | type | required |", "| --- | --- | --- |"]
            lines += [*_field_rows(body.fields), ""]
        else:
            lines += [f"Body: {_type(body)}.", ""]
    headers = ", ".join(f"`{h.name}`" + (" (required)" if h.required else "") for h in op.headers)
    lines += [f"Headers: {headers}.", ""]
    return lines


def domain_page(domain: str) -> str:
    module = importlib.import_module(f"lanying_async.catalog.{domain}")
    ops = [op for op, row in zip(CATALOG, _rows_of_catalog(), strict=True) if row == domain]
    services = _service_classes()
    summary = (module.__doc__ or "").strip().splitlines()[0]
    lines = [
        f"# {TITLES[domain]}",
        "",
        f"{summary.removeprefix('Catalog: ').rstrip('.').capitalize()}: "
        f"{len(ops)} operations. Built from `lanying_async.catalog.{domain}` when this site is "
        "built; `lanying operations` prints the same table.",
        "",
        "| HTTP method | path | SDK method | also accepts |",
        "| --- | --- | --- | --- |",
    ]
    for op in sorted(ops, key=lambda o: o.path):
        others = ", ".join(m for m in op.methods if m != op.sends)
        anchor = _anchor(op)
        lines.append(
            f"| `{op.sends}` | [`{op.path}`](#{anchor}) | {_method_ref(op.sdk, services)} "
            f"| {others} |"
        )
    lines.append("")
    for op in sorted(ops, key=lambda o: o.path):
        lines += [f"## `{op.sends} {op.path}` {{#{_anchor(op)}}}", ""]
        lines += [f"SDK method: {_method_ref(op.sdk, services)}.", ""]
        lines += _wire(op)
    return "\n".join(lines)


def _anchor(op: Operation) -> str:
    return op.sdk.replace(".", "-").replace("_", "-")


def _rows_of_catalog() -> list[str]:
    """The domain of each catalog row, in catalog order."""
    domains = []
    for domain in DOMAINS:
        module = importlib.import_module(f"lanying_async.catalog.{domain}")
        domains += [domain] * len(module.ROWS)
    return domains


def index_page() -> str:
    domains = _rows_of_catalog()
    lines = [
        "# API operations",
        "",
        f"Every operation of the Lanying server API has a typed SDK method: {len(CATALOG)} "
        "operations, one page per API domain. Each page lists the HTTP method the SDK sends, "
        "the path, the SDK method and the other verbs the path accepts, then each operation's "
        "wire form (query parameters, JSON body fields and headers, with their types). The pages "
        "are built from the operation catalog (`lanying_async.catalog`) when the site is built, "
        "and the test suite checks that catalog against the vendor's specification and every "
        "request the SDK sends.",
        "",
        "| domain | operations |",
        "| --- | --- |",
    ]
    for domain in DOMAINS:
        count = domains.count(domain)
        lines.append(f"| [{TITLES[domain]}]({domain}.md) | {count} |")
    return "\n".join(lines) + "\n"
