"""A meeting peer in its own process, so a test can kill it like a crashed browser.

    python -m tests.emulator.support.peer_process MEETING_ID LABEL IP PEER_COUNT

Signs in, joins, prints one JSON line ``{"uid", "session"}``, then ``"connected"`` once it is
connected to PEER_COUNT others, and runs until killed. A SIGKILL sends nothing more: no report,
no leave, no DTLS close — only the server's heartbeat sweep can notice it is gone.
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
    while sum(1 for uid in list(peer.links) if peer.connected_to(uid)) < others:
        await asyncio.sleep(0.1)  # polling the peer's own state; the parent owns the deadline
    print("connected", flush=True)
    await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    meeting, name, address, count = sys.argv[1:5]
    asyncio.run(_main(meeting, name, address, int(count)))
