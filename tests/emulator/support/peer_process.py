"""A meeting peer in its own process, so a test can kill it like a crashed browser.

    python -m tests.emulator.support.peer_process MEETING_ID LABEL IP PEER_COUNT

Signs in, joins, prints one JSON line ``{"uid", "session"}``, then ``"connected"`` once it is
connected to PEER_COUNT others, and ``{"error": text}`` for each error the peer records in the
background (the parent collects them: support/child_peer.py), and runs until killed. A SIGKILL
sends nothing more: no report, no leave, no DTLS close — only the server's heartbeat sweep can
notice it is gone.
"""

from __future__ import annotations

import asyncio
import json
import sys

from .peer import MeetingPeer


async def _main(meeting_id: str, label: str, ip: str, others: int) -> None:
    peer = MeetingPeer(label, ip=ip)
    await peer.sign_in()
    await peer.join(meeting_id)
    print(json.dumps({"uid": peer.uid, "session": peer.session}), flush=True)
    said, connected = 0, False
    while True:  # until killed; polling the peer's own state, the parent owns the deadlines
        for error in peer.errors[said:]:
            print(json.dumps({"error": error}), flush=True)
        said = len(peer.errors)
        if not connected and sum(1 for uid in list(peer.links) if peer.connected_to(uid)) >= others:
            connected = True
            print("connected", flush=True)
        await asyncio.sleep(0.1)


if __name__ == "__main__":
    meeting, name, address, count = sys.argv[1:5]
    asyncio.run(_main(meeting, name, address, int(count)))
