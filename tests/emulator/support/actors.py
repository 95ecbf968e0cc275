"""Signed-in users that drive the callables and Firestore by hand (no WebRTC), for refusals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .auth import User
from .callables import call
from .userstore import UserAsyncClient, close_client


@dataclass
class Actor:
    """A signed-in end user with its own IP address and a Firestore client acting as it."""

    user: User
    ip: str
    store: UserAsyncClient

    @property
    def uid(self) -> str:
        return self.user.uid

    async def call(self, name: str, data: dict[str, Any]) -> dict[str, Any]:
        return await call(name, data, self.user, {"X-Forwarded-For": self.ip})

    async def create_meeting(
        self, *, title: str | None = None, password: str | None = None, lobby: bool | None = False
    ) -> str:
        """Create a meeting. Without a lobby unless asked (``lobby=None``: the server's default,
        on without a password): tests of other features join directly; test_lobby.py knocks."""
        data: dict[str, Any] = {}
        if lobby is not None:
            data["lobby"] = lobby
        if title is not None:
            data["title"] = title
        if password is not None:
            data["password"] = password
        return str((await self.call("create_meeting", data))["meetingId"])

    async def join(self, meeting_id: str, password: str | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {"meetingId": meeting_id}
        if password is not None:
            data["password"] = password
        return await self.call("join_meeting", data)

    async def dispose(self) -> None:
        await close_client(self.store)
