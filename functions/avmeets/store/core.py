"""What every store module shares: typed reads, versions, and the optimistic-write loop."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from google.api_core import exceptions as gexc
from google.cloud import firestore

from .. import db

D = TypeVar("D")
T = TypeVar("T")

#: What a write with a precondition (``create``, or ``last_update_time``) raises when another
#: writer got there first: read again and retry.
LOST_RACE = (gexc.AlreadyExists, gexc.Conflict, gexc.FailedPrecondition, gexc.Aborted)


class Contended(Exception):
    """Every attempt of an optimistic write lost its race (the caller says: retry later)."""


class Gone(Exception):
    """A document a write relied on was deleted meanwhile (purged)."""


@dataclass(frozen=True)
class Versioned(Generic[D]):
    """A document as read (None when it does not exist) and its version: the update time that
    a conditional write (``Version``-guarded) requires to be unchanged."""

    doc: D | None
    version: Any = None


def client() -> firestore.Client:
    return db.client()


def typed(snapshot: Any, _shape: type[D]) -> D | None:
    """The data of a snapshot as the stored shape ``_shape``; None when it does not exist."""
    if not snapshot.exists:
        return None
    return cast(D, snapshot.to_dict() or {})


def versioned(snapshot: Any, shape: type[D]) -> Versioned[D]:
    return Versioned(typed(snapshot, shape), snapshot.update_time if snapshot.exists else None)


def data(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A typed document as the plain dict the Firestore client writes."""
    return dict(doc)


def unchanged_since(version: Any) -> Any:
    """The write option that fails the write when the document changed after ``version``."""
    return client().write_option(last_update_time=version)


def optimistic(attempt: Callable[[], T], *, attempts: int, backoff: tuple[float, float]) -> T:
    """Run ``attempt`` (read, decide, write with a precondition) until it does not lose a race.

    Joins, leaves and CDR legs are written this way rather than in transactions: in the
    emulator, transactions under overlapping writers deadlocked, timed out locks or were
    cancelled (tests/emulator/test_load.py). The back-off is jittered and grows, so a crowd
    spreads out; after ``attempts`` it raises ``Contended`` (the service answers UNAVAILABLE).
    """
    low, high = backoff
    for n in range(attempts):
        try:
            return attempt()
        except LOST_RACE:
            time.sleep(random.uniform(low, high) * (n + 1))
    raise Contended()
