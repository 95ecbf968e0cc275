"""``avmeets org``: organisations, their verified domains, their admins, their export.

Only the operator creates an organisation, verifies its domains and names its admins (the
``orgAdmin`` custom claim); the admins then choose its policy in the web app (``org_admin``).
Every change made here is audited like an admin's (``org_audits``, by ``operator:<who>``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from google.api_core import exceptions as gexc

from .. import clock, org_policy
from ..config import MAX_RETENTION_DAYS, settings
from ..errors import InvalidArgument
from ..payloads import parse_org_admin
from ..protocol import STORAGE_KINDS, OrgExport
from ..services import org_export
from ..store import auth_users, orgs
from ._cdr import connect, firestore_errors, write_output
from ._common import CliError

USAGE = 2


def register(sub: Any) -> None:
    org = sub.add_parser(
        "org",
        help="organisations: create, show, set their policy, name admins, export their store",
        description=(
            "Organisations (orgs/{orgId}): who their members are (verified e-mail domains), "
            "who administers them (the orgAdmin claim), what they store of their members. "
            "Output is JSON."
        ),
    )
    actions = org.add_subparsers(dest="org_command", required=True, metavar="ACTION")

    create = actions.add_parser("create", help="create an organisation (nothing stored)")
    create.add_argument("org_id", metavar="ORG_ID")
    create.add_argument("--name", required=True)
    create.add_argument(
        "--domain", action="append", default=[], metavar="DOMAIN",
        help="a verified e-mail domain of its members (repeatable)",
    )  # fmt: skip
    create.set_defaults(run=run_create)

    show = actions.add_parser("show", help="the organisation's policy, admins and audit")
    show.add_argument("org_id", metavar="ORG_ID")
    show.set_defaults(run=run_show)

    change = actions.add_parser(
        "set",
        help="change the policy (as an admin would) or the verified domains",
        description="Change an organisation; every change is audited. Example: "
        "avmeets org set acme --store chat=on --store attendance=on --retention-days 3",
    )
    change.add_argument("org_id", metavar="ORG_ID")
    change.add_argument("--name")
    change.add_argument("--retention-days", type=int, metavar="N")
    change.add_argument(
        "--verify-domain", action="append", default=[], metavar="DOMAIN",
        help="add DOMAIN to the verified domains and to the domains (repeatable)",
    )  # fmt: skip
    change.add_argument(
        "--store", action="append", default=[], metavar="KIND=on|off",
        help=f"an opt-in: {', '.join(STORAGE_KINDS)} (repeatable)",
    )  # fmt: skip
    change.set_defaults(run=run_set)

    admins = actions.add_parser("admins", help="list, add or remove the organisation's admins")
    admins.add_argument("org_id", metavar="ORG_ID")
    admins.add_argument("--add", action="append", default=[], metavar="EMAIL")
    admins.add_argument("--remove", action="append", default=[], metavar="EMAIL")
    admins.set_defaults(run=run_admins)

    export = actions.add_parser(
        "export",
        help="everything the organisation stores: chat, attendance (JSON and CSV), objects",
    )
    export.add_argument("org_id", metavar="ORG_ID")
    export.add_argument("--out", required=True, metavar="DIR", help="a new or empty directory")
    export.set_defaults(run=run_export)


def _operator() -> str:
    from ._operator import whoami

    return "operator:" + whoami(emulator=bool(settings().firestore_emulator_host)).identity


def _print(value: Any) -> None:
    write_output(json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n", None)


def _existing(org_id: str) -> orgs.Versioned[Any]:
    current = orgs.org(org_id)
    if current.doc is None:
        raise CliError(f"no organisation {org_id!r} (avmeets org create)")
    return current


#: An organisation id names its objects' path in the bucket: lowercase letters, digits, dashes.
_ORG_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


def run_create(args: argparse.Namespace) -> int:
    if not _ORG_ID.fullmatch(args.org_id):
        raise CliError(
            f"{args.org_id!r}: an organisation id is 1 to 63 lowercase letters, digits or "
            "dashes, starting with a letter or digit",
            USAGE,
        )
    domains = _domains(args.domain)
    with firestore_errors():
        connect()
        for domain in domains:
            if orgs.orgs_claiming(domain):
                raise CliError(f"{domain} belongs to another organisation")
        doc = org_policy.new_org(args.name.strip(), domains)
        now = clock.now()
        changes = [
            {"field": "created", "old": "null", "new": json.dumps(dict(doc), sort_keys=True)}
        ]
        entry = org_policy.audit_entry(
            args.org_id, _operator(), None, changes, now,  # type: ignore[arg-type]
            now + timedelta(days=org_policy.AUDIT_DAYS),
        )  # fmt: skip
        try:
            orgs.create_org(args.org_id, doc, entry)
        except gexc.AlreadyExists:
            raise CliError(f"organisation {args.org_id!r} exists") from None
    return run_show(args)


def _domains(values: list[str]) -> list[str]:
    try:
        parsed = parse_org_admin(
            {"orgId": "x", "action": "set", "changes": {"domains": values}}
        ).changes
    except InvalidArgument as err:
        raise CliError(str(err), USAGE) from None
    return list((parsed or {}).get("domains", []))


def run_show(args: argparse.Namespace) -> int:
    with firestore_errors():
        connect()
        current = _existing(args.org_id)
        policy = org_policy.view(
            args.org_id, current.doc or {}, settings().retention_days, MAX_RETENTION_DAYS
        )
        admins = [a.email or a.uid for a in auth_users.admins_of(args.org_id)]
        audit = orgs.audit(args.org_id, 20)
    _print(
        {
            "policy": policy,
            "verifiedDomains": list((current.doc or {}).get("verifiedDomains") or []),
            "admins": sorted(admins),
            "audit": [
                {**a, "at": a["at"].isoformat(), "expiresAt": a["expiresAt"].isoformat()}
                for a in audit
            ],
        }
    )
    return 0


def _store_flags(values: list[str]) -> dict[str, bool]:
    flags: dict[str, bool] = {}
    for value in values:
        kind, _, state = value.partition("=")
        if kind not in STORAGE_KINDS or state not in ("on", "off"):
            raise CliError(
                f"--store {value}: expected KIND=on|off, KIND one of {', '.join(STORAGE_KINDS)}",
                USAGE,
            )
        flags[kind] = state == "on"
    return flags


def run_set(args: argparse.Namespace) -> int:
    changes: dict[str, Any] = {}
    if args.name is not None:
        changes["name"] = args.name
    if args.retention_days is not None:
        changes["retentionDays"] = args.retention_days
    if args.store:
        changes["storage"] = _store_flags(args.store)
    verify = _domains(args.verify_domain) if args.verify_domain else []
    if not changes and not verify:
        raise CliError("nothing to change (see avmeets org set --help)", USAGE)
    with firestore_errors():
        connect()
        current = _existing(args.org_id)
        org = dict(current.doc or {})
        fields: dict[str, Any] = {}
        audit: list[Any] = []
        if verify:
            for domain in verify:
                if [o for o in orgs.orgs_claiming(domain) if o != args.org_id]:
                    raise CliError(f"{domain} belongs to another organisation")
            verified = sorted({*org.get("verifiedDomains", []), *verify})
            domains = sorted({*org.get("domains", []), *verify})
            fields["verifiedDomains"] = verified
            org["verifiedDomains"] = verified
            changes["domains"] = domains
        if changes:
            try:
                body = parse_org_admin({"orgId": args.org_id, "action": "set", "changes": changes})
                plan = org_policy.plan_changes(
                    org,
                    body.changes or {},
                    current=org_policy.view(
                        args.org_id, org, settings().retention_days, MAX_RETENTION_DAYS
                    ),
                    max_days=MAX_RETENTION_DAYS,
                    claimed_elsewhere={},
                )
            except InvalidArgument as err:
                raise CliError(str(err), USAGE) from None
            fields.update(plan.fields)
            audit.extend(plan.changes)
        if "verifiedDomains" in fields:
            old = (current.doc or {}).get("verifiedDomains") or []
            audit.append(
                {"field": "verifiedDomains", "old": json.dumps(old), "new": json.dumps(verify)}
            )
        if fields:
            now = clock.now()
            entry = org_policy.audit_entry(
                args.org_id, _operator(), None, audit, now,
                now + timedelta(days=org_policy.AUDIT_DAYS),
            )  # fmt: skip
            orgs.change_org(args.org_id, current.version, fields, entry)
    return run_show(args)


def run_admins(args: argparse.Namespace) -> int:
    with firestore_errors():
        connect()
        _existing(args.org_id)
        for email, add in [(e, True) for e in args.add] + [(e, False) for e in args.remove]:
            account = auth_users.account_by_email(email.strip())
            if account is None:
                raise CliError(f"no account with the e-mail address {email!r} (sign in once first)")
            now_admin = set(account.admin_of)
            (now_admin.add if add else now_admin.discard)(args.org_id)
            auth_users.set_admin_of(account.uid, tuple(now_admin))
            print(
                f"avmeets: {email} {'is now' if add else 'is no longer'} an admin of "
                f"{args.org_id} (from the account's next sign-in or token refresh)",
                file=sys.stderr,
            )
        admins = sorted(a.email or a.uid for a in auth_users.admins_of(args.org_id))
    _print({"orgId": args.org_id, "admins": admins})
    return 0


def to_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})
    return out.getvalue()


def attendance_rows(data: OrgExport) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for row in data["attendance"]:
        flat: dict[str, Any] = {k: v for k, v in row.items() if k != "engagement"}
        flat.update(row.get("engagement") or {})
        rows.append(flat)
    return rows


def run_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise CliError(f"{out} must be a new or empty directory", USAGE)
    with firestore_errors():
        connect()
        _existing(args.org_id)
        data = org_export.export(args.org_id)
    (out / "objects").mkdir(parents=True, exist_ok=True)
    (out / "export.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    (out / "chat.csv").write_text(
        to_csv(list(data["chat"]), ["meetingId", "at", "fromUid", "fromName", "to", "text"])  # type: ignore[arg-type]
    )
    (out / "attendance.csv").write_text(
        to_csv(
            attendance_rows(data),
            [
                "meetingId",
                "uid",
                "displayName",
                "joinedAt",
                "leftAt",
                "visibleMs",
                "focusedMs",
                "cameraOnMs",
                "micOnMs",
            ],
        )
    )
    from ..store import objects

    missing = 0
    for item in data["objects"]:
        try:
            body = objects.read_object(
                objects.object_path(args.org_id, item["meetingId"], item["kind"], item["objectId"])
            )
        except gexc.NotFound:
            missing += 1  # never uploaded, or not finished
            continue
        (out / "objects" / f"{item['objectId']}-{safe_name(item['name'])}").write_bytes(body)
    print(
        f"avmeets: {len(data['chat'])} messages, {len(data['attendance'])} attendance records, "
        f"{len(data['objects']) - missing} objects ({missing} not uploaded) written to {out}",
        file=sys.stderr,
    )
    return 0


def safe_name(name: str) -> str:
    """A file name for the export directory (no path separators or hidden-file dots)."""
    cleaned = "".join(ch if ch.isalnum() or ch in "._- " else "_" for ch in name).strip(". ")
    return cleaned[:100] or "object"
