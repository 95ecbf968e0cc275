"""Run a scheduled function now, as Cloud Scheduler would.

The functions emulator subscribes scheduled functions to a Pub/Sub topic
(``firebase-schedule-<name>``), but for Python functions it forwards the message with a
signature the Python handler does not take, logs that at debug level and drops the message (seen
with firebase-tools 15.34.2). So the tests call the emulator's own trigger route, which is what
that subscription would have called, with the empty body a scheduler tick carries.
"""

from __future__ import annotations

import httpx

from .config import PROJECT_ID, REGION, functions_host
from .transport import post_retrying_hang_ups


async def run_scheduled(name: str) -> None:
    """Invoke the scheduled function ``name`` once and wait for it to finish."""
    # The emulator keys event-style triggers as <region>-<name>-<index>.
    url = f"http://{functions_host()}/functions/projects/{PROJECT_ID}/triggers/{REGION}-{name}-0"
    async with httpx.AsyncClient(timeout=60.0) as client:
        response = await post_retrying_hang_ups(lambda: client.post(url, json={}))
    response.raise_for_status()
