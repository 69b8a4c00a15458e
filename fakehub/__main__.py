"""Command line: ``python -m fakehub demo``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fakehub", description="fakehub: a fake AWS Migration Hub for tests"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="run a scripted migration tool against the fake and print the hub's state")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from .demo import main as demo

        return demo()
    return 2  # pragma: no cover - argparse rejects unknown commands first


if __name__ == "__main__":
    sys.exit(main())
