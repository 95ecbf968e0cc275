"""The functions' logs: one JSON entry per record, through the Functions SDK's logger.

Cloud Functions sends a function's output to Cloud Logging, which reads a JSON line's
``severity`` and keeps its other fields as the entry's structured payload. So every record of
the ``avmeets`` loggers (at ``LOG_LEVEL``) and every other library's warning becomes one such
line via ``firebase_functions.logger``: ``severity``, ``message``, the logger's ``logger`` name,
and the fields given with ``extra=`` (the purge's report, a join's meeting and uid). The same
line is what the emulator prints, readable as it is.

What is logged is for operations only: meeting ids, uids and counts, never passwords, hashes, SDP
or candidates (docs/security.md; tests/emulator/test_secrets_not_logged.py reads the emulator's
output, tests/emulator/test_structured_logs.py its JSON).
"""

from __future__ import annotations

import json
import logging
from typing import Any, Final, cast

from firebase_functions import logger as sdk_logger

from .config import settings

_SEVERITY: Final = (
    (logging.CRITICAL, sdk_logger.LogSeverity.CRITICAL),
    (logging.ERROR, sdk_logger.LogSeverity.ERROR),
    (logging.WARNING, sdk_logger.LogSeverity.WARNING),
    (logging.INFO, sdk_logger.LogSeverity.INFO),
)
#: The attributes every LogRecord has: anything else came with ``extra=``.
_STANDARD: Final = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def severity(levelno: int) -> sdk_logger.LogSeverity:
    for level, name in _SEVERITY:
        if levelno >= level:
            return name
    return sdk_logger.LogSeverity.DEBUG


def _plain(value: Any) -> Any:
    """``value`` as JSON data (datetimes and other objects as their text)."""
    return json.loads(json.dumps(value, default=str))


def entry(record: logging.LogRecord, formatter: logging.Formatter) -> sdk_logger.LogEntry:
    """The Cloud Logging entry of a record: severity, message, logger and the extra fields."""
    message = record.getMessage()
    if record.exc_info:
        message = f"{message}\n{formatter.formatException(record.exc_info)}"
    fields = {
        key: _plain(value)
        for key, value in vars(record).items()
        if key not in _STANDARD and not key.startswith("_")
    }
    data: dict[str, Any] = {
        "severity": severity(record.levelno),
        "message": message,
        "logger": record.name,
    }
    for key, value in fields.items():
        data.setdefault(key, value)  # never over the severity or the message
    return cast(sdk_logger.LogEntry, data)


class CloudLoggingHandler(logging.Handler):
    """A logging handler that writes each record with ``firebase_functions.logger.write``."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter())

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sdk_logger.write(entry(record, self.formatter or logging.Formatter()))
        except Exception:
            self.handleError(record)


def configure() -> None:
    """Set the level of the "avmeets" loggers; give the root logger the JSON handler if it has
    no handler yet.

    The records propagate to the root handler (as the SDK's own do), so nothing prints twice
    and test tools that hook the root logger still see them.
    """
    logging.getLogger("avmeets").setLevel(settings().log_level)
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(CloudLoggingHandler())
