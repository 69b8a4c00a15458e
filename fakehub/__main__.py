"""Command line: ``python -m fakehub demo`` and ``python -m fakehub serve``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fakehub", description="fakehub: a fake AWS Migration Hub for tests"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="run a scripted migration tool against the fake and print the hub's state")
    from .server import cli

    serve = commands.add_parser(
        "serve", help="answer AWS requests over HTTP (prints the endpoint URL first)", description=cli.__doc__
    )
    cli.add_arguments(serve)
    args = parser.parse_args(argv)
    if args.command == "demo":
        from .demo import main as demo

        return demo()
    if args.command == "serve":
        return cli.run(args, serve)
    return 2  # pragma: no cover - argparse rejects unknown commands first


if __name__ == "__main__":
    sys.exit(main())
