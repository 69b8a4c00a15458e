"""``python -m fakehub demo``: the example migration tool against a fake hub that
throttles it, then the console view and the contract report.

The hub starts with what discovery agents would have found: the three servers,
grouped into one application.  The tool's attributes auto-map its tasks to
them, and the application turns IN_PROGRESS when the first task starts.

The tool (``examples/migration_tool.py``) runs under a frozen clock that its
``sleep`` moves forward, so twenty minutes of migration take well under a
second; botocore's retry backoffs move the same clock (see ``fakehub.faults``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from .console import render_text
from .contract import check
from .mock import mock_migrationhub

REGION = "us-west-2"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
START = "2025-06-02 09:00:00"


def load_example(name: str) -> ModuleType:
    """Import ``examples/<name>.py`` (the examples are scripts for users to copy, not a package)."""
    path = EXAMPLES / f"{name}.py"
    if not path.exists():
        raise SystemExit(f"the demo needs {path} (run it from a source checkout of fakehub)")
    spec = importlib.util.spec_from_file_location(f"fakehub_examples_{name}", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]  # dataclasses look their module up
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def main() -> int:
    try:
        from freezegun import freeze_time
    except ImportError:
        raise SystemExit("the demo runs the tool under a virtual clock: pip install freezegun") from None
    example = load_example("migration_tool")
    import boto3

    with freeze_time(START) as frozen, mock_migrationhub(home_region=REGION) as hub:
        # What discovery agents found before the migration, grouped into an application.
        found = [hub.add_server(hostname=s.fqdn, ip_addresses=[s.ip], mac_addresses=[s.mac]) for s in example.SERVERS]
        discovery = boto3.client("discovery", region_name=REGION)
        shop = discovery.create_application(name="storefront", description="the web shop")["configurationId"]
        discovery.associate_configuration_items_to_application(applicationConfigurationId=shop, configurationIds=found)
        # AWS throttles busy tools: two throttles on every operation's first call, then
        # one call in five, and half a second of latency on each progress update.
        hub.faults.fail("*", "ThrottlingException", times=2, retry_after=1)
        hub.faults.fail_randomly("*", 0.2, "ThrottlingException", seed=7)
        hub.faults.delay("NotifyMigrationTaskState", 0.5)
        tool = example.MigrationTool("DemoMover", region=REGION, sleep=lambda s: frozen.tick(s))
        tool.run(example.SERVERS)
        hub.settle()
        report = check(hub)
        failed = len(hub.journal.calls(outcome="error"))
        print(render_text(hub))
        print(
            f"{len(hub.journal)} calls answered, {failed} throttled and retried by botocore; "
            f"{hub.faults.slept:.1f} s of backoff and latency spent in virtual time.\n"
        )
        print(report)
    return 0 if report.clean else 1
