"""The database holds nothing that docs/data-inventory.md does not list.

After a full meeting (password, a wrong guess, trickle and non-trickle peers, heartbeats, a reload
and a leave) every document of the emulator is walked, and each field path must be one of the
inventory's rows for the collection the document belongs to. Field paths use dots for maps, `[]`
for list elements and `{name}` for a map key chosen at run time, as in the inventory.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from google.cloud import firestore

from .support.admin import Dump, settled_dump
from .support.callables import CallableError
from .support.deadline import wait_for
from .support.factories import Actors, Peers
from .support.mesh import check_chat, describe, wait_full_mesh

INVENTORY = Path(__file__).resolve().parents[2] / "docs" / "data-inventory.md"
PASSWORD = "inventory"

_HEADING = re.compile(r"^###\s+`([^`]+)`")
_CODE = re.compile(r"`([^`]+)`")


def _pattern(text: str, separator: str) -> re.Pattern[str]:
    """A regex for a documented path: `{name}` stands for one segment between separators."""
    parts = re.split(r"(\{[^}]*\})", text)
    body = "".join(
        f"[^{re.escape(separator)}]+" if part.startswith("{") else re.escape(part) for part in parts
    )
    return re.compile(body)


def parse_inventory(text: str) -> dict[str, tuple[re.Pattern[str], list[re.Pattern[str]]]]:
    """{documented collection path: (document path regex, [field path regexes])}."""
    out: dict[str, tuple[re.Pattern[str], list[re.Pattern[str]]]] = {}
    current: str | None = None
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            current = heading.group(1)
            out[current] = (_pattern(current, "/"), [])
            continue
        if current is None or not line.startswith("|"):
            continue
        first = line.strip("|").split("|")[0]
        for name in _CODE.findall(first):
            out[current][1].append(_pattern(name, "."))
    return out


def field_paths(value: Any, prefix: str = "") -> list[str]:
    """Leaf paths of a document: maps joined by dots, lists of maps by `[]`.

    A list of scalars is one field (the inventory lists `uids`, not `uids[]`); empty maps and
    lists have no leaves.
    """
    if isinstance(value, dict):
        paths: list[str] = []
        for key, item in value.items():
            paths.extend(field_paths(item, f"{prefix}.{key}" if prefix else str(key)))
        return paths
    if isinstance(value, list):
        if not value:
            return []
        if any(isinstance(item, dict) for item in value):
            return [path for item in value for path in field_paths(item, f"{prefix}[]")]
    return [prefix]


def undocumented(dump: Dump, inventory: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for path, data in dump.items():
        owners = [fields for pattern, fields in inventory.values() if pattern.fullmatch(path)]
        if not owners:
            problems.append(f"{path}: no collection of the inventory holds this document")
            continue
        allowed = [field for fields in owners for field in fields]
        for field in field_paths(data):
            if not any(pattern.fullmatch(field) for pattern in allowed):
                problems.append(f"{path}: field {field!r} is not in the inventory")
    return problems


def test_inventory_parser_reads_the_document() -> None:
    inventory = parse_inventory(INVENTORY.read_text(encoding="utf-8"))
    for collection in ("meetings/{meetingId}", "identities/{uid}", "cdrs/{legId}"):
        assert collection in inventory, sorted(inventory)
    _, cdr_fields = inventory["cdrs/{legId}"]
    assert any(p.fullmatch("caller.stats.connect.rttMs") for p in cdr_fields)
    assert not any(p.fullmatch("caller.stats.connect.secret") for p in cdr_fields)
    paths = field_paths({"a": {"b": 1, "c": [{"d": 2}]}, "uids": ["x", "y"], "e": {}, "f": []})
    assert paths == ["a.b", "a.c[].d", "uids"]


async def test_database_holds_only_what_the_inventory_lists(
    peers: Peers, actors: Actors, admin: firestore.AsyncClient
) -> None:
    inventory = parse_inventory(INVENTORY.read_text(encoding="utf-8"))
    alice, bob = await peers("alice"), await peers("bob")
    carol = await peers("carol", trickle=True)
    meeting_id = await alice.create_meeting(title="Inventory", password=PASSWORD)
    for peer in (alice, bob, carol):
        await peer.join(meeting_id, password=PASSWORD)
    await wait_full_mesh([alice, bob, carol])
    await check_chat([alice, bob, carol])

    # A stranger guessing the password leaves an attempt counter behind.
    mallory = await actors("mallory")
    try:
        await mallory.join(meeting_id, "guess")
    except CallableError as error:
        assert error.reason == "wrong-password", error
    for peer in (alice, bob, carol):
        await peer.call("heartbeat", {"meetingId": meeting_id})

    during = await settled_dump(admin)

    # Carol reloads (a new session), then Bob leaves.
    await carol.close()
    await carol.join(meeting_id, password=PASSWORD)
    await wait_full_mesh([alice, bob, carol])
    await bob.leave()
    await wait_for(
        lambda: bob.uid not in alice.links and bob.uid not in carol.links,
        timeout=15.0,
        what="Alice and Carol to drop Bob",
        describe=lambda: describe([alice, bob, carol]),
    )
    after = await settled_dump(admin)

    collections = {path.split("/")[0] for path in after}
    assert {"meetings", "identities", "joins", "cdrs", "meeting_secrets", "join_attempts"} <= (
        collections
    ), collections
    problems = undocumented(during, inventory) + undocumented(after, inventory)
    assert not problems, "fields missing from docs/data-inventory.md:\n" + "\n".join(
        sorted(set(problems))
    )
