"""Full mesh: every pair of 3 and 4 peers is connected and chats both ways."""

from __future__ import annotations

import pytest

from .support.factories import Peers
from .support.mesh import check_chat, wait_full_mesh

LABELS = ["alice", "bob", "carol", "dave"]


@pytest.mark.parametrize("count", [3, 4])
async def test_full_mesh(peers: Peers, count: int) -> None:
    group = [await peers(label) for label in LABELS[:count]]
    meeting_id = await group[0].create_meeting(title=f"Mesh of {count}")

    for index, peer in enumerate(group):
        result = await peer.join(meeting_id)
        present = {p["uid"] for p in result["participants"]}
        assert present == {other.uid for other in group[:index]}

    await wait_full_mesh(group)
    await check_chat(group)

    # Exactly one connection per pair: the newcomer offered, the one already present answered.
    for index, peer in enumerate(group):
        for other_index, other in enumerate(group):
            if other is peer:
                continue
            expected = "offerer" if index > other_index else "answerer"
            assert peer.link(other.uid).role == expected
        assert not peer.closed_links
