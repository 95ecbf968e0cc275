"""``avmeets stats``: the anonymous daily usage aggregates the purge keeps (``usage_daily``)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from datetime import date, timedelta
from typing import Any

from .. import cdr_export, usage
from ..store import usage as store
from ..store.documents import UsageDayDoc
from ._cdr import USAGE, add_project_argument, connect, firestore_errors, write_output
from ._common import CliError

COLUMNS = (
    "day",
    "country",
    "network",
    "meetings",
    "participants",
    "joins",
    "connections",
    "answered",
    "failed",
    "noAnswer",
    "open",
    "relayed",
    "rttMedianMs",
)


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "stats",
        help="anonymous daily usage aggregates (meetings, participants, connections)",
        description=(
            "Print the daily aggregates the purge rolls each ended day's CDR into before it "
            "deletes it: meetings, participants, connection outcomes, relayed share and median "
            "round-trip time, in total and by country and network. Every row covers at least "
            f"{usage.MIN_GROUP_SIZE} people; smaller groups are folded into 'other' or left out."
        ),
    )
    parser.add_argument("--since", metavar="DAY", help="first day (YYYY-MM-DD, UTC)")
    parser.add_argument("--until", metavar="DAY", help="last day, included (YYYY-MM-DD, UTC)")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    add_project_argument(parser)
    parser.set_defaults(run=run_stats)


def _day(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise CliError(f"{option}: not a day (YYYY-MM-DD): {value!r}", USAGE)
    try:
        return date.fromisoformat(value.strip())
    except ValueError as err:
        raise CliError(f"{option}: {err}", USAGE) from None


def run_stats(args: argparse.Namespace) -> int:
    since, until = _day("--since", args.since), _day("--until", args.until)
    if since is not None and until is not None and since > until:
        raise CliError(f"--since ({args.since}) must not be after --until ({args.until})", USAGE)
    end = (until + timedelta(days=1)).isoformat() if until is not None else None
    with firestore_errors():
        found = store.days(connect(args.project), since.isoformat() if since else None, end)
    render = {"json": to_json, "csv": to_csv, "table": to_table}[args.format]
    write_output(render(found), args.output)
    print(f"avmeets: {len(found)} day{'s' if len(found) != 1 else ''}", file=sys.stderr)
    return 0


def rows(days: list[UsageDayDoc]) -> list[dict[str, Any]]:
    return [{"day": d["day"], **row} for d in days for row in d["rows"]]


def to_json(days: list[UsageDayDoc]) -> str:
    return json.dumps(cdr_export.jsonable(days), indent=2, ensure_ascii=False) + "\n"


def to_csv(days: list[UsageDayDoc]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows(days):
        writer.writerow({k: cdr_export.cell(row.get(k)) for k in COLUMNS})
    return out.getvalue()


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def to_table(days: list[UsageDayDoc]) -> str:
    if not days:
        return "no aggregates stored for these days\n"
    header = ["day", "country", "network", "meetings", "people", "connections", "answered"]
    header += ["failed", "relayed", "rtt median"]
    table = [header]
    for day in days:
        if not day["rows"]:
            table.append([day["day"], f"(fewer than {day['minGroupSize']} people)", *[""] * 8])
        for r in day["rows"]:
            rtt = r["rttMedianMs"]
            table.append(
                [
                    day["day"],
                    r["country"],
                    r["network"],
                    str(r["meetings"]),
                    str(r["participants"]),
                    str(r["connections"]),
                    _share(r["answered"], r["connections"]),
                    _share(r["failed"], r["connections"]),
                    _share(r["relayed"], r["connections"]),
                    f"{rtt:g} ms" if rtt is not None else "-",
                ]
            )
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    return (
        "\n".join(
            "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
            for line in table
        )
        + "\n"
    )
