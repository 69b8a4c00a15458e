"""Errors the fake services answer with.

The core raises ``ServiceError`` with the AWS error code the real service
would send; the wire layer checks that the code is in the operation's modeled
error list and turns it into the JSON 1.1 error body.  Nothing here knows about
botocore or HTTP.
"""

from __future__ import annotations

from typing import Any

# Codes shared by the Migration Hub services (mgh and migrationhub-config).
INVALID_INPUT = "InvalidInputException"
RESOURCE_NOT_FOUND = "ResourceNotFoundException"
HOME_REGION_NOT_SET = "HomeRegionNotSetException"
DRY_RUN_OPERATION = "DryRunOperation"
UNAUTHORIZED_OPERATION = "UnauthorizedOperation"
ACCESS_DENIED = "AccessDeniedException"
POLICY_ERROR = "PolicyErrorException"
THROTTLING = "ThrottlingException"
INTERNAL_SERVER_ERROR = "InternalServerError"
SERVICE_UNAVAILABLE = "ServiceUnavailableException"

DRY_RUN_SUCCESS_MESSAGE = "Dry Run was a success!"  # the one documented message


class ServiceError(Exception):
    """An error answer of a fake service: an AWS error code, a message, and any
    extra modeled members (``RetryAfterSeconds`` for throttling, for example)."""

    def __init__(self, code: str, message: str, **members: Any) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.members = members


def invalid_input(message: str) -> ServiceError:
    return ServiceError(INVALID_INPUT, message)


def not_found(message: str) -> ServiceError:
    return ServiceError(RESOURCE_NOT_FOUND, message)
