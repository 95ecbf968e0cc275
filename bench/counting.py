"""Counting Firestore operations: client-side counters and the functions' count file."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from tests.emulator.support.peer import MeetingPeer, Signal

#: Collections that belong to the Call Data Record; everything else is signalling / meeting state.
CDR_COLLECTIONS = frozenset({"identities", "joins", "cdrs", "archives"})
OPS = ("writes", "reads", "deletes")
_OP_OF = {"write": "writes", "read": "reads", "delete": "deletes"}

Ops = dict[str, dict[str, int]]


def empty_ops() -> Ops:
    return {"signalling": dict.fromkeys(OPS, 0), "cdr": dict.fromkeys(OPS, 0)}


def add(ops: Ops, other: Ops) -> Ops:
    return {
        part: {op: ops[part][op] + other[part][op] for op in OPS} for part in ("signalling", "cdr")
    }


class ClientCounter:
    """Operations a client sent, by op (all of them signalling: clients write only signals)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def moving(self) -> int:
        """What a settle waits on: every count but the beats (on the test stack the peers beat
        on their own every 2 s, so with them no quiet spell would ever come)."""
        return sum(n for k, n in self.counts.items() if k != "beats")

    def ops(self) -> Ops:
        out = empty_ops()
        for op in OPS:
            out["signalling"][op] = self.counts[op]
        return out


def count_file() -> Path | None:
    """The file the functions append their counts to (AVMEETS_BENCH_COUNT_FILE), if set."""
    raw = os.environ.get("AVMEETS_BENCH_COUNT_FILE", "").strip()
    return Path(raw) if raw else None


def reset_count_file() -> None:
    path = count_file()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")


def count_file_size() -> int:
    path = count_file()
    try:
        return path.stat().st_size if path is not None else 0
    except OSError:
        return 0


#: Sign-ins are not part of a connection (a user signs in once for many meetings).
EXCLUDED_FUNCTIONS = frozenset({"auth_callback"})


def functions_ops() -> tuple[Ops, dict[str, int]]:
    """What the functions counted since the last reset (sign-ins excluded): by part and op, and
    every op per function and collection (``fn:collection:op``; `by_op` splits it)."""
    out = empty_ops()
    per_function: Counter[str] = Counter()
    path = count_file()
    if path is None or not path.exists():
        return out, {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record: dict[str, Any] = json.loads(line)
        if record["fn"] in EXCLUDED_FUNCTIONS:
            continue
        for op, collection, n in record["counts"]:
            part = "cdr" if collection in CDR_COLLECTIONS else "signalling"
            out[part][_OP_OF[op]] += int(n)
            per_function[f"{record['fn']}:{collection}:{op}"] += int(n)
    return out, dict(sorted(per_function.items()))


def by_op(per_function: dict[str, int], *ops: str) -> dict[str, int]:
    """The entries of `functions_ops`' breakdown whose op is one of ``ops``."""
    return {key: n for key, n in per_function.items() if key.rsplit(":", 1)[-1] in ops}


class CountingPeer(MeetingPeer):
    """A MeetingPeer whose Firestore operations are counted (as Firestore bills them: one read
    per document a query or listener delivers, one for a query that matches nothing)."""

    def __init__(
        self,
        label: str,
        *,
        ip: str,
        counter: ClientCounter,
        listen_first: bool = False,
        offer_in_join: bool = False,
    ) -> None:
        super().__init__(
            label, ip=ip, media=False, listen_first=listen_first, offer_in_join=offer_in_join
        )
        self.counter = counter

    async def _probe_queries(self) -> None:
        """Skipped: the test peers query once before listening so that a rules refusal fails
        loudly; the web client (web/src/core/meeting/signalling.ts)
        just listens, and so do these."""

    def _on_participants_snapshot(self, docs: Any, changes: Any, read_time: Any) -> None:
        self.counter.counts["reads"] += max(1, len(changes)) if not docs else len(changes)
        super()._on_participants_snapshot(docs, changes, read_time)

    def _on_signals_snapshot(self, docs: Any, changes: Any, read_time: Any) -> None:
        added = sum(1 for change in changes if change.type.name != "REMOVED")
        self.counter.counts["reads"] += added
        super()._on_signals_snapshot(docs, changes, read_time)

    async def _send_signal(self, link: Any, kind: str, **kwargs: Any) -> None:
        await super()._send_signal(link, kind, **kwargs)
        self.counter.counts["writes"] += 1
        self.counter.counts["signals"] += 1  # each one runs the signal trigger once

    async def _write_presence(self) -> bool:
        written = await super()._write_presence()
        if written:  # a write the rules refused is not billed as one
            # Counted apart from "writes" (the connection's): a beat belongs to the call's
            # steady state, however the stack's beat interval lands in a measured set-up.
            self.counter.counts["beats"] += 1
        return written

    async def call(self, name: str, data: dict[str, Any]) -> dict[str, Any]:
        self.counter.counts["invocations"] += 1
        return await super().call(name, data)

    async def _delete_signal(self, signal: Signal) -> None:
        await super()._delete_signal(signal)
        self.counter.counts["deletes"] += 1
