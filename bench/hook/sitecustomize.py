"""Loaded by every Python process that has bench/hook on its PYTHONPATH (``nox -s bench`` sets
it for the emulators, whose Python workers run the functions).

In a functions worker (the emulator sets FUNCTIONS_EMULATOR=true) with AVMEETS_BENCH_COUNT_FILE
set, it makes the Firestore client count the functions' operations into that file
(bench/firestore_counting.py). Everywhere else it does nothing.
"""

import importlib.util
import os
from pathlib import Path


def _install() -> None:
    path = os.environ.get("AVMEETS_BENCH_COUNT_FILE", "").strip()
    if not path or os.environ.get("FUNCTIONS_EMULATOR") != "true":
        return
    source = Path(__file__).resolve().parent.parent / "firestore_counting.py"
    spec = importlib.util.spec_from_file_location("avmeets_bench_counting", source)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.install(path)


_install()
