"""A meeting driven by hand for the attack suites: signed-in actors who join through the callable,
write signal documents as themselves (the rules apply) and report connections over HTTP.

No WebRTC: what a malicious client sends is whatever it chooses, so the attacks write the
documents and calls themselves. The SDP carries `a=ice-ufrag` lines as a browser's does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from google.cloud import firestore

from .actors import Actor
from .deadline import wait_for
from .userstore import sample_candidates, signal_data


def sdp(ufrag: str = "abcd", size: int = 0) -> str:
    """An offer/answer body with the ICE credentials `ufrag`, padded to about `size` characters."""
    text = (
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
        f"m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=ice-ufrag:{ufrag}\r\n"
        "a=ice-pwd:0123456789abcdefghijklmn\r\na=mid:0\r\n"
    )
    if size > len(text):
        text += "a=x-pad:" + "p" * (size - len(text) - 10) + "\r\n"
    return text


@dataclass
class Room:
    """One meeting and the sessions its actors joined with (latest first in `history`)."""

    meeting_id: str
    admin: firestore.AsyncClient
    sessions: dict[str, str] = field(default_factory=dict)
    history: dict[str, list[str]] = field(default_factory=dict)

    async def join(self, who: Actor, password: str | None = None) -> str:
        session = str((await who.join(self.meeting_id, password))["session"])
        self.sessions[who.uid] = session
        self.history.setdefault(who.uid, []).insert(0, session)
        return session

    async def leave(self, who: Actor) -> None:
        await who.leave(self.meeting_id)

    def signals_of(self, who: Actor) -> Any:
        return who.store.collection("meetings", self.meeting_id, "signals")

    def signal_doc(self, sender: Actor, target: Actor, kind: str, **payload: Any) -> dict[str, Any]:
        if kind in ("offer", "answer"):
            payload.setdefault("sdp", sdp())
        elif kind == "candidates":
            payload.setdefault("candidates", sample_candidates())
        return signal_data(
            from_uid=sender.uid,
            session=self.sessions[sender.uid],
            to_uid=target.uid,
            to_session=self.sessions[target.uid],
            type=kind,
            **payload,
        )

    async def send(self, sender: Actor, target: Actor, kind: str, **payload: Any) -> str:
        """Write one signal as `sender` (the rules apply); returns its id."""
        ref = self.signals_of(sender).document()
        await ref.create(self.signal_doc(sender, target, kind, **payload))
        return str(ref.id)

    async def report(
        self,
        who: Actor,
        peer: Actor,
        status: str,
        *,
        role: str = "caller",
        peer_session: str | None = None,
        stats: dict[str, Any] | None = None,
        path: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        data: dict[str, Any] = {
            "meetingId": self.meeting_id,
            "peer": peer.uid,
            "peerSession": peer_session or self.sessions[peer.uid],
            "role": role,
            "status": status,
        }
        if stats is not None:
            data["stats"] = stats
        if path is not None:
            data["path"] = path
        return await who.call("report_connection", data)

    def leg_id(self, caller: Actor, callee: Actor) -> str:
        return f"{self.meeting_id}_{self.sessions[caller.uid]}_{self.sessions[callee.uid]}"

    async def leg(self, leg_id: str) -> dict[str, Any] | None:
        snap = await self.admin.collection("cdrs").document(leg_id).get()
        return snap.to_dict() if snap.exists else None

    async def wait_leg(self, caller: Actor, callee: Actor, timeout: float = 30.0) -> str:
        """Wait until the signal trigger has recorded the leg from `caller`'s offer."""
        leg_id = self.leg_id(caller, callee)
        await wait_for(lambda: self.leg(leg_id), timeout=timeout, what=f"cdrs/{leg_id}")
        return leg_id

    async def legs(self) -> dict[str, dict[str, Any]]:
        query = self.admin.collection("cdrs").where(
            filter=firestore.FieldFilter("meetingId", "==", self.meeting_id)
        )
        return {snap.id: snap.to_dict() or {} async for snap in query.stream()}

    async def pending(self, sender: Actor, target: Actor) -> int:
        """Signal documents from `sender` to `target` that are still stored."""
        query = (
            self.admin.collection("meetings", self.meeting_id, "signals")
            .where(filter=firestore.FieldFilter("from", "==", sender.uid))
            .where(filter=firestore.FieldFilter("to", "==", target.uid))
        )
        return len([snap async for snap in query.stream()])

    async def participant(self, who: Actor) -> dict[str, Any]:
        ref = self.admin.collection("meetings", self.meeting_id, "participants").document(who.uid)
        return (await ref.get()).to_dict() or {}
