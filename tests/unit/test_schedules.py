"""The local scheduler's pure parts: schedule strings, due times, the emulator's listing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tools import local_scheduler, schedules
from tools.local_scheduler import ScheduledFunction

MAIN = Path(__file__).resolve().parents[2] / "functions" / "main.py"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("every 1 minutes", 60),
        ("every 5 mins", 300),
        ("every 1 hours", 3600),
        ("every 24 hours", 86_400),
        ("  Every   2   Minutes ", 120),
        ("every 1 minute", 60),
    ],
)
def test_interval_schedules(text: str, seconds: int) -> None:
    interval = schedules.parse(text)
    assert interval.seconds == seconds and interval.text == text


@pytest.mark.parametrize(
    "text",
    [
        "*/5 * * * *",  # unix-cron: valid for Cloud Scheduler, not run locally
        "every monday 09:00",
        "every 0 minutes",
        "every 5 seconds",
        "every minutes",
        "every 5 minutes synchronized",
        "every 5 minutes from 10:00 to 14:00",
        "",
    ],
)
def test_other_schedules_are_refused_clearly(text: str) -> None:
    with pytest.raises(schedules.UnsupportedSchedule, match="every N minutes"):
        schedules.parse(text)


def test_every_schedule_of_the_functions_parses() -> None:
    """The schedules declared in functions/main.py are all of a form the scheduler runs."""
    declared = re.findall(r'schedule="([^"]+)"', MAIN.read_text(encoding="utf-8"))
    assert declared, "functions/main.py declares scheduled functions"
    for text in declared:
        assert schedules.parse(text).seconds >= 60


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (100.0, 160.0),  # at the anchor: one period on
        (90.0, 160.0),  # before the anchor (a clock read earlier)
        (159.9, 160.0),
        (160.0, 220.0),  # exactly due: the next one (this one is running)
        (345.0, 400.0),  # an overrun skips the missed due times
    ],
)
def test_next_due_is_on_the_cadence(now: float, due: float) -> None:
    assert schedules.next_due(100.0, 60.0, now) == pytest.approx(due)


def test_next_due_needs_a_period() -> None:
    with pytest.raises(ValueError):
        schedules.next_due(0.0, 0.0, 1.0)


#: Shaped as the functions emulator answers GET /backends (firebase-tools 15.34.2), shortened.
BACKENDS = {
    "backends": [
        {
            "directory": "/repo/functions",
            "env": {},
            "functionTriggers": [
                {
                    "entryPoint": "create_meeting",
                    "platform": "gcfv2",
                    "region": "us-central1",
                    "name": "create_meeting",
                    "id": "us-central1-create_meeting",
                    "httpsTrigger": {},
                },
                {
                    "entryPoint": "on_signal",
                    "platform": "gcfv2",
                    "region": "us-central1",
                    "name": "on_signal",
                    "id": "us-central1-on_signal",
                    "eventTrigger": {"eventType": "google.cloud.firestore.document.v1.created"},
                },
                {
                    "entryPoint": "sweep",
                    "platform": "gcfv2",
                    "region": "us-central1",
                    "name": "sweep",
                    "id": "us-central1-sweep",
                    "timeoutSeconds": 60,
                    "eventTrigger": {"eventType": "pubsub", "resource": ""},
                    "schedule": {"schedule": "every 1 minutes", "retryConfig": {}},
                },
                {
                    "entryPoint": "purge",
                    "platform": "gcfv2",
                    "region": "us-central1",
                    "name": "purge",
                    "id": "us-central1-purge",
                    "timeoutSeconds": 540,
                    "eventTrigger": {"eventType": "pubsub", "resource": ""},
                    "schedule": {"schedule": "every 1 hours"},
                },
            ],
        }
    ]
}


def test_scheduled_functions_are_read_from_the_listing() -> None:
    assert local_scheduler.scheduled_functions(BACKENDS) == [
        ScheduledFunction("us-central1-sweep", "sweep", "us-central1", "every 1 minutes", 60.0),
        ScheduledFunction("us-central1-purge", "purge", "us-central1", "every 1 hours", 540.0),
    ]
    assert local_scheduler.scheduled_functions({}) == []


def test_trigger_key_follows_the_emulators_reloads() -> None:
    assert local_scheduler.trigger_key("us-central1-sweep") == "us-central1-sweep-0"
    listing = (
        "Function us-central1-sweep-0 does not exist, valid functions are: "
        "us-central1-create_meeting, us-central1-sweep-1, us-central1-sweep-2, "
        "us-central1-sweeper-7, us-central1-on_signal-2"
    )
    assert local_scheduler.trigger_key("us-central1-sweep", listing) == "us-central1-sweep-2"
    with pytest.raises(LookupError):
        local_scheduler.trigger_key("us-central1-purge", listing)


def test_headers_are_cloud_schedulers() -> None:
    sweep = local_scheduler.scheduled_functions(BACKENDS)[0]
    when = dt.datetime(2026, 12, 1, 9, 30, 0, 250_000, tzinfo=dt.UTC)
    headers = local_scheduler.scheduler_headers(sweep, when)
    assert headers["X-CloudScheduler-JobName"] == "firebase-schedule-sweep-us-central1"
    assert headers["X-CloudScheduler-ScheduleTime"] == "2026-12-01T09:30:00Z"
    # What the SDK's on_schedule wrapper parses the schedule time with.
    parsed = dt.datetime.fromisoformat(headers["X-CloudScheduler-ScheduleTime"])
    assert parsed == when.replace(microsecond=0)
