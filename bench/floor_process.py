"""The newcomer's scaling with no signalling server: the floor of ``connect.scaling_8_vs_2``.

A newcomer in the bench's process connects to n - 1 aiortc peers, each in a process of its own
(as the present participants of bench/run.py's ``bench_scaling`` are), handing its offers to
them and their answers back over the processes' pipes instead of through a server. What this
takes in a meeting of 8 against one of 2 is what the peers' own handshakes cost on this machine
(the newcomer's n - 1 of them share one event loop), with nothing of ours in it.

The parent side is ``Answerer``; ``python -m bench.floor_process`` is the child: it says
``ready {}``, then for one line ``{"offer": sdp}`` says ``answer {"sdp": …}`` and keeps the
connection until its input ends.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from aiortc import RTCDataChannel, RTCPeerConnection, RTCSessionDescription

from tests.emulator.support.deadline import wait_for

from . import connect, peer_process


class Answerer:
    """The parent's handle of one child peer."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc

    @classmethod
    async def start(cls) -> Answerer:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.floor_process",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=peer_process.child_env(),
            cwd=peer_process.ROOT,
        )
        try:
            await peer_process.expect_line(proc, "ready")
        except BaseException:
            await peer_process.stop(proc)
            raise
        return cls(proc)

    async def answer(self, offer: RTCSessionDescription) -> RTCSessionDescription:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"offer": offer.sdp}).encode() + b"\n")
        await self.proc.stdin.drain()
        reply = await peer_process.expect_line(self.proc, "answer")
        return RTCSessionDescription(sdp=str(reply["sdp"]), type="answer")

    async def close(self) -> None:
        await peer_process.stop(self.proc)


async def newcomer_once(answerers: list[Answerer]) -> float:
    """ms from the newcomer's first offer to its channel to every answerer open. Its offers
    are made in turn and sent at once, each answer applied as it comes (as MeetingPeer does)."""
    pcs = [RTCPeerConnection(connect.configuration()) for _ in answerers]
    channels: list[RTCDataChannel] = []
    try:
        started = time.perf_counter()
        for pc in pcs:
            channels.append(pc.createDataChannel("chat"))
            await pc.setLocalDescription(await pc.createOffer())

        async def exchange(pc: RTCPeerConnection, answerer: Answerer) -> None:
            await pc.setRemoteDescription(await answerer.answer(pc.localDescription))

        await asyncio.gather(*(exchange(pc, a) for pc, a in zip(pcs, answerers, strict=True)))
        await wait_for(
            lambda: all(c.readyState == "open" for c in channels),
            timeout=connect.CONNECT_TIMEOUT,
            what=f"the newcomer's {len(pcs)} channels open (no server)",
            interval=connect.POLL,
        )
        return (time.perf_counter() - started) * 1000
    finally:
        await asyncio.gather(*(pc.close() for pc in pcs))


async def newcomer_once_with(n: int) -> float:
    """``newcomer_once`` with ``n`` fresh child peers (started first, not timed)."""
    answerers = await peer_process.start_together(Answerer.start() for _ in range(n))
    try:
        return await newcomer_once(answerers)
    finally:
        await asyncio.gather(*(a.close() for a in answerers))


# --- the child -------------------------------------------------------------------------------


async def child() -> None:
    pc = RTCPeerConnection(connect.configuration())
    try:
        peer_process.say("ready", {})
        line = await asyncio.to_thread(sys.stdin.readline)
        if line:
            offer = RTCSessionDescription(sdp=json.loads(line)["offer"], type="offer")
            await pc.setRemoteDescription(offer)
            await pc.setLocalDescription(await pc.createAnswer())
            peer_process.say("answer", {"sdp": pc.localDescription.sdp})
            # Keep the connection until the parent is done (end of input).
            await asyncio.to_thread(sys.stdin.read)
    finally:
        await pc.close()


if __name__ == "__main__":
    asyncio.run(child())
