"""Run the retention purge once in this process and print what it did (bench/run.py runs it in a
subprocess to read its peak RSS). Argument: the purge time, ISO 8601."""

from __future__ import annotations

import json
import resource
import sys
import time
from datetime import datetime

from google.cloud import firestore

from avmeets import purge


def main() -> None:
    now = datetime.fromisoformat(sys.argv[1])
    client = firestore.Client(project=sys.argv[2])
    started = time.perf_counter()
    report = purge.run(client, now, max_stored_cdrs=10**9, meeting_idle_hours=24)
    elapsed = time.perf_counter() - started
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"deleted": report.count("cdrs"), "seconds": elapsed, "maxrss_kb": rss_kb}))


if __name__ == "__main__":
    main()
