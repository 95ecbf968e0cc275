"""One meeting participant in a process of its own (the mesh and the newcomer's scaling
benchmarks, bench/run.py): on their own machines participants do not share an event loop and
a core, as aiortc peers in the bench's one process would.

The parent side is ``PeerProcess``; ``python -m bench.peer_process LABEL IP`` is the child: a
``CountingPeer`` that signs in, says ``ready {"uid": …}`` on stdout, and then does what each
line of JSON on stdin asks, answering with one tagged line:

* ``{"do": "create"}``: create a meeting, ``created {"meetingId": …}``;
* ``{"do": "join", "meetingId": …, "others": [uid, …]}``: join, ``joined {}``; later
  ``connected {}`` once its chat channel to every one of ``others`` is open;
* ``{"do": "ops"}``: once its own operations have stopped moving, ``ops {…}`` (its counts);
* end of input: leave (dispose) and exit.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Awaitable, Iterable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from tests.emulator.support.deadline import wait_for

from . import connect
from .counting import ClientCounter, CountingPeer, Ops

ROOT = Path(__file__).resolve().parent.parent
#: How long one request to a child may take (a join waits for a busy meeting, a mesh of 8).
ANSWER_TIMEOUT = 180.0


def child_env() -> dict[str, str]:
    """A bench child's environment: this one, with the repository and functions importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "functions")])
    return env


class PeerProcess:
    """The parent's handle of one child participant."""

    def __init__(self, proc: asyncio.subprocess.Process, uid: str) -> None:
        self.proc = proc
        self.uid = uid

    @classmethod
    async def start(cls, label: str, ip: str) -> PeerProcess:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.peer_process",
            label,
            ip,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=child_env(),
            cwd=ROOT,
        )
        try:
            ready = await expect_line(proc, "ready")
        except BaseException:
            await stop(proc)
            raise
        return cls(proc, str(ready["uid"]))

    async def ask(self, request: dict[str, Any], answer: str) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(request).encode() + b"\n")
        await self.proc.stdin.drain()
        return await self.expect(answer)

    async def expect(self, tag: str) -> dict[str, Any]:
        return await expect_line(self.proc, tag)

    async def create_meeting(self) -> str:
        return str((await self.ask({"do": "create"}, "created"))["meetingId"])

    async def join(self, meeting_id: str, others: list[str]) -> None:
        await self.ask({"do": "join", "meetingId": meeting_id, "others": others}, "joined")

    async def ops(self) -> Ops:
        counts: Ops = (await self.ask({"do": "ops"}, "ops"))["ops"]
        return counts

    async def close(self) -> None:
        await stop(self.proc)


class Child(Protocol):
    async def close(self) -> None: ...


C = TypeVar("C", bound=Child)


async def start_together(starts: Iterable[Awaitable[C]]) -> list[C]:
    """Child processes started at once; if one fails, the others are closed and it raises."""
    started = await asyncio.gather(*starts, return_exceptions=True)
    children = [c for c in started if not isinstance(c, BaseException)]
    failed = [e for e in started if isinstance(e, BaseException)]
    if failed:
        await asyncio.gather(*(c.close() for c in children))
        raise failed[0]
    return children


async def start_all(label: str, n: int) -> list[PeerProcess]:
    """``n`` participants, each in a process of its own, signed in (started together)."""
    return await start_together(
        PeerProcess.start(f"{label}p{i}", connect.next_ip()) for i in range(n)
    )


async def close_all(peers: list[PeerProcess]) -> None:
    await asyncio.gather(*(p.close() for p in peers))


async def join_in_turn(peers: list[PeerProcess], meeting_id: str) -> None:
    """Each joins once the one before has (as people arrive); each then connects on its own."""
    uids = [p.uid for p in peers]
    for peer in peers:
        await peer.join(meeting_id, [u for u in uids if u != peer.uid])


async def all_connected(peers: list[PeerProcess]) -> None:
    """Until every one has said ``connected`` (to all the others it was told of)."""
    await asyncio.gather(*(p.expect("connected") for p in peers))


async def expect_line(proc: asyncio.subprocess.Process, tag: str) -> dict[str, Any]:
    """The JSON of the next stdout line tagged ``tag`` (other lines are passed over)."""
    assert proc.stdout is not None
    prefix = f"{tag} "
    async with asyncio.timeout(ANSWER_TIMEOUT):
        while True:
            line = (await proc.stdout.readline()).decode()
            if not line:
                raise RuntimeError(f"a peer process ended before saying {tag!r}")
            if line.startswith(prefix):
                answer: dict[str, Any] = json.loads(line.removeprefix(prefix))
                return answer


async def stop(proc: asyncio.subprocess.Process) -> None:
    """Close its input (it leaves and exits); killed if it does not go in time."""
    if proc.returncode is None and proc.stdin is not None:
        proc.stdin.close()
    try:
        await asyncio.wait_for(proc.wait(), timeout=60.0)
    except TimeoutError:
        proc.kill()
        await proc.wait()


# --- the child -------------------------------------------------------------------------------


def say(tag: str, data: dict[str, Any]) -> None:
    print(f"{tag} {json.dumps(data)}", flush=True)


async def _connected(peer: CountingPeer, others: list[str]) -> None:
    await wait_for(
        lambda: peer.connected_to_all(others),
        timeout=ANSWER_TIMEOUT,
        what=f"{peer.label} connected to {len(others)} others",
        describe=peer.describe,  # which links are missing, and where each one stands
        interval=connect.POLL,
    )
    say("connected", {})


async def child(label: str, ip: str) -> None:
    counter = ClientCounter()
    peer = CountingPeer(label, ip=ip, counter=counter, offer_in_join=True)
    tasks: set[asyncio.Task[None]] = set()
    try:
        await peer.sign_in()
        say("ready", {"uid": peer.uid})
        while line := await asyncio.to_thread(sys.stdin.readline):
            request = json.loads(line)
            if request["do"] == "create":
                say("created", {"meetingId": await peer.create_meeting(title=f"bench {label}")})
            elif request["do"] == "join":
                await peer.join(request["meetingId"])
                say("joined", {})
                task = asyncio.create_task(_connected(peer, list(request["others"])))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            elif request["do"] == "ops":
                await connect.settle(counter.moving)
                say("ops", {"ops": counter.ops()})
    finally:
        for task in tasks:
            task.cancel()
        await peer.dispose()


if __name__ == "__main__":
    asyncio.run(child(sys.argv[1], sys.argv[2]))
