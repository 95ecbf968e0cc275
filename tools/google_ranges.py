"""Refresh functions/avmeets/data/google_ranges.json from Google's published IP ranges.

    python -m tools.google_ranges          # needs internet access; then redeploy the functions

The functions refuse to record an address of Google's own services as a caller's IP
(avmeets/client_ip.py); they read these ranges from the shipped snapshot because they cannot
fetch them at run time. Keep the snapshot's shape: {"goog": {...}, "cloud": {...}} with each
file's ``creationTime`` and ``prefixes`` (as strings).
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parent.parent
SNAPSHOT: Final = ROOT / "functions" / "avmeets" / "data" / "google_ranges.json"
SOURCES: Final = {
    "goog": "https://www.gstatic.com/ipranges/goog.json",
    "cloud": "https://www.gstatic.com/ipranges/cloud.json",
}


def summarise(url: str, published: dict[str, Any]) -> dict[str, Any]:
    """One source's entry: its date and prefixes (pure; tests/unit/test_deploy.py)."""
    prefixes = [p.get("ipv4Prefix") or p.get("ipv6Prefix") for p in published["prefixes"]]
    return {
        "url": url,
        "syncToken": str(published.get("syncToken", "")),
        "creationTime": str(published.get("creationTime", "")),
        "prefixes": [p for p in prefixes if p],
    }


def main() -> int:
    data = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    for key, url in SOURCES.items():
        with urllib.request.urlopen(url, timeout=30) as response:
            data[key] = summarise(url, json.load(response))
        print(f"{key}: {len(data[key]['prefixes'])} prefixes of {data[key]['creationTime']}")
    SNAPSHOT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
