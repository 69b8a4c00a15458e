"""Placeholder until the model-driven validator lands (see the validation branch)."""
from __future__ import annotations
from typing import Any
def compile_validator(shape: Any):  # type: ignore[no-untyped-def]
    return lambda body: []
def format_violations(violations: list[str]) -> str:
    n = len(violations)
    return f"{n} validation error{'s' if n > 1 else ''} detected: " + "; ".join(violations)
