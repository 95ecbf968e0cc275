"""Refusals and the proof that they changed nothing: shared by the refusal and attack suites."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable
from typing import Any

import pytest
from google.api_core import exceptions as gexc
from google.cloud import firestore

from .admin import Dump, diff, settled_dump
from .callables import CallableError


def without(dump: Dump, collections: tuple[str, ...]) -> Dump:
    """`dump` less the documents of the top-level `collections`."""
    return {
        path: data
        for path, data in dump.items()
        if not any(path.startswith(f"{name}/") for name in collections)
    }


@contextlib.asynccontextmanager
async def database_unchanged(
    admin: firestore.AsyncClient, *, exempt: tuple[str, ...] = ()
) -> AsyncIterator[Dump]:
    """Fail unless the database (less the `exempt` top-level collections, and the heartbeats of
    the joined actors) is the same after."""
    before = await settled_dump(admin, heartbeats=False)
    yield before
    after = await settled_dump(admin, heartbeats=False)
    assert without(after, exempt) == without(before, exempt), (
        "a refused operation changed the database:\n"
        + diff(without(before, exempt), without(after, exempt))
    )


async def refused(
    operation: Awaitable[Any], status: str, reason: str | None = None
) -> CallableError:
    """Await a callable that must fail with `status` (and `details.reason` when given)."""
    with pytest.raises(CallableError) as caught:
        await operation
    error = caught.value
    assert error.status == status, f"expected {status}, got {error}"
    if reason is not None:
        assert error.reason == reason, f"expected reason {reason!r}, got {error}"
    return error


async def denied(operation: Awaitable[Any], what: str) -> None:
    """Await a Firestore operation that the security rules must refuse."""
    try:
        result = await operation
    except gexc.PermissionDenied:
        return
    raise AssertionError(f"the rules allowed {what} (result: {result!r})")
