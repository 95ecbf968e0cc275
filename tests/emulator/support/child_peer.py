"""Run support/peer_process.py as a child process that a test can SIGKILL like a crashed tab."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
#: Seconds the child may take to sign in and join (the functions may need a cold start).
HELLO_TIMEOUT = 60.0


@dataclass
class ChildPeer:
    """The parent's side of a child peer. The child prints one JSON line per event: its
    ``{"uid", "session"}`` once joined, ``"connected"``, and ``{"error": text}`` for every error
    its MeetingPeer records in the background; the errors are collected and fail the test."""

    process: asyncio.subprocess.Process
    uid: str = ""
    session: str = ""
    errors: list[str] = field(default_factory=list)

    async def _line(self, timeout: float) -> bytes:
        assert self.process.stdout is not None
        while True:
            line = await asyncio.wait_for(self.process.stdout.readline(), timeout=timeout)
            if not self._collect(line):
                return line

    def _collect(self, line: bytes) -> bool:
        """True when ``line`` is an error report (kept), False for any other line."""
        if not line.startswith(b'{"error"'):
            return False
        self.errors.append(str(json.loads(line)["error"]))
        return True

    async def hello(self) -> None:
        """Wait for the child's first line: it has joined; remember its uid and session."""
        line = await self._line(HELLO_TIMEOUT)
        assert line, "the peer process exited before joining"
        data = json.loads(line)
        self.uid, self.session = str(data["uid"]), str(data["session"])

    async def wait_connected(self, timeout: float = HELLO_TIMEOUT) -> None:
        """Wait for the child to say it is connected to all the others it was told of."""
        line = await self._line(timeout)
        assert line.strip() == b"connected", (line, self.errors)

    async def kill(self) -> None:
        """SIGKILL: no report, no leave, no DTLS close; only the sweep can notice."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def drain(self) -> None:
        """Read what the (dead) child printed last, for the errors among it."""
        if self.process.stdout is None:
            return
        for line in (await self.process.stdout.read()).splitlines(keepends=True):
            self._collect(line)


@asynccontextmanager
async def peer_process(
    meeting_id: str, label: str, ip: str, others: int
) -> AsyncIterator[ChildPeer]:
    """A peer that joins `meeting_id` in a child process; killed at the end regardless."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.emulator.support.peer_process",
        meeting_id,
        label,
        ip,
        str(others),
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=asyncio.subprocess.PIPE,
    )
    child = ChildPeer(process)
    try:
        yield child
    finally:
        await child.kill()
        await child.drain()
    assert not child.errors, f"{label} (child peer) recorded errors:\n" + "\n".join(child.errors)
