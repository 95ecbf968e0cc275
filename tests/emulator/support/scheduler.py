"""Run a scheduled function now, as Cloud Scheduler would.

The test stacks run every scheduled function on its schedule anyway (tools/local_scheduler.py;
the functions emulator alone does not: it subscribes them to a Pub/Sub topic,
``firebase-schedule-<name>``, and the Pub/Sub emulator cannot deliver to a 2nd-gen function).
A test that needs a run at a given moment (rather than within the minute) calls this, which
posts to the emulator's trigger route as the local scheduler does, and waits for the run to end.
"""

from __future__ import annotations

from .config import PROJECT_ID, REGION, functions_host
from .http_client import async_client
from .transport import post_retrying_hang_ups


async def run_scheduled(name: str) -> None:
    """Invoke the scheduled function ``name`` once and wait for it to finish."""
    # The emulator keys event-style triggers as <region>-<name>-<index>.
    url = f"http://{functions_host()}/functions/projects/{PROJECT_ID}/triggers/{REGION}-{name}-0"
    async with async_client(60.0) as client:
        response = await post_retrying_hang_ups(lambda: client.post(url, json={}))
    response.raise_for_status()
