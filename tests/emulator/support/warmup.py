"""Start the functions emulator's Python workers before a load test, not during it.

The functions emulator runs one request per worker process and starts a new process whenever a
request finds no idle worker of that function; it keeps them afterwards. Under a burst every
request pays a cold start (imports of the Firebase SDK, seconds of CPU on a small machine),
which slows the others, which starts yet more workers: a storm that measures the emulator, not
the functions. Production keeps warm instances, so a load test starts its workers first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import httpx

from .config import HTTP_TIMEOUT, functions_url
from .http_client import async_client
from .transport import post_retrying_hang_ups


async def start_workers(counts: Mapping[str, int]) -> None:
    """Have `count` idle workers of each callable `name` (`counts` maps name to count).

    The requests carry no ID token, so the callables refuse them at once (UNAUTHENTICATED)
    without touching any data; what matters is that `count` of them arrive together.
    """
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with async_client(HTTP_TIMEOUT, limits=limits) as client:
        for name, count in counts.items():
            responses = await asyncio.gather(
                *(_refused_call(client, functions_url(name)) for _ in range(count))
            )
            statuses = [r.json().get("error", {}).get("status") for r in responses]
            unexpected = [s for s in statuses if s != "UNAUTHENTICATED"]
            assert not unexpected, f"warming {name}: unexpected answers {unexpected}"


async def _refused_call(client: httpx.AsyncClient, url: str) -> httpx.Response:
    return await post_retrying_hang_ups(lambda: client.post(url, json={"data": {}}))
