"""Run the operator command line (`python -m avmeets.cli`) as an operator would: a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_cli(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "functions"), str(ROOT)]),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "avmeets.cli", *argv],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
