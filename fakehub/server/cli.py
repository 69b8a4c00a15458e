"""``python -m fakehub serve``: the server in a process of its own.

The first line on stdout (flushed at once) is the endpoint URL, so a script can read it;
SIGINT and SIGTERM stop it cleanly (exit 0; with ``--state FILE``, after writing the hub
to FILE); a bad flag, an unreadable state file or a port in use exits non-zero with a
message saying what was wrong.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from ..core.state import AUTO_HOME_REGION
from ..hub import Hub
from . import state_file
from .app import LOOPBACK, Server


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, loopback)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 (the default) picks a free one")
    parser.add_argument(
        "--home-region",
        default=AUTO_HOME_REGION,
        metavar="REGION|auto|none",
        help="the accounts' home region: a Migration Hub region, 'auto' (the region of each account's first "
        "call; the default) or 'none' (never set)",
    )
    parser.add_argument(
        "--account",
        action="append",
        default=[],
        metavar="ACCESS_KEY=ACCOUNT_ID",
        help="requests signed with ACCESS_KEY act in the 12-digit ACCOUNT_ID (repeatable)",
    )
    parser.add_argument(
        "--secret",
        action="append",
        default=[],
        metavar="ACCESS_KEY=SECRET_KEY",
        help="the secret access key of ACCESS_KEY, for --verify-signatures (repeatable)",
    )
    parser.add_argument(
        "--state",
        metavar="FILE",
        help="start from the hub snapshot in FILE if it exists (its options win over the flags above, which "
        "still make the hub of POST /_fakehub/reset) and write the hub back to FILE at a clean stop",
    )
    parser.add_argument(
        "--verify-signatures",
        action="store_true",
        help="refuse requests without a valid SigV4 signature by a key given with --secret",
    )


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    accounts = _pairs(args.account, "--account", parser)
    secrets = _pairs(args.secret, "--secret", parser)
    home_region = None if args.home_region == "none" else args.home_region
    if args.verify_signatures and not secrets:
        parser.error("--verify-signatures needs at least one --secret ACCESS_KEY=SECRET_KEY")
    try:

        def new_hub() -> Hub:
            return Hub(home_region=home_region, accounts=accounts)

        new_hub()  # the options are checked before anything is bound
        hub = None if args.state is None else state_file.load(args.state)
        server = Server(
            hub,
            host=args.host,
            port=args.port,
            new_hub=new_hub,
            secrets=secrets,
            verify_signatures=args.verify_signatures,
        )
    except state_file.StateFileError as error:
        print(f"fakehub serve: --state {args.state}: {error}", file=sys.stderr)
        return 1
    except ValueError as error:
        parser.error(str(error))
    except OSError as error:
        reason = "the port is in use" if error.errno == errno.EADDRINUSE else error.strerror or str(error)
        print(f"fakehub serve: cannot listen on {args.host}:{args.port}: {reason}", file=sys.stderr)
        return 1
    if not _is_loopback(args.host):
        print(
            f"fakehub serve: warning: listening on {args.host}, reachable from other machines; "
            "fakehub is a test double with no access control",
            file=sys.stderr,
        )
    stopping = threading.Event()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.stop_serving, daemon=True).start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(server.endpoint_url, flush=True)  # after the handlers: a script may signal as soon as it reads this
    server.serve_forever()
    server.stop()
    if args.state is not None:
        try:
            state_file.save(args.state, server.hub)
        except OSError as error:
            print(f"fakehub serve: --state {args.state}: the hub was not saved: {error}", file=sys.stderr)
            return 1
    return 0


def _pairs(values: Sequence[str], flag: str, parser: argparse.ArgumentParser) -> dict[str, str]:
    found = {}
    for value in values:
        key, sep, other = value.partition("=")
        if not sep or not key or not other:
            parser.error(f"{flag} takes ACCESS_KEY=VALUE, got {value!r}")
        found[key] = other
    return found


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
