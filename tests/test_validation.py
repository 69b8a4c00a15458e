"""Request validation compiled from the real botocore models."""

from __future__ import annotations

import functools
import re

import botocore.session
import pytest
from botocore.model import ShapeResolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fakehub.wire.validation import (
    MAX_LISTED,
    MAX_QUOTED,
    compile_validator,
    format_violations,
    translate_pattern,
)
from tests.strategies_from_model import structure_mutations, valid

SERVICES = ("mgh", "migrationhub-config", "discovery")
SESSION = botocore.session.get_session()
MODELS = {name: SESSION.get_service_model(name) for name in SERVICES}
OPERATIONS = [
    (service, op)
    for service, model in MODELS.items()
    for op in model.operation_names
    if model.operation_model(op).input_shape is not None
]
QUICK = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


def input_shape(service: str, op: str):
    return MODELS[service].operation_model(op).input_shape


def mgh(op: str):
    return compile_validator(input_shape("mgh", op))


def rule(value: str, path: str, constraint: str) -> str:
    return f"Value {value} at '{path}' failed to satisfy constraint: {constraint}"


# --- compilation over the whole models -------------------------------------


@pytest.mark.parametrize(("service", "op"), OPERATIONS)
def test_every_input_shape_compiles_and_accepts_required_only_nulls(service, op):
    validate = compile_validator(input_shape(service, op))
    required = input_shape(service, op).required_members
    assert len(validate({})) == len(required)


def test_every_model_pattern_compiles_in_python():
    compiled = 0
    for model in MODELS.values():
        for name in model.shape_names:
            pattern = model.shape_for(name).metadata.get("pattern")
            if pattern:
                re.compile(translate_pattern(pattern))  # raises if a pattern cannot be used
                compiled += 1
    assert compiled > 20  # the three models carry dozens of patterns: the loop saw them


# --- exact AWS messages against the mgh model -----------------------------


def test_too_long_stream_name():
    [v] = mgh("CreateProgressUpdateStream")({"ProgressUpdateStreamName": "x" * 51})
    assert v == rule(f"'{'x' * 51}'", "progressUpdateStreamName", "Member must have length less than or equal to 50")


def test_missing_and_empty_and_patterned_task_name():
    validate = mgh("DescribeMigrationTask")
    assert validate({"ProgressUpdateStream": "s"}) == [rule("null", "migrationTaskName", "Member must not be null")]
    # Coral reports every failing constraint of one value: length, then pattern.
    assert validate({"ProgressUpdateStream": "s", "MigrationTaskName": ""}) == [
        rule("''", "migrationTaskName", "Member must have length greater than or equal to 1"),
        rule("''", "migrationTaskName", "Member must satisfy regular expression pattern: [^:|]+"),
    ]
    assert validate({"ProgressUpdateStream": "s", "MigrationTaskName": "a:b"}) == [
        rule("'a:b'", "migrationTaskName", "Member must satisfy regular expression pattern: [^:|]+")
    ]


def test_explicit_json_null_is_absent():
    assert mgh("DescribeMigrationTask")({"ProgressUpdateStream": "s", "MigrationTaskName": None}) == [
        rule("null", "migrationTaskName", "Member must not be null")
    ]


NOTIFY = {
    "ProgressUpdateStream": "s",
    "MigrationTaskName": "t",
    "Task": {"Status": "IN_PROGRESS", "ProgressPercent": 50},
    "UpdateDateTime": 1_700_000_000.5,
    "NextUpdateSeconds": 0,
    "DryRun": False,
    "SomethingUnmodeled": {"ignored": True},
}


def test_valid_notify_migration_task_state():
    assert mgh("NotifyMigrationTaskState")(NOTIFY) == []


def test_nested_enum_range_and_types_in_model_order():
    body = {
        **NOTIFY,
        "Task": {"Status": "DONE", "ProgressPercent": 101},
        "UpdateDateTime": "yesterday",
        "NextUpdateSeconds": -1,
        "DryRun": "no",
    }
    assert mgh("NotifyMigrationTaskState")(body) == [
        rule(
            "'DONE'", "task.status", "Member must satisfy enum value set: [NOT_STARTED, IN_PROGRESS, FAILED, COMPLETED]"
        ),
        rule("'101'", "task.progressPercent", "Member must have value less than or equal to 100"),
        rule("'yesterday'", "updateDateTime", "Member must be of type timestamp"),
        rule("'-1'", "nextUpdateSeconds", "Member must have value greater than or equal to 0"),
        rule("'no'", "dryRun", "Member must be of type boolean"),
    ]


@pytest.mark.parametrize(
    ("value", "rendered", "type_name"),
    [
        ("abc", "'abc'", "integer"),
        (True, "'true'", "integer"),
        (50.0, "'50.0'", "integer"),
        (2**63, f"'{2**63}'", "integer"),
    ],
)
def test_wrong_type_for_integer(value, rendered, type_name):
    body = {**NOTIFY, "Task": {"Status": "FAILED", "ProgressPercent": value}}
    assert mgh("NotifyMigrationTaskState")(body) == [
        rule(rendered, "task.progressPercent", f"Member must be of type {type_name}")
    ]


def test_wrong_container_types():
    body = {**NOTIFY, "Task": ["FAILED"], "MigrationTaskName": 7}
    assert mgh("NotifyMigrationTaskState")(body) == [
        rule("'7'", "migrationTaskName", "Member must be of type string"),
        rule("'[FAILED]'", "task", "Member must be of type structure"),
    ]
    put = {"ProgressUpdateStream": "s", "MigrationTaskName": "t", "ResourceAttributeList": {"Type": "FQDN"}}
    assert mgh("PutResourceAttributes")(put) == [
        rule("'{Type=FQDN}'", "resourceAttributeList", "Member must be of type list")
    ]


def attribute(i: int) -> dict:
    return {"Type": "IPV4_ADDRESS", "Value": f"10.0.0.{i}"}


def test_list_too_long_renders_the_list_cut_short():
    items = [attribute(1)] * 101
    body = {"ProgressUpdateStream": "s", "MigrationTaskName": "t", "ResourceAttributeList": items}
    rendered = "[" + ", ".join(["{Type=IPV4_ADDRESS, Value=10.0.0.1}"] * 101) + "]"
    assert mgh("PutResourceAttributes")(body) == [
        rule(
            f"'{rendered[:MAX_QUOTED]}…' (101 items)",
            "resourceAttributeList",
            "Member must have length less than or equal to 100",
        )
    ]


def test_a_value_just_short_enough_is_quoted_whole():
    validate = mgh("CreateProgressUpdateStream")
    name = "x" * MAX_QUOTED
    assert validate({"ProgressUpdateStreamName": name}) == [
        rule(f"'{name}'", "progressUpdateStreamName", "Member must have length less than or equal to 50")
    ]
    assert validate({"ProgressUpdateStreamName": name + "y"}) == [
        rule(
            f"'{name}…' ({MAX_QUOTED + 1} characters)",
            "progressUpdateStreamName",
            "Member must have length less than or equal to 50",
        )
    ]


def test_a_huge_value_is_quoted_cut_short_saying_how_long_it_was():
    """Issue 13 item 1: a 50 MiB StatusDetail was quoted whole by each of its two violations."""
    detail = "x" * 1_000_000
    body = {**NOTIFY, "Task": {"Status": "IN_PROGRESS", "StatusDetail": detail}}
    violations = mgh("NotifyMigrationTaskState")(body)
    quoted = f"'{'x' * MAX_QUOTED}…' (1000000 characters)"
    assert violations == [
        rule(quoted, "task.statusDetail", "Member must have length less than or equal to 2500"),
        rule(quoted, "task.statusDetail", "Member must satisfy regular expression pattern: ^.{0,2500}$"),
    ]
    assert max(len(v) for v in violations) < 2 * MAX_QUOTED + 100


def test_nested_values_are_cut_short_inside_and_counted_outside():
    validate = compile_validator(
        synthetic(
            {
                "Req": {"type": "structure", "members": {"Tags": {"shape": "TagMap"}}},
                "TagMap": {"type": "map", "key": {"shape": "Key"}, "value": {"shape": "Key"}, "max": 1},
                "Key": {"type": "string"},
            }
        )
    )
    [violation] = validate({"Tags": {"a": "v" * 10_000, "b": "w"}})
    assert violation == rule(
        f"'{{a={'v' * (MAX_QUOTED - 3)}…' (2 entries)", "tags", "Member must have length less than or equal to 1"
    )


def test_violations_past_the_first_few_are_counted_not_listed():
    items = [{"Type": "NOPE", "Value": "v"}] * 20_000
    body = {"ProgressUpdateStream": "s", "MigrationTaskName": "t", "ResourceAttributeList": items}
    violations = mgh("PutResourceAttributes")(body)
    enum = "Member must satisfy enum value set: ["
    assert len(violations) == MAX_LISTED and violations.total == 20_001  # the list's length, then each item
    assert violations[0].endswith(
        "at 'resourceAttributeList' failed to satisfy constraint: Member must have length less than or equal to 100"
    )
    assert violations[1].startswith("Value 'NOPE' at 'resourceAttributeList.1.member.type'") and enum in violations[1]
    assert violations[-1].startswith(f"Value 'NOPE' at 'resourceAttributeList.{MAX_LISTED - 1}.member.type'")
    message = format_violations(violations)
    assert message.startswith("20001 validation errors detected: Value '[{Type=NOPE, Value=v}, ")
    assert message.endswith(f"; and {20_001 - MAX_LISTED} more")
    assert message.count("failed to satisfy constraint") == MAX_LISTED


def test_nested_list_member_paths_are_one_based():
    items = [attribute(1), {"Type": "IP", "Value": ""}, None, {"Value": "x"}]
    body = {"ProgressUpdateStream": "s", "MigrationTaskName": "t", "ResourceAttributeList": items}
    enum = (
        "[IPV4_ADDRESS, IPV6_ADDRESS, MAC_ADDRESS, FQDN, VM_MANAGER_ID, VM_MANAGED_OBJECT_REFERENCE, VM_NAME, VM_PATH, "
        "BIOS_ID, MOTHERBOARD_SERIAL_NUMBER]"
    )
    assert mgh("PutResourceAttributes")(body) == [
        rule("'IP'", "resourceAttributeList.2.member.type", f"Member must satisfy enum value set: {enum}"),
        rule("''", "resourceAttributeList.2.member.value", "Member must have length greater than or equal to 1"),
        rule(
            "''", "resourceAttributeList.2.member.value", "Member must satisfy regular expression pattern: ^.{1,256}$"
        ),
        rule("null", "resourceAttributeList.3.member", "Member must not be null"),
        rule("null", "resourceAttributeList.4.member.type", "Member must not be null"),
    ]


def test_empty_list_is_too_short():
    body = {"ProgressUpdateStream": "s", "MigrationTaskName": "t", "ResourceAttributeList": []}
    assert mgh("PutResourceAttributes")(body) == [
        rule("'[]'", "resourceAttributeList", "Member must have length greater than or equal to 1")
    ]


def test_non_object_body():
    assert mgh("ListMigrationTasks")([]) == [rule("'[]'", "", "Member must be of type structure")]


def test_union_needs_exactly_one_member():
    validate = compile_validator(input_shape("discovery", "StartExportTask"))
    assert validate({"preferences": {}}) == [rule("'{}'", "preferences", "Member must have exactly one member set")]
    assert validate({"preferences": {"ec2RecommendationsPreferences": {"enabled": True}}}) == []


# --- format_violations ---------------------------------------------------


def test_format_one_and_many():
    assert format_violations(["a"]) == "1 validation error detected: a"
    assert format_violations(["a", "b", "c"]) == "3 validation errors detected: a; b; c"
    many = [str(i) for i in range(MAX_LISTED + 2)]
    listed = "; ".join(many[:MAX_LISTED])
    assert format_violations(many) == f"{MAX_LISTED + 2} validation errors detected: {listed}; and 2 more"


# --- shapes the three models lack: maps, recursion, Java regex ---------------


def synthetic(shapes: dict):
    return ShapeResolver(shapes).get_shape_by_name("Req")


def test_map_keys_and_values_are_reported_once_per_map():
    validate = compile_validator(
        synthetic(
            {
                "Req": {"type": "structure", "members": {"Tags": {"shape": "TagMap"}}},
                "TagMap": {"type": "map", "key": {"shape": "TagKey"}, "value": {"shape": "TagValue"}, "max": 2},
                "TagKey": {"type": "string", "min": 1, "max": 3, "pattern": "[a-z]+"},
                "TagValue": {"type": "string", "max": 4},
            }
        )
    )
    assert validate({"Tags": {"ab": "v", "c": ""}}) == []
    assert validate({"Tags": {"AB": "v", "toolong": "v", "a": "12345"}}) == [
        rule("'{AB=v, toolong=v, a=12345}'", "tags", "Member must have length less than or equal to 2"),
        rule(
            "'{AB=v, toolong=v, a=12345}'",
            "tags",
            "Map keys must satisfy constraint: [Member must have length less than or equal to 3, "
            "Member must have length greater than or equal to 1, "
            "Member must satisfy regular expression pattern: [a-z]+]",
        ),
        rule(
            "'{AB=v, toolong=v, a=12345}'",
            "tags",
            "Map value must satisfy constraint: [Member must have length less than or equal to 4]",
        ),
    ]


def test_map_of_structures_validates_values_in_place():
    validate = compile_validator(
        synthetic(
            {
                "Req": {"type": "structure", "members": {"Things": {"shape": "Things"}}},
                "Things": {"type": "map", "key": {"shape": "Key"}, "value": {"shape": "Thing"}},
                "Key": {"type": "string"},
                "Thing": {"type": "structure", "required": ["N"], "members": {"N": {"shape": "Small"}}},
                "Small": {"type": "integer", "max": 1},
            }
        )
    )
    assert validate({"Things": {"k": {"N": 2}, "j": {}}}) == [
        rule("'2'", "things.k.member.n", "Member must have value less than or equal to 1"),
        rule("null", "things.j.member.n", "Member must not be null"),
    ]


def test_recursive_shapes_compile():
    validate = compile_validator(
        synthetic(
            {
                "Req": {"type": "structure", "members": {"Child": {"shape": "Req"}, "Name": {"shape": "Name"}}},
                "Name": {"type": "string", "max": 1},
            }
        )
    )
    assert validate({"Child": {"Child": {"Name": "xy"}}}) == [
        rule("'xy'", "child.child.name", "Member must have length less than or equal to 1")
    ]


@pytest.mark.parametrize(
    ("java", "python"),
    [
        (r"[\p{Alnum}_]+", r"[a-zA-Z0-9_]+"),
        (r"\p{Upper}\p{Lower}*", r"[A-Z][a-z]*"),
        (r"\P{Digit}+", r"[^0-9]+"),
        (r"\p{IsAlpha}+\z", r"[a-zA-Z]+\Z"),
        (r"[\]\p{Digit}]", r"[\]0-9]"),
        (r"[^/:|\000-\037]+", r"[^/:|\000-\037]+"),
        (r"^.{0,2500}$", r"^[^\n\r\x85\u2028\u2029]{0,2500}$"),  # Java's '.' stops at every line terminator
        (r"[a-z.]+", r"[a-z.]+"),  # a literal dot in brackets stays
        (r"^\d{12}$", r"(?a)^\d{12}$"),  # Java's \d \s \w are ASCII
    ],
)
def test_translate_java_pattern(java, python):
    assert translate_pattern(java) == python


@pytest.mark.parametrize("java", [r"\p{L}+", r"[\P{Digit}]"])
def test_untranslatable_java_pattern_fails_loudly(java):
    with pytest.raises(ValueError, match=r"\\[pP]\{"):  # the message names the class it cannot translate
        translate_pattern(java)


def test_translated_pattern_is_used_for_matching():
    validate = compile_validator(
        synthetic(
            {
                "Req": {"type": "structure", "members": {"Id": {"shape": "Id"}}},
                "Id": {"type": "string", "pattern": r"\p{Alnum}+"},
            }
        )
    )
    assert validate({"Id": "abc1"}) == []
    assert validate({"Id": "a-b"}) == [
        rule("'a-b'", "id", r"Member must satisfy regular expression pattern: \p{Alnum}+")
    ]


@pytest.mark.parametrize("terminator", ["\n", "\r", "\u0085", "\u2028", "\u2029"])
def test_a_line_terminator_breaks_a_dot_pattern_as_in_java(terminator):
    """``StatusDetail`` is ``^.{0,2500}$``: Coral matches with Java, whose '.' refuses every
    line terminator (Python's refuses only '\\n'); a tab or a no-break space is fine."""
    notify = mgh("NotifyMigrationTaskState")
    body = {
        "ProgressUpdateStream": "S",
        "MigrationTaskName": "t",
        "UpdateDateTime": 0,
        "NextUpdateSeconds": 1,
        "Task": {"Status": "IN_PROGRESS", "StatusDetail": f"Copying 50%{terminator}Copying 77%"},
    }
    assert notify(body) == [
        rule(
            f"'Copying 50%{terminator}Copying 77%'",
            "task.statusDetail",
            "Member must satisfy regular expression pattern: ^.{0,2500}$",
        )
    ]
    body["Task"]["StatusDetail"] = "Copying\t50%\u00a0done"
    assert notify(body) == []


def test_digits_are_ascii_digits_as_in_java():
    validate = compile_validator(input_shape("migrationhub-config", "CreateHomeRegionControl"))
    body = {"HomeRegion": "us-west-2", "Target": {"Type": "ACCOUNT", "Id": "\u0661" * 12}}  # Arabic-Indic one
    assert [v for v in validate(body) if "target.id" in v and "^\\d{12}$" in v]
    body["Target"]["Id"] = "123456789012"
    assert validate(body) == []


# --- properties generated from the models ----------------------------------


@functools.cache
def compiled(service: str, op: str):
    return compile_validator(input_shape(service, op))


@functools.cache
def valid_bodies(service: str, op: str):
    return valid(input_shape(service, op))


@functools.cache
def mutated_bodies(service: str, op: str):
    return st.one_of(structure_mutations(input_shape(service, op)))


MUTABLE = [(s, op) for s, op in OPERATIONS if structure_mutations(input_shape(s, op))]


@pytest.mark.parametrize(("service", "op"), OPERATIONS)
@QUICK
@given(data=st.data())
def test_model_valid_bodies_have_no_violations(service, op, data):
    body = data.draw(valid_bodies(service, op))
    assert compiled(service, op)(body) == []


@pytest.mark.parametrize(("service", "op"), MUTABLE)
@QUICK
@given(data=st.data())
def test_one_injected_violation_is_reported_alone(service, op, data):
    body, path, constraint = data.draw(mutated_bodies(service, op))
    violations = compiled(service, op)(body)
    assert len(violations) == 1, violations
    assert violations[0].startswith("Value ")
    assert violations[0].endswith(f" at '{path}' failed to satisfy constraint: {constraint}")
