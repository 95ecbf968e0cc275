"""Deadline polling: wait for a condition instead of sleeping for a guessed time."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, overload

T = TypeVar("T")

DEFAULT_INTERVAL = 0.05


@overload
async def wait_for(
    condition: Callable[[], Awaitable[T]],
    *,
    timeout: float,
    what: str,
    describe: Callable[[], str] | None = None,
    interval: float = DEFAULT_INTERVAL,
) -> T: ...


@overload
async def wait_for(
    condition: Callable[[], T],
    *,
    timeout: float,
    what: str,
    describe: Callable[[], str] | None = None,
    interval: float = DEFAULT_INTERVAL,
) -> T: ...


async def wait_for(
    condition: Callable[[], Any],
    *,
    timeout: float,
    what: str,
    describe: Callable[[], str] | None = None,
    interval: float = DEFAULT_INTERVAL,
) -> Any:
    """Poll `condition` until it returns a truthy value, and return that value.

    `condition` may be a plain function or a coroutine function. When `timeout` seconds have
    passed without success, fail with an AssertionError naming `what` and, if given, the text that
    `describe()` returns (the state that was being waited on).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result: Any = condition()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result
        if loop.time() >= deadline:
            message = f"timed out after {timeout:.1f}s waiting for {what}"
            if describe is not None:
                message += "\n" + describe()
            raise AssertionError(message)
        await asyncio.sleep(interval)


async def wait_until_stable(
    read: Callable[[], Awaitable[T]],
    *,
    quiet: float,
    timeout: float,
    what: str,
    interval: float = 0.1,
) -> T:
    """Read a value repeatedly until it has not changed for `quiet` seconds, and return it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    value = await read()
    since = loop.time()
    while True:
        now = loop.time()
        if now - since >= quiet:
            return value
        if now >= deadline:
            raise AssertionError(f"timed out after {timeout:.1f}s waiting for {what} to settle")
        await asyncio.sleep(interval)
        latest = await read()
        if latest != value:
            value = latest
            since = loop.time()


async def early_in_a_minute(latest_second: float) -> None:
    """Wait for the next calendar minute unless at most `latest_second` of this one have passed:
    the per-minute quotas count in calendar minutes, and a burst that straddles two windows may
    pass twice the quota."""
    second = time.time() % 60
    if second > latest_second:
        await asyncio.sleep(60 - second + 0.5)
