"""``avmeets``: the operator command line.

Runs against the Firestore emulator when ``FIRESTORE_EMULATOR_HOST`` is set, else against the
project of the Application Default Credentials. Each subcommand lives in its own module and
registers itself here; errors are printed as one clear message with a non-zero exit code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import _audit, _cdr, _geo, _org, _purge, _stats
from ._common import CliError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="avmeets",
        description=(
            "Operate an AVMeets deployment: CDRs and their audit, organisations, retention, "
            "usage, GeoIP."
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (_cdr, _audit, _org, _purge, _stats, _geo):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except CliError as err:
        print(f"avmeets: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("avmeets: interrupted", file=sys.stderr)
        return 130
    return code
