"""``avmeets purge``: run the retention purge now, with a progress bar and a summary table."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TextIO

from .. import accounts, clock, db, purge
from ..purge.rollup import roll_up_safely
from ._cdr import (
    USAGE,
    add_project_argument,
    connect,
    current_settings,
    firestore_errors,
    parse_time_arg,
)
from ._common import CliError

#: How far ``--now`` may be ahead of the real clock against a real project.
_FUTURE_SLACK = timedelta(minutes=1)

_REASON_LABELS = {
    purge.EXPIRED: "expired",
    purge.ENDED: "ended",
    purge.IDLE: "idle",
    purge.WITH_MEETING: "with meeting",
    purge.STALE: "stale",
    purge.OVER_CAP: "over cap",
    purge.WITH_ARCHIVE: "with archive",
}


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "purge",
        help="delete expired records now (what the hourly job does)",
        description=(
            "First roll each day that has ended into anonymous aggregates (`avmeets stats`), "
            "then delete every record whose expiresAt has passed, ended and idle meetings with "
            "their participants and signals, stale signals, and under load the oldest CDRs beyond "
            "MAX_STORED_CDRS. Safe to interrupt and re-run. Runs against the Firestore emulator "
            "when FIRESTORE_EMULATOR_HOST is set, else against the project of the Application "
            "Default Credentials."
        ),
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print the plan and count what it would delete; delete nothing",
    )
    parser.add_argument(
        "--now",
        metavar="ISO",
        help="purge as if it were this time (ISO 8601; naive means UTC), for tests and replays; "
        "a time in the future is refused against a real project",
    )
    parser.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="summary on stdout (default: table)",
    )
    parser.add_argument("--page-size", type=int, default=500, metavar="N", help=argparse.SUPPRESS)
    add_project_argument(parser)
    parser.set_defaults(run=run_purge)


def run_purge(args: argparse.Namespace) -> int:
    real_now = clock.now()
    now = parse_time_arg("--now", args.now) or real_now
    if not 1 <= args.page_size <= purge.MAX_BATCH:
        raise CliError(f"--page-size must be between 1 and {purge.MAX_BATCH}", USAGE)
    s = current_settings()
    if not s.firestore_emulator_host and now > real_now + _FUTURE_SLACK:
        raise CliError(
            f"--now {args.now} is in the future: against a real project that would delete "
            "records that have not expired",
            USAGE,
        )
    with firestore_errors():
        client = connect(args.project)
        # As the hourly job: the ended days' aggregates first, while their CDR is there.
        rolled = roll_up_safely(client, now, dry_run=args.dry_run)
        print(
            f"avmeets purge: {rolled if rolled is not None else 'usage aggregates: failed'}",
            file=sys.stderr,
        )
        display = ProgressDisplay(sys.stderr)
        try:
            report = purge.run(
                client,
                now,
                max_stored_cdrs=s.max_stored_cdrs,
                meeting_idle_hours=s.meeting_idle_hours,
                dry_run=args.dry_run,
                page_size=args.page_size,
                progress=display,
            )
        finally:
            display.close()
    people = _purge_accounts(now, s, dry_run=args.dry_run)
    if args.format == "json":
        data = report.as_dict()
        data["accounts"] = people.as_dict() if people is not None else None
        data["usage"] = rolled.as_dict() if rolled is not None else None
        print(json.dumps(data, indent=2))
    else:
        print(format_report(report), end="")
        if report.dry_run:
            print("\nplan:", *report.plan, sep="\n  ")
        print(people if people is not None else "accounts: skipped (no Auth emulator)")
    return 0


def _purge_accounts(now: Any, s: Any, *, dry_run: bool) -> accounts.AccountsReport | None:
    """The Auth accounts step, as the hourly job runs it; None when it cannot run here."""
    if s.firestore_emulator_host and not s.auth_emulator_host:
        # Against the Firestore emulator without the Auth emulator, Auth would be the real one.
        print("accounts: FIREBASE_AUTH_EMULATOR_HOST is not set; skipped", file=sys.stderr)
        return None
    db.ensure_app()
    return accounts.purge_accounts(now, s.retention_days, dry_run=dry_run)


# --- output ------------------------------------------------------------------------------------


def format_report(report: purge.PurgeReport) -> str:
    """The summary table: one row per collection, one column per reason, and totals."""
    reasons = [r for r in _REASON_LABELS if any(r in rs for rs in report.deleted.values())]
    header = ["collection", *(_REASON_LABELS[r] for r in reasons), "total"]
    rows: list[list[str]] = []
    for collection, counts in report.deleted.items():
        cells = [f"{counts[r]:,}" if r in counts else "" for r in reasons]
        rows.append([collection, *cells, f"{sum(counts.values()):,}"])
    column_totals = [f"{sum(c.get(r, 0) for c in report.deleted.values()):,}" for r in reasons]
    rows.append(["total", *column_totals, f"{report.total:,}"])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    verb = "would delete" if report.dry_run else "deleted"
    title = (
        f"{'Dry run: ' if report.dry_run else ''}purge at {report.now.isoformat()} {verb} "
        f"{report.total:,} document{'s' if report.total != 1 else ''} "
        f"in {report.elapsed_seconds:.1f}s"
    )
    cap = (
        f"cdrs: {report.cdrs_counted:,} stored after expiry, cap {report.max_stored_cdrs:,}; "
        f"meetings idle after {report.meeting_idle_hours}h"
    )
    rule = "  ".join("-" * w for w in widths)
    body = [line(header), rule, *(line(r) for r in rows[:-1]), rule, line(rows[-1])]
    return "\n".join([title, cap, "", *body]) + "\n"


def render_bar(p: purge.PurgeProgress, width: int = 30) -> str:
    """One progress line, e.g. ``cdrs [#########.....]  61%  6,100/10,000 (deleted 6,250)``."""
    verb = "counted" if p.dry_run else "deleted"
    label = f"{p.step}: {p.collection}"
    if p.total:
        fraction = min(1.0, p.done / p.total)
        filled = int(fraction * width)
        bar = "#" * filled + "." * (width - filled)
        return (
            f"{label} [{bar}] {fraction * 100:3.0f}%  {p.done:,}/{p.total:,} "
            f"(run: {p.deleted:,} {verb})"
        )
    return f"{label} {p.done:,} (run: {p.deleted:,} {verb})"


class ProgressDisplay:
    """The progress callback of ``avmeets purge``.

    On a terminal: one bar redrawn at most ten times a second; a step that deleted something
    keeps its final line. Elsewhere (a log, a pipe): a plain line per step that deleted
    something, and one at most every ``interval`` seconds while a step runs.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        tty: bool | None = None,
        interval: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.interval = 0.1 if self.tty else interval
        self.monotonic = monotonic
        self._last: purge.PurgeProgress | None = None
        self._shown: purge.PurgeProgress | None = None
        self._shown_at: float | None = None

    def __call__(self, p: purge.PurgeProgress) -> None:
        previous = self._last
        if previous is not None and (previous.step, previous.collection) != (p.step, p.collection):
            self._finish(previous)
        self._last = p
        now = self.monotonic()
        if self._shown_at is not None and now - self._shown_at < self.interval:
            return
        if p.done == 0 and not self.tty:
            return
        self._show(p, now)

    def close(self) -> None:
        if self._last is not None:
            self._finish(self._last)
            self._last = None
        if self.tty:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

    def _finish(self, p: purge.PurgeProgress) -> None:
        """The end of a step: keep its line if it did something."""
        if p.done == 0:
            return
        if self.tty:
            self.stream.write("\r\x1b[K" + self._text(p) + "\n")
            self.stream.flush()
        elif self._shown != p:
            self._show(p, self.monotonic())
        self._shown = None

    def _show(self, p: purge.PurgeProgress, now: float) -> None:
        if self.tty:
            self.stream.write("\r\x1b[K" + self._text(p))
        else:
            self.stream.write(f"avmeets purge: {render_bar(p, width=20)}\n")
        self.stream.flush()
        self._shown = p
        self._shown_at = now

    def _text(self, p: purge.PurgeProgress) -> str:
        columns = shutil.get_terminal_size((100, 20)).columns
        return render_bar(p, width=max(10, min(40, columns - 70)))[: max(1, columns - 1)]
