"""Scheduled jobs: the heartbeat sweep (every minute) and the retention purge (hourly)."""

from __future__ import annotations

import logging

from . import accounts, clock, db
from . import purge as purge_mod
from .config import settings
from .purge.rollup import roll_up_safely
from .services import hosts, lobby, presence

log = logging.getLogger("avmeets")


def sweep() -> int:
    now = clock.now()
    closed = presence.sweep(now)
    if closed:
        log.info("sweep closed %d silent participant(s)", closed)
    rooms = hosts.close_due_rooms(now)
    if rooms:
        log.info("sweep closed the breakout rooms of %d meeting(s) whose timer ran out", rooms)
    withdrawn = lobby.sweep(now)
    if withdrawn:
        log.info("sweep withdrew %d silent knock(s)", withdrawn)
    return closed


def purge() -> purge_mod.PurgeReport:
    s = settings()
    now = clock.now()
    # First the anonymous daily aggregates of the days that ended, while their CDR is there.
    roll_up_safely(db.client(), now)
    report = purge_mod.run(
        db.client(),
        now,
        max_stored_cdrs=s.max_stored_cdrs,
        meeting_idle_hours=s.meeting_idle_hours,
    )
    log.info("purge: %s", report)
    # Auth accounts idle past retention go too (the identities copy expired with the above).
    db.ensure_app()
    log.info("purge: %s", accounts.purge_accounts(now, s.retention_days))
    return report
