"""``avmeets audit``: the append-only record of every CDR export; and who the operator is.

``avmeets cdr export`` writes its audit record (``export_audit.records``) before it prints a
single leg; this command lists those records. Neither ever changes or deletes one.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .. import cdr_export
from ..store import audit
from ..store.documents import ExportAuditDoc
from ._cdr import (
    USAGE,
    add_project_argument,
    connect,
    firestore_errors,
    parse_time_arg,
    write_output,
)
from ._common import CliError


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "audit",
        help="list the audit records of CDR exports (who exported which legs, when, why)",
        description=(
            "List the append-only audit records that every `avmeets cdr export` writes before "
            "its output: the request reference, the operator, the time, and the exported legs "
            "by id. Kept two years (docs/data-inventory.md, export_audits)."
        ),
    )
    parser.add_argument("--since", metavar="T", help="records at or after T (ISO 8601)")
    parser.add_argument("--until", metavar="T", help="records before T (a date: that whole day)")
    parser.add_argument("--reference", metavar="REF", help="only the exports of this reference")
    parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="default: table"
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    add_project_argument(parser)
    parser.set_defaults(run=run_audit)


def run_audit(args: argparse.Namespace) -> int:
    since = parse_time_arg("--since", args.since)
    until = parse_time_arg("--until", args.until, end=True)
    if since is not None and until is not None and since >= until:
        raise CliError(f"--since ({args.since}) must be before --until ({args.until})", USAGE)
    with firestore_errors():
        client = connect(args.project)
        found = audit.entries(client, since, until)
    if args.reference is not None:
        found = [d for d in found if d["reference"] == args.reference.strip()]
    text = to_json(found) if args.format == "json" else to_table(found)
    write_output(text, args.output)
    exports = len({d["exportId"] for d in found})
    print(f"avmeets: {exports} export{'s' if exports != 1 else ''}", file=sys.stderr)
    return 0


def merged(docs: list[ExportAuditDoc]) -> list[dict[str, Any]]:
    """One entry per export: its parts' leg ids joined, in part order."""
    exports: dict[str, dict[str, Any]] = {}
    for doc in docs:
        entry = exports.setdefault(
            doc["exportId"],
            {k: v for k, v in doc.items() if k not in ("part", "parts", "legIds")},
        )
        entry.setdefault("legIds", []).extend(doc["legIds"])
        entry["complete"] = entry.get("partsSeen", 0) + 1 == doc["parts"]
        entry["partsSeen"] = entry.get("partsSeen", 0) + 1
    for entry in exports.values():
        entry.pop("partsSeen", None)
    return list(exports.values())


def to_json(docs: list[ExportAuditDoc]) -> str:
    return json.dumps(cdr_export.jsonable(merged(docs)), indent=2, ensure_ascii=False) + "\n"


def to_table(docs: list[ExportAuditDoc]) -> str:
    header = ["at", "operator", "reference", "scope", "legs", "export"]
    rows = [
        [
            cdr_export.iso(e["at"]),
            e["operator"],
            e["reference"],
            e["scope"],
            str(e["legCount"]),
            e["exportId"],
        ]
        for e in merged(docs)
    ]
    if not rows:
        return "no exports recorded\n"
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    head = "  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()
    return "\n".join([head, *lines]) + "\n"
