"""Placeholder gate until the home-region branch lands."""
from __future__ import annotations
from .errors import HOME_REGION_NOT_SET, ServiceError, invalid_input
_READ = ("List", "Describe", "Get")
def region_gate(operation: str, models_home_region_not_set: bool, home_region: str | None, request_region: str) -> ServiceError | None:
    if home_region is None:
        return ServiceError(HOME_REGION_NOT_SET, "The home region is not set. Set the home region to continue.") if models_home_region_not_set else None
    if home_region != request_region and not operation.startswith(_READ):
        return invalid_input(f"This call was made in {request_region}, but the home region is {home_region}.")
    return None
