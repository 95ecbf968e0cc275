"""Where the "avmeets" loggers go: stderr, at the configured level.

Cloud Functions sends a function's stderr to Cloud Logging; left alone, Python would drop
everything below WARNING, including the join and leave lines operators need. What is logged is
for operations only: meeting ids, uids and counts, never passwords, hashes, SDP or candidates
(docs/security.md; tests/emulator/test_secrets_not_logged.py reads the emulator's output).
"""

from __future__ import annotations

import logging
import sys

from .config import settings

_FORMAT = "%(levelname)s %(name)s: %(message)s"


def configure() -> None:
    """Set the level of the "avmeets" loggers; give the root logger a stderr handler if none.

    The records propagate to the root handler (as the SDK's own do), so nothing prints twice
    and test tools that hook the root logger still see them.
    """
    logging.getLogger("avmeets").setLevel(settings().log_level)
    if not logging.getLogger().handlers:
        logging.basicConfig(stream=sys.stderr, format=_FORMAT)
