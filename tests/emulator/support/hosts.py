"""Knocks and host actions (docs/protocol.md, `knock` and `host_action`) by any test client."""

from __future__ import annotations

from typing import Any, Protocol

from google.cloud import firestore

from .callables import entry_request


class Calls(Protocol):
    """A test peer or actor: anything that calls callables as its user."""

    async def call(self, name: str, data: dict[str, Any]) -> dict[str, Any]: ...


async def knock(
    who: Calls, meeting_id: str, *, password: str | None = None, display_name: str | None = None
) -> dict[str, Any]:
    return await who.call("knock", entry_request(meeting_id, password, display_name))


async def host_action(
    who: Calls,
    meeting_id: str,
    action: str,
    uid: str | None = None,
    what: str | None = None,
    **more: Any,
) -> dict[str, Any]:
    """``host_action``; ``more`` adds the breakout rooms' fields (``rooms``, ``assign``,
    ``room``)."""
    data: dict[str, Any] = {"meetingId": meeting_id, "action": action, **more}
    if uid is not None:
        data["uid"] = uid
    if what is not None:
        data["what"] = what
    return await who.call("host_action", data)


async def stored(admin: firestore.AsyncClient, path: str) -> dict[str, Any] | None:
    """A document as the server stored it (admin read), or None."""
    snapshot = await admin.document(path).get()
    return snapshot.to_dict() if snapshot.exists else None


async def legs(admin: firestore.AsyncClient, meeting_id: str) -> list[dict[str, Any]]:
    """The CDR legs of a meeting."""
    query = admin.collection("cdrs").where(
        filter=firestore.FieldFilter("meetingId", "==", meeting_id)
    )
    return [snap.to_dict() or {} for snap in await query.get()]
