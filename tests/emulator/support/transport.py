"""One retry rule for the emulators' own transport failures.

Under load the functions emulator sometimes drops the connection to its Python worker and
answers HTTP 500 ``{"code":"ECONNRESET"}`` ("socket hang up") before the function ran; the Auth
emulator passes that on as a blocking-function error. That is the emulator's plumbing, not an
answer of ours, so the test clients retry exactly that failure, a few times, and nothing else.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx

ATTEMPTS = 3


def is_emulator_hang_up(response: httpx.Response) -> bool:
    # 500 from the functions emulator itself, 400 when the Auth emulator relays it.
    return response.status_code != 200 and "ECONNRESET" in response.text


async def post_retrying_hang_ups(send: Callable[[], Awaitable[httpx.Response]]) -> httpx.Response:
    """Send, and send again (up to ATTEMPTS in all) while the emulator hangs up."""
    response = await send()
    for _ in range(ATTEMPTS - 1):
        if not is_emulator_hang_up(response):
            break
        response = await send()
    return response
