"""Server-side request validation, compiled once from botocore shapes.

botocore's client-side validator is partial and can be switched off
(``Config(parameter_validation=False)``), so the fake checks every request
itself, the way the real Coral front end does.  Every constraint is read from
the service model (``required``, ``min``/``max``, ``pattern``, ``enum``, the
JSON type and tagged unions); nothing is copied by hand.

``compile_validator`` walks a shape tree once and builds closures; a
request then costs only the checks themselves.  Violations come out in the
model's member order, list items in index order.  All of them are counted,
but only the first ``MAX_LISTED`` become messages, and a message quotes at
most ``MAX_QUOTED`` characters of a value (saying how long a value cut
short was): a huge invalid body costs a count per violation, not a copy of
itself per violation (inferred: AWS does not document how its messages bound
what they echo; docs/operations.md).

Message style follows AWS Coral: ``Value <v> at '<path>' failed to satisfy
constraint: <constraint>``, paths in lowerCamel joined by ``.``, list items as
``<list>.<1-based index>.member``.  Choices where AWS gives no model:

* values render Java-style: strings bare, ``null``, ``true``/``false``,
  lists ``[a, b]``, objects and maps ``{k=v, ...}``; a rendering longer than
  ``MAX_QUOTED`` is cut there, followed by ``…' (<n> characters|items|entries)``;
* wrong JSON types read ``Member must be of type <type>``; an integer or long
  outside 64 bits is a wrong type.  Integers are not held to 32 bits: real
  tools send ``sys.maxsize`` as ``NextUpdateSeconds`` (a model integer with no
  maximum), and fakehub accepts it (inferred, see docs/operations.md);
* a JSON ``null`` member is treated as absent, as Coral does;
* string length counts code points (Smithy's definition);
* patterns must match the whole value (``re.fullmatch``), as Coral's
  ``Pattern.matches`` does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, cast

from botocore.model import ListShape, MapShape, Shape, StringShape, StructureShape

from ..core import clock

__all__ = ["MAX_LISTED", "MAX_QUOTED", "Violations", "compile_validator", "format_violations", "translate_pattern"]

MAX_LISTED = 10
"""Violations a message lists; the rest are counted (``...; and 1799991 more``)."""

MAX_QUOTED = 200
"""Characters of a value's rendering a violation quotes; a longer one is cut short."""


class Violations(list[str]):
    """The violations of one request: the first ``MAX_LISTED`` as messages, in the
    model's order, and ``total``, how many there are.  Messages past those are never
    built, so a body with a million bad items costs a million counts, not a million messages."""

    __slots__ = ("total",)

    def __init__(self) -> None:
        super().__init__()
        self.total = 0

    def add(self, value: Any, path: str, rule: str) -> None:
        """Count a violation of ``rule`` by ``value`` (None: a missing member) at ``path``."""
        self.total += 1
        if len(self) < MAX_LISTED:
            self.append(_violation(value, path, rule))


# check(value, prefix, name, out): value is never None; its path is prefix+name.
Check = Callable[[Any, str, str, Violations], None]

_INT64 = (-(2**63), 2**63 - 1)
_JAVA_CLASSES = {  # \p{Name} of java.util.regex as the body of a Python class
    "Lower": "a-z",
    "Upper": "A-Z",
    "ASCII": "\\x00-\\x7f",
    "Alpha": "a-zA-Z",
    "Digit": "0-9",
    "Alnum": "a-zA-Z0-9",
    "Punct": "!-/:-@\\[-`{-~",
    "Graph": "!-~",
    "Print": " -~",
    "Blank": " \\t",
    "Cntrl": "\\x00-\\x1f\\x7f",
    "XDigit": "0-9a-fA-F",
    "Space": " \\t\\n\\x0b\\f\\r",
}
_JAVA_ESCAPE = re.compile(r"\\(?:([pP])\{(?:Is)?(\w+)\}|(z)|(.))|(\[\^?)|(\])|(.)", re.S)


def compile_validator(shape: StructureShape) -> Callable[[Mapping[str, Any]], Violations]:
    """Compile an operation's input shape into ``validate(body) -> violations``.

    ``body`` is the decoded JSON request object; unknown members are ignored,
    as AWS JSON services do.  The result is empty when the body is valid."""
    check = _compile(shape, {})

    def validate(body: Mapping[str, Any]) -> Violations:
        out = Violations()
        if isinstance(body, dict):
            check(body, "", "", out)  # the root: members sit at the top level
        else:
            out.add(body, "", "Member must be of type structure")
        return out

    return validate


def format_violations(violations: Sequence[str]) -> str:
    """Join violations into the Coral ``ValidationException`` message: the count of all
    of them, the first ``MAX_LISTED``, and how many more there are."""
    total = violations.total if isinstance(violations, Violations) else len(violations)
    listed = violations[:MAX_LISTED]
    noun = "error" if total == 1 else "errors"
    message = f"{total} validation {noun} detected: " + "; ".join(listed)
    if total > len(listed):
        message += f"; and {total - len(listed)} more"
    return message


def translate_pattern(pattern: str) -> str:
    """Rewrite a model pattern, written for Java's ``java.util.regex`` (Coral matches
    with it), into Python ``re`` with the same meaning.

    Handles ``\\p{Posix}`` / ``\\p{IsPosix}`` classes (in and out of brackets),
    ``\\P{...}`` outside brackets and ``\\z``; gives ``.`` Java's meaning (any character
    but the line terminators ``\\n \\r \\u0085 \\u2028 \\u2029``, where Python's ``.`` only
    stops at ``\\n``) and ``\\d \\s \\w`` (and their negations) Java's ASCII meaning, with
    the ``(?a)`` flag.  Anything else Java-specific is left for ``re.compile`` to reject
    loudly at compile time."""
    parts: list[str] = []
    depth = 0
    ascii_classes = False
    for m in _JAVA_ESCAPE.finditer(pattern):
        prop, cls, z, escaped, open_, close, char = m.groups()
        if prop:
            parts.append(_translate_class(pattern, prop, cls, depth > 0))
        elif z:
            parts.append("\\Z")
        elif escaped is not None:
            ascii_classes = ascii_classes or escaped in "dDsSwW"
            parts.append("\\" + escaped)
        elif open_:
            depth += 1
            parts.append(open_)
        elif close:
            depth = max(depth - 1, 0)
            parts.append(close)
        elif char == "." and depth == 0:
            parts.append(_JAVA_DOT)
        else:
            parts.append(char)
    return ("(?a)" if ascii_classes else "") + "".join(parts)


_JAVA_DOT = "[^\\n\\r\\x85\\u2028\\u2029]"


def _translate_class(pattern: str, prop: str, name: str, in_brackets: bool) -> str:
    body = _JAVA_CLASSES.get(name)
    if body is None:
        raise ValueError(f"unsupported Java character class \\{prop}{{{name}}} in {pattern!r}")
    if in_brackets:
        if prop == "P":
            raise ValueError(f"negated class \\P{{{name}}} inside brackets in {pattern!r}")
        return body
    return f"[{'^' if prop == 'P' else ''}{body}]"


# --- compilation ---------------------------------------------------------


def _compile(shape: Shape, cache: dict[str, Check]) -> Check:
    """The checker for ``shape``, shared by name so recursive shapes terminate."""
    if shape.name in cache:
        return cache[shape.name]
    if isinstance(shape, StructureShape):
        return _compile_structure(shape, cache)
    if isinstance(shape, ListShape):
        check = _compile_list(shape, cache)
    elif isinstance(shape, MapShape):
        check = _compile_map(shape, cache)
    else:
        check = _compile_scalar(shape)
    cache[shape.name] = check
    return check


def _compile_structure(shape: StructureShape, cache: dict[str, Check]) -> Check:
    members: list[tuple[str, str, bool, Check]] = []
    union = bool(shape.metadata.get("union"))

    def check(value: Any, prefix: str, name: str, out: Violations) -> None:
        if not isinstance(value, dict):
            out.add(value, prefix + name, "Member must be of type structure")
            return
        if union and sum(value.get(key) is not None for key, _, _, _ in members) != 1:
            out.add(value, prefix + name, "Member must have exactly one member set")
        inner = prefix + name + "." if name else prefix
        for key, member_name, required, member_check in members:
            member = value.get(key)
            if member is not None:
                member_check(member, inner, member_name, out)
            elif required:
                out.add(None, inner + member_name, _NOT_NULL)

    cache[shape.name] = check  # before the members, for recursive shapes
    required = set(shape.required_members)
    for name, member in shape.members.items():
        key = member.serialization.get("name", name)
        members.append((key, lower_camel(name), name in required, _compile(member, cache)))
    return check


def _compile_list(shape: ListShape, cache: dict[str, Check]) -> Check:
    item_check = _compile(shape.member, cache)
    length = _length_check(shape)

    def check(value: Any, prefix: str, name: str, out: Violations) -> None:
        if not isinstance(value, list):
            out.add(value, prefix + name, "Member must be of type list")
            return
        if length is not None:
            length(value, prefix, name, out)
        for i, item in enumerate(value, 1):
            # Paths are built only for failing items: the common case pays nothing.
            if item is not None:
                total, listed = out.total, len(out)
                item_check(item, "", "member", out)
                if out.total == total or listed == MAX_LISTED:
                    continue  # valid, or counted with no message to build (the path cannot matter)
                out.total = total
                del out[listed:]
            _check_item(item_check, item, f"{prefix}{name}.{i}.", out)

    return check


def _check_item(item_check: Check, item: Any, prefix: str, out: Violations) -> None:
    if item is None:
        out.add(None, prefix + "member", _NOT_NULL)
    else:
        item_check(item, prefix, "member", out)


def _compile_map(shape: MapShape, cache: dict[str, Check]) -> Check:
    """Maps report key (and scalar value) failures once per map, listing the
    element's constraints, as Coral does: ``Map keys must satisfy constraint:
    [...]``.  Structured values are validated in place at ``<map>.<key>.member``,
    mirroring list items."""
    key_check = _compile(shape.key, cache)
    key_rule = f"Map keys must satisfy constraint: [{', '.join(_describe(shape.key))}]"
    value_check = _compile(shape.value, cache)
    nested = isinstance(shape.value, (StructureShape, ListShape, MapShape))
    value_rule = f"Map value must satisfy constraint: [{', '.join(_describe(shape.value))}]"
    length = _length_check(shape)

    def check(value: Any, prefix: str, name: str, out: Violations) -> None:
        if not isinstance(value, dict):
            out.add(value, prefix + name, "Member must be of type map")
            return
        if length is not None:
            length(value, prefix, name, out)
        if any(_fails(key_check, key) for key in value):
            out.add(value, prefix + name, key_rule)
        if nested:
            for key, item in value.items():
                _check_item(value_check, item, f"{prefix}{name}.{key}.", out)
        elif any(item is None or _fails(value_check, item) for item in value.values()):
            out.add(value, prefix + name, value_rule)

    return check


def _fails(check: Check, value: Any) -> bool:
    out = Violations()
    check(value, "", "", out)
    return out.total > 0


def _compile_scalar(shape: Shape) -> Check:
    type_name = shape.type_name
    if type_name == "string":
        return _compile_string(cast(StringShape, shape))  # botocore makes every string shape one
    if type_name in ("integer", "long"):
        return _compile_number(shape, _is_int64)
    if type_name in ("double", "float"):
        return _compile_number(shape, _is_real)
    if type_name == "timestamp":
        return _type_only("timestamp", _is_timestamp)
    if type_name == "boolean":
        return _type_only("boolean", lambda v: v is True or v is False)
    if type_name == "blob":
        return _type_only("blob (base64 string)", lambda v: isinstance(v, str))
    raise ValueError(f"cannot validate shape {shape.name!r} of type {type_name!r}")


def _compile_string(shape: StringShape) -> Check:
    lo, hi = shape.metadata.get("min", 0), shape.metadata.get("max")
    hi = hi if hi is not None else float("inf")
    pattern = shape.metadata.get("pattern")
    fullmatch = re.compile(translate_pattern(pattern)).fullmatch if pattern else None
    enum = frozenset(shape.enum)
    enum_rule = f"Member must satisfy enum value set: [{', '.join(shape.enum)}]"
    pattern_rule = f"Member must satisfy regular expression pattern: {pattern}"

    def check(value: Any, prefix: str, name: str, out: Violations) -> None:
        if not isinstance(value, str):
            out.add(value, prefix + name, "Member must be of type string")
            return
        n = len(value)
        if lo <= n <= hi and (fullmatch is None or fullmatch(value)) and (not enum or value in enum):
            return
        if n < lo:
            out.add(value, prefix + name, f"Member must have length greater than or equal to {lo}")
        elif n > hi:
            out.add(value, prefix + name, f"Member must have length less than or equal to {hi}")
        if fullmatch is not None and fullmatch(value) is None:
            out.add(value, prefix + name, pattern_rule)
        if enum and value not in enum:
            out.add(value, prefix + name, enum_rule)

    return check


def _compile_number(shape: Shape, is_type: Callable[[Any], bool]) -> Check:
    type_rule = f"Member must be of type {shape.type_name}"
    lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
    lo = lo if lo is not None else float("-inf")
    hi = hi if hi is not None else float("inf")

    def check(value: Any, prefix: str, name: str, out: Violations) -> None:
        if not is_type(value):
            out.add(value, prefix + name, type_rule)
        elif value < lo:
            out.add(value, prefix + name, f"Member must have value greater than or equal to {lo}")
        elif value > hi:
            out.add(value, prefix + name, f"Member must have value less than or equal to {hi}")

    return check


def _type_only(type_label: str, is_type: Callable[[Any], bool]) -> Check:
    rule = f"Member must be of type {type_label}"

    def check(value: Any, prefix: str, name: str, out: Violations) -> None:
        if not is_type(value):
            out.add(value, prefix + name, rule)

    return check


def _length_check(shape: Shape) -> Check | None:
    """The size check of a list or map, or None when the model sets no bounds."""
    lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
    if lo is None and hi is None:
        return None
    lo = lo if lo is not None else 0
    hi = hi if hi is not None else float("inf")

    def check(value: Any, prefix: str, name: str, out: Violations) -> None:
        if len(value) < lo:
            out.add(value, prefix + name, f"Member must have length greater than or equal to {lo}")
        elif len(value) > hi:
            out.add(value, prefix + name, f"Member must have length less than or equal to {hi}")

    return check


def _is_int64(value: Any) -> bool:
    return type(value) is int and _INT64[0] <= value <= _INT64[1]


def _is_real(value: Any) -> bool:
    return type(value) is int or type(value) is float


def _is_timestamp(value: Any) -> bool:
    return _is_real(value) and clock.EARLIEST <= value <= clock.LATEST


def _describe(shape: Shape) -> list[str]:
    """All constraints of an element shape, in Coral's order, for map rules."""
    md = shape.metadata
    rules = []
    if md.get("max") is not None:
        rules.append(f"Member must have length less than or equal to {md['max']}")
    if md.get("min") is not None:
        rules.append(f"Member must have length greater than or equal to {md['min']}")
    if md.get("pattern"):
        rules.append(f"Member must satisfy regular expression pattern: {md['pattern']}")
    enum: list[str] | None = getattr(shape, "enum", None)
    if enum:
        rules.append(f"Member must satisfy enum value set: [{', '.join(enum)}]")
    return rules or [f"Member must be of type {shape.type_name}"]


# --- messages ------------------------------------------------------------


_NOT_NULL = "Member must not be null"


def _violation(value: Any, path: str, rule: str) -> str:
    shown = "null" if value is None else _quote(value)  # Coral writes a missing member's null bare
    return f"Value {shown} at '{path}' failed to satisfy constraint: {rule}"


def _quote(value: Any) -> str:
    """``'<value>'`` rendered as Coral renders it, cut to ``MAX_QUOTED`` characters: a
    value cut short says how long it was.  Rendering stops where the cut falls, so a huge value
    costs no more than a small one."""
    shown: list[str] = []
    room = MAX_QUOTED
    for piece in _pieces(value):
        if len(piece) > room:
            shown.append(piece[:room])
            return f"'{''.join(shown)}…' ({_extent(value)})"
        shown.append(piece)
        room -= len(piece)
    return f"'{''.join(shown)}'"


def _pieces(value: Any) -> Iterator[str]:
    """Java ``toString``-like rendering, as Coral messages show values, piece by piece."""
    if value is None:
        yield "null"
    elif value is True or value is False:
        yield "true" if value else "false"
    elif isinstance(value, list):
        yield "["
        for i, item in enumerate(value):
            if i:
                yield ", "
            yield from _pieces(item)
        yield "]"
    elif isinstance(value, dict):
        yield "{"
        for i, (key, item) in enumerate(value.items()):
            if i:
                yield ", "
            yield str(key)
            yield "="
            yield from _pieces(item)
        yield "}"
    else:
        yield str(value)


def _extent(value: Any) -> str:
    """How big a value cut short was, in the unit its kind is counted in."""
    if isinstance(value, list):
        n, unit = len(value), "item"
    elif isinstance(value, dict):
        n, unit = len(value), "entry"
    else:
        n, unit = len(value if isinstance(value, str) else str(value)), "character"
    plural = unit if n == 1 else ("entries" if unit == "entry" else unit + "s")
    return f"{n} {plural}"


def lower_camel(name: str) -> str:
    """A member name as ADS and CloudTrail spell it (``ProgressUpdateStream`` -> ``progressUpdateStream``)."""
    return name[:1].lower() + name[1:]
