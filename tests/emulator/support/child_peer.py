"""Run support/peer_process.py as a child process that a test can SIGKILL like a crashed tab."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
#: Seconds the child may take to sign in and join (the functions may need a cold start).
HELLO_TIMEOUT = 60.0


@dataclass
class ChildPeer:
    process: asyncio.subprocess.Process
    uid: str = ""
    session: str = ""

    async def hello(self) -> None:
        """Wait for the child's first line: it has joined; remember its uid and session."""
        assert self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), timeout=HELLO_TIMEOUT)
        assert line, "the peer process exited before joining"
        data = json.loads(line)
        self.uid, self.session = str(data["uid"]), str(data["session"])

    async def kill(self) -> None:
        """SIGKILL: no report, no leave, no DTLS close; only the sweep can notice."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
        await self.process.wait()


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
