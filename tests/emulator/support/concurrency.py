"""Start many coroutines at once and wait for every one, so none outlives the test's cleanup."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


async def gather_all(*awaitables: Awaitable[T]) -> list[T]:
    """`asyncio.gather` all of them, wait until every one has finished, then raise the failures.

    Plain `gather` raises the first failure while the others still run, so the peers' teardown
    could close a peer in the middle of its join; here nothing is left running. Several failures
    come as one ExceptionGroup; a cancellation is re-raised as is.
    """
    results = await asyncio.gather(*awaitables, return_exceptions=True)
    errors: list[Exception] = []
    for result in results:
        if isinstance(result, Exception):
            errors.append(result)
        elif isinstance(result, BaseException):
            raise result
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ExceptionGroup(f"{len(errors)} of {len(results)} failed", errors)
    return results  # type: ignore[return-value]  # no exception is left in it
