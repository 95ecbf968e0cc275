"""Watch one meeting's signal documents from the admin side: when each appeared and went away.

The peers see only the signals addressed to them; this listener (admin client, so the rules do
not apply) sees every one, so a test can tell how long each lived and which are still there.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from google.cloud import firestore

from .config import PROJECT_ID
from .deadline import wait_for
from .userstore import close_client

#: Seconds the listener may take to deliver its first snapshot.
LIVE_TIMEOUT = 10.0


@dataclass
class SignalLife:
    """One signal document as the listener saw it; times are time.monotonic() seconds."""

    id: str
    data: dict[str, Any]
    added: float
    removed: float | None = None

    @property
    def to(self) -> str:
        return str(self.data.get("to"))

    @property
    def sender(self) -> str:
        return str(self.data.get("from"))

    @property
    def type(self) -> str:
        return str(self.data.get("type"))

    @property
    def lifetime(self) -> float | None:
        return None if self.removed is None else self.removed - self.added

    def describe(self) -> str:
        life = "alive" if self.lifetime is None else f"lived {self.lifetime:.2f}s"
        return f"{self.type} {self.id} {self.sender[:6]}->{self.to[:6]} ({life})"


class SignalWatch:
    """Snapshot listener on meetings/{meeting_id}/signals (callbacks run on a client thread)."""

    def __init__(self, meeting_id: str) -> None:
        self.meeting_id = meeting_id
        self._client = firestore.Client(project=PROJECT_ID)
        self._lock = threading.Lock()
        self._lives: dict[str, SignalLife] = {}
        self._watch: Any = None
        self._live = threading.Event()

    def start(self) -> None:
        signals = self._client.collection("meetings", self.meeting_id, "signals")
        self._watch = signals.on_snapshot(self._on_snapshot)

    async def stop(self) -> None:
        watch, self._watch = self._watch, None
        if watch is not None:
            await asyncio.to_thread(watch.unsubscribe)
        await close_client(self._client)

    def _on_snapshot(self, docs: Any, changes: Any, read_time: Any) -> None:
        now = time.monotonic()
        self._live.set()
        with self._lock:
            for change in changes:
                doc_id = change.document.id
                if change.type.name == "ADDED" and doc_id not in self._lives:
                    self._lives[doc_id] = SignalLife(doc_id, change.document.to_dict() or {}, now)
                elif change.type.name == "REMOVED" and doc_id in self._lives:
                    self._lives[doc_id].removed = now

    @property
    def live(self) -> bool:
        """Whether the first snapshot has arrived (the listen is up on the server)."""
        return self._live.is_set()

    @property
    def lives(self) -> list[SignalLife]:
        """Every signal seen so far, in the order it appeared (copies: safe to inspect)."""
        with self._lock:
            return [
                SignalLife(s.id, dict(s.data), s.added, s.removed) for s in self._lives.values()
            ]

    def alive(self) -> list[SignalLife]:
        return [life for life in self.lives if life.removed is None]

    def describe(self) -> str:
        return "\n".join(life.describe() for life in self.lives) or "(no signal seen)"


@asynccontextmanager
async def watch_signals(meeting_id: str) -> AsyncIterator[SignalWatch]:
    """A started SignalWatch on `meeting_id`, stopped at the end whatever happens.

    It is yielded once live: the Firestore emulator can lose changes written while a listen is
    being set up (docs/protocol.md section 4, step 2).
    """
    watch = SignalWatch(meeting_id)
    try:
        watch.start()
        await wait_for(lambda: watch.live, timeout=LIVE_TIMEOUT, what="the signal watch live")
        yield watch
    finally:
        await watch.stop()
