"""The stack runs the sweep on its declared schedule: nobody calls it by hand here.

A participant joins and never sends a heartbeat (a tab that died right after joining). With no
test playing Cloud Scheduler, the local scheduler of the test stack (tools/local_scheduler.py)
must run `sweep` on the schedule functions/main.py declares, and the sweep must close the silent
participant out within the heartbeat timeout plus one sweep period, while a participant that
keeps heartbeating in the same meeting stays. The schedule is read from the running functions
emulator and the timeout from the functions' own settings, never written down here.
"""

from __future__ import annotations

import json
import os
import urllib.request
from datetime import datetime
from pathlib import Path

from google.cloud import firestore

from avmeets.config import Settings
from tools import local_scheduler, schedules

from .support.ci import require
from .support.config import functions_host
from .support.deadline import wait_for
from .support.factories import Actors

#: For the sweep's own run once due (a cold functions worker on a busy machine) and the polling.
SLACK_SECONDS = 30.0
LOG_VARIABLE = "AVMEETS_EMULATOR_LOG"


def sweep_period() -> float:
    """Seconds between runs of `sweep`, from the schedule the running emulator loaded."""
    with urllib.request.urlopen(f"http://{functions_host()}/backends", timeout=10) as answer:
        listing = json.load(answer)
    [sweep] = [f for f in local_scheduler.scheduled_functions(listing) if f.name == "sweep"]
    return float(schedules.parse(sweep.schedule).seconds)


async def test_silent_participant_is_closed_out_by_the_scheduled_sweep(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    timeout = Settings.from_env(os.environ).heartbeat_timeout_seconds
    period = sweep_period()
    host, silent = await actors("host"), await actors("silent")
    meeting_id = await host.create_meeting(title="Scheduled sweep")
    await host.join(meeting_id)  # keeps heartbeating: the control
    await silent.join(meeting_id)
    silent.go_silent()  # joined, then not a single heartbeat
    participants = admin.collection("meetings", meeting_id, "participants")
    ref = participants.document(silent.uid)
    presence = admin.collection("meetings", meeting_id, "presence").document(silent.uid)
    joined = (await ref.get()).to_dict() or {}
    assert joined["state"] == "joined"
    last_seen: datetime = ((await presence.get()).to_dict() or {})["lastSeenAt"]

    latest: dict[str, object] = {}

    async def closed_out() -> bool:
        latest.clear()
        latest.update((await ref.get()).to_dict() or {})
        return latest.get("state") == "left"

    bound = timeout + period + SLACK_SECONDS
    await wait_for(
        closed_out,
        timeout=bound,
        interval=1.0,
        what=f"the scheduled sweep ({period:.0f} s period) to close out a participant silent "
        f"for more than {timeout} s",
        describe=lambda: repr(latest),
    )
    assert latest["endCause"] == "heartbeat-timeout", latest
    left_at = latest["leftAt"]
    assert isinstance(left_at, datetime)
    silent_for = (left_at - last_seen).total_seconds()
    assert timeout <= silent_for <= bound, f"closed out {silent_for:.1f} s after the last sign"

    # The one who heartbeats stays; the silent one's join record is closed with the cause.
    assert (await participants.document(host.uid).get()).get("state") == "joined"
    session = joined["session"]
    record = await admin.document(f"joins/{meeting_id}_{silent.uid}_{session}").get()
    assert record.get("endCause") == "heartbeat-timeout"

    # It was the functions' sweep, run in the functions emulator, that did it.
    path = os.environ.get(LOG_VARIABLE)
    require(None if path else f"{LOG_VARIABLE} is not set (run through `nox -s emulator_tests`)")
    line = f"closed out silent participant {silent.uid} in {meeting_id}"

    def logged() -> bool:
        return line in Path(str(path)).read_text(encoding="utf-8", errors="replace")

    await wait_for(logged, timeout=10.0, interval=0.5, what="the sweep's log line")
