"""docs/data-inventory.md as a checker: which collections and field paths the server may store.

Field paths use dots for maps, `[]` for list elements and `{name}` for a map key chosen at run
time, as in the inventory. Used by tests/emulator/test_data_inventory.py and the browser privacy
test.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .admin import Dump

INVENTORY = Path(__file__).resolve().parents[3] / "docs" / "data-inventory.md"

#: {documented collection path: (document path regex, [field path regexes])}
Inventory = dict[str, tuple[re.Pattern[str], list[re.Pattern[str]]]]

_HEADING = re.compile(r"^###\s+`([^`]+)`")
_CODE = re.compile(r"`([^`]+)`")


#: Map keys the inventory names by a placeholder but that have a fixed set of values (its
#: description column says which): `{side}` of a leg, `{phase}` of its stats, `{end}` of its path.
#: Any other `{name}` stands for one segment chosen at run time.
FIXED_KEYS: dict[str, tuple[str, ...]] = {
    "side": ("caller", "callee"),
    "phase": ("connect", "end"),
    "end": ("local", "remote"),
}


def _segment(placeholder: str, separator: str) -> str:
    fixed = FIXED_KEYS.get(placeholder[1:-1]) if separator == "." else None
    if fixed is not None:
        return "(?:" + "|".join(re.escape(key) for key in fixed) + ")"
    return f"[^{re.escape(separator)}]+"


def _pattern(text: str, separator: str) -> re.Pattern[str]:
    """A regex for a documented path: `{name}` stands for one segment between separators (one
    of FIXED_KEYS' values for the names listed there)."""
    parts = re.split(r"(\{[^}]*\})", text)
    body = "".join(
        _segment(part, separator) if part.startswith("{") else re.escape(part) for part in parts
    )
    return re.compile(body)


def parse_inventory(text: str) -> Inventory:
    """Each `### \\`collection/{id}\\`` heading and the field paths of its table's first column."""
    out: Inventory = {}
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


def load_inventory(path: Path = INVENTORY) -> Inventory:
    return parse_inventory(path.read_text(encoding="utf-8"))


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


def undocumented(dump: Dump, inventory: Inventory) -> list[str]:
    """One line per document no documented collection holds and per field no row lists."""
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
