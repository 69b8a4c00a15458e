"""Identity-policy evaluation and the ARNs of mgh requests (pure core)."""

from __future__ import annotations

import json

import botocore.session
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakehub.core.policy import (
    Decision,
    PolicyDocumentError,
    PolicySet,
    denial,
    iam_action,
    resources_for,
)

ACCOUNT = "123456789012"
REGION = "us-west-2"
STREAM_ARN = f"arn:aws:mgh:{REGION}:{ACCOUNT}:progressUpdateStream/SMS"
TASK_ARN = f"{STREAM_ARN}/migrationTask/task-1"

_SESSION = botocore.session.get_session()
MGH = _SESSION.get_service_model("mgh")
MGH_OPS = sorted(MGH.operation_names)
CONFIG_OPS = sorted(_SESSION.get_service_model("migrationhub-config").operation_names)
PARAMS = {"ProgressUpdateStreamName": "SMS", "ProgressUpdateStream": "SMS", "MigrationTaskName": "task-1"}


def doc(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action="*", resource="*", **extra) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action="*", resource="*") -> dict:
    return {"Effect": "Deny", "Action": action, "Resource": resource}


# ---------------------------------------------------------------- evaluation


def test_no_policies_allows_everything():
    policies = PolicySet()
    assert not policies.attached
    assert policies.evaluate("mgh:DeleteProgressUpdateStream", [STREAM_ARN]) is Decision.ALLOW


def test_attached_policy_without_match_is_implicit_deny():
    policies = PolicySet([doc(allow("mgh:ListMigrationTasks"))])
    assert policies.attached
    assert policies.evaluate("mgh:ListMigrationTasks", ["*"]) is Decision.ALLOW
    assert policies.evaluate("mgh:ImportMigrationTask", [TASK_ARN]) is Decision.IMPLICIT_DENY


@pytest.mark.parametrize(
    ("pattern", "action", "allowed"),
    [
        ("mgh:*", "mgh:ImportMigrationTask", True),
        ("mgh:List*", "mgh:ListMigrationTasks", True),
        ("mgh:List*", "mgh:DescribeMigrationTask", False),
        ("mgh:*MigrationTask", "mgh:ImportMigrationTask", True),
        ("mgh:Describe?pplicationState", "mgh:DescribeApplicationState", True),
        ("mgh:Describe?pplicationState", "mgh:DescribeXXApplicationState", False),
        ("MGH:importmigrationtask", "mgh:ImportMigrationTask", True),
        ("discovery:*", "mgh:ImportMigrationTask", False),
        ("*", "discovery:DescribeConfigurations", True),
    ],
)
def test_action_wildcards_case_insensitive(pattern, action, allowed):
    policies = PolicySet([doc(allow(pattern))])
    assert (policies.evaluate(action, ["*"]) is Decision.ALLOW) is allowed


@pytest.mark.parametrize(
    ("pattern", "resource", "allowed"),
    [
        ("arn:aws:mgh:*:*:progressUpdateStream/SMS", STREAM_ARN, True),
        ("arn:aws:mgh:*:*:progressUpdateStream/SMS/*", TASK_ARN, True),
        ("arn:aws:mgh:*:*:progressUpdateStream/SMS/*", STREAM_ARN, False),
        ("arn:aws:mgh:us-west-2:*:progressUpdateStream/S?S/migrationTask/*", TASK_ARN, True),
        ("arn:aws:mgh:eu-west-1:*:*", TASK_ARN, False),
        ("arn:aws:mgh:*:*:progressUpdateStream/sms", STREAM_ARN, False),  # ARNs are case-sensitive
        ("arn:aws:mgh:*:*:progressUpdateStream/[S]MS", STREAM_ARN, False),  # '[' is literal in IAM
        ("arn:aws:mgh:*", "*", False),  # actions without resource-level permissions need "*"
        ("*", "*", True),
    ],
)
def test_resource_wildcards(pattern, resource, allowed):
    policies = PolicySet([doc(allow("mgh:*", pattern))])
    assert (policies.evaluate("mgh:ImportMigrationTask", [resource]) is Decision.ALLOW) is allowed


def test_explicit_deny_beats_allow_in_any_order():
    for statements in ([allow(), deny("mgh:Delete*")], [deny("mgh:Delete*"), allow()]):
        policies = PolicySet([doc(*statements)])
        assert policies.evaluate("mgh:DeleteProgressUpdateStream", [STREAM_ARN]) is Decision.EXPLICIT_DENY
        assert policies.evaluate("mgh:CreateProgressUpdateStream", [STREAM_ARN]) is Decision.ALLOW


def test_deny_in_a_second_document_wins():
    policies = PolicySet([doc(allow())])
    policies.attach(json.dumps(doc(deny("mgh:*", "arn:aws:mgh:*:*:progressUpdateStream/SMS*"))))
    assert policies.evaluate("mgh:ImportMigrationTask", [TASK_ARN]) is Decision.EXPLICIT_DENY
    assert policies.evaluate("mgh:ListMigrationTasks", ["*"]) is Decision.ALLOW


def test_not_action():
    policies = PolicySet(
        [doc({"Effect": "Allow", "NotAction": ["mgh:Delete*", "mgh:*HomeRegionControl"], "Resource": "*"})]
    )
    assert policies.evaluate("mgh:ListMigrationTasks", ["*"]) is Decision.ALLOW
    assert policies.evaluate("mgh:DeleteProgressUpdateStream", [STREAM_ARN]) is Decision.IMPLICIT_DENY
    assert policies.evaluate("mgh:CreateHomeRegionControl", ["*"]) is Decision.IMPLICIT_DENY


def test_not_resource_with_deny():
    policies = PolicySet(
        [
            doc(
                allow(),
                {"Effect": "Deny", "Action": "mgh:*", "NotResource": "arn:aws:mgh:*:*:progressUpdateStream/SMS/*"},
            )
        ]
    )
    assert policies.evaluate("mgh:ImportMigrationTask", [TASK_ARN]) is Decision.ALLOW
    other = TASK_ARN.replace("/SMS/", "/DMS/")
    assert policies.evaluate("mgh:ImportMigrationTask", [other]) is Decision.EXPLICIT_DENY


def test_single_statement_object_and_json_string():
    policies = PolicySet([json.dumps({"Version": "2012-10-17", "Statement": allow("mgh:Get*")})])
    assert policies.evaluate("mgh:GetHomeRegion", ["*"]) is Decision.ALLOW


def test_every_resource_must_be_allowed():
    policies = PolicySet([doc(allow("mgh:*", STREAM_ARN))])
    assert policies.evaluate("mgh:X", [STREAM_ARN, TASK_ARN]) is Decision.IMPLICIT_DENY
    assert policies.evaluate("mgh:X", [STREAM_ARN]) is Decision.ALLOW


# ---------------------------------------------------------------- malformed documents


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "JSON object"),
        ({"Version": "2012-10-17"}, "no Statement"),
        ({"Version": "2020-01-01", "Statement": [allow()]}, "Version"),
        ({"Statement": []}, "non-empty list"),
        ({"Statement": [allow()], "Extra": 1}, "Unknown policy element"),
        ({"Statement": ["Allow"]}, "Statement[0] must be an object"),
        ({"Statement": [{"Effect": "allow", "Action": "*", "Resource": "*"}]}, "Effect"),
        ({"Statement": [{"Effect": "Allow", "Resource": "*"}]}, "exactly one of Action or NotAction"),
        (
            {"Statement": [{"Effect": "Allow", "Action": "*", "NotAction": "*", "Resource": "*"}]},
            "exactly one of Action",
        ),
        ({"Statement": [{"Effect": "Allow", "Action": "*"}]}, "exactly one of Resource or NotResource"),
        ({"Statement": [allow(action=[])]}, "non-empty"),
        ({"Statement": [allow(action="ListMigrationTasks")]}, "service:Action"),
        # The whole entry must have the shape: a trailing line break is no more part of it than a space.
        ({"Statement": [allow(action="mgh:* ")]}, "service:Action"),
        ({"Statement": [allow(action="mgh:*\n")]}, "service:Action"),
        ({"Statement": [allow(action=["mgh:ListMigrationTasks", "discovery:*\n"])]}, "service:Action"),
        ({"Statement": [{"Effect": "Deny", "NotAction": "mgh:*\n", "Resource": "*"}]}, "service:Action"),
        ({"Statement": [allow(resource="progressUpdateStream/SMS")]}, "is not '*' or an ARN"),
        ({"Statement": [allow(resource="arn:aws:mgh:*:*:progressUpdateStream/${aws:username}")]}, "policy variable"),
        ({"Statement": [allow(Condition={"StringEquals": {"aws:RequestedRegion": "us-west-2"}})]}, "Condition"),
        ({"Statement": [allow(Principal="*")]}, "Principal"),
        ({"Statement": [allow(Sid=3)]}, "Sid"),
        ({"Statement": [allow(Sid="Allow all mgh")]}, "letters and digits only"),
    ],
)
def test_malformed_documents_are_rejected_with_a_reason(document, fragment):
    with pytest.raises(PolicyDocumentError) as info:
        PolicySet([document])
    assert fragment in str(info.value)


def test_rejected_document_leaves_set_unchanged():
    policies = PolicySet()
    with pytest.raises(PolicyDocumentError):
        policies.attach(doc(allow(), {"Effect": "Deny"}))
    assert not policies.attached


# ---------------------------------------------------------------- actions and ARNs


def test_iam_action_names():
    assert iam_action("mgh", "ImportMigrationTask") == "mgh:ImportMigrationTask"
    assert iam_action("migrationhub-config", "GetHomeRegion") == "mgh:GetHomeRegion"
    assert iam_action("discovery", "DescribeConfigurations") == "discovery:DescribeConfigurations"


STAR_OPS = {
    "DescribeApplicationState",
    "ListApplicationStates",
    "ListMigrationTasks",
    "ListProgressUpdateStreams",
    "NotifyApplicationState",
}


@pytest.mark.parametrize("op", MGH_OPS)
def test_resources_for_every_mgh_op(op):
    input_members = set(MGH.operation_model(op).input_shape.members)
    arns = resources_for(op, PARAMS, REGION, ACCOUNT)
    if "ProgressUpdateStreamName" in input_members:
        assert arns == [STREAM_ARN]
    elif "MigrationTaskName" in input_members:
        assert arns == [TASK_ARN]
    else:
        assert op in STAR_OPS and arns == ["*"]


@pytest.mark.parametrize("op", CONFIG_OPS)
def test_config_ops_use_star(op):
    assert resources_for(op, {}, REGION, ACCOUNT) == ["*"]


def test_partition_follows_region():
    assert resources_for("DeleteProgressUpdateStream", PARAMS, "cn-north-1", ACCOUNT)[0].startswith(
        "arn:aws-cn:mgh:cn-north-1:"
    )


def test_task_name_with_slash_stays_in_the_arn():
    arn = resources_for("ImportMigrationTask", {**PARAMS, "MigrationTaskName": "a/b"}, REGION, ACCOUNT)[0]
    assert arn == f"{STREAM_ARN}/migrationTask/a/b"


def test_denial_codes_and_messages():
    implicit = denial("mgh:ImportMigrationTask", TASK_ARN, Decision.IMPLICIT_DENY, dry_run_modeled=True, dry_run=False)
    assert implicit.code == "AccessDeniedException"
    assert "mgh:ImportMigrationTask" in implicit.message and TASK_ARN in implicit.message
    assert "no identity-based policy allows" in implicit.message
    explicit = denial("mgh:ImportMigrationTask", TASK_ARN, Decision.EXPLICIT_DENY, dry_run_modeled=True, dry_run=True)
    assert explicit.code == "UnauthorizedOperation" and "explicit deny" in explicit.message
    config = denial("mgh:CreateHomeRegionControl", "*", Decision.IMPLICIT_DENY, dry_run_modeled=False, dry_run=True)
    assert config.code == "AccessDeniedException"


# ---------------------------------------------------------------- properties

ALL_ACTIONS = [iam_action("mgh", op) for op in MGH_OPS + CONFIG_OPS]
patterns = st.sampled_from(["*", "mgh:*", "mgh:List*", "mgh:*Task*", "mgh:?et*", "discovery:*", "mgh:Describe*"])
resource_patterns = st.sampled_from(["*", "arn:aws:mgh:*", "arn:aws:mgh:*:*:progressUpdateStream/SMS*", STREAM_ARN])
statements = st.builds(
    lambda effect, action, resource: {"Effect": effect, "Action": action, "Resource": resource},
    st.sampled_from(["Allow", "Deny"]),
    patterns,
    resource_patterns,
)
requests = st.tuples(st.sampled_from(MGH_OPS), st.sampled_from(["*", STREAM_ARN, TASK_ARN]))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(statements, min_size=1, max_size=5),
    st.builds(lambda a, r: deny(a, r), patterns, resource_patterns),
    requests,
)
def test_adding_a_deny_never_grants(base, extra_deny, request):
    op, resource = request
    action = iam_action("mgh", op)
    before = PolicySet([doc(*base)]).evaluate(action, [resource])
    after = PolicySet([doc(*base, extra_deny)]).evaluate(action, [resource])
    if before is not Decision.ALLOW:
        assert after is not Decision.ALLOW
    if before is Decision.EXPLICIT_DENY:
        assert after is Decision.EXPLICIT_DENY


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(MGH_OPS + CONFIG_OPS), st.text(alphabet="abcXYZ-_.019", min_size=1, max_size=20))
def test_allow_mgh_star_on_star_allows_every_operation(op, name):
    policies = PolicySet([doc(allow("mgh:*", "*"))])
    params = {"ProgressUpdateStreamName": name, "ProgressUpdateStream": name, "MigrationTaskName": name}
    assert policies.evaluate(iam_action("mgh", op), resources_for(op, params, REGION, ACCOUNT)) is Decision.ALLOW


def test_a_statement_id_of_letters_and_digits_or_none_is_fine():
    PolicySet([doc(allow(Sid="AllowAllMgh1"), allow(Sid=""), allow())])
