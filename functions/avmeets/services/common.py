"""What several services share: retention, the optimistic-write loop and ICE servers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar, cast

from .. import clock, turn
from ..config import settings
from ..errors import Unavailable
from ..protocol import ErrorReason, IceServer
from ..retention import expires_at, retention_days
from ..store import core

log = logging.getLogger("avmeets")
T = TypeVar("T")
#: Attempts of one join (or leave) against overlapping writes of the same document.
JOIN_ATTEMPTS = 25
JOIN_BACKOFF = (0.01, 0.05)


def expiry(now: datetime, org: Mapping[str, Any] | None) -> datetime:
    """When a record written at ``now`` expires: the deployment's retention, or the org's."""
    return expires_at(now, retention_days(settings().retention_days, org))


def optimistic(
    attempt: Callable[[], T], *, attempts: int, backoff: tuple[float, float], busy: str
) -> T:
    """``store.core.optimistic``; when every attempt lost its race the caller is told to retry
    (UNAVAILABLE, ``contended``) with the message ``busy``."""
    try:
        return core.optimistic(attempt, attempts=attempts, backoff=backoff)
    except core.Contended:
        raise Unavailable(busy, reason=ErrorReason.CONTENDED) from None


def stun_servers() -> list[IceServer]:
    """The configured STUN servers: no credentials (create_meeting; the start of join_meeting)."""
    return [cast(IceServer, dict(s)) for s in settings().ice_servers]


def participant_ice_servers(uid: str) -> list[IceServer]:
    """STUN plus the TURN relays with a fresh ephemeral credential: for participants only."""
    s = settings()
    servers = stun_servers()
    if s.turn_enabled and s.turn_secret is not None:
        now = int(clock.now().timestamp())
        servers += turn.ice_servers(s.turn_urls, s.turn_secret, uid, now, s.turn_ttl_seconds)
    elif s.turn_urls:
        log.warning("TURN_URLS is set but TURN_SECRET is not: no TURN relay offered")
    return servers
