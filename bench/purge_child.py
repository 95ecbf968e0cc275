"""Run the retention purge once in this process and print what it did (bench/run.py runs it in a
subprocess to read its peak RSS). Arguments: the purge time (ISO 8601), the project id, and
optionally how it deletes (bench/purge_paths.py: public, the default, bulkwriter, private, or
ceiling: not the purge but the fastest public-API delete loop, for reference)."""

from __future__ import annotations

import json
import resource
import sys
import time
from datetime import datetime

from google.cloud import firestore

from avmeets import purge

from . import purge_paths


def main() -> None:
    now = datetime.fromisoformat(sys.argv[1])
    client = firestore.Client(project=sys.argv[2])
    variant = sys.argv[3] if len(sys.argv) > 3 else "public"
    # CPU time of every thread of this process: near the elapsed time, the client's one core
    # (the GIL) is what limits the rate, not the emulator.
    cpu = time.process_time()
    if variant in purge_paths.STANDALONE:
        started = time.perf_counter()
        deleted = purge_paths.ceiling(client, now)
        elapsed = time.perf_counter() - started
    else:
        deleter = purge_paths.deleter(variant, client)
        started = time.perf_counter()
        report = purge.run(
            client, now, max_stored_cdrs=10**9, meeting_idle_hours=24, deleter=deleter
        )
        elapsed = time.perf_counter() - started
        deleted = report.count("cdrs")
        close = getattr(deleter, "close", None)
        if close is not None:
            close()
    cpu = time.process_time() - cpu
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "variant": variant,
                "deleted": deleted,
                "seconds": elapsed,
                "cpu_seconds": cpu,
                "maxrss_kb": rss_kb,
            }
        )
    )


if __name__ == "__main__":
    main()
