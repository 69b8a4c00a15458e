"""Hypothesis strategies for Migration Hub inputs, for property tests of your own
migration tool.

Constraints (lengths, patterns, enums, number ranges) are read from the ``mgh``
service model botocore ships, so they follow the model botocore has; only what
the model states in prose (the per-type attribute formats of ``ResourceAttribute``)
or does not state at all (the shape of ADS ids) is built here, and says so.

"Invalid" strategies give values that pass botocore's own client-side checks
(required members, types, ``min``) but break the model's ``max`` or ``pattern``,
so they reach the service and must be refused by it (``InvalidInputException``).
"""

from __future__ import annotations

import html
import re
import string
from functools import cache
from typing import Any

from hypothesis import strategies as st

from .wire.validation import translate_pattern

__all__ = [
    "application_ids",
    "configuration_ids",
    "created_artifact_names",
    "invalid_stream_names",
    "invalid_task_names",
    "model_values",
    "resource_attribute_lists",
    "resource_attributes",
    "stream_names",
    "task_names",
    "task_payloads",
]

_TEXT = st.characters(codec="utf-8", exclude_categories=["Cs"])
_JAVA_DOT = re.compile(translate_pattern("."))  # what '.' matches in a model pattern (no line terminators)
_ID_CHARS = string.digits + string.ascii_lowercase
VM_TYPES = ("VM_MANAGED_OBJECT_REFERENCE", "VM_NAME", "VM_PATH")


@cache
def _model() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model("mgh")


def _shape(name: str) -> Any:
    return _model().shape_for(name)


def _limits(shape: Any) -> tuple[int, int | None]:
    return shape.metadata.get("min", 0), shape.metadata.get("max")


def _string(shape: Any) -> st.SearchStrategy[str]:
    """Any string the shape allows: enum, else pattern (full match) within min..max."""
    if shape.enum:
        return st.sampled_from(shape.enum)
    low, high = _limits(shape)
    pattern = shape.metadata.get("pattern")
    if pattern is None:
        return st.text(_TEXT, min_size=low, max_size=high)
    body = pattern.removeprefix("^").removesuffix("$")
    if re.fullmatch(r"\.\{\d+,\d+\}", body):  # '^.{m,n}$': text without line breaks, cheaper than from_regex
        return st.text(_TEXT.filter(_JAVA_DOT.fullmatch), min_size=low, max_size=high)
    return st.from_regex(translate_pattern(body), fullmatch=True, alphabet=_TEXT).filter(
        lambda s: low <= len(s) and (high is None or len(s) <= high)
    )


def _from_shape(shape: Any) -> st.SearchStrategy[Any]:
    if shape.type_name == "string":
        return _string(shape)
    if shape.type_name == "integer":
        low, high = _limits(shape)
        return st.integers(min_value=low, max_value=high)
    if shape.type_name == "structure":
        required = set(shape.required_members)
        members = {name: _from_shape(member) for name, member in shape.members.items()}
        return st.fixed_dictionaries(
            {k: v for k, v in members.items() if k in required},
            optional={k: v for k, v in members.items() if k not in required},
        )
    raise NotImplementedError(f"no strategy for {shape.type_name} shape {shape.name}")


def _invalid(shape: Any) -> st.SearchStrategy[str]:
    """Strings at or over ``min`` that break ``max`` or the pattern."""
    low, high = _limits(shape)
    pattern = shape.metadata["pattern"]
    valid = _string(shape)
    # Characters the pattern refuses, found by asking the pattern (of the first 128 code points).
    refused = [c for c in map(chr, range(128)) if not re.fullmatch(translate_pattern(pattern), c)]
    with_bad_char = st.tuples(valid, st.sampled_from(refused), valid).map(
        lambda t: (t[0] + t[1] + t[2])[: high or None]
    )
    too_long = st.text(st.sampled_from(string.ascii_letters), min_size=(high or 0) + 1, max_size=(high or 0) + 20)
    return st.one_of(with_bad_char, too_long).filter(
        lambda s: len(s) >= low and (len(s) > (high or len(s)) or not re.fullmatch(pattern, s))
    )


def model_values(shape_name: str) -> st.SearchStrategy[Any]:
    """Any value the mgh model accepts for the named shape (``"StatusDetail"``,
    ``"SourceResource"``, ...): its enum, pattern (full match), lengths and ranges."""
    return _from_shape(_shape(shape_name))


def stream_names() -> st.SearchStrategy[str]:
    """Valid ``ProgressUpdateStreamName`` values."""
    return _string(_shape("ProgressUpdateStream"))


def invalid_stream_names() -> st.SearchStrategy[str]:
    """Stream names botocore sends but the model refuses (too long, or a refused character)."""
    return _invalid(_shape("ProgressUpdateStream"))


def task_names() -> st.SearchStrategy[str]:
    """Valid ``MigrationTaskName`` values (``/`` included: the model allows it)."""
    return _string(_shape("MigrationTaskName"))


def invalid_task_names() -> st.SearchStrategy[str]:
    """Task names botocore sends but the model refuses."""
    return _invalid(_shape("MigrationTaskName"))


def task_payloads() -> st.SearchStrategy[dict[str, Any]]:
    """``Task`` dicts for NotifyMigrationTaskState: Status, and optionally StatusDetail and ProgressPercent."""
    return _from_shape(_shape("Task"))


def created_artifact_names() -> st.SearchStrategy[str]:
    """ARNs matching the model's ``CreatedArtifactName`` pattern, mostly realistic ones."""
    high = _limits(_shape("CreatedArtifactName"))[1] or 1600
    pattern = _shape("CreatedArtifactName").metadata["pattern"]
    realistic = st.builds(
        "arn:{}:{}:{}:{}:{}".format,
        st.sampled_from(["aws", "aws-us-gov", "aws-cn"]),
        st.sampled_from(["ec2", "dms", "rds"]),
        st.sampled_from(["us-east-1", "us-west-2", "eu-west-1", ""]),
        st.from_regex(r"[0-9]{12}", fullmatch=True),
        st.builds(
            "{}/{}-{}".format,
            st.sampled_from(["image", "instance", "endpoint"]),
            st.sampled_from(["ami", "i", "db"]),
            st.text("0123456789abcdef", min_size=8, max_size=17),
        ),
    )
    anything = st.from_regex(translate_pattern(pattern), fullmatch=True, alphabet=_TEXT)
    return st.one_of(realistic, anything).filter(lambda s: len(s) <= high)


# ---- resource attributes: the per-type formats are in the model's prose, not its patterns ----


@cache
def _documented_format(type_label: str) -> str:
    """The regex the ``ResourceAttribute`` documentation gives for a type, as Python regex."""
    doc = html.unescape(_shape("ResourceAttribute").documentation)
    found = re.search(rf"<dt>{type_label}</dt>\s*<dd>\s*<p>\s*<code>(.*?)</code>", doc)
    if found is None:
        raise LookupError(f"the ResourceAttribute documentation gives no format for {type_label}")
    # The FQDN class is written for Java with doubled escapes: \\\\ is one backslash, \\p{Cntrl} the controls.
    return found.group(1).replace("\\\\\\\\", "\\\\").replace("\\\\p{Cntrl}", "\\x00-\\x1f\\x7f")


def _ipv4() -> st.SearchStrategy[str]:
    return st.lists(st.integers(0, 255), min_size=4, max_size=4).map(lambda xs: ".".join(map(str, xs)))


def _ipv6() -> st.SearchStrategy[str]:  # the documented full form y:y:y:y:y:y:y:y
    return st.lists(st.integers(0, 0xFFFF), min_size=8, max_size=8).map(lambda ys: ":".join(f"{y:x}" for y in ys))


def _fqdn() -> st.SearchStrategy[str]:
    label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
    return (
        st.lists(label, min_size=2, max_size=5)
        .map(".".join)
        .filter(lambda s: re.fullmatch(_documented_format("FQDN"), s) is not None)
    )


def resource_attributes(type_: str | None = None) -> st.SearchStrategy[dict[str, str]]:
    """One ``{"Type", "Value"}`` attribute, its value in the documented format of its type
    (VM and hardware ids, for which nothing is documented, in the usual VMware/SMBIOS forms)."""
    types = _shape("ResourceAttributeType").enum
    if type_ is not None and type_ not in types:
        raise ValueError(f"unknown ResourceAttributeType {type_!r}; the model has {', '.join(types)}")
    uuid = st.uuids().map(str)
    values: dict[str, st.SearchStrategy[str]] = {
        "IPV4_ADDRESS": _ipv4(),
        "IPV6_ADDRESS": _ipv6(),
        "MAC_ADDRESS": st.from_regex(_documented_format("MAC_ADDRESS"), fullmatch=True).map(str.strip),
        "FQDN": _fqdn(),
        "VM_MANAGER_ID": uuid,
        "VM_MANAGED_OBJECT_REFERENCE": st.integers(1, 99999).map("vm-{}".format),
        "VM_NAME": st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,30}", fullmatch=True),
        "VM_PATH": st.lists(st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True), min_size=1, max_size=4).map(
            lambda parts: "/" + "/".join(parts)
        ),
        "BIOS_ID": uuid,
        "MOTHERBOARD_SERIAL_NUMBER": st.from_regex(r"[A-Z0-9]{6,20}", fullmatch=True),
    }
    high = _limits(_shape("ResourceAttributeValue"))[1] or 256
    # One strategy per type, built here: a flatmap that built them per draw had Hypothesis
    # validate a new strategy on every draw.
    attributes = {t: _typed_attribute(t, values[t], high) for t in types}
    chosen = st.sampled_from(types) if type_ is None else st.just(type_)
    return chosen.flatmap(attributes.__getitem__)


def _typed_attribute(type_: str, values: st.SearchStrategy[str], high: int) -> st.SearchStrategy[dict[str, str]]:
    """``{"Type": type_, "Value": v}`` for the values of ``values`` no longer than ``high``."""
    return values.filter(lambda v: len(v) <= high).map(lambda v: {"Type": type_, "Value": v})


def resource_attribute_lists(*, max_size: int | None = None) -> st.SearchStrategy[list[dict[str, str]]]:
    """``ResourceAttributeList`` values (sizes from the model, capped by ``max_size``).  Any
    list holding a VM_* attribute also holds VM_MANAGER_ID, which the documentation requires
    for VM attributes to be kept."""
    low, high = _limits(_shape("ResourceAttributeList"))
    high = min(high or 100, max_size or 100)

    def with_manager(items: list[dict[str, str]], manager: dict[str, str]) -> list[dict[str, str]]:
        needs = any(i["Type"] in VM_TYPES for i in items) and not any(i["Type"] == "VM_MANAGER_ID" for i in items)
        return [*items[: high - 1], manager] if needs else items

    return st.builds(
        with_manager,
        st.lists(resource_attributes(), min_size=max(low, 1), max_size=high),
        resource_attributes("VM_MANAGER_ID"),
    )


# ---- ADS ids: the model only says "a string"; these are the forms AWS issues ------------------


def _ads_id(kind: str) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(_ID_CHARS), min_size=13, max_size=13).map(lambda s: f"d-{kind}-0{s}")


def application_ids() -> st.SearchStrategy[str]:
    """ADS application ids as issued now: ``d-application-`` + 14 of [0-9a-z], starting with 0."""
    return _ads_id("application")


def configuration_ids() -> st.SearchStrategy[str]:
    """ADS server configuration ids (``d-server-`` + 14 of [0-9a-z], starting with 0), for
    AssociateDiscoveredResource and ListMigrationTasks ``ResourceName``."""
    return _ads_id("server")
