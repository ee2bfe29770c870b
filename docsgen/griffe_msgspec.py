"""A griffe extension: msgspec structs get the constructor msgspec gives them.

griffe reads a struct's fields as class attributes but, unlike a dataclass, sees no
`__init__`; the reference then shows `PushMessage` with no parameters. This builds the
`__init__` from the class's real signature (`inspect.signature` of the imported class,
which msgspec makes exact: keyword-only fields included), with the annotations griffe
read from the source, so the reference shows the constructor with cross-referenced types.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import griffe
import msgspec


def _runtime_class(cls: griffe.Class) -> type | None:
    try:
        module = importlib.import_module(cls.module.path)
    except ImportError:
        return None
    found: Any = module
    for part in cls.path.removeprefix(cls.module.path + ".").split("."):
        found = getattr(found, part, None)
    return found if isinstance(found, type) else None


class MsgspecConstructors(griffe.Extension):
    def on_class_members(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        if "__init__" in cls.members:
            return
        runtime = _runtime_class(cls)
        if runtime is None or not issubclass(runtime, msgspec.Struct):
            return
        try:
            signature = inspect.signature(runtime)
        except Exception:  # annotations that cannot be evaluated at run time: no constructor
            return
        parameters = []
        for name, parameter in signature.parameters.items():
            member = cls.all_members.get(name)
            annotation = getattr(member, "annotation", None)
            if parameter.default is inspect.Parameter.empty:
                default = None
            elif isinstance(parameter.default, type(msgspec.NODEFAULT)):
                default = "..."
            else:
                default = repr(parameter.default)
            parameters.append(
                griffe.Parameter(
                    name,
                    annotation=annotation,
                    kind=griffe.ParameterKind(parameter.kind.description),
                    default=default,
                )
            )
        init = griffe.Function(
            "__init__",
            parameters=griffe.Parameters(*parameters),
            returns="None",
            lineno=cls.lineno,
            endlineno=cls.lineno,
        )
        init.labels.add("msgspec")
        cls.set_member("__init__", init)
