"""Cloud Scheduler for the local stacks: runs each scheduled function on its declared schedule.

The functions emulator loads ``scheduler_fn.on_schedule`` functions but never runs them: it
subscribes them to the Pub/Sub topic ``firebase-schedule-<name>``, and for 2nd-gen functions the
Pub/Sub emulator then refuses to deliver (``Unsupported trigger signature: http``, logged at
debug level; firebase-tools 15.34.2, lib/emulator/pubsubEmulator.js). In production, Cloud
Scheduler sends an HTTP POST straight to the function, with the ``X-CloudScheduler-*`` headers
the SDK reads into the ``ScheduledEvent``. This module does the same against the emulator's
trigger route, ``POST /functions/projects/<project>/triggers/<key>``, so the function runs
through the same wrapper and code path as in production.

Nothing is hard-coded: the scheduled functions and their schedules are read from the running
emulator's ``/backends`` listing (what it loaded from ``functions/main.py``), re-read now and
then so that a reload of the functions picks up changed schedules. A thread per function runs
it at a fixed cadence (tools/schedules.py); ``LocalScheduler.stop()`` ends them all.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from . import schedules

#: Seconds between reads of ``/backends`` (new or changed schedules after a reload).
DISCOVERY_SECONDS: Final = 5.0
#: Added to a function's own timeout for the HTTP request that runs it.
REQUEST_MARGIN_SECONDS: Final = 30.0


@dataclass(frozen=True)
class ScheduledFunction:
    """A scheduled function as the functions emulator lists it."""

    id: str  # "<region>-<name>", the emulator's function id
    name: str
    region: str
    schedule: str
    timeout_seconds: float

    @property
    def job_name(self) -> str:
        """The Cloud Scheduler job id the Firebase CLI deploys for it (backend.js)."""
        return f"firebase-schedule-{self.name}-{self.region}"


def scheduled_functions(backends: Mapping[str, Any]) -> list[ScheduledFunction]:
    """The scheduled functions of a ``GET /backends`` answer, in listing order."""
    found: list[ScheduledFunction] = []
    for backend in backends.get("backends") or []:
        for trigger in backend.get("functionTriggers") or []:
            schedule = trigger.get("schedule")
            if not isinstance(schedule, dict) or not schedule.get("schedule"):
                continue
            found.append(
                ScheduledFunction(
                    id=str(trigger["id"]),
                    name=str(trigger["name"]),
                    region=str(trigger.get("region", "")),
                    schedule=str(schedule["schedule"]),
                    timeout_seconds=float(trigger.get("timeoutSeconds") or 60),
                )
            )
    return found


_LISTING: Final = re.compile(r"valid functions are:(.*)$", re.DOTALL)


def trigger_key(function_id: str, not_found_body: str | None = None) -> str:
    """The emulator's trigger key of ``function_id``: ``<id>-<generation>``.

    The generation starts at 0 and grows each time the emulator reloads the functions. Its 404
    answer for a stale key lists the current keys; given that text, the newest matching key is
    returned.
    """
    if not_found_body is None:
        return f"{function_id}-0"
    match = _LISTING.search(not_found_body)
    keys = [k.strip() for k in match.group(1).split(",")] if match else []
    pattern = re.compile(re.escape(function_id) + r"-(\d+)")
    generations = [int(m.group(1)) for k in keys if (m := pattern.fullmatch(k))]
    if not generations:
        raise LookupError(f"the functions emulator lists no trigger for {function_id}")
    return f"{function_id}-{max(generations)}"


def scheduler_headers(function: ScheduledFunction, schedule_time: dt.datetime) -> dict[str, str]:
    """The headers Cloud Scheduler sends with an HTTP target run."""
    return {
        "User-Agent": "Google-Cloud-Scheduler",
        "X-CloudScheduler": "true",
        "X-CloudScheduler-JobName": function.job_name,
        "X-CloudScheduler-ScheduleTime": schedule_time.astimezone(dt.UTC)
        .isoformat(timespec="seconds")
        .replace("+00:00", "Z"),
    }


class _Job(threading.Thread):
    """Runs one scheduled function at its cadence until stopped or replaced."""

    def __init__(self, owner: LocalScheduler, function: ScheduledFunction) -> None:
        super().__init__(name=f"schedule-{function.name}", daemon=True)
        self.owner = owner
        self.function = function
        self.interval = schedules.parse(function.schedule)
        self.retired = threading.Event()
        self.anchor = time.monotonic()
        self.key = trigger_key(function.id)

    def run(self) -> None:
        while True:
            due = schedules.next_due(self.anchor, self.interval.seconds, time.monotonic())
            if self._waited(due - time.monotonic()):
                return
            late = max(0.0, time.monotonic() - due)
            self._fire(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=late))

    def _waited(self, seconds: float) -> bool:
        """Sleep; True when stopped or replaced meanwhile."""
        deadline = time.monotonic() + max(0.0, seconds)
        while (left := deadline - time.monotonic()) > 0:
            if self.owner.stopped.wait(min(left, 1.0)) or self.retired.is_set():
                return True
        return self.owner.stopped.is_set() or self.retired.is_set()

    def _fire(self, scheduled: dt.datetime) -> None:
        """Run the function once for the run due at ``scheduled``."""
        started = time.monotonic()
        name = self.function.name
        try:
            status = self._post(scheduled)
        except (OSError, LookupError) as error:  # URLError is an OSError
            if not self.owner.stopped.is_set():
                self.owner.log(f"{name}: not run ({error})")
            return
        took = time.monotonic() - started
        outcome = "ran" if 200 <= status < 300 else f"failed with HTTP {status}"
        self.owner.log(f"{name} ({self.interval.text}): {outcome} in {took:.1f} s")

    def _post(self, scheduled: dt.datetime) -> int:
        headers = scheduler_headers(self.function, scheduled)
        for _attempt in range(2):
            url = f"{self.owner.functions_url}/functions/projects/{self.owner.project}/triggers/"
            request = urllib.request.Request(url + self.key, data=b"", method="POST")
            for header, value in headers.items():
                request.add_header(header, value)
            timeout = self.function.timeout_seconds + REQUEST_MARGIN_SECONDS
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    return int(response.status)
            except urllib.error.HTTPError as error:
                body = error.read().decode("utf-8", "replace")
                if error.code != 404:
                    return int(error.code)
                self.key = trigger_key(self.function.id, body)  # reloaded: a new generation
        raise LookupError(f"the functions emulator does not find {self.key}")


class LocalScheduler:
    """Discovers the scheduled functions of a running functions emulator and runs them."""

    def __init__(
        self, functions_url: str, project: str, *, log: Callable[[str], None] = print
    ) -> None:
        self.functions_url = functions_url.rstrip("/")
        self.project = project
        self.log = log
        self.stopped = threading.Event()
        self._jobs: dict[str, _Job] = {}
        self._refused: set[ScheduledFunction] = set()
        self._thread = threading.Thread(target=self._discover, name="scheduler", daemon=True)

    def start(self) -> LocalScheduler:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self.stopped.set()
        self._thread.join(timeout)
        for job in list(self._jobs.values()):
            job.join(timeout)

    def _listing(self) -> Mapping[str, Any] | None:
        try:
            with urllib.request.urlopen(f"{self.functions_url}/backends", timeout=5) as answer:
                data = json.load(answer)
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _discover(self) -> None:
        while not self.stopped.is_set():
            listing = self._listing()
            if listing is not None:
                self._update(scheduled_functions(listing))
            self.stopped.wait(DISCOVERY_SECONDS)

    def _update(self, functions: Iterable[ScheduledFunction]) -> None:
        wanted = {f.id: f for f in functions}
        for function_id, job in list(self._jobs.items()):
            if wanted.get(function_id) != job.function:
                job.retired.set()
                del self._jobs[function_id]
        for function_id, function in wanted.items():
            if function_id in self._jobs:
                continue
            try:
                job = _Job(self, function)
            except schedules.UnsupportedSchedule as error:
                if function not in self._refused:
                    self._refused.add(function)
                    self.log(f"{function.name}: not scheduled locally: {error}")
                continue
            self._jobs[function_id] = job
            job.start()
            first = job.interval.seconds
            self.log(f"{function.name}: runs {function.schedule} (first run in {first} s)")
