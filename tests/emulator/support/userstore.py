"""Firestore clients that act as an end user, so that firestore.rules apply to them.

The Python client authenticates to the emulator as `Bearer owner`, which bypasses the rules. It
builds that header in the `_rpc_metadata` property (google/cloud/firestore_v1/base_client.py), which
every unary call and also the watch (listen) stream behind `on_snapshot` use (watch.py passes
`metadata=self._firestore._rpc_metadata` to its ResumableBidiRpc). Overriding that property is
enough to make every request, snapshot listeners included, carry the user's ID token.
"""

from __future__ import annotations

import inspect
from typing import Any

from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud.firestore_v1 import _helpers

from .auth import User
from .config import LIVE_PROJECT, PROJECT_ID

#: Against a deployed project (tools/smoke.py) the channel carries no credentials of its own: the
#: user's ID token below is the only authorization, as with the web SDK.
_CREDENTIALS = AnonymousCredentials() if LIVE_PROJECT else None


def _user_metadata(database_string: str, id_token: str) -> list[tuple[str, str]]:
    metadata = list(_helpers.metadata_with_prefix(database_string))
    metadata.append(("authorization", f"Bearer {id_token}"))
    return metadata


class UserClient(firestore.Client):
    """Synchronous client (used for snapshot listeners) acting as `user`."""

    def __init__(self, user: User) -> None:
        super().__init__(project=PROJECT_ID, credentials=_CREDENTIALS)
        self.user = user

    @property
    def _rpc_metadata(self) -> list[tuple[str, str]]:
        return _user_metadata(self._database_string, self.user.id_token)


class UserAsyncClient(firestore.AsyncClient):
    """Asyncio client (used for reads and writes) acting as `user`."""

    def __init__(self, user: User) -> None:
        super().__init__(project=PROJECT_ID, credentials=_CREDENTIALS)
        self.user = user

    @property
    def _rpc_metadata(self) -> list[tuple[str, str]]:
        return _user_metadata(self._database_string, self.user.id_token)


def signal_data(
    *,
    from_uid: str,
    session: str,
    to_uid: str,
    to_session: str,
    type: str,
    sdp: str | None = None,
    candidates: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A signal document as docs/protocol.md section 3 defines it."""
    data: dict[str, Any] = {
        "from": from_uid,
        "session": session,
        "to": to_uid,
        "toSession": to_session,
        "type": type,
        "createdAt": firestore.SERVER_TIMESTAMP,
    }
    if sdp is not None:
        data["sdp"] = sdp
    if candidates is not None:
        data["candidates"] = candidates
    return data


HOST_CANDIDATE = "candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host"


def sample_candidates() -> list[dict[str, Any]]:
    """A valid `candidates` list: one loopback host candidate and the end marker."""
    return [
        {"candidate": HOST_CANDIDATE, "sdpMid": "0", "sdpMLineIndex": 0},
        {"candidate": "", "sdpMid": None, "sdpMLineIndex": None},
    ]


async def close_client(client: Any) -> None:
    """Close the gRPC channel of a Firestore client (sync or asyncio) if it opened one."""
    api = getattr(client, "_firestore_api_internal", None)
    if api is None:
        return
    result = api.transport.close()
    if inspect.isawaitable(result):
        await result
