"""Hypothesis strategies derived from botocore shapes, for validation tests.

``valid(shape)`` draws JSON values the model accepts.  ``invalid(shape)``
draws ``(body, path, rule)``: a value of ``shape`` with exactly one injected
violation, the lowerCamel path it sits at and the constraint text the
validator must report.  Mutations that cannot break one constraint alone
(e.g. a too-long string whose pattern caps the length too) are not drawn.
"""

from __future__ import annotations

import re
import sys
from typing import Any

if sys.version_info >= (3, 11):
    from re import _parser as sre_parse  # getwidth(): a pattern's min/max length
else:
    import sre_parse  # the same module before 3.11 (deprecated as a name from 3.11 on)

from botocore.model import ListShape, MapShape, Shape, StructureShape
from hypothesis import strategies as st

from fakehub.wire.validation import translate_pattern

SearchStrategy = st.SearchStrategy
EXTRA = 4  # how far past a bound generated sizes reach
TRICKY = " \t\n\x00\x1f:|/-._=+aZ09"
# One sample per JSON type, and which model types accept it.
JSON_SAMPLES: dict[str, tuple[Any, set[str]]] = {
    "str": ("abc", {"string", "blob"}),
    "int": (7, {"integer", "long", "double", "float", "timestamp"}),
    "float": (1.5, {"double", "float", "timestamp"}),
    "bool": (True, {"boolean"}),
    "list": ([], {"list"}),
    "dict": ({}, {"structure", "map"}),
}
INT_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


def lower_camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def join(*parts: str) -> str:
    return ".".join(p for p in parts if p)


# --- valid values ----------------------------------------------------------


def valid(shape: Shape) -> SearchStrategy[Any]:
    if isinstance(shape, StructureShape):
        return valid_structure(shape)
    if isinstance(shape, ListShape):
        lo, hi = size_bounds(shape)
        return st.lists(valid(shape.member), min_size=lo, max_size=min(hi, lo + EXTRA))
    if isinstance(shape, MapShape):
        lo, hi = size_bounds(shape)
        return st.dictionaries(valid(shape.key), valid(shape.value), min_size=lo, max_size=min(hi, lo + EXTRA))
    return valid_scalar(shape)


def valid_structure(shape: StructureShape, omit: str | None = None) -> SearchStrategy[dict]:
    members = {key(shape, n): valid(m) for n, m in shape.members.items() if n != omit}
    if shape.metadata.get("union"):
        return st.one_of([st.fixed_dictionaries({k: s}) for k, s in members.items()])
    required = {key(shape, n) for n in shape.required_members}
    return st.fixed_dictionaries(
        {k: s for k, s in members.items() if k in required},
        optional={k: s for k, s in members.items() if k not in required},
    )


def valid_scalar(shape: Shape) -> SearchStrategy[Any]:
    t = shape.type_name
    md = shape.metadata
    if t == "string":
        if shape.enum:
            return st.sampled_from(shape.enum)
        lo, hi = size_bounds(shape)
        return strings(md.get("pattern"), lo, hi)
    if t in INT_RANGES:
        lo, hi = INT_RANGES[t]
        return st.integers(max(lo, md.get("min", lo)), min(hi, md.get("max", hi)))
    if t in ("double", "float"):
        return st.floats(md.get("min"), md.get("max"), allow_nan=False, allow_infinity=False)
    if t == "timestamp":
        return st.integers(0, 4_000_000_000) | st.floats(0, 4e9)
    if t == "boolean":
        return st.booleans()
    raise NotImplementedError(t)


def strings(pattern: str | None, lo: int, hi: int) -> SearchStrategy[str]:
    """Strings of length lo..hi matching ``pattern`` (when feasible)."""
    hi = min(hi, lo + 64)
    if pattern is None:
        return st.text(min_size=lo, max_size=hi)
    compiled = re.compile(translate_pattern(pattern))
    single = single_char_repeat(pattern)
    regex = f"{single}{{{lo},{hi}}}" if single else translate_pattern(pattern)
    return st.from_regex(regex, fullmatch=True).filter(lambda s: lo <= len(s) <= hi and compiled.fullmatch(s))


def single_char_repeat(pattern: str) -> str | None:
    """The atom of a ``X+``/``X*`` pattern (X one character class), else None:
    its length can then be generated exactly instead of filtered for."""
    m = re.fullmatch(r"\^?(\[(?:\\.|[^\]\\])*\]|\\[sSdDwW]|\.)[+*]\$?", pattern)
    return m.group(1) if m else None


def size_bounds(shape: Shape) -> tuple[int, int]:
    md = shape.metadata
    return md.get("min", 0), md.get("max", 10**6)


def key(shape: StructureShape, name: str) -> str:
    return shape.members[name].serialization.get("name", name)


# --- single-violation mutations ----------------------------------------------

Mutation = tuple[Any, str, str]  # (value, path below the value, rule)


def invalid(shape: Shape) -> SearchStrategy[Mutation]:
    """A value of ``shape`` with exactly one violation, somewhere inside."""
    options = [wrong_type(shape)]
    if isinstance(shape, StructureShape):
        options += structure_mutations(shape)
    elif isinstance(shape, ListShape):
        options += list_mutations(shape)
    elif shape.type_name == "string":
        options += string_mutations(shape)
    elif shape.type_name in INT_RANGES or shape.type_name in ("double", "float"):
        options += range_mutations(shape)
    return st.one_of(options)


def wrong_type(shape: Shape) -> SearchStrategy[Mutation]:
    label = "timestamp" if shape.type_name == "timestamp" else shape.type_name
    samples = [v for v, accepted in JSON_SAMPLES.values() if shape.type_name not in accepted]
    return st.sampled_from(samples).map(lambda v: (v, "", f"Member must be of type {label}"))


def structure_mutations(shape: StructureShape) -> list[SearchStrategy[Mutation]]:
    options = []
    union = bool(shape.metadata.get("union"))
    for name, member in shape.members.items():
        path, k = lower_camel(name), key(shape, name)
        if name in shape.required_members:
            options.append(valid_structure(shape, omit=name).map(lambda b, p=path: (b, p, "Member must not be null")))
        base = st.just({}) if union else valid_structure(shape, omit=name)
        options.append(
            st.tuples(base, invalid(member)).map(
                lambda t, k=k, p=path: ({**t[0], k: t[1][0]}, join(p, t[1][1]), t[1][2])
            )
        )
    if union:
        options.append(st.just(({}, "", "Member must have exactly one member set")))
    return options


def list_mutations(shape: ListShape) -> list[SearchStrategy[Mutation]]:
    lo, hi = size_bounds(shape)
    item = valid(shape.member)
    options = []
    if lo > 0:
        short = st.lists(item, max_size=lo - 1)
        options.append(short.map(lambda v: (v, "", f"Member must have length greater than or equal to {lo}")))
    if hi < 10**6:
        long_ = item.map(lambda v: [v] * (hi + 1))  # one item repeated: cheap
        options.append(long_.map(lambda v: (v, "", f"Member must have length less than or equal to {hi}")))
    others = max(lo - 1, 0)  # valid neighbours, keeping the size legal
    neighbours = st.lists(item, min_size=others, max_size=max(others, min(hi - 1, others + 2)))
    bad_item = st.tuples(neighbours, invalid(shape.member), st.integers(0, 10**6))
    options.append(bad_item.map(lambda t: insert_bad_item(*t)))
    return options


def insert_bad_item(items: list, bad: Mutation, where: int) -> Mutation:
    i = where % (len(items) + 1)
    value, path, rule = bad
    return [*items[:i], value, *items[i:]], join(f"{i + 1}.member", path), rule


def string_mutations(shape: Shape) -> list[SearchStrategy[Mutation]]:
    md = shape.metadata
    pattern = md.get("pattern")
    lo, hi = size_bounds(shape)
    options = []
    if shape.enum:
        bad = st.text(min_size=max(lo, 1), max_size=min(hi, 12)).filter(lambda s: s not in shape.enum)
        rule = f"Member must satisfy enum value set: [{', '.join(shape.enum)}]"
        return [bad.map(lambda s: (s, "", rule))]
    low, high = pattern_width(pattern)
    if lo > 0 and low <= lo - 1:
        options.append(
            strings(pattern, 0, lo - 1).map(lambda s: (s, "", f"Member must have length greater than or equal to {lo}"))
        )
    if hi < 10**6 and high > hi and (pattern is None or single_char_repeat(pattern)):
        # Tiling a short match keeps an X+ pattern matched and stays cheap at any length.
        too_long = strings(pattern, 1, EXTRA).map(lambda s: (s * (hi + 1))[: hi + 1])
        options.append(too_long.map(lambda s: (s, "", f"Member must have length less than or equal to {hi}")))
    if pattern:
        options += pattern_mutation(pattern, lo, hi)
    return options


def pattern_width(pattern: str | None) -> tuple[int, int]:
    if pattern is None:
        return 0, 10**9
    return sre_parse.parse(translate_pattern(pattern)).getwidth()


def pattern_mutation(pattern: str, lo: int, hi: int) -> list[SearchStrategy[Mutation]]:
    """Strings of legal length that miss the pattern: fixed probes built from
    tricky characters, plus random text over those characters."""
    matches = re.compile(translate_pattern(pattern)).fullmatch
    size = max(lo, 1)
    if size > hi:
        return []
    probes = [c * size for c in TRICKY] + [("a" * size)[:-1] + c for c in TRICKY]
    probes = [p for p in probes if not matches(p)]
    if not probes:
        return []
    text = st.text(st.sampled_from(TRICKY), min_size=size, max_size=min(hi, size + EXTRA))
    bad = st.sampled_from(probes) | text.filter(lambda s: not matches(s))
    rule = f"Member must satisfy regular expression pattern: {pattern}"
    return [bad.map(lambda s: (s, "", rule))]


def range_mutations(shape: Shape) -> list[SearchStrategy[Mutation]]:
    md = shape.metadata
    integral = shape.type_name in INT_RANGES
    floor, ceiling = INT_RANGES.get(shape.type_name, (-1e300, 1e300))
    options = []
    if "min" in md and md["min"] > floor:
        below = st.integers(floor, md["min"] - 1) if integral else st.floats(floor, md["min"], exclude_max=True)
        options.append(below.map(lambda v: (v, "", f"Member must have value greater than or equal to {md['min']}")))
    if "max" in md and md["max"] < ceiling:
        above = st.integers(md["max"] + 1, ceiling) if integral else st.floats(md["max"], ceiling, exclude_min=True)
        options.append(above.map(lambda v: (v, "", f"Member must have value less than or equal to {md['max']}")))
    return options
