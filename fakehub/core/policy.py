"""IAM-like identity-policy evaluation for the fake's callers.

Only what an identity policy can say about mgh, migrationhub-config and
discovery calls: Allow/Deny, Action/NotAction, Resource/NotResource with ``*``
and ``?`` wildcards.  Anything the fake cannot evaluate faithfully (Condition,
Principal, policy variables) is refused when the document is attached, so a
test never passes because a restriction was silently ignored.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fakehub.core.errors import ACCESS_DENIED, UNAUTHORIZED_OPERATION, ServiceError

VERSIONS = frozenset({"2012-10-17", "2008-10-17"})
_STATEMENT_KEYS = frozenset({"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"})
_DOCUMENT_KEYS = frozenset({"Version", "Id", "Statement"})
# Matched with fullmatch: ``$`` would also match before a trailing "\n", accepting "mgh:*\n".
_ACTION_SHAPE = re.compile(r"[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+")


class Decision(enum.Enum):
    ALLOW = "allow"
    EXPLICIT_DENY = "explicit-deny"
    IMPLICIT_DENY = "implicit-deny"


class PolicyDocumentError(ValueError):
    """A policy document the fake refuses: malformed, or using unsupported IAM features."""


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    """IAM wildcards (``*`` any run, ``?`` one character, nothing else special) as a regex.

    Unlike fnmatch, ``[`` is literal, as in IAM.
    """
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(f"^(?:{body})\\Z", re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


@lru_cache(maxsize=1024)
def _matcher(patterns: tuple[str, ...], ignore_case: bool) -> re.Pattern[str]:
    """One regex for a statement's list of patterns, so matching is a single call."""
    flags = re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL
    return re.compile("|".join(compile_pattern(p, ignore_case).pattern for p in patterns), flags)


@dataclass(frozen=True, slots=True)
class _Statement:
    deny: bool
    actions: re.Pattern[str]
    negate_actions: bool
    resources: re.Pattern[str]
    negate_resources: bool

    def covers(self, action: str, resource: str) -> bool:
        return (bool(self.actions.match(action)) != self.negate_actions) and (
            bool(self.resources.match(resource)) != self.negate_resources
        )


class PolicySet:
    """The identity policies attached to one caller.

    With no policy attached ``evaluate`` answers ALLOW: the fake does not
    model IAM unless a test opts in by attaching a policy (check
    ``attached`` to tell "no policies" from "allowed by a policy").  Once a
    policy is attached, evaluation is IAM's: an explicit Deny wins, otherwise
    an Allow is needed, otherwise the call is implicitly denied.
    """

    def __init__(self, documents: Iterable[Mapping[str, Any] | str] = ()) -> None:
        self._statements: list[_Statement] = []
        self._attached = 0
        self.documents: list[Any] = []  # as attached, parsed: what a snapshot keeps
        for document in documents:
            self.attach(document)

    @property
    def attached(self) -> bool:
        return self._attached > 0

    def attach(self, document: Mapping[str, Any] | str) -> None:
        """Validate and add a document; a bad document leaves the set unchanged."""
        self._statements.extend(parse_document(document))
        self._attached += 1
        self.documents.append(json.loads(document) if isinstance(document, str) else json.loads(json.dumps(document)))

    def evaluate(self, action: str, resources: Sequence[str]) -> Decision:
        """The decision for ``action`` on every resource of the request.

        Allowed only if each resource is allowed; one explicit deny on any
        resource denies the request.  An empty ``resources`` means ``*``.
        """
        if not self.attached:
            return Decision.ALLOW
        decisions = [self._evaluate_one(action, resource) for resource in resources or ("*",)]
        if Decision.EXPLICIT_DENY in decisions:
            return Decision.EXPLICIT_DENY
        if all(d is Decision.ALLOW for d in decisions):
            return Decision.ALLOW
        return Decision.IMPLICIT_DENY

    def _evaluate_one(self, action: str, resource: str) -> Decision:
        allowed = False
        for statement in self._statements:
            if statement.covers(action, resource):
                if statement.deny:
                    return Decision.EXPLICIT_DENY
                allowed = True
        return Decision.ALLOW if allowed else Decision.IMPLICIT_DENY


# --------------------------------------------------------------------------
# Document validation


def parse_document(document: Mapping[str, Any] | str) -> list[_Statement]:
    """Validate an identity-policy document and compile its statements."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except json.JSONDecodeError as exc:
            raise PolicyDocumentError(f"Policy document is not valid JSON: {exc}") from None
    if not isinstance(document, Mapping):
        raise PolicyDocumentError("Policy document must be a JSON object.")
    unknown = set(document) - _DOCUMENT_KEYS
    if unknown:
        raise PolicyDocumentError(f"Unknown policy element(s): {', '.join(sorted(unknown))}.")
    version = document.get("Version")
    if "Version" in document and not (isinstance(version, str) and version in VERSIONS):
        raise PolicyDocumentError(f"Version must be one of {', '.join(sorted(VERSIONS))}, not {_shown(version)}.")
    if "Statement" not in document:
        raise PolicyDocumentError("Policy document has no Statement.")
    statements = document["Statement"]
    if isinstance(statements, Mapping):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        raise PolicyDocumentError("Statement must be an object or a non-empty list of objects.")
    return [_parse_statement(s, i) for i, s in enumerate(statements)]


def _parse_statement(statement: Any, index: int) -> _Statement:
    where = f"Statement[{index}]"
    if not isinstance(statement, Mapping):
        raise PolicyDocumentError(f"{where} must be an object.")
    if "Condition" in statement:
        raise PolicyDocumentError(
            f"{where} has a Condition; fakehub does not evaluate IAM conditions and refuses "
            "them rather than ignore them. Express the restriction with Action/Resource instead."
        )
    unknown = set(statement) - _STATEMENT_KEYS
    if unknown:
        hint = " (Principal belongs to resource policies, not identity policies)" if "Principal" in unknown else ""
        raise PolicyDocumentError(f"{where} has unknown element(s) {', '.join(sorted(unknown))}{hint}.")
    sid = statement.get("Sid", "")
    if not (isinstance(sid, str) and sid.isascii() and (sid.isalnum() or sid == "")):
        raise PolicyDocumentError(
            f"{where}.Sid must be letters and digits only (IAM refuses anything else), got {_shown(sid)}."
        )
    effect = statement.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise PolicyDocumentError(f"{where}.Effect must be 'Allow' or 'Deny', not {_shown(effect)}.")
    action_key, actions = _one_of(statement, "Action", "NotAction", where)
    resource_key, resources = _one_of(statement, "Resource", "NotResource", where)
    for action in actions:
        if action != "*" and not _ACTION_SHAPE.fullmatch(action):
            raise PolicyDocumentError(f"{where}.{action_key} {action!r} is not '*' or 'service:Action'.")
    for resource in resources:
        _check_resource(resource, f"{where}.{resource_key}")
    return _Statement(
        deny=effect == "Deny",
        actions=_matcher(actions, ignore_case=True),
        negate_actions=action_key == "NotAction",
        resources=_matcher(resources, ignore_case=False),
        negate_resources=resource_key == "NotResource",
    )


def _shown(value: Any) -> str:
    """A refused value as a message shows it: a list or object by its kind, as its repr
    could be longer than the message, or nested deeper than repr goes."""
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, Mapping) else repr(value)


def _one_of(statement: Mapping[str, Any], key: str, not_key: str, where: str) -> tuple[str, tuple[str, ...]]:
    present = [k for k in (key, not_key) if k in statement]
    if len(present) != 1:
        raise PolicyDocumentError(f"{where} needs exactly one of {key} or {not_key}.")
    chosen = present[0]
    values = statement[chosen]
    values = [values] if isinstance(values, str) else values
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
        raise PolicyDocumentError(f"{where}.{chosen} must be a non-empty string or a non-empty list of strings.")
    return chosen, tuple(values)


def _check_resource(resource: str, where: str) -> None:
    if "${" in resource:
        raise PolicyDocumentError(f"{where} {resource!r} uses a policy variable; fakehub does not support them.")
    if resource != "*" and not resource.startswith("arn:"):
        raise PolicyDocumentError(f"{where} {resource!r} is not '*' or an ARN.")


# --------------------------------------------------------------------------
# Actions and resources of requests

_IAM_PREFIX = {"mgh": "mgh", "migrationhub-config": "mgh", "discovery": "discovery"}
_STREAM_OPS = frozenset({"CreateProgressUpdateStream", "DeleteProgressUpdateStream"})
_TASK_OPS = frozenset(
    {
        "AssociateCreatedArtifact",
        "AssociateDiscoveredResource",
        "AssociateSourceResource",
        "DescribeMigrationTask",
        "DisassociateCreatedArtifact",
        "DisassociateDiscoveredResource",
        "DisassociateSourceResource",
        "ImportMigrationTask",
        "ListCreatedArtifacts",
        "ListDiscoveredResources",
        "ListMigrationTaskUpdates",
        "ListSourceResources",
        "NotifyMigrationTaskState",
        "PutResourceAttributes",
    }
)


def iam_action(service: str, operation: str) -> str:
    """``mgh:<Op>`` for mgh and migrationhub-config (IAM prefix ``mgh``), ``discovery:<Op>`` for ADS."""
    return f"{_IAM_PREFIX[service]}:{operation}"


def partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def resources_for(operation: str, params: Mapping[str, Any], region: str, account: str) -> list[str]:
    """The resource ARNs IAM checks for an mgh call (Service Authorization Reference).

    Stream ops name the stream, task ops the task; everything else (including
    every migrationhub-config and discovery op) supports no resource-level
    permissions and is checked against ``*``.
    """
    base = f"arn:{partition(region)}:mgh:{region}:{account}:progressUpdateStream/"
    if operation in _STREAM_OPS:
        return [base + params["ProgressUpdateStreamName"]]
    if operation in _TASK_OPS:
        return [f"{base}{params['ProgressUpdateStream']}/migrationTask/{params['MigrationTaskName']}"]
    return ["*"]


def denial(action: str, resource: str, decision: Decision, dry_run_modeled: bool, dry_run: bool) -> ServiceError:
    """The error for a denied call, worded like IAM's.

    With ``DryRun`` on an op that models UnauthorizedOperation the answer is
    that code (its model text: "not authorized when the DryRun flag is set");
    otherwise AccessDeniedException.
    """
    why = (
        "with an explicit deny in an identity-based policy"
        if decision is Decision.EXPLICIT_DENY
        else f"because no identity-based policy allows the {action} action"
    )
    message = f"You are not authorized to perform: {action} on resource: {resource} {why}"
    code = UNAUTHORIZED_OPERATION if dry_run and dry_run_modeled else ACCESS_DENIED
    return ServiceError(code, message)
