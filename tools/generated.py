"""The command line every generator shares: write its output, or ``--check`` that it is fresh."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(
    argv: list[str] | None, *, doc: str, output: Path, render: Callable[[], str], module: str
) -> int:
    """Write ``render()`` to ``output`` when it changed; with ``--check``, 1 when it is stale."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when the file is stale")
    args = parser.parse_args(argv)
    text = render()
    current = output.read_text(encoding="utf-8") if output.exists() else None
    if args.check:
        if current != text:
            print(f"{output.relative_to(ROOT)} is stale: run python -m {module}")
            return 1
        return 0
    if current != text:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        print(f"wrote {output.relative_to(ROOT)}")
    return 0
