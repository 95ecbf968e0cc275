"""Where the emulators listen, taken from the variables `firebase emulators:exec` sets.

With AVMEETS_LIVE_PROJECT set (tools/smoke.py against a deployed project) the same peers talk to
that project instead: its callables at https://<region>-<project>.cloudfunctions.net and its
Firestore, with AVMEETS_LIVE_REGION (default us-central1).
"""

from __future__ import annotations

import functools
import json
import os
import urllib.request

LIVE_PROJECT = os.environ.get("AVMEETS_LIVE_PROJECT") or None
PROJECT_ID = LIVE_PROJECT or os.environ.get("GCLOUD_PROJECT") or "demo-avmeets"
REGION = (os.environ.get("AVMEETS_LIVE_REGION") or "us-central1") if LIVE_PROJECT else "us-central1"

FIRESTORE_HOST = os.environ.get("FIRESTORE_EMULATOR_HOST") or "127.0.0.1:8080"
AUTH_HOST = os.environ.get("FIREBASE_AUTH_EMULATOR_HOST") or "127.0.0.1:9099"
DEFAULT_FUNCTIONS_HOST = "127.0.0.1:5001"

# The Python Firestore client reads this variable itself.
if LIVE_PROJECT is None:
    os.environ.setdefault("FIRESTORE_EMULATOR_HOST", FIRESTORE_HOST)

# How long one HTTP request to an emulator may take. The first call of a Python function in the
# functions emulator starts its runtime, which can take several seconds on a small machine.
HTTP_TIMEOUT = 60.0


@functools.cache
def functions_host() -> str:
    """host:port of the functions emulator.

    `emulators:exec` sets no variable for it, so ask the emulator hub (FIREBASE_EMULATOR_HUB)
    where it runs; AVMEETS_FUNCTIONS_EMULATOR_HOST overrides, and the default is firebase.json's.
    """
    override = os.environ.get("AVMEETS_FUNCTIONS_EMULATOR_HOST")
    if override:
        return override
    hub = os.environ.get("FIREBASE_EMULATOR_HUB")
    if hub:
        try:
            with urllib.request.urlopen(f"http://{hub}/emulators", timeout=5) as response:
                info = json.load(response)["functions"]
            return f"{info['host']}:{info['port']}"
        except (OSError, KeyError, ValueError):
            pass
    return DEFAULT_FUNCTIONS_HOST


def functions_url(name: str) -> str:
    if LIVE_PROJECT is not None:
        return f"https://{REGION}-{PROJECT_ID}.cloudfunctions.net/{name}"
    return f"http://{functions_host()}/{PROJECT_ID}/{REGION}/{name}"
