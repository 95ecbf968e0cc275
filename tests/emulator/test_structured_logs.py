"""The functions log through the Functions SDK's logger: one JSON entry per line, with the
``severity`` Cloud Logging reads and the structured fields passed with ``extra=``.

Reads the emulators' output, as tests/emulator/test_secrets_not_logged.py does (the file named
by AVMEETS_EMULATOR_LOG, written by ``nox -s emulator_tests``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .support.ci import require
from .support.deadline import wait_for
from .support.factories import Actors
from .support.scheduler import run_scheduled

LOG_VARIABLE = "AVMEETS_EMULATOR_LOG"


def _log_file() -> Path:
    path = os.environ.get(LOG_VARIABLE)
    require(None if path else f"{LOG_VARIABLE} is not set (run through `nox -s emulator_tests`)")
    return Path(str(path))


def entries(text: str) -> list[dict[str, Any]]:
    """The JSON entries of the emulators' output (the emulator prefixes each with ``>  ``)."""
    out = []
    for line in text.splitlines():
        start = line.find('{"')
        if start < 0:
            continue
        try:
            data = json.loads(line[start:])
        except ValueError:
            continue
        if isinstance(data, dict) and "severity" in data:
            out.append(data)
    return out


async def test_join_and_purge_are_logged_as_structured_json(actors: Actors) -> None:
    log_file = _log_file()
    alice = await actors("alice")
    meeting_id = await alice.create_meeting(title="Logs")
    await alice.join(meeting_id)
    await run_scheduled("purge")

    def found() -> tuple[dict[str, Any], dict[str, Any]] | None:
        logged = entries(log_file.read_text(encoding="utf-8", errors="replace"))
        joined = [e for e in logged if e.get("message", "").startswith(f"joined: {meeting_id} ")]
        purged = [e for e in logged if isinstance(e.get("purge"), dict)]
        return (joined[-1], purged[-1]) if joined and purged else None

    result = await wait_for(found, timeout=30, what="the join and purge log entries")
    assert result is not None
    joined, purged = result
    assert joined["severity"] == "INFO" and joined["logger"] == "avmeets"
    assert joined["message"].startswith(f"joined: {meeting_id} uid={alice.uid} session=")
    assert (joined["meetingId"], joined["uid"]) == (meeting_id, alice.uid)
    # The purge's report, once dropped by the plain-text log, is the entry's payload now.
    assert purged["severity"] == "INFO"
    assert purged["purge"]["dryRun"] is False
    assert set(purged["purge"]["deleted"]) >= {"meetings", "cdrs", "joins"}
    assert purged["purge"]["plan"][0].startswith("1. cdrs where expiresAt <= ")
