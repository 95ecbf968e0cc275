"""Signed-in users that drive the callables and Firestore by hand (no WebRTC), for refusals.

An actor that joins a meeting keeps calling `heartbeat` every `heartbeatSeconds`, as every client
must (docs/protocol.md): the test stacks run the scheduled sweep, which closes out a participant
silent for the heartbeat timeout. `leave()` (or `go_silent()`, for a vanished client) stops it,
and so does a host putting it out (`removed`, `meeting-ended`). An actor waiting in a lobby
(`knock()`) knocks again every `heartbeatSeconds` until a host answers, likewise.
Comparing the database before and after, tests use `admin.without_heartbeats`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

from .auth import User
from .callables import CallableError, call, create_request, entry_request, knock_while_waiting
from .userstore import UserAsyncClient, close_client

logger = logging.getLogger(__name__)


@dataclass
class Actor:
    """A signed-in end user with its own IP address and a Firestore client acting as it."""

    user: User
    ip: str
    store: UserAsyncClient
    #: Successful heartbeats, and the failed ones (other than "not joined any more").
    heartbeats: int = 0
    heartbeat_errors: list[str] = field(default_factory=list)
    _beats: dict[str, asyncio.Task[None]] = field(default_factory=dict)

    @property
    def uid(self) -> str:
        return self.user.uid

    async def call(self, name: str, data: dict[str, Any]) -> dict[str, Any]:
        return await call(name, data, self.user, {"X-Forwarded-For": self.ip})

    async def create_meeting(
        self, *, title: str | None = None, password: str | None = None, lobby: bool | None = False
    ) -> str:
        """Create a meeting (``create_request`` says what is sent)."""
        data = create_request(title, password, lobby)
        return str((await self.call("create_meeting", data))["meetingId"])

    async def join(self, meeting_id: str, password: str | None = None) -> dict[str, Any]:
        """`join_meeting`; once admitted, heartbeat every `heartbeatSeconds` until `leave()`."""
        data: dict[str, Any] = {"meetingId": meeting_id}
        if password is not None:
            data["password"] = password
        result = await self.call("join_meeting", data)
        joined = str(result["meetingId"])
        self.go_silent(joined)
        interval = float(result.get("heartbeatSeconds") or 20)
        self._beats[joined] = asyncio.ensure_future(self._heartbeat_loop(joined, interval))
        return result

    async def knock(
        self, meeting_id: str, password: str | None = None, display_name: str | None = None
    ) -> dict[str, Any]:
        """`knock`; while the answer is "waiting", knock again every `heartbeatSeconds`."""
        data = entry_request(meeting_id, password, display_name)
        result = await self.call("knock", data)
        self.go_silent(meeting_id)
        if result["state"] == "waiting":
            interval = float(result.get("heartbeatSeconds") or 20)
            self._beats[meeting_id] = asyncio.ensure_future(
                knock_while_waiting(
                    lambda d: self.call("knock", d), data, interval, self.heartbeat_errors
                )
            )
        return result

    async def leave(self, meeting_id: str) -> dict[str, Any]:
        """Stop heartbeating, then `leave_meeting`."""
        self.go_silent(meeting_id)
        return await self.call("leave_meeting", {"meetingId": meeting_id})

    def go_silent(self, meeting_id: str | None = None) -> None:
        """Stop heartbeating (in one meeting, or all), as a client that vanished would."""
        for joined in [meeting_id] if meeting_id is not None else list(self._beats):
            task = self._beats.pop(joined, None)
            if task is not None:
                task.cancel()

    async def _heartbeat_loop(self, meeting_id: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.call("heartbeat", {"meetingId": meeting_id})
                self.heartbeats += 1
            except CallableError as error:
                if error.reason in ("not-joined", "removed", "meeting-ended"):
                    return  # left, closed out or put out by a host: a client stops
                self.heartbeat_errors.append(f"heartbeat in {meeting_id}: {error}")
                logger.warning("%s: heartbeat failed: %s", self.uid, error)

    async def dispose(self) -> None:
        tasks = list(self._beats.values())
        self.go_silent()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await close_client(self.store)
