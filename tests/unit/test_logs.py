"""avmeets.logs: log records as Cloud Logging entries (severity, message, extra fields)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import pytest

from avmeets import logs


def record(level: int, msg: str, **extra: object) -> logging.LogRecord:
    made = logging.getLogger("avmeets").makeRecord(
        "avmeets", level, __file__, 1, msg, (), None, extra=extra
    )
    return made


@pytest.mark.parametrize(
    ("level", "severity"),
    [
        (logging.DEBUG, "DEBUG"),
        (logging.INFO, "INFO"),
        (logging.WARNING, "WARNING"),
        (logging.ERROR, "ERROR"),
        (logging.CRITICAL, "CRITICAL"),
    ],
)
def test_severity(level: int, severity: str) -> None:
    assert logs.severity(level) == severity


def test_entry_carries_the_extra_fields_as_json() -> None:
    when = datetime(2026, 3, 1, tzinfo=UTC)
    entry = logs.entry(
        record(logging.INFO, "purge", purge={"total": 3, "now": when}, severity="oops"),
        logging.Formatter(),
    )
    assert dict(entry) == {
        "severity": "INFO",
        "message": "purge",
        "logger": "avmeets",
        "purge": {"total": 3, "now": "2026-03-01 00:00:00+00:00"},
    }
    json.dumps(entry)


def test_handler_writes_one_json_line_through_the_sdk_logger(
    capsys: pytest.CaptureFixture[str],
) -> None:
    handler = logs.CloudLoggingHandler()
    handler.emit(record(logging.INFO, "joined: m uid=u", meetingId="m"))
    handler.emit(record(logging.ERROR, "broken"))
    out, err = capsys.readouterr()
    assert json.loads(out) == {
        "severity": "INFO",
        "message": "joined: m uid=u",
        "logger": "avmeets",
        "meetingId": "m",
    }
    assert json.loads(err)["severity"] == "ERROR"  # the SDK sends errors to stderr
