"""The trigger's signal check mirrors firestore.rules."""

from typing import Any

import pytest

from avmeets import signals

A = {"uid": "a", "session": "sa", "state": "joined"}
B = {"uid": "b", "session": "sb", "state": "joined"}


def offer(**over: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"from": "a", "session": "sa", "to": "b", "toSession": "sb"}
    doc["type"] = "offer"
    doc |= {"createdAt": 1, "sdp": "v=0"}
    doc.update(over)
    return doc


def test_valid_offer_and_candidates() -> None:
    assert signals.problem(offer(), A, B) is None
    cands = offer(type="candidates", candidates=[{"candidate": "", "sdpMid": "0"}])
    del cands["sdp"]
    assert signals.problem(cands, A, B) is None


@pytest.mark.parametrize(
    ("doc", "sender", "recipient", "why"),
    [
        (offer(type="bye"), A, B, "unknown type"),
        (offer(extra=1), A, B, "wrong keys"),
        (offer(sdp="x" * 40_000), A, B, "bad sdp"),
        (offer(to="a"), A, A, "addressed to itself"),
        (offer(), None, B, "sender is not a participant"),
        (offer(), A, {**B, "state": "left"}, "recipient is not a participant"),
        (offer(session="old"), A, B, "sender session is stale"),
        (offer(toSession="old"), A, B, "recipient session is stale"),
    ],
)
def test_invalid(doc: dict[str, Any], sender: Any, recipient: Any, why: str) -> None:
    assert signals.problem(doc, sender, recipient) == why


def test_ice_ufrag_digest() -> None:
    sdp = "v=0\r\na=ice-ufrag:abcd\r\nm=audio 9\r\na=ice-ufrag:abcd\r\na=ice-pwd:x\r\n"
    digest = signals.ice_ufrag_digest(sdp)
    assert digest is not None and len(digest) == 16 and "abcd" not in digest
    assert signals.ice_ufrag_digest(sdp.replace("abcd", "wxyz")) != digest
    assert signals.ice_ufrag_digest("v=0\r\n") is None
    assert signals.ice_ufrag_digest(None) is None
